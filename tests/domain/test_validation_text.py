"""Free-text fields (ledger.values.BoundedText, parsed by ledger.boundary): required, length,
refused characters.

Names, reasons, comments and decree numbers end up in stored events that are kept for ever,
exported and signed into the audit log: a control character or a lone surrogate must be refused
at the door with the field named, never stored (or, for a surrogate, crash the save).
"""

from __future__ import annotations

import pytest

from ledger.application import KinerjaLedger
from ledger.boundary import parse
from ledger.domain.agency import Agency
from ledger.errors import FieldError, ValidationFailed
from ledger.validation import Checker
from ledger.values import TEXT_MAX as MAX_TEXT
from ledger.values import BoundedText
from tests.factories import HR, NIP_BUDI, seed_basic

CONTROL = "control characters are not allowed"
SURROGATE = "lone surrogates are not allowed"


def check(
    value: object, *, required: bool = True, max_len: int = MAX_TEXT
) -> tuple[str | None, list[FieldError]]:
    kind = bounded(max_len)
    c = Checker()
    out = parse(c, "f", value, kind if required else kind | None)
    return out, c.errors


def bounded(max_len: int) -> type[BoundedText]:
    return type("Bounded", (BoundedText,), {"__slots__": (), "max_len": max_len})


def test_the_default_limit() -> None:
    assert MAX_TEXT == 2000


@pytest.mark.parametrize("value", [None, "", " ", "   ", "\t", "\n", " \t\n ", "\u00a0", "\u3000"])
def test_blank_or_whitespace_only_is_required(value: str | None) -> None:
    assert check(value) == (None, [FieldError("f", "required")])
    assert check(value, required=False) == (None, [])


@pytest.mark.parametrize("value", [5, 1.5, True, ["a"], {"a": 1}, b"bytes"])
def test_not_a_string(value: object) -> None:
    assert check(value) == (None, [FieldError("f", "must be a string")])


@pytest.mark.parametrize(
    ("length", "max_len", "ok"),
    [(2000, MAX_TEXT, True), (2001, MAX_TEXT, False), (200, 200, True), (201, 200, False), (1, 1, True)],
)
def test_maximum_length_at_and_one_past_the_limit(length: int, max_len: int, ok: bool) -> None:
    value = "a" * length
    if ok:
        assert check(value, max_len=max_len) == (value, [])
    else:
        assert check(value, max_len=max_len) == (None, [FieldError("f", f"at most {max_len} characters")])


def test_surrounding_whitespace_is_stripped_inner_tab_and_newline_kept() -> None:
    assert check("  Budi\tSantoso\nNIP 1985  ") == ("Budi\tSantoso\nNIP 1985", [])


C0 = [chr(i) for i in range(0x20) if chr(i) not in "\t\n"]
C1 = [chr(i) for i in range(0x80, 0xA0)]


@pytest.mark.parametrize("ch", [*C0, "\x7f", *C1], ids=lambda ch: f"U+{ord(ch):04X}")
def test_every_control_character_is_refused(ch: str) -> None:
    assert check(f"Dinas{ch}Kesehatan") == (None, [FieldError("f", CONTROL)])


# str.strip() would silently drop these at either end: they are refused there too.
@pytest.mark.parametrize(
    "value", ["Dinas\x1f", "\x1cDinas", "Dinas\x85", "\rDinas", "Dinas\x0b", "Dinas\r\n"]
)
def test_a_control_character_at_either_end_is_refused_not_stripped(value: str) -> None:
    assert check(value) == (None, [FieldError("f", CONTROL)])


# One step either side of each refused range: U+001F | U+0020, U+007E | U+007F, U+009F | U+00A0.
@pytest.mark.parametrize(
    ("ch", "refused"),
    [
        ("\x1f", True),
        (" ", False),
        ("~", False),
        ("\x7f", True),
        ("\x80", True),
        ("\x9f", True),
        ("\xa0", False),
    ],
)
def test_edges_of_the_control_ranges(ch: str, refused: bool) -> None:
    value = f"a{ch}b"
    assert check(value) == ((None, [FieldError("f", CONTROL)]) if refused else (value, []))


@pytest.mark.parametrize("ch", ["\ud800", "\udbff", "\udc00", "\udfff"], ids=lambda ch: f"U+{ord(ch):04X}")
def test_lone_surrogates_are_refused(ch: str) -> None:
    assert check(f"Dinas {ch}") == (None, [FieldError("f", SURROGATE)])


@pytest.mark.parametrize(
    "value", ["Sekolah Dasar Negeri 1 Cibiru — Kota Bandung", "Catatan 😀", "日本語", "é\u0301"]
)
def test_ordinary_unicode_is_kept(value: str) -> None:
    assert check(value) == (value, [])


def test_every_field_problem_is_reported_at_once() -> None:
    c = Checker()
    parse(c, "name", " ", bounded(MAX_TEXT))
    parse(c, "reason", "x\x00", bounded(MAX_TEXT))
    parse(c, "comment", "y" * 11, bounded(10))
    with pytest.raises(ValidationFailed) as err:
        c.done()
    assert err.value.errors == [
        FieldError("name", "required"),
        FieldError("reason", CONTROL),
        FieldError("comment", "at most 10 characters"),
    ]
    assert err.value.detail == f"name: required; reason: {CONTROL}; comment: at most 10 characters"


# Through the application: the command is refused with the field named, and nothing is stored.


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Dinas\x7fKesehatan", CONTROL),
        ("Dinas\x85Kesehatan", CONTROL),
        ("Dinas\x00Kesehatan", CONTROL),
        ("Dinas \ud800", SURROGATE),
        ("   ", "required"),
        ("D" * 201, "at most 200 characters"),
    ],
    ids=["DEL", "C1-NEL", "NUL", "surrogate", "blank", "too-long"],
)
def test_register_agency_refuses_bad_text(app: KinerjaLedger, name: str, reason: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        app.register_agency(HR, code="DINKES", name=name)
    assert err.value.errors == [FieldError("name", reason)]
    assert app.stream(Agency.create_id("DINKES")) == []


def test_register_agency_accepts_exactly_the_limit(app: KinerjaLedger) -> None:
    app.register_agency(HR, code="DINKES", name=" " + "D" * 198 + "é ")
    assert app.agency("DINKES").name == "D" * 198 + "é"


def test_an_optional_comment_is_checked_too(app: KinerjaLedger) -> None:
    seed_basic(app)
    with pytest.raises(ValidationFailed) as err:
        app.record_feedback(HR, NIP_BUDI, source="SUPERVISOR", score=3, comment="baik\x9b")
    assert err.value.errors == [FieldError("comment", CONTROL)]
    done = app.record_feedback(HR, NIP_BUDI, source="SUPERVISOR", score=3, comment="   ")
    assert done.extra["feedback_id"] == done.event_id
    assert app.employee(NIP_BUDI).version == 2

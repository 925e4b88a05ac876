"""The ledger's edge (ledger.boundary): raw input becomes typed values once, every problem at once.

Every command of KinerjaLedger goes through it; the command bodies then see typed values only.
"""

from __future__ import annotations

import inspect
from datetime import date
from decimal import Decimal
from typing import Any, get_type_hints

import pytest

from ledger.application import KinerjaLedger
from ledger.boundary import command, is_command, parse, typed_arguments
from ledger.domain.employee import Employee
from ledger.errors import FieldError, ValidationFailed
from ledger.nip import Nip
from ledger.period import Period
from ledger.validation import Checker
from ledger.values import CODE_REASON, Code, Decree, Description, EventId, Name, Score, Text, Violation
from ledger.vocabulary import DecidingRole, Level, PenaltyCode
from tests.factories import HR, NIP_BUDI, seed_basic

EVENT = "0b6f5c1e-4a9e-5d3c-9a57-0c7a2f1d3e4b:2"
COMMANDS = sorted(name for name, member in inspect.getmembers(KinerjaLedger) if is_command(member))


def test_every_command_of_the_ledger_is_marked_and_nothing_else() -> None:
    assert COMMANDS == [
        "add_program_participant",
        "assign_to_service_unit",
        "correct_appraisal",
        "decide_appeal",
        "end_leave",
        "end_service",
        "end_suspension",
        "file_appeal",
        "follow_up_comment",
        "give_behaviour_feedback",
        "grant_award",
        "hold_dialogue",
        "impose_sanction",
        "launch_program",
        "plan_skp",
        "rate_agency",
        "record_appraisal",
        "record_feedback",
        "record_program_outcome",
        "record_training",
        "register_agency",
        "register_employee",
        "register_service_unit",
        "report_realisation",
        "review_survey_burst",
        "revise_skp",
        "revoke_award",
        "revoke_sanction",
        "start_leave",
        "submit_complaint",
        "submit_survey",
        "suspend_employee",
        "transfer_employee",
        "update_complaint",
    ]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_keyword_of_every_command_has_a_parser(name: str) -> None:
    # A declared type without a parser would be a TypeError (a 500) on the first real call; an
    # object of no known kind is refused by each parser, once, under the keyword's own name.
    method = inspect.unwrap(getattr(KinerjaLedger, name))
    hints = get_type_hints(method, include_extras=True)
    for p in inspect.signature(method).parameters.values():
        if p.kind is inspect.Parameter.KEYWORD_ONLY:
            c = Checker()
            parse(c, p.name, object(), hints[p.name])
            assert [e.field for e in c.errors] == [p.name]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_required_keyword_is_reported_missing(name: str) -> None:
    method = inspect.unwrap(getattr(KinerjaLedger, name))
    required = [
        p.name
        for p in inspect.signature(method).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is inspect.Parameter.empty
    ]
    if not required:
        assert typed_arguments(method, {}) == {}
        return
    with pytest.raises(ValidationFailed) as err:
        typed_arguments(method, {})
    assert err.value.errors == [FieldError(field, "required") for field in required]


def test_a_command_without_required_keywords_accepts_an_empty_call() -> None:
    assert typed_arguments(
        inspect.unwrap(KinerjaLedger.revoke_award), {"reason": "r", "decree_number": "d"}
    ) == {
        "reason": "r",
        "decree_number": "d",
    }


def test_raw_values_become_their_types() -> None:
    out = typed_arguments(
        inspect.unwrap(KinerjaLedger.impose_sanction),
        {
            "violation": {"description": " mangkir ", "level": "BERAT", "absence_days": 28},
            "penalty": "PEMBEBASAN_JABATAN",
            "decided_by_role": "PPK",
            "decree_number": "800/1",
            "decided_on": "2024-03-01",
            "decided_by_nip": NIP_BUDI,
            "summoned_on": "2024-02-01",
            "evidence": [EVENT],
        },
    )
    assert out == {
        "violation": Violation(Description("mangkir"), Level.BERAT, absence_days=28),  # type: ignore[arg-type]
        "penalty": PenaltyCode.PEMBEBASAN_JABATAN,
        "decided_by_role": DecidingRole.PPK,
        "decree_number": "800/1",
        "decided_on": date(2024, 3, 1),
        "decided_by_nip": Nip(NIP_BUDI, date(1985, 3, 15), date(2010, 1, 1), 1, "002"),
        "summoned_on": [date(2024, 2, 1)],  # one date where a list is expected: a list of one
        "evidence": [EVENT],
    }
    assert type(out["decree_number"]) is Decree
    assert type(out["violation"].description) is Description
    assert [type(e) for e in out["evidence"]] == [EventId]


def test_typed_values_pass_as_they_are() -> None:
    code, name = Code("DINKES"), Name("Dinas Kesehatan")
    out = typed_arguments(inspect.unwrap(KinerjaLedger.register_agency), {"code": code, "name": name})
    assert out["code"] is code and out["name"] is name


def test_every_problem_is_reported_at_once_in_signature_order_then_unknown_fields() -> None:
    with pytest.raises(ValidationFailed) as err:
        typed_arguments(
            inspect.unwrap(KinerjaLedger.impose_sanction),
            {
                "zeta": 1,
                "violation": {"description": " ", "level": "FATAL", "absence_days": 400, "extra": 1},
                "other_violations": [{"description": "x", "level": "RINGAN"}, "not an object"],
                "penalty": "CAMBUK",
                "decided_by_role": "PPK",
                "decree_number": "800/1",
                "decided_on": "2024-02-30",
                "decided_by_nip": "12345",
                "evidence": "not a list",
                "alpha": 2,
            },
        )
    assert err.value.errors == [
        FieldError("violation.description", "required"),
        FieldError("violation.level", "must be one of RINGAN, SEDANG, BERAT"),
        FieldError("violation.absence_days", "must be between 0 and 366"),
        FieldError("violation.extra", "unknown field"),
        FieldError("penalty", "must be one of " + ", ".join(p.value for p in PenaltyCode)),
        FieldError("decided_on", "impossible date: day is out of range for month"),
        FieldError(
            "other_violations[1]",
            "must be an object {description, level, absence_days?, consecutive_absence_days?}",
        ),
        FieldError("decided_by_nip", "NIP must be exactly 18 digits"),
        FieldError("evidence", "a list of at most 100 event ids"),
        FieldError("alpha", "unknown field"),
        FieldError("zeta", "unknown field"),
    ]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("evidence", [EVENT] * 101, "a list of at most 100 event ids"),
        ("other_violations", [{"description": "x", "level": "RINGAN"}] * 21, "at most 20"),
        ("summoned_on", ["2024-01-01"] * 11, "at most 10"),
    ],
)
def test_list_bounds(field: str, value: list[Any], reason: str) -> None:
    method = inspect.unwrap(KinerjaLedger.impose_sanction)
    raw = {"violation": {"description": "x", "level": "RINGAN"}, "penalty": "TEGURAN_LISAN",
           "decided_by_role": "PPK", "decree_number": "1", "decided_on": "2024-01-01"}  # fmt: skip
    with pytest.raises(ValidationFailed) as err:
        typed_arguments(method, {**raw, field: value})
    assert err.value.errors == [FieldError(field, reason)]
    assert len(typed_arguments(method, {**raw, field: value[:-1]})[field]) == len(value) - 1


@pytest.mark.parametrize(
    ("kind", "value", "expected", "problems"),
    [
        (Text | None, "   ", None, []),  # optional free text left blank is absent
        (Text, "   ", None, [FieldError("f", "required")]),
        (Code | None, None, None, []),
        (Code, None, None, [FieldError("f", CODE_REASON)]),
        (Score, True, None, [FieldError("f", "must be an integer")]),
        (Score, 5, None, [FieldError("f", "must be between 1 and 4")]),
        (int, True, None, [FieldError("f", "must be an integer")]),
        (int, 2024, 2024, []),
        (Decimal, 0.1, Decimal("0.1"), []),
        (Decimal, "NaN", None, [FieldError("f", "must be a finite number")]),
        (Decimal, [1], None, [FieldError("f", "must be a number")]),
        (date, 20240101, None, [FieldError("f", "must be a date YYYY-MM-DD")]),
        (date, None, None, [FieldError("f", "required")]),
        (Period, 2024, None, [FieldError("f", "must be a string")]),
        (dict[str, Any], [1], None, [FieldError("f", "must be an object")]),
        (str, 5, None, [FieldError("f", "must be a string")]),
    ],
)
def test_scalars(kind: Any, value: object, expected: object, problems: list[FieldError]) -> None:
    c = Checker()
    assert parse(c, "f", value, kind) == expected
    assert c.errors == problems


def test_period_parses() -> None:
    assert parse(Checker(), "f", "2024-01..2024-06", Period) == Period("2024-01..2024-06", 2024, 1, 6)


def test_a_type_without_a_parser_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match=r"^no parser for <class 'float'> \(field f\)$"):
        parse(Checker(), "f", "1.0", float)


def test_the_marked_command_parses_before_it_runs() -> None:
    seen: list[dict[str, Any]] = []

    class Probe:
        @command
        def act(self, ctx: object, *, score: Score, note: Text | None = None) -> None:
            seen.append({"score": score, "note": note})

    with pytest.raises(ValidationFailed):
        Probe().act(None, score=9)
    assert seen == []  # refused before the body runs
    Probe().act(None, score=3, note=" ok ")
    assert seen == [{"score": 3, "note": "ok"}]
    assert type(seen[0]["score"]) is Score


def test_a_refused_command_writes_nothing(app: KinerjaLedger) -> None:
    seed_basic(app)
    before = app.employee(NIP_BUDI).version
    with pytest.raises(ValidationFailed) as err:
        app.record_training(HR, NIP_BUDI, title="", hours_jp="x", completed_on="2024-13-01", provider="P")
    assert err.value.errors == [
        FieldError("title", "required"),
        FieldError("hours_jp", "must be a number"),
        FieldError("completed_on", "impossible date: month must be in 1..12"),
    ]
    assert app.employee(NIP_BUDI).version == before
    assert isinstance(app.employee(NIP_BUDI), Employee)

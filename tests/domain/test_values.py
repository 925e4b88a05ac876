"""Values are matched whole, in ASCII: a trailing newline or another script's digits would make a
second stream for the same NIP, code or period."""

from __future__ import annotations

import pytest

from ledger.period import parse_period
from ledger.validation import Checker

EVENT = "0b6f5c1e-4a9e-5d3c-9a57-0c7a2f1d3e4b:2"


@pytest.mark.parametrize("text", ["2025\n", "٢٠٢٥", "2025-01..2025-03\n"])
def test_a_period_is_matched_whole_in_ascii_digits(text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(text)


def test_the_same_periods_without_the_newline_parse() -> None:
    assert [parse_period(t).text for t in ("2025", "2025-01..2025-03")] == ["2025", "2025-01..2025-03"]


@pytest.mark.parametrize(
    ("check", "value", "reason"),
    [
        (
            "code",
            "DINKES\n",
            "must be 2-32 characters of A-Z, 0-9, '_' or '-', starting with a letter or digit",
        ),
        ("event_id", EVENT + "\n", "must be an event id '<uuid>:<version>'"),
        ("event_id", EVENT[:-1] + "٢", "must be an event id '<uuid>:<version>'"),
    ],
)
def test_codes_and_event_ids_are_matched_whole(check: str, value: str, reason: str) -> None:
    c = Checker()
    assert getattr(c, check)("field", value) is None
    assert [(e.field, e.reason) for e in c.errors] == [("field", reason)]
    clean = Checker()
    assert getattr(clean, check)("field", value.strip()[:-1] + "2" if check == "event_id" else value.strip())
    assert clean.errors == []

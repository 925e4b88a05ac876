"""Values are matched whole, in ASCII: a trailing newline or another script's digits would make a
second stream for the same NIP, code or period."""

from __future__ import annotations

import pytest

from ledger.boundary import parse
from ledger.period import parse_period
from ledger.validation import Checker
from ledger.values import Code, EventId

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
            Code,
            "DINKES\n",
            "must be 2-32 characters of A-Z, 0-9, '_' or '-', starting with a letter or digit",
        ),
        (EventId, EVENT + "\n", "must be an event id '<uuid>:<version>'"),
        (EventId, EVENT[:-1] + "٢", "must be an event id '<uuid>:<version>'"),
    ],
)
def test_codes_and_event_ids_are_matched_whole(check: type[str], value: str, reason: str) -> None:
    c = Checker()
    assert parse(c, "field", value, check) is None
    assert [(e.field, e.reason) for e in c.errors] == [("field", reason)]
    clean = Checker()
    assert parse(clean, "field", value.strip()[:-1] + "2" if check is EventId else value.strip(), check)
    assert clean.errors == []

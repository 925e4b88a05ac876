"""Values are matched whole, in ASCII: a trailing newline or another script's digits would make a
second stream for the same NIP, code or period."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ledger.boundary import parse
from ledger.decimals import plain
from ledger.domain.employee import Employee
from ledger.errors import FieldError
from ledger.nip import parse_nip
from ledger.period import parse_period
from ledger.validation import Checker
from ledger.values import (
    Amount,
    Code,
    EventId,
    decision_date_problems,
    effective_date_problems,
    latest_effective,
)

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


@pytest.mark.parametrize(
    ("today", "latest"),
    [
        (date(2026, 3, 2), date(2027, 3, 2)),
        (date(2028, 2, 29), date(2029, 2, 28)),  # no 29 February next year
        (date(2026, 12, 31), date(2027, 12, 31)),
    ],
)
def test_an_effective_date_is_at_most_one_year_ahead(today: date, latest: date) -> None:
    assert latest_effective(today) == latest
    assert effective_date_problems("effective_date", latest, today) == []
    assert effective_date_problems("effective_date", latest + timedelta(days=1), today) == [
        FieldError("effective_date", f"at most one year after the recording date (on or before {latest})")
    ]


def test_a_decision_date_is_never_after_the_recording_day() -> None:
    today = date(2026, 3, 2)
    assert decision_date_problems("decided_on", today, today) == []
    assert decision_date_problems("decided_on", None, today) == []
    assert decision_date_problems("decided_on", date(2026, 3, 3), today) == [
        FieldError("decided_on", "in the future")
    ]


@pytest.mark.parametrize(
    ("value", "stored"),
    [(0, "0"), ("1e12", "1000000000000"), (1e12, "1000000000000.0"), ("0.0001", "0.0001"), (7.5, "7.5")],
)
def test_amounts_at_their_bounds(value: object, stored: str) -> None:
    assert plain(Amount(value)) == stored


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1e30", "must be between 0 and 1000000000000"),
        (10**12 + 1, "must be between 0 and 1000000000000"),
        ("-0.0001", "must be between 0 and 1000000000000"),
        ("0.00001", "at most 4 decimal places"),
        ("1.50000", "at most 4 decimal places"),
        ("NaN", "must be a finite number"),
        (True, "must be a number"),
    ],
)
def test_amounts_out_of_bounds(value: object, reason: str) -> None:
    with pytest.raises(ValueError) as err:
        Amount(value)
    assert str(err.value) == reason


def test_no_date_before_1950_even_when_typed() -> None:
    c = Checker()
    assert parse(c, "decided_on", date(1950, 1, 1), date) == date(1950, 1, 1)
    assert parse(c, "decided_on", date(1949, 12, 31), date) is None
    assert parse(c, "decided_on", "1949-12-31", date) is None
    assert c.errors == [FieldError("decided_on", "must be on or after 1950-01-01")] * 2


def test_an_employee_whose_tmt_is_before_1950_needs_a_service_start_date() -> None:
    nip = parse_nip("192901011949121001")  # TMT December 1949
    assert Employee.registration_problems(nip, None, date(2026, 3, 2)) == [
        FieldError("service_start_date", "required: the TMT month in the NIP is before 1950-01-01")
    ]
    assert Employee.registration_problems(nip, date(1950, 1, 1), date(2026, 3, 2)) == []


def test_an_employee_whose_tmt_is_more_than_a_year_ahead_is_refused() -> None:
    today = date(2026, 3, 2)
    assert Employee.registration_problems(parse_nip("200801012027031001"), None, today) == []
    assert Employee.registration_problems(parse_nip("200801012027041001"), None, today) == [
        FieldError("nip", "the TMT month is more than one year after the recording date")
    ]

"""Path, query and header parameters shared by the routers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Path, Query

from api.problems import ApiProblem
from ledger import values
from ledger.clock import parse_date, parse_rfc3339
from ledger.values import CODE_PATTERN, EVENT_ID_EXAMPLE, EVENT_ID_PATTERN, NIP_EXAMPLE, NIP_PATTERN

NipPath = Annotated[
    str,
    Path(
        pattern=NIP_PATTERN,
        description="18-digit NIP (or NI PPPK)",
        openapi_examples={"budi": {"value": NIP_EXAMPLE}},
    ),
]
CodePath = Annotated[
    str,
    Path(
        pattern=CODE_PATTERN,
        description="agency, unit or program code",
        openapi_examples={"dinkes": {"value": "DINKES"}},
    ),
]
EventIdPath = Annotated[
    str,
    Path(
        pattern=EVENT_ID_PATTERN,
        description="an event id `<originator_id>:<version>`",
        openapi_examples={"example": {"value": EVENT_ID_EXAMPLE}},
    ),
]
AsOfQuery = Annotated[
    str | None,
    Query(
        description="RFC 3339 timestamp with an offset: the events recorded at or before it "
        "(what the ledger knew then)",
        json_schema_extra={"format": "date-time"},
        max_length=64,
    ),
]
EffectiveOnQuery = Annotated[
    str | None,
    Query(
        description="YYYY-MM-DD: the events that had taken effect on that day, whenever recorded",
        json_schema_extra={"format": "date"},
        max_length=10,
    ),
]
YearQuery = Annotated[
    int | None, Query(ge=values.FIRST_YEAR, le=values.LAST_YEAR, description="calendar year (WIB)")
]


def parse_as_of(value: str) -> datetime:
    try:
        return parse_rfc3339(value)
    except ValueError as exc:
        raise ApiProblem.invalid("as_of", f"{exc} (e.g. 2026-03-02T09:00:00+07:00)") from None


def parse_day(value: str, field: str) -> date:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise ApiProblem.invalid(field, str(exc)) from None


def parse_effective_on(value: str) -> date:
    return parse_day(value, "effective_on")

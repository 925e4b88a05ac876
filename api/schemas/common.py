"""Shared field types and bases of the request and response models.

Requests are strict where JSON is ambiguous (no "3" for 3, no 3 for "3"), refuse unknown fields,
and publish the ledger's own bounds (ledger.values), so the schema says what the server accepts.
Checks that need the store (unknown references, dates before a service start) stay in the
ledger and answer 422 with the same `errors` shape."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, StrictStr

from ledger import values
from ledger.clock import parse_date


def _check_date(value: str) -> str:
    values.bounded_date(parse_date(value))  # ValueError -> 422 naming the field
    return value


# Every date: YYYY-MM-DD from FIRST_DATE on (`formatMinimum` publishes the bound). The upper
# bounds depend on the recording day, which only the ledger knows: they are in the description.
DateStr = Annotated[
    StrictStr,
    Field(
        json_schema_extra={"format": "date", "formatMinimum": values.FIRST_DATE.isoformat()},
        examples=["2026-01-31"],
    ),
    AfterValidator(_check_date),
]

# A decision or completion date (decided_on, decree_date, completed_on, filed_on, ...).
PastDate = Annotated[
    DateStr,
    Field(description=f"from {values.FIRST_DATE.isoformat()}; never after today (WIB)"),
]

# The day a recorded fact takes effect.
EffectiveDate = Annotated[
    DateStr,
    Field(
        description=f"from {values.FIRST_DATE.isoformat()}; at most one year after the recording date (WIB)"
    ),
]


Nip = Annotated[StrictStr, Field(pattern=values.NIP_PATTERN, examples=[values.NIP_EXAMPLE])]


Code = Annotated[StrictStr, Field(pattern=values.CODE_PATTERN, examples=["DINKES"])]


EventId = Annotated[StrictStr, Field(pattern=values.EVENT_ID_PATTERN, examples=[values.EVENT_ID_EXAMPLE])]


Text = Annotated[StrictStr, Field(min_length=1, max_length=values.TEXT_MAX)]


Name = Annotated[StrictStr, Field(min_length=1, max_length=values.NAME_MAX)]


Decree = Annotated[StrictStr, Field(min_length=1, max_length=values.DECREE_MAX)]


Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]

# A programme's target or outcome (ledger.values.Amount).
Amount = Annotated[
    Number,
    Field(
        ge=0,
        le=values.AMOUNT_MAX,
        multiple_of=10**-values.AMOUNT_PLACES,
        description=f"0 to 10^12, at most {values.AMOUNT_PLACES} decimal places",
    ),
]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def command_fields(self) -> dict[str, Any]:
        """The keyword arguments of the ledger command this request asks for: typed values (enum
        members, not their names), which the ledger's checks take as they are."""
        return self.model_dump()


class Accepted(BaseModel):
    """201 answer of every command."""

    event_id: str = Field(description="`<originator_id>:<originator_version>` of the event")
    position: int = Field(description="global position (notification id) of the event")
    version: int = Field(description="the record's version after the command (also the ETag)")


class CodeAccepted(Accepted):
    code: str


class ReadModel(BaseModel):
    model_config = ConfigDict(extra="allow")

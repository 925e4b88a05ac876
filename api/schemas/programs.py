"""Inter-agency programmes: participants, outcomes and their views."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictStr

from api.pagination import Paged
from api.schemas.common import Accepted, Amount, Code, Nip, ReadModel, Request
from ledger import values


class ProgramIn(Request):
    code: Code
    name: Annotated[StrictStr, Field(min_length=1, max_length=values.TITLE_MAX)]
    agencies: Annotated[list[Code], Field(min_length=2, max_length=values.MAX_PROGRAM_AGENCIES)]


class ParticipantIn(Request):
    nip: Nip
    role: Annotated[StrictStr, Field(min_length=1, max_length=values.ROLE_MAX)]


class OutcomeIn(Request):
    indicator: Annotated[StrictStr, Field(min_length=1, max_length=values.TITLE_MAX)]
    target: Amount
    achieved: Amount
    period: Annotated[StrictStr, Field(pattern=values.PERIOD_PATTERN, examples=["2026"])]


class OutcomeAccepted(Accepted):
    outcome_id: str


class ProgramSummary(ReadModel):
    code: str
    name: str
    launched_on: str
    agencies: int = Field(description="number of participating agencies")
    participants: int
    outcomes: int
    participating_agencies: list[str]


class ProgramList(ReadModel, Paged):
    items: list[ProgramSummary]


class ProgramParticipantView(ReadModel):
    nip: str
    name: str
    agency: str
    role: str
    joined_on: str
    event_id: str


class ProgramOutcomeView(ReadModel):
    event_id: str
    indicator: str
    target: str
    achieved: str
    achievement_pct: str | None
    period: str


class ProgramView(ProgramSummary):
    participants_list: list[ProgramParticipantView]
    outcomes_list: list[ProgramOutcomeView]

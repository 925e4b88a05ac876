"""Training records (JP) and the compliance register."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictStr

from api.pagination import Paged
from api.schemas.common import Accepted, Name, Number, PastDate, ReadModel, Request
from ledger import values


class TrainingIn(Request):
    title: Annotated[StrictStr, Field(min_length=1, max_length=values.TITLE_MAX)]
    hours_jp: Annotated[Number, Field(ge=0.5, le=1000, description="JP (1 JP = 45 minutes)")]
    completed_on: PastDate
    provider: Name


class TrainingAccepted(Accepted):
    training_id: str


class AgencyTraining(ReadModel):
    agency: str
    name: str
    employees: int = Field(description="in service on 31 December, PNS and PPPK")
    pns: int
    compliant: int = Field(description="PNS at or above the yearly JP minimum")
    non_compliant: int = Field(description="PNS below it")
    rate_pct: str | None = Field(description="compliant share of the PNS")
    pppk: int = Field(description="PPPK, reported apart: never counted as non-compliant")
    jp_total: str


class EmployeeTraining(ReadModel):
    nip: str
    name: str
    employment_type: str
    jp: str
    compliant: bool | None = Field(description="null for a PPPK: the yearly minimum binds PNS")


class TrainingCompliance(ReadModel, Paged):
    year: int
    minimum_jp: int | None
    note: str
    agencies: list[AgencyTraining]
    employees: list[EmployeeTraining] | None = Field(description="per person, when `agency` is given")

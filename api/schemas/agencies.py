"""Agencies (OPD) and their service units: commands, records and the agency summary."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StrictInt

from api.schemas.common import Code, Name, ReadModel, Request
from ledger import values
from ledger.vocabulary import PredikatOrganisasi


class AgencyIn(Request):
    code: Code
    name: Name


class AgencyRatingIn(Request):
    year: Annotated[StrictInt, Field(ge=values.FIRST_YEAR, le=values.LAST_YEAR)]
    predikat_organisasi: PredikatOrganisasi


class ServiceUnitIn(Request):
    code: Code
    name: Name
    agency: Code


class AgencyRecord(BaseModel):
    code: str
    name: str
    version: int
    ratings: dict[str, str] = Field(description="predikat organisasi per year")


class UnitSummary(ReadModel):
    service_unit: str
    year: int
    agency: str
    name: str
    respondents: int
    named_officer: int
    ikm: str | None
    converted: str | None
    mutu: str | None
    kinerja: str | None
    nrr: dict[str, Any]
    rule_version: str | None


class AgencySummary(ReadModel):
    agency: str
    year: int
    name: str
    predikat_organisasi: str | None
    employees: int
    appraised: int
    distribution: dict[str, Any] = Field(description="predikat -> number of employees")
    curve_rule_version: str | None
    curve_warnings: list[Any] = Field(
        description="predikat curve guidance not met (a warning, never a block)"
    )
    training_minimum_jp: int | None
    training_compliant: int
    training_non_compliant: int
    training_rate: str | None
    training_jp_total: str
    ikm_respondents: int
    ikm: str | None
    ikm_converted: str | None
    mutu: str | None
    awards_granted: int
    awards_revoked: int
    awards_ineligible: int
    sanctions_total: int
    sanctions_by_level: dict[str, Any]
    sanctions_annulled: int
    sanctions_revoked: int
    sanctions_modified: int
    units: list[UnitSummary]

"""Registers and lists over the read models: rankings, awards, training compliance, sanctions
with the inspectorate's verdicts. They name employees, so each read goes to the access log of
every employee it lists."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from api.access_log import PersonalReadRoute, read_subjects
from api.auth import SANCTION_READERS, STAFF_READERS, Principal
from api.dependencies import get_ledger, require
from api.openapi import LIST, READ
from api.routers.params import EventIdPath, parse_day
from api.schemas.awards import AwardRegister, SatyalancanaRegister
from api.schemas.discipline import SanctionRegister, SanctionVerification
from api.schemas.public import SurveyBursts
from api.schemas.scores import Rankings
from api.schemas.training import TrainingCompliance
from ledger.values import CODE_PATTERN
from projections import queries
from projections.discipline.verdicts import sanction_verification, verdict_register

router = APIRouter(prefix="/v1", tags=["registers"], route_class=PersonalReadRoute)

Reader = Annotated[Principal, require(STAFF_READERS, "read registers")]
SanctionReader = Annotated[Principal, require(SANCTION_READERS, "read the sanction register")]
RequiredYear = Annotated[int, Query(ge=1950, le=2100, description="calendar year (WIB)")]
OptionalYear = Annotated[int | None, Query(ge=1950, le=2100, description="calendar year (WIB)")]
AgencyQuery = Annotated[str | None, Query(pattern=CODE_PATTERN, description="agency code")]
OnQuery = Annotated[
    str | None,
    Query(
        description="YYYY-MM-DD: the day each sanction's status is given for (default: today, WIB)",
        json_schema_extra={"format": "date"},
        max_length=10,
    ),
]


def _day(request: Request, on: str | None) -> date:
    return get_ledger(request).today() if on is None else parse_day(on, "on")


@router.get("/rankings", response_model=Rankings, responses=LIST)
def rankings(
    request: Request,
    principal: Reader,
    year: RequiredYear,
    agency: AgencyQuery = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Rankings:
    """Employees by yearly score (competition ranking), city-wide or in one agency."""
    result = Rankings.model_validate(queries.rankings(get_ledger(request), year, agency, limit, offset))
    read_subjects(request, (item.nip for item in result.items))
    return result


@router.get("/awards", response_model=AwardRegister, responses=LIST)
def awards(
    request: Request, principal: Reader, year: OptionalYear = None, agency: AgencyQuery = None
) -> AwardRegister:
    """The award register: every award as issued, eligibility flags, revocations."""
    items = queries.award_register(get_ledger(request), year=year, agency=agency)
    result = AwardRegister.model_validate({"year": year, "agency": agency, "items": items})
    read_subjects(request, (item.nip for item in result.items))
    return result


BurstStatus = Annotated[
    Literal["PENDING_REVIEW", "COUNT", "EXCLUDE"] | None, Query(description="only bursts with this status")
]


@router.get("/survey-bursts", response_model=SurveyBursts, responses=LIST)
def survey_bursts(
    request: Request, principal: Reader, year: RequiredYear, status: BurstStatus = None
) -> SurveyBursts:
    """Bursts of citizen surveys naming one officer (more than the rule allows within its window):
    held out of the officer's score until HR reviews them."""
    items = queries.survey_bursts(get_ledger(request), year, status)
    result = SurveyBursts.model_validate({"year": year, "status": status, "items": items})
    read_subjects(request, (item.nip for item in result.items))
    return result


@router.get("/registers/satyalancana", response_model=SatyalancanaRegister, responses=LIST)
def satyalancana(
    request: Request,
    principal: Reader,
    year: RequiredYear,
    agency: AgencyQuery = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> SatyalancanaRegister:
    """Satyalancana Karya Satya candidates: the PNS who reach 10, 20 or 30 years of counted
    service in the year, the day they reach it, whether the award would be eligible that day
    (each reason with the events it rests on) and whether it was already granted."""
    found = queries.satyalancana_register(get_ledger(request), year, agency, limit, offset)
    result = SatyalancanaRegister.model_validate(found)
    read_subjects(request, (item.nip for item in result.items))
    return result


@router.get("/training/compliance", response_model=TrainingCompliance, responses=LIST)
def training_compliance(
    request: Request, principal: Reader, year: RequiredYear, agency: AgencyQuery = None
) -> TrainingCompliance:
    """Training (JP) against the yearly minimum per agency; with `agency`, per employee."""
    result = TrainingCompliance.model_validate(queries.training_compliance(get_ledger(request), year, agency))
    read_subjects(request, (e.nip for e in result.employees or []))
    return result


@router.get("/sanctions", response_model=SanctionRegister, responses=LIST)
def sanctions(
    request: Request,
    principal: SanctionReader,
    verdict: Annotated[Literal["CONSISTENT", "INCONSISTENT"] | None, Query()] = None,
    agency: AgencyQuery = None,
    on: OnQuery = None,
) -> SanctionRegister:
    """Every disciplinary decision with the inspectorate's verdict and all its checks."""
    day = _day(request, on)
    items = verdict_register(get_ledger(request), verdict=verdict, agency=agency, on=day)
    result = SanctionRegister.model_validate(
        {"verdict": verdict, "agency": agency, "on": day.isoformat(), "items": items}
    )
    read_subjects(request, (item.nip for item in result.items))
    return result


@router.get("/sanctions/{id}/verification", response_model=SanctionVerification, responses=READ)
def verification(
    request: Request,
    principal: SanctionReader,
    id: EventIdPath,
    on: OnQuery = None,
) -> SanctionVerification:
    """One decision checked against the evidence and the rules in force when it was made."""
    day = _day(request, on)
    result = SanctionVerification.model_validate(sanction_verification(get_ledger(request), id, on=day))
    read_subjects(request, [result.nip])
    return result

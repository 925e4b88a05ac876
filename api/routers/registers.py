"""Registers and lists over the read models: rankings, awards, training compliance, sanctions
with the inspectorate's verdicts. They name employees, so each read goes to the access log of
every employee it lists."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.access_log import PersonalReadRoute, read_subjects
from api.auth import SANCTION_READERS, STAFF_READERS, Principal
from api.dependencies import get_ledger, require
from api.exports import LIST_EXPORTS, FormatQuery, exported
from api.openapi import READ
from api.pagination import DEFAULT_LIMIT, AfterQuery, Cursor, LimitQuery
from api.routers.params import EventIdPath, parse_day
from api.schemas.awards import AwardRegister, SatyalancanaRegister
from api.schemas.discipline import SanctionRegister, SanctionVerification
from api.schemas.public import SurveyBursts
from api.schemas.scores import Rankings
from api.schemas.skp import AppraisalRegister, AppraisalVerification
from api.schemas.training import TrainingCompliance
from ledger.values import CODE_PATTERN
from projections import queries
from projections.appraisal_basis import appraisal_register, appraisal_verification
from projections.discipline.verdicts import sanction_verification, verdict_register
from projections.paging import page_of

router = APIRouter(prefix="/v1", tags=["registers"], route_class=PersonalReadRoute)

Reader = Annotated[Principal, require(STAFF_READERS, "read registers")]
SanctionReader = Annotated[Principal, require(SANCTION_READERS, "read the sanction register")]
AppraisalReader = Annotated[Principal, require(SANCTION_READERS, "read the appraisal register")]
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


@router.get("/rankings", response_model=Rankings, responses=LIST_EXPORTS)
def rankings(
    request: Request,
    principal: Reader,
    year: RequiredYear,
    agency: AgencyQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    after: AfterQuery = None,
    fmt: FormatQuery = None,
) -> Rankings | Response:
    """Employees by yearly score (competition ranking), city-wide or in one agency; pages in
    ranking order (rank, then NIP); `total` counts the whole ranking."""
    cursor = Cursor("rankings", {"year": year, "agency": agency}, (int, str))
    found, page = queries.rankings_page(
        get_ledger(request), year, agency, limit=limit, after=cursor.decode(after)
    )
    result = Rankings.model_validate({**found, "items": page.items, "next": cursor.next(page)})
    read_subjects(request, (item.nip for item in result.items))
    return exported(request, result, "items", "rankings", fmt)


@router.get("/awards", response_model=AwardRegister, responses=LIST_EXPORTS)
def awards(
    request: Request,
    principal: Reader,
    year: OptionalYear = None,
    agency: AgencyQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    after: AfterQuery = None,
    fmt: FormatQuery = None,
) -> AwardRegister | Response:
    """The award register: every award as issued, eligibility flags, revocations; by decree
    date (undated first), then award id."""
    cursor = Cursor("awards", {"year": year, "agency": agency}, (str, str))
    items = queries.award_register(get_ledger(request), year=year, agency=agency)
    page = page_of(items, lambda i: (i["decree_date"] or "", i["award_id"]), limit, cursor.decode(after))
    result = AwardRegister.model_validate(
        {"year": year, "agency": agency, "items": page.items, "next": cursor.next(page)}
    )
    read_subjects(request, (item.nip for item in result.items))
    return exported(request, result, "items", "awards", fmt)


BurstStatus = Annotated[
    Literal["PENDING_REVIEW", "COUNT", "EXCLUDE"] | None, Query(description="only bursts with this status")
]


@router.get("/survey-bursts", response_model=SurveyBursts, responses=LIST_EXPORTS)
def survey_bursts(
    request: Request,
    principal: Reader,
    year: RequiredYear,
    status: BurstStatus = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    after: AfterQuery = None,
    fmt: FormatQuery = None,
) -> SurveyBursts | Response:
    """Bursts of citizen surveys naming one officer (more than the rule allows within its window):
    held out of the officer's score until HR reviews them. By officer NIP, then first survey."""
    cursor = Cursor("survey-bursts", {"year": year, "status": status}, (str, str, str))
    items = queries.survey_bursts(get_ledger(request), year, status)
    page = page_of(items, lambda i: (i["nip"], i["first_at"], i["burst_id"]), limit, cursor.decode(after))
    result = SurveyBursts.model_validate(
        {"year": year, "status": status, "items": page.items, "next": cursor.next(page)}
    )
    read_subjects(request, (item.nip for item in result.items))
    return exported(request, result, "items", "survey-bursts", fmt)


@router.get("/registers/satyalancana", response_model=SatyalancanaRegister, responses=LIST_EXPORTS)
def satyalancana(
    request: Request,
    principal: Reader,
    year: RequiredYear,
    agency: AgencyQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    after: AfterQuery = None,
    fmt: FormatQuery = None,
) -> SatyalancanaRegister | Response:
    """Satyalancana Karya Satya candidates: the PNS who reach 10, 20 or 30 years of counted
    service in the year, the day they reach it, whether the award would be eligible that day
    (each reason with the events it rests on) and whether it was already granted. By day
    reached, then NIP; `total` counts every candidate."""
    cursor = Cursor("satyalancana", {"year": year, "agency": agency}, (str, str, int))
    found = queries.satyalancana_register(get_ledger(request), year, agency, limit, cursor.decode(after))
    next_key = found.pop("next_key")
    result = SatyalancanaRegister.model_validate(
        {**found, "next": None if next_key is None else cursor.encode(next_key)}
    )
    read_subjects(request, (item.nip for item in result.items))
    return exported(request, result, "items", "satyalancana", fmt)


@router.get("/training/compliance", response_model=TrainingCompliance, responses=LIST_EXPORTS)
def training_compliance(
    request: Request,
    principal: Reader,
    year: RequiredYear,
    agency: AgencyQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    after: AfterQuery = None,
    fmt: FormatQuery = None,
) -> TrainingCompliance | Response:
    """Training (JP) against the yearly minimum per agency; with `agency`, per employee, paged
    by NIP (the agency rows are that list's header, never paged)."""
    cursor = Cursor("training-compliance", {"year": year, "agency": agency}, (str,))
    key = cursor.decode(after)
    found = queries.training_compliance(get_ledger(request), year, agency)
    next_cursor = None
    if found["employees"] is not None:
        page = page_of(found["employees"], lambda e: (e["nip"],), limit, key)
        found["employees"], next_cursor = page.items, cursor.next(page)
    result = TrainingCompliance.model_validate({**found, "next": next_cursor})
    read_subjects(request, (e.nip for e in result.employees or []))
    return exported(request, result, "employees" if agency else "agencies", "training-compliance", fmt)


@router.get("/sanctions", response_model=SanctionRegister, responses=LIST_EXPORTS)
def sanctions(
    request: Request,
    principal: SanctionReader,
    verdict: Annotated[Literal["CONSISTENT", "INCONSISTENT"] | None, Query()] = None,
    agency: AgencyQuery = None,
    on: OnQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    after: AfterQuery = None,
    fmt: FormatQuery = None,
) -> SanctionRegister | Response:
    """Every disciplinary decision with the inspectorate's verdict and all its checks; by
    decision date, then sanction id."""
    day = _day(request, on)
    cursor = Cursor("sanctions", {"verdict": verdict, "agency": agency, "on": day.isoformat()}, (str, str))
    items = verdict_register(get_ledger(request), verdict=verdict, agency=agency, on=day)
    page = page_of(items, lambda i: (i["decided_on"], i["sanction_id"]), limit, cursor.decode(after))
    result = SanctionRegister.model_validate(
        {
            "verdict": verdict,
            "agency": agency,
            "on": day.isoformat(),
            "items": page.items,
            "next": cursor.next(page),
        }
    )
    read_subjects(request, (item.nip for item in result.items))
    return exported(request, result, "items", "sanctions", fmt)


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


@router.get("/appraisals", response_model=AppraisalRegister, responses=LIST_EXPORTS)
def appraisals(
    request: Request,
    principal: AppraisalReader,
    year: RequiredYear,
    verdict: Annotated[Literal["CONSISTENT", "INCONSISTENT"] | None, Query()] = None,
    agency: AgencyQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    after: AfterQuery = None,
    fmt: FormatQuery = None,
) -> AppraisalRegister | Response:
    """Every annual appraisal of the year with the inspectorate's `basis` check: an approved SKP
    plan for the year and a realisation within it, recorded before the appraisal; by NIP, then
    appraisal id."""
    cursor = Cursor("appraisals", {"year": year, "verdict": verdict, "agency": agency}, (str, str))
    items = appraisal_register(get_ledger(request), year=year, verdict=verdict, agency=agency)
    page = page_of(items, lambda i: (i["nip"], i["appraisal_id"]), limit, cursor.decode(after))
    result = AppraisalRegister.model_validate(
        {"year": year, "verdict": verdict, "agency": agency, "items": page.items, "next": cursor.next(page)}
    )
    read_subjects(request, (item.nip for item in result.items))
    return exported(request, result, "items", "appraisals", fmt)


@router.get("/appraisals/{id}/verification", response_model=AppraisalVerification, responses=READ)
def appraisal_basis(request: Request, principal: AppraisalReader, id: EventIdPath) -> AppraisalVerification:
    """One annual appraisal's `basis` check and verdict."""
    result = AppraisalVerification.model_validate(appraisal_verification(get_ledger(request), id))
    read_subjects(request, [result.nip])
    return result

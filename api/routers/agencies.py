"""/v1/agencies and /v1/service-units: registration, yearly rating, current state."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.auth import STAFF_READERS, WRITERS, Principal
from api.commands import run_command
from api.dependencies import CreateHeaders, Headers, get_ledger, require
from api.openapi import COMMAND, CREATE, READ
from api.routers.params import CodePath, YearQuery
from api.schemas.agencies import AgencyIn, AgencyRatingIn, AgencyRecord, AgencySummary, ServiceUnitIn
from api.schemas.common import Accepted, CodeAccepted
from api.schemas.skp import AgencySkp
from ledger.application import KinerjaLedger
from ledger.errors import NotFound
from projections import queries
from projections.skp_progress import agency_progress

router = APIRouter(prefix="/v1", tags=["agencies and service units"])

Writer = Annotated[Principal, require(WRITERS, "register agencies or service units")]
Reader = Annotated[Principal, require(STAFF_READERS, "read agency records")]


@router.post("/agencies", status_code=201, response_model=CodeAccepted, responses=CREATE)
def register_agency(
    request: Request, body: AgencyIn, principal: Writer, headers: CreateHeaders
) -> JSONResponse:
    """Register an OPD (HR). Employees can only be registered into a registered agency."""
    return run_command(
        request,
        principal,
        body,
        KinerjaLedger.register_agency,
        CodeAccepted,
        headers=headers,
        location=f"/v1/agencies/{body.code}",
    )


@router.post("/agencies/{code}/performance", status_code=201, response_model=Accepted, responses=COMMAND)
def rate_agency(
    request: Request,
    code: CodePath,
    body: AgencyRatingIn,
    principal: Writer,
    headers: Headers,
) -> JSONResponse:
    """Record the agency's predikat organisasi for a year (HR); the predikat curve depends on it."""
    return run_command(
        request,
        principal,
        body,
        KinerjaLedger.rate_agency,
        Accepted,
        headers=headers,
        path=(code,),
    )


@router.get(
    "/agencies/{code}",
    response_model=AgencyRecord,
    responses={
        **READ,
        200: {
            "headers": {"ETag": {"description": "the agency record's version", "schema": {"type": "string"}}}
        },
    },
)
def get_agency(request: Request, code: CodePath, principal: Reader) -> JSONResponse:
    """An agency's registration and yearly ratings (HR, auditor, inspector)."""
    agency = get_ledger(request).agency(code)
    body = AgencyRecord(
        code=agency.code, name=agency.name, version=agency.version, ratings=dict(agency.ratings)
    )
    return JSONResponse(body.model_dump(mode="json"), headers={"ETag": f'"{agency.version}"'})


@router.post("/service-units", status_code=201, response_model=CodeAccepted, responses=CREATE)
def register_service_unit(
    request: Request, body: ServiceUnitIn, principal: Writer, headers: CreateHeaders
) -> JSONResponse:
    """Register a public-service unit of an agency (HR); citizens can then rate it."""
    return run_command(
        request,
        principal,
        body,
        KinerjaLedger.register_service_unit,
        CodeAccepted,
        headers=headers,
    )


@router.get("/agencies/{code}/summary", response_model=AgencySummary, responses=READ)
def agency_summary(
    request: Request, code: CodePath, principal: Reader, year: YearQuery = None
) -> AgencySummary:
    """The agency read model for a year (default: the latest): predikat distribution with curve
    warnings, training compliance, IKM and mutu per service unit, awards and sanctions counts."""
    ledger = get_ledger(request)
    ledger.agency(code)  # 404 for an unknown agency
    summary = queries.agency_summary(ledger, code, year)
    if summary is None:
        raise NotFound(f"no summary of agency {code}" + (f" for {year}" if year else " yet"))
    return AgencySummary.model_validate(summary)


@router.get("/agencies/{code}/skp", response_model=AgencySkp, responses=READ)
def agency_skp(request: Request, code: CodePath, principal: Reader, year: YearQuery = None) -> AgencySkp:
    """The performance management cycle in the agency (default year: this one): of the staff in
    service on the reference day (today, or 31 December of a past year), the share with an SKP
    plan for the year, with a realisation in the reference day's quarter, and with a dialogue in
    the 90 days up to it (docs/SKP.md)."""
    ledger = get_ledger(request)
    ledger.agency(code)  # 404 for an unknown agency
    today = ledger.today()
    return AgencySkp.model_validate(agency_progress(ledger, code, year or today.year, today))

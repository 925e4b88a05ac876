"""/v1/public: what a citizen can do without logging in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.commands import run_command
from api.dependencies import CreateHeaders, PublicWrite, get_ledger
from api.openapi import problems
from api.routers.params import YearQuery
from api.schemas.public import PublicAgencies, PublicServiceUnits, SurveyAccepted, SurveyIn
from ledger.application import KinerjaLedger
from projections import queries

router = APIRouter(prefix="/v1", tags=["public"])


@router.post(
    "/public/surveys",
    status_code=201,
    response_model=SurveyAccepted,
    responses=problems(400, 409, 413, 415, 422, 429),
    dependencies=[PublicWrite],
)
def submit_survey(request: Request, body: SurveyIn, headers: CreateHeaders) -> JSONResponse:
    """A citizen's satisfaction survey (SKM, nine unsur scored 1-4) for a service unit, optionally
    naming the officer by the code on their badge. An unknown unit or officer code is 422. Each
    address may send LEDGER_PUBLIC_BURST surveys at once, then LEDGER_PUBLIC_PER_MINUTE a minute
    (429 with Retry-After beyond)."""
    return run_command(
        request,
        None,
        body,
        KinerjaLedger.submit_survey,
        SurveyAccepted,
        headers=headers,
    )


@router.get("/public/service-units", response_model=PublicServiceUnits, responses=problems(422))
def public_service_units(request: Request, year: YearQuery = None) -> PublicServiceUnits:
    """The units a citizen can rate (code, name, agency), with their satisfaction figures for
    the year (default: the latest). Figures from fewer than k = 5 responses are suppressed."""
    return PublicServiceUnits.model_validate(queries.public_service_units(get_ledger(request), year))


@router.get("/public/agencies", response_model=PublicAgencies, responses=problems(422))
def public_agencies(request: Request, year: YearQuery = None) -> PublicAgencies:
    """Agency aggregates for the year (default: the latest); every count or figure resting on
    fewer than k = 5 people or responses is null with `suppressed: true` and a reason."""
    return PublicAgencies.model_validate(queries.public_agencies(get_ledger(request), year))

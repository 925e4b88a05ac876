"""Citizens' comments and complaints: the public complaint channel (send, look up, statistics)
and HR's follow-up (the list, status changes, answers to comments)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from api.auth import STAFF_READERS, WRITERS, Principal, Role
from api.commands import run_command
from api.dependencies import CreateHeaders, Headers, PublicWrite, get_ledger, require
from api.openapi import COMMAND, LIST, problems
from api.pagination import DEFAULT_LIMIT, AfterQuery, Cursor, LimitQuery
from api.problems import ApiProblem
from api.routers.params import CodePath, EventIdPath, YearQuery
from api.schemas.public_input import (
    ComplaintAccepted,
    ComplaintIn,
    ComplaintLookup,
    ComplaintStatistics,
    ComplaintUpdateAccepted,
    ComplaintUpdateIn,
    FollowUpAccepted,
    FollowUpIn,
    PublicInputList,
)
from ledger.application import KinerjaLedger
from ledger.errors import NotFound
from ledger.tracking import parse_code
from ledger.values import CODE_PATTERN
from projections import queries

router = APIRouter(prefix="/v1", tags=["public input"])

FollowUpWriter = Annotated[Principal, require(WRITERS, "follow up citizens' input")]
InputReader = Annotated[Principal, require(STAFF_READERS, "read citizens' input")]
TrackingPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        description="the tracking code on the receipt (case, spaces and hyphens do not matter)",
        openapi_examples={"receipt": {"value": "K7QM-9XD4-RTA2C"}},
    ),
]
InputStatus = Literal["OPEN", "FOLLOWED_UP", "RECEIVED", "IN_PROGRESS", "RESPONDED", "CLOSED", "REJECTED"]


@router.post(
    "/public/complaints",
    status_code=201,
    response_model=ComplaintAccepted,
    responses=problems(400, 409, 413, 415, 422, 429),
    dependencies=[PublicWrite],
)
def submit_complaint(request: Request, body: ComplaintIn, headers: CreateHeaders) -> JSONResponse:
    """A citizen's complaint (pengaduan) about a service unit, optionally naming the officer by
    badge code; an unknown unit or officer code is 422. The answer's `tracking_code` is the
    citizen's key to the status. `contact` is personal data: shown to HR only. Rate-limited per
    address like the surveys (429 with Retry-After)."""
    return run_command(
        request, None, body, KinerjaLedger.submit_complaint, ComplaintAccepted, headers=headers
    )


@router.get(
    "/public/complaints/{tracking_code}", response_model=ComplaintLookup, responses=problems(404, 422)
)
def complaint_status(request: Request, tracking_code: TrackingPath) -> ComplaintLookup:
    """Status and HR's responses of one complaint: no text, contact, officer, ticket or names. A
    code with a wrong check character (a typo) is 422; a well-formed unknown one 404."""
    try:
        code = parse_code(tracking_code)
    except ValueError as exc:
        raise ApiProblem.invalid("tracking_code", str(exc)) from None
    found = queries.complaint_status(get_ledger(request), code)
    if found is None:
        raise NotFound("no complaint with this tracking code (it may take a few seconds to appear)")
    return ComplaintLookup.model_validate(found)


@router.get(
    "/public/agencies/{code}/complaints", response_model=ComplaintStatistics, responses=problems(404, 422)
)
def complaint_statistics(request: Request, code: CodePath, year: YearQuery = None) -> ComplaintStatistics:
    """Complaints about the agency's service units in the year (default: this year, WIB):
    received, responded, median days to the first response; per unit and for the agency, each
    suppressed under k = 5."""
    ledger = get_ledger(request)
    agency = ledger.agency(code)
    found = queries.complaint_statistics(ledger, code, year or ledger.today().year)
    return ComplaintStatistics.model_validate({**found, "name": agency.name})


@router.get("/public-input", response_model=PublicInputList, responses=LIST)
def public_input(
    request: Request,
    principal: InputReader,
    kind: Annotated[Literal["comment", "complaint"] | None, Query(description="one kind only")] = None,
    status: Annotated[InputStatus | None, Query(description="only items with this status")] = None,
    agency: Annotated[str | None, Query(pattern=CODE_PATTERN, description="agency code")] = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    after: AfterQuery = None,
) -> PublicInputList:
    """Citizens' comments and complaints for follow-up, oldest first (HR, auditor, inspector).
    A complaint's `contact` is shown to HR only (null for the others; `has_contact` says
    whether there is one)."""
    filters = {"kind": kind, "status": status, "agency": agency}
    cursor = Cursor("public-input", filters, (str, str))
    page = queries.public_input(
        get_ledger(request),
        kind=kind,
        status=status,
        agency=agency,
        with_contact=principal.role is Role.HR,
        limit=limit,
        after=cursor.decode(after),
    )
    return PublicInputList.model_validate({**filters, "items": page.items, "next": cursor.next(page)})


@router.post(
    "/complaints/{id}/updates", status_code=201, response_model=ComplaintUpdateAccepted, responses=COMMAND
)
def update_complaint(
    request: Request, id: EventIdPath, body: ComplaintUpdateIn, principal: FollowUpWriter, headers: Headers
) -> JSONResponse:
    """Move a complaint on with the response the citizen reads (HR): RECEIVED -> IN_PROGRESS ->
    RESPONDED -> CLOSED, or REJECTED with the reason. A move its lifecycle does not allow from
    the current status is 409; CLOSED and REJECTED are final."""
    return run_command(
        request,
        principal,
        body,
        KinerjaLedger.update_complaint,
        ComplaintUpdateAccepted,
        headers=headers,
        path=(id,),
    )


@router.post("/comments/{id}/follow-up", status_code=201, response_model=FollowUpAccepted, responses=COMMAND)
def follow_up_comment(
    request: Request, id: EventIdPath, body: FollowUpIn, principal: FollowUpWriter, headers: Headers
) -> JSONResponse:
    """Answer a citizen's survey comment (HR): OPEN -> FOLLOWED_UP, once (again: 409). The id is
    the survey's event id, as the follow-up list shows it."""
    return run_command(
        request,
        principal,
        body,
        KinerjaLedger.follow_up_comment,
        FollowUpAccepted,
        headers=headers,
        path=(id,),
    )

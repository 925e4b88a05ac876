"""/v1/programs: inter-agency collaborations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from api.access_log import PersonalReadRoute, read_subjects
from api.auth import STAFF_READERS, WRITERS, Principal
from api.commands import run_command
from api.dependencies import CreateHeaders, Headers, get_ledger, require
from api.exports import LIST_EXPORTS, FormatQuery, exported
from api.openapi import COMMAND, CREATE, READ
from api.pagination import DEFAULT_LIMIT, AfterQuery, Cursor, LimitQuery
from api.routers.params import CodePath
from api.schemas.common import Accepted, CodeAccepted
from api.schemas.programs import (
    OutcomeAccepted,
    OutcomeIn,
    ParticipantIn,
    ProgramIn,
    ProgramList,
    ProgramView,
)
from ledger.application import KinerjaLedger
from ledger.errors import NotFound
from projections import queries
from projections.paging import page_of

router = APIRouter(prefix="/v1", tags=["programs"])
reads = APIRouter(prefix="/v1", tags=["programs"], route_class=PersonalReadRoute)

Writer = Annotated[Principal, require(WRITERS, "manage programs")]
Reader = Annotated[Principal, require(STAFF_READERS, "read programs")]


@router.post("/programs", status_code=201, response_model=CodeAccepted, responses=CREATE)
def launch_program(
    request: Request, body: ProgramIn, principal: Writer, headers: CreateHeaders
) -> JSONResponse:
    """Launch an inter-agency program (at least two agencies)."""
    return run_command(
        request,
        principal,
        body,
        KinerjaLedger.launch_program,
        CodeAccepted,
        headers=headers,
        location=f"/v1/programs/{body.code}",
    )


@router.post("/programs/{code}/participants", status_code=201, response_model=Accepted, responses=COMMAND)
def add_participant(
    request: Request,
    code: CodePath,
    body: ParticipantIn,
    principal: Writer,
    headers: Headers,
) -> JSONResponse:
    """Add an employee of a participating agency to the program."""
    return run_command(
        request,
        principal,
        body,
        KinerjaLedger.add_program_participant,
        Accepted,
        headers=headers,
        path=(code,),
    )


@router.post("/programs/{code}/outcomes", status_code=201, response_model=OutcomeAccepted, responses=COMMAND)
def record_outcome(
    request: Request,
    code: CodePath,
    body: OutcomeIn,
    principal: Writer,
    headers: Headers,
) -> JSONResponse:
    """Record an outcome indicator of the program (target and achieved)."""
    return run_command(
        request,
        principal,
        body,
        KinerjaLedger.record_program_outcome,
        OutcomeAccepted,
        headers=headers,
        path=(code,),
    )


@router.get("/programs", response_model=ProgramList, responses=LIST_EXPORTS)
def list_programs(
    request: Request,
    principal: Reader,
    limit: LimitQuery = DEFAULT_LIMIT,
    after: AfterQuery = None,
    fmt: FormatQuery = None,
) -> ProgramList | Response:
    """Every inter-agency program with its agencies and counts (HR, auditor, inspector), by code."""
    cursor = Cursor("programs", {}, (str,))
    page = page_of(queries.programs(get_ledger(request)), lambda p: (p["code"],), limit, cursor.decode(after))
    result = ProgramList.model_validate({"items": page.items, "next": cursor.next(page)})
    return exported(request, result, "items", "programs", fmt)


@reads.get("/programs/{code}", response_model=ProgramView, responses=READ)
def get_program(request: Request, code: CodePath, principal: Reader) -> ProgramView:
    """The collaboration view: agencies, participants (with their agencies) and outcomes with
    achievement. The participants are personal data: each read goes to their access logs."""
    found = queries.program(get_ledger(request), code)
    if found is None:
        raise NotFound(f"unknown program {code}")
    program = ProgramView.model_validate(found)
    read_subjects(request, (p.nip for p in program.participants_list))
    return program

"""Awards (penghargaan) granted to an employee, and their revocation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.commands import run_command
from api.dependencies import (
    Headers,
    HrOnly,
)
from api.openapi import COMMAND
from api.routers.params import (
    EventIdPath,
    NipPath,
)
from api.schemas.awards import AwardAccepted, AwardIn, AwardRevocationAccepted, AwardRevocationIn
from ledger.application import KinerjaLedger

router = APIRouter(prefix="/v1", tags=["employees"])


@router.post("/employees/{nip}/awards", status_code=201, response_model=AwardAccepted, responses=COMMAND)
def grant_award(
    request: Request,
    nip: NipPath,
    body: AwardIn,
    actor: HrOnly,
    headers: Headers,
) -> JSONResponse:
    """Record an award as issued; an ineligible one is recorded and flagged, never refused."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.grant_award,
        AwardAccepted,
        headers=headers,
        path=(nip,),
    )


@router.post(
    "/employees/{nip}/awards/{id}/revocations",
    status_code=201,
    response_model=AwardRevocationAccepted,
    responses=COMMAND,
)
def revoke_award(
    request: Request,
    nip: NipPath,
    id: EventIdPath,
    body: AwardRevocationIn,
    actor: HrOnly,
    headers: Headers,
) -> JSONResponse:
    """Revoke an award (HR)."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.revoke_award,
        AwardRevocationAccepted,
        headers=headers,
        path=(nip, id),
    )

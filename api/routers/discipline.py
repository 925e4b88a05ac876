"""Disciplinary decisions on an employee, their revocation, appeals and appeal decisions."""

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
from api.schemas.discipline import (
    AppealAccepted,
    AppealDecisionAccepted,
    AppealDecisionIn,
    AppealIn,
    SanctionAccepted,
    SanctionIn,
    SanctionRevocationAccepted,
    SanctionRevocationIn,
)
from ledger.application import KinerjaLedger

router = APIRouter(prefix="/v1", tags=["employees"])


@router.post(
    "/employees/{nip}/sanctions", status_code=201, response_model=SanctionAccepted, responses=COMMAND
)
def impose_sanction(
    request: Request,
    nip: NipPath,
    body: SanctionIn,
    actor: HrOnly,
    headers: Headers,
) -> JSONResponse:
    """Record a disciplinary decision (PP 94/2021) as issued; the inspectorate's verification
    flags a decision that breaks a rule, the ledger does not refuse it."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.impose_sanction,
        SanctionAccepted,
        headers=headers,
        path=(nip,),
    )


@router.post(
    "/employees/{nip}/sanctions/{id}/revocations",
    status_code=201,
    response_model=SanctionRevocationAccepted,
    responses=COMMAND,
)
def revoke_sanction(
    request: Request,
    nip: NipPath,
    id: EventIdPath,
    body: SanctionRevocationIn,
    actor: HrOnly,
    headers: Headers,
) -> JSONResponse:
    """Revoke a sanction (HR)."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.revoke_sanction,
        SanctionRevocationAccepted,
        headers=headers,
        path=(nip, id),
    )


@router.post(
    "/employees/{nip}/sanctions/{id}/appeals",
    status_code=201,
    response_model=AppealAccepted,
    responses=COMMAND,
)
def file_appeal(
    request: Request,
    nip: NipPath,
    id: EventIdPath,
    body: AppealIn,
    actor: HrOnly,
    headers: Headers,
) -> JSONResponse:
    """File a KEBERATAN or BANDING against a sanction (HR)."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.file_appeal,
        AppealAccepted,
        headers=headers,
        path=(nip, id),
    )


@router.post(
    "/employees/{nip}/sanctions/{id}/appeals/{appeal_id}/decision",
    status_code=201,
    response_model=AppealDecisionAccepted,
    responses=COMMAND,
)
def decide_appeal(
    request: Request,
    nip: NipPath,
    id: EventIdPath,
    appeal_id: EventIdPath,
    body: AppealDecisionIn,
    actor: HrOnly,
    headers: Headers,
) -> JSONResponse:
    """Record the decision on an appeal: UPHELD, ANNULLED or MODIFIED (with the new penalty)."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.decide_appeal,
        AppealDecisionAccepted,
        headers=headers,
        path=(nip, id, appeal_id),
    )

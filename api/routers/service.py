"""The service clock of an employee: CLTN, suspension and the end of service (HR)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.commands import run_command
from api.dependencies import Headers, HrOnly
from api.openapi import COMMAND
from api.routers.params import EventIdPath, NipPath
from api.schemas.service import (
    LeaveAccepted,
    LeaveIn,
    PeriodEndIn,
    ServiceEndAccepted,
    ServiceEndIn,
    SuspensionAccepted,
    SuspensionIn,
)
from ledger.application import KinerjaLedger

router = APIRouter(prefix="/v1", tags=["employees"])


@router.post("/employees/{nip}/leaves", status_code=201, response_model=LeaveAccepted, responses=COMMAND)
def start_leave(
    request: Request, nip: NipPath, body: LeaveIn, actor: HrOnly, headers: Headers
) -> JSONResponse:
    """Record leave outside the state's liability (CLTN): the service clock stops (HR)."""
    return run_command(
        request, actor, body, KinerjaLedger.start_leave, LeaveAccepted, headers=headers, path=(nip,)
    )


@router.post(
    "/employees/{nip}/leaves/{id}/end", status_code=201, response_model=LeaveAccepted, responses=COMMAND
)
def end_leave(
    request: Request, nip: NipPath, id: EventIdPath, body: PeriodEndIn, actor: HrOnly, headers: Headers
) -> JSONResponse:
    """Record the return from CLTN: the service clock runs again from `ended_on` (HR)."""
    return run_command(
        request, actor, body, KinerjaLedger.end_leave, LeaveAccepted, headers=headers, path=(nip, id)
    )


@router.post(
    "/employees/{nip}/suspensions", status_code=201, response_model=SuspensionAccepted, responses=COMMAND
)
def suspend_employee(
    request: Request, nip: NipPath, body: SuspensionIn, actor: HrOnly, headers: Headers
) -> JSONResponse:
    """Record a suspension (pemberhentian sementara): the service clock stops (HR)."""
    return run_command(
        request, actor, body, KinerjaLedger.suspend_employee, SuspensionAccepted, headers=headers, path=(nip,)
    )


@router.post(
    "/employees/{nip}/suspensions/{id}/end",
    status_code=201,
    response_model=SuspensionAccepted,
    responses=COMMAND,
)
def end_suspension(
    request: Request, nip: NipPath, id: EventIdPath, body: PeriodEndIn, actor: HrOnly, headers: Headers
) -> JSONResponse:
    """Record the end of a suspension: the service clock runs again from `ended_on` (HR)."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.end_suspension,
        SuspensionAccepted,
        headers=headers,
        path=(nip, id),
    )


@router.post(
    "/employees/{nip}/service-end", status_code=201, response_model=ServiceEndAccepted, responses=COMMAND
)
def end_service(
    request: Request, nip: NipPath, body: ServiceEndIn, actor: HrOnly, headers: Headers
) -> JSONResponse:
    """Record the end of service (retirement, death, resignation, dismissal, end of a PPPK's
    work agreement). Once per employee; later appraisals, awards and training are flagged (HR)."""
    return run_command(
        request, actor, body, KinerjaLedger.end_service, ServiceEndAccepted, headers=headers, path=(nip,)
    )

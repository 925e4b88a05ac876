"""Training records (JP) of an employee."""

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
    NipPath,
)
from api.schemas.training import TrainingAccepted, TrainingIn
from ledger.application import KinerjaLedger

router = APIRouter(prefix="/v1", tags=["employees"])


@router.post(
    "/employees/{nip}/trainings", status_code=201, response_model=TrainingAccepted, responses=COMMAND
)
def record_training(
    request: Request,
    nip: NipPath,
    body: TrainingIn,
    actor: HrOnly,
    headers: Headers,
) -> JSONResponse:
    """Record completed training in JP (HR)."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.record_training,
        TrainingAccepted,
        headers=headers,
        path=(nip,),
    )

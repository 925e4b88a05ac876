"""Appraisals, their corrections, and supervisor or peer feedback on an employee."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.auth import Role
from api.commands import run_command
from api.dependencies import (
    Appraisers,
    FeedbackGivers,
    Headers,
    HrOnly,
)
from api.openapi import COMMAND
from api.problems import ApiProblem
from api.routers.params import (
    EventIdPath,
    NipPath,
)
from api.schemas.appraisals import (
    AppraisalAccepted,
    AppraisalIn,
    CorrectionAccepted,
    CorrectionIn,
    FeedbackAccepted,
    FeedbackIn,
)
from api.schemas.public import BurstReviewAccepted, BurstReviewIn
from ledger.application import KinerjaLedger

router = APIRouter(prefix="/v1", tags=["employees"])


@router.post(
    "/employees/{nip}/appraisals", status_code=201, response_model=AppraisalAccepted, responses=COMMAND
)
def record_appraisal(
    request: Request,
    nip: NipPath,
    body: AppraisalIn,
    actor: Appraisers,
    headers: Headers,
) -> JSONResponse:
    """Record an SKP appraisal (HR, or an appraiser of the employee's current agency, who names
    themselves as `appraiser_nip`). The predikat follows from hasil kerja x perilaku kerja under
    the rule in force at the period's end."""
    if actor.principal.role is Role.APPRAISER and body.appraiser_nip != actor.principal.sub:
        raise ApiProblem.invalid(
            "appraiser_nip", "an appraiser records their own appraisals: give your own NIP"
        )
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.record_appraisal,
        AppraisalAccepted,
        headers=headers,
        path=(nip,),
    )


@router.post(
    "/employees/{nip}/appraisals/{id}/corrections",
    status_code=201,
    response_model=CorrectionAccepted,
    responses=COMMAND,
)
def correct_appraisal(
    request: Request,
    nip: NipPath,
    id: EventIdPath,
    body: CorrectionIn,
    actor: Appraisers,
    headers: Headers,
) -> JSONResponse:
    """Correct an appraisal with a reason (a new event; the original stays in the history)."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.correct_appraisal,
        CorrectionAccepted,
        headers=headers,
        path=(nip, id),
    )


@router.post("/employees/{nip}/feedback", status_code=201, response_model=FeedbackAccepted, responses=COMMAND)
def record_feedback(
    request: Request,
    nip: NipPath,
    body: FeedbackIn,
    actor: FeedbackGivers,
    headers: Headers,
) -> JSONResponse:
    """Supervisor or peer feedback, score 1-4 (HR, or an appraiser of the employee's agency)."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.record_feedback,
        FeedbackAccepted,
        headers=headers,
        path=(nip,),
    )


@router.post(
    "/employees/{nip}/survey-bursts/{id}/review",
    status_code=201,
    response_model=BurstReviewAccepted,
    responses=COMMAND,
)
def review_survey_burst(
    request: Request,
    nip: NipPath,
    id: EventIdPath,
    body: BurstReviewIn,
    actor: HrOnly,
    headers: Headers,
) -> JSONResponse:
    """Decide whether a burst of citizen surveys naming this officer counts in their score (HR;
    once). `id` is the burst's first survey, as `GET /v1/survey-bursts` lists it."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.review_survey_burst,
        BurstReviewAccepted,
        headers=headers,
        path=(nip, id),
    )

"""Appraisals, their corrections, and supervisor or peer feedback."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt, StrictStr

from api.schemas.common import Accepted, Nip, Request, Text
from ledger import values
from ledger.vocabulary import Rating


class AppraisalIn(Request):
    period: Annotated[
        StrictStr,
        Field(
            pattern=values.PERIOD_PATTERN,
            examples=["2025", "2026-01..2026-03"],
            description="YYYY or YYYY-MM..YYYY-MM",
        ),
    ]
    hasil_kerja: Rating
    perilaku_kerja: Rating
    appraiser_nip: Nip


class CorrectionIn(Request):
    hasil_kerja: Rating | None = None
    perilaku_kerja: Rating | None = None
    reason: Text


class FeedbackIn(Request):
    source: Literal["SUPERVISOR", "PEER"] = Field(
        description="citizens give feedback through the public survey"
    )
    score: Annotated[StrictInt, Field(ge=values.SCORE_MIN, le=values.SCORE_MAX)]
    comment: Text | None = None


class AppraisalAccepted(Accepted):
    appraisal_id: str
    predikat: str
    rule_version: str


class CorrectionAccepted(AppraisalAccepted):
    correction_id: str


class FeedbackAccepted(Accepted):
    feedback_id: str

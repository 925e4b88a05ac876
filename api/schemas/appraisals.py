"""Appraisals, their corrections, and supervisor or peer feedback."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from api.schemas.common import Accepted, Nip, Number, Request, Text
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
    appraiser_nip: Nip
    hasil_kerja: Rating | None = Field(
        default=None, description="PermenPANRB 6/2022 periods (from 2022): required with perilaku_kerja"
    )
    perilaku_kerja: Rating | None = Field(default=None, description="PermenPANRB 6/2022 periods")
    nilai_skp: Annotated[Number, Field(ge=0, le=120)] | None = Field(
        default=None,
        description="PP 46/2011 periods (2014-2020): nilai SKP 0-100; PP 30/2019 periods (2021): "
        "nilai kinerja 0-120; at most 2 decimal places",
    )
    nilai_perilaku: Annotated[Number, Field(ge=0, le=100)] | None = Field(
        default=None, description="PP 46/2011 periods (2014-2020): nilai perilaku kerja 0-100"
    )
    ide_baru: StrictBool | None = Field(
        default=None,
        description="PP 30/2019 periods (2021): the employee created a new idea or way of working "
        "(needed for SANGAT_BAIK)",
    )


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
    predikat: str = Field(description="the predikat (or, before 2022, the sebutan) of the rule version")
    rule_version: str
    nilai: str | None = Field(
        default=None, description="before 2022: the nilai prestasi kerja or nilai kinerja computed"
    )


class CorrectionAccepted(AppraisalAccepted):
    correction_id: str


class FeedbackAccepted(Accepted):
    feedback_id: str

"""What citizens send and see: the satisfaction survey and the published agency figures."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StrictInt

from api.pagination import Paged
from api.schemas.common import Accepted, Code, ReadModel, Request, Text
from ledger import values
from ledger.vocabulary import BurstDecision

Score = Annotated[StrictInt, Field(ge=values.SCORE_MIN, le=values.SCORE_MAX)]


class SurveyAnswers(Request):
    """The nine unsur of PermenPANRB 14/2017, each scored 1-4."""

    U1: Score
    U2: Score
    U3: Score
    U4: Score
    U5: Score
    U6: Score
    U7: Score
    U8: Score
    U9: Score


class SurveyIn(Request):
    service_unit: Code
    officer_code: Code | None = Field(default=None, description="the code on the officer's badge, if any")
    answers: SurveyAnswers
    comment: Text | None = None


class SurveyAccepted(Accepted):
    survey_id: str


class PublicFigure(BaseModel):
    value: Any = Field(description="null when suppressed")
    suppressed: bool
    reason: str | None


class PublicAgency(BaseModel):
    code: str
    name: str
    figures: dict[str, PublicFigure]


class PublicAgencies(BaseModel):
    year: int | None
    k: int = Field(description="groups smaller than k are suppressed")
    agencies: list[PublicAgency]


class PublicServiceUnit(BaseModel):
    code: str
    name: str
    agency: str
    figures: dict[str, PublicFigure] | None


class PublicServiceUnits(BaseModel):
    year: int | None
    k: int
    service_units: list[PublicServiceUnit]


class BurstReviewIn(Request):
    decision: BurstDecision = Field(
        description="COUNT: the surveys count in the officer's score; EXCLUDE: they do not"
    )
    reason: Text


class BurstReviewAccepted(Accepted):
    burst_id: str
    review_id: str


class SurveyBurst(ReadModel):
    nip: str
    name: str | None
    agency: str | None
    burst_id: str = Field(description="event id of the burst's first survey (on the officer's record)")
    surveys: int
    first_at: str
    last_at: str
    status: str = Field(description="PENDING_REVIEW (held out of the score), COUNT or EXCLUDE")
    review_id: str | None
    event_ids: list[str]


class SurveyBursts(ReadModel, Paged):
    year: int
    status: str | None
    items: list[SurveyBurst]

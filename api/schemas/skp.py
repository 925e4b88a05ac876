"""The performance management cycle: SKP plans, revisions, realisations, dialogues, BerAKHLAK
feedback, and the SKP progress of an employee (docs/SKP.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictInt, StrictStr

from api.pagination import Paged
from api.schemas.common import Accepted, Nip, Number, PastDate, ReadModel, Request, Text
from ledger import values
from ledger.vocabulary import CoreValue, Rating, SkpAspect

Rhk = Annotated[StrictStr, Field(min_length=1, max_length=values.RHK_MAX)]
Target = Annotated[
    Number,
    Field(
        gt=0,
        le=values.AMOUNT_MAX,
        multiple_of=10**-values.AMOUNT_PLACES,
        description=f"above 0, at most 10^12, at most {values.AMOUNT_PLACES} decimal places",
    ),
]
Realised = Annotated[
    Number,
    Field(
        ge=0,
        le=values.AMOUNT_MAX,
        multiple_of=10**-values.AMOUNT_PLACES,
        description=f"0 to 10^12, at most {values.AMOUNT_PLACES} decimal places",
    ),
]


class IndicatorIn(Request):
    aspect: SkpAspect
    name: Annotated[StrictStr, Field(min_length=1, max_length=values.TITLE_MAX)]
    target: Target
    unit: Annotated[StrictStr, Field(min_length=1, max_length=values.UNIT_MAX, examples=["dokumen"])]


class ItemIn(Request):
    rhk: Rhk = Field(description="the rencana hasil kerja")
    supports: Rhk | None = Field(default=None, description="the superior's RHK it supports (cascading)")
    indicators: Annotated[list[IndicatorIn], Field(min_length=1, max_length=values.MAX_SKP_INDICATORS)]


Items = Annotated[list[ItemIn], Field(min_length=1, max_length=values.MAX_SKP_ITEMS)]
Expectations = Annotated[
    dict[CoreValue, Text],
    Field(description="the superior's specific expectations per BerAKHLAK core value"),
]
ApproverNip = Annotated[
    Nip | None,
    Field(
        description="the appraiser who approved the plan: an appraiser's own NIP (the default for an "
        "appraiser token); required from HR"
    ),
]


class SkpIn(Request):
    year: Annotated[StrictInt, Field(ge=values.SKP_FIRST_YEAR, le=values.LAST_YEAR)]
    period: (
        Annotated[
            StrictStr,
            Field(
                pattern=values.PERIOD_PATTERN,
                description="a PPPK's contract period within the year, YYYY-MM..YYYY-MM (default: the year)",
            ),
        ]
        | None
    ) = None
    items: Items
    behaviour_expectations: Expectations | None = None
    appraiser_nip: ApproverNip = None


class SkpRevisionIn(Request):
    items: Items
    behaviour_expectations: Expectations | None = Field(
        default=None, description="default: those of the plan as it stands"
    )
    reason: Text
    appraiser_nip: ApproverNip = None


class RealisationIn(Request):
    item: Annotated[StrictInt, Field(ge=1, le=values.MAX_SKP_ITEMS, description="the RHK item, from 1")]
    indicator: Annotated[
        StrictInt, Field(ge=1, le=values.MAX_SKP_INDICATORS, description="the item's indicator, from 1")
    ]
    period: Annotated[
        StrictStr,
        Field(
            pattern=values.REPORT_PERIOD_PATTERN,
            examples=["2026-03", "2026-Q1"],
            description="month or quarter",
        ),
    ]
    value: Realised
    evidence_ref: (
        Annotated[
            StrictStr,
            Field(
                min_length=1, max_length=values.EVIDENCE_REF_MAX, description="a link or a document number"
            ),
        ]
        | None
    ) = None


class DialogueIn(Request):
    held_on: PastDate
    summary: Text
    agreed_actions: Text | None = None


class BehaviourFeedbackIn(Request):
    value: CoreValue
    rating: Rating
    note: Text | None = None
    source: Literal["SUPERVISOR", "PEER"] | None = Field(
        default=None,
        description="an appraiser gives SUPERVISOR feedback, an employee of the same agency PEER "
        "feedback (the defaults); required from HR",
    )


class SkpAccepted(Accepted):
    skp_id: str


class RevisionAccepted(SkpAccepted):
    revision_id: str


class RealisationAccepted(SkpAccepted):
    realisation_id: str
    supersedes: str | None = Field(description="the earlier report of the same period this one replaces")


class DialogueAccepted(Accepted):
    dialogue_id: str
    skp_id: str | None = Field(description="the plan covering held_on, if any")


class BehaviourFeedbackAccepted(Accepted):
    feedback_id: str


class SkpProgress(ReadModel):
    """An employee's plans of a year with realisation against target per indicator, the share
    achieved, dialogues and BerAKHLAK feedback (docs/SKP.md)."""

    nip: str
    year: int
    plans: list[dict[str, object]]


class AgencySkp(BaseModel):
    code: str
    year: int
    on: str = Field(description="the reference day: today, or 31 December of a past year")
    quarter: str = Field(description="the reference day's quarter, YYYY-Qn")
    dialogue_window: dict[str, str] = Field(description="the 90 days up to the reference day")
    staff_in_service: int
    with_plan: int
    with_realisation_this_quarter: int
    with_dialogue_90_days: int
    share_with_plan: str | None = Field(description="4 decimal places; null without staff")
    share_with_realisation_this_quarter: str | None
    share_with_dialogue_90_days: str | None


class BasisCheck(BaseModel):
    check: Literal["basis"]
    passed: bool
    reason: str
    event_ids: list[str] = Field(description="the plans and realisations the check rests on")


class AppraisalVerification(BaseModel):
    appraisal_id: str
    nip: str
    agency: str
    period: str
    predikat: str
    appraiser_nip: str
    verdict: Literal["CONSISTENT", "INCONSISTENT"]
    failed_checks: list[str]
    checks: list[BasisCheck]


class AppraisalRegister(Paged):
    year: int
    verdict: str | None
    agency: str | None
    items: list[AppraisalVerification]

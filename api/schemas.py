"""Request and response models (Pydantic v2): the OpenAPI document is generated from these.

Requests are strict where JSON is ambiguous (no "3" for 3, no 3 for "3"), refuse unknown fields,
and mirror the ledger's limits, so the published schema says what the server accepts. Business
checks that need the store (unknown references, dates before a service start) stay in the ledger
and answer 422 with the same `errors` shape.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, StrictInt, StrictStr

from ledger.clock import parse_date
from ledger.vocabulary import (
    AppealKind,
    AppealOutcome,
    AwardType,
    DecidingRole,
    EmploymentType,
    Level,
    PenaltyCode,
    PredikatOrganisasi,
    Rating,
)

NIP_PATTERN = r"^[0-9]{18}$"
CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_\-]{1,31}$"
EVENT_ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[1-9][0-9]{0,9}$"
PERIOD_PATTERN = r"^[0-9]{4}(-[0-9]{2}\.\.[0-9]{4}-[0-9]{2})?$"

NIP_EXAMPLE = "198503152010011002"
EVENT_ID_EXAMPLE = "0b6f5c1e-4a9e-5d3c-9a57-0c7a2f1d3e4b:2"


def _check_date(value: str) -> str:
    parse_date(value)  # ValueError -> 422 naming the field
    return value


DateStr = Annotated[
    StrictStr,
    Field(json_schema_extra={"format": "date"}, examples=["2026-01-31"]),
    AfterValidator(_check_date),
]
Nip = Annotated[StrictStr, Field(pattern=NIP_PATTERN, examples=[NIP_EXAMPLE])]
Code = Annotated[StrictStr, Field(pattern=CODE_PATTERN, examples=["DINKES"])]
EventId = Annotated[StrictStr, Field(pattern=EVENT_ID_PATTERN, examples=[EVENT_ID_EXAMPLE])]
Text = Annotated[StrictStr, Field(min_length=1, max_length=2000)]
Name = Annotated[StrictStr, Field(min_length=1, max_length=200)]
Decree = Annotated[StrictStr, Field(min_length=1, max_length=100)]
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ----------------------------------------------------------------------------- commands


class AgencyIn(Request):
    code: Code
    name: Name


class AgencyRatingIn(Request):
    year: Annotated[StrictInt, Field(ge=1950, le=2100)]
    predikat_organisasi: PredikatOrganisasi


class ServiceUnitIn(Request):
    code: Code
    name: Name
    agency: Code


class EmployeeIn(Request):
    nip: Nip
    name: Name
    agency: Code
    position: Name
    grade: Annotated[StrictStr, Field(min_length=1, max_length=50, examples=["III/b"])]
    employment_type: EmploymentType
    service_start_date: DateStr | None = Field(default=None, description="default: the TMT month in the NIP")


class TransferIn(Request):
    agency: Code
    position: Name
    grade: Annotated[StrictStr, Field(min_length=1, max_length=50)] | None = None
    effective_date: DateStr


class AssignmentIn(Request):
    service_unit: Code
    officer_code: Annotated[Code, Field(description="the public code printed on the officer's badge")]


class AppraisalIn(Request):
    period: Annotated[
        StrictStr,
        Field(
            pattern=PERIOD_PATTERN,
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
    score: Annotated[StrictInt, Field(ge=1, le=4)]
    comment: Text | None = None


class AwardIn(Request):
    award_type: AwardType
    reason: Text
    decree_number: Decree
    decree_date: DateStr


class AwardRevocationIn(Request):
    reason: Text
    decree_number: Decree
    decree_date: DateStr | None = None


class TrainingIn(Request):
    title: Annotated[StrictStr, Field(min_length=1, max_length=300)]
    hours_jp: Annotated[Number, Field(ge=0.5, le=1000, description="JP (1 JP = 45 minutes)")]
    completed_on: DateStr
    provider: Name


class ViolationIn(Request):
    description: Annotated[StrictStr, Field(min_length=1, max_length=1000)]
    level: Level
    absence_days: Annotated[StrictInt, Field(ge=0, le=366)] | None = None
    consecutive_absence_days: Annotated[StrictInt, Field(ge=0, le=366)] | None = None


class SanctionIn(Request):
    violation: ViolationIn
    other_violations: Annotated[list[ViolationIn], Field(max_length=20)] = Field(default_factory=list)
    penalty: PenaltyCode
    decided_by_role: DecidingRole
    decided_by_nip: Nip | None = None
    decided_by_name: Name | None = Field(default=None, description="required when decided_by_nip is absent")
    decree_number: Decree
    decided_on: DateStr
    effective_date: DateStr | None = None
    summoned_on: DateStr | Annotated[list[DateStr], Field(max_length=10)] | None = None
    examined_on: DateStr | None = None
    bap_number: Decree | None = None
    evidence: Annotated[list[EventId], Field(max_length=100)] = Field(
        default_factory=list, description="event ids of the evidence (absences, appraisals, ...)"
    )


class SanctionRevocationIn(Request):
    reason: Text
    decree_number: Decree
    decided_on: DateStr | None = None


class AppealIn(Request):
    kind: AppealKind
    filed_on: DateStr


class AppealDecisionIn(Request):
    outcome: AppealOutcome
    decided_on: DateStr
    decree_number: Decree
    new_penalty: PenaltyCode | None = Field(default=None, description="required when the outcome is MODIFIED")


class ProgramIn(Request):
    code: Code
    name: Annotated[StrictStr, Field(min_length=1, max_length=300)]
    agencies: Annotated[list[Code], Field(min_length=2, max_length=50)]


class ParticipantIn(Request):
    nip: Nip
    role: Annotated[StrictStr, Field(min_length=1, max_length=100)]


class OutcomeIn(Request):
    indicator: Annotated[StrictStr, Field(min_length=1, max_length=300)]
    target: Number
    achieved: Number
    period: Annotated[StrictStr, Field(pattern=PERIOD_PATTERN, examples=["2026"])]


Score = Annotated[StrictInt, Field(ge=1, le=4)]


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


# ---------------------------------------------------------------------------- answers


class Accepted(BaseModel):
    """201 answer of every command."""

    event_id: str = Field(description="`<originator_id>:<originator_version>` of the event")
    position: int = Field(description="global position (notification id) of the event")
    version: int = Field(description="the record's version after the command (also the ETag)")


class CodeAccepted(Accepted):
    code: str


class EmployeeAccepted(Accepted):
    nip: str
    employee_id: str


class AppraisalAccepted(Accepted):
    appraisal_id: str
    predikat: str
    rule_version: str


class CorrectionAccepted(AppraisalAccepted):
    correction_id: str


class FeedbackAccepted(Accepted):
    feedback_id: str


class Ineligibility(BaseModel):
    reason: str
    event_ids: list[str]


class AwardAccepted(Accepted):
    award_id: str
    eligible: bool
    ineligibility: list[Ineligibility]
    rule_version: str


class AwardRevocationAccepted(Accepted):
    award_id: str
    revocation_id: str


class TrainingAccepted(Accepted):
    training_id: str


class SanctionAccepted(Accepted):
    sanction_id: str
    rule_version: str


class SanctionRevocationAccepted(Accepted):
    sanction_id: str
    revocation_id: str


class AppealAccepted(Accepted):
    appeal_id: str
    sanction_id: str


class AppealDecisionAccepted(AppealAccepted):
    decision_id: str


class OutcomeAccepted(Accepted):
    outcome_id: str


class SurveyAccepted(Accepted):
    survey_id: str


# ------------------------------------------------------------------------------ reads


class Appraisal(BaseModel):
    appraisal_id: str
    period: str
    hasil_kerja: str
    perilaku_kerja: str
    predikat: str
    rule_version: str | None
    appraiser_nip: str
    effective_date: str
    corrections: list[str] = Field(description="event ids of the corrections, oldest first")


class Award(BaseModel):
    award_id: str
    award_type: str
    reason: str
    decree_number: str | None
    decree_date: str | None
    eligible: bool
    ineligibility: list[Ineligibility]
    rule_version: str | None
    revoked_by: str | None


class Appeal(BaseModel):
    appeal_id: str
    kind: str
    filed_on: str
    outcome: str | None
    decision_id: str | None


class Sanction(BaseModel):
    sanction_id: str
    penalty: str
    level: str
    decided_on: str
    effective_date: str
    in_force_until: str | None
    decree_number: str | None
    bap_number: str | None
    rule_version: str | None
    appeals: dict[str, Appeal]
    status: str
    revoked_by: str | None
    revoked_on: str | None = None


class Collaboration(BaseModel):
    program: str
    role: str
    event_id: str


class EmployeeRecord(BaseModel):
    """An employee's record, now or as it stood at `as_of` / `effective_on`."""

    nip: str
    employee_id: str
    version: int
    name: str
    agency: str
    position: str
    grade: str
    employment_type: str
    service_start_date: str
    status: str = Field(description="ACTIVE or DISMISSED")
    service_unit: str | None
    officer_code: str | None
    appraisals: list[Appraisal]
    feedback_count: dict[str, int]
    awards: list[Award]
    sanctions: list[Sanction]
    sanctions_in_force: list[str]
    training_jp: dict[str, str] = Field(description="JP per calendar year, as decimal strings")
    collaborations: list[Collaboration]
    as_of: str | None = Field(description="the recorded-time cut-off asked for, if any")
    effective_on: str | None = Field(description="the effective-date cut-off asked for, if any")


class RecordedBy(BaseModel):
    sub: str
    role: str


class StoredEventView(BaseModel):
    position: int = Field(description="global position (notification id)")
    event_id: str
    type: str
    topic: str
    version: int
    recorded_at: str
    effective_date: str
    recorded_by: RecordedBy
    correlation_id: str
    rule_version: str | None
    decree_number: str | None
    decree_date: str | None
    payload: dict[str, Any]
    state_sha256: str = Field(description="SHA-256 (hex) of the stored state bytes")
    leaf_index: int | None = Field(
        None, description="index of this event's leaf in the audit Merkle log (null until the log has it)"
    )
    leaf_hash: str | None = Field(None, description="RFC 9162 leaf hash (hex) of this event")
    chain_hash: str | None = Field(
        None, description="this stream's hash chain after this event (hex); see docs/AUDIT.md"
    )


class EmployeeEvents(BaseModel):
    nip: str
    employee_id: str
    version: int
    events: list[StoredEventView]


class AccessLogEntry(BaseModel):
    id: int
    at: str = Field(description="UTC time of the read")
    reader_sub: str
    reader_role: str
    method: str
    route: str = Field(description="route template, e.g. /v1/employees/{nip}/scorecard")
    status: int


class AccessLog(BaseModel):
    nip: str
    entries: list[AccessLogEntry]
    next_after: int | None = Field(description="pass as `after` for the next page; null at the end")


class AgencyRecord(BaseModel):
    code: str
    name: str
    version: int
    ratings: dict[str, str] = Field(description="predikat organisasi per year")


class Health(BaseModel):
    status: str
    store: str
    position: int = Field(description="highest global position in the event log")


# ------------------------------------------------------------------ read models (projections)
# Rows come from the read models (projections/queries.py, projections/sanctions_verification.py);
# the fields below are the documented ones, and a read model may add more (passed through).


class ReadModel(BaseModel):
    model_config = ConfigDict(extra="allow")


class ScoreComponent(ReadModel):
    component: str
    applicable: bool
    weight: str | None = Field(description="nominal weight (null for awards and sanctions, which add points)")
    effective_weight: str | None
    value: str | None
    points: str
    detail: dict[str, Any]
    event_ids: list[str] = Field(description="the events this component was computed from")


class Scorecard(ReadModel):
    nip: str
    year: int
    agency: str
    service_unit: str | None
    formula_version: str
    score: str = Field(description="decimal string, 2 places")
    base: str
    adjustments: str
    predikat: str | None
    components: list[ScoreComponent]
    event_ids: list[str]
    rank_in_agency: int | None
    agency_size: int | None


class RankingItem(ReadModel):
    rank: int = Field(description="competition ranking: 1, 2, 2, 4")
    nip: str
    name: str
    agency: str
    score: str
    predikat: str | None
    formula_version: str


class Rankings(ReadModel):
    year: int
    agency: str | None
    total: int
    items: list[RankingItem]


class UnitSummary(ReadModel):
    service_unit: str
    year: int
    agency: str
    name: str
    respondents: int
    named_officer: int
    ikm: str | None
    converted: str | None
    mutu: str | None
    kinerja: str | None
    nrr: dict[str, Any]
    rule_version: str | None


class AgencySummary(ReadModel):
    agency: str
    year: int
    name: str
    predikat_organisasi: str | None
    employees: int
    appraised: int
    distribution: dict[str, Any] = Field(description="predikat -> number of employees")
    curve_rule_version: str | None
    curve_warnings: list[Any] = Field(
        description="predikat curve guidance not met (a warning, never a block)"
    )
    training_minimum_jp: int | None
    training_compliant: int
    training_non_compliant: int
    training_rate: str | None
    training_jp_total: str
    ikm_respondents: int
    ikm: str | None
    ikm_converted: str | None
    mutu: str | None
    awards_granted: int
    awards_revoked: int
    awards_ineligible: int
    sanctions_total: int
    sanctions_by_level: dict[str, Any]
    sanctions_annulled: int
    sanctions_revoked: int
    sanctions_modified: int
    units: list[UnitSummary]


class AgencyTraining(ReadModel):
    agency: str
    name: str
    employees: int
    compliant: int
    non_compliant: int
    rate_pct: str | None
    jp_total: str


class EmployeeTraining(ReadModel):
    nip: str
    name: str
    jp: str
    compliant: bool


class TrainingCompliance(ReadModel):
    year: int
    minimum_jp: int | None
    agencies: list[AgencyTraining]
    employees: list[EmployeeTraining] | None = Field(description="per person, when `agency` is given")


class AwardEntry(ReadModel):
    award_id: str
    nip: str
    name: str
    agency: str
    award_type: str
    reason: str
    decree_number: str | None
    decree_date: str | None
    year: int
    eligible: bool
    ineligibility: list[Ineligibility]
    rule_version: str | None
    revoked: bool
    revocation_id: str | None


class AwardRegister(ReadModel):
    year: int | None
    agency: str | None
    items: list[AwardEntry]


class CheckDetail(BaseModel):
    id: str = Field(description="Bahasa Indonesia")
    en: str


class VerificationCheck(ReadModel):
    number: int
    name: str
    passed: bool
    detail: CheckDetail


class AppealTrace(ReadModel):
    appeal_id: str
    kind: str
    filed_on: str
    against_penalty: str
    route_valid: bool
    outcome: str | None
    decision_id: str | None
    decided_on: str | None
    new_penalty: str | None


class SanctionVerdict(ReadModel):
    sanction_id: str
    employee_id: str
    nip: str
    agency: str
    penalty: str
    level: str
    decided_on: str
    decree_number: str | None
    decided_by_role: str
    bap_number: str | None
    verdict: str = Field(description="CONSISTENT or INCONSISTENT")
    failed_checks: list[str]
    checks: list[VerificationCheck]
    rule_versions: dict[str, str | None]
    penalty_after_appeals: str
    annulled: bool
    appeals: list[AppealTrace]
    lifecycle: str
    current_penalty: str
    in_force_from: str
    in_force_until: str | None
    status: str = Field(
        description="on the day asked: NOT_YET_IN_FORCE, IN_FORCE, ENDED, ANNULLED or REVOKED"
    )


class SanctionVerification(SanctionVerdict):
    position: int = Field(description="global position of the decision")


class SanctionRegister(ReadModel):
    verdict: str | None
    agency: str | None
    on: str
    items: list[SanctionVerdict]


class ProgramSummary(ReadModel):
    code: str
    name: str
    launched_on: str
    agencies: int = Field(description="number of participating agencies")
    participants: int
    outcomes: int
    participating_agencies: list[str]


class ProgramList(ReadModel):
    items: list[ProgramSummary]


class ProgramParticipantView(ReadModel):
    nip: str
    name: str
    agency: str
    role: str
    joined_on: str
    event_id: str


class ProgramOutcomeView(ReadModel):
    event_id: str
    indicator: str
    target: str
    achieved: str
    achievement_pct: str | None
    period: str


class ProgramView(ProgramSummary):
    participants_list: list[ProgramParticipantView]
    outcomes_list: list[ProgramOutcomeView]


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

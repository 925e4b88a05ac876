"""Sanctions (hukuman disiplin), appeals and revocations; the inspectorate's verification."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StrictInt, StrictStr

from api.pagination import Paged
from api.schemas.common import (
    Accepted,
    Decree,
    EffectiveDate,
    EventId,
    Name,
    Nip,
    PastDate,
    ReadModel,
    Request,
    Text,
)
from ledger import values
from ledger.vocabulary import AppealKind, AppealOutcome, DecidingRole, Level, PenaltyCode


class ViolationIn(Request):
    description: Annotated[StrictStr, Field(min_length=1, max_length=values.DESCRIPTION_MAX)]
    level: Level
    absence_days: Annotated[StrictInt, Field(ge=0, le=values.ABSENCE_DAYS_MAX)] | None = None
    consecutive_absence_days: Annotated[StrictInt, Field(ge=0, le=values.ABSENCE_DAYS_MAX)] | None = None


class SanctionIn(Request):
    violation: ViolationIn
    other_violations: Annotated[list[ViolationIn], Field(max_length=values.MAX_VIOLATIONS)] = Field(
        default_factory=list
    )
    penalty: PenaltyCode
    decided_by_role: DecidingRole
    decided_by_nip: Nip | None = None
    decided_by_name: Name | None = Field(default=None, description="required when decided_by_nip is absent")
    decree_number: Decree
    decided_on: PastDate
    effective_date: EffectiveDate | None = Field(default=None, description="default: decided_on")
    summoned_on: PastDate | Annotated[list[PastDate], Field(max_length=values.MAX_SUMMONS)] | None = None
    examined_on: PastDate | None = None
    bap_number: Decree | None = None
    evidence: Annotated[list[EventId], Field(max_length=values.MAX_EVIDENCE)] = Field(
        default_factory=list, description="event ids of the evidence (absences, appraisals, ...)"
    )

    def command_fields(self) -> dict[str, Any]:
        # A violation's optional counts are left out when absent, as the ledger stores them.
        fields = self.model_dump()
        fields["violation"] = self.violation.model_dump(exclude_none=True)
        fields["other_violations"] = [v.model_dump(exclude_none=True) for v in self.other_violations]
        return fields


class SanctionRevocationIn(Request):
    reason: Text
    decree_number: Decree
    decided_on: PastDate | None = None


class AppealIn(Request):
    kind: AppealKind
    filed_on: PastDate


class AppealDecisionIn(Request):
    outcome: AppealOutcome
    decided_on: PastDate
    decree_number: Decree
    new_penalty: PenaltyCode | None = Field(default=None, description="required when the outcome is MODIFIED")


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


class SanctionRegister(ReadModel, Paged):
    verdict: str | None
    agency: str | None
    on: str
    items: list[SanctionVerdict]

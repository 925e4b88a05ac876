"""An employee's registration, transfers and assignment, the record, its events and access log."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StrictStr

from api.pagination import Paged
from api.schemas.awards import Ineligibility
from api.schemas.common import Accepted, Code, DateStr, EffectiveDate, Name, Nip, Request
from ledger import values
from ledger.vocabulary import EmploymentType


class EmployeeIn(Request):
    nip: Nip
    name: Name
    agency: Code
    position: Name
    grade: Annotated[StrictStr, Field(min_length=1, max_length=values.GRADE_MAX, examples=["III/b"])]
    employment_type: EmploymentType
    service_start_date: DateStr | None = Field(
        default=None, description="default: the TMT month in the NIP; not after today"
    )


class TransferIn(Request):
    agency: Code
    position: Name
    grade: Annotated[StrictStr, Field(min_length=1, max_length=values.GRADE_MAX)] | None = None
    effective_date: EffectiveDate


class AssignmentIn(Request):
    service_unit: Code
    officer_code: Annotated[Code, Field(description="the public code printed on the officer's badge")]


class EmployeeAccepted(Accepted):
    nip: str
    employee_id: str


class Appraisal(BaseModel):
    appraisal_id: str
    period: str
    hasil_kerja: str | None = Field(description="null for an appraisal before PermenPANRB 6/2022")
    perilaku_kerja: str | None
    predikat: str
    rule_version: str | None
    appraiser_nip: str
    effective_date: str
    corrections: list[str] = Field(description="event ids of the corrections, oldest first")
    nilai_skp: str | None = Field(default=None, description="before 2022 (PP 46/2011, PP 30/2019)")
    nilai_perilaku: str | None = Field(default=None, description="PP 46/2011 only")
    ide_baru: bool | None = Field(default=None, description="PP 30/2019 only")
    nilai: str | None = Field(
        default=None, description="nilai prestasi kerja (PP 46/2011) or nilai kinerja (PP 30/2019)"
    )


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


class ServicePeriod(BaseModel):
    period_id: str = Field(description="the event id of the start (leave_id or suspension_id)")
    kind: str = Field(description="CLTN or SUSPENSION")
    started_on: str
    ended_on: str | None = Field(description="the first day back in service; null while it lasts")
    reason: str
    decree_number: str | None
    decree_date: str | None
    ended_by: str | None = Field(description="the event id of the end")


class ServiceEnd(BaseModel):
    end_id: str
    reason: str
    ended_on: str = Field(description="the first day out of service")
    decree_number: str | None
    decree_date: str | None


class RetirementAge(BaseModel):
    category: str = Field(description="the post category derived from the position text")
    age: int = Field(description="the retirement age (BUP) of that category")
    reached_on: str
    pension_from: str = Field(description="the first day of the month after the BUP is reached")
    rule_version: str


class ServiceFlag(BaseModel):
    flag: str = Field(description="PAST_BUP or AFTER_SERVICE_END")
    event_id: str | None
    reason: str


class ServiceClock(BaseModel):
    leaves: list[ServicePeriod]
    suspensions: list[ServicePeriod]
    end: ServiceEnd | None
    retirement: RetirementAge | None
    flags: list[ServiceFlag]


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
    status: str = Field(
        description="ACTIVE, DISMISSED (a dismissal penalty stands) or ENDED (the service has ended)"
    )
    service_unit: str | None
    officer_code: str | None
    appraisals: list[Appraisal]
    feedback_count: dict[str, int]
    awards: list[Award]
    sanctions: list[Sanction]
    sanctions_in_force: list[str]
    training_jp: dict[str, str] = Field(description="JP per calendar year, as decimal strings")
    collaborations: list[Collaboration]
    service: ServiceClock
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


class AccessLog(Paged):
    nip: str
    entries: list[AccessLogEntry]


class EmployeeListItem(BaseModel):
    nip: str
    name: str
    agency: str
    position: str
    grade: str
    employment_type: str
    service_unit: str | None
    status: str = Field(description="on the day `on`: ACTIVE, ON_LEAVE, SUSPENDED, DISMISSED or ENDED")


class EmployeeList(Paged):
    q: str | None
    agency: str | None
    status: str | None
    on: str = Field(description="the day the status is given for (WIB)")
    items: list[EmployeeListItem]

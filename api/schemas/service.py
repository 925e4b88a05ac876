"""The service clock: CLTN, suspension and the end of service (docs/SERVICE.md)."""

from __future__ import annotations

from pydantic import Field

from api.schemas.common import Accepted, DateStr, Decree, PastDate, Request, Text
from ledger.vocabulary import LeaveType, ServiceEndReason


class LeaveIn(Request):
    leave_type: LeaveType = Field(description="CLTN: cuti di luar tanggungan negara")
    started_on: DateStr = Field(description="the first day of the leave; not after today")
    reason: Text
    decree_number: Decree
    decree_date: PastDate


class PeriodEndIn(Request):
    ended_on: DateStr = Field(description="the first day back in service; not after today")
    decree_number: Decree
    decree_date: PastDate


class SuspensionIn(Request):
    started_on: DateStr = Field(description="the first day of the suspension; not after today")
    reason: Text
    decree_number: Decree
    decree_date: PastDate


class ServiceEndIn(Request):
    reason: ServiceEndReason
    ended_on: DateStr = Field(
        description="the first day out of service (for a death, its date); not after today"
    )
    decree_number: Decree
    decree_date: PastDate


class LeaveAccepted(Accepted):
    leave_id: str


class SuspensionAccepted(Accepted):
    suspension_id: str


class ServiceEndAccepted(Accepted):
    service_end_id: str

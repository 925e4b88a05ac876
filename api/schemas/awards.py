"""Awards (penghargaan) and their revocation; the award register."""

from __future__ import annotations

from pydantic import BaseModel

from api.pagination import Paged
from api.schemas.common import Accepted, Decree, PastDate, ReadModel, Request, Text
from ledger.vocabulary import AwardType


class AwardIn(Request):
    award_type: AwardType
    reason: Text
    decree_number: Decree
    decree_date: PastDate


class AwardRevocationIn(Request):
    reason: Text
    decree_number: Decree
    decree_date: PastDate | None = None


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


class AwardRegister(ReadModel, Paged):
    year: int | None
    agency: str | None
    items: list[AwardEntry]


class GrantedAward(BaseModel):
    award_id: str
    decree_date: str | None
    eligible: bool


class SatyalancanaCandidate(ReadModel):
    nip: str
    name: str
    agency: str
    employment_type: str
    service_start_date: str
    years: int
    award_type: str
    reached_on: str
    days_not_counted: int
    not_counted_ids: list[str]
    service_ended_on: str | None
    eligible: bool
    ineligibility: list[Ineligibility]
    rule_version: str
    granted: bool
    award: GrantedAward | None


class SatyalancanaRegister(ReadModel, Paged):
    year: int
    agency: str | None
    note: str
    total: int
    items: list[SatyalancanaCandidate]

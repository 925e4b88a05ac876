"""Awards (penghargaan) and their revocation; the award register."""

from __future__ import annotations

from pydantic import BaseModel

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


class AwardRegister(ReadModel):
    year: int | None
    agency: str | None
    items: list[AwardEntry]

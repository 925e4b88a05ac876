"""Citizens' comments and complaints: what a citizen sends and sees, and HR's follow-up list."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StrictStr

from api.pagination import Paged
from api.schemas.common import Accepted, Code, Request, Text
from api.schemas.public import PublicFigure
from ledger import values
from ledger.vocabulary import ComplaintCategory, ComplaintStatus

Contact = Annotated[
    StrictStr,
    Field(
        min_length=1,
        max_length=values.CONTACT_MAX,
        description="how HR can reach the citizen (telephone, e-mail): personal data, shown to HR only",
    ),
]
LaporTicket = Annotated[
    StrictStr,
    Field(
        min_length=1,
        max_length=values.TICKET_MAX,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9/\-]*$",
        description="the SP4N-LAPOR! ticket number, when the complaint was also filed there",
    ),
]


class ComplaintIn(Request):
    service_unit: Code
    officer_code: Code | None = Field(default=None, description="the code on the officer's badge, if any")
    category: ComplaintCategory
    text: Text
    contact: Contact | None = None
    lapor_ticket: LaporTicket | None = None


class ComplaintAccepted(Accepted):
    complaint_id: str = Field(description="the event id of the complaint's receipt (staff use it)")
    tracking_code: str = Field(description="what the citizen keeps to look the complaint up")


class ComplaintUpdateIn(Request):
    status: ComplaintStatus
    response: Text = Field(description="what the citizen reads (for REJECTED: the reason)")


class ComplaintUpdateAccepted(Accepted):
    complaint_id: str
    status: str


class FollowUpIn(Request):
    response: Text


class FollowUpAccepted(Accepted):
    comment_id: str


class PublicResponse(BaseModel):
    status: str
    response: str
    on: str = Field(description="the day of the change (WIB)")


class ComplaintLookup(BaseModel):
    """A complaint as its tracking code shows it: no text, contact, officer, ticket or names."""

    tracking_code: str
    service_unit: str
    service_unit_name: str
    agency: str
    category: str
    status: str
    received_on: str
    responses: list[PublicResponse]


class StaffResponse(BaseModel):
    status: str
    response: str
    at: str
    by: str = Field(description="who recorded it (the token's subject)")


class PublicInputItem(BaseModel):
    kind: str = Field(description="comment or complaint")
    id: str = Field(description="comment: the survey's event id; complaint: its complaint_id")
    received_at: str
    service_unit: str
    agency: str
    status: str = Field(description="comment: OPEN, FOLLOWED_UP; complaint: RECEIVED ... CLOSED, REJECTED")
    text: str
    category: str | None
    officer_code: str | None
    officer_nip: str | None
    tracking_code: str | None
    lapor_ticket: str | None
    has_contact: bool
    contact: str | None = Field(description="HR only; null for every other role")
    responses: list[StaffResponse]


class PublicInputList(Paged):
    kind: str | None
    status: str | None
    agency: str | None
    items: list[PublicInputItem]


class UnitComplaints(BaseModel):
    code: str
    name: str
    figures: dict[str, PublicFigure]


class ComplaintStatistics(BaseModel):
    agency: str
    name: str
    year: int
    k: int
    note: str
    figures: dict[str, PublicFigure] = Field(
        description="received, responded, median_days_to_response (each suppressed under k)"
    )
    units: list[UnitComplaints]

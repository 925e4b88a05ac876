"""The Complaint aggregate: one citizen's complaint (pengaduan) about a service unit, and HR's
handling of it. A complaint is not a sanction and is not recorded on anyone's employee record;
a sanction decision may cite its events as evidence like any event."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.envelope import Envelope, LedgerAggregate, LedgerEvent
from ledger.errors import ComplaintStatusRefused, FieldError, reject
from ledger.nip import stream_id
from ledger.vocabulary import ComplaintCategory, ComplaintStatus

S = ComplaintStatus
# Where a complaint may go from each status (docs/PUBLIC_INPUT.md). CLOSED and REJECTED are final.
TRANSITIONS: dict[ComplaintStatus, frozenset[ComplaintStatus]] = {
    S.RECEIVED: frozenset({S.IN_PROGRESS, S.RESPONDED, S.REJECTED}),
    S.IN_PROGRESS: frozenset({S.RESPONDED, S.REJECTED}),
    S.RESPONDED: frozenset({S.IN_PROGRESS, S.CLOSED}),
    S.CLOSED: frozenset(),
    S.REJECTED: frozenset(),
}


class Complaint(LedgerAggregate):
    class Event(LedgerEvent):
        pass

    class ComplaintReceived(Event, Aggregate.Created):
        """`contact` is personal data: stored here (the audited bytes), shown to HR only."""

        tracking_code: str
        service_unit: str
        agency: str
        officer_code: str | None
        officer_nip: str | None
        category: str
        text: str
        contact: str | None
        lapor_ticket: str | None

    class ComplaintUpdated(Event):
        """A change of status by HR with the response the citizen reads (REJECTED: the reason)."""

        status: str
        response: str

        def apply(self, aggregate: Any) -> None:
            aggregate.status = self.status

    def __init__(
        self,
        tracking_code: str,
        service_unit: str,
        agency: str,
        officer_code: str | None,
        officer_nip: str | None,
        category: str,
        text: str,
        contact: str | None,
        lapor_ticket: str | None,
    ) -> None:
        self.tracking_code = tracking_code
        self.service_unit = service_unit
        self.agency = agency
        self.status = ComplaintStatus.RECEIVED.value

    @staticmethod
    def create_id(tracking_code: str) -> UUID:
        return stream_id("complaint", tracking_code)

    @classmethod
    def receive(
        cls,
        env: Envelope,
        *,
        tracking_code: str,
        service_unit: str,
        agency: str,
        officer_code: str | None,
        officer_nip: str | None,
        category: ComplaintCategory,
        text: str,
        contact: str | None,
        lapor_ticket: str | None,
    ) -> Complaint:
        return cls._create(
            cls.ComplaintReceived,
            id=cls.create_id(tracking_code),
            tracking_code=tracking_code,
            service_unit=service_unit,
            agency=agency,
            officer_code=officer_code,
            officer_nip=officer_nip,
            category=category.value,
            text=text,
            contact=contact,
            lapor_ticket=lapor_ticket,
            **env.fields(),
        )

    def update(self, env: Envelope, *, status: ComplaintStatus, response: str) -> str:
        """Move the complaint on. RECEIVED is never a target (422); a move the lifecycle does not
        allow from the current status is refused as a conflict with the complaint's state (409)."""
        if status is ComplaintStatus.RECEIVED:
            reject([FieldError("status", "RECEIVED is the status of a new complaint, never a change")])
        current = ComplaintStatus(self.status)
        if status not in TRANSITIONS[current]:
            allowed = ", ".join(sorted(TRANSITIONS[current])) or "none: it is final"
            raise ComplaintStatusRefused(
                f"a {current.value} complaint cannot become {status.value} (allowed: {allowed})"
            )
        return self.record(Complaint.ComplaintUpdated, env, status=status.value, response=response)

"""Citizens' complaints (pengaduan) about a service unit, and HR's handling of them."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from ledger.boundary import command
from ledger.domain.complaint import Complaint
from ledger.domain.employee import Employee
from ledger.domain.service_unit import ServiceUnit
from ledger.errors import NotFound
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.tracking import new_code
from ledger.validation import Checker
from ledger.values import Code, Contact, LaporTicket, Text
from ledger.vocabulary import ComplaintCategory, ComplaintStatus

# Codes are 60 random bits: a clash is practically impossible, but one would be a silent merge
# of two citizens' complaints, so a taken code is drawn again.
CODE_DRAWS = 5


class ComplaintCommands(LedgerService):
    @command
    def submit_complaint(
        self,
        ctx: CommandContext,
        *,
        service_unit: Code,
        category: ComplaintCategory,
        text: Text,
        officer_code: Code | None = None,
        contact: Contact | None = None,
        lapor_ticket: LaporTicket | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            unit = self._find(ServiceUnit, service_unit)
            if unit is None:
                c.add("service_unit", "unknown service unit")
            else:
                c.extend(unit.officer_problems(officer_code))
            c.done()
            assert unit is not None
            officer_id = unit.officer_of(officer_code)
            officer = self._load(Employee, UUID(officer_id)) if officer_id else None
            drawn = (new_code(self.random_bytes) for _ in range(CODE_DRAWS))
            code = next((code for code in drawn if not self._exists(Complaint, code)), None)
            if code is None:
                raise RuntimeError("no free tracking code after several draws: check the random source")
            complaint = Complaint.receive(
                self.envelope(ctx),
                tracking_code=code,
                service_unit=unit.code,
                agency=unit.agency,
                officer_code=officer_code if officer else None,
                officer_nip=officer.nip if officer else None,
                category=category,
                text=text,
                contact=contact,
                lapor_ticket=lapor_ticket,
            )
            eid = f"{complaint.id}:{complaint.version}"
            return Pending([complaint], eid, {"complaint_id": eid, "tracking_code": code})

        return self._execute(ctx, build)

    @command
    def update_complaint(
        self, ctx: CommandContext, complaint_id: str, *, status: ComplaintStatus, response: Text
    ) -> CommandResult:
        def build() -> Pending:
            complaint = self._complaint(complaint_id)
            self._check_version(ctx, complaint)
            eid = complaint.update(self.envelope(ctx), status=status, response=response)
            return Pending([complaint], eid, {"complaint_id": complaint_id, "status": status.value})

        return self._execute(ctx, build)

    def _complaint(self, complaint_id: str) -> Complaint:
        """A complaint by its id: the event id of its ComplaintReceived (`<uuid>:1`)."""
        originator, _, version = complaint_id.rpartition(":")
        try:
            found: object = self._aggregate(UUID(originator)) if version == "1" else None
        except (ValueError, AggregateNotFoundError):
            found = None
        if not isinstance(found, Complaint):
            raise NotFound(f"unknown complaint {complaint_id}")
        return found

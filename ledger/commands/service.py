"""The service clock: leave outside the state's liability (CLTN), suspension and the end of service."""

from __future__ import annotations

from datetime import date

from ledger.boundary import command
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.values import Decree, Text
from ledger.vocabulary import LeaveType, ServiceEndReason


class ServiceCommands(LedgerService):
    @command
    def start_leave(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        leave_type: LeaveType,
        started_on: date,
        reason: Text,
        decree_number: Decree,
        decree_date: date,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.start_leave(
                self.envelope(ctx),
                leave_type=leave_type,
                started_on=started_on,
                reason=reason,
                decree_number=decree_number,
                decree_date=decree_date,
            )
            return Pending([employee], eid, {"leave_id": eid})

        return self._execute(ctx, build)

    @command
    def end_leave(
        self,
        ctx: CommandContext,
        nip: str,
        leave_id: str,
        *,
        ended_on: date,
        decree_number: Decree,
        decree_date: date,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.end_leave(
                self.envelope(ctx),
                leave_id,
                ended_on=ended_on,
                decree_number=decree_number,
                decree_date=decree_date,
            )
            return Pending([employee], eid, {"leave_id": leave_id})

        return self._execute(ctx, build)

    @command
    def suspend_employee(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        started_on: date,
        reason: Text,
        decree_number: Decree,
        decree_date: date,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.suspend(
                self.envelope(ctx),
                started_on=started_on,
                reason=reason,
                decree_number=decree_number,
                decree_date=decree_date,
            )
            return Pending([employee], eid, {"suspension_id": eid})

        return self._execute(ctx, build)

    @command
    def end_suspension(
        self,
        ctx: CommandContext,
        nip: str,
        suspension_id: str,
        *,
        ended_on: date,
        decree_number: Decree,
        decree_date: date,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.end_suspension(
                self.envelope(ctx),
                suspension_id,
                ended_on=ended_on,
                decree_number=decree_number,
                decree_date=decree_date,
            )
            return Pending([employee], eid, {"suspension_id": suspension_id})

        return self._execute(ctx, build)

    @command
    def end_service(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        reason: ServiceEndReason,
        ended_on: date,
        decree_number: Decree,
        decree_date: date,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            employee.end_service_allowed()
            eid = employee.end_service(
                self.envelope(ctx),
                reason=reason,
                ended_on=ended_on,
                decree_number=decree_number,
                decree_date=decree_date,
            )
            return Pending([employee], eid, {"service_end_id": eid})

        return self._execute(ctx, build)

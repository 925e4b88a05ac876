"""Training records in JP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ledger.boundary import command
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.values import Name, Title


class TrainingCommands(LedgerService):
    @command
    def record_training(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        title: Title,
        hours_jp: Decimal,
        completed_on: date,
        provider: Name,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.complete_training(
                self.envelope(ctx),
                title=title,
                hours_jp=hours_jp,
                completed_on=completed_on,
                provider=provider,
            )
            return Pending([employee], eid, {"training_id": eid})

        return self._execute(ctx, build, append_only=True)

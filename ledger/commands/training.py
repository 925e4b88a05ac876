"""Training records in JP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ledger import values
from ledger.domain.employee import Employee
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.validation import Checker


class TrainingCommands(LedgerService):
    def record_training(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        title: str,
        hours_jp: float | str | Decimal,
        completed_on: str | date,
        provider: str,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            title_ok = c.text("title", title, max_len=values.TITLE_MAX)
            provider_ok = c.text("provider", provider, max_len=values.NAME_MAX)
            completed = c.date("completed_on", completed_on)
            c.extend(employee.training_date_problems(completed, self.today()))
            jp = c.decimal("hours_jp", hours_jp)
            c.extend(Employee.training_hours_problems(jp, completed, self.today()))
            c.done()
            assert title_ok and provider_ok and completed and jp is not None
            eid = employee.complete_training(
                self.envelope(ctx), title=title_ok, hours_jp=jp, completed_on=completed, provider=provider_ok
            )
            return Pending([employee], eid, {"training_id": eid})

        return self._execute(ctx, build)

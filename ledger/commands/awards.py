"""Awards (penghargaan), recorded as issued with their eligibility, and their revocation."""

from __future__ import annotations

from datetime import date

from ledger import values
from ledger.domain.employee import Employee
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.validation import Checker
from ledger.vocabulary import (
    AwardType,
)


class AwardCommands(LedgerService):
    def grant_award(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        award_type: str,
        reason: str,
        decree_number: str,
        decree_date: str | date,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            kind = c.enum("award_type", award_type, AwardType)
            reason_ok = c.text("reason", reason)
            decree = c.text("decree_number", decree_number, max_len=values.DECREE_MAX)
            decreed = c.date("decree_date", decree_date)
            c.extend(Employee.award_problems(decreed, self.today()))
            c.done()
            assert kind and reason_ok and decree and decreed
            eid = employee.grant_award(
                self.envelope(ctx),
                award_type=kind,
                reason=reason_ok,
                decree_number=decree,
                decree_date=decreed,
            )
            award = employee.awards[eid]
            return Pending(
                [employee],
                eid,
                {
                    "award_id": eid,
                    "eligible": award["eligible"],
                    "ineligibility": award["ineligibility"],
                    "rule_version": award["rule_version"],
                },
            )

        return self._execute(ctx, build)

    def revoke_award(
        self,
        ctx: CommandContext,
        nip: str,
        award_id: str,
        *,
        reason: str,
        decree_number: str,
        decree_date: str | date | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            employee.open_award(award_id)
            c = Checker()
            reason_ok = c.text("reason", reason)
            decree = c.text("decree_number", decree_number, max_len=values.DECREE_MAX)
            decreed = c.date("decree_date", decree_date, required=False)
            c.extend(employee.revocation_problems(award_id, decreed))
            c.done()
            assert reason_ok and decree
            eid = employee.revoke_award(
                self.envelope(ctx), award_id, reason=reason_ok, decree_number=decree, decree_date=decreed
            )
            return Pending([employee], eid, {"award_id": award_id, "revocation_id": eid})

        return self._execute(ctx, build)

"""Awards (penghargaan), recorded as issued with their eligibility, and their revocation."""

from __future__ import annotations

from datetime import date

from ledger.boundary import command
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.values import Decree, Text
from ledger.vocabulary import AwardType


class AwardCommands(LedgerService):
    @command
    def grant_award(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        award_type: AwardType,
        reason: Text,
        decree_number: Decree,
        decree_date: date,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.grant_award(
                self.envelope(ctx),
                award_type=award_type,
                reason=reason,
                decree_number=decree_number,
                decree_date=decree_date,
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

    @command
    def revoke_award(
        self,
        ctx: CommandContext,
        nip: str,
        award_id: str,
        *,
        reason: Text,
        decree_number: Decree,
        decree_date: date | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            employee.open_award(award_id)
            eid = employee.revoke_award(
                self.envelope(ctx),
                award_id,
                reason=reason,
                decree_number=decree_number,
                decree_date=decree_date,
            )
            return Pending([employee], eid, {"award_id": award_id, "revocation_id": eid})

        return self._execute(ctx, build)

"""Discipline commands: a sanction decision as issued, its revocation, appeals and their decisions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

from ledger import values
from ledger.boundary import command
from ledger.domain.employee import Employee
from ledger.nip import Nip
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.validation import Checker
from ledger.values import Decree, EventId, MaxItems, Name, Text, Violation
from ledger.vocabulary import AppealKind, AppealOutcome, DecidingRole, PenaltyCode


class DisciplineCommands(LedgerService):
    @command
    def impose_sanction(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        violation: Violation,
        penalty: PenaltyCode,
        decided_by_role: DecidingRole,
        decree_number: Decree,
        decided_on: date,
        other_violations: Annotated[Sequence[Violation], MaxItems(values.MAX_VIOLATIONS)] = (),
        decided_by_nip: Nip | None = None,
        decided_by_name: Name | None = None,
        effective_date: date | None = None,
        summoned_on: Annotated[Sequence[date], MaxItems(values.MAX_SUMMONS)] = (),
        examined_on: date | None = None,
        bap_number: Decree | None = None,
        evidence: Annotated[Sequence[EventId], MaxItems(values.MAX_EVIDENCE, "event ids")] = (),
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            if decided_by_nip is None and decided_by_name is None:
                c.add("decided_by_name", "give the deciding official's name or NIP")
            c.extend(
                Employee.sanction_problems(decided_on, effective_date, self.today(), summoned_on, examined_on)
            )
            c.extend(Employee.discipline_rule_problems(decided_on))
            c.extend(Employee.penalty_problems("penalty", penalty, decided_on))
            c.done()
            eid = employee.impose_sanction(
                self.envelope(ctx),
                violations=[v.as_event() for v in (violation, *other_violations)],
                penalty=penalty,
                decided_by_role=decided_by_role,
                decided_by_nip=decided_by_nip.value if decided_by_nip else None,
                decided_by_name=decided_by_name,
                decree_number=decree_number,
                decided_on=decided_on,
                effective_date=effective_date,
                summoned_on=list(summoned_on),
                examined_on=examined_on,
                bap_number=bap_number,
                evidence=list(evidence),
            )
            rule_version = employee.sanctions[eid]["rule_version"]
            return Pending([employee], eid, {"sanction_id": eid, "rule_version": rule_version})

        return self._execute(ctx, build)

    @command
    def revoke_sanction(
        self,
        ctx: CommandContext,
        nip: str,
        sanction_id: str,
        *,
        reason: Text,
        decree_number: Decree,
        decided_on: date | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            employee.open_sanction(sanction_id)
            eid = employee.revoke_sanction(
                self.envelope(ctx),
                sanction_id,
                reason=reason,
                decree_number=decree_number,
                decided_on=decided_on,
            )
            return Pending([employee], eid, {"sanction_id": sanction_id, "revocation_id": eid})

        return self._execute(ctx, build)

    @command
    def file_appeal(
        self, ctx: CommandContext, nip: str, sanction_id: str, *, kind: AppealKind, filed_on: date
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            employee.sanction(sanction_id)
            eid = employee.file_appeal(self.envelope(ctx), sanction_id, kind=kind, filed_on=filed_on)
            return Pending([employee], eid, {"appeal_id": eid, "sanction_id": sanction_id})

        return self._execute(ctx, build)

    @command
    def decide_appeal(
        self,
        ctx: CommandContext,
        nip: str,
        sanction_id: str,
        appeal_id: str,
        *,
        outcome: AppealOutcome,
        decided_on: date,
        decree_number: Decree,
        new_penalty: PenaltyCode | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            employee.appeal(sanction_id, appeal_id)
            eid = employee.decide_appeal(
                self.envelope(ctx),
                sanction_id,
                appeal_id,
                outcome=outcome,
                decided_on=decided_on,
                decree_number=decree_number,
                new_penalty=new_penalty,
            )
            return Pending(
                [employee], eid, {"appeal_id": appeal_id, "decision_id": eid, "sanction_id": sanction_id}
            )

        return self._execute(ctx, build)

"""Discipline commands: a sanction decision as issued, its revocation, appeals and their decisions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ledger import values
from ledger.domain.employee import Employee
from ledger.nip import parse_nip
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.validation import Checker
from ledger.vocabulary import (
    AppealKind,
    AppealOutcome,
    DecidingRole,
    Level,
    PenaltyCode,
)


class DisciplineCommands(LedgerService):
    def impose_sanction(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        violation: dict[str, Any],
        penalty: str,
        decided_by_role: str,
        decree_number: str,
        decided_on: str | date,
        other_violations: Sequence[dict[str, Any]] = (),
        decided_by_nip: str | None = None,
        decided_by_name: str | None = None,
        effective_date: str | date | None = None,
        summoned_on: str | date | Sequence[str | date] | None = None,
        examined_on: str | date | None = None,
        bap_number: str | None = None,
        evidence: Sequence[str] = (),
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            violations = [_violation(c, "violation", violation)]
            if len(other_violations) > values.MAX_VIOLATIONS:
                c.add("other_violations", f"at most {values.MAX_VIOLATIONS}")
            violations += [
                _violation(c, f"other_violations[{i}]", v)
                for i, v in enumerate(other_violations[: values.MAX_VIOLATIONS])
            ]
            code = c.enum("penalty", penalty, PenaltyCode)
            role = c.enum("decided_by_role", decided_by_role, DecidingRole)
            if decided_by_nip is not None:
                c.parse("decided_by_nip", decided_by_nip, parse_nip)
            name = c.text("decided_by_name", decided_by_name, required=False, max_len=values.NAME_MAX)
            if decided_by_nip is None and name is None:
                c.add("decided_by_name", "give the deciding official's name or NIP")
            decree = c.text("decree_number", decree_number, max_len=values.DECREE_MAX)
            decided = c.date("decided_on", decided_on)
            effective = c.date("effective_date", effective_date, required=False)
            c.extend(Employee.sanction_problems(decided, effective))
            summons_raw = [summoned_on] if isinstance(summoned_on, str | date) else list(summoned_on or [])
            summons = [c.date(f"summoned_on[{i}]", s) for i, s in enumerate(summons_raw)]
            examined = c.date("examined_on", examined_on, required=False)
            bap = c.text("bap_number", bap_number, required=False, max_len=values.DECREE_MAX)
            if not isinstance(evidence, list | tuple) or len(evidence) > values.MAX_EVIDENCE:
                c.add("evidence", f"a list of at most {values.MAX_EVIDENCE} event ids")
                evidence_ok: list[str] = []
            else:
                evidence_ok = [e for i, e in enumerate(evidence) if c.event_id(f"evidence[{i}]", e)]
            c.extend(Employee.discipline_rule_problems(decided))
            c.done()
            assert code and role and decree and decided
            eid = employee.impose_sanction(
                self.envelope(ctx),
                violations=violations,
                penalty=code,
                decided_by_role=role,
                decided_by_nip=decided_by_nip,
                decided_by_name=name,
                decree_number=decree,
                decided_on=decided,
                effective_date=effective,
                summoned_on=[s for s in summons if s],
                examined_on=examined,
                bap_number=bap,
                evidence=evidence_ok,
            )
            rule_version = employee.sanctions[eid]["rule_version"]
            return Pending([employee], eid, {"sanction_id": eid, "rule_version": rule_version})

        return self._execute(ctx, build)

    def revoke_sanction(
        self,
        ctx: CommandContext,
        nip: str,
        sanction_id: str,
        *,
        reason: str,
        decree_number: str,
        decided_on: str | date | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            employee.open_sanction(sanction_id)
            c = Checker()
            reason_ok = c.text("reason", reason)
            decree = c.text("decree_number", decree_number, max_len=values.DECREE_MAX)
            decided = c.date("decided_on", decided_on, required=False)
            c.extend(employee.sanction_revocation_problems(sanction_id, decided))
            c.done()
            assert reason_ok and decree
            eid = employee.revoke_sanction(
                self.envelope(ctx), sanction_id, reason=reason_ok, decree_number=decree, decided_on=decided
            )
            return Pending([employee], eid, {"sanction_id": sanction_id, "revocation_id": eid})

        return self._execute(ctx, build)

    def file_appeal(
        self, ctx: CommandContext, nip: str, sanction_id: str, *, kind: str, filed_on: str | date
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            employee.sanction(sanction_id)
            c = Checker()
            kind_ok = c.enum("kind", kind, AppealKind)
            filed = c.date("filed_on", filed_on)
            c.extend(employee.appeal_problems(sanction_id, filed, self.today()))
            c.done()
            assert kind_ok and filed
            eid = employee.file_appeal(self.envelope(ctx), sanction_id, kind=kind_ok, filed_on=filed)
            return Pending([employee], eid, {"appeal_id": eid, "sanction_id": sanction_id})

        return self._execute(ctx, build)

    def decide_appeal(
        self,
        ctx: CommandContext,
        nip: str,
        sanction_id: str,
        appeal_id: str,
        *,
        outcome: str,
        decided_on: str | date,
        decree_number: str,
        new_penalty: str | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            employee.appeal(sanction_id, appeal_id)
            c = Checker()
            outcome_ok = c.enum("outcome", outcome, AppealOutcome)
            decided = c.date("decided_on", decided_on)
            decree = c.text("decree_number", decree_number, max_len=values.DECREE_MAX)
            new_code = c.enum("new_penalty", new_penalty, PenaltyCode) if new_penalty is not None else None
            c.extend(
                employee.appeal_decision_problems(
                    sanction_id, appeal_id, outcome_ok, new_penalty is not None, decided, self.today()
                )
            )
            c.done()
            assert outcome_ok and decided and decree
            eid = employee.decide_appeal(
                self.envelope(ctx),
                sanction_id,
                appeal_id,
                outcome=outcome_ok,
                decided_on=decided,
                decree_number=decree,
                new_penalty=new_code,
            )
            return Pending(
                [employee], eid, {"appeal_id": appeal_id, "decision_id": eid, "sanction_id": sanction_id}
            )

        return self._execute(ctx, build)


def _violation(c: Checker, prefix: str, raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict):
        c.add(prefix, "must be an object {description, level, absence_days?, consecutive_absence_days?}")
        return {"level": Level.RINGAN.value}
    description = c.text(f"{prefix}.description", raw.get("description"), max_len=values.DESCRIPTION_MAX)
    level = c.enum(f"{prefix}.level", raw.get("level"), Level)
    out: dict[str, Any] = {"description": description, "level": level.value if level else Level.RINGAN.value}
    for key in ("absence_days", "consecutive_absence_days"):
        if raw.get(key) is not None:
            out[key] = c.int_range(f"{prefix}.{key}", raw[key], 0, values.ABSENCE_DAYS_MAX)
    unknown = set(raw) - {"description", "level", "absence_days", "consecutive_absence_days"}
    for key in sorted(unknown):
        c.add(f"{prefix}.{key}", "unknown field")
    return out

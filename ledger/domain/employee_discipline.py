"""Discipline of an employee: sanctions as decided, appeals (keberatan, banding) and their
decisions, revocations. The lifecycle of a sanction is ledger.discipline.lifecycle; the
inspectorate judges the decisions (ledger.discipline). A mixin of Employee
(ledger/domain/employee.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ledger import values
from ledger.discipline.lifecycle import penalty_end, stands
from ledger.domain.employee_dates import not_before, not_in_future
from ledger.domain.employee_state import EmployeeState
from ledger.domain.envelope import Envelope
from ledger.errors import AlreadyDecided, AlreadyEnded, FieldError, NotFound, reject
from ledger.rules import DISCIPLINE_RULES
from ledger.rules.discipline import LEVEL_ORDER
from ledger.vocabulary import DISMISSALS, AppealKind, AppealOutcome, DecidingRole, Level, PenaltyCode


class EmployeeDiscipline(EmployeeState):
    @staticmethod
    def sanction_problems(
        decided_on: date | None,
        effective_date: date | None,
        today: date,
        summoned_on: Sequence[date | None] = (),
        examined_on: date | None = None,
    ) -> list[FieldError]:
        """The decision, the summons and the examination are past; the penalty may take effect
        up to a year ahead, never before the decision."""
        problems = not_in_future("decided_on", decided_on, today)
        if decided_on and effective_date and effective_date < decided_on:
            problems.append(FieldError("effective_date", "a penalty cannot take effect before it is decided"))
        problems += values.effective_date_problems("effective_date", effective_date, today)
        for i, day in enumerate(summoned_on):
            problems += not_in_future(f"summoned_on[{i}]", day, today)
        return problems + not_in_future("examined_on", examined_on, today)

    @staticmethod
    def discipline_rule_problems(decided_on: date | None) -> list[FieldError]:
        if decided_on and DISCIPLINE_RULES.find(decided_on) is None:
            return [FieldError("decided_on", DISCIPLINE_RULES.describe_start())]
        return []

    @staticmethod
    def penalty_problems(
        field: str, penalty: PenaltyCode | None, decided_on: date | None
    ) -> list[FieldError]:
        """A penalty code belongs to the rule version of the decision date (PP 53/2010 or PP 94/2021)."""
        rule = DISCIPLINE_RULES.find(decided_on) if decided_on else None
        if penalty is None or rule is None or rule.knows(penalty):
            return []
        return [FieldError(field, rule.unknown_penalty(penalty))]

    def impose_sanction(
        self,
        env: Envelope,
        *,
        violations: list[dict[str, Any]],
        penalty: PenaltyCode,
        decided_by_role: DecidingRole,
        decided_by_nip: str | None,
        decided_by_name: str | None,
        decree_number: str,
        decided_on: date,
        effective_date: date | None,
        summoned_on: list[date],
        examined_on: date | None,
        bap_number: str | None,
        evidence: list[str],
    ) -> str:
        """Record the decision as issued (the inspectorate judges it); the heaviest violation sets
        the level, the penalty's duration runs from its effective date."""
        reject(
            self.sanction_problems(decided_on, effective_date, env.today, summoned_on, examined_on)
            + self.discipline_rule_problems(decided_on)
            + self.penalty_problems("penalty", penalty, decided_on)
        )
        rule = DISCIPLINE_RULES.in_force(decided_on)
        start = effective_date or decided_on
        levels = [Level(v["level"]) for v in violations]
        return self.record(
            self.SanctionImposed,
            env.at(start, rule_version=rule.version, decree_number=decree_number, decree_date=decided_on),
            violations=violations,
            level=max(levels, key=LEVEL_ORDER.__getitem__).value,
            penalty=penalty.value,
            decided_by_role=decided_by_role.value,
            decided_by_nip=decided_by_nip,
            decided_by_name=decided_by_name,
            decided_on=decided_on,
            summoned_on=summoned_on,
            examined_on=examined_on,
            bap_number=bap_number,
            evidence=evidence,
            in_force_until=penalty_end(start, rule.penalty(penalty).duration_months),
        )

    def sanction(self, sanction_id: str) -> dict[str, Any]:
        sanction = self.sanctions.get(sanction_id)
        if sanction is None:
            raise NotFound(f"unknown sanction {sanction_id} for this employee")
        return sanction

    def open_sanction(self, sanction_id: str) -> dict[str, Any]:
        """A sanction that can still be revoked: neither revoked nor annulled."""
        sanction = self.sanction(sanction_id)
        if not stands(sanction["status"]):
            raise AlreadyEnded(f"sanction {sanction_id} has already ended ({sanction['status']})")
        return sanction

    def sanction_revocation_problems(
        self, sanction_id: str, decided_on: date | None, today: date
    ) -> list[FieldError]:
        decided = date.fromisoformat(self.open_sanction(sanction_id)["decided_on"])
        return not_before(
            "decided_on", decided_on, decided, "before the sanction's own decision"
        ) + not_in_future("decided_on", decided_on, today)

    def revoke_sanction(
        self, env: Envelope, sanction_id: str, *, reason: str, decree_number: str, decided_on: date | None
    ) -> str:
        self.open_sanction(sanction_id)
        reject(self.sanction_revocation_problems(sanction_id, decided_on, env.today))
        return self.record(
            self.SanctionRevoked,
            env.at(decided_on, decree_number=decree_number, decree_date=decided_on or env.today),
            sanction_id=sanction_id,
            reason=reason,
        )

    def appeal_problems(self, sanction_id: str, filed_on: date | None, today: date) -> list[FieldError]:
        decided = date.fromisoformat(self.sanction(sanction_id)["decided_on"])
        return not_before("filed_on", filed_on, decided, "before the decision it appeals") + not_in_future(
            "filed_on", filed_on, today
        )

    def file_appeal(self, env: Envelope, sanction_id: str, *, kind: AppealKind, filed_on: date) -> str:
        reject(self.appeal_problems(sanction_id, filed_on, env.today))
        return self.record(
            self.SanctionAppealFiled,
            env.at(filed_on),
            sanction_id=sanction_id,
            kind=kind.value,
            filed_on=filed_on,
        )

    def appeal(self, sanction_id: str, appeal_id: str) -> dict[str, Any]:
        appeal: dict[str, Any] | None = self.sanction(sanction_id)["appeals"].get(appeal_id)
        if appeal is None:
            raise NotFound(f"unknown appeal {appeal_id} for this sanction")
        if appeal["outcome"] is not None:
            raise AlreadyDecided(f"appeal {appeal_id} is already decided")
        return appeal

    def appeal_decision_problems(
        self,
        sanction_id: str,
        appeal_id: str,
        outcome: AppealOutcome | None,
        new_penalty: PenaltyCode | None,
        decided_on: date | None,
        today: date,
    ) -> list[FieldError]:
        appeal = self.appeal(sanction_id, appeal_id)
        sanction = self.sanction(sanction_id)
        problems = []
        if outcome is AppealOutcome.MODIFIED and new_penalty is None:
            problems.append(FieldError("new_penalty", "required when the outcome is MODIFIED"))
        if outcome is not None and outcome is not AppealOutcome.MODIFIED and new_penalty is not None:
            problems.append(FieldError("new_penalty", "only with the outcome MODIFIED"))
        if outcome is AppealOutcome.MODIFIED and new_penalty is not None:
            # The appeal reviews the decision under the rule it was taken by (its own decision date).
            problems += self.penalty_problems(
                "new_penalty", new_penalty, date.fromisoformat(sanction["decided_on"])
            )
            if new_penalty.value == sanction["penalty"]:
                problems.append(
                    FieldError(
                        "new_penalty",
                        f"is the penalty already in force ({sanction['penalty']}); a MODIFIED outcome "
                        "changes the penalty, UPHELD keeps it",
                    )
                )
        filed = date.fromisoformat(appeal["filed_on"])
        problems += not_before("decided_on", decided_on, filed, "before the appeal was filed")
        problems += not_in_future("decided_on", decided_on, today)
        return problems + self.discipline_rule_problems(decided_on)

    def decide_appeal(
        self,
        env: Envelope,
        sanction_id: str,
        appeal_id: str,
        *,
        outcome: AppealOutcome,
        decided_on: date,
        decree_number: str,
        new_penalty: PenaltyCode | None,
    ) -> str:
        """A MODIFIED outcome replaces the penalty, its duration running from the original start."""
        reject(
            self.appeal_decision_problems(sanction_id, appeal_id, outcome, new_penalty, decided_on, env.today)
        )
        # The rule of the decision under appeal, whenever the appeal is decided.
        rule = DISCIPLINE_RULES.in_force(date.fromisoformat(self.sanction(sanction_id)["decided_on"]))
        new_level = new_until = None
        if new_penalty is not None:
            p = rule.penalty(new_penalty)
            new_level = p.level.value
            start = date.fromisoformat(self.sanction(sanction_id)["effective_date"])
            new_until = penalty_end(start, p.duration_months)
        return self.record(
            self.SanctionAppealDecided,
            env.at(
                decided_on, rule_version=rule.version, decree_number=decree_number, decree_date=decided_on
            ),
            sanction_id=sanction_id,
            appeal_id=appeal_id,
            outcome=outcome.value,
            decided_on=decided_on,
            new_penalty=new_penalty.value if new_penalty else None,
            new_level=new_level,
            new_in_force_until=new_until,
        )

    def dismissed_on(self) -> date | None:
        """Effective date of a dismissal that still stands, if any."""
        for s in self.sanctions.values():
            if s["penalty"] in DISMISSALS and stands(s["status"]):
                return date.fromisoformat(s["effective_date"])
        return None

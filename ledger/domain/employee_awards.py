"""Awards and training of an employee: grants flagged by eligibility (never refused), revocations,
training hours (JP). A mixin of Employee (ledger/domain/employee.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from ledger.decimals import plain_normal
from ledger.discipline.lifecycle import SanctionStatus, in_force_until, revoked_on
from ledger.domain.employee_dates import not_before, not_in_future
from ledger.domain.employee_state import EmployeeState
from ledger.domain.envelope import Envelope
from ledger.errors import AlreadyEnded, FieldError, NotFound, reject
from ledger.rules import AWARD_RULES, TRAINING_RULES
from ledger.rules.awards import SanctionFact
from ledger.vocabulary import AwardType


class EmployeeAwards(EmployeeState):
    @staticmethod
    def award_problems(decree_date: date | None, today: date) -> list[FieldError]:
        problems = not_in_future("decree_date", decree_date, today)
        if decree_date and AWARD_RULES.find(decree_date) is None:
            problems.append(FieldError("decree_date", AWARD_RULES.describe_start()))
        return problems

    def grant_award(
        self, env: Envelope, *, award_type: AwardType, reason: str, decree_number: str, decree_date: date
    ) -> str:
        """Record the award as issued; an ineligible one is flagged with its reasons, never refused."""
        reject(self.award_problems(decree_date, env.today))
        rule = AWARD_RULES.in_force(decree_date)
        problems = rule.assess(award_type, decree_date, self.service_record(), self.sanction_facts())
        return self.record(
            self.AwardGranted,
            env.at(
                decree_date, rule_version=rule.version, decree_number=decree_number, decree_date=decree_date
            ),
            award_type=award_type.value,
            reason=reason,
            eligible=not problems,
            ineligibility=[{"reason": p.reason, "event_ids": list(p.event_ids)} for p in problems],
        )

    def open_award(self, award_id: str) -> dict[str, Any]:
        """An award that can still be revoked."""
        award = self.awards.get(award_id)
        if award is None:
            raise NotFound(f"unknown award {award_id} for this employee")
        if award["revoked_by"]:
            raise AlreadyEnded(f"award {award_id} is already revoked")
        return award

    def revocation_problems(self, award_id: str, decree_date: date | None, today: date) -> list[FieldError]:
        granted = date.fromisoformat(self.open_award(award_id)["decree_date"])
        return not_before(
            "decree_date", decree_date, granted, "before the award's own decree"
        ) + not_in_future("decree_date", decree_date, today)

    def revoke_award(
        self, env: Envelope, award_id: str, *, reason: str, decree_number: str, decree_date: date | None
    ) -> str:
        self.open_award(award_id)
        reject(self.revocation_problems(award_id, decree_date, env.today))
        return self.record(
            self.AwardRevoked,
            env.at(decree_date, decree_number=decree_number, decree_date=decree_date or env.today),
            award_id=award_id,
            reason=reason,
        )

    def training_date_problems(self, completed_on: date | None, today: date) -> list[FieldError]:
        return not_in_future("completed_on", completed_on, today) + not_before(
            "completed_on", completed_on, self.service_start_date, "before the employee's service start date"
        )

    @staticmethod
    def training_hours_problems(
        hours_jp: Decimal | None, completed_on: date | None, today: date
    ) -> list[FieldError]:
        # Training before the 20 JP rule is still a fact; it is bounded by the first rule.
        rule = TRAINING_RULES.find(completed_on or today) or TRAINING_RULES.versions[0]
        if hours_jp is not None and not rule.min_jp_per_record <= hours_jp <= rule.max_jp_per_record:
            return [
                FieldError(
                    "hours_jp", f"must be between {rule.min_jp_per_record} and {rule.max_jp_per_record} JP"
                )
            ]
        return []

    def complete_training(
        self, env: Envelope, *, title: str, hours_jp: Decimal, completed_on: date, provider: str
    ) -> str:
        reject(
            self.training_date_problems(completed_on, env.today)
            + self.training_hours_problems(hours_jp, completed_on, env.today)
        )
        rule = TRAINING_RULES.find(completed_on)
        return self.record(
            self.TrainingCompleted,
            env.at(completed_on, rule_version=rule.version if rule else None),
            title=title,
            hours_jp=plain_normal(hours_jp),
            provider=provider,
        )

    def sanction_facts(self) -> list[SanctionFact]:
        return [sanction_fact(s) for s in self.sanctions.values()]


def sanction_fact(s: Mapping[str, Any]) -> SanctionFact:
    """What award eligibility needs of one sanction, from the keys every holder of a sanction
    keeps (sanction_id, level, decided_on, effective_date, penalty, in_force_until, status,
    revoked_on): the aggregate's `sanctions` and the read models that judge awards."""
    return SanctionFact(
        sanction_id=s["sanction_id"],
        level=s["level"],
        imposed_on=date.fromisoformat(s["decided_on"]),
        in_force_from=date.fromisoformat(s["effective_date"]),
        in_force_until=in_force_until(s),
        annulled=s["status"] == SanctionStatus.ANNULLED,
        revoked_on=revoked_on(s),
    )

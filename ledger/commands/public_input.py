"""What citizens send: the satisfaction survey of a service unit, naming an officer or not."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerAggregate
from ledger.domain.service_unit import ServiceUnit
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.validation import Checker


class PublicInputCommands(LedgerService):
    def submit_survey(
        self,
        ctx: CommandContext,
        *,
        service_unit: str,
        answers: dict[str, Any],
        officer_code: str | None = None,
        comment: str | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            unit_code = c.code("service_unit", service_unit)
            unit = self._find(ServiceUnit, unit_code) if unit_code else None
            if unit_code and unit is None:
                c.add("service_unit", "unknown service unit")
            c.extend(ServiceUnit.survey_problems(answers, self.today()))
            comment_ok = c.text("comment", comment, required=False)
            if unit is not None:
                c.extend(unit.officer_problems(officer_code))
            c.done()
            assert unit is not None
            officer_id = unit.officer_of(officer_code)
            officer = self._load(Employee, UUID(officer_id)) if officer_id else None
            eid = unit.receive_survey(
                self.envelope(ctx),
                answers=answers,
                comment=comment_ok,
                officer_code=officer_code,
                officer=officer,
            )
            touched: list[LedgerAggregate] = [unit] if officer is None else [unit, officer]
            return Pending(touched, eid, {"survey_id": eid})

        return self._execute(ctx, build)

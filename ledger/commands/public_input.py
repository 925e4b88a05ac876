"""What citizens send: the satisfaction survey of a service unit, naming an officer or not; and
HR's review of a burst of surveys naming one officer (ledger.rules.bursts)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ledger.boundary import command
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerAggregate
from ledger.domain.service_unit import ServiceUnit
from ledger.errors import NotFound
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.validation import Checker
from ledger.values import Code, Text
from ledger.vocabulary import BurstDecision


class PublicInputCommands(LedgerService):
    @command
    def submit_survey(
        self,
        ctx: CommandContext,
        *,
        service_unit: Code,
        answers: dict[str, Any],
        officer_code: Code | None = None,
        comment: Text | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            unit = self._find(ServiceUnit, service_unit)
            if unit is None:
                c.add("service_unit", "unknown service unit")
            c.extend(ServiceUnit.survey_problems(answers, self.today()))
            if unit is not None:
                c.extend(unit.officer_problems(officer_code))
            c.done()
            assert unit is not None
            officer_id = unit.officer_of(officer_code)
            officer = self._load(Employee, UUID(officer_id)) if officer_id else None
            eid = unit.receive_survey(
                self.envelope(ctx),
                answers=answers,
                comment=comment,
                officer_code=officer_code,
                officer=officer,
            )
            touched: list[LedgerAggregate] = [unit] if officer is None else [unit, officer]
            return Pending(touched, eid, {"survey_id": eid})

        return self._execute(ctx, build, append_only=True)

    @command
    def review_survey_burst(
        self, ctx: CommandContext, nip: str, burst_id: str, *, decision: BurstDecision, reason: Text
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.review_survey_burst(self.envelope(ctx), burst_id, decision=decision, reason=reason)
            return Pending([employee], eid, {"burst_id": burst_id, "review_id": eid})

        return self._execute(ctx, build)

    @command
    def follow_up_comment(self, ctx: CommandContext, comment_id: str, *, response: Text) -> CommandResult:
        """HR answers a citizen's survey comment; the comment id is the survey's event id."""

        def build() -> Pending:
            originator, _, version = comment_id.rpartition(":")
            survey = None
            try:
                found = list(self.events.get(UUID(originator), gt=int(version) - 1, lte=int(version)))
            except ValueError:
                found = []
            if found and isinstance(found[0], ServiceUnit.SurveyResponseReceived):
                survey = found[0]
            if survey is None:
                raise NotFound(f"unknown comment {comment_id}")
            unit = self._load(ServiceUnit, survey.originator_id)
            self._check_version(ctx, unit)
            eid = unit.follow_up_comment(
                self.envelope(ctx), survey=survey, comment_id=comment_id, response=response
            )
            return Pending([unit], eid, {"comment_id": comment_id})

        return self._execute(ctx, build)

"""The performance management cycle (PermenPANRB 6/2022): SKP plans and their revisions,
realisations, performance dialogues and BerAKHLAK feedback (docs/SKP.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ledger.boundary import command
from ledger.decimals import plain_normal
from ledger.domain.employee import Employee
from ledger.nip import Nip
from ledger.period import Period
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.values import (
    MAX_SKP_ITEMS,
    Amount,
    EvidenceRef,
    Expectations,
    IndicatorNumber,
    ItemNumber,
    MaxItems,
    ReportPeriod,
    SkpItem,
    SkpYear,
    Text,
)
from ledger.vocabulary import CoreValue, FeedbackSource, Rating

Items = Annotated[list[SkpItem], MaxItems(MAX_SKP_ITEMS, "RHK items")]


class SkpCommands(LedgerService):
    def _appraiser_known(self, employee: Employee, appraiser_nip: Nip) -> bool:
        return appraiser_nip.value != employee.nip and self._exists(Employee, appraiser_nip.value)

    @command
    def plan_skp(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        year: SkpYear,
        items: Items,
        appraiser_nip: Nip,
        period: Period | None = None,
        behaviour_expectations: Expectations | None = None,
    ) -> CommandResult:
        """The SKP plan of a year (a PPPK: of the contract period within it, `period`), as the
        appraiser `appraiser_nip` approved it."""

        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.plan_skp(
                self.envelope(ctx),
                year=year,
                period=period,
                items=items,
                expectations=behaviour_expectations,
                appraiser=appraiser_nip,
                appraiser_known=self._appraiser_known(employee, appraiser_nip),
            )
            return Pending([employee], eid, {"skp_id": eid})

        return self._execute(ctx, build)

    @command
    def revise_skp(
        self,
        ctx: CommandContext,
        nip: str,
        skp_id: str,
        *,
        items: Items,
        appraiser_nip: Nip,
        reason: Text,
        behaviour_expectations: Expectations | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.revise_skp(
                self.envelope(ctx),
                skp_id,
                items=items,
                expectations=behaviour_expectations,
                appraiser=appraiser_nip,
                appraiser_known=self._appraiser_known(employee, appraiser_nip),
                reason=reason,
            )
            return Pending([employee], eid, {"skp_id": skp_id, "revision_id": eid})

        return self._execute(ctx, build)

    @command
    def report_realisation(
        self,
        ctx: CommandContext,
        nip: str,
        skp_id: str,
        *,
        item: ItemNumber,
        indicator: IndicatorNumber,
        period: ReportPeriod,
        value: Amount,
        evidence_ref: EvidenceRef | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.report_realisation(
                self.envelope(ctx),
                skp_id,
                item=item,
                indicator=indicator,
                period=period,
                value=plain_normal(value),
                evidence_ref=evidence_ref,
            )
            recorded = employee.skp_plan(skp_id)["realisations"][eid]
            return Pending(
                [employee],
                eid,
                {"skp_id": skp_id, "realisation_id": eid, "supersedes": recorded["supersedes"]},
            )

        return self._execute(ctx, build)

    @command
    def hold_dialogue(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        held_on: date,
        summary: Text,
        agreed_actions: Text | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.hold_dialogue(
                self.envelope(ctx), held_on=held_on, summary=summary, agreed_actions=agreed_actions
            )
            skp_id = employee.skp_state()["dialogues"][eid]["skp_id"]
            return Pending([employee], eid, {"dialogue_id": eid, "skp_id": skp_id})

        return self._execute(ctx, build)

    @command
    def give_behaviour_feedback(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        value: CoreValue,
        rating: Rating,
        source: FeedbackSource,
        note: Text | None = None,
    ) -> CommandResult:
        """Feedback on a BerAKHLAK core value; the caller is the giver (SUPERVISOR or PEER)."""

        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.give_behaviour_feedback(
                self.envelope(ctx), value=value, rating=rating, source=source, note=note
            )
            return Pending([employee], eid, {"feedback_id": eid})

        return self._execute(ctx, build)

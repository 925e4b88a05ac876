"""The performance management cycle of an employee (PermenPANRB 6/2022): the SKP plan and its
revisions, realisations against its indicators, performance dialogues and BerAKHLAK feedback.
A mixin of Employee (ledger/domain/employee.py); why the plan lives on the employee's stream is
in docs/DECISIONS.md.

The plan's id (`skp_id`) is the event id of its SkpPlanned. Items and indicators are numbered
from 1 in the order the plan (as last revised) lists them; a realisation names them by number and
keeps the indicator's aspect and name, so a revision that changes what a number measures does not
carry the old reports over (docs/SKP.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ledger.domain.employee_dates import not_before, not_in_future
from ledger.domain.employee_state import EmployeeState
from ledger.domain.envelope import Envelope
from ledger.errors import AlreadyPlanned, AlreadyReported, FieldError, NotFound, reject
from ledger.nip import Nip
from ledger.period import Period, parse_period
from ledger.values import Expectations, ReportPeriod, SkpItem
from ledger.vocabulary import CoreValue, FeedbackSource, Rating


class EmployeeSkp(EmployeeState):
    def skp_state(self) -> dict[str, Any]:
        """Plans by skp_id, dialogues and feedback by event id. Created on first use, so that a
        snapshot taken before it existed loads."""
        state: dict[str, Any] = self.__dict__.setdefault(
            "skp", {"plans": {}, "dialogues": {}, "feedback": {}}
        )
        return state

    def skp_plan(self, skp_id: str) -> dict[str, Any]:
        plan: dict[str, Any] | None = self.skp_state()["plans"].get(skp_id)
        if plan is None:
            raise NotFound(f"unknown SKP plan {skp_id} for this employee")
        return plan

    def plan_on(self, day: date) -> dict[str, Any] | None:
        """The plan whose period covers `day`, if any."""
        plans: dict[str, dict[str, Any]] = self.skp_state()["plans"]
        for plan in plans.values():
            period = parse_period(plan["period"])
            if period.start <= day <= period.end:
                return plan
        return None

    # ------------------------------------------------------------------ plan and revisions

    def plan_problems(
        self,
        *,
        year: int | None,
        period: Period | None,
        items: Sequence[SkpItem] | None,
        appraiser: Nip | None,
        appraiser_known: bool,
        today: date,
    ) -> list[FieldError]:
        problems = []
        if year is not None and year > today.year + 1:
            problems.append(FieldError("year", f"at most next year ({today.year + 1})"))
        if year is not None and period is not None and period.year != year:
            problems.append(FieldError("period", f"must lie within the plan's year {year}"))
        if items is not None and not items:
            problems.append(FieldError("items", "at least one RHK item"))
        if appraiser:
            if appraiser.value == self.nip:
                problems.append(FieldError("appraiser_nip", "an employee cannot approve their own plan"))
            elif not appraiser_known:
                problems.append(FieldError("appraiser_nip", "unknown NIP"))
        return problems

    def plan_skp(
        self,
        env: Envelope,
        *,
        year: int,
        period: Period | None,
        items: Sequence[SkpItem],
        expectations: Expectations | None,
        appraiser: Nip,
        appraiser_known: bool,
    ) -> str:
        """The plan as the appraiser approved it; one plan per period (PPPK: per contract period)."""
        reject(
            self.plan_problems(
                year=year,
                period=period,
                items=items,
                appraiser=appraiser,
                appraiser_known=appraiser_known,
                today=env.today,
            )
        )
        covered = period or parse_period(str(year))
        for plan in self.skp_state()["plans"].values():
            if _months_overlap(plan["period"], covered):
                raise AlreadyPlanned(
                    f"an SKP plan for {plan['period']} exists ({plan['skp_id']}); record a revision"
                )
        return self.record(
            self.SkpPlanned,
            env,
            year=year,
            period=covered.text,
            items=[i.as_event() for i in items],
            behaviour_expectations=(expectations or Expectations()).as_event(),
            appraiser_nip=appraiser.value,
        )

    def revise_skp(
        self,
        env: Envelope,
        skp_id: str,
        *,
        items: Sequence[SkpItem],
        expectations: Expectations | None,
        appraiser: Nip,
        appraiser_known: bool,
        reason: str,
    ) -> str:
        """A new version of the plan, approved again; the expectations stay when not given."""
        plan = self.skp_plan(skp_id)
        reject(
            self.plan_problems(
                year=None,
                period=None,
                items=items,
                appraiser=appraiser,
                appraiser_known=appraiser_known,
                today=env.today,
            )
        )
        kept = plan["behaviour_expectations"] if expectations is None else expectations.as_event()
        return self.record(
            self.SkpRevised,
            env,
            skp_id=skp_id,
            items=[i.as_event() for i in items],
            behaviour_expectations=kept,
            appraiser_nip=appraiser.value,
            reason=reason,
        )

    # ------------------------------------------------------------------ realisation

    @staticmethod
    def realisation_problems(
        plan: Mapping[str, Any], item: int, indicator: int, period: ReportPeriod, today: date
    ) -> list[FieldError]:
        problems = []
        items = plan["items"]
        if item > len(items):
            problems.append(FieldError("item", f"the plan has {len(items)} RHK item(s)"))
        elif indicator > len(items[item - 1]["indicators"]):
            count = len(items[item - 1]["indicators"])
            problems.append(FieldError("indicator", f"RHK item {item} has {count} indicator(s)"))
        covered = parse_period(plan["period"])
        if not (covered.start <= period.start and period.end <= _day_after(covered.end)):
            problems.append(FieldError("period", f"outside the plan's period {plan['period']}"))
        elif period.start > today:
            problems.append(FieldError("period", "has not started yet"))
        return problems

    def report_realisation(
        self,
        env: Envelope,
        skp_id: str,
        *,
        item: int,
        indicator: int,
        period: ReportPeriod,
        value: str,
        evidence_ref: str | None,
    ) -> str:
        """What was done in a month or quarter; a report for the same period replaces the earlier
        one (it names it), a report for an overlapping other period is refused."""
        plan = self.skp_plan(skp_id)
        reject(self.realisation_problems(plan, item, indicator, period, env.today))
        measured = plan["items"][item - 1]["indicators"][indicator - 1]
        supersedes = None
        for earlier in plan["realisations"].values():
            if earlier["superseded_by"] or (earlier["item"], earlier["indicator"]) != (item, indicator):
                continue
            if earlier["period"] == period:
                supersedes = earlier["realisation_id"]
            elif ReportPeriod(earlier["period"]).overlaps(period):
                raise AlreadyReported(
                    f"{earlier['period']} is already reported for item {item}, indicator {indicator}, "
                    f"and overlaps {period}"
                )
        return self.record(
            self.RealisationReported,
            env.at(period.end - _ONE_DAY),
            skp_id=skp_id,
            item=item,
            indicator=indicator,
            aspect=measured["aspect"],
            indicator_name=measured["name"],
            period=str(period),
            value=value,
            evidence_ref=evidence_ref,
            supersedes=supersedes,
        )

    # ------------------------------------------------------------------ dialogue and feedback

    def dialogue_problems(self, held_on: date | None, today: date) -> list[FieldError]:
        return not_in_future("held_on", held_on, today) + not_before(
            "held_on", held_on, self.service_start_date, "before the employee's service start"
        )

    def hold_dialogue(self, env: Envelope, *, held_on: date, summary: str, agreed_actions: str | None) -> str:
        """A performance dialogue (dialog kinerja) on `held_on`, with what was agreed."""
        reject(self.dialogue_problems(held_on, env.today))
        plan = self.plan_on(held_on)
        return self.record(
            self.PerformanceDialogueHeld,
            env.at(held_on),
            held_on=held_on,
            summary=summary,
            agreed_actions=agreed_actions,
            skp_id=plan["skp_id"] if plan else None,
        )

    def behaviour_feedback_problems(self, source: FeedbackSource | None, giver: str) -> list[FieldError]:
        problems = []
        if source is FeedbackSource.CITIZEN:
            problems.append(FieldError("source", "must be SUPERVISOR or PEER"))
        if giver == self.nip:
            problems.append(FieldError("source", "nobody gives feedback on their own behaviour"))
        return problems

    def give_behaviour_feedback(
        self,
        env: Envelope,
        *,
        value: CoreValue,
        rating: Rating,
        source: FeedbackSource,
        note: str | None,
    ) -> str:
        """Feedback on one BerAKHLAK core value from the superior or a peer (the caller)."""
        reject(self.behaviour_feedback_problems(source, env.recorded_by.sub))
        plan = self.plan_on(env.today)
        return self.record(
            self.BehaviourFeedbackGiven,
            env,
            value=value.value,
            rating=rating.value,
            source=source.value,
            note=note,
            skp_id=plan["skp_id"] if plan else None,
        )


_ONE_DAY = date(2000, 1, 2) - date(2000, 1, 1)


def _day_after(day: date) -> date:
    return day + _ONE_DAY


def _months_overlap(existing: str, period: Period) -> bool:
    """Plans may not share a month, whether annual or a contract period within the year."""
    other = parse_period(existing)
    return other.year == period.year and not (
        other.end_month < period.start_month or period.end_month < other.start_month
    )

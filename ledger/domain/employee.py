"""The Employee aggregate: one stream per civil servant, id derived from the NIP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger import values
from ledger.decimals import plain
from ledger.discipline.lifecycle import SanctionStatus, after_appeal, after_revocation, penalty_level
from ledger.domain import timeline
from ledger.domain.employee_appraisal import EmployeeAppraisals
from ledger.domain.employee_awards import EmployeeAwards
from ledger.domain.employee_dates import not_before, not_in_future
from ledger.domain.employee_discipline import EmployeeDiscipline
from ledger.domain.employee_placement import EmployeePlacement
from ledger.domain.employee_public_input import EmployeePublicInput
from ledger.domain.employee_service import SUSPENSION, EmployeeServiceClock
from ledger.domain.employee_skp import EmployeeSkp
from ledger.domain.envelope import Envelope, LedgerAggregate, LedgerEvent
from ledger.errors import FieldError, reject
from ledger.nip import Nip, stream_id
from ledger.vocabulary import AppealOutcome, FeedbackSource


class Employee(
    LedgerAggregate,
    EmployeePlacement,
    EmployeeAppraisals,
    EmployeePublicInput,
    EmployeeAwards,
    EmployeeDiscipline,
    EmployeeServiceClock,
    EmployeeSkp,
):
    """State is plain JSON-like data so snapshots and API views need no mapping.

    The events stay nested here (their topics are stored) with registration; the commands that
    decide the others live with their concept in the mixins: employee_placement (transfer,
    assignment, collaboration), employee_appraisal, employee_public_input, employee_awards (and
    training), employee_discipline, employee_service (the service clock), employee_skp (the
    performance management cycle)."""

    class Event(LedgerEvent):
        def mutate(self, aggregate: Any) -> Any:
            # Every event folded by the library (commands, loading, the snapshots it takes) adds
            # its entry to the aggregate's timeline, which its snapshots carry (ledger.history).
            mutated = super().mutate(aggregate)
            timeline.note(mutated, self)
            return mutated

    class EmployeeRegistered(Event, Aggregate.Created):
        nip: str
        name: str
        agency: str
        position: str
        grade: str
        employment_type: str
        service_start_date: date

        def apply(self, aggregate: Any) -> None:
            aggregate.registered_event_id = self.event_id

    class EmployeeTransferred(Event):
        from_agency: str
        agency: str
        position: str
        grade: str

        def apply(self, aggregate: Any) -> None:
            aggregate.agency = self.agency
            aggregate.position = self.position
            aggregate.grade = self.grade
            if aggregate.agency != self.from_agency:
                # A unit belongs to one agency: a transfer ends the front-line assignment.
                aggregate.service_unit = None
                aggregate.officer_code = None

    class AssignedToServiceUnit(Event):
        service_unit: str
        officer_code: str

        def apply(self, aggregate: Any) -> None:
            aggregate.service_unit = self.service_unit
            aggregate.officer_code = self.officer_code

    class AppraisalRecorded(Event):
        period: str
        hasil_kerja: str
        perilaku_kerja: str
        predikat: str
        appraiser_nip: str

        def apply(self, aggregate: Any) -> None:
            aggregate.appraisals[self.event_id] = {
                "appraisal_id": self.event_id,
                "period": self.period,
                "hasil_kerja": self.hasil_kerja,
                "perilaku_kerja": self.perilaku_kerja,
                "predikat": self.predikat,
                "rule_version": self.rule_version,
                "appraiser_nip": self.appraiser_nip,
                "effective_date": self.effective_date.isoformat(),
                "corrections": [],
            }

    class LegacyAppraisalRecorded(Event):
        """An appraisal under a rule before PermenPANRB 6/2022 (PP 46/2011, or PP 30/2019 in 2021):
        its numeric inputs as decimal strings, the value the rule computes and its category."""

        period: str
        nilai_skp: str
        nilai_perilaku: str | None  # PP 46/2011 only
        ide_baru: bool | None  # PP 30/2019 only
        nilai: str  # nilai prestasi kerja (PP 46/2011) or nilai kinerja (PP 30/2019)
        predikat: str  # the sebutan or predikat of the rule version
        appraiser_nip: str

        def apply(self, aggregate: Any) -> None:
            aggregate.appraisals[self.event_id] = {
                "appraisal_id": self.event_id,
                "period": self.period,
                "hasil_kerja": None,
                "perilaku_kerja": None,
                "nilai_skp": self.nilai_skp,
                "nilai_perilaku": self.nilai_perilaku,
                "ide_baru": self.ide_baru,
                "nilai": self.nilai,
                "predikat": self.predikat,
                "rule_version": self.rule_version,
                "appraiser_nip": self.appraiser_nip,
                "effective_date": self.effective_date.isoformat(),
                "corrections": [],
            }

    class AppraisalCorrected(Event):
        appraisal_id: str
        hasil_kerja: str
        perilaku_kerja: str
        predikat: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            appraisal = aggregate.appraisals[self.appraisal_id]
            appraisal.update(
                hasil_kerja=self.hasil_kerja,
                perilaku_kerja=self.perilaku_kerja,
                predikat=self.predikat,
                rule_version=self.rule_version,
            )
            appraisal["corrections"].append(self.event_id)

    class FeedbackReceived(Event):
        source: str
        score: int | None
        answers: dict[str, int] | None
        comment: str | None
        service_unit: str | None
        survey_event_id: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.feedback_count[self.source] = aggregate.feedback_count.get(self.source, 0) + 1
            if self.source == FeedbackSource.CITIZEN.value:
                aggregate.public_input_state()["surveys"][self.event_id] = self.recorded_at.isoformat()

    class AwardGranted(Event):
        award_type: str
        reason: str
        eligible: bool
        ineligibility: list[dict[str, Any]]

        def apply(self, aggregate: Any) -> None:
            aggregate.awards[self.event_id] = {
                "award_id": self.event_id,
                "award_type": self.award_type,
                "reason": self.reason,
                "decree_number": self.decree_number,
                "decree_date": _iso(self.decree_date),
                "eligible": self.eligible,
                "ineligibility": self.ineligibility,
                "rule_version": self.rule_version,
                "revoked_by": None,
            }

    class AwardRevoked(Event):
        award_id: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.awards[self.award_id]["revoked_by"] = self.event_id

    class SanctionImposed(Event):
        violations: list[dict[str, Any]]
        level: str
        penalty: str
        decided_by_role: str
        decided_by_nip: str | None
        decided_by_name: str | None
        decided_on: date
        summoned_on: list[date]
        examined_on: date | None
        bap_number: str | None
        evidence: list[str]
        in_force_until: date | None  # exclusive; None for permanent or no duration

        def apply(self, aggregate: Any) -> None:
            aggregate.sanctions[self.event_id] = {
                "sanction_id": self.event_id,
                "penalty": self.penalty,
                # The level of the penalty imposed; `self.level` is the violation's (check 1).
                "level": penalty_level(self.penalty, self.rule_version, self.decided_on).value,
                "decided_on": self.decided_on.isoformat(),
                "effective_date": self.effective_date.isoformat(),
                "in_force_until": _iso(self.in_force_until),
                "decree_number": self.decree_number,
                "bap_number": self.bap_number,
                "rule_version": self.rule_version,
                "appeals": {},
                "status": SanctionStatus.IMPOSED.value,
                "revoked_by": None,
            }

    class SanctionAppealFiled(Event):
        sanction_id: str
        kind: str
        filed_on: date

        def apply(self, aggregate: Any) -> None:
            aggregate.sanctions[self.sanction_id]["appeals"][self.event_id] = {
                "appeal_id": self.event_id,
                "kind": self.kind,
                "filed_on": self.filed_on.isoformat(),
                "outcome": None,
                "decision_id": None,
            }

    class SanctionAppealDecided(Event):
        sanction_id: str
        appeal_id: str
        outcome: str
        decided_on: date
        new_penalty: str | None
        new_level: str | None
        new_in_force_until: date | None

        def apply(self, aggregate: Any) -> None:
            sanction = aggregate.sanctions[self.sanction_id]
            appeal = sanction["appeals"][self.appeal_id]
            appeal.update(outcome=self.outcome, decision_id=self.event_id)
            sanction["status"] = after_appeal(sanction["status"], self.outcome).value
            if self.outcome == AppealOutcome.MODIFIED:
                assert self.new_penalty is not None
                sanction.update(
                    penalty=self.new_penalty,
                    level=penalty_level(self.new_penalty, self.rule_version, self.decided_on).value,
                    in_force_until=_iso(self.new_in_force_until),
                )

    class SanctionRevoked(Event):
        sanction_id: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            sanction = aggregate.sanctions[self.sanction_id]
            sanction["status"] = after_revocation(sanction["status"]).value
            sanction["revoked_by"] = self.event_id
            sanction["revoked_on"] = self.effective_date.isoformat()

    class TrainingCompleted(Event):
        title: str
        hours_jp: str  # decimal string in plain digits ("20", "7.5"): JP may be fractional
        provider: str

        decimal_fields = ("hours_jp",)

        def apply(self, aggregate: Any) -> None:
            year = str(self.effective_date.year)
            total = aggregate.training_jp.get(year, "0")
            aggregate.training_jp[year] = plain(Decimal(total) + Decimal(self.hours_jp))
            aggregate.clock_state()["trainings"][self.event_id] = self.effective_date.isoformat()

    class CollaborationJoined(Event):
        program: str
        role: str

        def apply(self, aggregate: Any) -> None:
            aggregate.collaborations.append(
                {"program": self.program, "role": self.role, "event_id": self.event_id}
            )

    # The service clock (docs/SERVICE.md): periods that stop it, and the end of service.

    class LeaveStarted(Event):
        leave_type: str
        started_on: date
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.clock_state()["periods"][self.event_id] = _period(self, self.leave_type)

    class LeaveEnded(Event):
        leave_id: str
        ended_on: date

        def apply(self, aggregate: Any) -> None:
            _close(aggregate.clock_state()["periods"][self.leave_id], self, self.ended_on)

    class SuspensionStarted(Event):
        started_on: date
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.clock_state()["periods"][self.event_id] = _period(self, SUSPENSION)

    class SuspensionEnded(Event):
        suspension_id: str
        ended_on: date

        def apply(self, aggregate: Any) -> None:
            _close(aggregate.clock_state()["periods"][self.suspension_id], self, self.ended_on)

    class ServiceEnded(Event):
        reason: str
        ended_on: date

        def apply(self, aggregate: Any) -> None:
            aggregate.clock_state()["end"] = {
                "end_id": self.event_id,
                "reason": self.reason,
                "ended_on": self.ended_on.isoformat(),
                "decree_number": self.decree_number,
                "decree_date": _iso(self.decree_date),
            }

    class SurveyBurstReviewed(Event):
        """HR's decision on a burst of citizen surveys naming this officer (ledger.rules.bursts)."""

        burst_id: str
        decision: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.public_input_state()["reviews"][self.burst_id] = {
                "decision": self.decision,
                "event_id": self.event_id,
            }

    # The performance management cycle (employee_skp.py, docs/SKP.md).

    class SkpPlanned(Event):
        """An SKP plan as the appraiser approved it; its event id is the plan's `skp_id`."""

        year: int
        period: str
        items: list[dict[str, Any]]
        behaviour_expectations: dict[str, str]
        appraiser_nip: str

        def apply(self, aggregate: Any) -> None:
            aggregate.skp_state()["plans"][self.event_id] = {
                "skp_id": self.event_id,
                "year": self.year,
                "period": self.period,
                "items": self.items,
                "behaviour_expectations": self.behaviour_expectations,
                "appraiser_nip": self.appraiser_nip,
                "approved_on": self.effective_date.isoformat(),
                "revisions": [],
                "realisations": {},
            }

    class SkpRevised(Event):
        skp_id: str
        items: list[dict[str, Any]]
        behaviour_expectations: dict[str, str]
        appraiser_nip: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            plan = aggregate.skp_state()["plans"][self.skp_id]
            plan.update(
                items=self.items,
                behaviour_expectations=self.behaviour_expectations,
                appraiser_nip=self.appraiser_nip,
                approved_on=self.effective_date.isoformat(),
            )
            plan["revisions"].append(self.event_id)

    class RealisationReported(Event):
        skp_id: str
        item: int
        indicator: int
        aspect: str  # of the indicator when reported
        indicator_name: str
        period: str  # YYYY-MM or YYYY-Qn
        value: str  # decimal string in plain digits
        evidence_ref: str | None
        supersedes: str | None  # the earlier report of the same period it replaces

        decimal_fields = ("value",)

        def apply(self, aggregate: Any) -> None:
            realisations = aggregate.skp_state()["plans"][self.skp_id]["realisations"]
            if self.supersedes is not None:
                realisations[self.supersedes]["superseded_by"] = self.event_id
            realisations[self.event_id] = {
                "realisation_id": self.event_id,
                "item": self.item,
                "indicator": self.indicator,
                "aspect": self.aspect,
                "indicator_name": self.indicator_name,
                "period": self.period,
                "value": self.value,
                "evidence_ref": self.evidence_ref,
                "supersedes": self.supersedes,
                "superseded_by": None,
            }

    class PerformanceDialogueHeld(Event):
        held_on: date
        summary: str
        agreed_actions: str | None
        skp_id: str | None  # the plan covering held_on, if any

        def apply(self, aggregate: Any) -> None:
            aggregate.skp_state()["dialogues"][self.event_id] = {
                "dialogue_id": self.event_id,
                "held_on": self.held_on.isoformat(),
                "skp_id": self.skp_id,
            }

    class BehaviourFeedbackGiven(Event):
        value: str  # a BerAKHLAK core value
        rating: str
        source: str  # SUPERVISOR or PEER; the giver is recorded_by
        note: str | None
        skp_id: str | None  # the plan covering the recording day, if any

        def apply(self, aggregate: Any) -> None:
            aggregate.skp_state()["feedback"][self.event_id] = {
                "value": self.value,
                "rating": self.rating,
                "source": self.source,
                "given_on": self.effective_date.isoformat(),
            }

    def __init__(
        self,
        nip: str,
        name: str,
        agency: str,
        position: str,
        grade: str,
        employment_type: str,
        service_start_date: date,
    ) -> None:
        self.nip = nip
        self.name = name
        self.agency = agency
        self.position = position
        self.grade = grade
        self.employment_type = employment_type
        self.service_start_date = service_start_date
        self.registered_event_id = ""
        self.service_unit: str | None = None
        self.officer_code: str | None = None
        self.appraisals: dict[str, dict[str, Any]] = {}
        self.feedback_count: dict[str, int] = {}
        self.awards: dict[str, dict[str, Any]] = {}
        self.sanctions: dict[str, dict[str, Any]] = {}
        self.training_jp: dict[str, str] = {}
        self.collaborations: list[dict[str, str]] = []

    @staticmethod
    def create_id(nip: str) -> UUID:
        return stream_id("employee", nip)

    @classmethod
    def register(
        cls,
        env: Envelope,
        *,
        nip: str,
        name: str,
        agency: str,
        position: str,
        grade: str,
        employment_type: str,
        service_start_date: date,
    ) -> Employee:
        return cls._create(
            cls.EmployeeRegistered,
            nip=nip,
            name=name,
            agency=agency,
            position=position,
            grade=grade,
            employment_type=employment_type,
            service_start_date=service_start_date,
            **env.fields(),
        )

    @staticmethod
    def registration_problems(nip: Nip | None, service_start: date | None, today: date) -> list[FieldError]:
        """The service clock starts at the CPNS start: the NIP's TMT month is the earliest day."""
        born = nip.birth_date if nip else None
        tmt = nip.tmt if nip else None
        problems = not_before("service_start_date", service_start, born, "before the birth date in the NIP")
        if not problems:
            problems = not_before(
                "service_start_date",
                service_start,
                tmt,
                f"before the TMT month in the NIP ({tmt.isoformat() if tmt else ''})",
            )
        if service_start is None and tmt is not None and tmt < values.FIRST_DATE:
            problems.append(
                FieldError(
                    "service_start_date",
                    f"required: the TMT month in the NIP is before {values.FIRST_DATE.isoformat()}",
                )
            )
        if service_start is None and tmt is not None and tmt > values.latest_effective(today):
            problems.append(FieldError("nip", "the TMT month is more than one year after the recording date"))
        return problems + not_in_future("service_start_date", service_start, today)

    @classmethod
    def enrol(
        cls,
        env: Envelope,
        *,
        nip: Nip,
        name: str,
        agency: str,
        position: str,
        grade: str,
        employment_type: str,
        service_start_date: date | None,
    ) -> Employee:
        """Register an employee; the service clock starts at the NIP's TMT month unless stated."""
        reject(cls.registration_problems(nip, service_start_date, env.today))
        start = service_start_date or nip.tmt
        return cls.register(
            env.at(start),
            nip=nip.value,
            name=name,
            agency=agency,
            position=position,
            grade=grade,
            employment_type=employment_type,
            service_start_date=start,
        )


def _period(event: LedgerEvent, kind: str) -> dict[str, Any]:
    started_on: date = event.started_on  # type: ignore[attr-defined]
    return {
        "period_id": event.event_id,
        "kind": kind,
        "started_on": started_on.isoformat(),
        "ended_on": None,
        "reason": event.reason,  # type: ignore[attr-defined]
        "decree_number": event.decree_number,
        "decree_date": _iso(event.decree_date),
        "ended_by": None,
    }


def _close(period: dict[str, Any], event: LedgerEvent, ended_on: date) -> None:
    period.update(ended_on=ended_on.isoformat(), ended_by=event.event_id)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None

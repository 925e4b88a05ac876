"""The Employee aggregate: one stream per civil servant, id derived from the NIP."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger import values
from ledger.decimals import plain, plain_normal
from ledger.discipline.lifecycle import (
    SanctionStatus,
    after_appeal,
    after_revocation,
    in_force_until,
    penalty_end,
    penalty_level,
    revoked_on,
    stands,
)
from ledger.domain.envelope import Envelope, LedgerAggregate, LedgerEvent
from ledger.errors import (
    AlreadyDecided,
    AlreadyEnded,
    FieldError,
    NotFound,
    PeriodAlreadyAppraised,
    reject,
)
from ledger.nip import Nip, parse_nip, stream_id
from ledger.period import Period, parse_period
from ledger.rules import AWARD_RULES, DISCIPLINE_RULES, PREDIKAT_RULES, RETIREMENT_RULES, TRAINING_RULES
from ledger.rules.appraisal import (
    ALL_FIELDS,
    APPRAISAL_RULES,
    NilaiKinerjaRule,
    PrestasiKerjaRule,
    fields_of,
    regulation_of,
)
from ledger.rules.awards import SanctionFact, ServiceBreak, ServiceRecord
from ledger.rules.bursts import Burst, bursts_by_rule
from ledger.rules.discipline import LEVEL_ORDER
from ledger.rules.retirement import Retirement
from ledger.vocabulary import (
    DISMISSALS,
    AppealKind,
    AppealOutcome,
    AwardType,
    BurstDecision,
    DecidingRole,
    EmploymentType,
    FeedbackSource,
    LeaveType,
    Level,
    PenaltyCode,
    Rating,
    ServiceEndReason,
)

SUSPENSION = "SUSPENSION"  # the kind of a suspension period, beside the leave types
KIND_LABEL = {LeaveType.CLTN.value: "CLTN", SUSPENSION: "suspension"}


class Employee(LedgerAggregate):
    """State is plain JSON-like data so snapshots and API views need no mapping."""

    class Event(LedgerEvent):
        pass

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

    def clock_state(self) -> dict[str, Any]:
        """The service clock's state. Created on first use rather than in __init__, so that a
        snapshot taken before the service clock existed still loads."""
        state: dict[str, Any] = self.__dict__.setdefault(
            "service_clock", {"periods": {}, "end": None, "trainings": {}}
        )
        return state

    def public_input_state(self) -> dict[str, Any]:
        """Citizens' surveys naming this officer (event id -> recorded at) and HR's reviews of
        their bursts. Created on first use, so that a snapshot taken before it existed loads."""
        state: dict[str, Any] = self.__dict__.setdefault("public_input", {"surveys": {}, "reviews": {}})
        return state

    def survey_bursts(self) -> list[Burst]:
        surveys = self.public_input_state()["surveys"]
        return bursts_by_rule((event_id, datetime.fromisoformat(at)) for event_id, at in surveys.items())

    def review_survey_burst(
        self, env: Envelope, burst_id: str, *, decision: BurstDecision, reason: str
    ) -> str:
        """Decide whether a burst of surveys counts in this officer's score; once."""
        if burst_id not in {b.burst_id for b in self.survey_bursts()}:
            raise NotFound(f"no burst of surveys naming this officer starts with {burst_id}")
        if burst_id in self.public_input_state()["reviews"]:
            raise AlreadyDecided(f"the burst starting with {burst_id} is already reviewed")
        return self.record(
            Employee.SurveyBurstReviewed, env, burst_id=burst_id, decision=decision.value, reason=reason
        )

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
        problems = _before("service_start_date", service_start, born, "before the birth date in the NIP")
        if not problems:
            problems = _before(
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
        return problems + _in_future("service_start_date", service_start, today)

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

    # ------------------------------------------------------------------------- commands
    # Each command enforces the employee's own rules and raises a domain error. Its `*_problems`
    # twin lists the field problems without raising, so that the application can report them
    # together with the problems of the raw input: a refused command names every field at once.

    def transfer_problems(self, effective: date | None, today: date) -> list[FieldError]:
        return _before(
            "effective_date", effective, self.service_start_date, "before the employee's service start date"
        ) + values.effective_date_problems("effective_date", effective, today)

    def transfer(self, env: Envelope, *, agency: str, position: str, grade: str | None) -> str:
        reject(self.transfer_problems(env.effective_date, env.today))
        return self.record(
            Employee.EmployeeTransferred,
            env,
            from_agency=self.agency,
            agency=agency,
            position=position,
            grade=grade or self.grade,
        )

    @staticmethod
    def assignment_problems(self_agency: str, unit_agency: str) -> list[FieldError]:
        if unit_agency != self_agency:
            return [
                FieldError("service_unit", f"belongs to {unit_agency}, the employee serves {self_agency}")
            ]
        return []

    def assign(self, env: Envelope, *, service_unit: str, unit_agency: str, officer_code: str) -> str:
        reject(self.assignment_problems(self.agency, unit_agency))
        return self.record(
            Employee.AssignedToServiceUnit, env, service_unit=service_unit, officer_code=officer_code
        )

    def appraisal_problems(
        self, period: Period | None, appraiser: Nip | None, appraiser_known: bool, today: date
    ) -> list[FieldError]:
        problems = []
        if appraiser:
            if appraiser.value == self.nip:
                problems.append(FieldError("appraiser_nip", "an employee cannot appraise themselves"))
            elif not appraiser_known:
                problems.append(FieldError("appraiser_nip", "unknown NIP"))
        if period and period.start > today:
            problems.append(FieldError("period", "has not started yet"))
        if period and APPRAISAL_RULES.find(period.end) is None:
            problems.append(FieldError("period", APPRAISAL_RULES.describe_start()))
        return problems

    @staticmethod
    def appraisal_shape_problems(period: Period | None, given: Mapping[str, object]) -> list[FieldError]:
        """Each rule version takes its own inputs, picked by the period's end date: the ratings of
        PermenPANRB 6/2022, or the numbers of PP 46/2011 or PP 30/2019 (docs/RULES.md)."""
        rule = APPRAISAL_RULES.find(period.end) if period else APPRAISAL_RULES.versions[-1]
        if rule is None:
            return []  # the period's own problem names the missing rule
        wanted = fields_of(rule)
        under = f"{rule.version} ({regulation_of(rule)})"
        problems = [
            FieldError(name, f"not used for a period under {under}; give {', '.join(wanted)}")
            for name in ALL_FIELDS
            if name not in wanted and given.get(name) is not None
        ]
        optional = {"ide_baru"}
        problems += [
            FieldError(name, f"required for a period under {under}")
            for name in wanted
            if name not in optional and given.get(name) is None
        ]
        limits = {"nilai_skp": getattr(rule, "maximum", None), "nilai_perilaku": Decimal(100)}
        for name in ("nilai_skp", "nilai_perilaku"):
            value = given.get(name)
            top = limits[name]
            if name in wanted and isinstance(value, Decimal) and top is not None:
                if not Decimal(0) <= value <= top:
                    problems.append(FieldError(name, f"must be between 0 and {top}"))
                elif value != value.quantize(Decimal("0.01")):
                    problems.append(FieldError(name, "at most 2 decimal places"))
        return sorted(problems, key=lambda p: ALL_FIELDS.index(p.field))

    def record_appraisal(
        self,
        env: Envelope,
        *,
        period: Period,
        hasil_kerja: Rating,
        perilaku_kerja: Rating,
        appraiser: Nip,
        appraiser_known: bool,
    ) -> str:
        """Rate the period by the predikat rule in force at its end; one appraisal per period."""
        given = {"hasil_kerja": hasil_kerja, "perilaku_kerja": perilaku_kerja}
        reject(
            self.appraisal_problems(period, appraiser, appraiser_known, env.today)
            + self.appraisal_shape_problems(period, given)
        )
        self._no_overlap(period)
        rule = PREDIKAT_RULES.in_force(period.end)
        return self.record(
            Employee.AppraisalRecorded,
            env.at(period.end, rule_version=rule.version),
            period=period.text,
            hasil_kerja=hasil_kerja.value,
            perilaku_kerja=perilaku_kerja.value,
            predikat=rule.predikat(hasil_kerja, perilaku_kerja).value,
            appraiser_nip=appraiser.value,
        )

    def record_legacy_appraisal(
        self,
        env: Envelope,
        *,
        period: Period,
        nilai_skp: Decimal,
        nilai_perilaku: Decimal | None,
        ide_baru: bool | None,
        appraiser: Nip,
        appraiser_known: bool,
    ) -> str:
        """Rate a period before PermenPANRB 6/2022 by the rule in force at its end."""
        given = {"nilai_skp": nilai_skp, "nilai_perilaku": nilai_perilaku, "ide_baru": ide_baru}
        reject(
            self.appraisal_problems(period, appraiser, appraiser_known, env.today)
            + self.appraisal_shape_problems(period, given)
        )
        self._no_overlap(period)
        rule = APPRAISAL_RULES.in_force(period.end)
        if isinstance(rule, PrestasiKerjaRule):
            assert nilai_perilaku is not None
            nilai = rule.nilai(nilai_skp, nilai_perilaku)
            predikat = rule.sebutan(nilai)
        else:
            assert isinstance(rule, NilaiKinerjaRule)
            nilai, predikat = nilai_skp, rule.predikat(nilai_skp, bool(ide_baru))
        return self.record(
            Employee.LegacyAppraisalRecorded,
            env.at(period.end, rule_version=rule.version),
            period=period.text,
            nilai_skp=_plain(nilai_skp),
            nilai_perilaku=_plain(nilai_perilaku) if nilai_perilaku is not None else None,
            ide_baru=ide_baru,
            nilai=_plain(nilai),
            predikat=predikat,
            appraiser_nip=appraiser.value,
        )

    def _no_overlap(self, period: Period) -> None:
        for existing in self.appraisal_periods():
            if parse_period(existing).overlaps(period):
                raise PeriodAlreadyAppraised(
                    f"period {period.text} is already appraised ({existing}); record a correction"
                )

    def appraisal(self, appraisal_id: str) -> dict[str, Any]:
        appraisal = self.appraisals.get(appraisal_id)
        if appraisal is None:
            raise NotFound(f"unknown appraisal {appraisal_id} for this employee")
        return appraisal

    @staticmethod
    def correction_problems(hasil_kerja: object, perilaku_kerja: object) -> list[FieldError]:
        if hasil_kerja is None and perilaku_kerja is None:
            return [FieldError("hasil_kerja", "give hasil_kerja, perilaku_kerja or both")]
        return []

    @staticmethod
    def legacy_correction_problems(appraisal: Mapping[str, Any]) -> list[FieldError]:
        """Corrections re-rate hasil_kerja/perilaku_kerja: an appraisal under an earlier rule has
        numbers instead, which a correction does not take yet (docs/RULES.md)."""
        if appraisal.get("hasil_kerja") is not None:
            return []
        return [
            FieldError(
                "hasil_kerja",
                f"appraisal {appraisal['appraisal_id']} is under {appraisal['rule_version']}, which has "
                "no ratings to correct; a correction of its numbers is not supported",
            )
        ]

    def correct_appraisal(
        self,
        env: Envelope,
        appraisal_id: str,
        *,
        reason: str,
        hasil_kerja: Rating | None,
        perilaku_kerja: Rating | None,
    ) -> str:
        """A correction re-rates under the rule of the appraisal's own period."""
        appraisal = self.appraisal(appraisal_id)
        reject(
            self.correction_problems(hasil_kerja, perilaku_kerja) + self.legacy_correction_problems(appraisal)
        )
        new_hasil = hasil_kerja or Rating(appraisal["hasil_kerja"])
        new_perilaku = perilaku_kerja or Rating(appraisal["perilaku_kerja"])
        effective = date.fromisoformat(appraisal["effective_date"])
        rule = PREDIKAT_RULES.in_force(effective)
        return self.record(
            Employee.AppraisalCorrected,
            env.at(effective, rule_version=rule.version),
            appraisal_id=appraisal_id,
            hasil_kerja=new_hasil.value,
            perilaku_kerja=new_perilaku.value,
            predikat=rule.predikat(new_hasil, new_perilaku).value,
            reason=reason,
        )

    @staticmethod
    def feedback_problems(source: FeedbackSource | None) -> list[FieldError]:
        if source is FeedbackSource.CITIZEN:
            return [FieldError("source", "citizen feedback comes through the public survey")]
        return []

    def receive_feedback(
        self, env: Envelope, *, source: FeedbackSource, score: int, comment: str | None
    ) -> str:
        reject(self.feedback_problems(source))
        return self.record(
            Employee.FeedbackReceived,
            env,
            source=source.value,
            score=score,
            answers=None,
            comment=comment,
            service_unit=None,
            survey_event_id=None,
        )

    def receive_citizen_feedback(
        self,
        env: Envelope,
        *,
        answers: dict[str, int],
        comment: str | None,
        service_unit: str,
        survey_event_id: str,
    ) -> str:
        return self.record(
            Employee.FeedbackReceived,
            env,
            source=FeedbackSource.CITIZEN.value,
            score=None,
            answers=answers,
            comment=comment,
            service_unit=service_unit,
            survey_event_id=survey_event_id,
        )

    @staticmethod
    def award_problems(decree_date: date | None, today: date) -> list[FieldError]:
        problems = _in_future("decree_date", decree_date, today)
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
            Employee.AwardGranted,
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
        return _before("decree_date", decree_date, granted, "before the award's own decree") + _in_future(
            "decree_date", decree_date, today
        )

    def revoke_award(
        self, env: Envelope, award_id: str, *, reason: str, decree_number: str, decree_date: date | None
    ) -> str:
        self.open_award(award_id)
        reject(self.revocation_problems(award_id, decree_date, env.today))
        return self.record(
            Employee.AwardRevoked,
            env.at(decree_date, decree_number=decree_number, decree_date=decree_date or env.today),
            award_id=award_id,
            reason=reason,
        )

    def training_date_problems(self, completed_on: date | None, today: date) -> list[FieldError]:
        return _in_future("completed_on", completed_on, today) + _before(
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
            Employee.TrainingCompleted,
            env.at(completed_on, rule_version=rule.version if rule else None),
            title=title,
            hours_jp=plain_normal(hours_jp),
            provider=provider,
        )

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
        problems = _in_future("decided_on", decided_on, today)
        if decided_on and effective_date and effective_date < decided_on:
            problems.append(FieldError("effective_date", "a penalty cannot take effect before it is decided"))
        problems += values.effective_date_problems("effective_date", effective_date, today)
        for i, day in enumerate(summoned_on):
            problems += _in_future(f"summoned_on[{i}]", day, today)
        return problems + _in_future("examined_on", examined_on, today)

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
            Employee.SanctionImposed,
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
        return _before("decided_on", decided_on, decided, "before the sanction's own decision") + _in_future(
            "decided_on", decided_on, today
        )

    def revoke_sanction(
        self, env: Envelope, sanction_id: str, *, reason: str, decree_number: str, decided_on: date | None
    ) -> str:
        self.open_sanction(sanction_id)
        reject(self.sanction_revocation_problems(sanction_id, decided_on, env.today))
        return self.record(
            Employee.SanctionRevoked,
            env.at(decided_on, decree_number=decree_number, decree_date=decided_on or env.today),
            sanction_id=sanction_id,
            reason=reason,
        )

    def appeal_problems(self, sanction_id: str, filed_on: date | None, today: date) -> list[FieldError]:
        decided = date.fromisoformat(self.sanction(sanction_id)["decided_on"])
        return _before("filed_on", filed_on, decided, "before the decision it appeals") + _in_future(
            "filed_on", filed_on, today
        )

    def file_appeal(self, env: Envelope, sanction_id: str, *, kind: AppealKind, filed_on: date) -> str:
        reject(self.appeal_problems(sanction_id, filed_on, env.today))
        return self.record(
            Employee.SanctionAppealFiled,
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
        problems += _before("decided_on", decided_on, filed, "before the appeal was filed")
        problems += _in_future("decided_on", decided_on, today)
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
            Employee.SanctionAppealDecided,
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

    def join_collaboration(self, env: Envelope, *, program: str, role: str) -> str:
        return self.record(Employee.CollaborationJoined, env, program=program, role=role)

    # ------------------------------------------------------------------- the service clock
    # CLTN and suspension stop the clock for a period [started_on, ended_on); the periods never
    # overlap, lie within the service, and nothing of the clock happens after the end of service.

    def period_start_problems(
        self, started_on: date | None, decree_date: date | None, today: date
    ) -> list[FieldError]:
        problems = _in_future("started_on", started_on, today) + _in_future("decree_date", decree_date, today)
        problems += _before(
            "started_on", started_on, self.service_start_date, "before the employee's service start date"
        )
        end = self.service_ended_on()
        if started_on and end and started_on >= end:
            problems.append(FieldError("started_on", f"on or after the end of service ({end.isoformat()})"))
        if started_on:
            for p in self.clock_state()["periods"].values():
                start, until = date.fromisoformat(p["started_on"]), _parse(p["ended_on"])
                label = f"{KIND_LABEL[p['kind']]} {p['period_id']}"
                if until is None:
                    problems.append(
                        FieldError("started_on", f"{label} from {start.isoformat()} has not ended")
                    )
                elif start <= started_on < until:
                    problems.append(
                        FieldError(
                            "started_on",
                            f"within {label} ({start.isoformat()} to {until.isoformat()})",
                        )
                    )
        return problems

    def open_period(self, period_id: str, kind: str) -> dict[str, Any]:
        """A leave (kind: its leave type) or suspension of this employee that has not ended."""
        period: dict[str, Any] | None = self.clock_state()["periods"].get(period_id)
        is_kind = period is not None and (
            period["kind"] == SUSPENSION if kind == SUSPENSION else period["kind"] != SUSPENSION
        )
        noun = "suspension" if kind == SUSPENSION else "leave"
        if period is None or not is_kind:
            raise NotFound(f"unknown {noun} {period_id} for this employee")
        if period["ended_on"] is not None:
            raise AlreadyEnded(f"{noun} {period_id} has already ended ({period['ended_on']})")
        return period

    def period_end_problems(
        self, period_id: str, kind: str, ended_on: date | None, decree_date: date | None, today: date
    ) -> list[FieldError]:
        period = self.open_period(period_id, kind)
        start = date.fromisoformat(period["started_on"])
        problems = _in_future("ended_on", ended_on, today) + _in_future("decree_date", decree_date, today)
        if ended_on and ended_on <= start:
            problems.append(FieldError("ended_on", f"must be after the start ({start.isoformat()})"))
        elif ended_on:
            for p in self.clock_state()["periods"].values():
                other = date.fromisoformat(p["started_on"])
                if p["period_id"] != period_id and start < other < ended_on:
                    problems.append(
                        FieldError(
                            "ended_on",
                            f"overlaps {KIND_LABEL[p['kind']]} {p['period_id']} from {other.isoformat()}",
                        )
                    )
        end = self.service_ended_on()
        if ended_on and end and ended_on > end:
            problems.append(FieldError("ended_on", f"after the end of service ({end.isoformat()})"))
        return problems

    def start_leave(
        self,
        env: Envelope,
        *,
        leave_type: LeaveType,
        started_on: date,
        reason: str,
        decree_number: str,
        decree_date: date,
    ) -> str:
        """Leave outside the state's liability (CLTN): the service clock stops from started_on."""
        reject(self.period_start_problems(started_on, decree_date, env.today))
        return self.record(
            Employee.LeaveStarted,
            env.at(started_on, decree_number=decree_number, decree_date=decree_date),
            leave_type=leave_type.value,
            started_on=started_on,
            reason=reason,
        )

    def end_leave(
        self, env: Envelope, leave_id: str, *, ended_on: date, decree_number: str, decree_date: date
    ) -> str:
        """The leave ends: the clock runs again from ended_on, the first day back in service."""
        reject(self.period_end_problems(leave_id, LeaveType.CLTN.value, ended_on, decree_date, env.today))
        return self.record(
            Employee.LeaveEnded,
            env.at(ended_on, decree_number=decree_number, decree_date=decree_date),
            leave_id=leave_id,
            ended_on=ended_on,
        )

    def suspend(
        self, env: Envelope, *, started_on: date, reason: str, decree_number: str, decree_date: date
    ) -> str:
        """Pemberhentian sementara: the service clock stops from started_on."""
        reject(self.period_start_problems(started_on, decree_date, env.today))
        return self.record(
            Employee.SuspensionStarted,
            env.at(started_on, decree_number=decree_number, decree_date=decree_date),
            started_on=started_on,
            reason=reason,
        )

    def end_suspension(
        self, env: Envelope, suspension_id: str, *, ended_on: date, decree_number: str, decree_date: date
    ) -> str:
        reject(self.period_end_problems(suspension_id, SUSPENSION, ended_on, decree_date, env.today))
        return self.record(
            Employee.SuspensionEnded,
            env.at(ended_on, decree_number=decree_number, decree_date=decree_date),
            suspension_id=suspension_id,
            ended_on=ended_on,
        )

    def end_service_allowed(self) -> None:
        end = self.clock_state()["end"]
        if end is not None:
            raise AlreadyEnded(f"the service already ended on {end['ended_on']} ({end['end_id']})")

    def service_end_problems(
        self,
        reason: ServiceEndReason | None,
        ended_on: date | None,
        decree_date: date | None,
        today: date,
    ) -> list[FieldError]:
        problems = _in_future("ended_on", ended_on, today) + _in_future("decree_date", decree_date, today)
        problems += _before(
            "ended_on", ended_on, self.service_start_date, "before the employee's service start date"
        )
        if ended_on:
            for p in self.clock_state()["periods"].values():
                label = f"{KIND_LABEL[p['kind']]} {p['period_id']}"
                start, until = date.fromisoformat(p["started_on"]), _parse(p["ended_on"])
                if start >= ended_on:
                    problems.append(FieldError("ended_on", f"on or before the start of {label} ({start})"))
                elif until is not None and until > ended_on:
                    problems.append(FieldError("ended_on", f"before the end of {label} ({until})"))
        if (
            reason is ServiceEndReason.PERJANJIAN_KERJA_BERAKHIR
            and self.employment_type != EmploymentType.PPPK.value
        ):
            problems.append(FieldError("reason", "only a PPPK's service ends with the work agreement"))
        return problems

    def end_service(
        self,
        env: Envelope,
        *,
        reason: ServiceEndReason,
        ended_on: date,
        decree_number: str,
        decree_date: date,
    ) -> str:
        """The end of service (pemberhentian): ended_on is the first day out of service. Once."""
        self.end_service_allowed()
        reject(self.service_end_problems(reason, ended_on, decree_date, env.today))
        return self.record(
            Employee.ServiceEnded,
            env.at(ended_on, decree_number=decree_number, decree_date=decree_date),
            reason=reason.value,
            ended_on=ended_on,
        )

    # Derived views, used by commands (eligibility, duplicate checks) and read models.

    def appraisal_periods(self) -> list[str]:
        return [a["period"] for a in self.appraisals.values()]

    def sanction_facts(self) -> list[SanctionFact]:
        return [sanction_fact(s) for s in self.sanctions.values()]

    def service_ended_on(self) -> date | None:
        end = self.clock_state()["end"]
        return date.fromisoformat(end["ended_on"]) if end else None

    def service_record(self) -> ServiceRecord:
        """The service clock as award eligibility reads it."""
        end = self.clock_state()["end"]
        return ServiceRecord(
            start=self.service_start_date,
            employment_type=EmploymentType(self.employment_type),
            registered_event_id=self.registered_event_id,
            breaks=tuple(
                ServiceBreak(p["period_id"], date.fromisoformat(p["started_on"]), _parse(p["ended_on"]))
                for p in self.clock_state()["periods"].values()
            ),
            ended_on=self.service_ended_on(),
            end_event_id=end["end_id"] if end else None,
        )

    def retirement(self, on: date) -> Retirement | None:
        """The BUP of the current position (by the rule in force on `on`; None before the first)."""
        rule = RETIREMENT_RULES.find(on)
        return rule.of(parse_nip(self.nip).birth_date, self.position) if rule else None

    def service_flags(self, on: date) -> list[dict[str, Any]]:
        """What HR must look at: past the BUP without an end of service, and appraisals, awards
        and training dated on or after the end of service. Flags, never refusals."""
        flags: list[dict[str, Any]] = []
        end = self.service_ended_on()
        retirement = self.retirement(on)
        if end is None and retirement is not None and on >= retirement.pension_from:
            flags.append(
                {
                    "flag": "PAST_BUP",
                    "event_id": None,
                    "reason": (
                        f"melewati BUP {retirement.age} tahun pada {retirement.reached_on}, belum "
                        f"ada pemberhentian (reached the retirement age of {retirement.age} on "
                        f"{retirement.reached_on}; no end of service is recorded)"
                    ),
                }
            )
        if end is None:
            return flags
        after = f"on or after the end of service on {end.isoformat()}"
        for a in self.appraisals.values():
            if parse_period(a["period"]).start >= end:
                flags.append(
                    {
                        "flag": "AFTER_SERVICE_END",
                        "event_id": a["appraisal_id"],
                        "reason": f"appraisal {after}",
                    }
                )
        for w in self.awards.values():
            if w["decree_date"] and date.fromisoformat(w["decree_date"]) >= end:
                flags.append(
                    {"flag": "AFTER_SERVICE_END", "event_id": w["award_id"], "reason": f"award {after}"}
                )
        for event_id, day in self.clock_state()["trainings"].items():
            if date.fromisoformat(day) >= end:
                flags.append(
                    {"flag": "AFTER_SERVICE_END", "event_id": event_id, "reason": f"training {after}"}
                )
        return flags

    def dismissed_on(self) -> date | None:
        """Effective date of a dismissal that still stands, if any."""
        for s in self.sanctions.values():
            if s["penalty"] in DISMISSALS and stands(s["status"]):
                return date.fromisoformat(s["effective_date"])
        return None


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


def _plain(value: Decimal) -> str:
    """A decimal as plain digits, never in exponent form ("87.5", "90")."""
    return f"{value.normalize():f}"


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


def _parse(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _before(field: str, day: date | None, earliest: date | None, reason: str) -> list[FieldError]:
    """The field's date, when given, may not precede `earliest` (when known)."""
    return [FieldError(field, reason)] if day and earliest and day < earliest else []


def _in_future(field: str, day: date | None, today: date) -> list[FieldError]:
    return values.decision_date_problems(field, day, today)

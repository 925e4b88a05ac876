"""The application service: every command validates, then writes all its events at once.

A rejected command raises a LedgerError before anything is saved, so the store is untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoding

from ledger import values
from ledger.clock import utc_now, wib_date
from ledger.config import APP_NAME, Settings
from ledger.domain.agency import Agency
from ledger.domain.employee import Employee
from ledger.domain.envelope import Actor, Envelope, LedgerAggregate
from ledger.domain.program import Program
from ledger.domain.service_unit import ServiceUnit
from ledger.errors import AlreadyRegistered, Conflict, IdempotencyMismatch, NotFound, PreconditionFailed
from ledger.nip import parse_nip, stream_id
from ledger.period import parse_period
from ledger.persistence import (
    IdempotencyRecord,
    LedgerPostgresRecorder,
    LedgerSQLiteRecorder,
    StreamEntry,
)
from ledger.sqlstore import SqlStore
from ledger.validation import Checker
from ledger.vocabulary import (
    AppealKind,
    AppealOutcome,
    AwardType,
    DecidingRole,
    EmploymentType,
    FeedbackSource,
    Level,
    PenaltyCode,
    PredikatOrganisasi,
    Rating,
)

A = TypeVar("A", bound=LedgerAggregate)

SYSTEM = Actor(sub="system", role="system")


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


@dataclass(frozen=True)
class CommandContext:
    """Who asks, and the HTTP-level guarantees they asked for."""

    actor: Actor
    correlation_id: str = field(default_factory=lambda: str(uuid4()))
    idempotency_key: str | None = None
    fingerprint: str | None = None
    expected_version: int | None = None  # If-Match


@dataclass(frozen=True)
class CommandResult:
    event_id: str
    position: int
    version: int
    extra: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False  # True when an Idempotency-Key repeat returned the first answer
    appended: int = 0  # events this command wrote (0 on a replay); the API's metrics count them

    def as_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "position": self.position, "version": self.version, **self.extra}


@dataclass
class Pending:
    """What a command wants to write: the aggregates and the event that answers for it."""

    aggregates: list[LedgerAggregate]
    primary: str  # event_id
    extra: dict[str, Any] = field(default_factory=dict)


class KinerjaLedger(Application[UUID]):
    name = APP_NAME
    # A unit collects every citizen survey about it; snapshots keep loading it cheap.
    snapshotting_intervals = {ServiceUnit: 200, Employee: 200}  # noqa: RUF012

    def __init__(
        self,
        settings: Settings | None = None,
        env: dict[str, str] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings or Settings.from_env()
        merged = self.settings.eventsourcing_env()
        merged.update(env or {})
        super().__init__(env=merged)
        self.clock = clock
        self.sql = SqlStore(self.factory.datastore)  # type: ignore[attr-defined]

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    @property
    def ledger_recorder(self) -> LedgerSQLiteRecorder | LedgerPostgresRecorder:
        assert isinstance(self.recorder, LedgerSQLiteRecorder | LedgerPostgresRecorder)
        return self.recorder

    # ----------------------------------------------------------------------- plumbing

    def today(self) -> date:
        return wib_date(self.clock())

    def envelope(self, ctx: CommandContext, effective: date | None = None, **extra: Any) -> Envelope:
        now = self.clock()
        return Envelope(
            recorded_at=now,
            effective_date=effective or wib_date(now),
            recorded_by=ctx.actor,
            correlation_id=ctx.correlation_id,
            **extra,
        )

    def _execute(self, ctx: CommandContext, build: Callable[[], Pending]) -> CommandResult:
        if ctx.idempotency_key:
            prior = self._replay(ctx)
            if prior is not None:
                return prior
        pending = build()
        originator, version = _split_event_id(pending.primary)
        response = {"event_id": pending.primary, "version": version, **pending.extra}
        record = None
        if ctx.idempotency_key:
            record = IdempotencyRecord(
                ctx.idempotency_key, ctx.fingerprint or "", response, originator, version
            )
        try:
            recordings = self.save(*pending.aggregates, idempotency=record)
        except IntegrityError:
            if ctx.idempotency_key:
                prior = self._replay(ctx)
                if prior is not None:
                    return prior
            raise Conflict("another command changed this record first; reload and retry") from None
        position = next(
            r.notification.id
            for r in recordings
            if r.notification.originator_id == originator and r.notification.originator_version == version
        )
        return CommandResult(pending.primary, position, version, pending.extra, appended=len(recordings))

    def _replay(self, ctx: CommandContext) -> CommandResult | None:
        assert ctx.idempotency_key
        found = self.ledger_recorder.find_idempotency(ctx.idempotency_key)
        if found is None:
            return None
        fingerprint, response, position = found
        if fingerprint != (ctx.fingerprint or ""):
            raise IdempotencyMismatch("this Idempotency-Key was already used for a different request")
        response = dict(response)
        event_id, version = response.pop("event_id"), response.pop("version")
        return CommandResult(event_id, position, version, response, replayed=True)

    def _find(self, kind: type[A], key: str, version: int | None = None) -> A | None:
        """The aggregate (as of `version`), or None when its stream does not exist."""
        try:
            agg: object = self.repository.get(kind.create_id(key), version=version)  # type: ignore[call-arg]
        except AggregateNotFoundError:
            return None
        assert isinstance(agg, kind)
        return agg

    def _get(self, kind: type[A], key: str, what: str, version: int | None = None) -> A:
        agg = self._find(kind, key, version)
        if agg is None:
            raise NotFound(f"unknown {what} {key}")
        return agg

    def _load(self, kind: type[A], aggregate_id: UUID) -> A:
        agg: object = self.repository.get(aggregate_id)
        assert isinstance(agg, kind)
        return agg

    def _unique(self, kind: type[LedgerAggregate], key: str, detail: str) -> None:
        if self._exists(kind, key):
            raise AlreadyRegistered(detail)

    def _known_agency(self, c: Checker, field_name: str, value: object, unknown: str) -> str | None:
        code = c.code(field_name, value)
        if code and not self._exists(Agency, code):
            c.add(field_name, unknown)
        return code

    def _exists(self, kind: type[LedgerAggregate], key: str) -> bool:
        return next(iter(self.events.get(kind.create_id(key), limit=1)), None) is not None  # type: ignore[call-arg]

    def _check_version(self, ctx: CommandContext, agg: Aggregate) -> None:
        if ctx.expected_version is not None and ctx.expected_version != agg.version:
            raise PreconditionFailed(
                f"If-Match expected version {ctx.expected_version}, current is {agg.version}"
            )

    def _employee(self, ctx: CommandContext, nip: str) -> Employee:
        employee = self._get(Employee, nip, "employee NIP")
        self._check_version(ctx, employee)
        return employee

    # ---------------------------------------------------------------------- agencies
    # Each command parses its raw input (every problem at once), resolves references to other
    # aggregates and uniqueness (what needs the store), then lets the aggregate decide.

    def register_agency(self, ctx: CommandContext, *, code: str, name: str) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            code_ok = c.code("code", code)
            name_ok = c.text("name", name, max_len=values.NAME_MAX)
            c.done()
            assert code_ok and name_ok
            self._unique(Agency, code_ok, f"agency {code_ok} is already registered")
            agency = Agency.register(self.envelope(ctx), code=code_ok, name=name_ok)
            return Pending([agency], f"{agency.id}:{agency.version}", {"code": code_ok})

        return self._execute(ctx, build)

    def rate_agency(
        self, ctx: CommandContext, code: str, *, year: int, predikat_organisasi: str
    ) -> CommandResult:
        def build() -> Pending:
            agency = self._get(Agency, code, "agency")
            self._check_version(ctx, agency)
            c = Checker()
            year_ok = c.int_range("year", year, values.FIRST_YEAR, self.today().year + 1)
            rating = c.enum("predikat_organisasi", predikat_organisasi, PredikatOrganisasi)
            c.done()
            assert year_ok is not None and rating is not None
            eid = agency.rate(self.envelope(ctx), year=year_ok, predikat_organisasi=rating)
            return Pending([agency], eid)

        return self._execute(ctx, build)

    def register_service_unit(
        self, ctx: CommandContext, *, code: str, name: str, agency: str
    ) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            code_ok = c.code("code", code)
            name_ok = c.text("name", name, max_len=values.NAME_MAX)
            agency_ok = self._known_agency(c, "agency", agency, "unknown agency code")
            c.done()
            assert code_ok and name_ok and agency_ok
            self._unique(ServiceUnit, code_ok, f"service unit {code_ok} is already registered")
            unit = ServiceUnit.register(self.envelope(ctx), code=code_ok, name=name_ok, agency=agency_ok)
            return Pending([unit], f"{unit.id}:{unit.version}", {"code": code_ok})

        return self._execute(ctx, build)

    # --------------------------------------------------------------------- employees

    def register_employee(
        self,
        ctx: CommandContext,
        *,
        nip: str,
        name: str,
        agency: str,
        position: str,
        grade: str,
        employment_type: str,
        service_start_date: str | date | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            parsed = c.parse("nip", nip, parse_nip)
            name_ok = c.text("name", name, max_len=values.NAME_MAX)
            agency_ok = c.code("agency", agency)
            position_ok = c.text("position", position, max_len=values.NAME_MAX)
            grade_ok = c.text("grade", grade, max_len=values.GRADE_MAX)
            kind = c.enum("employment_type", employment_type, EmploymentType)
            start = c.date("service_start_date", service_start_date, required=False)
            if agency_ok and not self._exists(Agency, agency_ok):
                c.add("agency", "unknown agency code (register the agency first)")
            c.extend(Employee.registration_problems(parsed, start, self.today()))
            c.done()
            assert parsed and name_ok and agency_ok and position_ok and grade_ok and kind
            self._unique(Employee, parsed.value, f"NIP {parsed.value} is already registered")
            employee = Employee.enrol(
                self.envelope(ctx),
                nip=parsed,
                name=name_ok,
                agency=agency_ok,
                position=position_ok,
                grade=grade_ok,
                employment_type=kind.value,
                service_start_date=start,
            )
            return Pending(
                [employee],
                f"{employee.id}:{employee.version}",
                {"nip": parsed.value, "employee_id": str(employee.id)},
            )

        return self._execute(ctx, build)

    def transfer_employee(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        agency: str,
        position: str,
        effective_date: str | date,
        grade: str | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            agency_ok = c.code("agency", agency)
            position_ok = c.text("position", position, max_len=values.NAME_MAX)
            grade_ok = c.text("grade", grade, required=False, max_len=values.GRADE_MAX)
            effective = c.date("effective_date", effective_date)
            if agency_ok and not self._exists(Agency, agency_ok):
                c.add("agency", "unknown agency code")
            c.extend(employee.transfer_problems(effective))
            c.done()
            assert agency_ok and position_ok and effective
            env = self.envelope(ctx, effective)
            eid = employee.transfer(env, agency=agency_ok, position=position_ok, grade=grade_ok)
            return Pending([employee], eid)

        return self._execute(ctx, build)

    def assign_to_service_unit(
        self, ctx: CommandContext, nip: str, *, service_unit: str, officer_code: str
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            unit_code = c.code("service_unit", service_unit)
            officer = c.code("officer_code", officer_code)
            unit = self._find(ServiceUnit, unit_code) if unit_code else None
            if unit_code and unit is None:
                c.add("service_unit", "unknown service unit")
            if unit is not None:
                c.extend(Employee.assignment_problems(employee.agency, unit.agency))
            c.done()
            assert unit is not None and officer
            env = self.envelope(ctx)
            unit.assign_officer(env, officer_code=officer, employee_id=str(employee.id))
            touched: list[LedgerAggregate] = [employee, unit]
            if employee.service_unit and employee.service_unit != unit.code and employee.officer_code:
                old = self._get(ServiceUnit, employee.service_unit, "service unit")
                old.release_officer(env, officer_code=employee.officer_code)
                touched.append(old)
            eid = employee.assign(env, service_unit=unit.code, unit_agency=unit.agency, officer_code=officer)
            return Pending(touched, eid)

        return self._execute(ctx, build)

    # -------------------------------------------------------------------- appraisals

    def record_appraisal(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        period: str,
        hasil_kerja: str,
        perilaku_kerja: str,
        appraiser_nip: str,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            parsed = c.parse("period", period, parse_period)
            hasil = c.enum("hasil_kerja", hasil_kerja, Rating)
            perilaku = c.enum("perilaku_kerja", perilaku_kerja, Rating)
            appraiser = c.parse("appraiser_nip", appraiser_nip, parse_nip)
            known = bool(
                appraiser and appraiser.value != employee.nip and self._exists(Employee, appraiser.value)
            )
            c.extend(employee.appraisal_problems(parsed, appraiser, known, self.today()))
            c.done()
            assert parsed and hasil and perilaku and appraiser
            eid = employee.record_appraisal(
                self.envelope(ctx),
                period=parsed,
                hasil_kerja=hasil,
                perilaku_kerja=perilaku,
                appraiser=appraiser,
                appraiser_known=known,
            )
            recorded = employee.appraisals[eid]
            return Pending(
                [employee],
                eid,
                {
                    "appraisal_id": eid,
                    "predikat": recorded["predikat"],
                    "rule_version": recorded["rule_version"],
                },
            )

        return self._execute(ctx, build)

    def correct_appraisal(
        self,
        ctx: CommandContext,
        nip: str,
        appraisal_id: str,
        *,
        reason: str,
        hasil_kerja: str | None = None,
        perilaku_kerja: str | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            employee.appraisal(appraisal_id)
            c = Checker()
            reason_ok = c.text("reason", reason)
            hasil = c.enum("hasil_kerja", hasil_kerja, Rating) if hasil_kerja is not None else None
            perilaku = (
                c.enum("perilaku_kerja", perilaku_kerja, Rating) if perilaku_kerja is not None else None
            )
            c.extend(Employee.correction_problems(hasil_kerja, perilaku_kerja))
            c.done()
            assert reason_ok
            eid = employee.correct_appraisal(
                self.envelope(ctx), appraisal_id, reason=reason_ok, hasil_kerja=hasil, perilaku_kerja=perilaku
            )
            corrected = employee.appraisals[appraisal_id]
            return Pending(
                [employee],
                eid,
                {
                    "appraisal_id": appraisal_id,
                    "correction_id": eid,
                    "predikat": corrected["predikat"],
                    "rule_version": corrected["rule_version"],
                },
            )

        return self._execute(ctx, build)

    def record_feedback(
        self, ctx: CommandContext, nip: str, *, source: str, score: int, comment: str | None = None
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            src = c.enum("source", source, FeedbackSource)
            c.extend(Employee.feedback_problems(src))
            score_ok = c.int_range("score", score, values.SCORE_MIN, values.SCORE_MAX)
            comment_ok = c.text("comment", comment, required=False)
            c.done()
            assert src and score_ok is not None
            eid = employee.receive_feedback(
                self.envelope(ctx), source=src, score=score_ok, comment=comment_ok
            )
            return Pending([employee], eid, {"feedback_id": eid})

        return self._execute(ctx, build)

    # ------------------------------------------------------------- awards, training

    def grant_award(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        award_type: str,
        reason: str,
        decree_number: str,
        decree_date: str | date,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            kind = c.enum("award_type", award_type, AwardType)
            reason_ok = c.text("reason", reason)
            decree = c.text("decree_number", decree_number, max_len=values.DECREE_MAX)
            decreed = c.date("decree_date", decree_date)
            c.extend(Employee.award_problems(decreed, self.today()))
            c.done()
            assert kind and reason_ok and decree and decreed
            eid = employee.grant_award(
                self.envelope(ctx),
                award_type=kind,
                reason=reason_ok,
                decree_number=decree,
                decree_date=decreed,
            )
            award = employee.awards[eid]
            return Pending(
                [employee],
                eid,
                {
                    "award_id": eid,
                    "eligible": award["eligible"],
                    "ineligibility": award["ineligibility"],
                    "rule_version": award["rule_version"],
                },
            )

        return self._execute(ctx, build)

    def revoke_award(
        self,
        ctx: CommandContext,
        nip: str,
        award_id: str,
        *,
        reason: str,
        decree_number: str,
        decree_date: str | date | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            employee.open_award(award_id)
            c = Checker()
            reason_ok = c.text("reason", reason)
            decree = c.text("decree_number", decree_number, max_len=values.DECREE_MAX)
            decreed = c.date("decree_date", decree_date, required=False)
            c.extend(employee.revocation_problems(award_id, decreed))
            c.done()
            assert reason_ok and decree
            eid = employee.revoke_award(
                self.envelope(ctx), award_id, reason=reason_ok, decree_number=decree, decree_date=decreed
            )
            return Pending([employee], eid, {"award_id": award_id, "revocation_id": eid})

        return self._execute(ctx, build)

    def record_training(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        title: str,
        hours_jp: float | str | Decimal,
        completed_on: str | date,
        provider: str,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            title_ok = c.text("title", title, max_len=values.TITLE_MAX)
            provider_ok = c.text("provider", provider, max_len=values.NAME_MAX)
            completed = c.date("completed_on", completed_on)
            c.extend(employee.training_date_problems(completed, self.today()))
            jp = _decimal(c, "hours_jp", hours_jp)
            c.extend(Employee.training_hours_problems(jp, completed, self.today()))
            c.done()
            assert title_ok and provider_ok and completed and jp is not None
            eid = employee.complete_training(
                self.envelope(ctx), title=title_ok, hours_jp=jp, completed_on=completed, provider=provider_ok
            )
            return Pending([employee], eid, {"training_id": eid})

        return self._execute(ctx, build)

    # -------------------------------------------------------------------- sanctions

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

    # --------------------------------------------------------------------- programs

    def launch_program(
        self, ctx: CommandContext, *, code: str, name: str, agencies: Sequence[str]
    ) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            code_ok = c.code("code", code)
            name_ok = c.text("name", name, max_len=values.TITLE_MAX)
            partners = Program.partner_problems(agencies)
            c.extend(partners)
            if not partners:
                for i, a in enumerate(agencies):
                    self._known_agency(c, f"agencies[{i}]", a, "unknown agency code")
            c.done()
            assert code_ok and name_ok
            self._unique(Program, code_ok, f"program {code_ok} already exists")
            program = Program.launch(self.envelope(ctx), code=code_ok, name=name_ok, agencies=list(agencies))
            return Pending([program], f"{program.id}:{program.version}", {"code": code_ok})

        return self._execute(ctx, build)

    def add_program_participant(
        self, ctx: CommandContext, code: str, *, nip: str, role: str
    ) -> CommandResult:
        def build() -> Pending:
            program = self._get(Program, code, "program")
            self._check_version(ctx, program)
            c = Checker()
            parsed = c.parse("nip", nip, parse_nip)
            role_ok = c.text("role", role, max_len=values.ROLE_MAX)
            employee = self._find(Employee, parsed.value) if parsed else None
            if parsed and employee is None:
                c.add("nip", "unknown NIP")
            if employee is not None:
                c.extend(program.participant_problems(employee.agency))
            c.done()
            assert employee is not None and role_ok
            env = self.envelope(ctx)
            eid = program.add_participant(env, nip=employee.nip, agency=employee.agency, role=role_ok)
            employee.join_collaboration(env, program=program.code, role=role_ok)
            return Pending([program, employee], eid)

        return self._execute(ctx, build)

    def record_program_outcome(
        self,
        ctx: CommandContext,
        code: str,
        *,
        indicator: str,
        target: str | float,
        achieved: str | float,
        period: str,
    ) -> CommandResult:
        def build() -> Pending:
            program = self._get(Program, code, "program")
            self._check_version(ctx, program)
            c = Checker()
            indicator_ok = c.text("indicator", indicator, max_len=values.TITLE_MAX)
            target_ok = _decimal(c, "target", target)
            achieved_ok = _decimal(c, "achieved", achieved)
            parsed = c.parse("period", period, parse_period)
            c.done()
            assert indicator_ok and target_ok is not None and achieved_ok is not None and parsed
            eid = program.record_outcome(
                self.envelope(ctx),
                indicator=indicator_ok,
                target=target_ok,
                achieved=achieved_ok,
                period=parsed,
            )
            return Pending([program], eid, {"outcome_id": eid})

        return self._execute(ctx, build)

    # ----------------------------------------------------------------- public survey

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

    # ----------------------------------------------------------------------- queries

    def employee(self, nip: str, version: int | None = None) -> Employee:
        return self._get(Employee, nip, "employee NIP", version)

    def agency(self, code: str) -> Agency:
        return self._get(Agency, code, "agency")

    def service_unit(self, code: str) -> ServiceUnit:
        return self._get(ServiceUnit, code, "service unit")

    def program(self, code: str) -> Program:
        return self._get(Program, code, "program")

    def stream(self, originator_id: UUID) -> list[StreamEntry]:
        """The stored events of one stream with their global positions."""
        return self.ledger_recorder.select_stream(originator_id)

    def stream_id_of(self, kind: str, key: str) -> UUID:
        return stream_id(kind, key)


def _split_event_id(event_id: str) -> tuple[UUID, int]:
    originator, version = event_id.rsplit(":", 1)
    return UUID(originator), int(version)


def _decimal(c: Checker, field_name: str, value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        c.add(field_name, "must be a number")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        c.add(field_name, "must be a number")
        return None
    if not number.is_finite():
        c.add(field_name, "must be a finite number")
        return None
    return number


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

"""The fact layer: the fact tables kept from the events, and which keys each batch touched."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from ledger.discipline.lifecycle import (
    STANDING,
    SanctionStatus,
    after_appeal,
    after_revocation,
    penalty_level,
)
from ledger.domain.agency import Agency
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.domain.program import Program
from ledger.domain.service_unit import ServiceUnit
from ledger.nip import stream_id
from ledger.period import parse_period
from ledger.sqlstore import Sql
from ledger.vocabulary import DISMISSALS, AppealOutcome
from projections.base import Projection, Tables
from projections.dispatch import Handlers, handles
from projections.facts.cycle import CycleState
from projections.facts.derive import placements_from_timeline, sanction_span
from projections.facts.rows import dumps, insert


class FactLayer(Handlers):
    """Keeps the fact tables and records which keys each batch touched."""

    def __init__(self) -> None:
        self._nips: dict[UUID, str] = {}  # employee stream id -> NIP (immutable, so never stale)
        self._codes: dict[UUID, str] = {}
        self.reset()

    def reset(self) -> None:
        self.employee_years: set[tuple[str, int]] = set()
        self.employee_from: dict[str, int] = {}  # nip -> every year from this one on
        self.unit_years: set[tuple[str, int]] = set()
        self.program_years: set[tuple[str, int]] = set()
        self.years: set[int] = set()
        self.from_year: int | None = None  # every year from this one on
        self._timelines: dict[str, list[dict[str, Any]]] = {}

    # ------------------------------------------------------------------ helpers

    def nip_of(self, tx: Sql, t: Mapping[str, str], originator_id: UUID) -> str:
        nip = self._nips.get(originator_id)
        if nip is None:
            nip = tx.scalar(f"SELECT nip FROM {t['f_employees']} WHERE employee_id=?", (str(originator_id),))
            if nip is None:
                raise LookupError(f"event for unregistered employee stream {originator_id}")
            self._nips[originator_id] = nip
        return str(nip)

    def _touch(self, nip: str, year: int) -> None:
        self.employee_years.add((nip, year))
        self.years.add(year)

    def _touch_from(self, nip: str, year: int) -> None:
        self.employee_from[nip] = min(year, self.employee_from.get(nip, year))
        self.from_year = year if self.from_year is None else min(year, self.from_year)

    def _timeline(self, tx: Sql, t: Mapping[str, str], nip: str) -> list[dict[str, Any]]:
        cached = self._timelines.get(nip)
        if cached is None:
            raw = tx.scalar(f"SELECT timeline FROM {t['f_employees']} WHERE nip=?", (nip,))
            cached = json.loads(raw) if raw else []
            self._timelines[nip] = cached
        return cached

    def _add_timeline(self, tx: Sql, t: Mapping[str, str], nip: str, entry: dict[str, Any]) -> None:
        timeline = self._timeline(tx, t, nip)
        timeline.append(entry)
        tx.execute(f"UPDATE {t['f_employees']} SET timeline=? WHERE nip=?", (dumps(timeline), nip))
        tx.execute(f"DELETE FROM {t['f_placements']} WHERE nip=?", (nip,))
        tx.executemany(
            f"INSERT INTO {t['f_placements']} (nip, valid_from, valid_to, agency, service_unit, "
            "officer_code, event_id) VALUES (?,?,?,?,?,?,?)",
            [
                (
                    nip,
                    p["valid_from"],
                    p["valid_to"],
                    p["agency"],
                    p["service_unit"],
                    p["officer_code"],
                    p["event_id"],
                )
                for p in placements_from_timeline(timeline)
            ],
        )
        self._touch_from(nip, int(entry["d"][:4]))

    def _sanction_row(self, tx: Sql, t: Mapping[str, str], sanction_id: str) -> dict[str, Any]:
        row = tx.one(f"SELECT * FROM {t['f_sanctions']} WHERE sanction_id=?", (sanction_id,))
        if row is None:
            raise LookupError(f"unknown sanction {sanction_id}")
        return row

    def _touch_sanction(self, nip: str, row: Mapping[str, Any]) -> None:
        """Every year the sanction was (or, before this change, had been) in force."""
        start = date.fromisoformat(row["effective_date"]).year
        span = sanction_span(row)
        last = span.last_year() if span else start
        if span is not None and span.end is None:
            self._touch(nip, start)
            self._touch_from(nip, start)
            return
        for year in range(start, (last or start) + 1):
            self._touch(nip, year)

    def _update_dismissal(self, tx: Sql, t: Mapping[str, str], nip: str) -> None:
        dismissed = tx.scalar(
            f"SELECT MIN(effective_date) FROM {t['f_sanctions']} WHERE nip=? "
            f"AND penalty IN ({', '.join('?' * len(DISMISSALS))}) AND status IN (?, ?)",
            (nip, *sorted(c.value for c in DISMISSALS), *sorted(s.value for s in STANDING)),
        )
        tx.execute(f"UPDATE {t['f_employees']} SET dismissed_on=? WHERE nip=?", (dismissed, nip))

    # ------------------------------------------------------------------ events

    def process(self, tx: Sql, t: Mapping[str, str], event: LedgerEvent, notification: Notification) -> None:
        handler = self.handler(event)
        if handler is not None:
            handler(tx, t, event, notification)

    @handles(Employee.EmployeeRegistered)
    def _registered(
        self, tx: Sql, t: Mapping[str, str], e: Employee.EmployeeRegistered, notification: Notification
    ) -> None:
        self._nips[e.originator_id] = e.nip
        entry = _timeline_entry(e, notification, "registered", agency=e.agency)
        self._timelines[e.nip] = [entry]
        tx.execute(
            f"INSERT INTO {t['f_employees']} (nip, employee_id, name, employment_type, "
            "service_start_date, registered_event_id, dismissed_on, timeline) VALUES (?,?,?,?,?,?,?,?)",
            (
                e.nip,
                str(e.originator_id),
                e.name,
                e.employment_type,
                e.service_start_date.isoformat(),
                e.event_id,
                None,
                dumps([entry]),
            ),
        )
        tx.execute(
            f"INSERT INTO {t['f_placements']} (nip, valid_from, valid_to, agency, service_unit, "
            "officer_code, event_id) VALUES (?,?,?,?,?,?,?)",
            (e.nip, entry["d"], None, e.agency, None, None, e.event_id),
        )
        self._touch_from(e.nip, e.effective_date.year)

    @handles(ServiceUnit.ServiceUnitRegistered)
    def _unit_registered(
        self, tx: Sql, t: Mapping[str, str], e: ServiceUnit.ServiceUnitRegistered, notification: Notification
    ) -> None:
        self._remember_code("service-unit", e.code)
        tx.execute(
            f"INSERT INTO {t['f_units']} (code, name, agency) VALUES (?,?,?)", (e.code, e.name, e.agency)
        )

    @handles(ServiceUnit.SurveyResponseReceived)
    def _survey(
        self, tx: Sql, t: Mapping[str, str], e: ServiceUnit.SurveyResponseReceived, notification: Notification
    ) -> None:
        code = self._code_of(tx, t["f_units"], e.originator_id, "service-unit")
        year = e.effective_date.year
        tx.execute(
            f"INSERT INTO {t['f_surveys']} (event_id, service_unit, year, answers, officer_code) "
            "VALUES (?,?,?,?,?)",
            (e.event_id, code, year, dumps(e.answers), e.officer_code),
        )
        self.unit_years.add((code, year))
        self.years.add(year)

    @handles(Agency.AgencyRegistered)
    def _agency_registered(
        self, tx: Sql, t: Mapping[str, str], e: Agency.AgencyRegistered, notification: Notification
    ) -> None:
        self._remember_code("agency", e.code)
        tx.execute(f"INSERT INTO {t['f_agencies']} (code, name) VALUES (?,?)", (e.code, e.name))

    @handles(Agency.OrganisationPerformanceRated)
    def _rated(
        self,
        tx: Sql,
        t: Mapping[str, str],
        e: Agency.OrganisationPerformanceRated,
        notification: Notification,
    ) -> None:
        code = self._code_of(tx, t["f_agencies"], e.originator_id, "agency")
        tx.execute(
            f"INSERT INTO {t['f_ratings']} (agency, year, predikat_organisasi, event_id) VALUES (?,?,?,?)",
            (code, e.year, e.predikat_organisasi, e.event_id),
        )
        self.years.add(e.year)

    @handles(Program.ProgramLaunched)
    def _program_launched(
        self, tx: Sql, t: Mapping[str, str], e: Program.ProgramLaunched, notification: Notification
    ) -> None:
        self._remember_code("program", e.code)
        tx.execute(f"INSERT INTO {t['f_programs']} (code, name) VALUES (?,?)", (e.code, e.name))

    @handles(Program.ProgramOutcomeRecorded)
    def _outcome(
        self, tx: Sql, t: Mapping[str, str], e: Program.ProgramOutcomeRecorded, notification: Notification
    ) -> None:
        code = self._code_of(tx, t["f_programs"], e.originator_id, "program")
        outcome_year = parse_period(e.period).year
        tx.execute(
            f"INSERT INTO {t['f_outcomes']} (event_id, program, year, indicator, target, achieved) "
            "VALUES (?,?,?,?,?,?)",
            (e.event_id, code, outcome_year, e.indicator, e.target, e.achieved),
        )
        self.program_years.add((code, outcome_year))

    @handles(Employee.EmployeeTransferred)
    def _transferred(
        self, tx: Sql, t: Mapping[str, str], e: Employee.EmployeeTransferred, notification: Notification
    ) -> None:
        entry = _timeline_entry(e, notification, "transferred", agency=e.agency)
        self._add_timeline(tx, t, self.nip_of(tx, t, e.originator_id), entry)

    @handles(Employee.AssignedToServiceUnit)
    def _assigned(
        self, tx: Sql, t: Mapping[str, str], e: Employee.AssignedToServiceUnit, notification: Notification
    ) -> None:
        entry = _timeline_entry(
            e, notification, "assigned", service_unit=e.service_unit, officer_code=e.officer_code
        )
        self._add_timeline(tx, t, self.nip_of(tx, t, e.originator_id), entry)

    @handles(Employee.AppraisalRecorded)
    def _appraised(
        self, tx: Sql, t: Mapping[str, str], e: Employee.AppraisalRecorded, notification: Notification
    ) -> None:
        nip = self.nip_of(tx, t, e.originator_id)
        period = parse_period(e.period)
        tx.execute(
            f"INSERT INTO {t['f_appraisals']} (appraisal_id, nip, year, period, annual, end_month, "
            "predikat, hasil_kerja, perilaku_kerja, rule_version, event_ids) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                e.event_id,
                nip,
                period.year,
                period.text,
                int(period.annual),
                period.end_month,
                e.predikat,
                e.hasil_kerja,
                e.perilaku_kerja,
                e.rule_version,
                dumps([e.event_id]),
            ),
        )
        self._touch(nip, period.year)

    @handles(
        Employee.SkpPlanned,
        Employee.SkpRevised,
        Employee.RealisationReported,
        Employee.BehaviourFeedbackGiven,
    )
    def _cycle(self, tx: Sql, t: Mapping[str, str], e: LedgerEvent, notification: Notification) -> None:
        """The cycle replayed by the aggregate's own `apply` methods; its year is touched."""
        nip = self.nip_of(tx, t, e.originator_id)
        row = tx.one(f"SELECT state FROM {t['f_skp']} WHERE nip=?", (nip,))
        holder = CycleState(json.loads(row["state"]) if row else {})
        e.apply(holder)
        tx.execute(f"DELETE FROM {t['f_skp']} WHERE nip=?", (nip,))
        tx.execute(f"INSERT INTO {t['f_skp']} (nip, state) VALUES (?,?)", (nip, dumps(holder.state)))
        skp_id = e.event_id if isinstance(e, Employee.SkpPlanned) else getattr(e, "skp_id", None)
        plan = holder.skp_state()["plans"].get(skp_id) if skp_id else None
        self._touch(nip, int(plan["year"]) if plan else e.effective_date.year)

    @handles(Employee.LegacyAppraisalRecorded)
    def _appraised_legacy(
        self, tx: Sql, t: Mapping[str, str], e: Employee.LegacyAppraisalRecorded, notification: Notification
    ) -> None:
        """An appraisal before PermenPANRB 6/2022: its sebutan/predikat, its value, no ratings."""
        nip = self.nip_of(tx, t, e.originator_id)
        period = parse_period(e.period)
        tx.execute(
            f"INSERT INTO {t['f_appraisals']} (appraisal_id, nip, year, period, annual, end_month, "
            "predikat, nilai, rule_version, event_ids) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                e.event_id,
                nip,
                period.year,
                period.text,
                int(period.annual),
                period.end_month,
                e.predikat,
                e.nilai,
                e.rule_version,
                dumps([e.event_id]),
            ),
        )
        self._touch(nip, period.year)

    @handles(Employee.AppraisalCorrected)
    def _corrected(
        self, tx: Sql, t: Mapping[str, str], e: Employee.AppraisalCorrected, notification: Notification
    ) -> None:
        nip = self.nip_of(tx, t, e.originator_id)
        row = tx.one(
            f"SELECT year, event_ids FROM {t['f_appraisals']} WHERE appraisal_id=?", (e.appraisal_id,)
        )
        if row is None:
            raise LookupError(f"correction of unknown appraisal {e.appraisal_id}")
        tx.execute(
            f"UPDATE {t['f_appraisals']} SET predikat=?, hasil_kerja=?, perilaku_kerja=?, "
            "rule_version=?, event_ids=? WHERE appraisal_id=?",
            (
                e.predikat,
                e.hasil_kerja,
                e.perilaku_kerja,
                e.rule_version,
                dumps([*json.loads(row["event_ids"]), e.event_id]),
                e.appraisal_id,
            ),
        )
        self._touch(nip, int(row["year"]))

    @handles(Employee.TrainingCompleted)
    def _trained(
        self, tx: Sql, t: Mapping[str, str], e: Employee.TrainingCompleted, notification: Notification
    ) -> None:
        nip, year = self.nip_of(tx, t, e.originator_id), e.effective_date.year
        tx.execute(
            f"INSERT INTO {t['f_trainings']} (event_id, nip, year, hours_jp) VALUES (?,?,?,?)",
            (e.event_id, nip, year, str(Decimal(e.hours_jp))),
        )
        self._touch(nip, year)

    @handles(Employee.FeedbackReceived)
    def _feedback(
        self, tx: Sql, t: Mapping[str, str], e: Employee.FeedbackReceived, notification: Notification
    ) -> None:
        if e.source == "CITIZEN" and e.answers:
            nip, year = self.nip_of(tx, t, e.originator_id), e.effective_date.year
            tx.execute(
                f"INSERT INTO {t['f_citizen_feedback']} "
                "(event_id, nip, year, answers, recorded_at, survey_event_id) VALUES (?,?,?,?,?,?)",
                (e.event_id, nip, year, dumps(e.answers), e.recorded_at.isoformat(), e.survey_event_id),
            )
            self._touch(nip, year)

    @handles(Employee.SurveyBurstReviewed)
    def _burst_reviewed(
        self, tx: Sql, t: Mapping[str, str], e: Employee.SurveyBurstReviewed, notification: Notification
    ) -> None:
        nip = self.nip_of(tx, t, e.originator_id)
        tx.execute(
            f"INSERT INTO {t['f_burst_reviews']} (burst_id, nip, decision, event_id) VALUES (?,?,?,?)",
            (e.burst_id, nip, e.decision, e.event_id),
        )
        year = tx.scalar(f"SELECT year FROM {t['f_citizen_feedback']} WHERE event_id=?", (e.burst_id,))
        if year is not None:
            self._touch(nip, int(year))

    @handles(Employee.AwardGranted)
    def _awarded(
        self, tx: Sql, t: Mapping[str, str], e: Employee.AwardGranted, notification: Notification
    ) -> None:
        nip, year = self.nip_of(tx, t, e.originator_id), e.effective_date.year
        tx.execute(
            f"INSERT INTO {t['f_awards']} (award_id, nip, year, award_type, eligible, revoked_by) "
            "VALUES (?,?,?,?,?,?)",
            (e.event_id, nip, year, e.award_type, int(e.eligible), None),
        )
        self._touch(nip, year)

    @handles(Employee.AwardRevoked)
    def _award_revoked(
        self, tx: Sql, t: Mapping[str, str], e: Employee.AwardRevoked, notification: Notification
    ) -> None:
        nip = self.nip_of(tx, t, e.originator_id)
        award_year = tx.scalar(f"SELECT year FROM {t['f_awards']} WHERE award_id=?", (e.award_id,))
        tx.execute(f"UPDATE {t['f_awards']} SET revoked_by=? WHERE award_id=?", (e.event_id, e.award_id))
        if award_year is not None:
            self._touch(nip, int(award_year))

    @handles(Employee.SanctionImposed)
    def _sanctioned(
        self, tx: Sql, t: Mapping[str, str], e: Employee.SanctionImposed, notification: Notification
    ) -> None:
        nip = self.nip_of(tx, t, e.originator_id)
        row = {
            "sanction_id": e.event_id,
            "nip": nip,
            "level": penalty_level(e.penalty, e.rule_version, e.decided_on).value,
            "penalty": e.penalty,
            "status": SanctionStatus.IMPOSED.value,
            "decided_on": e.decided_on.isoformat(),
            "effective_date": e.effective_date.isoformat(),
            "in_force_until": e.in_force_until.isoformat() if e.in_force_until else None,
            "revoked_on": None,
            "event_ids": dumps([e.event_id]),
        }
        insert(tx, t["f_sanctions"], row)
        self._touch_sanction(nip, row)
        self.years.add(e.decided_on.year)
        if e.penalty in DISMISSALS:
            self._update_dismissal(tx, t, nip)
            self._touch_from(nip, e.effective_date.year)

    @handles(Employee.SanctionAppealDecided, Employee.SanctionRevoked)
    def _sanction_changed(
        self,
        tx: Sql,
        t: Mapping[str, str],
        e: Employee.SanctionAppealDecided | Employee.SanctionRevoked,
        notification: Notification,
    ) -> None:
        nip = self.nip_of(tx, t, e.originator_id)
        before = self._sanction_row(tx, t, e.sanction_id)
        after = dict(before)
        after["event_ids"] = dumps([*json.loads(before["event_ids"]), e.event_id])
        if isinstance(e, Employee.SanctionRevoked):
            after.update(
                status=after_revocation(before["status"]).value, revoked_on=e.effective_date.isoformat()
            )
        else:
            after["status"] = after_appeal(before["status"], e.outcome).value
        if isinstance(e, Employee.SanctionAppealDecided) and e.outcome == AppealOutcome.MODIFIED:
            assert e.new_penalty is not None
            after.update(
                penalty=e.new_penalty,
                level=penalty_level(e.new_penalty, e.rule_version, e.decided_on).value,
                in_force_until=e.new_in_force_until.isoformat() if e.new_in_force_until else None,
            )
        tx.execute(
            f"UPDATE {t['f_sanctions']} SET level=?, penalty=?, status=?, in_force_until=?, "
            "revoked_on=?, event_ids=? WHERE sanction_id=?",
            (
                after["level"],
                after["penalty"],
                after["status"],
                after["in_force_until"],
                after["revoked_on"],
                after["event_ids"],
                e.sanction_id,
            ),
        )
        self._touch_sanction(nip, before)
        self._touch_sanction(nip, after)
        self.years.add(date.fromisoformat(before["decided_on"]).year)
        if before["penalty"] in DISMISSALS or after["penalty"] in DISMISSALS:
            self._update_dismissal(tx, t, nip)
            self._touch_from(nip, date.fromisoformat(before["effective_date"]).year)

    @handles(Employee.ServiceEnded)
    def _service_ended(
        self, tx: Sql, t: Mapping[str, str], e: Employee.ServiceEnded, notification: Notification
    ) -> None:
        """From the end of service on, the employee leaves the figures (docs/SERVICE.md)."""
        nip = self.nip_of(tx, t, e.originator_id)
        tx.execute(
            f"UPDATE {t['f_employees']} SET service_ended_on=? WHERE nip=?", (e.ended_on.isoformat(), nip)
        )
        self._touch(nip, e.ended_on.year)
        self._touch_from(nip, e.ended_on.year)

    @handles(Employee.CollaborationJoined)
    def _joined(
        self, tx: Sql, t: Mapping[str, str], e: Employee.CollaborationJoined, notification: Notification
    ) -> None:
        nip, year = self.nip_of(tx, t, e.originator_id), e.effective_date.year
        tx.execute(
            f"INSERT INTO {t['f_participations']} (program, nip, joined_on, role, event_id) "
            "VALUES (?,?,?,?,?)",
            (e.program, nip, e.effective_date.isoformat(), e.role, e.event_id),
        )
        self._touch(nip, year)
        for row in tx.query(
            f"SELECT DISTINCT year FROM {t['f_outcomes']} WHERE program=? AND year>=?", (e.program, year)
        ):
            self._touch(nip, int(row["year"]))

    # Stream id -> code of agencies, units and programs: codes are in the Created event only, and
    # the stream id is uuid5 of the code, so an entry never goes stale.

    def _remember_code(self, kind: str, code: str) -> None:
        self._codes[stream_id(kind, code)] = code

    def _code_of(self, tx: Sql, table: str, originator_id: UUID, kind: str) -> str:
        code = self._codes.get(originator_id)
        if code is None:
            for row in tx.query(f"SELECT code FROM {table}"):
                self._remember_code(kind, row["code"])
            code = self._codes.get(originator_id)
            if code is None:
                raise LookupError(f"event for unregistered {kind} stream {originator_id}")
        return code


class FactsProjection(Projection):
    """A projection that keeps its own copy of the fact tables (projections never read each
    other's tables) and derives its rows from them once per batch, in ``finish_batch``."""

    def __init__(self) -> None:
        self.facts = FactLayer()

    def start_batch(self, tx: Sql, tables: Tables) -> None:
        self.facts.reset()

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        self.facts.process(tx, tables, event, notification)


def _timeline_entry(e: LedgerEvent, notification: Notification, kind: str, **fields: Any) -> dict[str, Any]:
    """One step of where an employee served: effective date, log position (ties), what happened."""
    return {
        "d": e.effective_date.isoformat(),
        "o": notification.id,
        "k": kind,
        "event_id": e.event_id,
        **fields,
    }

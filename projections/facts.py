"""Normalised facts, kept by the projections that derive scores and agency figures.

A projection must never read another projection's tables (each has its own position), so the
scorecard and agency projections each embed a :class:`FactLayer`: the same fact tables under
their own names, filled from the events, plus the sets of keys a batch made dirty. The derived
rows are then recomputed once per batch from these facts.

Years are calendar years of the event's effective date, which is a date in Asia/Jakarta.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from ledger.discipline.lifecycle import STANDING, SanctionStatus, after_appeal, after_revocation
from ledger.domain.agency import Agency
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.domain.program import Program
from ledger.domain.service_unit import ServiceUnit
from ledger.nip import stream_id
from ledger.period import parse_period
from ledger.rules import DISCIPLINE_RULES
from ledger.sqlstore import Sql
from ledger.vocabulary import AppealOutcome, PenaltyCode
from projections.base import Projection, Tables
from projections.dispatch import Handlers, handles

FACT_TABLES: dict[str, str] = {
    "f_employees": (
        "nip TEXT NOT NULL PRIMARY KEY, employee_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
        "employment_type TEXT NOT NULL, service_start_date TEXT NOT NULL, "
        "registered_event_id TEXT NOT NULL, dismissed_on TEXT, timeline TEXT NOT NULL"
    ),
    # Where the employee served: one row per stretch of (agency, unit), from the timeline of
    # registration, transfers and assignments in effective-date order.
    "f_placements": (
        "nip TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT, agency TEXT NOT NULL, "
        "service_unit TEXT, officer_code TEXT, event_id TEXT NOT NULL, PRIMARY KEY (nip, valid_from)"
    ),
    "f_appraisals": (
        "appraisal_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, year INTEGER NOT NULL, "
        "period TEXT NOT NULL, annual INTEGER NOT NULL, end_month INTEGER NOT NULL, "
        "predikat TEXT NOT NULL, hasil_kerja TEXT NOT NULL, perilaku_kerja TEXT NOT NULL, "
        "rule_version TEXT, event_ids TEXT NOT NULL"
    ),
    "f_trainings": (
        "event_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, year INTEGER NOT NULL, hours_jp TEXT NOT NULL"
    ),
    "f_citizen_feedback": (
        "event_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, year INTEGER NOT NULL, answers TEXT NOT NULL"
    ),
    "f_surveys": (
        "event_id TEXT NOT NULL PRIMARY KEY, service_unit TEXT NOT NULL, year INTEGER NOT NULL, "
        "answers TEXT NOT NULL, officer_code TEXT"
    ),
    "f_units": "code TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, agency TEXT NOT NULL",
    "f_agencies": "code TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL",
    "f_programs": "code TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL",
    "f_ratings": (
        "agency TEXT NOT NULL, year INTEGER NOT NULL, predikat_organisasi TEXT NOT NULL, "
        "event_id TEXT NOT NULL, PRIMARY KEY (agency, year)"
    ),
    "f_awards": (
        "award_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, year INTEGER NOT NULL, "
        "award_type TEXT NOT NULL, eligible INTEGER NOT NULL, revoked_by TEXT"
    ),
    "f_sanctions": (
        "sanction_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, level TEXT NOT NULL, "
        "penalty TEXT NOT NULL, status TEXT NOT NULL, decided_on TEXT NOT NULL, "
        "effective_date TEXT NOT NULL, in_force_until TEXT, revoked_on TEXT, event_ids TEXT NOT NULL"
    ),
    "f_participations": (
        "program TEXT NOT NULL, nip TEXT NOT NULL, joined_on TEXT NOT NULL, role TEXT NOT NULL, "
        "event_id TEXT NOT NULL, PRIMARY KEY (program, nip)"
    ),
    "f_outcomes": (
        "event_id TEXT NOT NULL PRIMARY KEY, program TEXT NOT NULL, year INTEGER NOT NULL, "
        "indicator TEXT NOT NULL, target TEXT NOT NULL, achieved TEXT NOT NULL"
    ),
}

FACT_INDEXES: dict[str, list[str]] = {
    "f_placements": ["agency, valid_from", "service_unit"],
    "f_appraisals": ["nip, year", "year"],
    "f_trainings": ["nip, year", "year"],
    "f_citizen_feedback": ["nip, year"],
    "f_surveys": ["service_unit, year", "year"],
    "f_awards": ["nip, year", "year"],
    "f_sanctions": ["nip"],
    "f_participations": ["nip"],
    "f_outcomes": ["program, year"],
}


def dumps(value: Any) -> str:
    """Canonical JSON for stored rows (sorted keys: equal content, equal text)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def insert(tx: Sql, table: str, row: Mapping[str, Any]) -> None:
    tx.execute(
        f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
    )


def insert_many(tx: Sql, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        cols = list(rows[0])
        tx.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [tuple(r[c] for c in cols) for r in rows],
        )


def year_end(year: int) -> date:
    return date(year, 12, 31)


@dataclass(frozen=True)
class SanctionSpan:
    """When a sanction (after appeals and revocation) was in force: [start, end), end None = for good."""

    sanction_id: str
    level: str
    penalty: str
    start: date
    end: date | None
    event_ids: tuple[str, ...]

    def overlaps_year(self, year: int) -> bool:
        first, after = date(year, 1, 1), date(year + 1, 1, 1)
        return self.start < after and (self.end is None or self.end > first)

    def last_year(self) -> int | None:
        return None if self.end is None else (self.end - timedelta(days=1)).year


def sanction_span(row: Mapping[str, Any]) -> SanctionSpan | None:
    """The in-force span of one f_sanctions row; None when annulled or revoked before it began."""
    if row["status"] == SanctionStatus.ANNULLED:
        return None
    start = date.fromisoformat(row["effective_date"])
    penalty = DISCIPLINE_RULES.in_force(date.fromisoformat(row["decided_on"])).penalty(
        PenaltyCode(row["penalty"])
    )
    end: date | None
    if penalty.permanent:
        end = None
    elif row["in_force_until"]:
        end = date.fromisoformat(row["in_force_until"])
    else:
        end = start + timedelta(days=1)  # ringan: no duration, in force on its effective date
    if row["status"] == SanctionStatus.REVOKED and row["revoked_on"]:
        revoked = date.fromisoformat(row["revoked_on"])
        end = revoked if end is None else min(end, revoked)
    if end is not None and end <= start:
        return None
    return SanctionSpan(
        row["sanction_id"], row["level"], row["penalty"], start, end, tuple(json.loads(row["event_ids"]))
    )


def predikat_of_year(appraisals: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The annual appraisal of the year, else the periodic one that ends last."""
    chosen: Mapping[str, Any] | None = None
    for a in appraisals:
        if chosen is None:
            chosen = a
            continue
        key = (int(a["annual"]), int(a["end_month"]), a["appraisal_id"])
        best = (int(chosen["annual"]), int(chosen["end_month"]), chosen["appraisal_id"])
        if key > best:
            chosen = a
    return chosen


def placements_from_timeline(timeline: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stretches of (agency, unit) from timeline entries sorted by (effective date, position)."""
    stretches: list[dict[str, Any]] = []
    agency: str | None = None
    unit: str | None = None
    officer: str | None = None
    for entry in sorted(timeline, key=lambda e: (e["d"], e["o"])):
        if entry["k"] == "registered":
            agency, unit, officer = entry["agency"], None, None
        elif entry["k"] == "transferred":
            if entry["agency"] != agency:
                unit, officer = None, None
            agency = entry["agency"]
        elif entry["k"] == "assigned":
            unit, officer = entry["service_unit"], entry["officer_code"]
        assert agency is not None
        if stretches and stretches[-1]["valid_from"] == entry["d"]:
            stretches.pop()  # superseded the same day
        if stretches:
            stretches[-1]["valid_to"] = entry["d"]
        stretches.append(
            {
                "valid_from": entry["d"],
                "valid_to": None,
                "agency": agency,
                "service_unit": unit,
                "officer_code": officer,
                "event_id": entry["event_id"],
            }
        )
    return stretches


def placement_on(placements: Sequence[Mapping[str, Any]], day: date) -> Mapping[str, Any] | None:
    """The stretch that contains `day`, else (not yet in service) the first one."""
    iso = day.isoformat()
    for p in placements:
        if p["valid_from"] <= iso and (p["valid_to"] is None or p["valid_to"] > iso):
            return p
    return placements[0] if placements and placements[0]["valid_from"] > iso else None


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
            f"SELECT MIN(effective_date) FROM {t['f_sanctions']} WHERE nip=? AND penalty=? "
            "AND status IN (?, ?)",
            (nip, PenaltyCode.PEMBERHENTIAN.value, *sorted(s.value for s in STANDING)),
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
        entry = {
            "d": e.effective_date.isoformat(),
            "o": notification.id,
            "k": "registered",
            "agency": e.agency,
            "event_id": e.event_id,
        }
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
        nip = self.nip_of(tx, t, e.originator_id)
        entry = {
            "d": e.effective_date.isoformat(),
            "o": notification.id,
            "k": "transferred",
            "agency": e.agency,
            "event_id": e.event_id,
        }
        self._add_timeline(tx, t, nip, entry)

    @handles(Employee.AssignedToServiceUnit)
    def _assigned(
        self, tx: Sql, t: Mapping[str, str], e: Employee.AssignedToServiceUnit, notification: Notification
    ) -> None:
        nip = self.nip_of(tx, t, e.originator_id)
        entry = {
            "d": e.effective_date.isoformat(),
            "o": notification.id,
            "k": "assigned",
            "service_unit": e.service_unit,
            "officer_code": e.officer_code,
            "event_id": e.event_id,
        }
        self._add_timeline(tx, t, nip, entry)

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
                f"INSERT INTO {t['f_citizen_feedback']} (event_id, nip, year, answers) VALUES (?,?,?,?)",
                (e.event_id, nip, year, dumps(e.answers)),
            )
            self._touch(nip, year)

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
            "level": e.level,
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
        if e.penalty == PenaltyCode.PEMBERHENTIAN.value:
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
            after.update(
                penalty=e.new_penalty,
                level=e.new_level,
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
        if PenaltyCode.PEMBERHENTIAN.value in (before["penalty"], after["penalty"]):
            self._update_dismissal(tx, t, nip)
            self._touch_from(nip, date.fromisoformat(before["effective_date"]).year)

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


PEOPLE_TABLE = (
    "employee_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
    "agency TEXT NOT NULL"
)


class People(Handlers):
    """Who an employee stream belongs to, and their agency as last recorded (log order).

    For registers that show the NIP, name and agency beside each entry.
    """

    def __init__(self, logical: str = "people") -> None:
        self.logical = logical
        self._names: dict[UUID, tuple[str, str]] = {}  # immutable: NIP and name never change

    def process(self, tx: Sql, t: Mapping[str, str], event: LedgerEvent) -> None:
        handler = self.handler(event)
        if handler is not None:
            handler(tx, t, event)

    @handles(Employee.EmployeeRegistered)
    def _registered(self, tx: Sql, t: Mapping[str, str], event: Employee.EmployeeRegistered) -> None:
        self._names[event.originator_id] = (event.nip, event.name)
        insert(
            tx,
            t[self.logical],
            {
                "employee_id": str(event.originator_id),
                "nip": event.nip,
                "name": event.name,
                "agency": event.agency,
            },
        )

    @handles(Employee.EmployeeTransferred)
    def _transferred(self, tx: Sql, t: Mapping[str, str], event: Employee.EmployeeTransferred) -> None:
        tx.execute(
            f"UPDATE {t[self.logical]} SET agency=? WHERE employee_id=?",
            (event.agency, str(event.originator_id)),
        )

    def who(self, tx: Sql, t: Mapping[str, str], originator_id: UUID) -> dict[str, Any]:
        """NIP, name and current agency of an employee stream."""
        row = tx.one(
            f"SELECT nip, name, agency FROM {t[self.logical]} WHERE employee_id=?", (str(originator_id),)
        )
        if row is None:
            raise LookupError(f"event for unregistered employee stream {originator_id}")
        return row

    def nip(self, tx: Sql, t: Mapping[str, str], originator_id: UUID) -> str:
        cached = self._names.get(originator_id)
        if cached is None:
            row = self.who(tx, t, originator_id)
            cached = (row["nip"], row["name"])
            self._names[originator_id] = cached
        return cached[0]


class FactsProjection(Projection):
    """A projection that keeps its own copy of the fact tables (projections never read each
    other's tables) and derives its rows from them once per batch, in ``finish_batch``."""

    def __init__(self) -> None:
        self.facts = FactLayer()

    def start_batch(self, tx: Sql, tables: Tables) -> None:
        self.facts.reset()

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        self.facts.process(tx, tables, event, notification)

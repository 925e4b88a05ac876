"""Satyalancana Karya Satya candidates: projection ``satyalancana``.

Who reaches 10, 20 or 30 years of counted service, on which day, and whether the award would be
eligible (PP 35/2010; docs/SERVICE.md, docs/RULES.md). One row per PNS and number of years
reached (``candidates``), derived once per batch from the facts of the employee kept in
``records``: the service start, the periods that stop the clock (CLTN, suspension), the end of
service, the sanctions after appeals and revocations, the Satyalancana awards and where the
employee served. The arithmetic is the domain's: ``ServiceRecord.reaches`` gives the day, and
the award rule in force on that day (``AwardRule.assess``) judges it, as if the award were decreed
that day (the first day it can be). Nothing depends on the day the runner runs: a rebuild gives
the same rows.

PPPK get no row: the Satyalancana Karya Satya is for PNS only. A day of reaching with no award
rule in force (before 2010) gets no row either, nor does a count of years not reached because
the service ended first or a CLTN or suspension has not ended.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, ClassVar

from eventsourcing.persistence import Notification

from ledger.discipline.lifecycle import SanctionStatus, after_appeal, after_revocation, penalty_level
from ledger.domain.employee import Employee
from ledger.domain.employee_awards import sanction_fact
from ledger.domain.envelope import LedgerEvent
from ledger.rules.awards import AWARD_RULES, ServiceBreak, ServiceRecord
from ledger.sqlstore import Sql
from ledger.vocabulary import AppealOutcome, AwardType, EmploymentType
from projections.base import Projection, Tables, employee_row
from projections.dispatch import Handlers, handles
from projections.facts import dumps, insert_many, placement_on, placements_from_timeline

# The award for each number of counted years.
SLKS: dict[int, AwardType] = {
    10: AwardType.SATYALANCANA_KARYA_SATYA_10,
    20: AwardType.SATYALANCANA_KARYA_SATYA_20,
    30: AwardType.SATYALANCANA_KARYA_SATYA_30,
}
_YEARS_OF = {award.value: years for years, award in SLKS.items()}


class SatyalancanaProjection(Handlers, Projection):
    name: ClassVar[str] = "satyalancana"
    version: ClassVar[int] = 1
    tables: ClassVar[Mapping[str, str]] = {
        # The facts of each employee the candidates are derived from (JSON in `state`).
        "records": (
            "nip TEXT NOT NULL PRIMARY KEY, employee_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
            "employment_type TEXT NOT NULL, service_start_date TEXT NOT NULL, "
            "registered_event_id TEXT NOT NULL, state TEXT NOT NULL"
        ),
        "candidates": (
            "nip TEXT NOT NULL, years INTEGER NOT NULL, year INTEGER NOT NULL, reached_on TEXT NOT NULL, "
            "name TEXT NOT NULL, agency TEXT NOT NULL, employment_type TEXT NOT NULL, "
            "service_start_date TEXT NOT NULL, days_not_counted INTEGER NOT NULL, "
            "not_counted_ids TEXT NOT NULL, service_ended_on TEXT, eligible INTEGER NOT NULL, "
            "ineligibility TEXT NOT NULL, rule_version TEXT NOT NULL, award_id TEXT, "
            "award_decree_date TEXT, award_eligible INTEGER, PRIMARY KEY (nip, years)"
        ),
    }
    indexes: ClassVar[Mapping[str, Sequence[str]]] = {"candidates": ["year, agency"]}

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, Any]] = {}  # employee_id -> record, for one batch

    def start_batch(self, tx: Sql, tables: Tables) -> None:
        self._rows = {}

    def _record(self, tx: Sql, t: Tables, employee_id: str) -> dict[str, Any]:
        return employee_row(self._rows, tx, t["records"], employee_id)

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        handler = self.handler(event)
        if handler is None:
            return
        key = str(event.originator_id)
        if isinstance(event, Employee.EmployeeRegistered):
            self._rows[key] = {
                "nip": event.nip,
                "employee_id": key,
                "name": event.name,
                "employment_type": event.employment_type,
                "service_start_date": event.service_start_date.isoformat(),
                "registered_event_id": event.event_id,
                "state": {"timeline": [], "periods": {}, "end": None, "sanctions": {}, "awards": {}},
                "_new": True,
            }
        row = self._record(tx, tables, key)
        handler(row["state"], event)

    # Each handler updates one employee's facts (`st`) for one event class.

    @handles(Employee.EmployeeRegistered, Employee.EmployeeTransferred)
    def _placed(
        self, st: dict[str, Any], e: Employee.EmployeeRegistered | Employee.EmployeeTransferred
    ) -> None:
        kind = "registered" if isinstance(e, Employee.EmployeeRegistered) else "transferred"
        st["timeline"].append(
            {
                "d": e.effective_date.isoformat(),
                "o": e.originator_version,  # ties on one day: stream order
                "k": kind,
                "agency": e.agency,
                "event_id": e.event_id,
            }
        )

    @handles(Employee.LeaveStarted, Employee.SuspensionStarted)
    def _stopped(self, st: dict[str, Any], e: Employee.LeaveStarted | Employee.SuspensionStarted) -> None:
        st["periods"][e.event_id] = {"started_on": e.started_on.isoformat(), "ended_on": None}

    @handles(Employee.LeaveEnded)
    def _leave_ended(self, st: dict[str, Any], e: Employee.LeaveEnded) -> None:
        st["periods"][e.leave_id]["ended_on"] = e.ended_on.isoformat()

    @handles(Employee.SuspensionEnded)
    def _suspension_ended(self, st: dict[str, Any], e: Employee.SuspensionEnded) -> None:
        st["periods"][e.suspension_id]["ended_on"] = e.ended_on.isoformat()

    @handles(Employee.ServiceEnded)
    def _service_ended(self, st: dict[str, Any], e: Employee.ServiceEnded) -> None:
        st["end"] = {"ended_on": e.ended_on.isoformat(), "event_id": e.event_id}

    @handles(Employee.SanctionImposed)
    def _sanctioned(self, st: dict[str, Any], e: Employee.SanctionImposed) -> None:
        st["sanctions"][e.event_id] = {
            "sanction_id": e.event_id,
            "penalty": e.penalty,
            "level": penalty_level(e.penalty, e.rule_version, e.decided_on).value,
            "decided_on": e.decided_on.isoformat(),
            "effective_date": e.effective_date.isoformat(),
            "in_force_until": e.in_force_until.isoformat() if e.in_force_until else None,
            "status": SanctionStatus.IMPOSED.value,
            "revoked_on": None,
        }

    @handles(Employee.SanctionAppealDecided)
    def _appeal_decided(self, st: dict[str, Any], e: Employee.SanctionAppealDecided) -> None:
        s = st["sanctions"][e.sanction_id]
        s["status"] = after_appeal(s["status"], e.outcome).value
        if e.outcome == AppealOutcome.MODIFIED:
            assert e.new_penalty is not None
            s.update(
                penalty=e.new_penalty,
                level=penalty_level(e.new_penalty, e.rule_version, e.decided_on).value,
                in_force_until=e.new_in_force_until.isoformat() if e.new_in_force_until else None,
            )

    @handles(Employee.SanctionRevoked)
    def _sanction_revoked(self, st: dict[str, Any], e: Employee.SanctionRevoked) -> None:
        s = st["sanctions"][e.sanction_id]
        s.update(status=after_revocation(s["status"]).value, revoked_on=e.effective_date.isoformat())

    @handles(Employee.AwardGranted)
    def _awarded(self, st: dict[str, Any], e: Employee.AwardGranted) -> None:
        if e.award_type in _YEARS_OF:
            st["awards"][e.event_id] = {
                "award_type": e.award_type,
                "decree_date": e.decree_date.isoformat() if e.decree_date else None,
                "eligible": e.eligible,
                "revoked": False,
            }

    @handles(Employee.AwardRevoked)
    def _award_revoked(self, st: dict[str, Any], e: Employee.AwardRevoked) -> None:
        if e.award_id in st["awards"]:
            st["awards"][e.award_id]["revoked"] = True

    def finish_batch(self, tx: Sql, tables: Tables) -> None:
        if not self._rows:
            return
        records, candidates = [], []
        for row in self._rows.values():
            records.append(
                {k: dumps(v) if k == "state" else v for k, v in row.items() if not k.startswith("_")}
            )
            candidates.extend(candidates_of(row))
        keys = [r["employee_id"] for r in records]
        nips = [r["nip"] for r in records]
        for i in range(0, len(keys), 400):
            chunk = keys[i : i + 400]
            marks = ",".join("?" * len(chunk))
            tx.execute(f"DELETE FROM {tables['records']} WHERE employee_id IN ({marks})", chunk)
            tx.execute(f"DELETE FROM {tables['candidates']} WHERE nip IN ({marks})", nips[i : i + 400])
        insert_many(tx, tables["records"], records)
        insert_many(tx, tables["candidates"], candidates)


def service_record(row: Mapping[str, Any]) -> ServiceRecord:
    """The service clock of one record, as award eligibility reads it."""
    st = row["state"]
    end = st["end"]
    return ServiceRecord(
        start=date.fromisoformat(row["service_start_date"]),
        employment_type=EmploymentType(row["employment_type"]),
        registered_event_id=row["registered_event_id"],
        breaks=tuple(
            ServiceBreak(
                period_id,
                date.fromisoformat(p["started_on"]),
                date.fromisoformat(p["ended_on"]) if p["ended_on"] else None,
            )
            for period_id, p in sorted(st["periods"].items(), key=lambda item: item[1]["started_on"])
        ),
        ended_on=date.fromisoformat(end["ended_on"]) if end else None,
        end_event_id=end["event_id"] if end else None,
    )


def candidates_of(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per number of years (10, 20, 30) the employee reaches, judged on that day."""
    if row["employment_type"] != EmploymentType.PNS:
        return []
    st = row["state"]
    record = service_record(row)
    sanctions = [sanction_fact(s) for s in st["sanctions"].values()]
    placements = placements_from_timeline(st["timeline"])
    out = []
    for years, award_type in SLKS.items():
        reached = record.reaches(years)
        rule = AWARD_RULES.find(reached) if reached else None
        if reached is None or rule is None:
            continue
        _, days_out, breaks = record.counted_years(reached)
        problems = rule.assess(award_type, reached, record, sanctions)
        granted = [
            (award_id, a)
            for award_id, a in st["awards"].items()
            if a["award_type"] == award_type.value and not a["revoked"]
        ]
        award_id, award = max(granted, key=lambda g: (g[1]["decree_date"] or "", g[0]), default=(None, None))
        placement = placement_on(placements, reached)
        out.append(
            {
                "nip": row["nip"],
                "years": years,
                "year": reached.year,
                "reached_on": reached.isoformat(),
                "name": row["name"],
                "agency": placement["agency"] if placement else "",
                "employment_type": row["employment_type"],
                "service_start_date": row["service_start_date"],
                "days_not_counted": days_out,
                "not_counted_ids": dumps(list(breaks)),
                "service_ended_on": record.ended_on.isoformat() if record.ended_on else None,
                "eligible": int(not problems),
                "ineligibility": dumps(
                    [{"reason": p.reason, "event_ids": list(p.event_ids)} for p in problems]
                ),
                "rule_version": rule.version,
                "award_id": award_id,
                "award_decree_date": award["decree_date"] if award else None,
                "award_eligible": int(award["eligible"]) if award else None,
            }
        )
    return out

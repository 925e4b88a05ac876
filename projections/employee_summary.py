"""Employee summary: projection ``employees``, one row per employee.

The current record (as the aggregate has it, in log order) plus counts HR looks at first:
appraisals and the latest predikat after corrections, awards active and revoked, sanctions and
those still standing (not annulled or revoked), JP per year, programmes, feedback counts.
Whether a sanction is in force *today* depends on the day of the query, so it is not stored;
likewise the row keeps the day the retirement age (BUP) of the current position takes the
employee out of service (`pension_from`), and the query says whether that day has passed without
an end of service. Appraisals, awards and training dated on or after the end of service are
listed in `flags` (docs/SERVICE.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from eventsourcing.persistence import Notification

from ledger.decimals import plain_normal
from ledger.discipline.lifecycle import SanctionStatus, after_appeal, after_revocation, stands
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.nip import parse_nip
from ledger.period import parse_period
from ledger.rules.retirement import RETIREMENT_RULES
from ledger.sqlstore import Sql
from ledger.vocabulary import DISMISSALS, AppealOutcome
from projections.base import Projection, Tables, employee_row
from projections.dispatch import Handlers, handles
from projections.facts import dumps, insert_many

COLUMNS = (
    "nip TEXT NOT NULL PRIMARY KEY, employee_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
    "agency TEXT NOT NULL, position TEXT NOT NULL, grade TEXT NOT NULL, employment_type TEXT NOT NULL, "
    "service_start_date TEXT NOT NULL, service_unit TEXT, officer_code TEXT, status TEXT NOT NULL, "
    "dismissed_on TEXT, appraisals INTEGER NOT NULL, latest_period TEXT, latest_predikat TEXT, "
    "awards_active INTEGER NOT NULL, awards_revoked INTEGER NOT NULL, sanctions_total INTEGER NOT NULL, "
    "sanctions_standing INTEGER NOT NULL, training_jp TEXT NOT NULL, programs TEXT NOT NULL, "
    "feedback TEXT NOT NULL, version INTEGER NOT NULL, registered_event_id TEXT NOT NULL, "
    "last_event_id TEXT NOT NULL, last_effective_date TEXT NOT NULL, service_ended_on TEXT, "
    "service_end_reason TEXT, retirement_age INTEGER, pension_from TEXT, flags TEXT NOT NULL, "
    "name_key TEXT NOT NULL, state TEXT NOT NULL"
)
# Leave (CLTN) and suspension periods, for the status on a given day: [started_on, ended_on).
PERIOD_COLUMNS = (
    "period_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, employee_id TEXT NOT NULL, "
    "kind TEXT NOT NULL, started_on TEXT NOT NULL, ended_on TEXT"
)
SUSPENSION = "SUSPENSION"


class EmployeeSummaryProjection(Handlers, Projection):
    name: ClassVar[str] = "employees"
    # 2: plain-digit decimals; the service clock (end, BUP, flags); 3: the search key of the
    # name and the leave and suspension periods (the employee list and its status filter).
    version: ClassVar[int] = 3
    tables: ClassVar[Mapping[str, str]] = {"employees": COLUMNS, "periods": PERIOD_COLUMNS}
    indexes: ClassVar[Mapping[str, Sequence[str]]] = {
        "employees": ["agency", "employee_id"],
        "periods": ["nip, started_on"],
    }

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, Any]] = {}  # employee_id -> row, for one batch

    def start_batch(self, tx: Sql, tables: Tables) -> None:
        self._rows = {}

    def _row(self, tx: Sql, t: Tables, employee_id: str) -> dict[str, Any]:
        return employee_row(self._rows, tx, t["employees"], employee_id)

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        e = event
        if not isinstance(e, Employee.Event):
            return
        key = str(e.originator_id)
        if isinstance(e, Employee.EmployeeRegistered):
            self._rows[key] = {
                "nip": e.nip,
                "employee_id": key,
                "name": e.name,
                "agency": e.agency,
                "position": e.position,
                "grade": e.grade,
                "employment_type": e.employment_type,
                "service_start_date": e.service_start_date.isoformat(),
                "service_unit": None,
                "officer_code": None,
                "registered_event_id": e.event_id,
                "state": {
                    "appraisals": {},
                    "awards": {},
                    "sanctions": {},
                    "jp": {},
                    "programs": [],
                    "feedback": {},
                },
                "_new": True,
            }
        row = self._row(tx, tables, key)
        handler = self.handler(e)
        if handler is not None:
            handler(row, row["state"], e)
        row.update(
            version=e.originator_version,
            last_event_id=e.event_id,
            last_effective_date=e.effective_date.isoformat(),
        )

    # Each handler updates the employee's row and its JSON state (`st`) for one event class.

    @handles(Employee.EmployeeTransferred)
    def _transferred(self, row: dict[str, Any], st: dict[str, Any], e: Employee.EmployeeTransferred) -> None:
        if e.agency != row["agency"]:
            row["service_unit"] = row["officer_code"] = None
        row.update(agency=e.agency, position=e.position, grade=e.grade)

    @handles(Employee.AssignedToServiceUnit)
    def _assigned(self, row: dict[str, Any], st: dict[str, Any], e: Employee.AssignedToServiceUnit) -> None:
        row.update(service_unit=e.service_unit, officer_code=e.officer_code)

    @handles(Employee.AppraisalRecorded)
    def _appraised(self, row: dict[str, Any], st: dict[str, Any], e: Employee.AppraisalRecorded) -> None:
        st["appraisals"][e.event_id] = {"period": e.period, "predikat": e.predikat}
        _dated(st, e.event_id, "appraisal", parse_period(e.period).start.isoformat())

    @handles(Employee.LegacyAppraisalRecorded)
    def _appraised_legacy(
        self, row: dict[str, Any], st: dict[str, Any], e: Employee.LegacyAppraisalRecorded
    ) -> None:
        st["appraisals"][e.event_id] = {"period": e.period, "predikat": e.predikat}
        _dated(st, e.event_id, "appraisal", parse_period(e.period).start.isoformat())

    @handles(Employee.AppraisalCorrected)
    def _corrected(self, row: dict[str, Any], st: dict[str, Any], e: Employee.AppraisalCorrected) -> None:
        st["appraisals"][e.appraisal_id]["predikat"] = e.predikat

    @handles(Employee.FeedbackReceived)
    def _feedback(self, row: dict[str, Any], st: dict[str, Any], e: Employee.FeedbackReceived) -> None:
        st["feedback"][e.source] = st["feedback"].get(e.source, 0) + 1

    @handles(Employee.AwardGranted)
    def _awarded(self, row: dict[str, Any], st: dict[str, Any], e: Employee.AwardGranted) -> None:
        st["awards"][e.event_id] = False
        _dated(st, e.event_id, "award", e.effective_date.isoformat())

    @handles(Employee.AwardRevoked)
    def _award_revoked(self, row: dict[str, Any], st: dict[str, Any], e: Employee.AwardRevoked) -> None:
        st["awards"][e.award_id] = True

    @handles(Employee.SanctionImposed)
    def _sanctioned(self, row: dict[str, Any], st: dict[str, Any], e: Employee.SanctionImposed) -> None:
        st["sanctions"][e.event_id] = {
            "penalty": e.penalty,
            "status": SanctionStatus.IMPOSED.value,
            "effective_date": e.effective_date.isoformat(),
        }

    @handles(Employee.SanctionAppealDecided)
    def _appeal_decided(
        self, row: dict[str, Any], st: dict[str, Any], e: Employee.SanctionAppealDecided
    ) -> None:
        s = st["sanctions"][e.sanction_id]
        s["status"] = after_appeal(s["status"], e.outcome).value
        if e.outcome == AppealOutcome.MODIFIED:
            s["penalty"] = e.new_penalty

    @handles(Employee.SanctionRevoked)
    def _sanction_revoked(self, row: dict[str, Any], st: dict[str, Any], e: Employee.SanctionRevoked) -> None:
        s = st["sanctions"][e.sanction_id]
        s["status"] = after_revocation(s["status"]).value

    @handles(Employee.TrainingCompleted)
    def _trained(self, row: dict[str, Any], st: dict[str, Any], e: Employee.TrainingCompleted) -> None:
        year = str(e.effective_date.year)
        st["jp"][year] = plain_normal(Decimal(st["jp"].get(year, "0")) + Decimal(e.hours_jp))
        _dated(st, e.event_id, "training", e.effective_date.isoformat())

    @handles(Employee.LeaveStarted)
    def _leave(self, row: dict[str, Any], st: dict[str, Any], e: Employee.LeaveStarted) -> None:
        st.setdefault("periods", {})[e.event_id] = [e.leave_type, e.started_on.isoformat(), None]

    @handles(Employee.SuspensionStarted)
    def _suspended(self, row: dict[str, Any], st: dict[str, Any], e: Employee.SuspensionStarted) -> None:
        st.setdefault("periods", {})[e.event_id] = [SUSPENSION, e.started_on.isoformat(), None]

    @handles(Employee.LeaveEnded)
    def _leave_ended(self, row: dict[str, Any], st: dict[str, Any], e: Employee.LeaveEnded) -> None:
        st["periods"][e.leave_id][2] = e.ended_on.isoformat()

    @handles(Employee.SuspensionEnded)
    def _suspension_ended(self, row: dict[str, Any], st: dict[str, Any], e: Employee.SuspensionEnded) -> None:
        st["periods"][e.suspension_id][2] = e.ended_on.isoformat()

    @handles(Employee.ServiceEnded)
    def _service_ended(self, row: dict[str, Any], st: dict[str, Any], e: Employee.ServiceEnded) -> None:
        st["end"] = {"ended_on": e.ended_on.isoformat(), "reason": e.reason, "event_id": e.event_id}

    @handles(Employee.CollaborationJoined)
    def _joined(self, row: dict[str, Any], st: dict[str, Any], e: Employee.CollaborationJoined) -> None:
        st["programs"].append({"program": e.program, "role": e.role})

    def finish_batch(self, tx: Sql, tables: Tables) -> None:
        if not self._rows:
            return
        out = [_finish(row) for row in self._rows.values()]
        keys = [r["employee_id"] for r in out]
        for i in range(0, len(keys), 400):
            chunk = keys[i : i + 400]
            marks = ",".join("?" * len(chunk))
            tx.execute(f"DELETE FROM {tables['employees']} WHERE employee_id IN ({marks})", chunk)
            tx.execute(f"DELETE FROM {tables['periods']} WHERE employee_id IN ({marks})", chunk)
        insert_many(tx, tables["employees"], out)
        insert_many(
            tx,
            tables["periods"],
            [
                {
                    "period_id": period_id,
                    "nip": r["nip"],
                    "employee_id": r["employee_id"],
                    "kind": kind,
                    "started_on": started_on,
                    "ended_on": ended_on,
                }
                for r in self._rows.values()
                for period_id, (kind, started_on, ended_on) in r["state"].get("periods", {}).items()
            ],
        )


def _finish(row: Mapping[str, Any]) -> dict[str, Any]:
    st = row["state"]
    appraisals = list(st["appraisals"].values())
    latest = max(appraisals, key=lambda a: _period_key(a["period"]), default=None)
    standing = [s for s in st["sanctions"].values() if stands(s["status"])]
    dismissals = sorted(s["effective_date"] for s in standing if s["penalty"] in DISMISSALS)
    out = {k: v for k, v in row.items() if not k.startswith("_")}
    end = st.get("end")
    ended_on = end["ended_on"] if end else None
    flags = [
        {
            "flag": "AFTER_SERVICE_END",
            "event_id": event_id,
            "reason": f"{kind} on or after the end of service on {ended_on}",
        }
        for event_id, (kind, day) in st.get("dated", {}).items()
        if ended_on is not None and day >= ended_on
    ]
    # The BUP of the current position, by the rule of the day it is reached (else the first).
    rule = RETIREMENT_RULES.versions[-1]
    retirement = rule.of(parse_nip(row["nip"]).birth_date, row["position"])
    rule = RETIREMENT_RULES.find(retirement.reached_on) or RETIREMENT_RULES.versions[0]
    retirement = rule.of(parse_nip(row["nip"]).birth_date, row["position"])
    out.update(
        service_ended_on=ended_on,
        service_end_reason=end["reason"] if end else None,
        retirement_age=retirement.age,
        pension_from=retirement.pension_from.isoformat(),
        flags=dumps(flags),
        name_key=search_key(row["name"]),
        status="DISMISSED" if dismissals else "ACTIVE",
        dismissed_on=dismissals[0] if dismissals else None,
        appraisals=len(appraisals),
        latest_period=latest["period"] if latest else None,
        latest_predikat=latest["predikat"] if latest else None,
        awards_active=sum(1 for revoked in st["awards"].values() if not revoked),
        awards_revoked=sum(1 for revoked in st["awards"].values() if revoked),
        sanctions_total=len(st["sanctions"]),
        sanctions_standing=len(standing),
        training_jp=dumps(st["jp"]),
        programs=dumps(st["programs"]),
        feedback=dumps(st["feedback"]),
        state=dumps(st),
    )
    return out


def search_key(text: str) -> str:
    """What a name search compares: case-folded, one space between words (same in both stores,
    unlike SQL LOWER, which SQLite applies to ASCII only)."""
    return " ".join(text.casefold().split())


def _dated(st: dict[str, Any], event_id: str, kind: str, day: str) -> None:
    """Remember the date of an appraisal (its period's start), award or training."""
    st.setdefault("dated", {})[event_id] = [kind, day]


def _period_key(text: str) -> tuple[int, int, bool]:
    """Latest period first: by year, then end month, an annual one after a periodic one."""
    p = parse_period(text)
    return (p.year, p.end_month, p.annual)

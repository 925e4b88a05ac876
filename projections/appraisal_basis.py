"""Read model ``appraisal_verification``: every annual appraisal with the inspectorate's `basis`
check (docs/INSPECTORATE.md).

PermenPANRB 6/2022 makes the annual appraisal the end of a cycle: a plan (SKP) approved at the
start of the year, realisation monitored through it. An annual appraisal is recorded whatever
its basis (it is a fact that it was issued) and flagged when, among the events recorded before
it (log order, as for sanction decisions), there is no SKP plan covering its year, or none of
those plans has a realisation reported for a period within it. Later plans or reports never
change the verdict.

Self-contained like every projection: its tables hold the plans and realisations as recorded so
far, so when an appraisal is processed they contain exactly what was recorded before it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import Notification

from ledger.application import KinerjaLedger
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.errors import NotFound, ValidationFailed
from ledger.period import parse_period
from ledger.sqlstore import Sql
from ledger.values import CODE, ReportPeriod
from projections.base import Projection, Tables, view_name
from projections.dispatch import Handlers, handles
from projections.facts import dumps, insert

NAME = "appraisal_verification"
VERDICTS = ("CONSISTENT", "INCONSISTENT")
BASIS = "basis"


class AppraisalVerification(Handlers, Projection):
    name: ClassVar[str] = NAME
    version: ClassVar[int] = 1
    tables: ClassVar[Mapping[str, str]] = {
        "employees": "employee_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, agency TEXT NOT NULL",
        "plans": (
            "skp_id TEXT NOT NULL PRIMARY KEY, employee_id TEXT NOT NULL, year INTEGER NOT NULL, "
            "period TEXT NOT NULL"
        ),
        "realisations": (
            "realisation_id TEXT NOT NULL PRIMARY KEY, skp_id TEXT NOT NULL, period_start TEXT NOT NULL"
        ),
        "appraisals": (
            "appraisal_id TEXT NOT NULL PRIMARY KEY, employee_id TEXT NOT NULL, nip TEXT NOT NULL, "
            "agency TEXT NOT NULL, year INTEGER NOT NULL, verdict TEXT NOT NULL, document TEXT NOT NULL"
        ),
    }
    indexes: ClassVar[Mapping[str, Sequence[str]]] = {
        "plans": ["employee_id, year"],
        "realisations": ["skp_id"],
        "appraisals": ["year, verdict", "agency"],
    }

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        handler = self.handler(event)
        if handler is not None:
            handler(tx, tables, event)

    @handles(Employee.EmployeeRegistered)
    def _registered(self, tx: Sql, t: Tables, e: Employee.EmployeeRegistered) -> None:
        insert(tx, t["employees"], {"employee_id": str(e.originator_id), "nip": e.nip, "agency": e.agency})

    @handles(Employee.EmployeeTransferred)
    def _transferred(self, tx: Sql, t: Tables, e: Employee.EmployeeTransferred) -> None:
        tx.execute(
            f"UPDATE {t['employees']} SET agency=? WHERE employee_id=?", (e.agency, str(e.originator_id))
        )

    @handles(Employee.SkpPlanned)
    def _planned(self, tx: Sql, t: Tables, e: Employee.SkpPlanned) -> None:
        insert(
            tx,
            t["plans"],
            {"skp_id": e.event_id, "employee_id": str(e.originator_id), "year": e.year, "period": e.period},
        )

    @handles(Employee.RealisationReported)
    def _reported(self, tx: Sql, t: Tables, e: Employee.RealisationReported) -> None:
        start = ReportPeriod(e.period).start.isoformat()
        insert(
            tx, t["realisations"], {"realisation_id": e.event_id, "skp_id": e.skp_id, "period_start": start}
        )

    @handles(Employee.AppraisalRecorded)
    def _appraised(self, tx: Sql, t: Tables, e: Employee.AppraisalRecorded) -> None:
        period = parse_period(e.period)
        if not period.annual:
            return  # the basis check is of the annual appraisal
        key = str(e.originator_id)
        who = tx.one(f"SELECT nip, agency FROM {t['employees']} WHERE employee_id=?", (key,))
        if who is None:
            raise LookupError(f"appraisal {e.event_id} of unregistered employee stream {key}")
        plans = [
            r["skp_id"]
            for r in tx.query(
                f"SELECT skp_id FROM {t['plans']} WHERE employee_id=? AND year=? ORDER BY skp_id",
                (key, period.year),
            )
        ]
        reported: list[str] = []
        if plans:
            marks = ",".join("?" * len(plans))
            reported = [
                r["realisation_id"]
                for r in tx.query(
                    f"SELECT realisation_id FROM {t['realisations']} WHERE skp_id IN ({marks}) "
                    "AND period_start >= ? AND period_start <= ? ORDER BY realisation_id",
                    (*plans, period.start.isoformat(), period.end.isoformat()),
                )
            ]
        check = basis_check(period.text, plans, reported)
        verdict = VERDICTS[0] if check["passed"] else VERDICTS[1]
        document = {
            "appraisal_id": e.event_id,
            "nip": who["nip"],
            "agency": who["agency"],
            "period": e.period,
            "predikat": e.predikat,
            "appraiser_nip": e.appraiser_nip,
            "verdict": verdict,
            "failed_checks": [] if check["passed"] else [BASIS],
            "checks": [check],
        }
        insert(
            tx,
            t["appraisals"],
            {
                "appraisal_id": e.event_id,
                "employee_id": key,
                "nip": who["nip"],
                "agency": who["agency"],
                "year": period.year,
                "verdict": verdict,
                "document": dumps(document),
            },
        )


def basis_check(period: str, plans: Sequence[str], reported: Sequence[str]) -> dict[str, Any]:
    """The `basis` check: a plan covering the year, and a realisation within it, recorded first."""
    if not plans:
        return {
            "check": BASIS,
            "passed": False,
            "reason": f"no SKP plan for {period} was recorded before the appraisal",
            "event_ids": [],
        }
    if not reported:
        return {
            "check": BASIS,
            "passed": False,
            "reason": f"no realisation within {period} was reported on the plan before the appraisal",
            "event_ids": list(plans),
        }
    return {
        "check": BASIS,
        "passed": True,
        "reason": f"an approved SKP plan with {len(reported)} realisation(s) within {period}",
        "event_ids": [*plans, *reported],
    }


# ------------------------------------------------------------------------------- queries


def appraisal_register(
    app: KinerjaLedger, *, year: int, verdict: str | None = None, agency: str | None = None
) -> list[dict[str, Any]]:
    """The annual appraisals of `year` with their basis verdict, optionally filtered by verdict
    and by the employee's agency when appraised."""
    if verdict is not None and verdict not in VERDICTS:
        raise ValidationFailed.on("verdict", f"must be one of {', '.join(VERDICTS)}")
    if agency is not None and not CODE.fullmatch(agency):
        raise ValidationFailed.on("agency", "must be an agency code")
    clauses, params = ["year = ?"], [year]
    if verdict is not None:
        clauses.append("verdict = ?")
        params.append(verdict)  # type: ignore[arg-type]
    if agency is not None:
        clauses.append("agency = ?")
        params.append(agency)  # type: ignore[arg-type]
    view = view_name(NAME, "appraisals")
    with app.sql.transaction(write=False) as tx:
        rows = tx.query(
            f"SELECT document FROM {view} WHERE {' AND '.join(clauses)} ORDER BY nip, appraisal_id", params
        )
    return [json.loads(r["document"]) for r in rows]


def appraisal_verification(app: KinerjaLedger, appraisal_id: str) -> dict[str, Any]:
    view = view_name(NAME, "appraisals")
    with app.sql.transaction(write=False) as tx:
        row = tx.one(f"SELECT document FROM {view} WHERE appraisal_id=?", (appraisal_id,))
    if row is None:
        raise NotFound(f"no annual appraisal {appraisal_id} has been verified")
    document: dict[str, Any] = json.loads(row["document"])
    return document

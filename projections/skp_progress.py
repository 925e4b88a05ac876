"""Read model ``skp``: SKP progress per employee and year, and what the agency figures count.

Each employee's cycle state is kept as the Employee aggregate keeps it (the events' own `apply`
methods fill it, so the two cannot drift apart); at the end of a batch the progress document of
every (employee, year) the batch touched is recomputed from it (docs/SKP.md):

- per plan of the year, per indicator: the target, the realisation so far and the share achieved
  under the progress rule of the plan's year (ledger.rules.skp), with the reports it rests on;
  the plan's share achieved; reports whose indicator the plan (as revised) no longer has;
- the year's dialogues and the last one; BerAKHLAK feedback of the year counted by value, source
  and rating.

The agency figures depend on the day asked about (this quarter, the last 90 days, who is in
service), so ``realisations`` and ``dialogues`` keep their dates and the query counts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, ClassVar

from eventsourcing.persistence import Notification

from ledger.application import KinerjaLedger
from ledger.decimals import plain_normal
from ledger.discipline.lifecycle import stands
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.period import parse_period
from ledger.rules.skp import SKP_PROGRESS_RULES, Report
from ledger.sqlstore import Sql, SqlStore
from ledger.values import ReportPeriod
from ledger.vocabulary import DISMISSALS, SkpAspect
from projections.base import Projection, Tables, employee_row, view_name
from projections.dispatch import Handlers, handles
from projections.facts import dumps, insert
from projections.facts.cycle import CycleState

NAME = "skp"

SKP_EVENTS = (
    Employee.SkpPlanned,
    Employee.SkpRevised,
    Employee.RealisationReported,
    Employee.PerformanceDialogueHeld,
    Employee.BehaviourFeedbackGiven,
)


class SkpProgressProjection(Handlers, Projection):
    name: ClassVar[str] = NAME
    version: ClassVar[int] = 1
    tables: ClassVar[Mapping[str, str]] = {
        "employees": (
            "employee_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL UNIQUE, agency TEXT NOT NULL, "
            "service_start_date TEXT NOT NULL, service_ended_on TEXT, state TEXT NOT NULL"
        ),
        "progress": (
            "employee_id TEXT NOT NULL, year INTEGER NOT NULL, nip TEXT NOT NULL, "
            "plans INTEGER NOT NULL, document TEXT NOT NULL, PRIMARY KEY (employee_id, year)"
        ),
        "realisations": (
            "realisation_id TEXT NOT NULL PRIMARY KEY, employee_id TEXT NOT NULL, "
            "period_start TEXT NOT NULL, period_end TEXT NOT NULL"
        ),
        "dialogues": (
            "dialogue_id TEXT NOT NULL PRIMARY KEY, employee_id TEXT NOT NULL, held_on TEXT NOT NULL"
        ),
    }
    indexes: ClassVar[Mapping[str, Sequence[str]]] = {
        "employees": ["agency"],
        "progress": ["nip, year", "year"],
        "realisations": ["employee_id, period_start"],
        "dialogues": ["employee_id, held_on"],
    }

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, Any]] = {}
        self._dirty: set[tuple[str, int]] = set()

    def start_batch(self, tx: Sql, tables: Tables) -> None:
        self._rows = {}
        self._dirty = set()

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        handler = self.handler(event)
        if handler is not None:
            handler(tx, tables, event)

    def _row(self, tx: Sql, t: Tables, employee_id: str) -> dict[str, Any]:
        return employee_row(self._rows, tx, t["employees"], employee_id)

    @handles(Employee.EmployeeRegistered)
    def _registered(self, tx: Sql, t: Tables, e: Employee.EmployeeRegistered) -> None:
        key = str(e.originator_id)
        insert(
            tx,
            t["employees"],
            {
                "employee_id": key,
                "nip": e.nip,
                "agency": e.agency,
                "service_start_date": e.service_start_date.isoformat(),
                "service_ended_on": None,
                "state": "{}",
            },
        )
        self._rows.pop(key, None)  # read back with the rest of the batch's rows

    @handles(Employee.EmployeeTransferred)
    def _transferred(self, tx: Sql, t: Tables, e: Employee.EmployeeTransferred) -> None:
        self._row(tx, t, str(e.originator_id))["agency"] = e.agency

    @handles(Employee.ServiceEnded)
    def _ended(self, tx: Sql, t: Tables, e: Employee.ServiceEnded) -> None:
        self._row(tx, t, str(e.originator_id))["service_ended_on"] = e.ended_on.isoformat()

    @handles(
        Employee.SanctionImposed,
        Employee.SanctionAppealFiled,
        Employee.SanctionAppealDecided,
        Employee.SanctionRevoked,
    )
    def _sanction(self, tx: Sql, t: Tables, e: LedgerEvent) -> None:
        # Kept as the aggregate keeps them: a standing dismissal takes the employee out of service.
        e.apply(CycleState(self._row(tx, t, str(e.originator_id))["state"]))

    @handles(*SKP_EVENTS)
    def _cycle(self, tx: Sql, t: Tables, e: LedgerEvent) -> None:
        key = str(e.originator_id)
        row = self._row(tx, t, key)
        holder = CycleState(row["state"])
        e.apply(holder)
        plans = holder.skp_state()["plans"]
        if isinstance(e, Employee.SkpPlanned | Employee.SkpRevised | Employee.RealisationReported):
            skp_id = e.event_id if isinstance(e, Employee.SkpPlanned) else e.skp_id
            self._dirty.add((key, int(plans[skp_id]["year"])))
        if isinstance(e, Employee.RealisationReported):
            period = ReportPeriod(e.period)
            insert(
                tx,
                t["realisations"],
                {
                    "realisation_id": e.event_id,
                    "employee_id": key,
                    "period_start": period.start.isoformat(),
                    "period_end": period.end.isoformat(),
                },
            )
        if isinstance(e, Employee.PerformanceDialogueHeld):
            insert(
                tx,
                t["dialogues"],
                {"dialogue_id": e.event_id, "employee_id": key, "held_on": e.held_on.isoformat()},
            )
            self._dirty.add((key, e.held_on.year))
        if isinstance(e, Employee.BehaviourFeedbackGiven):
            self._dirty.add((key, e.effective_date.year))

    def finish_batch(self, tx: Sql, tables: Tables) -> None:
        for key, row in self._rows.items():
            tx.execute(
                f"UPDATE {tables['employees']} SET agency=?, service_ended_on=?, state=? WHERE employee_id=?",
                (row["agency"], row["service_ended_on"], dumps(row["state"]), key),
            )
        for key, year in sorted(self._dirty):
            row = self._rows[key]
            document = progress_document(row["nip"], year, CycleState(row["state"]).skp_state())
            tx.execute(f"DELETE FROM {tables['progress']} WHERE employee_id=? AND year=?", (key, year))
            insert(
                tx,
                tables["progress"],
                {
                    "employee_id": key,
                    "year": year,
                    "nip": row["nip"],
                    "plans": len(document["plans"]),
                    "document": dumps(document),
                },
            )


# ------------------------------------------------------------------------------ computation


def progress_document(nip: str, year: int, skp: Mapping[str, Any]) -> dict[str, Any]:
    """The SKP progress of one employee and year from the cycle state as the aggregate keeps it."""
    plans = [plan_progress(p) for p in skp["plans"].values() if int(p["year"]) == year]
    plans.sort(key=lambda p: (parse_period(p["period"]).start, p["skp_id"]))
    dialogues = sorted(
        (
            {"dialogue_id": d["dialogue_id"], "held_on": d["held_on"], "skp_id": d["skp_id"]}
            for d in skp["dialogues"].values()
            if d["held_on"][:4] == str(year)
        ),
        key=lambda d: (d["held_on"], d["dialogue_id"]),
    )
    feedback: dict[str, dict[str, dict[str, int]]] = {}
    for _, f in sorted(skp["feedback"].items()):
        if f["given_on"][:4] != str(year):
            continue
        by_source = feedback.setdefault(f["value"], {}).setdefault(f["source"], {})
        by_source[f["rating"]] = by_source.get(f["rating"], 0) + 1
    return {
        "nip": nip,
        "year": year,
        "plans": plans,
        "dialogues": dialogues,
        "last_dialogue": dialogues[-1] if dialogues else None,
        "behaviour_feedback": feedback,
    }


def plan_progress(plan: Mapping[str, Any]) -> dict[str, Any]:
    """Realisation against target per indicator of the plan as last revised (ledger.rules.skp)."""
    rule = SKP_PROGRESS_RULES.in_force(parse_period(plan["period"]).start)
    live = [r for r in plan["realisations"].values() if r["superseded_by"] is None]
    used: set[str] = set()
    items, achieved = [], []
    for i, item in enumerate(plan["items"], start=1):
        indicators = []
        for j, indicator in enumerate(item["indicators"], start=1):
            aspect = SkpAspect(indicator["aspect"])
            reports = sorted(
                (
                    r
                    for r in live
                    if (r["item"], r["indicator"]) == (i, j)
                    and (r["aspect"], r["indicator_name"]) == (indicator["aspect"], indicator["name"])
                ),
                key=lambda r: (ReportPeriod(r["period"]).start, r["realisation_id"]),
            )
            used.update(r["realisation_id"] for r in reports)
            target = Decimal(indicator["target"])
            realised = rule.realised(
                aspect, [Report(ReportPeriod(r["period"]).start, Decimal(r["value"])) for r in reports]
            )
            share = rule.achieved(aspect, target, realised)
            achieved.append(share)
            indicators.append(
                {
                    "indicator": j,
                    **indicator,
                    "realised": plain_normal(realised) if realised is not None else None,
                    "achieved": plain_normal(share),
                    "reports": [
                        {
                            "realisation_id": r["realisation_id"],
                            "period": r["period"],
                            "value": r["value"],
                            "evidence_ref": r["evidence_ref"],
                        }
                        for r in reports
                    ],
                }
            )
        items.append({"item": i, "rhk": item["rhk"], "supports": item["supports"], "indicators": indicators})
    return {
        "skp_id": plan["skp_id"],
        "year": int(plan["year"]),
        "period": plan["period"],
        "appraiser_nip": plan["appraiser_nip"],
        "approved_on": plan["approved_on"],
        "revisions": list(plan["revisions"]),
        "rule_version": rule.version,
        "behaviour_expectations": plan["behaviour_expectations"],
        "items": items,
        "share_achieved": plain_normal(rule.plan_share(achieved)),
        "set_aside": sorted(r["realisation_id"] for r in live if r["realisation_id"] not in used),
    }


def load_document(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return json.loads(row["document"]) if row else None


def in_service_on(row: Mapping[str, Any], day: date) -> bool:
    """Service started, not ended (ServiceEnded) and not ended by a standing dismissal by `day`."""
    if row["service_start_date"] > day.isoformat():
        return False
    if row["service_ended_on"] is not None and row["service_ended_on"] <= day.isoformat():
        return False
    sanctions = json.loads(row["state"]).get("sanctions", {})
    return not any(
        s["penalty"] in DISMISSALS and stands(s["status"]) and s["effective_date"] <= day.isoformat()
        for s in sanctions.values()
    )


# ------------------------------------------------------------------------------- queries


def employee_progress(source: KinerjaLedger | SqlStore, nip: str, year: int) -> dict[str, Any]:
    """The SKP progress of an employee in `year` (empty lists when nothing was recorded)."""
    store = source.sql if isinstance(source, KinerjaLedger) else source
    with store.transaction(write=False) as tx:
        row = tx.one(
            f"SELECT document FROM {view_name(NAME, 'progress')} WHERE nip=? AND year=?", (nip, year)
        )
    document = load_document(row)
    if document is None:
        return {
            "nip": nip,
            "year": year,
            "plans": [],
            "dialogues": [],
            "last_dialogue": None,
            "behaviour_feedback": {},
        }
    return document


def agency_progress(source: KinerjaLedger | SqlStore, code: str, year: int, today: date) -> dict[str, Any]:
    """Of the agency's staff in service on the reference day (today in the current year, else
    31 December of `year`; today for a later year): how many have an SKP plan for `year`, a
    realisation for a period within the reference day's quarter, and a dialogue in the 90 days
    up to it (docs/SKP.md)."""
    day = date(year, 12, 31) if year < today.year else today
    quarter_start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    quarter_end = (
        date(day.year + 1, 1, 1) if quarter_start.month == 10 else date(day.year, quarter_start.month + 3, 1)
    )
    window_start = day - timedelta(days=DIALOGUE_WINDOW_DAYS - 1)
    store = source.sql if isinstance(source, KinerjaLedger) else source

    def v(logical: str) -> str:
        return view_name(NAME, logical)

    with store.transaction(write=False) as tx:
        staff = [
            r
            for r in tx.query(f"SELECT * FROM {v('employees')} WHERE agency=?", (code,))
            if in_service_on(r, day)
        ]
        ids = [r["employee_id"] for r in staff]
        planned = realised = talked = 0
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            planned += int(
                tx.scalar(
                    f"SELECT COUNT(*) FROM {v('progress')} WHERE year=? AND plans > 0 "
                    f"AND employee_id IN ({marks})",
                    (year, *chunk),
                )
            )
            realised += int(
                tx.scalar(
                    f"SELECT COUNT(DISTINCT employee_id) FROM {v('realisations')} "
                    f"WHERE employee_id IN ({marks}) "
                    "AND period_start < ? AND period_end > ?",
                    (*chunk, quarter_end.isoformat(), quarter_start.isoformat()),
                )
            )
            talked += int(
                tx.scalar(
                    f"SELECT COUNT(DISTINCT employee_id) FROM {v('dialogues')} "
                    f"WHERE employee_id IN ({marks}) "
                    "AND held_on >= ? AND held_on <= ?",
                    (*chunk, window_start.isoformat(), day.isoformat()),
                )
            )
    quarter = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return {
        "code": code,
        "year": year,
        "on": day.isoformat(),
        "quarter": quarter,
        "dialogue_window": {"from": window_start.isoformat(), "to": day.isoformat()},
        "staff_in_service": len(staff),
        "with_plan": planned,
        "with_realisation_this_quarter": realised,
        "with_dialogue_90_days": talked,
        "share_with_plan": _share(planned, len(staff)),
        "share_with_realisation_this_quarter": _share(realised, len(staff)),
        "share_with_dialogue_90_days": _share(talked, len(staff)),
    }


DIALOGUE_WINDOW_DAYS = 90


def _share(part: int, whole: int) -> str | None:
    if whole == 0:
        return None
    return plain_normal(
        (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
    )


def _chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]

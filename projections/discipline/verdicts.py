"""Read model ``sanctions_verification``: every sanction decision with the inspectorate's verdict
(the checks are explained in docs/INSPECTORATE.md).

Self-contained, like every projection: it reads no store and no other projection. Its own tables
hold what the checks need, filled in log order, so when a `SanctionImposed` is processed they
contain exactly what was recorded before it:

- ``log``: every event's id, stream and effective date (evidence lookups, check 3);
- ``employees``: NIP, current agency and service start (checks 8 and the register's agency);
- ``sanctions``: one row per decision: the decision itself, the findings of checks 1-6 and 8
  (fixed when it is processed), its appeal steps, its state as the Employee aggregate keeps it
  (the aggregate's own `apply` methods update it), and the rendered verification.

An appeal, appeal decision or revocation of a sanction re-renders its row (check 7 follows the
appeals; the lifecycle follows both). The status on a given day (IN_FORCE, ENDED, ...) depends on
that day, so queries compute it. `ledger.discipline.inspection` computes the same verdicts from the event
store directly; the tests hold the two to each other.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any, ClassVar

from eventsourcing.persistence import Notification

from ledger.application import KinerjaLedger
from ledger.config import Settings
from ledger.discipline.authority import authority_tables, rules_on
from ledger.discipline.checks import combine, judge_appeals, judge_decision
from ledger.discipline.inspection import inspect_sanction
from ledger.discipline.lifecycle import sanction_lifecycle, status_on
from ledger.discipline.model import (
    VERDICTS,
    AppealDecided,
    AppealFiled,
    AppealStep,
    Check,
    CitedEvent,
    Decision,
    DecisionFindings,
    PriorRecord,
    PriorSanction,
    appeal_step_as_dict,
    appeal_step_from_dict,
)
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.errors import ValidationFailed
from ledger.rules import DISCIPLINE_RULES, AuthorityTable, RuleHistory
from ledger.sqlstore import Sql
from ledger.values import CODE
from projections.base import Projection, Tables, view_name
from projections.dispatch import Handlers, handles

NAME = "sanctions_verification"


class SanctionsVerification(Handlers, Projection):
    name: ClassVar[str] = NAME
    # 2: current_level of the penalty; REVOKED shown from its date; 3: a complaint naming the
    # officer is evidence about them (log.about_id)
    version: ClassVar[int] = 3
    tables: ClassVar[Mapping[str, str]] = {
        "log": (
            "event_id TEXT NOT NULL PRIMARY KEY, originator_id TEXT NOT NULL, effective_date TEXT, "
            "about_id TEXT"
        ),
        "employees": (
            "employee_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, agency TEXT NOT NULL, "
            "service_start_date TEXT NOT NULL"
        ),
        "sanctions": (
            "sanction_id TEXT NOT NULL PRIMARY KEY, employee_id TEXT NOT NULL, "
            "stream_version INTEGER NOT NULL, nip TEXT NOT NULL, "
            "agency TEXT NOT NULL, penalty TEXT NOT NULL, level TEXT NOT NULL, decided_on TEXT NOT NULL, "
            "verdict TEXT NOT NULL, failed_checks TEXT NOT NULL, checks TEXT NOT NULL, "
            "status TEXT NOT NULL, current_penalty TEXT NOT NULL, in_force_from TEXT NOT NULL, "
            "in_force_until TEXT, decision TEXT NOT NULL, findings TEXT NOT NULL, "
            "appeal_steps TEXT NOT NULL, state TEXT NOT NULL, document TEXT NOT NULL"
        ),
    }
    indexes: ClassVar[Mapping[str, Sequence[str]]] = {
        "sanctions": ["verdict, agency", "agency", "employee_id"],
    }

    def __init__(self, authority: RuleHistory[AuthorityTable] | None = None) -> None:
        # The authority table is configuration of the deployment (LEDGER_DATA_DIR).
        self.authority = (
            authority if authority is not None else authority_tables(Settings.from_env().data_dir)
        )

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        handler = self.handler(event)
        if handler is not None:
            handler(tx, tables, event)
        # Indexed last: a decision cannot cite itself.
        tx.execute(
            f"INSERT INTO {tables['log']} VALUES (?,?,?,?)",
            (
                event.event_id,
                str(event.originator_id),
                event.effective_date.isoformat(),
                CitedEvent.about(event),
            ),
        )

    @handles(Employee.EmployeeRegistered)
    def _registered(self, tx: Sql, tables: Tables, event: Employee.EmployeeRegistered) -> None:
        tx.execute(
            f"INSERT INTO {tables['employees']} VALUES (?,?,?,?)",
            (str(event.originator_id), event.nip, event.agency, event.service_start_date.isoformat()),
        )

    @handles(Employee.EmployeeTransferred)
    def _transferred(self, tx: Sql, tables: Tables, event: Employee.EmployeeTransferred) -> None:
        tx.execute(
            f"UPDATE {tables['employees']} SET agency=? WHERE employee_id=?",
            (event.agency, str(event.originator_id)),
        )

    @handles(Employee.SanctionAppealFiled)
    def _appeal_filed(self, tx: Sql, tables: Tables, event: Employee.SanctionAppealFiled) -> None:
        self._followed_up(tx, tables, event, AppealFiled.of(event))

    @handles(Employee.SanctionAppealDecided)
    def _appeal_decided(self, tx: Sql, tables: Tables, event: Employee.SanctionAppealDecided) -> None:
        self._followed_up(tx, tables, event, AppealDecided.of(event))

    @handles(Employee.SanctionRevoked)
    def _revoked(self, tx: Sql, tables: Tables, event: Employee.SanctionRevoked) -> None:
        self._followed_up(tx, tables, event, None)

    @handles(Employee.SanctionImposed)
    def _decided(self, tx: Sql, tables: Tables, event: Employee.SanctionImposed) -> None:
        decision = Decision.of(event)
        employee = tx.one(
            f"SELECT nip, agency, service_start_date FROM {tables['employees']} WHERE employee_id=?",
            (decision.employee_id,),
        )
        prior = None
        if employee is not None:
            earlier = tx.query(
                f"SELECT state FROM {tables['sanctions']} WHERE employee_id=? ORDER BY stream_version",
                (decision.employee_id,),
            )
            prior = PriorRecord(
                nip=employee["nip"],
                agency=employee["agency"],
                service_start_date=date.fromisoformat(employee["service_start_date"]),
                sanctions=tuple(_prior_sanction(json.loads(r["state"])) for r in earlier),
            )
        cited: dict[str, CitedEvent] = {}
        if decision.evidence:
            marks = ",".join("?" * len(decision.evidence))
            for r in tx.query(
                f"SELECT event_id, originator_id, effective_date, about_id FROM {tables['log']} "
                f"WHERE event_id IN ({marks})",
                decision.evidence,
            ):
                cited[r["event_id"]] = CitedEvent(
                    r["event_id"],
                    r["originator_id"],
                    date.fromisoformat(r["effective_date"]),
                    r["about_id"],
                )
        discipline, authority = rules_on(decision.decided_on, self.authority)
        findings = judge_decision(decision, prior, cited, discipline, authority)
        holder = SimpleNamespace(sanctions={})
        event.apply(holder)
        self._write(tx, tables, decision, findings, [], holder.sanctions[decision.sanction_id])

    def _followed_up(
        self,
        tx: Sql,
        tables: Tables,
        event: Employee.SanctionAppealFiled | Employee.SanctionAppealDecided | Employee.SanctionRevoked,
        step: AppealFiled | AppealDecided | None,
    ) -> None:
        sanction_id = event.sanction_id
        row = tx.one(
            f"SELECT decision, findings, appeal_steps, state FROM {tables['sanctions']} WHERE sanction_id=?",
            (sanction_id,),
        )
        if row is None:
            raise LookupError(f"{type(event).__name__} {event.event_id} of unknown sanction {sanction_id}")
        steps = [appeal_step_from_dict(s) for s in json.loads(row["appeal_steps"])]
        if step is not None:
            steps.append(step)
        holder = SimpleNamespace(sanctions={sanction_id: json.loads(row["state"])})
        event.apply(holder)
        self._write(
            tx,
            tables,
            Decision.from_dict(json.loads(row["decision"])),
            _findings_from_dict(json.loads(row["findings"])),
            steps,
            holder.sanctions[sanction_id],
        )

    def _write(
        self,
        tx: Sql,
        tables: Tables,
        decision: Decision,
        findings: DecisionFindings,
        steps: Sequence[AppealStep],
        state: dict[str, Any],
    ) -> None:
        verdict = combine(
            decision, findings, judge_appeals(decision, steps, DISCIPLINE_RULES.find(decision.decided_on))
        )
        # The day only decides `status`, which is computed when the register is read.
        lifecycle = sanction_lifecycle(state, date.min)
        lifecycle.pop("status")
        document = {**verdict.as_dict(), **lifecycle}
        table = tables["sanctions"]
        tx.execute(f"DELETE FROM {table} WHERE sanction_id=?", (decision.sanction_id,))
        tx.execute(
            f"INSERT INTO {table} (sanction_id, employee_id, stream_version, nip, agency, penalty, level, "
            "decided_on, verdict, failed_checks, checks, status, current_penalty, in_force_from, "
            "in_force_until, decision, findings, appeal_steps, state, document) "
            f"VALUES ({','.join('?' * 20)})",
            (
                decision.sanction_id,
                decision.employee_id,
                int(decision.sanction_id.rsplit(":", 1)[1]),
                verdict.nip,
                verdict.agency,
                decision.penalty,
                decision.stated_level.value,
                decision.decided_on.isoformat(),
                verdict.verdict,
                _dumps(verdict.failed),
                _dumps(document["checks"]),
                lifecycle["lifecycle"],
                lifecycle["current_penalty"],
                lifecycle["in_force_from"],
                lifecycle["in_force_until"],
                _dumps(decision.as_dict()),
                _dumps(_findings_as_dict(findings)),
                _dumps([appeal_step_as_dict(s) for s in steps]),
                _dumps(state),
                _dumps(document),
            ),
        )


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _prior_sanction(state: Mapping[str, Any]) -> PriorSanction:
    return PriorSanction(
        sanction_id=state["sanction_id"],
        penalty=state["penalty"],
        lifecycle=state["status"],
        bap_number=state.get("bap_number"),
        decided_on=date.fromisoformat(state["decided_on"]),
        effective_date=date.fromisoformat(state["effective_date"]),
    )


def _findings_as_dict(findings: DecisionFindings) -> dict[str, Any]:
    return {
        "nip": findings.nip,
        "agency": findings.agency,
        "checks": [c.as_dict() for c in findings.checks],
        "rule_versions": dict(findings.rule_versions),
    }


def _findings_from_dict(data: Mapping[str, Any]) -> DecisionFindings:
    return DecisionFindings(
        nip=data["nip"],
        agency=data["agency"],
        checks=tuple(Check.from_dict(c) for c in data["checks"]),
        rule_versions=dict(data["rule_versions"]),
    )


# ------------------------------------------------------------------------------- queries


def _check_filters(verdict: str | None, agency: str | None) -> None:
    if verdict is not None and verdict not in VERDICTS:
        raise ValidationFailed.on("verdict", f"must be one of {', '.join(VERDICTS)}")
    if agency is not None and not CODE.match(agency):
        raise ValidationFailed.on("agency", "must be an agency code")


def verdict_register(
    app: KinerjaLedger,
    *,
    verdict: str | None = None,
    agency: str | None = None,
    on: date | None = None,
) -> list[dict[str, Any]]:
    """Every decision the read model has processed, by decision date, optionally filtered by verdict
    (CONSISTENT/INCONSISTENT; anything else is a 422) and by the employee's agency at the time of
    the decision. Each item is the full verification (all eight checks) plus the lifecycle and the
    status on `on` (default: today in WIB)."""
    _check_filters(verdict, agency)
    clauses, params = [], []
    if verdict is not None:
        clauses.append("verdict = ?")
        params.append(verdict)
    if agency is not None:
        clauses.append("agency = ?")
        params.append(agency)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    view = view_name(NAME, "sanctions")
    with app.sql.transaction(write=False) as tx:
        rows = tx.query(f"SELECT document FROM {view}{where} ORDER BY decided_on, sanction_id", params)
    day = on or app.today()
    out = []
    for r in rows:
        document = json.loads(r["document"])
        out.append({**document, "status": status_on(document, day)})
    return out


def sanction_verification(app: KinerjaLedger, sanction_id: str, *, on: date | None = None) -> dict[str, Any]:
    """One decision's verification (all eight checks), lifecycle and status on `on` (default today).

    Computed from the event store by the same functions the read model uses, so it is current even
    right after a command, before the projection has caught up. Raises NotFound (404) for an
    unknown or malformed sanction id."""
    return inspect_sanction(app, sanction_id, on=on)

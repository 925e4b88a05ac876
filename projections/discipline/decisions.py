"""Sanction register: projection ``sanctions``, each decision as issued and where it stands.

One row per SanctionImposed with its current penalty after appeals (MODIFIED replaces the
penalty, ANNULLED ends it) or revocation, and one row per appeal. The inspectorate's
verification verdicts are another projection; join on ``sanction_id``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import Notification

from ledger.discipline.lifecycle import SanctionStatus, after_appeal, penalty_level
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.sqlstore import Sql
from ledger.vocabulary import AppealOutcome
from projections.base import Projection, Tables
from projections.dispatch import Handlers, handles
from projections.facts import PEOPLE_TABLE, People, dumps, insert


class SanctionRegisterProjection(Handlers, Projection):
    name: ClassVar[str] = "sanctions"
    version: ClassVar[int] = 2  # 2: level = the level of the penalty imposed
    tables: ClassVar[Mapping[str, str]] = {
        "people": PEOPLE_TABLE,
        "sanctions": (
            "sanction_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, name TEXT NOT NULL, "
            "agency TEXT NOT NULL, year INTEGER NOT NULL, violations TEXT NOT NULL, "
            "level TEXT NOT NULL, penalty TEXT NOT NULL, original_level TEXT NOT NULL, "
            "original_penalty TEXT NOT NULL, status TEXT NOT NULL, decided_by_role TEXT NOT NULL, "
            "decided_by_nip TEXT, decided_by_name TEXT, decided_on TEXT NOT NULL, "
            "effective_date TEXT NOT NULL, in_force_until TEXT, decree_number TEXT, bap_number TEXT, "
            "summoned_on TEXT NOT NULL, examined_on TEXT, evidence TEXT NOT NULL, rule_version TEXT, "
            "recorded_at TEXT NOT NULL, revocation_id TEXT, revoked_on TEXT, revocation_reason TEXT, "
            "event_ids TEXT NOT NULL"
        ),
        "appeals": (
            "appeal_id TEXT NOT NULL PRIMARY KEY, sanction_id TEXT NOT NULL, nip TEXT NOT NULL, "
            "kind TEXT NOT NULL, filed_on TEXT NOT NULL, outcome TEXT, decided_on TEXT, "
            "decision_id TEXT, decree_number TEXT, new_penalty TEXT"
        ),
    }
    indexes: ClassVar[Mapping[str, Sequence[str]]] = {
        "sanctions": ["year, agency", "nip", "status"],
        "appeals": ["sanction_id"],
    }

    def __init__(self) -> None:
        self.people = People()

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        e = event
        self.people.process(tx, tables, e)
        t = tables
        handler = self.handler(e)
        if handler is not None:
            handler(tx, t, e)

    @handles(Employee.SanctionImposed)
    def _imposed(self, tx: Sql, t: Tables, e: Employee.SanctionImposed) -> None:
        who = self.people.who(tx, t, e.originator_id)
        level = penalty_level(e.penalty, e.rule_version, e.decided_on).value
        row: dict[str, Any] = {
            "sanction_id": e.event_id,
            "nip": who["nip"],
            "name": who["name"],
            "agency": who["agency"],
            "year": e.decided_on.year,
            "violations": dumps(e.violations),
            "level": level,
            "penalty": e.penalty,
            "original_level": level,
            "original_penalty": e.penalty,
            "status": SanctionStatus.IMPOSED.value,
            "decided_by_role": e.decided_by_role,
            "decided_by_nip": e.decided_by_nip,
            "decided_by_name": e.decided_by_name,
            "decided_on": e.decided_on.isoformat(),
            "effective_date": e.effective_date.isoformat(),
            "in_force_until": e.in_force_until.isoformat() if e.in_force_until else None,
            "decree_number": e.decree_number,
            "bap_number": e.bap_number,
            "summoned_on": dumps([d.isoformat() for d in e.summoned_on]),
            "examined_on": e.examined_on.isoformat() if e.examined_on else None,
            "evidence": dumps(list(e.evidence)),
            "rule_version": e.rule_version,
            "recorded_at": e.recorded_at.isoformat(),
            "revocation_id": None,
            "revoked_on": None,
            "revocation_reason": None,
            "event_ids": dumps([e.event_id]),
        }
        insert(tx, t["sanctions"], row)

    @handles(Employee.SanctionAppealFiled)
    def _appeal_filed(self, tx: Sql, t: Tables, e: Employee.SanctionAppealFiled) -> None:
        insert(
            tx,
            t["appeals"],
            {
                "appeal_id": e.event_id,
                "sanction_id": e.sanction_id,
                "nip": self.people.nip(tx, t, e.originator_id),
                "kind": e.kind,
                "filed_on": e.filed_on.isoformat(),
                "outcome": None,
                "decided_on": None,
                "decision_id": None,
                "decree_number": None,
                "new_penalty": None,
            },
        )
        self._cite(tx, t, e.sanction_id, e.event_id)

    @handles(Employee.SanctionAppealDecided)
    def _appeal_decided(self, tx: Sql, t: Tables, e: Employee.SanctionAppealDecided) -> None:
        tx.execute(
            f"UPDATE {t['appeals']} SET outcome=?, decided_on=?, decision_id=?, decree_number=?, "
            "new_penalty=? WHERE appeal_id=?",
            (
                e.outcome,
                e.decided_on.isoformat(),
                e.event_id,
                e.decree_number,
                e.new_penalty,
                e.appeal_id,
            ),
        )
        current = tx.scalar(f"SELECT status FROM {t['sanctions']} WHERE sanction_id=?", (e.sanction_id,))
        if current is not None:
            status = after_appeal(str(current), e.outcome).value
            if e.outcome == AppealOutcome.MODIFIED:
                assert e.new_penalty is not None
                tx.execute(
                    f"UPDATE {t['sanctions']} SET status=?, penalty=?, level=?, in_force_until=? "
                    "WHERE sanction_id=?",
                    (
                        status,
                        e.new_penalty,
                        penalty_level(e.new_penalty, e.rule_version, e.decided_on).value,
                        e.new_in_force_until.isoformat() if e.new_in_force_until else None,
                        e.sanction_id,
                    ),
                )
            else:
                tx.execute(
                    f"UPDATE {t['sanctions']} SET status=? WHERE sanction_id=?", (status, e.sanction_id)
                )
        self._cite(tx, t, e.sanction_id, e.event_id)

    @handles(Employee.SanctionRevoked)
    def _revoked(self, tx: Sql, t: Tables, e: Employee.SanctionRevoked) -> None:
        tx.execute(
            f"UPDATE {t['sanctions']} SET status=?, revocation_id=?, revoked_on=?, "
            "revocation_reason=? WHERE sanction_id=?",
            (
                SanctionStatus.REVOKED.value,  # after_revocation: whatever it was
                e.event_id,
                e.effective_date.isoformat(),
                e.reason,
                e.sanction_id,
            ),
        )
        self._cite(tx, t, e.sanction_id, e.event_id)

    def _cite(self, tx: Sql, t: Tables, sanction_id: str, event_id: str) -> None:
        current = tx.scalar(f"SELECT event_ids FROM {t['sanctions']} WHERE sanction_id=?", (sanction_id,))
        if current is None:
            raise LookupError(f"unknown sanction {sanction_id}")
        tx.execute(
            f"UPDATE {t['sanctions']} SET event_ids=? WHERE sanction_id=?",
            (dumps([*json.loads(current), event_id]), sanction_id),
        )

"""Award register: projection ``awards``, one row per award as issued, with its revocation.

An award flagged ineligible at grant time keeps its flag, reason and the event ids the flag
rests on (awards are recorded as issued, never refused).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import Notification

from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.sqlstore import Sql
from projections.base import Projection, Tables
from projections.dispatch import Handlers, handles
from projections.facts import PEOPLE_TABLE, People, dumps, insert


class AwardRegisterProjection(Handlers, Projection):
    name: ClassVar[str] = "awards"
    version: ClassVar[int] = 1
    tables: ClassVar[Mapping[str, str]] = {
        "people": PEOPLE_TABLE,
        "awards": (
            "award_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, name TEXT NOT NULL, "
            "agency TEXT NOT NULL, award_type TEXT NOT NULL, reason TEXT NOT NULL, "
            "decree_number TEXT, decree_date TEXT, year INTEGER NOT NULL, eligible INTEGER NOT NULL, "
            "ineligibility TEXT NOT NULL, rule_version TEXT, recorded_at TEXT NOT NULL, "
            "revoked INTEGER NOT NULL, revocation_id TEXT, revocation_decree TEXT, revoked_on TEXT, "
            "revocation_reason TEXT"
        ),
    }
    indexes: ClassVar[Mapping[str, Sequence[str]]] = {"awards": ["year, agency", "nip"]}

    def __init__(self) -> None:
        self.people = People()

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        e = event
        self.people.process(tx, tables, e)
        handler = self.handler(e)
        if handler is not None:
            handler(tx, tables, e)

    @handles(Employee.AwardGranted)
    def _granted(self, tx: Sql, tables: Tables, e: Employee.AwardGranted) -> None:
        who = self.people.who(tx, tables, e.originator_id)
        row: dict[str, Any] = {
            "award_id": e.event_id,
            "nip": who["nip"],
            "name": who["name"],
            "agency": who["agency"],
            "award_type": e.award_type,
            "reason": e.reason,
            "decree_number": e.decree_number,
            "decree_date": e.decree_date.isoformat() if e.decree_date else None,
            "year": e.effective_date.year,
            "eligible": int(e.eligible),
            "ineligibility": dumps(e.ineligibility),
            "rule_version": e.rule_version,
            "recorded_at": e.recorded_at.isoformat(),
            "revoked": 0,
            "revocation_id": None,
            "revocation_decree": None,
            "revoked_on": None,
            "revocation_reason": None,
        }
        insert(tx, tables["awards"], row)

    @handles(Employee.AwardRevoked)
    def _revoked(self, tx: Sql, tables: Tables, e: Employee.AwardRevoked) -> None:
        tx.execute(
            f"UPDATE {tables['awards']} SET revoked=1, revocation_id=?, revocation_decree=?, "
            "revoked_on=?, revocation_reason=? WHERE award_id=?",
            (e.event_id, e.decree_number, e.effective_date.isoformat(), e.reason, e.award_id),
        )

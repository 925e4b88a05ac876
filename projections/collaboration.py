"""Collaboration view: projection ``programs`` — inter-agency programmes, their agencies,
participating employees and recorded outcomes (indicator, target, achieved)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import ClassVar

from eventsourcing.persistence import Notification

from ledger.domain.envelope import LedgerEvent
from ledger.domain.program import Program
from ledger.sqlstore import Sql
from projections.base import Projection, Tables
from projections.dispatch import Handlers, handles
from projections.facts import PEOPLE_TABLE, People, insert


def achievement_pct(target: str, achieved: str) -> str | None:
    """achieved / target in percent (2 decimals), None when the target is zero."""
    try:
        t, a = Decimal(target), Decimal(achieved)
    except InvalidOperation:
        return None
    if t == 0:
        return None
    return str((Decimal(100) * a / t).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class CollaborationProjection(Handlers, Projection):
    name: ClassVar[str] = "programs"
    version: ClassVar[int] = 2  # 2: decimals in plain digits, never "2E+1"
    tables: ClassVar[Mapping[str, str]] = {
        "people": PEOPLE_TABLE,
        "programs": (
            "code TEXT NOT NULL PRIMARY KEY, program_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
            "launched_on TEXT NOT NULL, launched_event_id TEXT NOT NULL, agencies INTEGER NOT NULL, "
            "participants INTEGER NOT NULL, outcomes INTEGER NOT NULL"
        ),
        "agencies": "program TEXT NOT NULL, agency TEXT NOT NULL, PRIMARY KEY (program, agency)",
        "participants": (
            "program TEXT NOT NULL, nip TEXT NOT NULL, name TEXT NOT NULL, agency TEXT NOT NULL, "
            "role TEXT NOT NULL, joined_on TEXT NOT NULL, event_id TEXT NOT NULL, PRIMARY KEY (program, nip)"
        ),
        "outcomes": (
            "event_id TEXT NOT NULL PRIMARY KEY, program TEXT NOT NULL, indicator TEXT NOT NULL, "
            "target TEXT NOT NULL, achieved TEXT NOT NULL, achievement_pct TEXT, period TEXT NOT NULL, "
            "recorded_on TEXT NOT NULL"
        ),
    }
    indexes: ClassVar[Mapping[str, Sequence[str]]] = {
        "participants": ["nip"],
        "outcomes": ["program"],
    }

    def __init__(self) -> None:
        self.people = People()
        self._codes: dict[str, str] = {}  # program stream id -> code (immutable)

    def _code(self, tx: Sql, t: Tables, program_id: str) -> str:
        code = self._codes.get(program_id)
        if code is None:
            code = tx.scalar(f"SELECT code FROM {t['programs']} WHERE program_id=?", (program_id,))
            if code is None:
                raise LookupError(f"event for unknown program stream {program_id}")
            self._codes[program_id] = code
        return str(code)

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        e, t = event, tables
        self.people.process(tx, t, e)
        # An employee's CollaborationJoined is not read: the programme's own
        # ProgramParticipantAdded, written in the same transaction, carries the same fact.
        handler = self.handler(e)
        if handler is not None:
            handler(tx, t, e)

    @handles(Program.ProgramLaunched)
    def _launched(self, tx: Sql, t: Tables, e: Program.ProgramLaunched) -> None:
        self._codes[str(e.originator_id)] = e.code
        insert(
            tx,
            t["programs"],
            {
                "code": e.code,
                "program_id": str(e.originator_id),
                "name": e.name,
                "launched_on": e.effective_date.isoformat(),
                "launched_event_id": e.event_id,
                "agencies": len(e.agencies),
                "participants": 0,
                "outcomes": 0,
            },
        )
        tx.executemany(
            f"INSERT INTO {t['agencies']} (program, agency) VALUES (?,?)",
            [(e.code, a) for a in e.agencies],
        )

    @handles(Program.ProgramParticipantAdded)
    def _participant_added(self, tx: Sql, t: Tables, e: Program.ProgramParticipantAdded) -> None:
        code = self._code(tx, t, str(e.originator_id))
        who = tx.one(f"SELECT name FROM {t['people']} WHERE nip=?", (e.nip,))
        insert(
            tx,
            t["participants"],
            {
                "program": code,
                "nip": e.nip,
                "name": who["name"] if who else "",
                "agency": e.agency,
                "role": e.role,
                "joined_on": e.effective_date.isoformat(),
                "event_id": e.event_id,
            },
        )
        tx.execute(f"UPDATE {t['programs']} SET participants = participants + 1 WHERE code=?", (code,))

    @handles(Program.ProgramOutcomeRecorded)
    def _outcome(self, tx: Sql, t: Tables, e: Program.ProgramOutcomeRecorded) -> None:
        code = self._code(tx, t, str(e.originator_id))
        insert(
            tx,
            t["outcomes"],
            {
                "event_id": e.event_id,
                "program": code,
                "indicator": e.indicator,
                "target": e.target,
                "achieved": e.achieved,
                "achievement_pct": achievement_pct(e.target, e.achieved),
                "period": e.period,
                "recorded_on": e.effective_date.isoformat(),
            },
        )
        tx.execute(f"UPDATE {t['programs']} SET outcomes = outcomes + 1 WHERE code=?", (code,))

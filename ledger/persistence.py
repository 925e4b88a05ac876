"""Event-store recorders for both stores.

SQLite: the library's recorder numbers notifications by the implicit rowid, which VACUUM may
renumber; ours has an explicit `INTEGER PRIMARY KEY AUTOINCREMENT` notification id that is never
reused. Both recorders also write the Idempotency-Key row in the same transaction as the events
it produced, so a crash between the two cannot duplicate a command.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
)
from psycopg.sql import SQL, Identifier

IDEMPOTENCY_TABLE = "ledger_idempotency"
# Versions in (after, upto] or above `beyond` (select_versions).
VERSIONS_WANTED = "((originator_version>{p} AND originator_version<={p}) OR originator_version>{p})"
SQLITE_MAX_PARAMETERS = 900  # below SQLite's smallest compiled-in limit (999) on host parameters


@dataclass(frozen=True)
class IdempotencyRecord:
    key: str
    fingerprint: str
    response: dict[str, Any]
    originator_id: UUID
    originator_version: int

    def params(self, originator_id: object) -> tuple[Any, ...]:
        # Each store spells the originator id its own way (SQLite: hex text, PostgreSQL: uuid).
        response = json.dumps(self.response, sort_keys=True)
        return (self.key, self.fingerprint, response, originator_id, self.originator_version)


@dataclass(frozen=True)
class StreamEntry:
    """One stored event of a stream with its global position."""

    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


class LedgerSQLiteRecorder(SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        t = self.events_table_name
        self.insert_events_statement = (
            f"INSERT INTO {t} (originator_id, originator_version, topic, state) VALUES (?,?,?,?)"
        )
        self.select_max_notification_id_statement = f"SELECT MAX(notification_id) FROM {t}"

    def construct_create_table_statements(self) -> list[str]:
        t = self.events_table_name
        return [
            (
                f"CREATE TABLE IF NOT EXISTS {t} ("
                "notification_id INTEGER PRIMARY KEY AUTOINCREMENT, "
                "originator_id TEXT NOT NULL, "
                "originator_version INTEGER NOT NULL, "
                "topic TEXT NOT NULL, "
                "state BLOB NOT NULL, "
                "UNIQUE (originator_id, originator_version))"
            ),
            (
                f"CREATE TABLE IF NOT EXISTS {IDEMPOTENCY_TABLE} ("
                "key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, response TEXT NOT NULL, "
                "originator_id TEXT NOT NULL, originator_version INTEGER NOT NULL)"
            ),
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        records = _idempotency_records(kwargs)
        if records:
            c.executemany(
                f"INSERT INTO {IDEMPOTENCY_TABLE} VALUES (?,?,?,?,?)",
                [r.params(r.originator_id.hex) for r in records],
            )
        return ids

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        clauses: list[str] = []
        params: list[Any] = []
        if start is not None:
            clauses.append("notification_id>=?" if inclusive_of_start else "notification_id>?")
            params.append(start)
        if stop is not None:
            clauses.append("notification_id<=?")
            params.append(stop)
        if topics:
            clauses.append(f"topic IN ({','.join('?' * len(topics))})")
            params.extend(topics)
        where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
        statement = f"SELECT * FROM {self.events_table_name} {where}ORDER BY notification_id LIMIT ?"
        params.append(limit)
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return [
                Notification(
                    id=row["notification_id"],
                    originator_id=self.convert_originator_id(row["originator_id"]),
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=row["state"],
                )
                for row in c.fetchall()
            ]

    def select_stream(self, originator_id: UUID) -> list[StreamEntry]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT notification_id, originator_version, topic, state "
                f"FROM {self.events_table_name} WHERE originator_id=? "
                "ORDER BY originator_version",
                (originator_id.hex,),
            )
            return [StreamEntry(r[0], originator_id, r[1], r[2], bytes(r[3])) for r in c.fetchall()]

    def select_versions(self, originator_id: UUID, after: int, upto: int, beyond: int) -> list[StoredEvent]:
        """The stream's stored events of versions in (after, upto] or above `beyond`, in order:
        what time travel reads after a snapshot (ledger.history), in one round trip."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT originator_version, topic, state FROM {self.events_table_name} "
                f"WHERE originator_id=? AND {VERSIONS_WANTED.format(p='?')} ORDER BY originator_version",
                (originator_id.hex, after, upto, beyond),
            )
            return [StoredEvent(originator_id, r[0], r[1], bytes(r[2])) for r in c.fetchall()]

    def find_idempotency(self, key: str) -> tuple[str, dict[str, Any], int] | None:
        """(fingerprint, response, position) of a command already done under `key`."""
        return self.find_idempotencies([key]).get(key)

    def find_idempotencies(self, keys: Sequence[str]) -> dict[str, tuple[str, dict[str, Any], int]]:
        """find_idempotency of many keys in one statement: the keys found."""
        if not keys:
            return {}
        with self.datastore.transaction(commit=False) as c:
            found: dict[str, tuple[str, dict[str, Any], int]] = {}
            for start in range(0, len(keys), SQLITE_MAX_PARAMETERS):
                chunk = keys[start : start + SQLITE_MAX_PARAMETERS]
                c.execute(
                    f"SELECT i.key, i.fingerprint, i.response, e.notification_id FROM {IDEMPOTENCY_TABLE} i "
                    f"JOIN {self.events_table_name} e ON e.originator_id = i.originator_id "
                    "AND e.originator_version = i.originator_version "
                    f"WHERE i.key IN ({','.join('?' * len(chunk))})",
                    tuple(chunk),
                )
                found.update((r[0], (r[1], json.loads(r[2]), r[3])) for r in c.fetchall())
        return found


class LedgerPostgresRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.idempotency_table = SQL("{}.{}").format(
            Identifier(self.datastore.schema), Identifier(IDEMPOTENCY_TABLE)
        )
        self.events_table = SQL("{}.{}").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name)
        )
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {} (key text PRIMARY KEY, fingerprint text NOT NULL, "
                "response text NOT NULL, originator_id uuid NOT NULL, "
                "originator_version bigint NOT NULL)"
            ).format(self.idempotency_table)
        )

    def _insert_events(self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        records = _idempotency_records(kwargs)
        if records:
            curs.executemany(
                SQL("INSERT INTO {} VALUES (%s,%s,%s,%s,%s)").format(self.idempotency_table),
                [r.params(r.originator_id) for r in records],
            )

    def select_stream(self, originator_id: UUID) -> list[StreamEntry]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL(
                    "SELECT notification_id, originator_version, topic, state FROM {} "
                    "WHERE originator_id=%s ORDER BY originator_version"
                ).format(self.events_table),
                (originator_id,),
            )
            return [
                StreamEntry(
                    r["notification_id"],
                    originator_id,
                    r["originator_version"],
                    r["topic"],
                    bytes(r["state"]),
                )
                for r in curs.fetchall()
            ]

    def select_versions(self, originator_id: UUID, after: int, upto: int, beyond: int) -> list[StoredEvent]:
        """As LedgerSQLiteRecorder.select_versions."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL(
                    "SELECT originator_version, topic, state FROM {} WHERE originator_id=%s AND "
                    + VERSIONS_WANTED.format(p="%s")
                    + " ORDER BY originator_version"
                ).format(self.events_table),
                (originator_id, after, upto, beyond),
                prepare=True,
            )
            return [
                StoredEvent(originator_id, r["originator_version"], r["topic"], bytes(r["state"]))
                for r in curs.fetchall()
            ]

    def find_idempotency(self, key: str) -> tuple[str, dict[str, Any], int] | None:
        return self.find_idempotencies([key]).get(key)

    def find_idempotencies(self, keys: Sequence[str]) -> dict[str, tuple[str, dict[str, Any], int]]:
        if not keys:
            return {}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL(
                    "SELECT i.key, i.fingerprint, i.response, e.notification_id FROM {} i JOIN {} e "
                    "ON e.originator_id = i.originator_id "
                    "AND e.originator_version = i.originator_version WHERE i.key = ANY(%s)"
                ).format(self.idempotency_table, self.events_table),
                (list(keys),),
            )
            rows = curs.fetchall()
        return {r["key"]: (r["fingerprint"], json.loads(r["response"]), r["notification_id"]) for r in rows}


def _idempotency_records(kwargs: dict[str, Any]) -> list[IdempotencyRecord]:
    """The Idempotency-Key rows to write with the events: one command's (`idempotency`), or a
    batch's (`idempotency_records`, the bulk import)."""
    one: IdempotencyRecord | None = kwargs.get("idempotency")
    many: Sequence[IdempotencyRecord] = kwargs.get("idempotency_records", ())
    return [one, *many] if one is not None else list(many)

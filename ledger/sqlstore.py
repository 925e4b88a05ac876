"""One small SQL interface over both stores, for the tables beside the event store
(read models, tracking positions, the access log).

Written by hand because it is a thin adapter over the two connection pools the event store
already opened: statements use `?` placeholders and are translated for psycopg.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any, Literal

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

Row = dict[str, Any]


class Sql:
    """A cursor inside one transaction."""

    def __init__(
        self, cursor: Any, dialect: Literal["sqlite", "postgres"], *, pipelined: bool = False
    ) -> None:
        self._cursor = cursor
        self.dialect = dialect
        self.pipelined = pipelined

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.dialect == "postgres" else statement

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        self._cursor.execute(self._sql(statement), tuple(params))

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._cursor.executemany(self._sql(statement), [tuple(r) for r in rows])

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        if self.pipelined:
            # In a pipeline a read on the cursor that also sent the batch's writes may be handed
            # the result of one of those writes ("the last operation didn't produce records"),
            # seen after an executemany; a cursor of its own only ever holds the read's result.
            with self._cursor.connection.cursor() as cursor:
                cursor.execute(self._sql(statement), tuple(params))
                return [dict(row) for row in cursor.fetchall()]
        self.execute(statement, params)
        return [dict(row) for row in self._cursor.fetchall()]

    def one(self, statement: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self.query(statement, params)
        return rows[0] if rows else None

    def scalar(self, statement: str, params: Sequence[Any] = ()) -> Any:
        row = self.one(statement, params)
        return next(iter(row.values())) if row else None


class SqlStore:
    """Transactions on the same database as the event store."""

    def __init__(self, datastore: SQLiteDatastore | PostgresDatastore) -> None:
        self.datastore = datastore
        self.dialect: Literal["sqlite", "postgres"] = (
            "postgres" if isinstance(datastore, PostgresDatastore) else "sqlite"
        )

    @contextmanager
    def transaction(self, *, write: bool = True, pipeline: bool = False) -> Iterator[Sql]:
        """One transaction; `pipeline` (PostgreSQL only) sends statements without waiting for
        each one's answer (a read still waits for its rows), so a batch of writes costs one
        round trip instead of one each. An error then surfaces at the next read or at commit,
        not at the statement that caused it: callers that must name the failing statement run
        it again without the pipeline."""
        if isinstance(self.datastore, PostgresDatastore):
            with (
                self.datastore.get_connection() as conn,
                conn.pipeline() if pipeline else nullcontext(),
                conn.transaction(force_rollback=not write),
                conn.cursor() as cursor,
            ):
                yield Sql(cursor, "postgres", pipelined=pipeline)
            return
        with self.datastore.get_connection(commit=write) as lite:
            lite_cursor = lite.cursor()
            # IMMEDIATE takes the write lock up front: a deferred transaction that reads first
            # cannot wait for the lock later and would fail with SQLITE_BUSY instead.
            lite_cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield Sql(lite_cursor, "sqlite")
            except BaseException:
                lite.rollback()
                raise
            if write:
                lite.commit()
            else:
                lite.rollback()

    def type_bigint(self) -> str:
        return "BIGINT" if self.dialect == "postgres" else "INTEGER"

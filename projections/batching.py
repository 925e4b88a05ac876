"""Set-based writes for projections written one event at a time.

A projection's ``process`` typically issues one ``INSERT`` per event. :class:`BufferedSql` stands
in for the batch transaction and holds plain inserts back, then writes them with one
``executemany`` per table and statement, so a batch of 2,000 events costs a few statements
instead of thousands (on PostgreSQL each is a round trip, on both stores a pass through the
driver). Every projection gets this without changing its code.

Why the rows are exactly those of the statement-by-statement path:

- only plain ``INSERT INTO t (...) VALUES (...)`` is held back (no ``ON CONFLICT``, no
  ``RETURNING``, no ``SELECT``): such inserts into different tables commute, and the held
  rows of one table are written in the order they were issued (a change of statement text
  within a table keeps its place in that order), so even the physical order of the rows, which
  an unordered ``SELECT`` may show, is unchanged;
- every other statement (a read, an update, a delete, an upsert, DDL) first writes everything
  held, so it sees exactly what it would have seen;
- the runner writes what is left before it moves the tracking position, in the same
  transaction.

What changes is only *when* a failing insert fails: at the next flush instead of at its event.
The runner therefore applies a failed batch again without buffering before it records where
the failure happened (``ProjectionRunner.process_batch(..., fast=False)``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ledger.sqlstore import Row, Sql

_PLAIN_INSERT = re.compile(
    r"^\s*INSERT\s+INTO\s+([A-Za-z_][A-Za-z0-9_]*)\s*(\([^()]*\))?\s*VALUES\s*\(", re.I
)
_NOT_PLAIN = re.compile(r"\b(ON\s+CONFLICT|RETURNING|SELECT|OR\s+REPLACE|OR\s+IGNORE)\b", re.I)


@lru_cache(maxsize=1024)
def plain_insert_table(statement: str) -> str | None:
    """The table of a plain single-row ``INSERT ... VALUES``, else None (not held back)."""
    match = _PLAIN_INSERT.match(statement)
    if match is None or _NOT_PLAIN.search(statement):
        return None
    return match.group(1).lower()


class BufferedSql(Sql):
    """A batch transaction that holds plain inserts back until anything else is asked of it."""

    def __init__(self, inner: Sql) -> None:
        # Wraps the transaction's own Sql (not its cursor), so whatever that object does per
        # statement (the crash-injecting wrapper of the runner tests) still happens.
        super().__init__(None, inner.dialect)
        self._inner = inner
        # table -> runs of (statement, rows) in issue order.
        self._held: dict[str, list[tuple[str, list[tuple[Any, ...]]]]] = {}
        self.held_rows = 0

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        table = plain_insert_table(statement)
        if table is None:
            self.flush()
            self._inner.execute(statement, params)
            return
        self._hold(table, statement, [tuple(params)])

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        table = plain_insert_table(statement)
        if table is None:
            self.flush()
            self._inner.executemany(statement, rows)
            return
        self._hold(table, statement, [tuple(r) for r in rows])

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        self.flush()
        return self._inner.query(statement, params)

    def _hold(self, table: str, statement: str, rows: list[tuple[Any, ...]]) -> None:
        runs = self._held.setdefault(table, [])
        if runs and runs[-1][0] == statement:
            runs[-1][1].extend(rows)
        else:
            runs.append((statement, rows))
        self.held_rows += len(rows)

    def flush(self) -> None:
        """Write every held row (per table in issue order), one executemany per run."""
        if not self._held:
            return
        held, self._held = self._held, {}
        self.held_rows = 0
        for runs in held.values():
            for statement, rows in runs:
                self._inner.executemany(statement, rows)

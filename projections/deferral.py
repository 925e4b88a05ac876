"""Putting off the city-wide part of a batch while the runner catches up a backlog.

Some derived rows summarise the whole city: an agency's figures for a year, the rankings of an
agency and year. Recomputing one costs the same whether the batch changed one fact in it or a
thousand, so a catch-up from position 0 that recomputed the years each batch touched would redo
every year of the city once per batch: the work grows with the square of the log (the
generated 1,000,000-event city touches some thirty years in every batch). While the runner
knows more events follow (``Projection.catching_up``), a projection that sets ``defers`` notes
the keys of that work in its own ``pending`` table instead, in the batch's transaction; the
batch that reaches the end of the log (or the runner's settle step, see
``ProjectionRunner.run_once``) takes them back and does the work once.

Why a table and not memory: the tracking position moves with every batch, so a crash after a
deferred batch would otherwise lose what it owed. Read models of a projection that is catching
up already lag behind the log; the city-wide rows lag a little further, until the end of the
backlog (or ``ProjectionRunner.settle_every`` events, whichever comes first).
"""

from __future__ import annotations

from collections.abc import Iterable

from ledger.sqlstore import Sql

# The logical table a deferring projection adds to its `tables`.
PENDING_TABLE = "kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, key)"


def put_off(tx: Sql, table: str, kind: str, keys: Iterable[str]) -> None:
    """Note `keys` of `kind` as owed (a key noted twice is owed once)."""
    rows = [(kind, key) for key in sorted(set(keys))]
    if rows:
        tx.executemany(
            f"INSERT INTO {table} (kind, key) VALUES (?, ?) ON CONFLICT (kind, key) DO NOTHING", rows
        )


def take_back(tx: Sql, table: str, kind: str) -> list[str]:
    """The keys of `kind` owed so far, no longer owed once this transaction commits."""
    keys = [
        str(row["key"]) for row in tx.query(f"SELECT key FROM {table} WHERE kind=? ORDER BY key", (kind,))
    ]
    if keys:
        tx.execute(f"DELETE FROM {table} WHERE kind=?", (kind,))
    return keys

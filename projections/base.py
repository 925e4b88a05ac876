"""The projection abstraction shared by every read model (ours and other teams').

How to write a projection
-------------------------
A projection is an object with:

- ``name``: a short identifier (``[a-z][a-z0-9_]*``), e.g. ``"scorecards"``; also the CLI name.
- ``version``: an int. Bump it whenever the tables or the meaning of the rows change; the runner
  then rebuilds the projection from position 0 (blue/green, see below) instead of resuming.
- ``tables``: ``{logical_name: column_ddl}``, e.g.
  ``{"employees": "nip TEXT NOT NULL PRIMARY KEY, name TEXT, score REAL"}``. Use the portable
  types TEXT, INTEGER, BIGINT and REAL only (they mean the same on SQLite and PostgreSQL);
  constraints such as ``PRIMARY KEY (a, b)`` go in the same string. Never store wall-clock
  times, notification positions or anything else that depends on *when* the runner ran: a
  rebuild from position 0 must produce exactly the same rows as incremental processing.
- ``indexes`` (optional): ``{logical_name: ["col_a, col_b", ...]}``.
- ``process(tx, tables, event, notification)``: apply one decoded event. ``tx`` is the open
  write transaction (``ledger.sqlstore.Sql``: ``execute/executemany/query/one/scalar`` with
  ``?`` placeholders); ``tables[logical]`` is the *physical* table name to write to (always
  use it: during a rebuild it points at the new generation); ``event`` is the decoded
  ``LedgerEvent`` (``event.event_id``, envelope fields, payload), ``notification`` the stored
  record (``notification.id`` is the global position).
- ``start_batch(tx, tables)`` / ``finish_batch(tx, tables)`` (optional, default no-op): called
  around the events of one batch inside the same transaction. Use them for per-batch caches
  and for recomputing derived rows once per batch instead of once per event.
  ``start_batch`` must reset any cache: a batch whose transaction failed is retried from
  scratch, so nothing from a failed batch may leak into the next one.
- ``defers`` (optional): work in ``finish_batch`` that summarises the whole city (an agency's
  year, a ranking) may be put off while ``catching_up`` is true and done by a later batch;
  ``projections.deferral`` says how and why. The runner then also calls ``start_batch`` /
  ``finish_batch`` with no events when it reaches the end of the log (the settle step).

Writes are set-based without any change to ``process``: the ``tx`` a projection gets holds
plain ``INSERT ... VALUES`` statements back and writes them per table with ``executemany``
before any other statement and before the tracking position (``projections.batching``). So a
projection must not expect an insert to fail at once (e.g. catch a key violation to turn it
into an update): write an upsert (``ON CONFLICT``), which is sent as issued, or read first.

Subclass :class:`Projection` to get the defaults. The runner (``projections.runner``) reads the
notification log from the projection's tracking position in batches (~500), decodes each
notification once with ``app.mapper.to_domain_event``, and for each batch opens ONE write
transaction in which it calls ``start_batch``/``process``/``finish_batch`` of every projection
at that position and advances their tracking positions. A crash at any point therefore leaves
rows and position consistent: the batch is either wholly applied or not at all, and the next
run resumes right after the last committed position (exactly once).

Where the rows live (how readers find them)
-------------------------------------------
Each projection keeps *generations* of its tables. The physical table of generation ``g`` is
``pj_<projection>_<logical>_g<g>``; readers never use it. For each logical table there is a
stable SQL view, :func:`view_name` -> ``rm_<projection>_<logical>`` (``rm`` = read model),
which always selects from the active generation. Query code only ever reads the views, e.g.
``SELECT * FROM rm_scorecards_scorecards WHERE nip = ?``.

A rebuild (``ledger projections rebuild NAME``) creates generation g+1, fills it from position 0
while generation g keeps serving (and keeps being updated), and when g+1 has caught up it
re-points every view of the projection and records the new active generation in ONE
transaction, then drops generation g. Readers see either the old rows or the new ones, never a
mix.

Bookkeeping tables (shared by all projections):

- ``ledger_projection_registry(name, active_generation, version)``
- ``ledger_projection_positions(name, generation, version, position)`` — one tracking row per
  generation; updated in the same transaction as that generation's rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import Notification

from ledger.domain.envelope import LedgerEvent
from ledger.sqlstore import Sql

REGISTRY_TABLE = "ledger_projection_registry"
POSITIONS_TABLE = "ledger_projection_positions"

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# PostgreSQL truncates identifiers to 63 bytes; leave room for "pj_" + "_g<n>".
MAX_IDENTIFIER = 63


def physical_name(projection: str, logical: str, generation: int) -> str:
    """The table one generation of a projection writes to (never read it directly)."""
    return f"pj_{projection}_{logical}_g{generation}"


def view_name(projection: str, logical: str) -> str:
    """The stable name readers use: a view over the active generation's table."""
    return f"rm_{projection}_{logical}"


class Tables(Mapping[str, str]):
    """Resolves a projection's logical table names to the physical tables of one generation."""

    def __init__(self, projection: str, logical: Sequence[str], generation: int) -> None:
        self.projection = projection
        self.generation = generation
        self._names = {name: physical_name(projection, name, generation) for name in logical}

    def __getitem__(self, logical: str) -> str:
        try:
            return self._names[logical]
        except KeyError:
            raise KeyError(f"projection {self.projection} has no table {logical!r}") from None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def view(self, logical: str) -> str:
        return view_name(self.projection, logical)


class Projection:
    """Base class: override ``name``, ``version``, ``tables`` and ``process``."""

    name: ClassVar[str] = ""
    version: ClassVar[int] = 1
    tables: ClassVar[Mapping[str, str]] = {}
    indexes: ClassVar[Mapping[str, Sequence[str]]] = {}
    # True: the projection may put off its city-wide work while `catching_up`
    # (projections.deferral); it then has a `pending` table and does the work when it is not.
    defers: ClassVar[bool] = False
    # Set by the runner before each batch: more events follow this batch, so work that does
    # not grow with the batch may wait (only a projection that `defers` looks at it).
    catching_up: bool = False

    def start_batch(self, tx: Sql, tables: Tables) -> None:
        """Called first in each batch transaction (reset per-batch caches here)."""

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        raise NotImplementedError

    def finish_batch(self, tx: Sql, tables: Tables) -> None:
        """Called last in each batch transaction, before the tracking position is written."""

    @classmethod
    def validate(cls) -> None:
        """Fail fast on names that would not make valid, distinct SQL identifiers."""
        if not _NAME.match(cls.name):
            raise ValueError(f"projection name {cls.name!r} must match {_NAME.pattern}")
        for logical in cls.tables:
            if not _NAME.match(logical):
                raise ValueError(f"table name {logical!r} of {cls.name} must match {_NAME.pattern}")
            if len(physical_name(cls.name, logical, 999_999)) > MAX_IDENTIFIER:
                raise ValueError(f"table name {cls.name}.{logical} is too long for PostgreSQL")
        for logical in cls.indexes:
            if logical not in cls.tables:
                raise ValueError(f"index on unknown table {cls.name}.{logical}")


def employee_row(cache: dict[str, dict[str, Any]], tx: Sql, table: str, employee_id: str) -> dict[str, Any]:
    """An employee's row of a per-employee read model, read once per batch into `cache` with its
    JSON `state` decoded (the projection writes the cached rows back when the batch ends)."""
    row = cache.get(employee_id)
    if row is None:
        found = tx.one(f"SELECT * FROM {table} WHERE employee_id=?", (employee_id,))
        if found is None:
            raise LookupError(f"event for unregistered employee stream {employee_id}")
        row = dict(found)
        row["state"] = json.loads(row["state"])
        cache[employee_id] = row
    return row


def create_generation_sql(projection: type[Projection] | Projection, generation: int) -> list[str]:
    """DDL creating one generation's tables and indexes."""
    statements: list[str] = []
    for logical, columns in projection.tables.items():
        table = physical_name(projection.name, logical, generation)
        statements.append(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        for i, cols in enumerate(projection.indexes.get(logical, ())):
            statements.append(f"CREATE INDEX IF NOT EXISTS ix_{table}_{i} ON {table} ({cols})")
    return statements


def drop_generation_sql(
    projection: type[Projection] | Projection, generation: int, *, cascade: bool = False
) -> list[str]:
    """DROP the generation's tables; `cascade` (PostgreSQL) also drops a view left pointing at
    them, which only happens when the registry was emptied behind our back (it is re-created)."""
    suffix = " CASCADE" if cascade else ""
    return [
        f"DROP TABLE IF EXISTS {physical_name(projection.name, logical, generation)}{suffix}"
        for logical in projection.tables
    ]


def point_views_sql(projection: type[Projection] | Projection, generation: int) -> list[str]:
    """Re-point every view of a projection at one generation (run inside one transaction)."""
    statements: list[str] = []
    for logical in projection.tables:
        view = view_name(projection.name, logical)
        statements.append(f"DROP VIEW IF EXISTS {view}")
        statements.append(
            f"CREATE VIEW {view} AS SELECT * FROM {physical_name(projection.name, logical, generation)}"
        )
    return statements


def bookkeeping_sql(bigint: str) -> list[str]:
    return [
        (
            f"CREATE TABLE IF NOT EXISTS {REGISTRY_TABLE} ("
            "name TEXT NOT NULL PRIMARY KEY, active_generation INTEGER NOT NULL, version INTEGER NOT NULL)"
        ),
        (
            f"CREATE TABLE IF NOT EXISTS {POSITIONS_TABLE} ("
            "name TEXT NOT NULL, generation INTEGER NOT NULL, version INTEGER NOT NULL, "
            f"position {bigint} NOT NULL, PRIMARY KEY (name, generation))"
        ),
    ]

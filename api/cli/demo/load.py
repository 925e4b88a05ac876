"""Writing the plan: each step through the application service with the ledger's clock set to the
step's moment, in bulk (aggregates cached, SQLite without an fsync per commit)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from typing import Any

from eventsourcing.application import LRUCache
from eventsourcing.sqlite import SQLiteDatastore

from api.cli.demo.steps import Plan
from ledger.application import CommandContext, KinerjaLedger
from ledger.clock import utc_now
from ledger.domain.envelope import Actor

AGGREGATE_CACHE_SIZE = 20_000  # aggregates kept in memory while the demo loads


class SimulatedClock:
    """The ledger's clock during the demo: each step's moment."""

    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now


@contextmanager
def bulk_load(app: KinerjaLedger) -> Iterator[None]:
    """Loading many commands in a row: aggregates are kept in memory between commands (fast-forwarded
    from the store and copied at each load, as the library does for its cache), and on SQLite
    without an fsync at each commit (synchronous=NORMAL: in WAL mode the file stays consistent, a
    crash may lose the last commands, which the demo writes again into an empty store). Both are
    put back afterwards."""
    repository = app.repository
    cached = repository.cache
    if cached is None:
        repository.cache = LRUCache(maxsize=AGGREGATE_CACHE_SIZE)
    datastore = app.sql.datastore
    before = _synchronous(datastore, "NORMAL") if isinstance(datastore, SQLiteDatastore) else None
    try:
        yield
    finally:
        repository.cache = cached
        if isinstance(datastore, SQLiteDatastore) and before is not None:
            _synchronous(datastore, str(before))


def _synchronous(datastore: SQLiteDatastore, value: str) -> int:
    """Set PRAGMA synchronous on every pooled connection (held at once, so each is reached);
    returns the setting the first one had."""
    with ExitStack() as held:
        size = datastore.pool.pool_size
        connections = [held.enter_context(datastore.get_connection(commit=False)) for _ in range(size)]
        before = []
        for connection in connections:
            cursor = connection.cursor()
            cursor.execute("PRAGMA synchronous")
            before.append(int(cursor.fetchone()[0]))
            cursor.execute(f"PRAGMA synchronous={value}")
    return before[0]


def run(
    app: KinerjaLedger,
    the_plan: Plan,
    clock: SimulatedClock,
    *,
    seed: int,
    on_step: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Execute the plan in date order; returns how many commands of each kind ran."""
    ids: dict[str, Any] = {}
    counts: dict[str, int] = {}
    # Tracking codes from a source seeded like the rest: the same seed, the same history.
    random_bytes, app.random_bytes = app.random_bytes, random.Random(f"{seed}:tracking-codes").randbytes
    try:
        with bulk_load(app):
            for i, step in enumerate(the_plan.steps):
                clock.now = step.at
                ctx = CommandContext(Actor("demo-loader", "hr"), correlation_id=f"demo-{seed}-{i}")
                step.run(app, ctx, ids)
                counts[step.label] = counts.get(step.label, 0) + 1
                if on_step is not None:
                    on_step(i + 1)
    finally:
        app.random_bytes = random_bytes
    return counts

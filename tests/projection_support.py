"""Helpers for the projection tests: run projections, snapshot their rows, count applications."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import Notification

from ledger.application import KinerjaLedger
from ledger.domain.envelope import LedgerEvent
from ledger.sqlstore import Sql
from projections.base import Projection, Tables, view_name
from projections.registry import default_projections
from projections.runner import ProjectionRunner


class Tally(Projection):
    """One row per processed notification: applying any event twice violates the primary key."""

    name: ClassVar[str] = "tally"
    version: ClassVar[int] = 1
    tables: ClassVar[Mapping[str, str]] = {
        "seen": "position BIGINT NOT NULL PRIMARY KEY, event_id TEXT NOT NULL"
    }

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        tx.execute(
            f"INSERT INTO {tables['seen']} (position, event_id) VALUES (?,?)",
            (notification.id, event.event_id),
        )


def all_projections() -> list[Projection]:
    return [*default_projections(), Tally()]


def catch_up(
    app: KinerjaLedger, batch_size: int = 500, projections: Sequence[Projection] | None = None
) -> ProjectionRunner:
    runner = ProjectionRunner(
        app, list(projections) if projections is not None else default_projections(), batch_size=batch_size
    )
    runner.run_once()
    assert not runner.errors, runner.errors
    return runner


def snapshot(app: KinerjaLedger, projections: Sequence[Projection]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every projection's views, sorted (for equality checks)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with app.sql.transaction(write=False) as tx:
        for p in projections:
            for logical in p.tables:
                view = view_name(p.name, logical)
                rows = tx.query(f"SELECT * FROM {view}")
                out[view] = sorted((tuple(sorted(r.items())) for r in rows), key=repr)
    return out

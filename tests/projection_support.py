"""Helpers for the projection tests: run projections, snapshot their rows, count applications."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import Notification

from ledger.application import KinerjaLedger
from ledger.domain.envelope import LedgerEvent
from ledger.sqlstore import Sql
from projections.base import POSITIONS_TABLE, REGISTRY_TABLE, Projection, Tables, view_name
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


class Counter(Projection):
    """One row per application and no key: a batch applied twice is silently counted twice, so
    only the runner's compare-and-set (not a constraint error) can keep the count right."""

    name: ClassVar[str] = "counter"
    version: ClassVar[int] = 1
    tables: ClassVar[Mapping[str, str]] = {"applied": "position BIGINT NOT NULL"}

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        tx.execute(f"INSERT INTO {tables['applied']} (position) VALUES (?)", (notification.id,))


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


def positions(app: KinerjaLedger) -> dict[tuple[str, int], int]:
    """Every tracking row: (name, generation) -> position."""
    with app.sql.transaction(write=False) as tx:
        rows = tx.query(f"SELECT name, generation, position FROM {POSITIONS_TABLE}")
    return {(r["name"], int(r["generation"])): int(r["position"]) for r in rows}


def active_generations(app: KinerjaLedger) -> dict[str, int]:
    with app.sql.transaction(write=False) as tx:
        rows = tx.query(f"SELECT name, active_generation FROM {REGISTRY_TABLE}")
    return {r["name"]: int(r["active_generation"]) for r in rows}


def head(app: KinerjaLedger) -> int:
    return int(app.recorder.max_notification_id() or 0)


def notification_ids(app: KinerjaLedger) -> list[int]:
    return [n.id for n in app.recorder.select_notifications(None, 1_000_000)]


def tally_positions(app: KinerjaLedger) -> list[int]:
    with app.sql.transaction(write=False) as tx:
        rows = tx.query(f"SELECT position FROM {view_name('tally', 'seen')} ORDER BY position")
    return [int(r["position"]) for r in rows]


def assert_exactly_once_and_equal_to_rebuild(app: KinerjaLedger) -> None:
    """Finish whatever is left, then: every event in the tally once (none skipped, none twice),
    and every projection equal to a fresh rebuild of itself from position 0."""
    runner = ProjectionRunner(app, all_projections(), batch_size=50)
    runner.run_once()
    assert not runner.errors, runner.errors
    assert tally_positions(app) == notification_ids(app)
    for name in sorted(runner.projections):
        report = runner.rebuild(name)
        assert all(d.comparable for d in report.diffs)
        assert report.differing_rows == 0, (name, [d for d in report.diffs if d.only_old or d.only_new])

"""The set-based runner against the statement-by-statement one, on the demo city and both stores.

The fast path (plain inserts held back and written per table with executemany, PostgreSQL
pipelined, large batches) must give exactly the rows and the tracking positions of the reference
path: one event per batch, every statement sent as the projection issued it. And a failure must
still be recorded at the event that caused it, although the fast path only sees it at a flush.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest
from eventsourcing.persistence import Notification

from api.cli import demo
from ledger.application import KinerjaLedger
from ledger.domain.envelope import LedgerEvent
from ledger.sqlstore import Sql
from projections.base import Projection, Tables
from projections.batching import BufferedSql, plain_insert_table
from projections.registry import default_projections
from projections.runner import ProjectionRunner
from tests.conftest import make_settings
from tests.projection_support import head, notification_ids, positions, snapshot

pytestmark = pytest.mark.store

DEMO = {"employees": 80, "years": 2, "seed": 11, "last_year": 2025}


@pytest.fixture
def city(store: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[KinerjaLedger]:
    clock = demo.SimulatedClock()
    app = KinerjaLedger(make_settings(store, tmp_path, request), clock=clock)
    try:
        demo.run(app, demo.plan(**DEMO), clock, seed=DEMO["seed"])
        yield app
    finally:
        app.close()


def test_fast_rebuilds_give_the_rows_and_positions_of_the_event_by_event_path(city: KinerjaLedger) -> None:
    projections = default_projections()
    reference = ProjectionRunner(city, projections, batch_size=1, fast=False)
    reference.run_once()
    assert not reference.errors, reference.errors
    expected_rows = snapshot(city, projections)
    end = head(city)
    assert {position for (_, position) in positions(city).items()} == {end}
    assert sum(len(rows) for rows in expected_rows.values()) > 1000  # the demo fills every model

    # Whole-log batches, then batches that end at odd places: rebuilt from position 0 each time.
    for batch_size in (5000, 97):
        fast = ProjectionRunner(city, default_projections(), batch_size=batch_size)
        for name in sorted(fast.projections):
            report = fast.rebuild(name)
            assert report.position == end
            assert report.differing_rows == 0, (name, batch_size, report.diffs)
        assert snapshot(city, projections) == expected_rows
        tracking = positions(city)
        assert len(tracking) == len(projections)  # one generation each, the rebuilt one
        assert set(tracking.values()) == {end}


def _owed(app: KinerjaLedger, runner: ProjectionRunner) -> dict[str, int]:
    """Rows in the pending table of every generation that defers (projections.deferral)."""
    with app.sql.transaction(write=False) as tx:
        return {
            f"{s.name} g{s.generation}": int(tx.scalar(f"SELECT COUNT(*) FROM {s.tables['pending']}"))
            for s in runner.slots()
            if s.projection.defers
        }


def _rebuild_all(runner: ProjectionRunner) -> None:
    for name in sorted(runner.projections):
        runner.start_rebuild(name)


def test_work_put_off_while_catching_up_survives_a_crash_and_is_done_at_the_end(city: KinerjaLedger) -> None:
    one_batch = ProjectionRunner(city, default_projections(), batch_size=100_000)
    one_batch.run_once()  # a batch that is not full: nothing is put off
    assert not one_batch.errors and set(_owed(city, one_batch).values()) == {0}
    expected = snapshot(city, default_projections())

    # The whole log as one full batch ("more may follow"), then the runner is gone (a crash)
    # before its next read would have found the end and done the work it put off.
    size = len(notification_ids(city))
    crashed = ProjectionRunner(city, default_projections(), batch_size=size)
    _rebuild_all(crashed)
    crashed.run_once(max_batches=1)
    assert not crashed.errors
    owed = _owed(city, crashed)
    assert sum(owed.values()) > 0, owed  # the new generations owe their city-wide rows
    assert set(positions(city).values()) == {head(city)}
    # A new runner has nothing to read, finds the owed work in the store and does it.
    restarted = ProjectionRunner(city, default_projections(), batch_size=size)
    restarted.run_once()
    assert not restarted.errors
    assert set(positions(city).values()) == {head(city)}
    assert set(_owed(city, restarted).values()) == {0}
    assert snapshot(city, default_projections()) == expected


def test_a_log_that_ends_with_a_full_batch_is_settled(city: KinerjaLedger) -> None:
    expected_runner = ProjectionRunner(city, default_projections(), batch_size=100_000)
    expected_runner.run_once()
    expected = snapshot(city, default_projections())
    # Exactly one full batch: it is applied as "more may follow", then the empty read settles.
    runner = ProjectionRunner(city, default_projections(), batch_size=len(notification_ids(city)))
    _rebuild_all(runner)
    runner.run_once()
    assert not runner.errors
    assert set(_owed(city, runner).values()) == {0}
    assert snapshot(city, default_projections()) == expected


def test_deferred_work_is_done_at_least_every_settle_every_events(city: KinerjaLedger) -> None:
    runner = ProjectionRunner(city, default_projections(), batch_size=97, settle_every=200)
    runner.run_once(max_batches=2)  # 97 + 97 events put off
    assert sum(_owed(city, runner).values()) > 0
    runner.run_once(max_batches=1)  # 291 events since the last settle: this batch does the work
    assert set(_owed(city, runner).values()) == {0}


class DuplicateAt(Projection):
    """Inserts each event's position, and at `fail_at` a second time: a key violation that the
    fast path only meets when it writes the held rows."""

    name = "duplicate"
    tables: ClassVar[Mapping[str, str]] = {"seen": "position BIGINT NOT NULL PRIMARY KEY"}

    def __init__(self, fail_at: int) -> None:
        self.fail_at = fail_at

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        tx.execute(f"INSERT INTO {tables['seen']} (position) VALUES (?)", (notification.id,))
        if notification.id == self.fail_at:
            tx.execute(f"INSERT INTO {tables['seen']} (position) VALUES (?)", (notification.id,))


def test_a_failing_insert_is_recorded_at_its_event_although_the_batch_wrote_it_late(
    city: KinerjaLedger,
) -> None:
    notes = city.recorder.select_notifications(0, 40)
    fail_at = notes[25].id
    event_id = city.mapper.to_domain_event(notes[25]).event_id
    runner = ProjectionRunner(city, [DuplicateAt(fail_at), *default_projections()], batch_size=40)
    runner.run_once(max_batches=1)
    by_name = {s.name: s for s in runner.status()}
    failed = by_name["duplicate"]
    assert (failed.state, failed.position, failed.failed_position, failed.failed_event_id) == (
        "failed",
        0,
        fail_at,
        event_id,
    )
    assert failed.error is not None and "duplicate" in failed.error.lower()
    # The others applied the batch (alone, after the shared transaction failed) and went on.
    others = {s.position for s in by_name.values() if s.name != "duplicate"}
    assert len(others) == 1 and others.pop() >= notes[-1].id


def test_held_inserts_keep_their_order_per_table_and_reads_see_them(city: KinerjaLedger) -> None:
    with city.sql.transaction() as tx:
        tx.execute("CREATE TABLE t_a (k INTEGER NOT NULL, v TEXT)")
        tx.execute("CREATE TABLE t_b (k INTEGER NOT NULL)")
    with city.sql.transaction() as raw:
        tx = BufferedSql(raw)
        tx.execute("INSERT INTO t_a (k, v) VALUES (?, ?)", (1, "x"))
        tx.execute("INSERT INTO t_b (k) VALUES (?)", (10,))
        tx.execute("INSERT INTO t_a (v, k) VALUES (?, ?)", ("y", 2))  # another statement, same table
        tx.executemany("INSERT INTO t_a (k, v) VALUES (?, ?)", [(3, "z"), (4, "w")])
        assert tx.held_rows == 5
        rows: list[dict[str, Any]] = tx.query("SELECT k, v FROM t_a")  # no ORDER BY: physical order
        assert tx.held_rows == 0
        assert rows == [{"k": 1, "v": "x"}, {"k": 2, "v": "y"}, {"k": 3, "v": "z"}, {"k": 4, "v": "w"}]
        tx.execute("INSERT INTO t_b (k) VALUES (?)", (11,))
        tx.execute("UPDATE t_b SET k = k + 1")  # not held: writes the held row first
        assert tx.held_rows == 0
        assert tx.query("SELECT k FROM t_b ORDER BY k") == [{"k": 11}, {"k": 12}]


@pytest.mark.parametrize(
    ("statement", "table"),
    [
        ("INSERT INTO pj_x_g1 (a, b) VALUES (?,?)", "pj_x_g1"),
        ("  insert into T VALUES (?)", "t"),
        ("INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO NOTHING", None),
        ("INSERT INTO t (a) VALUES (?) RETURNING a", None),
        ("INSERT INTO t (a) SELECT a FROM u", None),
        ("INSERT OR REPLACE INTO t (a) VALUES (?)", None),
        ("UPDATE t SET a=?", None),
        ("DELETE FROM t", None),
    ],
)
def test_only_plain_inserts_are_held_back(statement: str, table: str | None) -> None:
    assert plain_insert_table(statement) == table

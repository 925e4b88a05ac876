"""Runner paths that only show up when something goes wrong: another runner moved our slot,
took over our rebuild, or a projection keeps failing (backoff, recovery)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

import psycopg
import pytest
from eventsourcing.persistence import Notification

from ledger.application import KinerjaLedger
from ledger.config import Settings
from ledger.domain.envelope import LedgerEvent
from ledger.sqlstore import Sql
from projections.base import Tables, view_name
from projections.runner import ProjectionRunner, Slot, StaleSlot
from tests.conftest import HR
from tests.factories import NIP_BUDI, seed_basic
from tests.projection_support import (
    Counter,
    Tally,
    active_generations,
    notification_ids,
    positions,
    tally_positions,
)

DEADLINE_S = 60.0
T = TypeVar("T")


def history(app: KinerjaLedger, trainings: int = 12) -> list[int]:
    seed_basic(app)
    for k in range(trainings):
        app.record_training(
            HR, NIP_BUDI, title=f"Diklat {k}", hours_jp=2, completed_on="2025-06-01", provider="BPSDM"
        )
    return notification_ids(app)


def bounded(runner: ProjectionRunner, fn: Callable[[], T]) -> T:
    """Run `fn` (a loop of `runner`) in a thread; a bug that makes it loop forever is stopped
    through the runner's own stop flag after a generous deadline and reported as a failure."""
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(fn())
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(DEADLINE_S)
    if thread.is_alive():
        runner.stop(timeout=0)
        thread.join(DEADLINE_S)
        raise AssertionError("the runner was still looping after the deadline")
    if error:
        raise error[0]
    return result[0]


def seen(app: KinerjaLedger, name: str) -> list[int]:
    with app.sql.transaction(write=False) as tx:
        rows = tx.query(f"SELECT position FROM {view_name(name, 'seen')} ORDER BY position")
    return [int(r["position"]) for r in rows]


# ---------------------------------------------------------------- a slot moved by another runner


def test_a_runner_whose_slot_went_stale_rereads_it_and_carries_on(app: KinerjaLedger) -> None:
    ids = history(app)
    a = ProjectionRunner(app, [Tally()], batch_size=2)
    b = ProjectionRunner(app, [Tally()], batch_size=2)
    b_done: list[int] = []

    def b_moves_the_slot(slot: Slot, position: int, count: int) -> None:
        if not b_done:  # after a's first batch, b applies the next three
            b_done.append(b.run_once(max_batches=3))

    a.on_progress = b_moves_the_slot
    a_done = bounded(a, a.run_once)
    assert b_done == [6]
    assert a_done == len(ids) - 6  # its first batch, then everything after b's batches
    assert a.errors == {}
    assert positions(app) == {("tally", 1): ids[-1]}
    assert tally_positions(app) == ids


# ---------------------------------------------------------------- a rebuild taken over


def test_a_rebuild_switched_in_by_another_runner_reports_that_runners_comparison(app: KinerjaLedger) -> None:
    # `ledger projections rebuild` next to a running worker: the worker may catch the new
    # generation up and switch it in first. The rebuild went through; its report is the one the
    # switch recorded in the store (it was "taken over by another runner" and a traceback before).
    ids = history(app)
    a = ProjectionRunner(app, [Tally()], batch_size=2)
    a.run_once()
    b = ProjectionRunner(app, [Tally()], batch_size=2)
    b_done: list[int] = []

    def b_finishes_the_rebuild(slot: Slot, position: int, count: int) -> None:
        if slot.generation == 2 and not b_done:
            b_done.append(b.run_once())  # catches generation 2 up and switches it in

    a.on_progress = b_finishes_the_rebuild
    report = bounded(a, lambda: a.rebuild("tally"))
    assert b_done == [len(ids) - 2]
    assert b.reports["tally"].new_generation == 2
    assert report == b.reports["tally"] == a.reports["tally"]
    assert (report.old_generation, report.new_generation, report.position) == (1, 2, ids[-1])
    assert [(d.table, d.only_old, d.only_new, d.comparable) for d in report.diffs] == [
        (table, 0, 0, True) for table in Tally.tables
    ]
    assert active_generations(app) == {"tally": 2}
    assert positions(app) == {("tally", 2): ids[-1]}
    assert tally_positions(app) == ids


def test_a_rebuild_replaced_by_a_newer_one_is_reported_as_taken_over(app: KinerjaLedger) -> None:
    ids = history(app)
    a = ProjectionRunner(app, [Tally()], batch_size=2)
    a.run_once()
    b = ProjectionRunner(app, [Tally()], batch_size=2)
    restarted: list[int] = []

    def b_restarts_the_rebuild(slot: Slot, position: int, count: int) -> None:
        if slot.generation == 2 and not restarted:
            restarted.append(b.start_rebuild("tally"))  # drops generation 2

    a.on_progress = b_restarts_the_rebuild
    with pytest.raises(RuntimeError, match=r"^generation 2 of tally was taken over by another runner$"):
        bounded(a, lambda: a.rebuild("tally"))
    # a went on with the generation that replaced its own, and switched that one in.
    assert restarted == [3]
    assert a.reports["tally"].new_generation == 3
    assert active_generations(app) == {"tally": 3}
    assert positions(app) == {("tally", 3): ids[-1]}
    assert tally_positions(app) == ids


# ---------------------------------------------------------------- a failing projection


class Flaky(Tally):
    """Fails on every event while `broken`; counts how often it was tried."""

    name = "flaky"

    def __init__(self) -> None:
        self.broken = True
        self.tries = 0

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        self.tries += 1
        if self.broken:
            raise RuntimeError("disk on fire")
        super().process(tx, tables, event, notification)


def test_a_failing_projection_waits_out_its_backoff_then_recovers(app: KinerjaLedger) -> None:
    ids = history(app)
    now = [1_000.0]
    flaky = Flaky()
    runner = ProjectionRunner(
        app, [flaky, Tally()], batch_size=3, failure_backoff=30.0, monotonic=lambda: now[0]
    )
    runner.run_once()
    # Tried with the tally (one transaction), then alone to isolate it; the tally went on alone.
    assert flaky.tries == 2
    assert runner.errors == {"flaky": "RuntimeError: disk on fire"}
    assert positions(app) == {("flaky", 1): 0, ("tally", 1): ids[-1]}

    # However often the loop comes round within the backoff, the projection is not tried.
    for _ in range(5):
        runner.run_once()
    now[0] += 29.9
    runner.run_once()
    assert flaky.tries == 2

    # After it: tried once more; still failing, so it backs off again from now.
    now[0] += 0.2
    runner.run_once()
    assert flaky.tries == 3
    runner.run_once()
    now[0] += 29.9
    runner.run_once()
    assert flaky.tries == 3
    assert runner.errors == {"flaky": "RuntimeError: disk on fire"}

    # The fault is gone: the next try after the backoff catches up and clears the error.
    flaky.broken = False
    now[0] += 0.2
    runner.run_once()
    assert runner.errors == {}
    assert positions(app) == {("flaky", 1): ids[-1], ("tally", 1): ids[-1]}
    assert seen(app, "flaky") == ids
    assert flaky.tries == 3 + len(ids)


def test_a_rebuild_of_a_failing_projection_stops_with_its_error(app: KinerjaLedger) -> None:
    ids = history(app)
    flaky = Flaky()
    flaky.broken = False
    runner = ProjectionRunner(app, [flaky], batch_size=4)
    runner.run_once()
    flaky.broken = True
    with pytest.raises(RuntimeError, match=r"^rebuilding flaky failed: RuntimeError: disk on fire$"):
        bounded(runner, lambda: runner.rebuild("flaky"))
    # The active generation keeps serving; the failed one waits (at 0) for a later rebuild.
    assert active_generations(app) == {"flaky": 1}
    assert positions(app) == {("flaky", 1): ids[-1], ("flaky", 2): 0}
    assert seen(app, "flaky") == ids


# ---------------------------------------------------------------- concurrent runners (row lock)


def test_a_concurrent_batch_waits_for_the_row_lock_then_finds_its_slot_stale(
    pg_settings: Settings,
) -> None:
    """Two runners in flight on the same slot at the same time (PostgreSQL, where writers do not
    serialise on the whole database): the second must wait for the first's lock on the tracking
    row and then see the moved position, not read the old one and apply the batch again."""
    app = KinerjaLedger(pg_settings)
    try:
        ids = history(app, trainings=4)
        inside_a = threading.Event()
        release_a = threading.Event()
        inside_b = threading.Event()

        class Held(Counter):
            def __init__(self, inside: threading.Event, release: threading.Event | None) -> None:
                self.inside, self.release = inside, release

            def process(
                self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification
            ) -> None:
                self.inside.set()
                if self.release is not None:
                    assert self.release.wait(DEADLINE_S)
                super().process(tx, tables, event, notification)

        a = ProjectionRunner(app, [Held(inside_a, release_a)], batch_size=3)
        b = ProjectionRunner(app, [Held(inside_b, None)], batch_size=3)
        slots_a, slots_b = a.slots(), b.slots()
        events = a._read(0, 3)
        outcome: dict[str, BaseException | None] = {}

        def run(name: str, runner: ProjectionRunner, slots: list[Slot]) -> None:
            try:
                runner.process_batch(slots, events)
                outcome[name] = None
            except BaseException as exc:
                outcome[name] = exc

        thread_a = threading.Thread(target=run, args=("a", a, slots_a), daemon=True)
        thread_a.start()
        assert inside_a.wait(DEADLINE_S)  # a holds its transaction open inside the batch
        thread_b = threading.Thread(target=run, args=("b", b, slots_b), daemon=True)
        thread_b.start()
        # b either queues behind a's row lock (right) or gets into the batch itself (wrong).
        deadline = time.monotonic() + DEADLINE_S
        with psycopg.connect(pg_settings.database_url, autocommit=True) as watch:
            while not inside_b.is_set():
                waiting = watch.execute(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                ).fetchone()
                if waiting is not None and waiting[0] == 1:
                    break
                assert time.monotonic() < deadline, "b neither waited for the lock nor ran"
                time.sleep(0.02)
        release_a.set()
        thread_a.join(DEADLINE_S)
        thread_b.join(DEADLINE_S)
        assert outcome["a"] is None
        assert isinstance(outcome["b"], StaleSlot), outcome["b"]
        assert not inside_b.is_set()
        with app.sql.transaction(write=False) as tx:
            applied = [
                r["position"] for r in tx.query("SELECT position FROM rm_counter_applied ORDER BY position")
            ]
        assert applied == ids[:3]
        assert positions(app) == {("counter", 1): ids[2]}
    finally:
        app.close()


# ---------------------------------------------------------------- lost connections (PostgreSQL)


def test_the_background_runner_survives_its_connections_being_killed(pg_settings: Settings) -> None:
    """The LISTEN connection and the pooled ones die (a failover, an administrator's
    pg_terminate_backend): the runner reconnects and keeps following the log."""
    app = KinerjaLedger(pg_settings)
    writer: KinerjaLedger | None = None
    runner = ProjectionRunner(app, [Tally()], notify_timeout=2.0)
    runner.start()
    try:
        seed_basic(app)
        deadline = time.monotonic() + DEADLINE_S
        while runner._listen_conn is None or positions(app) != {("tally", 1): notification_ids(app)[-1]}:
            assert time.monotonic() < deadline, "the runner did not catch up"
            time.sleep(0.05)
        listener = runner._listen_conn.info.backend_pid
        with psycopg.connect(pg_settings.database_url, autocommit=True) as admin:
            killed = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        assert len(killed) >= 2 and all(ok for (ok,) in killed)
        writer = KinerjaLedger(pg_settings)
        for k in range(3):
            writer.record_training(
                HR, NIP_BUDI, title=f"Diklat {k}", hours_jp=2, completed_on="2025-06-01", provider="BPSDM"
            )
        ids = notification_ids(writer)
        deadline = time.monotonic() + DEADLINE_S
        while positions(writer) != {("tally", 1): ids[-1]}:
            assert time.monotonic() < deadline, f"the runner did not recover: {runner.errors}"
            time.sleep(0.05)
        assert tally_positions(writer) == ids
        # And it listens again, on a new, live connection (not the dead one).
        with psycopg.connect(pg_settings.database_url, autocommit=True) as admin:
            while True:
                conn = runner._listen_conn
                pid = conn.info.backend_pid if conn is not None and not conn.closed else None
                row = admin.execute(
                    "SELECT query FROM pg_stat_activity WHERE pid = %s AND datname = current_database()",
                    (pid,),
                ).fetchone()
                if row is not None and str(row[0]).startswith("LISTEN"):
                    break
                assert time.monotonic() < deadline, "the runner never listened again"
                time.sleep(0.05)
        assert pid != listener
    finally:
        runner.stop()
        app.close()
        if writer is not None:
            writer.close()


def test_the_listen_connection_works_with_the_pools_url_parameters(pg_settings: Settings) -> None:
    # The pool's own parameters on LEDGER_DATABASE_URL must not make the worker fall back to polling.
    settings = Settings(pg_settings.database_url + "?pool_size=2&max_overflow=1", pg_settings.data_dir, "o")
    app = KinerjaLedger(settings)
    try:
        runner = ProjectionRunner(app, [Counter()])
        assert runner._listen() is True
        runner._close_listener()
    finally:
        app.close()

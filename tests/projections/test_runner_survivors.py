"""The runner pinned where the mutation run of projections/runner.py found it loose: what a
switch reports and logs, which batches it opens on which generation, the generation tables it
leaves behind, what status() and a failing projection report, and what a rebuild drives.

Each test names the surviving mutants it was written for (docs/TESTING.md, "Mutation testing").
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Mapping
from typing import ClassVar

import psycopg
import pytest
from eventsourcing.persistence import Notification

from ledger.application import KinerjaLedger
from ledger.config import Settings
from ledger.domain.envelope import LedgerEvent
from ledger.sqlstore import Sql
from projections.base import POSITIONS_TABLE, Projection, Tables
from projections.runner import ProjectionRunner
from projections.switches import SwitchReport, TableDiff
from tests.projection_support import Counter, Tally, active_generations, positions
from tests.projections.test_projections_runner_paths import Flaky
from tests.projections.test_projections_runner_positions import history, more_trainings, slot

LOGGER = "ledger.projections"


class Spy(Tally):
    """A tally that records every batch the runner opens: (generation, events applied). Its
    hooks use the transaction, as a projection with per-batch work would."""

    name: ClassVar[str] = "spy"

    def __init__(self) -> None:
        self.batches: list[tuple[int, int]] = []
        self._count = 0

    def start_batch(self, tx: Sql, tables: Tables) -> None:
        tx.scalar("SELECT 1")
        self._count = 0

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        self._count += 1
        super().process(tx, tables, event, notification)

    def finish_batch(self, tx: Sql, tables: Tables) -> None:
        tx.scalar("SELECT 1")
        self.batches.append((tables.generation, self._count))


class SpyV2(Spy):
    version: ClassVar[int] = 2


def built_twice(app: KinerjaLedger, spy: Spy) -> tuple[ProjectionRunner, list[int]]:
    """Generation 1 of the spy caught up by run_once, generation 2 rebuilt to the same position
    by hand and not switched in yet."""
    ids = history(app)
    runner = ProjectionRunner(app, [spy])
    runner.run_once()
    assert runner.start_rebuild("spy") == 2
    runner.process_batch([slot(runner, "spy", 2)], runner._read(0, 1_000))
    spy.batches.clear()
    return runner, ids


def generation_tables(app: KinerjaLedger) -> set[str]:
    with app.sql.transaction(write=False) as tx:
        if app.sql.dialect == "postgres":
            rows = tx.query(
                "SELECT table_name AS name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
        else:
            rows = tx.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(r["name"]) for r in rows if str(r["name"]).startswith("pj_")}


# ----------------------------------------------------------------------------- switches


def test_a_switch_at_equal_positions_opens_no_batch_and_says_so_in_the_log(
    app: KinerjaLedger, caplog: pytest.LogCaptureFixture
) -> None:
    """try_switch 52, 68 (a batch opened on the old or the new generation with nothing to
    apply), 112, 113 (the switched slot not marked active), 128-138 (the log line)."""
    spy = Spy()
    runner, ids = built_twice(app, spy)
    building = slot(runner, "spy", 2)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        report = runner.try_switch(building)
    assert report is not None
    assert (report.name, report.old_generation, report.new_generation, report.position) == (
        "spy",
        1,
        2,
        ids[-1],
    )
    assert report.diffs == [TableDiff("seen", 0, 0)]
    assert spy.batches == []
    assert building.active is True
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        (
            LOGGER,
            logging.INFO,
            f"projection spy: generation 2 active at position {ids[-1]} (0 rows differ from g1)",
        )
    ]


def test_a_switch_on_an_empty_log_and_the_report_handed_to_on_switch(app: KinerjaLedger) -> None:
    """max_position 3 (an empty log taken to end at 1: the rebuild is never caught up);
    try_switch 143 (on_switch given None)."""
    switched: list[SwitchReport] = []
    runner = ProjectionRunner(app, [Tally()], on_switch=switched.append)
    runner.setup()
    assert runner.max_position() == 0
    assert runner.start_rebuild("tally") == 2
    report = runner.try_switch(slot(runner, "tally", 2))
    assert report is not None
    assert (report.old_generation, report.new_generation, report.position) == (1, 2, 0)
    assert switched == [report]
    assert active_generations(app) == {"tally": 2}


def test_the_old_generations_tables_are_dropped_at_the_switch(app: KinerjaLedger) -> None:
    """_drop_generation 2 (the tables of generation None dropped instead)."""
    runner, _ = built_twice(app, Spy())
    assert generation_tables(app) == {"pj_spy_seen_g1", "pj_spy_seen_g2"}
    assert runner.try_switch(slot(runner, "spy", 2)) is not None
    assert generation_tables(app) == {"pj_spy_seen_g2"}


def test_a_switch_brings_the_new_generation_to_an_old_one_beyond_the_log(app: KinerjaLedger) -> None:
    """The old generation's tracking row is set past the last stored event by hand (the runner
    itself never writes such a position): the new generation is moved to it through an empty
    batch before the two are compared. try_switch 51, 69-76, 78, 79, 82."""
    spy = Spy()
    runner, ids = built_twice(app, spy)
    beyond = ids[-1] + 5
    with app.sql.transaction() as tx:
        tx.execute(f"UPDATE {POSITIONS_TABLE} SET position=? WHERE name='spy' AND generation=1", (beyond,))
    building = slot(runner, "spy", 2)
    report = runner.try_switch(building)
    assert report is not None
    assert (report.old_generation, report.new_generation, report.position) == (1, 2, beyond)
    assert report.diffs == [TableDiff("seen", 0, 0)]
    assert spy.batches == [(2, 0)]
    assert building.position == beyond
    assert positions(app) == {("spy", 2): beyond}


def test_a_stale_old_generation_is_compared_where_it_stopped(app: KinerjaLedger) -> None:
    """try_switch 51 (`or`: a generation built by other code brought level with this code)."""
    ids = history(app)
    ProjectionRunner(app, [Spy()], batch_size=2).run_once(max_batches=2)  # generation 1 at ids[3]
    spy = SpyV2()
    runner = ProjectionRunner(app, [spy], batch_size=100)
    runner.run_once()  # generation 2 built from 0 and switched in; generation 1 is stale
    report = runner.reports["spy"]
    assert (report.old_generation, report.new_generation, report.position) == (1, 2, ids[-1])
    assert [(d.table, d.only_old, d.only_new) for d in report.diffs] == [("seen", 0, len(ids) - 4)]
    assert spy.batches == [(2, len(ids))]


def test_a_switch_when_the_active_generations_tracking_row_is_gone(app: KinerjaLedger) -> None:
    """The row is deleted by hand: there is nothing to compare or drop, and no old generation
    to report. try_switch 48 (diffs None), 126 (the old generation reported all the same)."""
    runner, ids = built_twice(app, Spy())
    with app.sql.transaction() as tx:
        tx.execute(f"DELETE FROM {POSITIONS_TABLE} WHERE name='spy' AND generation=1")
    report = runner.try_switch(slot(runner, "spy", 2))
    assert report is not None
    assert (report.old_generation, report.new_generation, report.position, report.diffs) == (
        None,
        2,
        ids[-1],
        [],
    )
    assert report.differing_rows == 0
    assert active_generations(app) == {"spy": 2}
    assert positions(app) == {("spy", 2): ids[-1]}


class Two(Projection):
    """Two tables; version 2 adds a column to the first one."""

    name: ClassVar[str] = "two"
    version: ClassVar[int] = 1
    tables: ClassVar[Mapping[str, str]] = {"a": "position BIGINT NOT NULL", "b": "position BIGINT NOT NULL"}

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        for logical in ("a", "b"):
            tx.execute(f"INSERT INTO {tables[logical]} (position) VALUES (?)", (notification.id,))


class TwoV2(Two):
    version: ClassVar[int] = 2
    tables: ClassVar[Mapping[str, str]] = {
        "a": "position BIGINT NOT NULL, note TEXT",
        "b": "position BIGINT NOT NULL",
    }


def test_a_table_whose_columns_changed_is_reported_not_comparable_and_the_next_compared(
    app: KinerjaLedger,
) -> None:
    """_diff 25-36 (the not-comparable entry), 37 (`break`: the tables after it not compared)."""
    history(app)
    ProjectionRunner(app, [Two()]).run_once()
    runner = ProjectionRunner(app, [TwoV2()])
    runner.run_once()
    assert runner.reports["two"].diffs == [
        TableDiff("a", 0, 0, [], [], comparable=False),
        TableDiff("b", 0, 0, [], [], comparable=True),
    ]


# ----------------------------------------------------------------------------- failures and status


def test_a_failure_is_logged_with_its_slot_and_shown_in_status(
    app: KinerjaLedger, caplog: pytest.LogCaptureFixture
) -> None:
    """_fail 2-4, 9 (the log line); status 8, 16, 18 (the error left out of status), as of
    5a2489c; since 7dbc30b the failure names the event and status() reads it from the store."""
    ids = history(app)
    runner = ProjectionRunner(
        app, [Flaky(), Tally()], batch_size=3, failure_backoff=30.0, monotonic=lambda: 0.0
    )
    with caplog.at_level(logging.INFO, logger=LOGGER):
        runner.run_once()
    with app.sql.transaction(write=False) as tx:
        first = str(tx.scalar("SELECT event_id FROM rm_tally_seen WHERE position = ?", (ids[0],)))
    assert [(r.levelno, r.getMessage(), r.exc_info is not None) for r in caplog.records] == [
        (
            logging.WARNING,
            (
                "batch after position 0 failed as a whole (RuntimeError: disk on fire); "
                "applying it per projection"
            ),
            False,
        ),
        (logging.ERROR, f"projection flaky g1 failed at position {ids[0]} (event {first})", True),
    ]
    assert [s.as_dict() for s in runner.status()] == [
        {
            "name": "flaky",
            "generation": 1,
            "version": 1,
            "code_version": 1,
            "position": 0,
            "lag": len(ids),
            "active": True,
            "state": "failed",
            "error": "RuntimeError: disk on fire",
            "failed_position": ids[0],
            "failed_event_id": first,
        },
        {
            "name": "tally",
            "generation": 1,
            "version": 1,
            "code_version": 1,
            "position": ids[-1],
            "lag": 0,
            "active": True,
            "state": "active",
            "error": None,
            "failed_position": None,
            "failed_event_id": None,
        },
    ]


def test_a_version_bump_is_logged(app: KinerjaLedger, caplog: pytest.LogCaptureFixture) -> None:
    """setup 70, 75 (the log line of a version bump)."""
    history(app)
    ProjectionRunner(app, [Spy()]).run_once()
    with caplog.at_level(logging.INFO, logger=LOGGER):
        ProjectionRunner(app, [SpyV2()]).setup()
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.INFO, "projection spy: version 1 -> 2, rebuilding")
    ]


def test_a_stale_slot_under_a_name_filter_rereads_only_the_named_slots(app: KinerjaLedger) -> None:
    """run_once 35 (after a StaleSlot, slots outside `names` taken up again)."""
    ids = history(app)
    a = ProjectionRunner(app, [Tally(), Counter()], batch_size=2)
    b = ProjectionRunner(app, [Tally()], batch_size=2)
    moved: list[int] = []

    def b_moves_the_slot(_slot: object, _position: int, _count: int) -> None:
        if not moved:
            moved.append(b.run_once(max_batches=3))

    a.on_progress = b_moves_the_slot
    a.run_once(names=["tally"])
    assert moved == [6]
    assert positions(app) == {("counter", 1): 0, ("tally", 1): ids[-1]}


def test_run_once_counts_every_application_when_a_failing_projection_is_isolated(app: KinerjaLedger) -> None:
    """run_once 55 (`=` for `+=`: the last projection's count only)."""
    ids = history(app)
    runner = ProjectionRunner(
        app, [Flaky(), Tally(), Counter()], batch_size=100, failure_backoff=30.0, monotonic=lambda: 0.0
    )
    assert runner.run_once() == 2 * len(ids)
    assert positions(app) == {("counter", 1): ids[-1], ("flaky", 1): 0, ("tally", 1): ids[-1]}


class FailsOnce(ProjectionRunner):
    """Its first catch-up fails (a lost connection, say); the second stops the loop."""

    calls = 0

    def run_once(self, *, names: object = None, max_batches: int | None = None) -> int:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("store went away")
        self._stop.set()
        return 0


def test_a_failed_iteration_of_the_loop_is_logged_and_retried(
    app: KinerjaLedger, caplog: pytest.LogCaptureFixture
) -> None:
    """run_forever 5 (the log line)."""
    runner = FailsOnce(app, [Tally()], poll_interval=0.01)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        runner.run_forever()
    assert runner.calls == 2
    assert [(r.levelno, r.getMessage(), r.exc_info is not None) for r in caplog.records] == [
        (logging.ERROR, "projection runner iteration failed; retrying", True)
    ]


def test_the_background_runner_is_a_daemon_thread(app: KinerjaLedger) -> None:
    """start 10 (a thread that would keep the process alive after `ledger serve` exits)."""
    runner = ProjectionRunner(app, [Tally()], poll_interval=0.01)
    thread = runner.start()
    try:
        assert (thread.name, thread.daemon, thread.is_alive()) == ("projection-runner", True, True)
    finally:
        runner.stop()
    assert not thread.is_alive()


# ----------------------------------------------------------------------------- rebuild


def test_a_rebuild_drives_only_the_projection_it_rebuilds(app: KinerjaLedger) -> None:
    """rebuild 5 (run_once over every projection)."""
    ids = history(app)
    runner = ProjectionRunner(app, [Tally(), Counter()])
    report = runner.rebuild("tally")
    assert (report.new_generation, report.position) == (2, ids[-1])
    assert positions(app) == {("counter", 1): 0, ("tally", 2): ids[-1]}


def test_a_stopped_runner_refuses_to_rebuild(app: KinerjaLedger) -> None:
    """rebuild 4 (the error without its message)."""
    history(app)
    runner = ProjectionRunner(app, [Tally()])
    runner.stop()
    with pytest.raises(RuntimeError, match=r"^rebuild of tally stopped before it caught up$"):
        runner.rebuild("tally")


# ----------------------------------------------------------------------------- concurrency


def test_status_reads_while_another_connection_holds_the_write_lock(app: KinerjaLedger) -> None:
    """count_after 3 (a write transaction: status() would wait for every writer, up to the
    busy timeout)."""
    if app.sql.dialect != "sqlite":
        pytest.skip("PostgreSQL readers never wait for writers")
    ids = history(app)
    runner = ProjectionRunner(app, [Tally()])
    runner.run_once()
    holder = sqlite3.connect(app.settings.database_url.removeprefix("sqlite:///"), isolation_level=None)
    lags: list[list[int]] = []
    thread = threading.Thread(target=lambda: lags.append([s.lag for s in runner.status()]), daemon=True)
    try:
        holder.execute("BEGIN IMMEDIATE")
        thread.start()
        thread.join(5.0)
        assert lags == [[0]], "status() waited for the write lock"
    finally:
        holder.rollback()
        holder.close()
        thread.join(30.0)
    assert runner.count_after(0) == len(ids)


class Racing(ProjectionRunner):
    """Appends an event right after the switch has read the end of the log, as a writer that
    does not wait for the switch would (PostgreSQL)."""

    def max_position(self) -> int:
        end = super().max_position()
        if not getattr(self, "raced", False):
            self.raced = True
            more_trainings(self.app, 1, start=90)
        return end


def test_an_event_appended_during_a_switch_is_not_a_difference(pg_settings: Settings) -> None:
    """try_switch 62, 65 (the lagging old generation brought to the end of the log instead of
    to the new generation's position: it then holds an event the new one has not seen)."""
    app = KinerjaLedger(pg_settings)
    try:
        ids = history(app)
        ProjectionRunner(app, [Tally()], batch_size=2).run_once(max_batches=2)  # generation 1 at ids[3]
        runner = Racing(app, [Tally()])
        assert runner.start_rebuild("tally") == 2
        building = slot(runner, "tally", 2)
        runner.process_batch([building], runner._read(0, 1_000))
        report = runner.try_switch(building)
        assert report is not None
        assert (report.old_generation, report.position, report.diffs) == (
            1,
            ids[-1],
            [TableDiff("seen", 0, 0)],
        )
        assert positions(app) == {("tally", 2): ids[-1]}
        assert runner.count_after(ids[-1]) == 1  # the new event waits for the next batch
        runner.run_once()
        assert positions(app) == {("tally", 2): runner.max_position()}
    finally:
        app.close()


# ----------------------------------------------------------------------------- LISTEN (PostgreSQL)


def test_a_listening_runner_wakes_on_a_new_event_not_at_the_timeout(pg_settings: Settings) -> None:
    """_listen 15, 20 (LISTEN inside a transaction never committed: no notification arrives),
    40 (a successful LISTEN reported as failed)."""
    app = KinerjaLedger(pg_settings)
    runner = ProjectionRunner(app, [Tally()], notify_timeout=30.0)
    woke = threading.Event()
    try:
        assert runner._listen() is True

        def wait() -> None:
            runner._wait_for_events()
            woke.set()

        thread = threading.Thread(target=wait, daemon=True)
        thread.start()
        history(app, trainings=0)  # the recorder NOTIFYs the events channel on every insert
        assert woke.wait(10.0), "no notification woke the runner"
    finally:
        runner.stop()
        runner._close_listener()
        app.close()


def test_a_listening_runner_waits_the_whole_timeout_without_events(pg_settings: Settings) -> None:
    """_wait_for_events 10 (`remaining <= 1`: a timeout under a second not waited at all)."""
    app = KinerjaLedger(pg_settings)
    runner = ProjectionRunner(app, [Tally()], notify_timeout=0.6)
    try:
        assert runner._listen() is True
        start = time.monotonic()
        runner._wait_for_events()
        assert time.monotonic() - start >= 0.6
    finally:
        runner._close_listener()
        app.close()


def test_a_broken_listening_connection_is_logged_and_dropped(
    pg_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """_wait_for_events 25 (the warning without its traceback)."""
    app = KinerjaLedger(pg_settings)
    runner = ProjectionRunner(app, [Tally()], notify_timeout=5.0)
    try:
        assert runner._listen() is True
        runner._listen_conn.close()
        with caplog.at_level(logging.INFO, logger=LOGGER):
            runner._wait_for_events()
        assert [(r.levelno, r.getMessage(), r.exc_info is not None) for r in caplog.records] == [
            (logging.WARNING, "LISTEN connection failed; polling until it reconnects", True)
        ]
        assert runner._listen_conn is None
    finally:
        runner._close_listener()
        app.close()


def test_a_runner_that_cannot_listen_says_so_and_polls(
    pg_settings: Settings, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """_listen 30 (the warning without its traceback), 35 (its text)."""
    app = KinerjaLedger(pg_settings)
    runner = ProjectionRunner(app, [Tally()])

    def refused(*_args: object, **_kwargs: object) -> None:
        raise psycopg.OperationalError("connection refused")

    monkeypatch.setattr(psycopg, "connect", refused)
    try:
        with caplog.at_level(logging.INFO, logger=LOGGER):
            assert runner._listen() is False
        channel = app.recorder.channel_name  # type: ignore[attr-defined]
        assert [(r.levelno, r.getMessage(), r.exc_info is not None) for r in caplog.records] == [
            (logging.WARNING, f"cannot LISTEN on {channel}; polling", True)
        ]
        assert runner._listen_conn is None
    finally:
        app.close()

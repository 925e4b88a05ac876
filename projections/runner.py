"""The projection runner: catch-up over the notification log, on both stores.

The library's ProjectionRunner relies on subscriptions, which the SQLite store does not have, so
this runner tails ``recorder.select_notifications`` from each projection's tracking position:

- one loop for both stores: read up to ``batch_size`` notifications after the position (outside
  any write transaction, so the event store's writers are never blocked by our reads), decode
  each once, then apply them to every projection at that position in ONE write transaction that
  also advances their tracking rows (compare-and-set, so two runners on the same projection —
  e.g. ``ledger worker`` and a CLI rebuild — never apply a batch twice);
- when caught up it waits: on PostgreSQL for a NOTIFY on the events table's channel (the
  recorder notifies on every insert), with a timeout, because a notification can be lost
  (e.g. while the listening connection reconnects); on SQLite it polls.

A projection's generations are slots ``(name, generation)``; the runner drives the active one and
any generation being rebuilt, and switches a rebuilt generation in when it has caught up
(see ``projections.base`` for the table and view layout).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

import psycopg
from eventsourcing.persistence import Notification, PersistenceError

from ledger.application import KinerjaLedger
from ledger.domain.envelope import LedgerEvent
from ledger.sqlstore import Sql
from projections.base import (
    POSITIONS_TABLE,
    REGISTRY_TABLE,
    Projection,
    Tables,
    bookkeeping_sql,
    create_generation_sql,
    drop_generation_sql,
    physical_name,
    point_views_sql,
)
from projections.batching import BufferedSql
from projections.failures import (
    Failure,
    clear_failure,
    error_text,
    failures_sql,
    read_failures,
    record_failure,
)
from projections.switches import SwitchReport, TableDiff, find_switch, record_switch, switches_sql

log = logging.getLogger("ledger.projections")

DEFAULT_BATCH_SIZE = 500
SQLITE_POLL_S = 0.5
NOTIFY_TIMEOUT_S = 5.0
# A failing projection is left alone this long before its next try, so a persistent fault
# (a bug in process(), a full disk) neither spins the worker nor floods the log.
FAILURE_BACKOFF_S = 5.0
# Serialises DDL across processes on PostgreSQL (CREATE TABLE IF NOT EXISTS races otherwise).
_DDL_LOCK_KEY = 7_300_412_019
DIFF_SAMPLE = 5
# A projection that defers city-wide work (projections.deferral) does it at least this often
# while catching up, so a backlog that never ends does not keep those rows stale for ever.
SETTLE_EVERY = 250_000

Decoded = tuple[Notification, LedgerEvent]
ProgressFn = Callable[["Slot", int, int], None]  # (slot, new position, events in batch)


def _from_store(exc: BaseException) -> bool:
    """Raised by the database (possibly for a statement sent earlier: held inserts, pipeline)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, sqlite3.Error | psycopg.Error | PersistenceError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class StaleSlot(Exception):
    """Another runner moved this slot (or a switch removed it) since we read its position."""


@dataclass
class Slot:
    """One generation of one projection and how far it has got."""

    projection: Projection
    generation: int
    version: int
    position: int
    active: bool

    @property
    def name(self) -> str:
        return self.projection.name

    @property
    def tables(self) -> Tables:
        return Tables(self.name, list(self.projection.tables), self.generation)

    @property
    def stale(self) -> bool:
        """Built by another version of the code: frozen until its rebuild switches in."""
        return self.version != self.projection.version


@dataclass
class ProjectionStatus:
    name: str
    generation: int
    version: int
    code_version: int
    position: int
    lag: int
    active: bool
    error: str | None = None
    failed_position: int | None = None  # the notification it could not apply
    failed_event_id: str | None = None

    @property
    def state(self) -> str:
        """failed (whichever generation), else active or rebuilding."""
        if self.error is not None:
            return "failed"
        return "active" if self.active else "rebuilding"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "generation": self.generation,
            "version": self.version,
            "code_version": self.code_version,
            "position": self.position,
            "lag": self.lag,
            "active": self.active,
            "state": self.state,
            "error": self.error,
            "failed_position": self.failed_position,
            "failed_event_id": self.failed_event_id,
        }


class ProjectionRunner:
    """Keeps a set of projections up to date with the application's notification log."""

    def __init__(
        self,
        app: KinerjaLedger,
        projections: Sequence[Projection],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        poll_interval: float = SQLITE_POLL_S,
        notify_timeout: float = NOTIFY_TIMEOUT_S,
        on_progress: ProgressFn | None = None,
        on_switch: Callable[[SwitchReport], None] | None = None,
        failure_backoff: float = FAILURE_BACKOFF_S,
        monotonic: Callable[[], float] = time.monotonic,
        fast: bool = True,
        settle_every: int = SETTLE_EVERY,
    ) -> None:
        names = [p.name for p in projections]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate projection names in {names}")
        for p in projections:
            type(p).validate()
        self.app = app
        self.projections = {p.name: p for p in projections}
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.notify_timeout = notify_timeout
        self.on_progress = on_progress
        self.on_switch = on_switch
        self.failure_backoff = failure_backoff
        self.monotonic = monotonic  # the backoff's clock (tests pass a fake one)
        # Set-based writes and the PostgreSQL pipeline (process_batch); off: statement by
        # statement, the reference path the differential tests compare with.
        self.fast = fast
        self.settle_every = settle_every
        # (name, generation) -> events applied since its deferred work was last done; a slot
        # not in it may owe work from before this runner started (a crash), so it settles once.
        self._deferred: dict[tuple[str, int], int] = {}
        self.errors: dict[str, str] = {}
        # (name, generation) -> (position, event) being applied: where a failure happened (the
        # event, not its id: the id is only needed when something failed).
        self._attempt: dict[tuple[str, int], tuple[int, LedgerEvent | None]] = {}
        self.reports: dict[str, SwitchReport] = {}
        self._backoff_until: dict[tuple[str, int], float] = {}
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._listen_conn: Any = None
        self.is_postgres = app.sql.dialect == "postgres"
        self._ready = False

    # ------------------------------------------------------------------ setup

    @contextmanager
    def _ddl(self) -> Iterator[Sql]:
        with self.app.sql.transaction() as tx:
            if self.is_postgres:
                tx.execute("SELECT pg_advisory_xact_lock(?)", (_DDL_LOCK_KEY,))
            yield tx

    def setup(self) -> None:
        """Create bookkeeping and first generations; start a rebuild for changed versions."""
        with self._ddl() as tx:
            for statement in bookkeeping_sql(self.app.sql.type_bigint()):
                tx.execute(statement)
            tx.execute(failures_sql(self.app.sql.type_bigint()))
            tx.execute(switches_sql(self.app.sql.type_bigint()))
            for p in self.projections.values():
                row = tx.one(
                    f"SELECT active_generation, version FROM {REGISTRY_TABLE} WHERE name=?", (p.name,)
                )
                if row is None:
                    self._create_generation(tx, p, 1)
                    for statement in point_views_sql(p, 1):
                        tx.execute(statement)
                    tx.execute(
                        f"INSERT INTO {REGISTRY_TABLE} (name, active_generation, version) VALUES (?,?,?)",
                        (p.name, 1, p.version),
                    )
                    continue
                if row["version"] != p.version:
                    building = self._building_generations(tx, p.name, row["active_generation"])
                    if not any(b["version"] == p.version for b in building):
                        for b in building:
                            self._drop_generation(tx, p, b["generation"])
                        newest = max([row["active_generation"], *(b["generation"] for b in building)])
                        self._create_generation(tx, p, newest + 1)
                        log.info(
                            "projection %s: version %s -> %s, rebuilding", p.name, row["version"], p.version
                        )
        self._ready = True

    def _building_generations(self, tx: Sql, name: str, active: int) -> list[dict[str, Any]]:
        return tx.query(
            f"SELECT generation, version, position FROM {POSITIONS_TABLE} WHERE name=? AND generation<>? "
            "ORDER BY generation",
            (name, active),
        )

    def _create_generation(self, tx: Sql, p: Projection, generation: int) -> None:
        for statement in drop_generation_sql(p, generation, cascade=self.is_postgres) + create_generation_sql(
            p, generation
        ):
            tx.execute(statement)
        tx.execute(
            f"INSERT INTO {POSITIONS_TABLE} (name, generation, version, position) VALUES (?,?,?,?)",
            (p.name, generation, p.version, 0),
        )
        clear_failure(tx, p.name, generation)

    def _drop_generation(self, tx: Sql, p: Projection, generation: int) -> None:
        for statement in drop_generation_sql(p, generation):
            tx.execute(statement)
        tx.execute(f"DELETE FROM {POSITIONS_TABLE} WHERE name=? AND generation=?", (p.name, generation))
        clear_failure(tx, p.name, generation)

    def start_rebuild(self, name: str) -> int:
        """Create a fresh generation of `name` at position 0 (dropping an unfinished one)."""
        if not self._ready:
            self.setup()
        p = self.projections[name]
        with self._ddl() as tx:
            active = tx.scalar(f"SELECT active_generation FROM {REGISTRY_TABLE} WHERE name=?", (name,))
            building = self._building_generations(tx, name, active)
            for b in building:
                self._drop_generation(tx, p, b["generation"])
            generation = max([active, *(b["generation"] for b in building)]) + 1
            self._create_generation(tx, p, generation)
        return int(generation)

    # ------------------------------------------------------------------ slots

    def slots(self) -> list[Slot]:
        if not self._ready:
            self.setup()
        with self.app.sql.transaction(write=False) as tx:
            registry = {
                r["name"]: r["active_generation"]
                for r in tx.query(f"SELECT name, active_generation FROM {REGISTRY_TABLE}")
            }
            rows = tx.query(
                f"SELECT name, generation, version, position FROM {POSITIONS_TABLE} ORDER BY name, generation"
            )
        return [
            Slot(
                self.projections[r["name"]],
                r["generation"],
                r["version"],
                int(r["position"]),
                registry.get(r["name"]) == r["generation"],
            )
            for r in rows
            if r["name"] in self.projections
        ]

    def max_position(self) -> int:
        return int(self.app.recorder.max_notification_id() or 0)

    def count_after(self, position: int) -> int:
        table = self.app.recorder.events_table_name  # type: ignore[attr-defined]
        with self.app.sql.transaction(write=False) as tx:
            return int(tx.scalar(f"SELECT COUNT(*) FROM {table} WHERE notification_id > ?", (position,)) or 0)

    def status(self) -> list[ProjectionStatus]:
        """Every slot, with the failure recorded in the store by whichever runner drives it."""
        slots = self.slots()
        failed = {(f.name, f.generation): f for f in read_failures(self.app.sql)}
        out = []
        for s in slots:
            f = failed.get((s.name, s.generation))
            out.append(
                ProjectionStatus(
                    s.name,
                    s.generation,
                    s.version,
                    s.projection.version,
                    s.position,
                    self.count_after(s.position),
                    s.active,
                    f.error if f else None,
                    f.position if f else None,
                    f.event_id if f else None,
                )
            )
        return out

    # ------------------------------------------------------------------ processing

    def _read(self, position: int, limit: int, stop: int | None = None) -> list[Decoded]:
        notifications = self.app.recorder.select_notifications(
            position, limit, stop=stop, inclusive_of_start=False
        )
        decoded: list[Decoded] = []
        for n in notifications:
            event = self.app.mapper.to_domain_event(n)
            assert isinstance(event, LedgerEvent), f"unexpected event type {type(event)}"
            decoded.append((n, event))
        return decoded

    def _lock_position(self, tx: Sql, slot: Slot) -> int | None:
        lock = " FOR UPDATE" if self.is_postgres else ""
        value = tx.scalar(
            f"SELECT position FROM {POSITIONS_TABLE} WHERE name=? AND generation=?{lock}",
            (slot.name, slot.generation),
        )
        return None if value is None else int(value)

    def _apply(self, tx: Sql, slot: Slot, events: Sequence[Decoded], catching_up: bool = False) -> None:
        tables = slot.tables
        p = slot.projection
        key = (slot.name, slot.generation)
        p.catching_up = catching_up  # the caller decided it (_may_defer); False when settling
        # Where a failure happens: the event being processed, else the batch from its first event.
        batch = (events[0][0].id, None) if events else (slot.position + 1, None)
        self._attempt[key] = batch
        p.start_batch(tx, tables)
        for notification, event in events:
            self._attempt[key] = (notification.id, event)
            p.process(tx, tables, event, notification)
        self._attempt[key] = batch
        p.finish_batch(tx, tables)
        if isinstance(tx, BufferedSql):
            tx.flush()
        self._attempt.pop(key, None)

    def process_batch(
        self,
        slots: Sequence[Slot],
        events: Sequence[Decoded],
        *,
        fast: bool = True,
        catching_up: bool = False,
    ) -> None:
        """Apply `events` to every slot (all at the same position) in one transaction.

        `fast` (the default) writes set-based: plain inserts are held back and written with one
        executemany per table (``projections.batching``), and on PostgreSQL the transaction is
        pipelined (statements go out without waiting for each answer). A failure may then
        surface after the statement that caused it, so the runner applies a failed batch again
        with `fast` off before it records where the failure happened.

        `catching_up`: more events follow, so a projection that defers city-wide work may put
        it off (projections.deferral), unless it has put it off for `settle_every` events.
        """
        if not events:
            return
        end = events[-1][0].id
        with self.app.sql.transaction(pipeline=fast and self.is_postgres) as tx:
            for slot in slots:
                if self._lock_position(tx, slot) != slot.position:
                    raise StaleSlot(f"{slot.name} g{slot.generation}")
            deferring = [self._may_defer(slot, len(events)) if catching_up else False for slot in slots]
            for slot, defer in zip(slots, deferring, strict=True):
                self._apply(BufferedSql(tx) if fast else tx, slot, events, defer)
                tx.execute(
                    f"UPDATE {POSITIONS_TABLE} SET position=? WHERE name=? AND generation=?",
                    (end, slot.name, slot.generation),
                )
                clear_failure(tx, slot.name, slot.generation, up_to=end)
        for slot, defer in zip(slots, deferring, strict=True):
            slot.position = end
            key = (slot.name, slot.generation)
            self._deferred[key] = self._deferred.get(key, 0) + len(events) if defer else 0
            if self.on_progress:
                self.on_progress(slot, end, len(events))

    def run_once(self, *, names: Sequence[str] | None = None, max_batches: int | None = None) -> int:
        """Catch every slot up to the end of the log (or `max_batches` batches).

        Returns the number of (slot, event) applications done. Slots at the same position share
        one read, one decode and one transaction per batch.
        """
        done = 0
        batches = 0
        switched = True
        while switched:
            switched = False
            slots = [s for s in self.slots() if (names is None or s.name in names) and self._runnable(s)]
            while slots:
                if (max_batches is not None and batches >= max_batches) or self._stop.is_set():
                    return done
                low = min(s.position for s in slots)
                group = [s for s in slots if s.position == low]
                events = self._read(low, self.batch_size)
                if not events:
                    # The lowest group is caught up; so is every other (they are ahead of it).
                    self._settle_all(slots)
                    break
                # A full batch: more events follow, so city-wide work may wait (deferral).
                catching_up = len(events) == self.batch_size
                try:
                    self.process_batch(group, events, fast=self.fast, catching_up=catching_up)
                except StaleSlot:
                    slots = [
                        s for s in self.slots() if (names is None or s.name in names) and self._runnable(s)
                    ]
                    continue
                except Exception as exc:
                    if len(group) == 1 and not (self.fast and _from_store(exc)):
                        # Raised by the projection's own code, where it happened: recorded as is.
                        self._fail(group[0], exc)
                        slots = [s for s in slots if s is not group[0]]
                        continue
                    # Isolate the failing projection: each goes on alone, statement by statement,
                    # so a failure the fast path met late is recorded at the event that caused it.
                    # Said in the log: a fast path that fails for no projection's fault (a driver
                    # problem) would otherwise only show as a slow catch-up.
                    log.warning(
                        "batch after position %s failed as a whole (%s); applying it per projection",
                        low,
                        error_text(exc)[:200],
                    )
                    failed: list[Slot] = []
                    for slot in group:
                        try:
                            self.process_batch([slot], events, fast=False, catching_up=catching_up)
                            done += len(events)
                        except StaleSlot:
                            pass
                        except Exception as inner:
                            self._fail(slot, inner)
                            failed.append(slot)
                    slots = [s for s in slots if self._runnable(s) and not any(s is f for f in failed)]
                    continue
                done += len(events) * len(group)
                batches += 1
                for slot in group:
                    self.errors.pop(slot.name, None)
            for slot in self.slots():
                if (names is None or slot.name in names) and not slot.active and not slot.stale:
                    report = self.try_switch(slot)
                    if report is not None:
                        switched = True
        return done

    def _settle_all(self, slots: Sequence[Slot]) -> None:
        for slot in slots:
            try:
                self.settle(slot)
            except StaleSlot:
                continue  # another runner moved it on; it settles there
            except Exception as exc:
                self._fail(slot, exc)

    def _may_defer(self, slot: Slot, events: int) -> bool:
        owed = self._deferred.get((slot.name, slot.generation), 0)
        return slot.projection.defers and owed + events < self.settle_every

    def settle(self, slot: Slot) -> None:
        """Do the work a deferring projection put off (projections.deferral): its finish step
        with no events, in a transaction of its own that leaves the position where it is."""
        key = (slot.name, slot.generation)
        if not slot.projection.defers or self._deferred.get(key) == 0:
            return
        with self.app.sql.transaction() as tx:
            if self._lock_position(tx, slot) != slot.position:
                raise StaleSlot(f"{slot.name} g{slot.generation}")
            self._apply(tx, slot, [])
        self._deferred[key] = 0

    def _runnable(self, slot: Slot) -> bool:
        if slot.stale:
            return False
        until = self._backoff_until.get((slot.name, slot.generation))
        return until is None or self.monotonic() >= until

    def _fail(self, slot: Slot, exc: Exception) -> None:
        key = (slot.name, slot.generation)
        position, event = self._attempt.pop(key, (slot.position + 1, None))
        event_id = None if event is None else event.event_id
        log.exception(
            "projection %s g%s failed at position %s (event %s)",
            *(slot.name, slot.generation, position, event_id),
        )
        self.errors[slot.name] = f"{type(exc).__name__}: {exc}"
        self._backoff_until[key] = self.monotonic() + self.failure_backoff
        failure = Failure(slot.name, slot.generation, position, event_id, error_text(exc))
        try:
            with self.app.sql.transaction() as tx:
                record_failure(tx, failure)
        except Exception:  # the store itself may be what failed; the next try records it again
            log.warning("projection %s: could not record its failure", slot.name, exc_info=True)

    # ------------------------------------------------------------------ blue/green switch

    def try_switch(self, building: Slot) -> SwitchReport | None:
        """Make a caught-up rebuilt generation the active one, in one transaction."""
        p = building.projection
        with self._ddl() as tx:
            registry = tx.one(
                f"SELECT active_generation, version FROM {REGISTRY_TABLE} WHERE name=?"
                + (" FOR UPDATE" if self.is_postgres else ""),
                (p.name,),
            )
            assert registry is not None
            old_generation = int(registry["active_generation"])
            if old_generation == building.generation:
                return None
            # Lock in (name, generation) order, as process_batch does, so runners cannot deadlock.
            old = Slot(p, old_generation, int(registry["version"]), 0, True)
            old_position = self._lock_position(tx, old)
            new_position = self._lock_position(tx, building)
            if new_position is None:
                return None
            building.position = new_position
            if new_position < self.max_position():
                return None  # not caught up yet
            diffs: list[TableDiff] = []
            if old_position is not None:
                old.position = old_position
                # Compare like with like: bring the lagging side to the other's position first
                # (the old generation only when the same code built it).
                if old.position < building.position and not old.stale:
                    self._apply(tx, old, self._read(old.position, 1_000_000_000, stop=building.position))
                    old.position = building.position
                elif old.position > building.position:
                    self._apply(tx, building, self._read(building.position, 1_000_000_000, stop=old.position))
                    building.position = old.position
                diffs = self._diff(tx, p, old.generation, building.generation)
            for statement in point_views_sql(p, building.generation):
                tx.execute(statement)
            tx.execute(
                f"UPDATE {REGISTRY_TABLE} SET active_generation=?, version=? WHERE name=?",
                (building.generation, building.version, p.name),
            )
            tx.execute(
                f"UPDATE {POSITIONS_TABLE} SET position=? WHERE name=? AND generation=?",
                (building.position, p.name, building.generation),
            )
            if old_position is not None:
                self._drop_generation(tx, p, old.generation)
            report = SwitchReport(
                p.name,
                old_generation if old_position is not None else None,
                building.generation,
                building.position,
                diffs,
            )
            record_switch(tx, report)
        building.active = True
        log.info(
            "projection %s: generation %s active at position %s (%s rows differ from g%s)",
            p.name,
            building.generation,
            building.position,
            report.differing_rows,
            old_generation,
        )
        self.reports[p.name] = report
        if self.on_switch:
            self.on_switch(report)
        return report

    def _diff(self, tx: Sql, p: Projection, old: int, new: int) -> list[TableDiff]:
        diffs = []
        for logical in p.tables:
            a, b = physical_name(p.name, logical, old), physical_name(p.name, logical, new)
            cols_a, cols_b = self._columns(tx, a), self._columns(tx, b)
            if cols_a != cols_b:
                diffs.append(TableDiff(logical, 0, 0, comparable=False))
                continue
            cols = ", ".join(cols_a)
            only_old = f"SELECT {cols} FROM {a} EXCEPT SELECT {cols} FROM {b}"
            only_new = f"SELECT {cols} FROM {b} EXCEPT SELECT {cols} FROM {a}"
            n_old = int(tx.scalar(f"SELECT COUNT(*) FROM ({only_old}) d") or 0)
            n_new = int(tx.scalar(f"SELECT COUNT(*) FROM ({only_new}) d") or 0)
            diffs.append(
                TableDiff(
                    logical,
                    n_old,
                    n_new,
                    tx.query(f"{only_old} LIMIT {DIFF_SAMPLE}") if n_old else [],
                    tx.query(f"{only_new} LIMIT {DIFF_SAMPLE}") if n_new else [],
                )
            )
        return diffs

    def _columns(self, tx: Sql, table: str) -> list[str]:
        if self.is_postgres:
            rows = tx.query(
                "SELECT column_name AS name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                (table,),
            )
        else:
            rows = tx.query(f"SELECT name FROM pragma_table_info('{table}') ORDER BY cid")
        return [r["name"] for r in rows]

    # ------------------------------------------------------------------ rebuild (CLI)

    def rebuild(self, name: str) -> SwitchReport:
        """Build a new generation of `name` from position 0 and switch it in when caught up.

        The active generation is driven too (compare-and-set makes that safe next to a running
        worker), so that at the switch both stand at the same position and the report of
        differing rows compares like with like.
        """
        generation = self.start_rebuild(name)
        while True:
            if self._stop.is_set():
                raise RuntimeError(f"rebuild of {name} stopped before it caught up")
            self.run_once(names=[name])
            report = self.reports.get(name)
            if report is not None and report.new_generation == generation:
                return report
            slot = next((s for s in self.slots() if s.name == name and s.generation == generation), None)
            if slot is None or slot.active:
                # Another runner switched it in (its comparison is in the store) or replaced it.
                with self.app.sql.transaction(write=False) as tx:
                    switched = find_switch(tx, name, generation)
                if switched is None:
                    raise RuntimeError(f"generation {generation} of {name} was taken over by another runner")
                self.reports[name] = switched
                return switched
            if (slot.name, slot.generation) in self._backoff_until:
                raise RuntimeError(f"rebuilding {name} failed: {self.errors.get(name)}")

    # ------------------------------------------------------------------ loop

    def run_forever(self) -> None:
        """Catch up, wait for new events, repeat, until stop() is called."""
        if not self._ready:
            self.setup()
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("projection runner iteration failed; retrying")
                self._stop.wait(1.0)
                continue
            self._wait_for_events()
        self._close_listener()

    def _wait_for_events(self) -> None:
        if self.is_postgres and self._listen():
            deadline = time.monotonic() + self.notify_timeout
            try:
                while not self._stop.is_set() and not self._wake.is_set():
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return
                    # Any notification will do: the catch-up reads the log itself. Those that
                    # queued up while we were busy only cause one more (cheap) empty catch-up.
                    if list(self._listen_conn.notifies(timeout=min(remaining, 0.5), stop_after=1)):
                        return
            except Exception:
                log.warning("LISTEN connection failed; polling until it reconnects", exc_info=True)
                self._close_listener()
            finally:
                self._wake.clear()
            return
        self._wake.wait(self.poll_interval)
        self._wake.clear()

    def _listen(self) -> bool:
        if self._listen_conn is not None:
            return True
        channel = getattr(self.app.recorder, "channel_name", None)
        if channel is None:
            return False
        try:
            import psycopg
            from psycopg import sql

            conn = psycopg.connect(self.app.settings.libpq_url, autocommit=True, connect_timeout=10)
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
        except Exception:
            log.warning("cannot LISTEN on %s; polling", channel, exc_info=True)
            return False
        self._listen_conn = conn
        return True

    def _close_listener(self) -> None:
        if self._listen_conn is not None:
            with suppress(Exception):
                self._listen_conn.close()
            self._listen_conn = None

    def wake(self) -> None:
        """Ask a waiting runner to look for new events now (e.g. after an in-process command)."""
        self._wake.set()

    def start(self) -> threading.Thread:
        """Run in a daemon thread (the embedded `ledger serve`)."""
        self.setup()
        self._stop.clear()
        self._thread = threading.Thread(target=self.run_forever, name="projection-runner", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

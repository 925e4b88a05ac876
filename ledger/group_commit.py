"""Group commit: the commands of concurrent requests written in one transaction.

Each command still decides alone (loads its aggregates, applies the rules) in its own thread; it
then hands its stored events and its Idempotency-Key row to the one writer thread and waits. The
writer takes everything queued while it was busy and writes it in one transaction (one table
lock, one NOTIFY, one commit and its fsync, instead of one each per command). A command is
answered only after that commit. Each command stays all or nothing and fails alone: commands of
one group that would collide (the same stream version, the same Idempotency-Key) are refused
before the write, each alone; when the group's write fails anyway, each of its commands is
written again in its own transaction, and only those that fail there get the error.

Written by hand: eventsourcing writes one `save` per transaction and has no such queue.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, IntegrityError, StoredEvent

from ledger.persistence import IdempotencyRecord

MAX_GROUP = 256  # commands per transaction at most (bounds one transaction's size and lock time)


@dataclass
class _Command:
    events: Sequence[StoredEvent]
    record: IdempotencyRecord | None
    done: threading.Event = field(default_factory=threading.Event)
    ids: list[int] = field(default_factory=list)
    error: BaseException | None = None

    def finish(self, ids: Sequence[int] | None = None, error: BaseException | None = None) -> None:
        self.ids, self.error = list(ids or []), error
        self.done.set()


class GroupCommitter:
    """The one writer thread of an application (started on first use, stopped by `close`)."""

    def __init__(self, recorder: ApplicationRecorder, max_group: int = MAX_GROUP) -> None:
        self.recorder = recorder
        self.max_group = max_group
        self._queue: list[_Command] = []
        self._lock = threading.Condition()
        self._closed = False
        self._thread: threading.Thread | None = None
        self.groups = 0  # transactions written (for tests and metrics)

    def commit(self, events: Sequence[StoredEvent], record: IdempotencyRecord | None) -> list[int]:
        """Write one command's events (and key) in the next group; its notification ids, in order.
        Raises the command's own error (IntegrityError when it collides) after nothing of it was
        written."""
        command = _Command(events, record)
        with self._lock:
            if self._closed:
                raise RuntimeError("the application is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="ledger-group-commit", daemon=True)
                self._thread.start()
            self._queue.append(command)
            self._lock.notify()
        command.done.wait()
        if command.error is not None:
            raise command.error
        return command.ids

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify()
            thread = self._thread
        if thread is not None:
            thread.join(30)

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._closed:
                    self._lock.wait()
                if not self._queue:
                    return
                group, self._queue = self._queue[: self.max_group], self._queue[self.max_group :]
            self._write(group)

    def _write(self, group: list[_Command]) -> None:
        fit = self._refuse_collisions(group)
        if len(fit) == 1:
            self._write_alone(fit[0])
            return
        try:
            ids = self._insert([e for c in fit for e in c.events], [c.record for c in fit if c.record])
        except Exception:
            for command in fit:
                self._write_alone(command)
            return
        start = 0
        for command in fit:
            command.finish(ids[start : start + len(command.events)])
            start += len(command.events)
        self.groups += 1

    def _refuse_collisions(self, group: list[_Command]) -> list[_Command]:
        """Commands that would collide with an earlier one of the group fail now, alone (as they
        would when written one after the other)."""
        versions: set[tuple[Any, int]] = set()
        keys: set[str] = set()
        fit = []
        for command in group:
            mine = {(e.originator_id, e.originator_version) for e in command.events}
            key = command.record.key if command.record else None
            if mine & versions or (key is not None and key in keys):
                command.finish(error=IntegrityError("another command of the group wrote this first"))
                continue
            versions |= mine
            if key is not None:
                keys.add(key)
            fit.append(command)
        return fit

    def _write_alone(self, command: _Command) -> None:
        try:
            ids = self._insert(list(command.events), [command.record] if command.record else [])
        except BaseException as exc:
            command.finish(error=exc)
            return
        command.finish(ids)
        self.groups += 1

    def _insert(self, events: list[StoredEvent], records: list[IdempotencyRecord]) -> list[int]:
        ids = self.recorder.insert_events(events, idempotency_records=records)
        assert ids is not None and len(ids) == len(events)
        return list(ids)

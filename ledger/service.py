"""The application service's machinery: one eventsourcing Application per process; a command
runs as one transaction (all its events, its idempotency record) or not at all.

A rejected command raises a LedgerError before anything is saved, so the store is untouched.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProjectorFunction,
    project_aggregate,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Mapper, StoredEvent, Transcoding

from ledger.batching import Batch
from ledger.clock import utc_now, wib_date
from ledger.config import Settings
from ledger.decimals import plain_text
from ledger.domain.agency import Agency
from ledger.domain.employee import Employee
from ledger.domain.envelope import Actor, Envelope, LedgerAggregate, LedgerEvent
from ledger.domain.program import Program
from ledger.domain.service_unit import ServiceUnit
from ledger.domain.timeline import Timeline
from ledger.errors import AlreadyRegistered, Conflict, IdempotencyMismatch, NotFound, PreconditionFailed
from ledger.group_commit import GroupCommitter
from ledger.nip import stream_id
from ledger.persistence import (
    IdempotencyRecord,
    LedgerPostgresRecorder,
    LedgerSQLiteRecorder,
    StreamEntry,
)
from ledger.sqlstore import SqlStore

A = TypeVar("A", bound=LedgerAggregate)

SYSTEM = Actor(sub="system", role="system")
CONFLICT_RETRIES = 5  # an append-only command decided again after another wrote its record first


class LedgerMapper(Mapper[UUID]):
    """The library's mapper, reading the decimal fields of old events as plain digits.

    Events are immutable: an event stored with `hours_jp` "2E+1" (before decimals were stored as
    plain digits) keeps its bytes, and with them its audit leaf; every reader (aggregates,
    projections, the inspectorate, the history views) decodes it as "20"."""

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        event = super().to_domain_event(stored_event)
        if isinstance(event, LedgerEvent):
            state = event.__dict__
            for name in event.decimal_fields:
                if isinstance(state.get(name), str):
                    state[name] = plain_text(state[name])
        return event


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


@dataclass(frozen=True)
class CommandContext:
    """Who asks, and the HTTP-level guarantees they asked for."""

    actor: Actor
    correlation_id: str = field(default_factory=lambda: str(uuid4()))
    idempotency_key: str | None = None
    fingerprint: str | None = None
    expected_version: int | None = None  # If-Match


@dataclass(frozen=True)
class CommandResult:
    event_id: str
    position: int
    version: int
    extra: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False  # True when an Idempotency-Key repeat returned the first answer
    appended: int = 0  # events this command wrote (0 on a replay); the API's metrics count them

    def as_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "position": self.position, "version": self.version, **self.extra}


@dataclass
class Pending:
    """What a command wants to write: the aggregates and the event that answers for it."""

    aggregates: list[LedgerAggregate]
    primary: str  # event_id
    extra: dict[str, Any] = field(default_factory=dict)


class LedgerService(Application[UUID]):
    """Loading, saving, idempotency and If-Match: what every command of the ledger shares."""

    def __init__(
        self,
        settings: Settings | None = None,
        env: dict[str, str] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings or Settings.from_env()
        merged = self.settings.eventsourcing_env()
        merged.update(env or {})
        super().__init__(env=merged)
        self.clock = clock
        # Where unguessable codes (complaint tracking codes) come from; the demo sets a seeded
        # source so that its history is the same on every run.
        self.random_bytes: Callable[[int], bytes] = secrets.token_bytes
        self.sql = SqlStore(self.factory.datastore)  # type: ignore[attr-defined]
        self.batch: Batch | None = None  # open while commands are staged (the bulk import)
        self.committer: GroupCommitter | None = None  # set by enable_group_commit (the HTTP service)

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=LedgerMapper)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    @property
    def ledger_recorder(self) -> LedgerSQLiteRecorder | LedgerPostgresRecorder:
        assert isinstance(self.recorder, LedgerSQLiteRecorder | LedgerPostgresRecorder)
        return self.recorder

    # ----------------------------------------------------------------------- plumbing

    def today(self) -> date:
        return wib_date(self.clock())

    def envelope(self, ctx: CommandContext, effective: date | None = None, **extra: Any) -> Envelope:
        now = self.clock()
        return Envelope(
            recorded_at=now,
            effective_date=effective or wib_date(now),
            recorded_by=ctx.actor,
            correlation_id=ctx.correlation_id,
            **extra,
        )

    def _execute(
        self, ctx: CommandContext, build: Callable[[], Pending], *, append_only: bool = False
    ) -> CommandResult:
        """Run `build` (load, decide) and write what it decided, all or nothing.

        `append_only`: the command only appends, and whether it may does not depend on the
        version its aggregate was at (a training, a feedback, a survey); when another command
        wrote the same record first, it is decided again on the new state instead of answering
        409 (unless the caller pinned a version with If-Match)."""
        if ctx.idempotency_key:
            prior = self._replay(ctx)
            if prior is not None:
                return prior
        attempts = CONFLICT_RETRIES + 1 if append_only and ctx.expected_version is None else 1
        for _ in range(attempts):
            pending = build()
            originator, version = _split_event_id(pending.primary)
            response = {"event_id": pending.primary, "version": version, **pending.extra}
            record = None
            if ctx.idempotency_key:
                record = IdempotencyRecord(
                    ctx.idempotency_key, ctx.fingerprint or "", response, originator, version
                )
            if self.batch is not None:
                staged = self._stage(self.batch, pending, record)
                # The position is the store's to give, at the write; a staged command has none yet.
                return CommandResult(pending.primary, 0, version, pending.extra, appended=staged)
            try:
                position, appended = self._write(pending, record, originator, version)
            except IntegrityError:
                if ctx.idempotency_key:
                    prior = self._replay(ctx)
                    if prior is not None:
                        return prior
                continue
            return CommandResult(pending.primary, position, version, pending.extra, appended=appended)
        raise Conflict("another command changed this record first; reload and retry")

    def _write(
        self, pending: Pending, record: IdempotencyRecord | None, originator: UUID, version: int
    ) -> tuple[int, int]:
        """Write one command's events: (position of its primary event, events written)."""
        if self.committer is None:
            recordings = self.save(*pending.aggregates, idempotency=record)
            position = next(
                r.notification.id
                for r in recordings
                if r.notification.originator_id == originator and r.notification.originator_version == version
            )
            return position, len(recordings)
        events = []
        snapshots = []
        for aggregate in pending.aggregates:
            interval = self.snapshotting_intervals.get(type(aggregate))
            for event in aggregate.collect_events():
                events.append(event)
                if interval is not None and event.originator_version % interval == 0:
                    snapshots.append((event.originator_id, event.originator_version))
        ids = self.committer.commit([self.mapper.to_stored_event(e) for e in events], record)
        for aggregate_id, snapshot_version in snapshots:
            self.take_snapshot(aggregate_id, snapshot_version)
        position = next(
            i
            for i, e in zip(ids, events, strict=True)
            if e.originator_id == originator and e.originator_version == version
        )
        return position, len(ids)

    def take_snapshot(
        self,
        aggregate_id: UUID,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] = project_aggregate,
    ) -> None:
        """As the library's, except that an employee loaded without a whole timeline (from a
        snapshot taken before timelines were kept, ledger/domain/timeline.py) is folded again
        from its first event: from this snapshot on, its time travel starts from snapshots."""
        aggregate: Any = self.repository.get(aggregate_id, version=version, projector_func=projector_func)
        if isinstance(aggregate, Employee) and Timeline.of_state(vars(aggregate), aggregate.version) is None:
            aggregate = projector_func(None, self.events.get(aggregate_id, lte=aggregate.version))
        snapshot_class = getattr(type(aggregate), "Snapshot", type(self).snapshot_class)
        assert self.snapshots is not None and aggregate is not None and snapshot_class is not None
        self.snapshots.put([snapshot_class.take(aggregate)])

    def enable_group_commit(self) -> None:
        """Write concurrent commands in shared transactions (ledger.group_commit); the HTTP
        service does, one-at-a-time callers (CLI, import, worker) need not."""
        if self.committer is None:
            self.committer = GroupCommitter(self.recorder)

    def close(self) -> None:
        if self.committer is not None:
            self.committer.close()
        super().close()

    def _replay(self, ctx: CommandContext) -> CommandResult | None:
        assert ctx.idempotency_key
        if self.batch is not None:
            found = self.batch.known.get(ctx.idempotency_key)
        else:
            found = self.ledger_recorder.find_idempotency(ctx.idempotency_key)
        if found is None:
            return None
        fingerprint, response, position = found
        if fingerprint != (ctx.fingerprint or ""):
            raise IdempotencyMismatch("this Idempotency-Key was already used for a different request")
        response = dict(response)
        event_id, version = response.pop("event_id"), response.pop("version")
        return CommandResult(event_id, position, version, response, replayed=True)

    def _find(self, kind: type[A], key: str, version: int | None = None) -> A | None:
        """The aggregate (as of `version`), or None when its stream does not exist."""
        if self.batch is not None and version is None:
            return self._batched(kind, kind.create_id(key), self.batch)
        try:
            agg: object = self.repository.get(kind.create_id(key), version=version)  # type: ignore[call-arg]
        except AggregateNotFoundError:
            return None
        assert isinstance(agg, kind)
        return agg

    def _batched(self, kind: type[A], aggregate_id: UUID, batch: Batch) -> A | None:
        """From the batch's cache (with what is staged), else from the store into the cache."""
        agg: object = batch.cached(aggregate_id)
        if agg is None:
            try:
                agg = self.repository.get(aggregate_id)
            except AggregateNotFoundError:
                return None
            assert isinstance(agg, kind)
            batch.remember(agg)
        assert isinstance(agg, kind)
        return agg

    def _get(self, kind: type[A], key: str, what: str, version: int | None = None) -> A:
        agg = self._find(kind, key, version)
        if agg is None:
            raise NotFound(f"unknown {what} {key}")
        return agg

    def _aggregate(self, aggregate_id: UUID) -> object:
        """Any aggregate by its id (AggregateNotFoundError when none); while a batch is open, as
        the batch has it (with what it staged)."""
        if self.batch is None:
            return self.repository.get(aggregate_id)
        found = self.batch.cached(aggregate_id)
        if found is None:
            found = self.repository.get(aggregate_id)
            assert isinstance(found, LedgerAggregate)
            self.batch.remember(found)
        return found

    def _load(self, kind: type[A], aggregate_id: UUID) -> A:
        if self.batch is not None:
            found = self._batched(kind, aggregate_id, self.batch)
            if found is None:
                raise AggregateNotFoundError(aggregate_id)
            return found
        agg: object = self.repository.get(aggregate_id)
        assert isinstance(agg, kind)
        return agg

    def _unique(self, kind: type[LedgerAggregate], key: str, detail: str) -> None:
        if self._exists(kind, key):
            raise AlreadyRegistered(detail)

    def _exists(self, kind: type[LedgerAggregate], key: str) -> bool:
        if self.batch is not None and self.batch.cached(kind.create_id(key)) is not None:
            return True
        return next(iter(self.events.get(kind.create_id(key), limit=1)), None) is not None  # type: ignore[call-arg]

    # ----------------------------------------------------------------------- staging

    @contextmanager
    def batching(self, batch: Batch) -> Iterator[Batch]:
        """Stage commands in `batch` instead of writing each (ledger.batching)."""
        assert self.batch is None, "one batch at a time"
        self.batch = batch
        try:
            yield batch
        finally:
            self.batch = None

    def _stage(self, batch: Batch, pending: Pending, record: IdempotencyRecord | None) -> int:
        """What `save` would write, staged: the stored events, the key, the snapshots due."""
        # As ProcessingEvent.collect_events, without its runtime Protocol checks (slow, and the
        # aggregates here are always ours).
        staged = 0
        for aggregate in pending.aggregates:
            interval = self.snapshotting_intervals.get(type(aggregate))
            for event in aggregate.collect_events():
                staged += 1
                batch.events.append(self.mapper.to_stored_event(event))
                if interval is not None and event.originator_version % interval == 0:
                    batch.snapshots.append((event.originator_id, event.originator_version))
            batch.remember(aggregate)
        if record is not None:
            batch.records.append(record)
            batch.known[record.key] = (record.fingerprint, record.response, 0)
        return staged

    def write_batch(self, batch: Batch) -> None:
        """Write everything staged in one transaction (IntegrityError: nothing is written, e.g.
        when another writer appended to a cached aggregate meanwhile), then the snapshots."""
        if batch.staged():
            self.recorder.insert_events(batch.events, idempotency_records=batch.records)
            for aggregate_id, version in batch.snapshots:
                self.take_snapshot(aggregate_id, version)
        batch.written()

    def _check_version(self, ctx: CommandContext, agg: Aggregate) -> None:
        if ctx.expected_version is not None and ctx.expected_version != agg.version:
            raise PreconditionFailed(
                f"If-Match expected version {ctx.expected_version}, current is {agg.version}"
            )

    def _employee(self, ctx: CommandContext, nip: str) -> Employee:
        employee = self._get(Employee, nip, "employee NIP")
        self._check_version(ctx, employee)
        return employee

    # ----------------------------------------------------------------------- queries

    def employee(self, nip: str, version: int | None = None) -> Employee:
        return self._get(Employee, nip, "employee NIP", version)

    def agency(self, code: str) -> Agency:
        return self._get(Agency, code, "agency")

    def service_unit(self, code: str) -> ServiceUnit:
        return self._get(ServiceUnit, code, "service unit")

    def program(self, code: str) -> Program:
        return self._get(Program, code, "program")

    def stream(self, originator_id: UUID) -> list[StreamEntry]:
        """The stored events of one stream with their global positions."""
        return self.ledger_recorder.select_stream(originator_id)

    def stream_id_of(self, kind: str, key: str) -> UUID:
        return stream_id(kind, key)


def _split_event_id(event_id: str) -> tuple[UUID, int]:
    originator, version = event_id.rsplit(":", 1)
    return UUID(originator), int(version)

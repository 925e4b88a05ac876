"""Commands staged in memory and written together: the bulk import's write path.

While a Batch is open on the application, a command runs exactly as always (the same boundary
parsing, the same aggregate methods and rules), but it reads its aggregates from the batch's
cache (falling back to the store) and, instead of writing, stages its stored events and its
Idempotency-Key row. `LedgerService.write_batch` then writes everything staged in one
transaction: each command's events with its key, so a command is still all or nothing, and a
crash loses the whole unwritten batch, never part of a command.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from ledger.domain.envelope import LedgerAggregate
from ledger.persistence import IdempotencyRecord

Found = tuple[str, dict[str, Any], int]  # (fingerprint, response, position) of a done command
CACHE_SIZE = 20_000  # aggregates kept between batches (least recently used dropped first)


@dataclass
class Batch:
    aggregates: OrderedDict[UUID, LedgerAggregate] = field(default_factory=OrderedDict)
    events: list[StoredEvent] = field(default_factory=list)
    records: list[IdempotencyRecord] = field(default_factory=list)
    snapshots: list[tuple[UUID, int]] = field(default_factory=list)  # (aggregate, version) to take
    known: dict[str, Found] = field(default_factory=dict)  # Idempotency-Keys done before or staged
    cache_size: int = CACHE_SIZE

    def cached(self, aggregate_id: UUID) -> LedgerAggregate | None:
        found = self.aggregates.get(aggregate_id)
        if found is not None:
            self.aggregates.move_to_end(aggregate_id)
        return found

    def remember(self, aggregate: LedgerAggregate) -> None:
        self.aggregates[aggregate.id] = aggregate
        self.aggregates.move_to_end(aggregate.id)

    def staged(self) -> bool:
        return bool(self.events)

    def written(self) -> None:
        """After the staged commands are written: the cache now agrees with the store."""
        self.events, self.records, self.snapshots = [], [], []
        while len(self.aggregates) > self.cache_size:
            self.aggregates.popitem(last=False)

    def discard(self) -> None:
        """Drop what is staged and every cached aggregate (the write failed)."""
        for record in self.records:
            self.known.pop(record.key, None)
        self.events, self.records, self.snapshots = [], [], []
        self.aggregates.clear()

    def forget(self) -> None:
        """Drop every cached aggregate: after a command failed halfway (it may have changed an
        aggregate before refusing) or a write failed. Only allowed with nothing staged."""
        assert not self.events, "write or drop the staged commands first"
        self.aggregates.clear()

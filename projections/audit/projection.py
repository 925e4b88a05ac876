"""The ``audit`` projection: dense leaf indexes in notification order, leaf and chain hashes, nodes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from ledger.audit.encoding import GENESIS_CHAIN, chain_hash, event_leaf_hash
from ledger.audit.merkle import node_hash
from ledger.domain.envelope import LedgerEvent
from ledger.sqlstore import Sql
from projections.audit.schema import (
    CHECKPOINTS_TABLE,
    NAME,
    AuditIntegrityError,
    ensure_checkpoint_table,
    guard,
)
from projections.audit.tree import Tree
from projections.base import Projection, Tables, physical_name


class AuditProjection(Projection):
    """Appends one leaf per stored event; see the module docstring."""

    name = NAME
    # A rebuild must reproduce every signed checkpoint, so the leaf encoding can never change
    # under an existing log: bump this only for storage changes that keep every hash.
    version = 1
    tables = {  # noqa: RUF012 (class-level schema, never mutated)
        "leaves": (
            "leaf_index BIGINT NOT NULL PRIMARY KEY, position BIGINT NOT NULL UNIQUE, "
            "originator_id TEXT NOT NULL, originator_version BIGINT NOT NULL, "
            "leaf_hash TEXT NOT NULL, chain_hash TEXT NOT NULL"
        ),
        "nodes": "level INTEGER NOT NULL, idx BIGINT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (level, idx)",
    }
    indexes = {"leaves": ["originator_id, leaf_index"]}  # noqa: RUF012

    def __init__(self) -> None:
        self._reset(0, [])

    def _reset(self, size: int, border: list[bytes]) -> None:
        self._start_size = size
        self._size = size
        self._border = border
        self._heads: dict[str, bytes] = {}
        self._leaf_rows: list[tuple[Any, ...]] = []
        self._node_rows: list[tuple[Any, ...]] = []

    def start_batch(self, tx: Sql, tables: Tables) -> None:
        # Reset everything: a failed batch is retried from scratch.
        ensure_checkpoint_table(tx)
        guard(tx, [tables["leaves"], tables["nodes"]])
        tree = Tree(tx, tables["leaves"], tables["nodes"])
        size = tree.size()
        self._reset(size, tree.border(size))

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        n = notification
        index = self._size
        originator = n.originator_id if isinstance(n.originator_id, UUID) else UUID(str(n.originator_id))
        leaf = event_leaf_hash(index, originator, n.originator_version, n.topic, bytes(n.state))
        stream = str(originator)
        previous = self._heads.get(stream)
        if previous is None:
            value = tx.scalar(
                f"SELECT chain_hash FROM {tables['leaves']} WHERE originator_id = ? "
                "ORDER BY leaf_index DESC LIMIT 1",
                (stream,),
            )
            previous = GENESIS_CHAIN if value is None else bytes.fromhex(value)
        link = chain_hash(previous, leaf)
        self._heads[stream] = link
        self._leaf_rows.append((index, n.id, stream, n.originator_version, leaf.hex(), link.hex()))
        # One new node per trailing 1-bit of the index: each completes a subtree with the
        # border's rightmost (left sibling) node, exactly like incrementing a binary counter.
        node, level, idx = leaf, 0, index
        while idx & 1:
            node = node_hash(self._border.pop(), node)
            level, idx = level + 1, idx >> 1
            self._node_rows.append((level, idx, node.hex()))
        self._border.append(node)
        self._size += 1

    def finish_batch(self, tx: Sql, tables: Tables) -> None:
        tx.executemany(
            f"INSERT INTO {tables['leaves']} (leaf_index, position, originator_id, originator_version, "
            "leaf_hash, chain_hash) VALUES (?,?,?,?,?,?)",
            self._leaf_rows,
        )
        tx.executemany(f"INSERT INTO {tables['nodes']} (level, idx, hash) VALUES (?,?,?)", self._node_rows)
        # The largest signed checkpoint this batch reached: our tree must reproduce it (signed
        # checkpoints are mutually consistent, so the largest one vouches for all smaller ones).
        row = tx.one(
            f"SELECT size, root FROM {CHECKPOINTS_TABLE} WHERE size > ? AND size <= ? "
            "ORDER BY size DESC LIMIT 1",
            (self._start_size, self._size),
        )
        if row is not None:
            size = int(row["size"])
            ours = Tree(tx, tables["leaves"], tables["nodes"]).root(size)
            if ours.hex() != row["root"]:
                raise AuditIntegrityError(
                    f"generation {tables.generation} of the audit log does not reproduce the checkpoint "
                    f"signed for size {size}: the event store no longer holds what was signed"
                )
        self._reset(self._size, self._border)


def physical_tables(generation: int) -> dict[str, str]:
    """Physical table names of one generation (tests and the tamper tooling use them)."""
    return {logical: physical_name(NAME, logical, generation) for logical in AuditProjection.tables}

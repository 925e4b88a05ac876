"""The audit log as the API and the export read it: checkpoints on demand, proofs, log entries."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from ledger.application import KinerjaLedger
from ledger.audit.note import Signer
from ledger.sqlstore import Sql
from projections.audit.checkpoints import (
    SignedCheckpoint,
    active_generation,
    latest_checkpoint,
    record_checkpoint,
)
from projections.audit.keys import load_signer
from projections.audit.schema import NAME, AuditNotReady, ensure_checkpoint_table
from projections.audit.tree import Tree
from projections.base import view_name


class AuditLog:
    """What the routes and the export read: checkpoints, proofs, entries (one per app)."""

    def __init__(self, app: KinerjaLedger, signer: Signer | None = None) -> None:
        self.app = app
        self._signer = signer

    @property
    def signer(self) -> Signer:
        if self._signer is None:
            self._signer = load_signer(self.app.settings)
        return self._signer

    def verifier_key(self) -> str:
        return self.signer.verifier().key_string()

    def _read(self) -> AbstractContextManager[Sql]:
        return self.app.sql.transaction(write=False)

    def ensure_checkpoint(self) -> SignedCheckpoint:
        """The latest checkpoint, signed now if the active tree has grown since (see module doc)."""
        with self._read() as tx:
            if active_generation(tx) is None:
                raise AuditNotReady("the audit projection has not been set up yet")
            tree = Tree.active(tx)
            size = tree.size()
            latest = latest_checkpoint(tx)
            # Even the fast path re-derives the root (O(log n)): never serve a stored checkpoint
            # the tree does not reproduce.
            if latest is not None and latest.size == size and tree.root(size) == latest.root:
                return latest
        signer = self.signer
        with self.app.sql.transaction() as tx:
            ensure_checkpoint_table(tx)
            tree = Tree.active(tx)
            return record_checkpoint(tx, signer, self.app.settings.log_origin, tree, tree.size())

    def inclusion(self, index: int, size: int) -> dict[str, Any]:
        with self._read() as tx:
            tree = Tree.active(tx)
            proof = tree.inclusion(index, size)
            leaf = tx.one(
                f"SELECT leaf_hash, position, originator_id, originator_version FROM {tree.leaves} "
                "WHERE leaf_index = ?",
                (index,),
            )
            root = tree.root(size)
        assert leaf is not None
        return {
            "index": index,
            "size": size,
            "leaf_hash": _b64(bytes.fromhex(leaf["leaf_hash"])),
            "event_id": f"{leaf['originator_id']}:{leaf['originator_version']}",
            "position": int(leaf["position"]),
            "root": _b64(root),
            "proof": [_b64(p) for p in proof],
        }

    def consistency(self, old_size: int, new_size: int) -> dict[str, Any]:
        with self._read() as tx:
            tree = Tree.active(tx)
            proof = tree.consistency(old_size, new_size) if old_size < new_size else []
            old_root, new_root = tree.root(old_size), tree.root(new_size)
        return {
            "from": old_size,
            "to": new_size,
            "from_root": _b64(old_root),
            "to_root": _b64(new_root),
            "proof": [_b64(p) for p in proof],
        }

    def leaf_rows(self, start: int, limit: int, end: int | None = None) -> list[dict[str, Any]]:
        """Leaves [start, min(start + limit, end)) as stored by the active generation."""
        stop = start + limit if end is None else min(start + limit, end)
        with self._read() as tx:
            return tx.query(
                "SELECT leaf_index, position, originator_id, originator_version, leaf_hash, chain_hash "
                f"FROM {view_name(NAME, 'leaves')} WHERE leaf_index >= ? AND leaf_index < ? "
                "ORDER BY leaf_index",
                (start, stop),
            )

    def entries(self, start: int, limit: int) -> list[dict[str, Any]]:
        """A page of the log with the stored bytes of each event (the /audit/events route)."""
        rows = self.leaf_rows(start, limit)
        if not rows:
            return []
        stored = {n.id: n for n in self.notifications(int(rows[0]["position"]), int(rows[-1]["position"]))}
        return [entry(row, stored.get(int(row["position"]))) for row in rows]

    def notifications(self, first: int, last: int, page: int = 2000) -> Iterator[Notification]:
        """Stored events with positions in [first, last], in order, read page by page."""
        start: int | None = first
        while start is not None and start <= last:
            batch = self.app.recorder.select_notifications(start, page, stop=last, inclusive_of_start=True)
            yield from batch
            start = batch[-1].id + 1 if len(batch) == page else None

    def stream_leaves(self, originator_id: UUID, size: int) -> list[dict[str, Any]]:
        """The leaves of one stream among the first `size`, in log order, each with its RFC 9162
        inclusion proof (``proof``: raw hashes) in the tree of `size` leaves."""
        with self._read() as tx:
            tree = Tree.active(tx)
            rows = tx.query(
                "SELECT leaf_index, position, originator_id, originator_version, leaf_hash, chain_hash "
                f"FROM {tree.leaves} WHERE originator_id = ? AND leaf_index < ? ORDER BY leaf_index",
                (str(originator_id), size),
            )
            for row in rows:
                row["proof"] = tree.inclusion(int(row["leaf_index"]), size)
        return rows

    def stream_hashes(self, originator_id: UUID) -> dict[int, dict[str, Any]]:
        """Per version of one stream: leaf index, leaf hash and chain hash (hex), in log order."""
        with self._read() as tx:
            if active_generation(tx) is None:
                return {}  # the audit projection has not been set up yet
            rows = tx.query(
                "SELECT leaf_index, originator_version, leaf_hash, chain_hash "
                f"FROM {view_name(NAME, 'leaves')} WHERE originator_id = ? ORDER BY leaf_index",
                (str(originator_id),),
            )
        return {
            int(r["originator_version"]): {
                "leaf_index": int(r["leaf_index"]),
                "leaf_hash": r["leaf_hash"],
                "chain_hash": r["chain_hash"],
            }
            for r in rows
        }


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def entry(row: dict[str, Any], stored: Notification | None) -> dict[str, Any]:
    """One log entry as the route and the export write it (ledger.audit.verify reads it).

    The event fields are what the store holds now at the leaf's position; ``logged_event_id``
    appears only when that is not the event the log recorded there.
    """
    logged_id = f"{row['originator_id']}:{row['originator_version']}"
    out: dict[str, Any] = {
        "leaf_index": int(row["leaf_index"]),
        "position": int(row["position"]),
        "leaf_hash": row["leaf_hash"],
        "chain_hash": row["chain_hash"],
    }
    out.update(event_fields(stored))
    if out["event_id"] != logged_id:
        out["logged_event_id"] = logged_id
    return out


def event_fields(stored: Notification | None) -> dict[str, Any]:
    if stored is None:
        return {
            "event_id": None,
            "originator_id": None,
            "originator_version": None,
            "topic": None,
            "state": None,
        }
    return {
        "event_id": f"{stored.originator_id}:{stored.originator_version}",
        "originator_id": str(stored.originator_id),
        "originator_version": int(stored.originator_version),
        "topic": stored.topic,
        "state": _b64(bytes(stored.state)),
    }

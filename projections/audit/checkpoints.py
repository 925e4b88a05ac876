"""Signed checkpoints: recorded once per size, never two roots for one size, never a forked log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger.audit.note import Signer, format_checkpoint, sign_note
from ledger.sqlstore import Sql
from projections.audit.schema import CHECKPOINTS_TABLE, NAME, AuditIntegrityError, table_exists
from projections.audit.tree import Tree
from projections.base import REGISTRY_TABLE


@dataclass(frozen=True)
class SignedCheckpoint:
    size: int
    root: bytes
    note: str


def _row_checkpoint(row: dict[str, Any]) -> SignedCheckpoint:
    return SignedCheckpoint(int(row["size"]), bytes.fromhex(row["root"]), str(row["note"]))


def latest_checkpoint(tx: Sql) -> SignedCheckpoint | None:
    if not table_exists(tx, CHECKPOINTS_TABLE):
        return None
    row = tx.one(f"SELECT size, root, note FROM {CHECKPOINTS_TABLE} ORDER BY size DESC LIMIT 1")
    return None if row is None else _row_checkpoint(row)


def active_generation(tx: Sql) -> int | None:
    if not table_exists(tx, REGISTRY_TABLE):
        return None
    value = tx.scalar(f"SELECT active_generation FROM {REGISTRY_TABLE} WHERE name = ?", (NAME,))
    return None if value is None else int(value)


def record_checkpoint(tx: Sql, signer: Signer, origin: str, tree: Tree, size: int) -> SignedCheckpoint:
    """Sign `tree` at `size` unless that would contradict a checkpoint already signed."""
    row = tx.one(f"SELECT size, root, note FROM {CHECKPOINTS_TABLE} WHERE size = ?", (size,))
    root = tree.root(size)
    if row is not None:
        existing = _row_checkpoint(row)
        if existing.root != root:
            raise AuditIntegrityError(f"refusing to sign a second, different root for size {size}")
        return existing
    latest = latest_checkpoint(tx)
    if latest is not None and latest.size > size:
        raise AuditIntegrityError(
            f"the log has {size} leaves but a checkpoint for {latest.size} was signed: leaves were removed"
        )
    if latest is not None and tree.root(latest.size) != latest.root:
        raise AuditIntegrityError(
            f"the log no longer reproduces the checkpoint signed for size {latest.size}; refusing to sign"
        )
    note = sign_note(format_checkpoint(origin, size, root), signer)
    tx.execute(
        f"INSERT INTO {CHECKPOINTS_TABLE} (size, root, note) VALUES (?,?,?) ON CONFLICT (size) DO NOTHING",
        (size, root.hex(), note),
    )
    stored = tx.one(f"SELECT size, root, note FROM {CHECKPOINTS_TABLE} WHERE size = ?", (size,))
    assert stored is not None
    result = _row_checkpoint(stored)
    if result.root != root:  # a concurrent signer won with another root: refuse loudly
        raise AuditIntegrityError(f"refusing to sign a second, different root for size {size}")
    return result


def recent_checkpoints(tx: Sql, limit: int) -> list[SignedCheckpoint]:
    """The `limit` latest signed checkpoints, newest first (what an auditor keeps to compare)."""
    if not table_exists(tx, CHECKPOINTS_TABLE):
        return []
    rows = tx.query(f"SELECT size, root, note FROM {CHECKPOINTS_TABLE} ORDER BY size DESC LIMIT ?", (limit,))
    return [_row_checkpoint(row) for row in rows]

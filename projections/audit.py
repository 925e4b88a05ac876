"""The audit log: an RFC 9162 Merkle tree over every stored event, signed checkpoints, proofs.

The ``audit`` projection gives the stored events dense leaf indexes 0, 1, 2, ... in notification
order (notification ids may have gaps; leaf indexes never do) and keeps, per generation:

- ``leaves``: one row per leaf — index, the event's position and id, leaf hash and the stream's
  chain hash (``ledger.audit.encoding`` defines both, byte by byte);
- ``nodes``: every complete subtree hash, keyed by (level, index): the node covering leaves
  ``[index * 2**level, (index + 1) * 2**level)``. Each appended leaf adds one node per trailing
  1-bit of its index, so the table holds fewer than n rows, and any root or proof needs at most
  ~2 log2(n) lookups (``merkle.subtree_hash_from_complete``).

Signed checkpoints live outside the generations, in ``ledger_audit_checkpoints`` (size -> root,
note), because a signature is a public commitment that must outlive a rebuild. A checkpoint is
signed on demand (``ensure_checkpoint``: the checkpoint route, the export) over every leaf the
active generation holds, and never for a tree that contradicts one already signed: the same
size with another root, a smaller tree than one already signed, or a tree whose root at the
last signed size differs from that checkpoint are refused with ``AuditIntegrityError``. A
rebuild checks itself against the largest signed checkpoint it passes, so a rebuild over an
altered event store fails loudly instead of switching in a forked log.

On both stores the event table, the checkpoint table and the audit tables get triggers that
refuse UPDATE and DELETE (``install_guards``); docs/AUDIT.md shows how to run the service
under a PostgreSQL role that cannot remove them.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from ledger.application import KinerjaLedger
from ledger.audit.encoding import GENESIS_CHAIN, chain_hash, event_leaf_hash
from ledger.audit.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    node_hash,
    subtree_hash_from_complete,
)
from ledger.audit.note import (
    NoteError,
    Signer,
    format_checkpoint,
    generate_signer,
    parse_signer_key,
    sign_note,
)
from ledger.config import Settings
from ledger.domain.envelope import LedgerEvent
from ledger.sqlstore import Sql
from projections.base import REGISTRY_TABLE, Projection, Tables, physical_name, view_name

log = logging.getLogger("ledger.audit")

NAME = "audit"
CHECKPOINTS_TABLE = "ledger_audit_checkpoints"
KEY_FILE = "audit-log.key"
GUARD = "ledger_append_only"
_SCHEMA_LOCK_KEY = 7_300_412_020  # serialises our DDL between processes on PostgreSQL


class AuditIntegrityError(RuntimeError):
    """The log would contradict a checkpoint already signed: refused, never signed."""


class AuditNotReady(RuntimeError):
    """The audit projection has not been set up on this store yet."""


# ----------------------------------------------------------------------------- signing key


def key_path(settings: Settings) -> Path:
    return Path(settings.data_dir) / KEY_FILE


def load_signer(settings: Settings) -> Signer:
    """The log's Ed25519 signer, created on first use (mode 0600) under LEDGER_DATA_DIR.

    Its name is the log origin (LEDGER_LOG_ORIGIN). Concurrent first users agree on one key:
    each writes a private temporary file and hard-links it into place; link() fails for all
    but the first, and everyone then reads the winner's key.
    """
    path = key_path(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        secret, _ = generate_signer(settings.log_origin)
        tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.{uuid.uuid4().hex}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as out:
                out.write(secret + "\n")
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):  # another process won: use its key
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        log.warning(
            "audit signing key %s was readable by others (mode %o); restricting it to 0600", path, mode
        )
        path.chmod(0o600)
    try:
        signer = parse_signer_key(path.read_text(encoding="utf-8").strip())
    except NoteError as exc:
        raise AuditIntegrityError(f"{path} does not hold a signer key: {exc}") from None
    if signer.name != settings.log_origin:
        raise AuditIntegrityError(
            f"the audit key in {path} signs for log {signer.name!r} but LEDGER_LOG_ORIGIN is "
            f"{settings.log_origin!r}; a log keeps its origin for life"
        )
    return signer


# ----------------------------------------------------------------------------- schema and guards


def _events_table(app: KinerjaLedger) -> str:
    return str(app.recorder.events_table_name)  # type: ignore[attr-defined]


def _table_exists(tx: Sql, table: str) -> bool:
    if tx.dialect == "postgres":
        return bool(tx.scalar("SELECT to_regclass(?) IS NOT NULL AS present", (table,)))
    return int(tx.scalar("SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name=?", (table,))) == 1


def ensure_checkpoint_table(tx: Sql) -> None:
    """Create the checkpoint table if missing (DDL only when it is missing)."""
    if _table_exists(tx, CHECKPOINTS_TABLE):
        return
    bigint = "BIGINT" if tx.dialect == "postgres" else "INTEGER"
    if tx.dialect == "postgres":
        tx.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK_KEY,))
    tx.execute(
        f"CREATE TABLE IF NOT EXISTS {CHECKPOINTS_TABLE} (size {bigint} NOT NULL PRIMARY KEY, "
        "root TEXT NOT NULL, note TEXT NOT NULL)"
    )
    _guard(tx, [CHECKPOINTS_TABLE])


def _guard(tx: Sql, tables: Sequence[str]) -> None:
    """Triggers refusing UPDATE and DELETE on `tables` (idempotent, DDL only when missing)."""
    tables = [t for t in tables if _table_exists(tx, t)]
    if not tables:
        return
    if tx.dialect == "postgres":
        marks = ",".join("to_regclass(?)" for _ in tables)
        guarded = tx.scalar(
            f"SELECT COUNT(*) FROM pg_trigger WHERE tgname = ? AND tgrelid IN ({marks})", (GUARD, *tables)
        )
        if guarded == len(tables):
            return
        tx.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK_KEY,))
        if tx.scalar("SELECT COUNT(*) FROM pg_proc WHERE proname = ?", (GUARD,)) == 0:
            tx.execute(
                f"CREATE OR REPLACE FUNCTION {GUARD}() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN "
                "RAISE EXCEPTION 'ledger: %% on %% refused: the ledger and its audit log are append-only', "
                "TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $body$"
            )
        for table in tables:
            present = tx.scalar(
                "SELECT COUNT(*) FROM pg_trigger WHERE tgname = ? AND tgrelid = to_regclass(?)",
                (GUARD, table),
            )
            if not present:
                tx.execute(
                    f"CREATE TRIGGER {GUARD} BEFORE UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {GUARD}()"
                )
        return
    for table in tables:
        for op in ("UPDATE", "DELETE"):
            tx.execute(
                f"CREATE TRIGGER IF NOT EXISTS {GUARD}_{op.lower()}_{table} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'ledger: {op} on {table} refused: append-only'); END"
            )


def install_guards(app: KinerjaLedger) -> bool:
    """At start-up: checkpoint table plus append-only triggers on the event table, the checkpoint
    table and every audit table present. Idempotent; False (with a warning) when the service's
    database role may not create them, as when an owner role installed them beforehand."""
    try:
        with app.sql.transaction() as tx:
            ensure_checkpoint_table(tx)
            tables = [_events_table(app), CHECKPOINTS_TABLE, *_audit_tables(tx)]
            _guard(tx, tables)
    except Exception as exc:  # a missing privilege must not stop the service: it is defence in depth
        log.warning("could not install the append-only triggers: %s: %s", type(exc).__name__, exc)
        return False
    return True


def _audit_tables(tx: Sql) -> list[str]:
    prefix = f"pj_{NAME}_"
    if tx.dialect == "postgres":
        rows = tx.query(
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() "
            "AND starts_with(tablename, ?)",
            (prefix,),
        )
    else:
        rows = tx.query(
            "SELECT name FROM sqlite_master WHERE type='table' AND substr(name, 1, ?) = ?",
            (len(prefix), prefix),
        )
    return sorted(str(r["name"]) for r in rows)


# ----------------------------------------------------------------------------- the tree in SQL


class Tree:
    """Read access to one generation's tree: complete subtrees, roots, proofs (O(log n))."""

    def __init__(self, tx: Sql, leaves: str, nodes: str) -> None:
        self.tx = tx
        self.leaves = leaves
        self.nodes = nodes
        # Complete subtrees never change once stored, so one Tree (one transaction) may keep what
        # it read: many proofs over one tree share most of their upper nodes.
        self._complete: dict[tuple[int, int], bytes] = {}

    @classmethod
    def active(cls, tx: Sql) -> Tree:
        return cls(tx, view_name(NAME, "leaves"), view_name(NAME, "nodes"))

    def size(self) -> int:
        top = self.tx.scalar(f"SELECT MAX(leaf_index) AS top FROM {self.leaves}")
        return 0 if top is None else int(top) + 1

    def complete(self, start: int, end: int) -> bytes:
        cached = self._complete.get((start, end))
        if cached is not None:
            return cached
        width = end - start
        level = width.bit_length() - 1
        if width != 1 << level or start % width:
            raise ValueError(f"[{start}, {end}) is not a complete subtree")
        if level == 0:
            value = self.tx.scalar(f"SELECT leaf_hash FROM {self.leaves} WHERE leaf_index = ?", (start,))
        else:
            value = self.tx.scalar(
                f"SELECT hash FROM {self.nodes} WHERE level = ? AND idx = ?", (level, start >> level)
            )
        if value is None:
            raise AuditIntegrityError(f"the audit tree has no node for leaves [{start}, {end})")
        node = self._complete[(start, end)] = bytes.fromhex(value)
        return node

    def root(self, size: int) -> bytes:
        return EMPTY_ROOT if size == 0 else subtree_hash_from_complete(self.complete)(0, size)

    def border(self, size: int) -> list[bytes]:
        """The complete subtrees covering [0, size), largest first (an accumulator's state)."""
        out, start = [], 0
        for level in reversed(range(size.bit_length())):
            if size >> level & 1:
                out.append(self.complete(start, start + (1 << level)))
                start += 1 << level
        return out

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return inclusion_proof(subtree_hash_from_complete(self.complete), index, size)

    def consistency(self, old_size: int, new_size: int) -> list[bytes]:
        return consistency_proof(subtree_hash_from_complete(self.complete), old_size, new_size)


# ----------------------------------------------------------------------------- the projection


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
        _guard(tx, [tables["leaves"], tables["nodes"]])
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


# ----------------------------------------------------------------------------- checkpoints


@dataclass(frozen=True)
class SignedCheckpoint:
    size: int
    root: bytes
    note: str


def _row_checkpoint(row: dict[str, Any]) -> SignedCheckpoint:
    return SignedCheckpoint(int(row["size"]), bytes.fromhex(row["root"]), str(row["note"]))


def latest_checkpoint(tx: Sql) -> SignedCheckpoint | None:
    if not _table_exists(tx, CHECKPOINTS_TABLE):
        return None
    row = tx.one(f"SELECT size, root, note FROM {CHECKPOINTS_TABLE} ORDER BY size DESC LIMIT 1")
    return None if row is None else _row_checkpoint(row)


def _active_generation(tx: Sql) -> int | None:
    if not _table_exists(tx, REGISTRY_TABLE):
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
            if _active_generation(tx) is None:
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
            if _active_generation(tx) is None:
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


def physical_tables(generation: int) -> dict[str, str]:
    """Physical table names of one generation (tests and the tamper tooling use them)."""
    return {logical: physical_name(NAME, logical, generation) for logical in AuditProjection.tables}

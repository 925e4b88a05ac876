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

from projections.audit.checkpoints import (
    SignedCheckpoint,
    active_generation,
    latest_checkpoint,
    record_checkpoint,
)
from projections.audit.keys import KEY_FILE, key_path, load_signer
from projections.audit.log import AuditLog, entry, event_fields
from projections.audit.projection import AuditProjection, physical_tables
from projections.audit.schema import (
    CHECKPOINTS_TABLE,
    GUARD,
    NAME,
    AuditIntegrityError,
    AuditNotReady,
    ensure_checkpoint_table,
    guard,
    install_guards,
    table_exists,
)
from projections.audit.tree import Tree

__all__ = [
    "CHECKPOINTS_TABLE",
    "GUARD",
    "KEY_FILE",
    "NAME",
    "AuditIntegrityError",
    "AuditLog",
    "AuditNotReady",
    "AuditProjection",
    "SignedCheckpoint",
    "Tree",
    "active_generation",
    "ensure_checkpoint_table",
    "entry",
    "event_fields",
    "guard",
    "install_guards",
    "key_path",
    "latest_checkpoint",
    "load_signer",
    "physical_tables",
    "record_checkpoint",
    "table_exists",
]

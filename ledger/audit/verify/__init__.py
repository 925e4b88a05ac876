"""Offline verifier of an audit export: pure, no database, no network.

An export directory holds (written by ``projections.audit.export``):

- ``events.ndjson`` — one JSON object per line, in notification order. A line of the log has
  ``leaf_index`` (dense 0, 1, 2, ...), ``position`` (notification id), ``leaf_hash`` and
  ``chain_hash`` (hex, as the log published them) and the event as the store holds it now:
  ``event_id``, ``originator_id``, ``originator_version``, ``topic``, ``state`` (base64 of the
  raw stored bytes). When the store no longer has the event at that position the event fields
  are ``null`` and ``logged_event_id`` says which event the log recorded there (it is also
  given when the store holds a different event there). A stored event the log does not
  contain is a line with ``leaf_index: null`` and no hashes.
- ``checkpoint`` — the latest signed checkpoint (C2SP signed note), covering every leaf line.
- ``log.vkey`` — the log's verifier key (``name+keyid+base64``). An auditor should pin the key
  they got from a trusted source with ``--key``; the export's own copy proves nothing.
- ``manifest.json`` — format name and counts (informative).

What the verifier recomputes and how it locates a problem is described in docs/AUDIT.md.
In short: every leaf hash and the root from the stored bytes; the checkpoint's signature with
the pinned key; every stream's versions (1, 2, 3, ... in log order) and hash chain; and for
each earlier checkpoint (or earlier export) the auditor kept, that the log still starts with
exactly what that checkpoint covered. A bad leaf is located exactly when the stored bytes
disagree with the published leaf hash, and the published hashes are *authenticated* when they
reproduce a checkpoint signed by the pinned key. When an insider also rewrote the published
hashes, a kept checkpoint only says "something in the first m leaves changed": the kept
checkpoints bound it to an interval, and a kept earlier export locates it exactly.

A *single-stream* export (``ledger audit export --nip``; manifest format
``kinerja-ledger-audit-stream-export/1``) holds one employee's stream only: the same lines, but
only that stream's leaves (sparse leaf indexes), each with ``inclusion_proof`` (base64 hashes, RFC
9162 order) for its leaf in the tree of the checkpoint's size, and a manifest ``stream`` object
(``originator_id``, ``nip``, ``latest_version``, ``latest_leaf_index``) declaring where the stream
stood at that size. ``verify_directory`` tells the two apart by the manifest. For one stream the
verifier checks the signature, each leaf hash from the bytes and the leaf index, each inclusion
proof against the signed root, versions 1..n in order with no gap and the chain from the zero
hash, that every line belongs to the stream (and the stream to the NIP), and that the export
ends with the declared latest version. It proves every shown event is in the signed log at its
leaf and that versions 1..n are complete and unaltered. It cannot prove that the stream has no
later version than the declared one — among the checkpoint's leaves or after them — because the
log is not indexed by stream: an export of the whole log (or a later stream export) settles that.
"""

from __future__ import annotations

from ledger.audit.verify.format import (
    CHECKPOINT_FILE,
    EVENTS_FILE,
    EXPORT_FORMAT,
    KEY_FILE,
    MANIFEST_FILE,
    PROOF_FIELD,
    STREAM_EXPORT_FORMAT,
    Kept,
    UnusableInput,
    load_verifier,
)
from ledger.audit.verify.report import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNPINNED,
    EXIT_UNUSABLE,
    Report,
    StreamReport,
    export_format,
    run,
    verify_directory,
    verify_export,
    verify_stream_export,
)
from ledger.audit.verify.scan import LEAF_KINDS, STREAM_KINDS, Failure

__all__ = [
    "CHECKPOINT_FILE",
    "EVENTS_FILE",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_UNPINNED",
    "EXIT_UNUSABLE",
    "EXPORT_FORMAT",
    "KEY_FILE",
    "LEAF_KINDS",
    "MANIFEST_FILE",
    "PROOF_FIELD",
    "STREAM_EXPORT_FORMAT",
    "STREAM_KINDS",
    "Failure",
    "Kept",
    "Report",
    "StreamReport",
    "UnusableInput",
    "export_format",
    "load_verifier",
    "run",
    "verify_directory",
    "verify_export",
    "verify_stream_export",
]

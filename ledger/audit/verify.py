"""Offline verifier of an audit export: pure, no database, no network.

An export directory holds (written by ``projections.audit_export``):

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

import base64
import binascii
import copy
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from ledger.audit.encoding import GENESIS_CHAIN, U64_MAX, chain_hash, event_leaf_hash
from ledger.audit.merkle import HASH_SIZE, MerkleAccumulator, verify_inclusion
from ledger.audit.note import (
    Checkpoint,
    NoteError,
    Verifier,
    open_note,
    parse_checkpoint,
    parse_verifier_key,
)
from ledger.nip import stream_id

EXPORT_FORMAT = "kinerja-ledger-audit-export/1"
STREAM_EXPORT_FORMAT = "kinerja-ledger-audit-stream-export/1"
PROOF_FIELD = "inclusion_proof"
EVENTS_FILE = "events.ndjson"
CHECKPOINT_FILE = "checkpoint"
KEY_FILE = "log.vkey"
MANIFEST_FILE = "manifest.json"
MAX_LISTED_FAILURES = 100

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNUSABLE = 2

# Kinds of failure, most specific first: the report's first_failure prefers a located leaf.
LEAF_KINDS = (
    "leaf-order",
    "leaf-missing",
    "leaf-mismatch",
    "inclusion-proof",
    "previous-export-mismatch",
    "malformed-line",
)
STREAM_KINDS = ("stream-version", "stream-chain", "stream-scope", "stream-head")


class UnusableInput(Exception):
    """The export or a key cannot be read at all (exit status 2)."""


@dataclass
class Failure:
    """One thing that is wrong, located as precisely as the data allows."""

    kind: str
    message: str
    leaf_index: int | None = None
    position: int | None = None
    event_id: str | None = None
    stream: str | None = None
    version: int | None = None
    checkpoint: str | None = None
    authenticated_by: str | None = None
    located_between: tuple[int, int] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "message": self.message}
        for name in ("leaf_index", "position", "event_id", "stream", "version", "checkpoint"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.kind in ("leaf-missing", "leaf-mismatch", "previous-export-mismatch"):
            out["authenticated_by"] = self.authenticated_by
        if self.located_between is not None:
            out["located_between"] = list(self.located_between)
        return out


@dataclass
class Kept:
    """An earlier checkpoint the auditor kept (from a checkpoint file or an earlier export)."""

    source: str
    checkpoint: Checkpoint | None = None
    signature: str = "unchecked"
    leaf_hashes: bytearray | None = None  # authenticated leaf hashes of an earlier export
    recomputed_root: bytes | None = None
    published_root: bytes | None = None
    consistent: bool | None = None
    published_matches: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        c = self.checkpoint
        return {
            "source": self.source,
            "size": None if c is None else c.size,
            "root": None if c is None else base64.b64encode(c.root).decode(),
            "signature": self.signature,
            "earlier_export": self.leaf_hashes is not None,
            "consistent": self.consistent,
            "published_hashes_match": self.published_matches,
        }


@dataclass
class _Stream:
    __slots__ = ("broken", "chain", "raw_id", "version")
    raw_id: bytes
    version: int
    chain: bytes
    broken: bool


class _Lines:
    """What every pass over events.ndjson keeps: the failures, the counts, the order of positions."""

    def __init__(self) -> None:
        self.last_position = 0
        self.failures: list[Failure] = []
        self.mismatched = 0
        self.missing = 0
        self.unlogged = 0

    def fail(self, failure: Failure) -> None:
        self.failures.append(failure)

    def _check_position(self, entry: _Entry) -> bool:
        """Positions (notification ids) must increase from line to line."""
        in_order = entry.position > self.last_position
        if not in_order:
            self.fail(
                Failure(
                    "leaf-order",
                    f"position {entry.position} does not follow position {self.last_position}",
                    leaf_index=entry.leaf_index,
                    **entry.where(),
                )
            )
        self.last_position = max(self.last_position, entry.position)
        return in_order

    def _unlogged(self, entry: _Entry) -> None:
        self.unlogged += 1
        self.fail(
            Failure(
                "unlogged-event",
                f"the store holds event {entry.event_id} at position {entry.position}, "
                "which the log does not contain",
                **entry.where(),
            )
        )

    def _leaf_missing(
        self, index: int, entry: _Entry, stream: str | None = None, version: int | None = None
    ) -> Failure:
        self.missing += 1
        failure = Failure(
            "leaf-missing",
            f"leaf {index}: the store no longer holds the event the log recorded at position "
            f"{entry.position} ({entry.logged_event_id or 'unknown event'})",
            leaf_index=index,
            position=entry.position,
            event_id=entry.logged_event_id,
            stream=stream,
            version=version,
        )
        self.fail(failure)
        return failure

    def _leaf_mismatch(self, index: int, entry: _Entry) -> Failure:
        self.mismatched += 1
        logged = f" (the log recorded {entry.logged_event_id} here)" if entry.logged_event_id else ""
        failure = Failure(
            "leaf-mismatch",
            f"leaf {index}: stored event {entry.event_id} at position {entry.position} does not "
            f"hash to the published leaf hash{logged}",
            leaf_index=index,
            **entry.where(),
        )
        self.fail(failure)
        return failure


def _check_stream(stream: _Stream, entry: _Entry, index: int, leaf: bytes) -> list[Failure]:
    """The next event of one stream: its version follows the previous one and its published chain
    hash links the previous link to `leaf`. Updates `stream`; returns what is wrong."""
    oid, version = entry.originator_id, entry.originator_version
    assert oid is not None and version is not None
    found: list[Failure] = []
    expected = stream.version + 1
    if version != expected and not stream.broken:
        # Only the first version anomaly of a stream is reported: after a gap or a swap
        # every later version would be "out of place" too, which says nothing new.
        stream.broken = True
        what = (
            f"version {expected} is missing (found version {version} in its place)"
            if version > expected
            else f"version {version} appears after version {stream.version}"
        )
        found.append(
            Failure(
                "stream-version",
                f"stream {oid}: {what}",
                leaf_index=index,
                position=entry.position,
                event_id=entry.event_id,
                stream=oid,
                version=expected if version > expected else version,
            )
        )
    stream.version = version
    if entry.chain_hash != chain_hash(stream.chain, leaf):
        found.append(
            Failure(
                "stream-chain",
                f"stream {oid} version {version}: chain hash does not match the previous link and this event",
                leaf_index=index,
                position=entry.position,
                event_id=entry.event_id,
                stream=oid,
                version=version,
            )
        )
    # Go on from the published link so that each break is reported once, where it is.
    stream.chain = entry.chain_hash
    return found


class _Scan(_Lines):
    """One streaming pass over events.ndjson: O(log n) Merkle state plus one entry per stream."""

    def __init__(self, snapshot_sizes: Sequence[int], earlier: Sequence[Kept] = (), collect: bool = False):
        super().__init__()
        # Roots of the recomputed leaves and of the published leaf hashes. While the two agree
        # they share one accumulator (the common case costs one tree, not two); None = broken.
        self.recomputed: MerkleAccumulator | None = MerkleAccumulator()
        self.published: MerkleAccumulator | None = self.recomputed
        self.shared = True
        self.first_unrecomputable: int | None = None
        self._sizes = sorted(set(snapshot_sizes))
        self._next_snapshot = 0
        self.roots_recomputed: dict[int, bytes | None] = {}
        self.roots_published: dict[int, bytes | None] = {}
        self.streams: dict[str, _Stream] = {}
        self.next_index = 0
        self.bad_streams: set[str] = set()
        self.earlier = [k for k in earlier if k.leaf_hashes is not None]
        self._earlier_pending = list(self.earlier)
        self.collected: bytearray | None = bytearray() if collect else None
        self._snapshot()

    def _snapshot(self) -> None:
        size = self.next_index
        while self._next_snapshot < len(self._sizes) and self._sizes[self._next_snapshot] <= size:
            if self._sizes[self._next_snapshot] == size:
                self.roots_recomputed[size] = None if self.recomputed is None else self.recomputed.root()
                self.roots_published[size] = None if self.published is None else self.published.root()
            self._next_snapshot += 1

    def feed(self, line_no: int, raw: bytes) -> None:
        try:
            obj = json.loads(raw)
            if not isinstance(obj, dict):
                raise ValueError("not a JSON object")
            entry = _parse_entry(obj)
            if entry.originator_id is not None and entry.originator_id not in self.streams:
                _stream_id(entry.originator_id)
        except (ValueError, TypeError, KeyError, binascii.Error) as exc:
            self.fail(
                Failure("malformed-line", f"{EVENTS_FILE} line {line_no}: {exc}", leaf_index=self.next_index)
            )
            self._lose_leaf(self.next_index)
            self.next_index += 1
            self._snapshot()
            return
        self._check_position(entry)
        if entry.leaf_index is None:
            self._unlogged(entry)
            return
        self._leaf(entry)

    def _lose_leaf(self, index: int) -> None:
        if self.recomputed is not None:
            self.first_unrecomputable = index
        self.recomputed = self.published = None
        self.shared = False

    def _append(self, index: int, recomputed: bytes | None, published: bytes) -> None:
        if self.shared:
            assert self.recomputed is not None
            if recomputed == published:
                self.recomputed.append(published)
                return
            self.published = copy.deepcopy(self.recomputed)
            self.shared = False
        if self.recomputed is not None:
            if recomputed is None:
                self.recomputed = None
                self.first_unrecomputable = index
            else:
                self.recomputed.append(recomputed)
        if self.published is not None:
            self.published.append(published)

    def _leaf(self, entry: _Entry) -> None:
        index = self.next_index
        if entry.leaf_index != index:
            self.fail(
                Failure(
                    "leaf-order",
                    f"leaf index {entry.leaf_index} where leaf {index} was expected (indexes must be dense)",
                    leaf_index=index,
                    position=entry.position,
                    event_id=entry.event_id,
                )
            )
        published = entry.leaf_hash
        recomputed: bytes | None = None
        if entry.state is None or entry.originator_id is None:
            self._leaf_missing(index, entry)
        else:
            stream = self.streams.get(entry.originator_id)
            if stream is None:
                stream = self.streams[entry.originator_id] = _Stream(
                    _stream_id(entry.originator_id), 0, GENESIS_CHAIN, False
                )
            assert entry.topic is not None and entry.originator_version is not None
            recomputed = event_leaf_hash(
                index, stream.raw_id, entry.originator_version, entry.topic, entry.state
            )
            if published != recomputed:
                self._leaf_mismatch(index, entry)
            for failure in _check_stream(stream, entry, index, recomputed):
                self.bad_streams.add(entry.originator_id)
                self.fail(failure)
            self._compare_earlier(index, recomputed, entry)
        self._append(index, recomputed, published)
        if self.collected is not None:
            self.collected += recomputed if recomputed is not None else bytes(HASH_SIZE)
        self.next_index += 1
        self._snapshot()

    def _compare_earlier(self, index: int, leaf: bytes, entry: _Entry) -> None:
        if not self._earlier_pending:
            return
        for kept in list(self._earlier_pending):
            hashes = kept.leaf_hashes
            assert hashes is not None
            if index * HASH_SIZE >= len(hashes):
                self._earlier_pending.remove(kept)
                continue
            if hashes[index * HASH_SIZE : (index + 1) * HASH_SIZE] != leaf:
                self._earlier_pending.remove(kept)
                self.fail(
                    Failure(
                        "previous-export-mismatch",
                        f"leaf {index} ({entry.event_id}) differs from the same leaf in the earlier export "
                        f"{kept.source}, which its own checkpoint authenticates",
                        leaf_index=index,
                        **entry.where(),
                        checkpoint=kept.source,
                        authenticated_by=kept.source,
                    )
                )


class _StreamScan(_Lines):
    """One pass over a single-stream export: each leaf against its inclusion proof, and the stream's
    versions and chain from the genesis link. Leaf indexes are sparse (only this stream's)."""

    def __init__(self, stream: str, checkpoint: Checkpoint | None, authenticated_by: str | None) -> None:
        super().__init__()
        self.stream_id = stream
        self.stream = _Stream(_stream_id(stream), 0, GENESIS_CHAIN, False)
        self.checkpoint = checkpoint
        self.authenticated_by = authenticated_by  # set when the checkpoint's signature is valid
        self.last_index = -1
        self.leaves = 0
        self.proofs_verified = 0
        self.highest_version = 0

    def feed(self, line_no: int, raw: bytes) -> None:
        obj: object = None
        try:
            obj = json.loads(raw)
            if not isinstance(obj, dict):
                raise ValueError("not a JSON object")
            entry = _parse_entry(obj)
            proof = _parse_proof(obj.get(PROOF_FIELD)) if entry.leaf_index is not None else []
            if entry.originator_id is not None:
                _stream_id(entry.originator_id)
        except (ValueError, TypeError, KeyError, binascii.Error) as exc:
            index = obj.get("leaf_index") if isinstance(obj, dict) else None
            self.fail(
                Failure(
                    "malformed-line",
                    f"{EVENTS_FILE} line {line_no}: {exc}",
                    leaf_index=index if _is_count(index) else None,
                )
            )
            return
        in_order = self._check_position(entry)
        if entry.leaf_index is None:
            self._unlogged(entry)
            return
        self._leaf(entry, entry.leaf_index, proof, in_order)

    def _included(self, leaf: bytes, index: int, proof: list[bytes]) -> bool:
        c = self.checkpoint
        return c is not None and verify_inclusion(leaf, index, c.size, proof, c.root)

    def _leaf(self, entry: _Entry, index: int, proof: list[bytes], in_order: bool) -> None:
        self.leaves += 1
        oid, version = _identity(entry)
        if in_order and index <= self.last_index:
            self.fail(
                Failure(
                    "leaf-order",
                    f"leaf index {index} does not follow leaf {self.last_index}",
                    leaf_index=index,
                    position=entry.position,
                    event_id=entry.event_id,
                    stream=oid,
                    version=version,
                )
            )
        self.last_index = max(self.last_index, index)
        if oid != self.stream_id:
            named = entry.event_id or entry.logged_event_id
            what = f"event {named}" if named else "a line that names no event"
            self.fail(
                Failure(
                    "stream-scope",
                    f"leaf {index}: {what} is not an event of the exported stream {self.stream_id}",
                    leaf_index=index,
                    position=entry.position,
                    event_id=entry.event_id or entry.logged_event_id,
                    stream=oid,
                    version=version,
                )
            )
            return
        published = entry.leaf_hash
        published_proven = self._included(published, index, proof)
        if entry.state is None or entry.topic is None or entry.originator_version is None:
            missing = self._leaf_missing(index, entry, stream=oid, version=version)
            missing.authenticated_by = self.authenticated_by if published_proven else None
            # The log recorded this version here: go on from its published link, so that only the
            # missing event is reported, not every version after it.
            if version is not None:
                self.stream.version = version
                self.highest_version = max(self.highest_version, version)
            self.stream.chain = entry.chain_hash
            return
        recomputed = event_leaf_hash(
            index, self.stream.raw_id, entry.originator_version, entry.topic, entry.state
        )
        proven = published_proven if recomputed == published else self._included(recomputed, index, proof)
        if proven:
            self.proofs_verified += 1
        if recomputed != published:
            mismatch = self._leaf_mismatch(index, entry)
            mismatch.authenticated_by = self.authenticated_by if published_proven else None
        if not proven and not published_proven and self.checkpoint is not None:
            self.fail(
                Failure(
                    "inclusion-proof",
                    f"leaf {index}: the inclusion proof does not place event {entry.event_id} at this "
                    f"leaf of the checkpoint's tree (size {self.checkpoint.size}), so it is not shown "
                    "to be in the signed log",
                    leaf_index=index,
                    position=entry.position,
                    event_id=entry.event_id,
                    stream=oid,
                    version=entry.originator_version,
                )
            )
        for failure in _check_stream(self.stream, entry, index, recomputed):
            self.fail(failure)
        self.highest_version = max(self.highest_version, entry.originator_version)

    def finish(self, declared_latest: int, size: int | None) -> None:
        """The export must end with the version the exporter declared the stream's latest."""
        as_of = "" if size is None else f" as of the checkpoint (size {size})"
        if self.leaves == 0:
            self.fail(
                Failure(
                    "stream-head",
                    f"the export holds no event of stream {self.stream_id}",
                    stream=self.stream_id,
                )
            )
        elif self.highest_version != declared_latest:
            missing = self.highest_version < declared_latest
            self.fail(
                Failure(
                    "stream-head",
                    f"stream {self.stream_id}: the export ends at version {self.highest_version}, but its "
                    f"manifest declares version {declared_latest} the stream's latest{as_of}",
                    stream=self.stream_id,
                    version=self.highest_version + 1 if missing else self.highest_version,
                )
            )


def _identity(entry: _Entry) -> tuple[str | None, int | None]:
    """(stream, version) of a line: of the stored event, or of the event the log recorded there."""
    if entry.originator_id is not None:
        return entry.originator_id, entry.originator_version
    if entry.logged_event_id is None or ":" not in entry.logged_event_id:
        return None, None
    stream, _, version = entry.logged_event_id.rpartition(":")
    # isdigit() alone admits digits such as "²" that int() refuses.
    return stream, int(version) if version.isascii() and version.isdigit() else None


def _parse_proof(value: object) -> list[bytes]:
    if not isinstance(value, list):
        raise ValueError(f"{PROOF_FIELD} must be a list of base64 hashes")
    proof = []
    for item in value:
        if type(item) is not str:
            raise ValueError(f"{PROOF_FIELD} must be a list of base64 hashes")
        raw = base64.b64decode(item, validate=True)
        if len(raw) != HASH_SIZE:
            raise ValueError(f"{PROOF_FIELD} hashes must be {HASH_SIZE} bytes")
        proof.append(raw)
    return proof


@dataclass
class _Entry:
    __slots__ = (
        "chain_hash",
        "event_id",
        "leaf_hash",
        "leaf_index",
        "logged_event_id",
        "originator_id",
        "originator_version",
        "position",
        "state",
        "topic",
    )
    leaf_index: int | None
    position: int
    leaf_hash: bytes
    chain_hash: bytes
    event_id: str | None
    logged_event_id: str | None
    originator_id: str | None
    originator_version: int | None
    topic: str | None
    state: bytes | None

    def where(self) -> dict[str, Any]:
        """Where a failure about this line is: position, event and stream version."""
        return {
            "position": self.position,
            "event_id": self.event_id,
            "stream": self.originator_id,
            "version": self.originator_version,
        }


def _is_count(value: object) -> bool:
    # bool is not an int here; the leaf encoding holds indexes and versions as u64.
    return type(value) is int and 0 <= value <= U64_MAX


def _opt_str(obj: dict[str, Any], name: str) -> str | None:
    value = obj.get(name)
    if value is not None and type(value) is not str:
        raise ValueError(f"{name} must be a string or null")
    return value


def _hash(value: object, name: str) -> bytes:
    if type(value) is not str or len(value) != 2 * HASH_SIZE:
        raise ValueError(f"{name} must be 64 hex digits")
    return bytes.fromhex(value)


def _parse_entry(obj: dict[str, Any]) -> _Entry:
    """Strict, but cheap: this runs once per event (a million times for a large log)."""
    leaf_index = obj.get("leaf_index")
    if leaf_index is not None and not _is_count(leaf_index):
        raise ValueError("leaf_index must be a non-negative 64-bit integer or null")
    position = obj.get("position")
    if type(position) is not int or position < 0:
        raise ValueError("position must be a non-negative integer")
    state_b64 = _opt_str(obj, "state")
    originator_id = _opt_str(obj, "originator_id")
    topic = _opt_str(obj, "topic")
    version = obj.get("originator_version")
    if state_b64 is not None:
        if originator_id is None or topic is None or version is None:
            raise ValueError("an event needs originator_id, originator_version, topic and state")
        if not _is_count(version):
            raise ValueError("originator_version must be a non-negative 64-bit integer")
        if not topic.isascii():
            try:
                topic.encode("utf-8")  # the leaf hash is over its UTF-8 bytes
            except UnicodeEncodeError:
                raise ValueError("topic is not valid Unicode (a lone surrogate)") from None
        state: bytes | None = base64.b64decode(state_b64, validate=True)
    else:
        originator_id = topic = version = state = None
    logged = leaf_index is not None
    return _Entry(
        leaf_index,
        position,
        _hash(obj.get("leaf_hash"), "leaf_hash") if logged else b"",
        _hash(obj.get("chain_hash"), "chain_hash") if logged else b"",
        _opt_str(obj, "event_id"),
        _opt_str(obj, "logged_event_id"),
        originator_id,
        version,
        topic,
        state,
    )


def _stream_id(text: str) -> bytes:
    """The 16 bytes of a canonical (lower-case, hyphenated) UUID; anything else is malformed."""
    value = UUID(text)
    if str(value) != text:
        raise ValueError("originator_id must be a canonical lower-case UUID")
    return value.bytes


# ----------------------------------------------------------------------------- inputs


def load_verifier(value: str) -> Verifier:
    """A verifier key given as a file path or as the key string itself."""
    path = Path(value)
    try:
        text = path.read_text(encoding="utf-8").strip() if path.is_file() else value.strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise UnusableInput(f"cannot read key {value}: {exc}") from None
    try:
        return parse_verifier_key(text)
    except NoteError as exc:
        raise UnusableInput(f"not a verifier key ({value}): {exc}") from None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnusableInput(f"cannot read {path}: {exc}") from None


def _open_checkpoint(note: str, verifier: Verifier) -> tuple[Checkpoint | None, str]:
    """(checkpoint, signature verdict) of a signed checkpoint note."""
    try:
        text, _ = open_note(note, [verifier])
    except NoteError as exc:
        try:
            unsigned = parse_checkpoint(note[: note.rfind("\n\n") + 1]) if "\n\n" in note else None
        except NoteError:
            unsigned = None
        return unsigned, f"invalid: {exc}"
    try:
        return parse_checkpoint(text), "valid"
    except NoteError as exc:
        return None, f"invalid: {exc}"


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    try:
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, line
    except OSError as exc:
        raise UnusableInput(f"cannot read {path}: {exc}") from None


def _load_kept(value: Path, verifier: Verifier) -> Kept:
    """An earlier checkpoint: a checkpoint file, or an earlier export directory."""
    kept = Kept(str(value))
    if value.is_dir():
        earlier = verify_export(value, verifier, collect=True)
        kept.checkpoint = earlier.checkpoint
        kept.signature = earlier.signature
        if earlier.ok and earlier.collected is not None:
            kept.leaf_hashes = earlier.collected
        else:
            kept.signature = (
                kept.signature if kept.signature != "valid" else "valid (but the export does not verify)"
            )
        return kept
    kept.checkpoint, kept.signature = _open_checkpoint(_read_text(value), verifier)
    return kept


# ----------------------------------------------------------------------------- the report


@dataclass
class Report:
    scope: ClassVar[str] = "log"
    directory: str
    key: dict[str, Any]
    checkpoint: Checkpoint | None = None
    signature: str = "unchecked"
    leaves: int = 0
    root_matches: bool | None = None
    published_root_matches: bool | None = None
    mismatched: int = 0
    missing: int = 0
    unlogged: int = 0
    streams: int = 0
    bad_streams: int = 0
    kept: list[Kept] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    collected: bytearray | None = None

    @property
    def ok(self) -> bool:
        return not self.failures

    def first_failure(self) -> Failure | None:
        located = [f for f in self.failures if f.kind in LEAF_KINDS and f.leaf_index is not None]
        if located:
            return min(located, key=lambda f: (f.leaf_index, LEAF_KINDS.index(f.kind)))
        unlogged = [f for f in self.failures if f.kind == "unlogged-event"]
        if unlogged:
            return min(unlogged, key=lambda f: f.position or 0)
        streams = [f for f in self.failures if f.kind in STREAM_KINDS]
        if streams:
            return streams[0]
        return self.failures[0] if self.failures else None

    def as_dict(self) -> dict[str, Any]:
        c = self.checkpoint
        first = self.first_failure()
        return {
            "ok": self.ok,
            "export": self.directory,
            "scope": self.scope,
            "key": self.key,
            "checkpoint": {
                "origin": None if c is None else c.origin,
                "size": None if c is None else c.size,
                "root": None if c is None else base64.b64encode(c.root).decode(),
                "signature": self.signature,
                "root_matches": self.root_matches,
                "published_hashes_match": self.published_root_matches,
            },
            "leaves": {
                "count": self.leaves,
                "mismatched": self.mismatched,
                "missing": self.missing,
                "unlogged_events": self.unlogged,
            },
            "streams": {"count": self.streams, "failing": self.bad_streams},
            "previous": [k.as_dict() for k in self.kept],
            "first_failure": None if first is None else first.as_dict(),
            "failure_count": len(self.failures),
            "failures": [f.as_dict() for f in self.failures[:MAX_LISTED_FAILURES]],
            "warnings": self.warnings,
        }


@dataclass
class StreamReport(Report):
    """The report on a single-stream export (one employee's history)."""

    scope: ClassVar[str] = "stream"
    stream: str | None = None
    nip: str | None = None
    declared_latest: int | None = None
    last_version: int = 0
    proofs_verified: int = 0

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        out["stream"] = {
            "originator_id": self.stream,
            "nip": self.nip,
            "declared_latest_version": self.declared_latest,
            "last_version": self.last_version,
            "inclusion_proofs_verified": self.proofs_verified,
        }
        return out


_R = TypeVar("_R", bound=Report)


def _begin(directory: Path, key: Verifier | None, kind: type[_R]) -> tuple[_R, Verifier]:
    """The report of an export directory with its key settled and its checkpoint's signature checked."""
    if not directory.is_dir():
        raise UnusableInput(f"{directory} is not a directory")
    export_key_text = _read_text(directory / KEY_FILE).strip() if (directory / KEY_FILE).exists() else None
    warnings: list[str] = []
    if key is None:
        if export_key_text is None:
            raise UnusableInput(f"no --key given and {directory / KEY_FILE} is missing")
        try:
            key = parse_verifier_key(export_key_text)
        except NoteError as exc:
            raise UnusableInput(f"{directory / KEY_FILE} is not a verifier key: {exc}") from None
        warnings.append(
            "the verifier key was taken from the export itself, so the signature only shows the "
            "export is self-consistent: pin the log's key with --key"
        )
        pinned = False
    else:
        pinned = True
        if export_key_text is not None and export_key_text != key.key_string():
            warnings.append("the export's log.vkey differs from the pinned key")
    report = kind(
        str(directory),
        {"name": key.name, "key_id": key.key_id.hex(), "vkey": key.key_string(), "pinned": pinned},
        warnings=warnings,
    )
    return report, key


def _check_signature(directory: Path, report: Report, key: Verifier) -> None:
    report.checkpoint, report.signature = _open_checkpoint(_read_text(directory / CHECKPOINT_FILE), key)
    if report.signature != "valid":
        report.failures.append(
            Failure(
                "signature",
                f"the export's checkpoint does not verify with the pinned key: {report.signature}",
            )
        )


def _events_file(directory: Path) -> Path:
    events = directory / EVENTS_FILE
    if not events.is_file():
        raise UnusableInput(f"{events} is missing")
    return events


def verify_export(
    directory: Path,
    key: Verifier | None = None,
    previous: Sequence[Path] = (),
    *,
    collect: bool = False,
) -> Report:
    """Verify the whole-log export in `directory`; raises UnusableInput when it cannot be read at all.

    `key` is the pinned verifier key (None: use the export's own key and say so); `previous`
    are checkpoint files or earlier export directories the auditor kept.
    """
    directory = Path(directory)
    report, key = _begin(directory, key, Report)
    manifest = _manifest(directory, report)
    if manifest is not None and manifest.get("format") == STREAM_EXPORT_FORMAT:
        raise UnusableInput(f"{directory} is a single-stream export, not an export of the whole log")
    if manifest is not None and manifest.get("format") != EXPORT_FORMAT:
        raise UnusableInput(f"{directory / MANIFEST_FILE} is not a {EXPORT_FORMAT} manifest")
    _check_signature(directory, report, key)
    kept = [_load_kept(Path(p), key) for p in previous]
    report.kept = kept
    current = report.checkpoint
    sizes = [k.checkpoint.size for k in kept if k.checkpoint is not None]
    if current is not None:
        sizes.append(current.size)
    scan = _Scan(sizes, [k for k in kept if k.leaf_hashes is not None], collect=collect)
    for number, line in _lines(_events_file(directory)):
        scan.feed(number, line)
    report.failures.extend(scan.failures)
    report.leaves = scan.next_index
    report.mismatched, report.missing, report.unlogged = scan.mismatched, scan.missing, scan.unlogged
    report.streams, report.bad_streams = len(scan.streams), len(scan.bad_streams)
    report.collected = scan.collected
    authenticated: list[tuple[int, str]] = []  # (size, source) whose published hashes are proven
    if current is not None:
        _check_current(report, scan, current, authenticated)
    for k in kept:
        _check_kept(report, scan, k, current, authenticated)
    _authenticate(report, authenticated)
    _bound(report, kept)
    return report


def verify_stream_export(directory: Path, key: Verifier | None = None) -> StreamReport:
    """Verify a single-stream export (``ledger audit export --nip``); see the module docstring.

    Raises UnusableInput when it cannot be read at all, or its manifest does not say which
    stream it holds.
    """
    directory = Path(directory)
    report, key = _begin(directory, key, StreamReport)
    manifest = _manifest(directory, report)
    if manifest is None or manifest.get("format") != STREAM_EXPORT_FORMAT:
        raise UnusableInput(f"{directory / MANIFEST_FILE} is not a {STREAM_EXPORT_FORMAT} manifest")
    report.stream, report.nip, report.declared_latest = _declared_stream(directory, manifest)
    _check_signature(directory, report, key)
    current = report.checkpoint
    label = None if current is None else f"checkpoint of the export (size {current.size})"
    scan = _StreamScan(report.stream, current, label if report.signature == "valid" else None)
    if report.nip is not None and str(stream_id("employee", report.nip)) != report.stream:
        scan.fail(
            Failure(
                "stream-scope",
                f"the manifest names an employee whose stream is {stream_id('employee', report.nip)}, "
                f"not the exported stream {report.stream}",
                stream=report.stream,
            )
        )
    size = manifest.get("size")
    if current is not None and size != current.size:
        scan.fail(
            Failure(
                "checkpoint-size",
                f"the manifest describes the log at size {size}, but the checkpoint covers {current.size}",
                checkpoint=label,
            )
        )
    for number, line in _lines(_events_file(directory)):
        scan.feed(number, line)
    scan.finish(report.declared_latest, None if current is None else current.size)
    report.failures.extend(scan.failures)
    report.leaves, report.streams = scan.leaves, 1
    report.bad_streams = int(any(f.kind not in ("signature", "checkpoint-size") for f in scan.failures))
    report.mismatched, report.missing, report.unlogged = scan.mismatched, scan.missing, scan.unlogged
    report.last_version, report.proofs_verified = scan.highest_version, scan.proofs_verified
    return report


def _declared_stream(directory: Path, manifest: dict[str, Any]) -> tuple[str, str | None, int]:
    """(stream id, NIP or None, latest version) as the manifest of a single-stream export declares."""
    declared = manifest.get("stream")
    problem = f"{directory / MANIFEST_FILE} does not say which stream the export holds"
    if not isinstance(declared, dict):
        raise UnusableInput(problem)
    oid, nip, latest = declared.get("originator_id"), declared.get("nip"), declared.get("latest_version")
    try:
        if type(oid) is not str:
            raise ValueError("originator_id")
        _stream_id(oid)
    except ValueError:
        raise UnusableInput(f"{problem}: originator_id must be a canonical UUID") from None
    if nip is not None and type(nip) is not str:
        raise UnusableInput(f"{problem}: nip must be a string")
    if type(latest) is not int or latest < 1:
        raise UnusableInput(f"{problem}: latest_version must be a positive integer")
    return oid, nip, latest


def export_format(directory: Path) -> str:
    """The format an export directory declares (a directory without a readable manifest is taken
    for a whole-log export, as before manifests named their scope)."""
    try:
        manifest = _manifest(Path(directory))
    except UnusableInput:
        return EXPORT_FORMAT
    value = None if manifest is None else manifest.get("format")
    return value if isinstance(value, str) else EXPORT_FORMAT


def verify_directory(directory: Path, key: Verifier | None = None, previous: Sequence[Path] = ()) -> Report:
    """Verify an export of either scope: the manifest says whether it holds the whole log or one stream."""
    if export_format(directory) == STREAM_EXPORT_FORMAT:
        if previous:
            raise UnusableInput(
                "--previous needs an export of the whole log: a single-stream export carries inclusion "
                "proofs for its own events only, which cannot show consistency with a kept checkpoint"
            )
        return verify_stream_export(directory, key)
    return verify_export(directory, key, previous)


def _manifest(directory: Path, report: Report | None = None) -> dict[str, Any] | None:
    """The manifest as a JSON object, or None (with a warning on `report`) when it is unusable."""
    path = directory / MANIFEST_FILE
    if not path.exists():
        if report is not None:
            report.warnings.append(f"no {MANIFEST_FILE} in the export")
        return None
    try:
        manifest = json.loads(_read_text(path))
    except ValueError:
        if report is not None:
            report.warnings.append(f"{MANIFEST_FILE} is not valid JSON")
        return None
    if not isinstance(manifest, dict):
        raise UnusableInput(f"{path} is not a {EXPORT_FORMAT} manifest")
    return manifest


def _check_current(
    report: Report, scan: _Scan, current: Checkpoint, authenticated: list[tuple[int, str]]
) -> None:
    label = f"checkpoint of the export (size {current.size})"
    if scan.next_index != current.size:
        report.failures.append(
            Failure(
                "checkpoint-size",
                f"the export has {scan.next_index} leaves but its checkpoint covers {current.size}",
                checkpoint=label,
            )
        )
    recomputed = scan.roots_recomputed.get(current.size)
    published = scan.roots_published.get(current.size)
    report.published_root_matches = None if published is None else published == current.root
    if published == current.root and report.signature == "valid":
        authenticated.append((current.size, label))
    if current.size > scan.next_index:
        report.root_matches = False
        return
    if recomputed is None:
        report.root_matches = None
        report.failures.append(
            Failure(
                "checkpoint-root",
                f"the root cannot be recomputed: leaf {scan.first_unrecomputable} has no stored event "
                "or is unreadable",
                checkpoint=label,
            )
        )
        return
    report.root_matches = recomputed == current.root
    if not report.root_matches:
        report.failures.append(
            Failure(
                "checkpoint-root",
                "the root recomputed from the stored events differs from the signed checkpoint's root",
                checkpoint=label,
            )
        )


def _check_kept(
    report: Report,
    scan: _Scan,
    kept: Kept,
    current: Checkpoint | None,
    authenticated: list[tuple[int, str]],
) -> None:
    c = kept.checkpoint
    label = f"{kept.source} (size {c.size})" if c else kept.source
    if c is None or not kept.signature.startswith("valid"):
        report.failures.append(
            Failure("previous-unusable", f"kept checkpoint {kept.source}: {kept.signature}", checkpoint=label)
        )
        return
    if kept.signature != "valid":
        report.failures.append(
            Failure(
                "previous-unusable",
                f"earlier export {kept.source} does not verify on its own, so its leaves cannot be used",
                checkpoint=label,
            )
        )
    if current is not None and c.origin != current.origin:
        report.failures.append(
            Failure(
                "previous-origin",
                f"kept checkpoint is for log {c.origin!r}, the export for {current.origin!r}",
                checkpoint=label,
            )
        )
        return
    if (
        current is not None
        and report.signature == "valid"
        and c.size == current.size
        and c.root != current.root
    ):
        report.failures.append(
            Failure(
                "equivocation",
                f"the log signed two different roots for size {c.size}: the kept one and the export's",
                checkpoint=label,
            )
        )
    if c.size > scan.next_index:
        kept.consistent = False
        report.failures.append(
            Failure(
                "previous-truncated",
                f"the export has {scan.next_index} leaves but this kept checkpoint covered {c.size}: "
                f"leaves {scan.next_index}..{c.size - 1} are gone (earlier leaves may also have been "
                "replaced; a kept earlier export would show which)",
                checkpoint=label,
            )
        )
        return
    kept.recomputed_root = scan.roots_recomputed.get(c.size)
    kept.published_root = scan.roots_published.get(c.size)
    kept.published_matches = None if kept.published_root is None else kept.published_root == c.root
    if kept.published_matches:
        authenticated.append((c.size, label))
    if kept.recomputed_root is None:
        kept.consistent = False
        report.failures.append(
            Failure(
                "previous-inconsistent",
                f"the first {c.size} leaves cannot be recomputed (leaf {scan.first_unrecomputable} has no "
                "readable stored event), so the log no longer matches this kept checkpoint",
                checkpoint=label,
            )
        )
        return
    kept.consistent = kept.recomputed_root == c.root
    if not kept.consistent:
        report.failures.append(
            Failure(
                "previous-inconsistent",
                f"the first {c.size} leaves recomputed from the stored events do not reproduce this kept "
                "checkpoint's root: events it covered were altered, removed, reordered or replaced",
                checkpoint=label,
            )
        )


def _authenticate(report: Report, authenticated: list[tuple[int, str]]) -> None:
    """Mark located leaf failures whose published hash a trusted checkpoint proves."""
    for failure in report.failures:
        if failure.kind not in ("leaf-missing", "leaf-mismatch") or failure.leaf_index is None:
            continue
        covering = [(size, label) for size, label in authenticated if size > failure.leaf_index]
        if covering:
            failure.authenticated_by = min(covering)[1]


def _bound(report: Report, kept: Sequence[Kept]) -> None:
    """Where only checkpoints fail, bound the first altered leaf between kept checkpoints."""
    passing = [k.checkpoint.size for k in kept if k.consistent and k.checkpoint is not None]
    for failure in report.failures:
        if failure.kind not in ("previous-inconsistent", "previous-truncated", "equivocation"):
            continue
        size = next(
            (k.checkpoint.size for k in kept if k.checkpoint is not None and failure.checkpoint == _label(k)),
            None,
        )
        if size is None:
            continue
        low = max((s for s in passing if s < size), default=0)
        high = min(size, report.leaves + 1)  # a truncated log has at least lost leaf `report.leaves`
        failure.located_between = (low, high)
        failure.message += f"; the first altered leaf is in [{low}, {high})"


def _label(kept: Kept) -> str:
    c = kept.checkpoint
    return f"{kept.source} (size {c.size})" if c else kept.source


def run(directory: Path, key: str | None, previous: Sequence[Path]) -> tuple[dict[str, Any], int]:
    """The CLI's work: (JSON report, exit status)."""
    try:
        verifier = load_verifier(key) if key else None
        report = verify_directory(directory, verifier, previous)
    except UnusableInput as exc:
        return {"ok": False, "export": str(directory), "error": str(exc)}, EXIT_UNUSABLE
    return report.as_dict(), EXIT_OK if report.ok else EXIT_FAILED

"""One pass over an export's log lines: every leaf hash and the root recomputed from the stored
bytes, every stream's versions and hash chain, each failure located (leaf, stream version)."""

from __future__ import annotations

import binascii
import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ledger.audit.encoding import GENESIS_CHAIN, LeafHasher, chain_hash, event_leaf_hash
from ledger.audit.merkle import HASH_SIZE, MerkleAccumulator, verify_inclusion
from ledger.audit.note import Checkpoint
from ledger.audit.verify.format import (
    EVENTS_FILE,
    PROOF_FIELD,
    Entry,
    Kept,
    entry_identity,
    is_count,
    parse_entry,
    parse_line,
    parse_proof,
    parse_stream_id,
)

MAX_LISTED_FAILURES = 100


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

    def _check_position(self, entry: Entry) -> bool:
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

    def _unlogged(self, entry: Entry) -> None:
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
        self, index: int, entry: Entry, stream: str | None = None, version: int | None = None
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

    def _leaf_mismatch(self, index: int, entry: Entry) -> Failure:
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


def _check_stream(stream: _Stream, entry: Entry, index: int, leaf: bytes) -> list[Failure]:
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


class Scan(_Lines):
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
        self._leaf_hash = LeafHasher()
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
            entry = parse_line(raw)
            if entry.originator_id is not None and entry.originator_id not in self.streams:
                parse_stream_id(entry.originator_id)
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

    def _leaf(self, entry: Entry) -> None:
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
                    parse_stream_id(entry.originator_id), 0, GENESIS_CHAIN, False
                )
            assert entry.topic is not None and entry.originator_version is not None
            recomputed = self._leaf_hash(
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

    def _compare_earlier(self, index: int, leaf: bytes, entry: Entry) -> None:
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


class StreamScan(_Lines):
    """One pass over a single-stream export: each leaf against its inclusion proof, and the stream's
    versions and chain from the genesis link. Leaf indexes are sparse (only this stream's)."""

    def __init__(self, stream: str, checkpoint: Checkpoint | None, authenticated_by: str | None) -> None:
        super().__init__()
        self.stream_id = stream
        self.stream = _Stream(parse_stream_id(stream), 0, GENESIS_CHAIN, False)
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
            entry = parse_entry(obj)
            proof = parse_proof(obj.get(PROOF_FIELD)) if entry.leaf_index is not None else []
            if entry.originator_id is not None:
                parse_stream_id(entry.originator_id)
        except (ValueError, TypeError, KeyError, binascii.Error) as exc:
            index = obj.get("leaf_index") if isinstance(obj, dict) else None
            self.fail(
                Failure(
                    "malformed-line",
                    f"{EVENTS_FILE} line {line_no}: {exc}",
                    leaf_index=index if is_count(index) else None,
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

    def _leaf(self, entry: Entry, index: int, proof: list[bytes], in_order: bool) -> None:
        self.leaves += 1
        oid, version = entry_identity(entry)
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

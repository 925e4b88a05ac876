"""The verifier's pass over a large export on every core: chunks of events.ndjson checked in
worker processes, merged in order.

A worker checks its chunk (lines cut at newlines) with the same parsing and hashing as the
sequential pass (`Scan.feed`): each leaf hash recomputed from the stored bytes and compared with
the published one, dense leaf indexes, increasing positions, each stream's versions and chain
inside the chunk; it hands back the chunk's Merkle subtrees (complete, aligned, cut at the sizes
of the checkpoints to check) and, per stream, its first and last event. The merge checks what
crosses chunks (indexes and positions at the seams, each stream's first event in a chunk against
its last before) and builds the tree from the subtrees.

This is the pass of a *clean* export. As soon as any chunk or seam shows anything the
sequential pass would report, the answer is None and the caller runs the sequential pass, which
locates every failure exactly as before: a failing export gets the same report by construction,
and a passing one the same counts, roots and streams (tests/audit/test_audit_verify_parallel.py).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from ledger.audit.encoding import GENESIS_CHAIN, chain_hash, event_leaf_hash
from ledger.audit.merkle import HASH_SIZE, node_hash
from ledger.audit.verify.format import Kept, parse_entry, parse_stream_id
from ledger.audit.verify.scan import Scan, _Stream
from ledger.config import Settings

CHUNK_BYTES = 32 << 20  # per task: bounds a worker's memory (the chunk and its leaf hashes)
PARALLEL_MIN_BYTES = 64 << 20  # below this, starting the workers costs more than it saves


@dataclass
class Chunk:
    """What a clean chunk hands back to the merge."""

    first_index: int
    count: int
    first_position: int
    last_position: int
    # stream -> (raw id, first version, its published chain, its leaf, last version, last chain)
    streams: dict[str, tuple[bytes, int, bytes, bytes, int, bytes]]
    subtrees: list[tuple[int, bytes]]  # (size, MTH) of consecutive aligned complete subtrees
    leaves: bytes = b""  # the leaf hashes, when the merge needs them (earlier exports, collect)


@dataclass
class _Task:
    path: str
    start: int
    end: int
    cuts: tuple[int, ...]
    want_leaves: bool


def chunk_bounds(path: Path, chunk_bytes: int) -> list[tuple[int, int]]:
    """Byte ranges of about `chunk_bytes`, each ending after a newline (or at the end)."""
    size = path.stat().st_size
    bounds = []
    with path.open("rb") as handle:
        start = 0
        while start < size:
            handle.seek(min(start + chunk_bytes, size))
            handle.readline()  # to the end of the line the cut fell in
            end = min(handle.tell(), size)
            bounds.append((start, end))
            start = end
    return bounds


def scan_chunk(task: _Task) -> Chunk | None:
    """Check one chunk; None when anything in it is not clean (the sequential pass then says what)."""
    with open(task.path, "rb") as handle:
        handle.seek(task.start)
        data = handle.read(task.end - task.start)
    streams: dict[str, list[object]] = {}
    leaves: list[bytes] = []
    first_index = first_position = position = -1
    try:
        for line in data.split(b"\n"):
            if not line.strip():
                continue
            obj = json.loads(line)
            if not isinstance(obj, dict):
                return None
            entry = parse_entry(obj)
            oid, version, state, topic = (
                entry.originator_id,
                entry.originator_version,
                entry.state,
                entry.topic,
            )
            index = entry.leaf_index
            if index is None or oid is None or state is None or topic is None or version is None:
                return None  # an unlogged event or a missing one: a failure
            if first_index < 0:
                first_index, first_position = index, entry.position
            elif index != first_index + len(leaves) or entry.position <= position:
                return None
            position = entry.position
            known = streams.get(oid)
            raw = parse_stream_id(oid) if known is None else known[0]
            assert isinstance(raw, bytes)
            leaf = event_leaf_hash(index, raw, version, topic, state)
            if leaf != entry.leaf_hash:
                return None
            if known is None:
                streams[oid] = [raw, version, entry.chain_hash, leaf, version, entry.chain_hash]
            else:
                last_version, last_chain = known[4], known[5]
                assert isinstance(last_version, int) and isinstance(last_chain, bytes)
                if version != last_version + 1 or entry.chain_hash != chain_hash(last_chain, leaf):
                    return None
                known[4], known[5] = version, entry.chain_hash
            leaves.append(leaf)
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    if not leaves:
        return None  # a chunk of blank lines only: let the sequential pass have it
    return Chunk(
        first_index,
        len(leaves),
        first_position,
        position,
        {k: tuple(v) for k, v in streams.items()},  # type: ignore[misc]
        aligned_subtrees(leaves, first_index, task.cuts),
        b"".join(leaves) if task.want_leaves else b"",
    )


def aligned_subtrees(leaves: Sequence[bytes], start: int, cuts: Sequence[int]) -> list[tuple[int, bytes]]:
    """The leaves at [start, start + len) as consecutive complete subtrees aligned to their own
    size, never spanning a cut (a size whose root the merge must give)."""
    out = []
    position, end, i = start, start + len(leaves), 0
    while position < end:
        size = position & -position if position else 1 << (end - 1).bit_length()
        while position + size > end or any(position < c < position + size for c in cuts):
            size >>= 1
        level = list(leaves[i : i + size])
        while len(level) > 1:
            level = [node_hash(level[j], level[j + 1]) for j in range(0, len(level), 2)]
        out.append((size, level[0]))
        position += size
        i += size
    return out


@dataclass
class _Merge:
    scan: Scan
    streams: dict[str, tuple[int, bytes]] = field(default_factory=dict)  # last (version, chain)

    def add(self, chunk: Chunk) -> bool:
        scan = self.scan
        if chunk.first_index != scan.next_index or chunk.first_position <= scan.last_position:
            return False
        for oid, (raw, first_v, first_chain, first_leaf, last_v, last_chain) in chunk.streams.items():
            before = self.streams.get(oid)
            previous_version, previous_chain = before if before is not None else (0, GENESIS_CHAIN)
            if first_v != previous_version + 1 or first_chain != chain_hash(previous_chain, first_leaf):
                return False
            self.streams[oid] = (last_v, last_chain)
            if before is None:
                scan.streams[oid] = _Stream(raw, 0, GENESIS_CHAIN, False)
        if not self._earlier_agree(chunk):
            return False
        tree = scan.recomputed
        assert tree is not None
        for size, root in chunk.subtrees:
            tree.append_subtree(root, size)
            scan.next_index += size
            scan._snapshot()
        if scan.collected is not None:
            scan.collected += chunk.leaves
        scan.last_position = chunk.last_position
        return True

    def _earlier_agree(self, chunk: Chunk) -> bool:
        """The chunk's leaves against the same leaves of each earlier export the auditor kept."""
        for kept in self.scan.earlier:
            hashes = kept.leaf_hashes
            assert hashes is not None
            low, high = chunk.first_index * HASH_SIZE, (chunk.first_index + chunk.count) * HASH_SIZE
            if low < len(hashes) and hashes[low:high] != chunk.leaves[: max(0, len(hashes) - low)]:
                return False
        return True

    def finish(self) -> None:
        for oid, (version, chain) in self.streams.items():
            stream = self.scan.streams[oid]
            stream.version, stream.chain = version, chain


def parallel_scan(
    path: Path,
    snapshot_sizes: Sequence[int],
    earlier: Sequence[Kept] = (),
    *,
    collect: bool = False,
    workers: int | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> Scan | None:
    """The Scan the sequential pass would leave on a clean export, computed by `workers`
    processes (default: every core); None when the export is not clean or the file cannot be
    chunked (the caller then runs the sequential pass)."""
    scan = Scan(snapshot_sizes, earlier, collect=collect)
    want_leaves = collect or bool(scan.earlier)
    cuts = tuple(sorted(set(snapshot_sizes)))
    tasks = [_Task(str(path), s, e, cuts, want_leaves) for s, e in chunk_bounds(path, chunk_bytes)]
    if not tasks:
        return None
    merge = _Merge(scan)
    with ProcessPoolExecutor(workers or os.cpu_count() or 1, mp_context=get_context("spawn")) as pool:
        for chunk in _in_order(pool, tasks):
            if chunk is None or not merge.add(chunk):
                pool.shutdown(wait=True, cancel_futures=True)
                return None
    merge.finish()
    return scan


def _in_order(pool: ProcessPoolExecutor, tasks: list[_Task]) -> Iterator[Chunk | None]:
    # map() submits every task at once; results come back in order, so the merge runs while
    # the workers scan the next chunks. Memory: the finished chunks not yet merged.
    yield from pool.map(scan_chunk, tasks)


def scan_if_large(
    path: Path, snapshot_sizes: Sequence[int], earlier: Sequence[Kept], *, collect: bool
) -> Scan | None:
    """parallel_scan for an export large enough to gain from it, on more than one core."""
    workers = Settings.from_env().verify_workers or os.cpu_count() or 1
    if workers < 2 or path.stat().st_size < PARALLEL_MIN_BYTES:
        return None
    return parallel_scan(
        path, snapshot_sizes, earlier, collect=collect, workers=workers, chunk_bytes=CHUNK_BYTES
    )

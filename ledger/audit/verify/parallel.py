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

import binascii
import hashlib
import multiprocessing
import os
import struct
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import orjson

from ledger.audit.encoding import CHAIN_PREFIX, GENESIS_CHAIN, LEAF_HEAD, LENGTH, U64_MAX, chain_hash
from ledger.audit.merkle import HASH_SIZE, NODE_PREFIX
from ledger.audit.verify.format import Kept, parse_stream_id
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
    """Check one chunk; None when anything in it is not clean (the sequential pass then says what).

    At least as strict as the sequential pass: a line is taken only in the form fast_entry takes
    (orjson, no nesting, every field of the right type), and its published hashes only as the
    lower-case hex of what is recomputed, so the hex is not decoded (the first link of a stream
    in the chunk is, for the merge). Anything else, also what the sequential pass would accept
    (upper-case hex, say), hands over to it.
    """
    with open(task.path, "rb") as handle:
        handle.seek(task.start)
        data = handle.read(task.end - task.start)
    loads, decode, sha256, head, length = (
        orjson.loads,
        binascii.a2b_base64,
        hashlib.sha256,
        LEAF_HEAD.pack,
        LENGTH.pack,
    )
    topics: dict[str, bytes] = {}  # topic -> its length-prefixed UTF-8 (a chunk has a few dozen)
    streams: dict[str, list[Any]] = {}
    leaves: list[bytes] = []
    first_index = first_position = position = -1
    try:
        for line in data.split(b"\n"):
            if 91 in line or line.count(b"{") != 1:  # 91 is "[" (an int: memchr, no bytes search)
                if not line.strip():
                    continue
                return None
            obj = loads(line)
            if type(obj) is not dict:
                return None
            # A missing field raises KeyError: not clean. The two optional ones may be absent.
            index, at, version = obj["leaf_index"], obj["position"], obj["originator_version"]
            oid, topic, state_text = obj["originator_id"], obj["topic"], obj["state"]
            published_leaf, published_chain = obj["leaf_hash"], obj["chain_hash"]
            event_id, logged = obj.get("event_id"), obj.get("logged_event_id")
            if not (
                type(index) is int
                and type(at) is int
                and type(version) is int
                and 0 <= version <= U64_MAX
                and type(oid) is str
                and type(topic) is str
                and type(state_text) is str
                and type(published_leaf) is str
                and type(published_chain) is str
                and len(published_chain) == 2 * HASH_SIZE
                and (event_id is None or type(event_id) is str)
                and (logged is None or type(logged) is str)
            ):
                return None
            if first_index < 0:
                if not (0 <= index <= U64_MAX - (1 << 32) and at >= 0):
                    return None  # near 2**64 the sequential pass decides
                first_index, first_position = index, at
            elif index != first_index + len(leaves) or at <= position:
                return None
            position = at
            known = streams.get(oid)
            raw = parse_stream_id(oid) if known is None else known[0]
            part = topics.get(topic)
            if part is None:
                encoded = topic.encode("utf-8")  # a lone surrogate raises: not clean
                part = length(len(encoded)) + encoded  # struct.error past 2**32 bytes: not clean
                if len(topics) < 1024:
                    topics[topic] = part
            state = decode(state_text, strict_mode=True)
            # event_leaf_hash (ledger/audit/encoding.py), inline: a call per event costs.
            leaf = sha256(b"".join((head(0, index, raw, version), part, length(len(state)), state))).digest()
            if leaf.hex() != published_leaf:
                return None
            if known is None:
                chain = bytes.fromhex(published_chain)
                streams[oid] = [raw, version, chain, leaf, version, chain]
            else:
                if version != known[4] + 1:
                    return None
                chain = sha256(CHAIN_PREFIX + known[5] + leaf).digest()
                if chain.hex() != published_chain:
                    return None
                known[4], known[5] = version, chain
            leaves.append(leaf)
    except (ValueError, TypeError, KeyError, RecursionError, struct.error):
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
    sha256 = hashlib.sha256
    out = []
    position, end, i = start, start + len(leaves), 0
    while position < end:
        size = position & -position if position else 1 << (end - 1).bit_length()
        while position + size > end or any(position < c < position + size for c in cuts):
            size >>= 1
        level = list(leaves[i : i + size])
        while len(level) > 1:  # node_hash, inline
            level = [sha256(NODE_PREFIX + level[j] + level[j + 1]).digest() for j in range(0, len(level), 2)]
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
    with ProcessPoolExecutor(workers or os.cpu_count() or 1, mp_context=get_context(_start_method())) as pool:
        for chunk in _in_order(pool, tasks):
            if chunk is None or not merge.add(chunk):
                pool.shutdown(wait=True, cancel_futures=True)
                return None
    merge.finish()
    return scan


def _start_method() -> str:
    """fork where this process runs one thread (the CLI): a forked worker starts at once, where a
    spawned one imports the `ledger` command's modules again (~1 s of CPU each). With other
    threads running (a test runner, a server) forking could copy a lock held by one of them."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


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

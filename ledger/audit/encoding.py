"""The canonical leaf encoding of the audit log and the per-stream hash chain.

Defined once here; the audit projection, the export and the offline verifier all use it.

Leaf input (all integers unsigned big-endian; docs/AUDIT.md has the same table):

====== ======================= ============================================================
bytes  field                   encoding
====== ======================= ============================================================
8      leaf index              u64: 0, 1, 2, ... dense, in notification order
16     originator id           the stream's UUID as its 16 raw bytes (RFC 9562 byte order)
8      originator version      u64: 1 for a stream's first event, then +1
4      topic length T          u32: number of UTF-8 bytes of the topic
T      topic                   the stored topic string, UTF-8
4      state length S          u32: number of bytes of the stored state
S      state                   the stored state bytes exactly as in the event store
====== ======================= ============================================================

The notification id is deliberately absent: rolled-back inserts leave gaps in it, and the log
must not depend on them. Leaf hash = SHA-256(0x00 || leaf input) (RFC 9162 2.1.1).

Stream chain: for the events of one stream in log order,
``chain = SHA-256(0x02 || previous chain || leaf hash)`` with ``previous chain`` = 32 zero bytes
for the stream's first event. The prefix 0x02 keeps chain hashes apart from RFC 9162 leaf (0x00)
and node (0x01) hashes; chaining the leaf hash (which commits to the whole leaf input) rather
than the leaf input itself lets one stream be checked with the same numbers its Merkle
inclusion proofs use.
"""

from __future__ import annotations

import hashlib
import struct
from uuid import UUID

from ledger.audit.merkle import leaf_hash

U32_MAX = 2**32 - 1
U64_MAX = 2**64 - 1
GENESIS_CHAIN = bytes(32)
CHAIN_PREFIX = b"\x02"

_HEAD = struct.Struct(">Q16sQ")
_LEN = struct.Struct(">I")


def encode_leaf(index: int, originator_id: UUID | bytes, version: int, topic: str, state: bytes) -> bytes:
    """Canonical leaf input of one stored event (see the module docstring)."""
    raw_id = originator_id.bytes if isinstance(originator_id, UUID) else originator_id
    if len(raw_id) != 16:
        raise ValueError("originator id must be 16 bytes")
    if not (0 <= index <= U64_MAX and 0 <= version <= U64_MAX):
        raise ValueError("leaf index and version must fit in an unsigned 64-bit integer")
    topic_bytes = topic.encode("utf-8")
    if len(topic_bytes) > U32_MAX or len(state) > U32_MAX:
        raise ValueError("topic and state must be shorter than 2**32 bytes")
    return b"".join(
        (
            _HEAD.pack(index, raw_id, version),
            _LEN.pack(len(topic_bytes)),
            topic_bytes,
            _LEN.pack(len(state)),
            state,
        )
    )


def event_leaf_hash(index: int, originator_id: UUID | bytes, version: int, topic: str, state: bytes) -> bytes:
    """RFC 9162 leaf hash of one stored event at `index`."""
    return leaf_hash(encode_leaf(index, originator_id, version, topic, state))


# 0x00 (RFC 9162 leaf prefix), leaf index, originator id, version: the fixed head of a leaf's input
# as it is hashed; then each length (u32). For callers that hash many leaves without a call each.
LEAF_HEAD = struct.Struct(">BQ16sQ")
LENGTH = _LEN
_TOPICS_CACHED = 1024  # an export has a few dozen topics; a hostile one must not grow memory


class LeafHasher:
    """event_leaf_hash over many events, for the verifier's pass over an export: the same hash,
    computed with one join and one SHA-256 call, each topic's length-prefixed UTF-8 kept."""

    def __init__(self) -> None:
        self._topics: dict[str, bytes] = {}

    def __call__(self, index: int, raw_id: bytes, version: int, topic: str, state: bytes) -> bytes:
        part = self._topics.get(topic)
        if part is None:
            topic_bytes = topic.encode("utf-8")
            part = _LEN.pack(len(topic_bytes)) + topic_bytes if len(topic_bytes) <= U32_MAX else b""
            if part and len(self._topics) < _TOPICS_CACHED:
                self._topics[topic] = part
        if (
            not part
            or len(raw_id) != 16
            or not (0 <= index <= U64_MAX and 0 <= version <= U64_MAX)
            or len(state) > U32_MAX
        ):
            return event_leaf_hash(index, raw_id, version, topic, state)  # raises what it raises
        return hashlib.sha256(
            b"".join((LEAF_HEAD.pack(0, index, raw_id, version), part, _LEN.pack(len(state)), state))
        ).digest()


def chain_hash(previous: bytes, leaf: bytes) -> bytes:
    """Next link of a stream's chain: SHA-256(0x02 || previous chain || leaf hash)."""
    if len(previous) != 32 or len(leaf) != 32:
        raise ValueError("chain and leaf hashes are 32 bytes")
    return hashlib.sha256(CHAIN_PREFIX + previous + leaf).digest()

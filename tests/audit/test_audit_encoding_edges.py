"""The canonical leaf encoding at its integer and length limits, and its exact refusals.

Written against surviving mutants of ledger/audit/encoding.py (docs/TESTING.md).
"""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

import pytest

from ledger.audit.encoding import U32_MAX, U64_MAX, chain_hash, encode_leaf

ID = UUID("00112233-4455-6677-8899-aabbccddeeff")


class Sized:
    """Stands in for a state of `n` bytes without allocating it (4 GiB is the limit tested)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n


def test_index_and_version_take_the_whole_u64_range() -> None:
    top = encode_leaf(U64_MAX, ID, U64_MAX, "t", b"s")
    assert top == b"\xff" * 8 + ID.bytes + b"\xff" * 8 + b"\x00\x00\x00\x01t" + b"\x00\x00\x00\x01s"
    bottom = encode_leaf(0, ID.bytes, 0, "", b"")
    assert bottom == bytes(8) + ID.bytes + bytes(8) + bytes(4) + bytes(4)


@pytest.mark.parametrize(("index", "version"), [(-1, 1), (U64_MAX + 1, 1), (0, -1), (0, U64_MAX + 1)])
def test_integers_outside_u64_are_refused(index: int, version: int) -> None:
    with pytest.raises(ValueError, match=r"^leaf index and version must fit in an unsigned 64-bit integer$"):
        encode_leaf(index, ID, version, "t", b"s")


@pytest.mark.parametrize("raw_id", [ID.bytes[:15], ID.bytes + b"\x00"])
def test_an_originator_id_of_other_than_16_bytes_is_refused(raw_id: bytes) -> None:
    with pytest.raises(ValueError, match=r"^originator id must be 16 bytes$"):
        encode_leaf(0, raw_id, 1, "t", b"s")


def test_a_state_longer_than_u32_is_refused_before_anything_is_packed() -> None:
    huge: Any = Sized(U32_MAX + 1)
    with pytest.raises(ValueError, match=r"^topic and state must be shorter than 2\*\*32 bytes$"):
        encode_leaf(0, ID, 1, "t", huge)


def test_a_state_of_exactly_u32_max_bytes_passes_the_length_check() -> None:
    # The stand-in gets as far as the byte join, which only a real 4 GiB state would pass.
    at_limit: Any = Sized(U32_MAX)
    with pytest.raises(TypeError, match=r"^sequence item 4: expected a bytes-like object, Sized found$"):
        encode_leaf(0, ID, 1, "t", at_limit)


def test_chain_hash_refuses_other_than_32_byte_inputs() -> None:
    good = bytes(32)
    assert chain_hash(good, good) == hashlib.sha256(b"\x02" + good + good).digest()
    for previous, leaf in [(good[:31], good), (good, good + b"\x00")]:
        with pytest.raises(ValueError, match=r"^chain and leaf hashes are 32 bytes$"):
            chain_hash(previous, leaf)

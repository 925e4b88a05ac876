"""RFC 9162 proofs at the edges the vectors and properties leave open.

Written against surviving mutants of ledger/audit/merkle.py (docs/TESTING.md).
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from ledger.audit.merkle import (
    MerkleAccumulator,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_leaf_hashes,
    verify_consistency,
)

LEAVES = [leaf_hash(bytes([i])) for i in range(4)]


@pytest.mark.parametrize(("old", "new"), [(0, 0), (0, 3), (4, 3)])
def test_consistency_proof_refuses_an_empty_or_larger_old_tree(old: int, new: int) -> None:
    # From the empty tree there is nothing to prove: (0, 0) must not come back as an empty proof.
    with pytest.raises(ValueError, match=rf"^no consistency proof from size {old} to {new}$"):
        consistency_proof(LEAVES, old, new)


def test_equal_sizes_need_both_roots_to_be_bytes() -> None:
    root = root_from_leaf_hashes(LEAVES)
    assert verify_consistency(4, 4, root, root, []) is True
    # bytearray compares equal to bytes, so only the type check can refuse it
    lookalike: Any = bytearray(root)
    assert verify_consistency(4, 4, lookalike, root, []) is False
    assert verify_consistency(4, 4, root, lookalike, []) is False


def test_a_short_old_root_is_refused_even_when_the_proof_would_chain_from_it() -> None:
    # old size 2 is a power of two, so the verifier starts from the old root itself; a root that
    # is not 32 bytes must be refused before it is used, whatever the new root is.
    short = hashlib.sha256(b"x").digest()[:31]
    sibling = node_hash(LEAVES[2], LEAVES[3])
    assert verify_consistency(2, 4, short, node_hash(short, sibling), [sibling]) is False
    genuine = root_from_leaf_hashes(LEAVES[:2])
    assert verify_consistency(2, 4, genuine, node_hash(genuine, sibling), [sibling]) is True


def test_inclusion_proof_refusals_are_exact() -> None:
    with pytest.raises(ValueError, match=r"^index 4 not in a tree of size 4$"):
        inclusion_proof(LEAVES, 4, 4)
    with pytest.raises(ValueError, match=r"^tree has 4 leaves, fewer than 5$"):
        inclusion_proof(LEAVES, 0, 5)


def test_the_accumulator_refuses_a_leaf_hash_of_other_than_32_bytes() -> None:
    acc = MerkleAccumulator()
    for bad in (LEAVES[0][:31], LEAVES[0] + b"\x00"):
        with pytest.raises(ValueError, match=r"^leaf hash must be 32 bytes$"):
            acc.append(bad)
    assert acc.size == 0

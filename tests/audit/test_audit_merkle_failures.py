"""Proof checks say why a proof fails (RFC 9162 2.1.3.2 and 2.1.4.2), as transparency-dev's do."""

from __future__ import annotations

import hashlib

import pytest

from ledger.audit.merkle import (
    EMPTY_ROOT,
    MalformedProof,
    RootMismatch,
    WrongProofSize,
    check_consistency,
    check_inclusion,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [leaf_hash(f"leaf {i}".encode()) for i in range(7)]
ROOT = root_from_leaf_hashes(LEAVES)
OTHER = hashlib.sha256(b"other").digest()


def test_a_valid_inclusion_proof_passes() -> None:
    proof = inclusion_proof(LEAVES, 3, 7)
    assert check_inclusion(LEAVES[3], 3, 7, proof, ROOT) is None
    assert verify_inclusion(LEAVES[3], 3, 7, proof, ROOT) is True


def test_another_leaf_is_a_root_mismatch_naming_both_roots() -> None:
    proof = inclusion_proof(LEAVES, 3, 7)
    with pytest.raises(RootMismatch) as err:
        check_inclusion(LEAVES[4], 3, 7, proof, ROOT)
    # The path's siblings are the real tree's, so the claim recomputes the tree with leaf 3 swapped.
    swapped = root_from_leaf_hashes([*LEAVES[:3], LEAVES[4], *LEAVES[4:]])
    assert (err.value.expected, err.value.computed) == (ROOT, swapped)
    assert ROOT.hex() in str(err.value)
    assert verify_inclusion(LEAVES[4], 3, 7, proof, ROOT) is False


@pytest.mark.parametrize(("change", "why"), [("extra", "more than"), ("short", "fewer than")])
def test_a_path_of_the_wrong_length_is_a_wrong_proof_size(change: str, why: str) -> None:
    proof = inclusion_proof(LEAVES, 3, 7)
    path = [*proof, OTHER] if change == "extra" else proof[:-1]
    with pytest.raises(WrongProofSize, match=why):
        check_inclusion(LEAVES[3], 3, 7, path, ROOT)


@pytest.mark.parametrize(
    ("leaf", "index", "size", "root"),
    [(LEAVES[3], 7, 7, ROOT), (b"short", 3, 7, ROOT), (LEAVES[3], -1, 7, ROOT), (LEAVES[3], 3, 7, b"x")],
)
def test_malformed_inputs_are_named_as_such(leaf: bytes, index: int, size: int, root: bytes) -> None:
    with pytest.raises(MalformedProof):
        check_inclusion(leaf, index, size, inclusion_proof(LEAVES, 3, 7), root)


def test_consistency_failures_say_why() -> None:
    old = root_from_leaf_hashes(LEAVES[:3])
    proof = consistency_proof(LEAVES, 3, 7)
    assert check_consistency(3, 7, old, ROOT, proof) is None
    with pytest.raises(RootMismatch) as err:
        check_consistency(3, 7, OTHER, ROOT, proof)
    assert err.value.expected == OTHER
    with pytest.raises(RootMismatch) as err:
        check_consistency(3, 7, old, OTHER, proof)
    assert err.value.expected == OTHER
    with pytest.raises(WrongProofSize, match="more than"):
        check_consistency(3, 7, old, ROOT, [*proof, OTHER])
    with pytest.raises(WrongProofSize, match="non-empty"):
        check_consistency(3, 7, old, ROOT, [])
    with pytest.raises(WrongProofSize, match="empty path"):
        check_consistency(7, 7, ROOT, ROOT, [OTHER])
    with pytest.raises(MalformedProof):
        check_consistency(7, 3, ROOT, old, proof)
    with pytest.raises(MalformedProof):
        check_consistency(0, 7, EMPTY_ROOT, ROOT, proof)
    with pytest.raises(RootMismatch):
        check_consistency(0, 0, OTHER, OTHER, [])
    assert verify_consistency(3, 7, old, ROOT, proof) is True
    assert verify_consistency(3, 7, OTHER, ROOT, proof) is False


def _reason(call: object, *args: object) -> str:
    try:
        call(*args)  # type: ignore[operator]
    except (MalformedProof, WrongProofSize, RootMismatch) as err:
        return f"{type(err).__name__}: {err}"
    raise AssertionError("the proof passed")


def test_each_failure_says_why_in_words() -> None:
    proof = inclusion_proof(LEAVES, 3, 7)
    old = root_from_leaf_hashes(LEAVES[:3])
    cons = consistency_proof(LEAVES, 3, 7)
    assert [
        _reason(check_inclusion, b"short", 3, 7, proof, ROOT),
        _reason(check_inclusion, LEAVES[3], 7, 7, proof, ROOT),
        _reason(check_inclusion, LEAVES[3], 3, 7, [*proof, OTHER], ROOT),
        _reason(check_inclusion, LEAVES[3], 3, 7, proof[:-1], ROOT),
        _reason(check_consistency, 7, 3, ROOT, old, cons),
        _reason(check_consistency, 3, 7, "x", ROOT, cons),
        _reason(check_consistency, 7, 7, ROOT, ROOT, [OTHER]),
        _reason(check_consistency, 0, 7, EMPTY_ROOT, ROOT, cons),
        _reason(check_consistency, 3, 7, old, ROOT, []),
        _reason(check_consistency, 3, 7, old, ROOT, [*cons, OTHER]),
        _reason(check_consistency, 3, 7, old, ROOT, cons[:-1]),
    ] == [
        "MalformedProof: leaf hash, index, size, path and root must be of the RFC's types",
        "MalformedProof: index 7 is outside a tree of 7 leaves",
        "WrongProofSize: the path has more than the hashes a tree of 7 leaves needs",
        "WrongProofSize: the path has fewer than the hashes a tree of 7 leaves needs",
        "MalformedProof: sizes must be 0 <= old <= new and the path a list of hashes",
        "MalformedProof: roots must be bytes",
        "WrongProofSize: equal sizes take an empty path",
        "MalformedProof: an empty old tree, or roots that are not hashes, prove nothing",
        "WrongProofSize: different sizes take a non-empty path",
        "WrongProofSize: the path has more than the hashes sizes 3..7 need",
        "WrongProofSize: the path has fewer than the hashes sizes 3..7 need",
    ]

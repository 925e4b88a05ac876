"""Property tests for ledger.audit.merkle on random trees of 1..200 leaves."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.audit.merkle import (
    MerkleAccumulator,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_leaf_hashes,
    subtree_hash_from_complete,
    verify_consistency,
    verify_inclusion,
)

SETTINGS = settings(max_examples=40, deadline=None, database=None)


def _leaf_data(min_size: int, max_size: int) -> st.SearchStrategy[list[bytes]]:
    """Leaf inputs with the tree size drawn first, so large trees are common."""
    return st.integers(min_size, max_size).flatmap(
        lambda n: st.lists(st.binary(max_size=16), min_size=n, max_size=n)
    )


leaf_lists = _leaf_data(1, 200)


def _complete_store(leaves: list[bytes]) -> dict[tuple[int, int], bytes]:
    """Every complete, aligned subtree hash, as a storage layer would keep them."""
    store = {(i, i + 1): h for i, h in enumerate(leaves)}
    width = 1
    while width * 2 <= len(leaves):
        for start in range(0, len(leaves) - 2 * width + 1, 2 * width):
            left, right = store[start, start + width], store[start + width, start + 2 * width]
            store[start, start + 2 * width] = node_hash(left, right)
        width *= 2
    return store


def _prefix_roots(leaves: list[bytes]) -> list[bytes]:
    """Roots of every prefix D[0:n], n = 0..len(leaves), from the accumulator."""
    accumulator = MerkleAccumulator()
    roots = [accumulator.root()]
    for leaf in leaves:
        accumulator.append(leaf)
        roots.append(accumulator.root())
    return roots


def _flip(value: bytes, bit: int) -> bytes:
    bit %= len(value) * 8
    out = bytearray(value)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


@SETTINGS
@given(leaf_lists)
def test_accumulator_matches_recursive_root_for_every_prefix(data: list[bytes]) -> None:
    leaves = [leaf_hash(d) for d in data]
    roots = _prefix_roots(leaves)
    assert all(roots[n] == root_from_leaf_hashes(leaves[:n]) for n in range(len(leaves) + 1))


@SETTINGS
@given(leaf_lists, st.data())
def test_every_inclusion_proof_verifies(data: list[bytes], draw: st.DataObject) -> None:
    leaves = [leaf_hash(d) for d in data]
    size = len(leaves)
    root = root_from_leaf_hashes(leaves)
    store = _complete_store(leaves)
    proofs = subtree_hash_from_complete(lambda start, end: store[start, end])
    for index in range(size):
        proof = inclusion_proof(proofs, index, size)
        assert verify_inclusion(leaves[index], index, size, proof, root)
    index = draw.draw(st.integers(0, size - 1))
    assert inclusion_proof(leaves, index, size) == inclusion_proof(proofs, index, size)


@SETTINGS
@given(leaf_lists, st.data())
def test_every_consistency_proof_verifies(data: list[bytes], draw: st.DataObject) -> None:
    leaves = [leaf_hash(d) for d in data]
    size = len(leaves)
    roots = _prefix_roots(leaves)
    store = _complete_store(leaves)
    proofs = subtree_hash_from_complete(lambda start, end: store[start, end])
    new = draw.draw(st.integers(1, size))
    for old in range(1, new + 1):
        proof = consistency_proof(proofs, old, new)
        assert verify_consistency(old, new, roots[old], roots[new], proof)
    old = draw.draw(st.integers(1, new))
    assert consistency_proof(leaves, old, new) == consistency_proof(proofs, old, new)


@SETTINGS
@given(leaf_lists, st.data())
def test_complete_store_serves_proofs_in_log_calls(data: list[bytes], draw: st.DataObject) -> None:
    leaves = [leaf_hash(d) for d in data]
    store = _complete_store(leaves)
    calls: list[tuple[int, int]] = []

    def complete(start: int, end: int) -> bytes:
        calls.append((start, end))
        return store[start, end]  # KeyError if not a complete, aligned subtree

    size = len(leaves)
    limit = 2 * (size - 1).bit_length() + 1
    inclusion_proof(subtree_hash_from_complete(complete), draw.draw(st.integers(0, size - 1)), size)
    assert len(calls) <= limit
    calls.clear()
    consistency_proof(subtree_hash_from_complete(complete), draw.draw(st.integers(1, size)), size)
    assert len(calls) <= limit


# One spare leaf beyond the tree, so the size + 1 neighbour tree exists.
trees_with_spare = _leaf_data(2, 201)


@SETTINGS
@given(trees_with_spare, st.data())
def test_tampered_inclusion_rejected(data: list[bytes], draw: st.DataObject) -> None:
    leaves = [leaf_hash(d) for d in data]
    roots = _prefix_roots(leaves)
    size = len(leaves) - 1
    index = draw.draw(st.integers(0, size - 1))
    leaf, root = leaves[index], roots[size]
    proof = inclusion_proof(leaves, index, size)
    assert verify_inclusion(leaf, index, size, proof, root)
    bit = draw.draw(st.integers(0, 255))
    for i in range(len(proof)):
        bad = [*proof[:i], _flip(proof[i], bit), *proof[i + 1 :]]
        assert not verify_inclusion(leaf, index, size, bad, root)
    assert not verify_inclusion(leaf, index, size, proof, _flip(root, bit))
    assert not verify_inclusion(_flip(leaf, bit), index, size, proof, root)
    for delta in (-1, 1):
        # Accepted only if true: equal leaves (hypothesis likes b"") share a hash.
        moved = index + delta
        if verify_inclusion(leaf, moved, size, proof, root):
            assert 0 <= moved < size and leaves[moved] == leaf
        # The proof does not carry over to the neighbouring tree sizes.
        assert not verify_inclusion(leaf, index, size + delta, proof, roots[size + delta])
    if proof:
        assert not verify_inclusion(leaf, index, size, proof[:-1], root)
    assert not verify_inclusion(leaf, index, size, [*proof, root], root)


@SETTINGS
@given(_leaf_data(3, 201), st.data())
def test_tampered_consistency_rejected(data: list[bytes], draw: st.DataObject) -> None:
    leaves = [leaf_hash(d) for d in data]
    roots = _prefix_roots(leaves)
    new = draw.draw(st.integers(2, len(leaves) - 1))
    old = draw.draw(st.integers(1, new - 1))
    proof = consistency_proof(leaves, old, new)
    assert verify_consistency(old, new, roots[old], roots[new], proof)
    bit = draw.draw(st.integers(0, 255))
    for i in range(len(proof)):
        bad = [*proof[:i], _flip(proof[i], bit), *proof[i + 1 :]]
        assert not verify_consistency(old, new, roots[old], roots[new], bad)
    assert not verify_consistency(old, new, _flip(roots[old], bit), roots[new], proof)
    assert not verify_consistency(old, new, roots[old], _flip(roots[new], bit), proof)
    for delta in (-1, 1):
        assert not verify_consistency(old + delta, new, roots[old], roots[new], proof)
        assert not verify_consistency(old, new + delta, roots[old], roots[new + delta], proof)
    assert not verify_consistency(old, new, roots[old], roots[new], proof[:-1])
    assert not verify_consistency(old, new, roots[old], roots[new], [*proof, roots[new]])
    assert not verify_consistency(old, new, roots[new], roots[old], proof)


def test_bare_root_does_not_bind_tree_size() -> None:
    """RFC 9162 proofs take (size, root) as one trusted pair, as a signed checkpoint gives it.

    The verifier cannot tell a leaf hash from a node hash, so a size-3 proof also
    passes for size 4 against the *size-3 root*; callers must take size and root
    from the same verified checkpoint.
    """
    leaves = [leaf_hash(bytes([i])) for i in range(4)]
    root3 = root_from_leaf_hashes(leaves[:3])
    assert verify_inclusion(leaves[0], 0, 4, inclusion_proof(leaves, 0, 3), root3)
    proof = consistency_proof(leaves, 1, 3)
    assert verify_consistency(1, 4, leaves[0], root3, proof)
    assert not verify_consistency(1, 4, leaves[0], root_from_leaf_hashes(leaves), proof)

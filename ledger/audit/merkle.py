"""RFC 9162 section 2.1: Merkle Tree Hash, inclusion proofs and consistency proofs.

Hashes are SHA-256 (32 bytes). Proof generators read the tree through a
`SubtreeHash` callable so a storage layer can serve them; verifiers never
raise and answer False to any malformed input.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

SubtreeHash = Callable[[int, int], bytes]
"""MTH of the leaves [start, end) of a tree, for start < end."""


def leaf_hash(data: bytes) -> bytes:
    """RFC 9162 2.1.1: MTH({d}) = SHA-256(0x00 || d)."""
    return hashlib.sha256(b"\x00" + data).digest()


NODE_PREFIX = b"\x01"


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 2.1.1: interior node = SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """k of RFC 9162 2.1.1: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(leaf_hashes: Sequence[bytes]) -> bytes:
    """RFC 9162 2.1.1: Merkle Tree Hash over already hashed leaves."""
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hashes[0]
    k = _split(n)
    return node_hash(root_from_leaf_hashes(leaf_hashes[:k]), root_from_leaf_hashes(leaf_hashes[k:]))


def memory_subtree_hash(leaf_hashes: Sequence[bytes]) -> SubtreeHash:
    """A SubtreeHash over leaf hashes held in memory (O(end - start) per call)."""
    return lambda start, end: root_from_leaf_hashes(leaf_hashes[start:end])


def subtree_hash_from_complete(complete: SubtreeHash) -> SubtreeHash:
    """A SubtreeHash that only asks `complete` for power-of-two sized, aligned subtrees.

    MTH of a range is the right-to-left fold of its split into descending powers
    of two; within proofs these pieces are exactly the complete subtrees a store
    keeps, and at most one proof element is incomplete, so a proof costs O(log n).
    """

    def subtree_hash(start: int, end: int) -> bytes:
        pieces = []
        while start < end:
            size = 1 << ((end - start).bit_length() - 1)
            pieces.append(complete(start, start + size))
            start += size
        root = pieces.pop()
        while pieces:
            root = node_hash(pieces.pop(), root)
        return root

    return subtree_hash


def _reader(tree: Sequence[bytes] | SubtreeHash, size: int) -> SubtreeHash:
    if callable(tree):
        return tree
    if len(tree) < size:
        raise ValueError(f"tree has {len(tree)} leaves, fewer than {size}")
    return memory_subtree_hash(tree)


def inclusion_proof(tree: Sequence[bytes] | SubtreeHash, index: int, size: int) -> list[bytes]:
    """RFC 9162 2.1.3.1: PATH(index, D[0:size]) from leaf hashes or a SubtreeHash."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} not in a tree of size {size}")
    subtree_hash = _reader(tree, size)
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        mid = start + _split(end - start)
        if index < mid:
            path.append(subtree_hash(mid, end))
            end = mid
        else:
            path.append(subtree_hash(start, mid))
            start = mid
    path.reverse()  # we walked down from the root; the RFC lists the deepest sibling first
    return path


def consistency_proof(tree: Sequence[bytes] | SubtreeHash, old_size: int, new_size: int) -> list[bytes]:
    """RFC 9162 2.1.4.1: PROOF(old_size, D[0:new_size]) from leaf hashes or a SubtreeHash."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to {new_size}")
    subtree_hash = _reader(tree, new_size)
    path: list[bytes] = []
    start, end = 0, new_size
    is_old_root = True  # SUBPROOF's flag b: is D[start:old_size] the whole old tree?
    while end != old_size:
        mid = start + _split(end - start)
        if old_size <= mid:
            path.append(subtree_hash(mid, end))
            end = mid
        else:
            path.append(subtree_hash(start, mid))
            start, is_old_root = mid, False
    if not is_old_root:  # the verifier already knows the old root, so it is left out
        path.append(subtree_hash(start, end))
    path.reverse()
    return path


class MerkleAccumulator:
    """Append-only MTH keeping only the right border of complete subtrees (O(log n) memory)."""

    def __init__(self) -> None:
        self._size = 0
        self._border: list[bytes] = []  # complete subtree roots, leftmost (largest) first

    @property
    def size(self) -> int:
        return self._size

    def append(self, leaf_hash: bytes) -> None:
        """Add one leaf hash; O(1) amortised, like incrementing a binary counter."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError("leaf hash must be 32 bytes")
        node, size = leaf_hash, self._size
        while size & 1:  # each trailing 1 bit is a complete subtree as tall as `node`
            node = node_hash(self._border.pop(), node)
            size >>= 1
        self._border.append(node)
        self._size += 1

    def append_subtree(self, root: bytes, size: int) -> None:
        """Add `size` leaves at once, given the MTH of them: `size` must be a power of two that
        divides the current size (an aligned complete subtree), so the border stays what
        appending the leaves one by one would leave (the parallel verifier merges its chunks so)."""
        if len(root) != HASH_SIZE:
            raise ValueError("subtree root must be 32 bytes")
        if size < 1 or size & (size - 1) or self._size % size:
            raise ValueError(f"a subtree of {size} leaves is not aligned at size {self._size}")
        node, level = root, self._size // size
        while level & 1:
            node = node_hash(self._border.pop(), node)
            level >>= 1
        self._border.append(node)
        self._size += size

    def root(self) -> bytes:
        """MTH of all leaves appended so far, in O(log n)."""
        if not self._border:
            return EMPTY_ROOT
        root = self._border[-1]
        for left in reversed(self._border[:-1]):
            root = node_hash(left, root)
        return root


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _is_path(proof: object) -> bool:
    return isinstance(proof, (list, tuple)) and all(_is_hash(p) for p in proof)


class ProofError(ValueError):
    """A proof that does not verify; the subclass says why (as transparency-dev's verifiers do)."""


class MalformedProof(ProofError):
    """Sizes, index, hashes or path are not of the RFC's types and lengths, or out of range."""


class WrongProofSize(ProofError):
    """The path has more or fewer hashes than the tree sizes call for."""


class RootMismatch(ProofError):
    """The path is well formed but recomputes another root: the claim is false."""

    def __init__(self, expected: bytes, computed: bytes) -> None:
        super().__init__(f"computed root {computed.hex()} differs from expected {expected.hex()}")
        self.expected = expected
        self.computed = computed


def check_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> None:
    """RFC 9162 2.1.3.2: raise unless `proof` puts `leaf_hash` at `index` of the `size`-leaf tree `root`."""
    if not (
        _is_hash(leaf_hash) and _is_size(index) and _is_size(size) and _is_path(proof) and _is_hash(root)
    ):
        raise MalformedProof("leaf hash, index, size, path and root must be of the RFC's types")
    if index >= size:  # step 1
        raise MalformedProof(f"index {index} is outside a tree of {size} leaves")
    fn, sn, r = index, size - 1, leaf_hash  # steps 2-3
    for p in proof:  # step 4
        if sn == 0:
            raise WrongProofSize(f"the path has more than the hashes a tree of {size} leaves needs")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:  # step 5
        raise WrongProofSize(f"the path has fewer than the hashes a tree of {size} leaves needs")
    if r != root:
        raise RootMismatch(root, r)


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """Whether `check_inclusion` passes."""
    try:
        check_inclusion(leaf_hash, index, size, proof, root)
    except ProofError:
        return False
    return True


def check_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """RFC 9162 2.1.4.2: raise unless the `old_size` tree `old_root` is a prefix of the `new_size`
    tree `new_root`."""
    if not (_is_size(old_size) and _is_size(new_size) and _is_path(proof)) or old_size > new_size:
        raise MalformedProof("sizes must be 0 <= old <= new and the path a list of hashes")
    if not (isinstance(old_root, bytes) and isinstance(new_root, bytes)):
        raise MalformedProof("roots must be bytes")
    if old_size == new_size:
        # Same tree, nothing to prove. The empty tree's root is fixed; other roots
        # are only compared (the transparency-dev vectors accept them at any length).
        if proof:
            raise WrongProofSize("equal sizes take an empty path")
        if old_root != new_root:
            raise RootMismatch(old_root, new_root)
        if old_size == 0 and old_root != EMPTY_ROOT:
            raise RootMismatch(EMPTY_ROOT, old_root)
        return
    if old_size == 0 or not (_is_hash(old_root) and _is_hash(new_root)):
        # The RFC proves only 0 < first < second; an empty old tree proves nothing.
        raise MalformedProof("an empty old tree, or roots that are not hashes, prove nothing")
    path = list(proof)
    if not path:  # step 1
        raise WrongProofSize("different sizes take a non-empty path")
    if old_size & (old_size - 1) == 0:  # step 2: the old root is itself a node of the new tree
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1  # step 3
    while fn & 1:  # step 4
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]  # step 5
    for c in path[1:]:  # step 6
        if sn == 0:
            raise WrongProofSize(f"the path has more than the hashes sizes {old_size}..{new_size} need")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:  # step 7
        raise WrongProofSize(f"the path has fewer than the hashes sizes {old_size}..{new_size} need")
    if fr != old_root:
        raise RootMismatch(old_root, fr)
    if sr != new_root:
        raise RootMismatch(new_root, sr)


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether `check_consistency` passes."""
    try:
        check_consistency(old_size, new_size, old_root, new_root, proof)
    except ProofError:
        return False
    return True

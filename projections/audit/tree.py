"""The RFC 9162 tree kept in SQL: leaves and complete-subtree nodes, roots and proofs in O(log n) reads."""

from __future__ import annotations

from ledger.audit.merkle import EMPTY_ROOT, consistency_proof, inclusion_proof, subtree_hash_from_complete
from ledger.sqlstore import Sql
from projections.audit.schema import NAME, AuditIntegrityError
from projections.base import view_name


class Tree:
    """Read access to one generation's tree: complete subtrees, roots, proofs (O(log n))."""

    def __init__(self, tx: Sql, leaves: str, nodes: str) -> None:
        self.tx = tx
        self.leaves = leaves
        self.nodes = nodes
        # Complete subtrees never change once stored, so one Tree (one transaction) may keep what
        # it read: many proofs over one tree share most of their upper nodes.
        self._complete: dict[tuple[int, int], bytes] = {}

    @classmethod
    def active(cls, tx: Sql) -> Tree:
        return cls(tx, view_name(NAME, "leaves"), view_name(NAME, "nodes"))

    def size(self) -> int:
        top = self.tx.scalar(f"SELECT MAX(leaf_index) AS top FROM {self.leaves}")
        return 0 if top is None else int(top) + 1

    def complete(self, start: int, end: int) -> bytes:
        cached = self._complete.get((start, end))
        if cached is not None:
            return cached
        width = end - start
        level = width.bit_length() - 1
        if width != 1 << level or start % width:
            raise ValueError(f"[{start}, {end}) is not a complete subtree")
        if level == 0:
            value = self.tx.scalar(f"SELECT leaf_hash FROM {self.leaves} WHERE leaf_index = ?", (start,))
        else:
            value = self.tx.scalar(
                f"SELECT hash FROM {self.nodes} WHERE level = ? AND idx = ?", (level, start >> level)
            )
        if value is None:
            raise AuditIntegrityError(f"the audit tree has no node for leaves [{start}, {end})")
        node = self._complete[(start, end)] = bytes.fromhex(value)
        return node

    def root(self, size: int) -> bytes:
        return EMPTY_ROOT if size == 0 else subtree_hash_from_complete(self.complete)(0, size)

    def border(self, size: int) -> list[bytes]:
        """The complete subtrees covering [0, size), largest first (an accumulator's state)."""
        out, start = [], 0
        for level in reversed(range(size.bit_length())):
            if size >> level & 1:
                out.append(self.complete(start, start + (1 << level)))
                start += 1 << level
        return out

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return inclusion_proof(subtree_hash_from_complete(self.complete), index, size)

    def consistency(self, old_size: int, new_size: int) -> list[bytes]:
        return consistency_proof(subtree_hash_from_complete(self.complete), old_size, new_size)

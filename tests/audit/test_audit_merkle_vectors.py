"""RFC 6962/9162 known-answer vectors (transparency-dev/merkle) for ledger.audit.merkle."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from ledger.audit.merkle import (
    EMPTY_ROOT,
    MerkleAccumulator,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)
from tests.paths import DATA

VECTORS = DATA / "rfc6962-merkle"
REFERENCE = json.loads((VECTORS / "reference-tree.json").read_text())
LEAVES = [leaf_hash(bytes.fromhex(h)) for h in REFERENCE["leaf_inputs_hex"]]
ROOTS = [bytes.fromhex(h) for h in REFERENCE["root_by_size_hex"]]


def _paths(kind: str) -> list[Path]:
    return sorted((VECTORS / "testdata" / kind).rglob("*.json"))


def _cases(kind: str) -> list[Any]:
    base = VECTORS / "testdata"
    return [pytest.param(path, id=path.relative_to(base).as_posix()) for path in _paths(kind)]


INCLUSION = _cases("inclusion")
CONSISTENCY = _cases("consistency")


def _load(path: Path) -> dict[str, Any]:
    case: dict[str, Any] = json.loads(path.read_text())
    return case


def _b64(value: str) -> bytes:
    return base64.b64decode(value)


def _proof(value: list[str] | None) -> list[bytes]:
    return [_b64(item) for item in value or []]


def test_all_vectors_are_collected() -> None:
    assert len(INCLUSION) + len(CONSISTENCY) == 196


@pytest.mark.parametrize("path", INCLUSION)
def test_inclusion_vector(path: Path) -> None:
    case = _load(path)
    accepted = verify_inclusion(
        _b64(case["leafHash"]),
        case["leafIdx"],
        case["treeSize"],
        _proof(case["proof"]),
        _b64(case["root"]),
    )
    assert accepted is not case["wantErr"], case["desc"]


@pytest.mark.parametrize("path", CONSISTENCY)
def test_consistency_vector(path: Path) -> None:
    case = _load(path)
    accepted = verify_consistency(
        case["size1"],
        case["size2"],
        _b64(case["root1"]),
        _b64(case["root2"]),
        _proof(case["proof"]),
    )
    assert accepted is not case["wantErr"], case["desc"]


def test_reference_roots() -> None:
    assert ROOTS[0] == EMPTY_ROOT
    accumulator = MerkleAccumulator()
    assert accumulator.root() == ROOTS[0]
    for size in range(len(ROOTS)):
        assert root_from_leaf_hashes(LEAVES[:size]) == ROOTS[size]
        if size:
            accumulator.append(LEAVES[size - 1])
        assert accumulator.size == size
        assert accumulator.root() == ROOTS[size]


def _happy(kind: str) -> list[dict[str, Any]]:
    return [case for case in map(_load, _paths(kind)) if not case["wantErr"]]


def test_generated_inclusion_proofs_match_vectors() -> None:
    compared = 0
    for case in _happy("inclusion"):
        index, size, root = case["leafIdx"], case["treeSize"], _b64(case["root"])
        if size < len(ROOTS) and root == ROOTS[size] and _b64(case["leafHash"]) == LEAVES[index]:
            assert inclusion_proof(LEAVES, index, size) == _proof(case["proof"])
            compared += 1
    assert compared == 5  # happy paths built on the reference tree


def test_generated_consistency_proofs_match_vectors() -> None:
    compared = 0
    for case in _happy("consistency"):
        old, new = case["size1"], case["size2"]
        if new < len(ROOTS) and (_b64(case["root1"]), _b64(case["root2"])) == (ROOTS[old], ROOTS[new]):
            assert consistency_proof(LEAVES, old, new) == _proof(case["proof"])
            compared += 1
    assert compared == 5


@pytest.mark.parametrize(
    "args",
    [
        (None, 0, 1, [], EMPTY_ROOT),
        (LEAVES[0], -1, 1, [], ROOTS[1]),
        (LEAVES[0], True, 2, [LEAVES[1]], ROOTS[2]),
        (LEAVES[0], 0, 1, None, ROOTS[1]),
        (LEAVES[0], 0, 1, [], "not bytes"),
        (LEAVES[0], 0, 2, ["x" * 32], ROOTS[2]),
        (LEAVES[0], 0, 2, LEAVES[1], ROOTS[2]),
    ],
)
def test_verify_inclusion_never_raises(args: tuple[Any, ...]) -> None:
    assert verify_inclusion(*args) is False


@pytest.mark.parametrize(
    "args",
    [
        (-1, 1, EMPTY_ROOT, ROOTS[1], []),
        (1.0, 2, ROOTS[1], ROOTS[2], [LEAVES[1]]),
        (1, 2, ROOTS[1], ROOTS[2], None),
        (1, 2, None, ROOTS[2], [LEAVES[1]]),
        (1, 1, "a", "a", []),
        (0, 0, EMPTY_ROOT, EMPTY_ROOT, [b""]),
    ],
)
def test_verify_consistency_never_raises(args: tuple[Any, ...]) -> None:
    assert verify_consistency(*args) is False


def test_empty_and_equal_trees() -> None:
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(8, 8, ROOTS[8], ROOTS[8], [])
    assert not verify_consistency(8, 8, ROOTS[8], ROOTS[7], [])
    assert not verify_consistency(0, 8, EMPTY_ROOT, ROOTS[8], [])


def test_generators_reject_impossible_requests() -> None:
    for index, size in [(0, 0), (8, 8), (-1, 8), (0, 9)]:
        with pytest.raises(ValueError):
            inclusion_proof(LEAVES, index, size)
    for old, new in [(0, 8), (5, 4), (1, 9)]:
        with pytest.raises(ValueError):
            consistency_proof(LEAVES, old, new)
    assert consistency_proof(LEAVES, 8, 8) == []

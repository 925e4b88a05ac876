"""The verifier's parallel pass (ledger.audit.verify.parallel) against the sequential one: the same
report on a clean export (with kept checkpoints and an earlier export inside chunks), and on
exports with a failure in a middle chunk or at a seam, where it hands over to the sequential
pass."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bench.verify_1m import generate
from ledger.audit.merkle import MerkleAccumulator, root_from_leaf_hashes
from ledger.audit.verify import EVENTS_FILE, KEY_FILE, load_verifier, parallel, verify_export
from ledger.audit.verify.scan import Scan

EVENTS = 3000
CHUNK = 40_000  # bytes: about 40 lines a chunk, so seams fall everywhere


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("export")
    generate(directory, EVENTS, 37, seed=7)
    return directory


def report(
    directory: Path, previous: list[Path], *, parallel_pass: bool, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0 if parallel_pass else 1 << 62)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", CHUNK)
    monkeypatch.setenv("LEDGER_VERIFY_WORKERS", "2")
    key = load_verifier(str(directory / KEY_FILE))
    return verify_export(directory, key, previous).as_dict()


def both(directory: Path, previous: list[Path], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    sequential = report(directory, previous, parallel_pass=False, monkeypatch=monkeypatch)
    assert report(directory, previous, parallel_pass=True, monkeypatch=monkeypatch) == sequential
    return sequential


def clean_pass(directory: Path, sizes: list[int]) -> Scan | None:
    return parallel.parallel_scan(directory / EVENTS_FILE, sizes, workers=2, chunk_bytes=CHUNK)


def test_a_clean_export_gets_the_same_report(export: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = both(export, [export / "kept-checkpoint"], monkeypatch)
    assert (
        result["ok"] is True
        and result["leaves"]["count"] == EVENTS
        and result["checkpoint"]["root_matches"] is True
    )
    assert [k["consistent"] for k in result["previous"]] == [True]
    scan = clean_pass(export, [EVENTS // 2, EVENTS, 1000, 1001])
    assert scan is not None  # the parallel pass did the work, no hand-over
    assert scan.next_index == EVENTS and len(scan.streams) == 37
    assert sorted(scan.roots_recomputed) == [1000, 1001, EVENTS // 2, EVENTS]


def test_an_earlier_export_is_compared_chunk_by_chunk(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = tmp_path / "earlier"
    shutil.copytree(export, earlier)
    result = both(export, [earlier], monkeypatch)
    assert result["ok"] is True and result["previous"][0]["earlier_export"] is True


def altered(export: Path, tmp_path: Path, change: str) -> Path:
    directory = tmp_path / change
    shutil.copytree(export, directory)
    path = directory / EVENTS_FILE
    lines = path.read_bytes().split(b"\n")
    middle = len(lines) // 2
    if change == "state":
        obj = json.loads(lines[middle])
        obj["state"] = obj["state"][:-4] + ("AAAA" if obj["state"][-4:] != "AAAA" else "BBBB")
        lines[middle] = json.dumps(obj).encode()
    elif change == "swap":
        lines[middle], lines[middle + 1] = lines[middle + 1], lines[middle]
    elif change == "gone":
        del lines[middle]
    elif change == "blank":
        lines.insert(middle, b"   ")
    elif change == "malformed":
        lines[middle] = b"{not json"
    elif change == "chain-at-seam":  # the first line of a chunk: only the merge sees its chain
        bounds = parallel.chunk_bounds(path, CHUNK)
        seam = bounds[len(bounds) // 2][0]
        at = path.read_bytes()[:seam].count(b"\n")
        obj = json.loads(lines[at])
        obj["chain_hash"] = "00" * 32
        lines[at] = json.dumps(obj).encode()
    path.write_bytes(b"\n".join(lines))
    return directory


@pytest.mark.parametrize("change", ["state", "swap", "gone", "blank", "malformed", "chain-at-seam"])
def test_an_altered_export_gets_the_same_report(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    directory = altered(export, tmp_path, change)
    result = both(directory, [directory / "kept-checkpoint"], monkeypatch)
    if change == "blank":  # blank lines are skipped: still clean, and the parallel pass did it
        assert result["ok"] is True and clean_pass(directory, [EVENTS]) is not None
    else:
        assert result["ok"] is False and clean_pass(directory, [EVENTS]) is None


def test_aligned_subtrees_rebuild_the_same_tree() -> None:
    leaves = [bytes([i % 256]) * 32 for i in range(300)]
    for start, cuts in ((0, ()), (37, (64, 100)), (128, (129,)), (5, (6, 7, 8))):
        tree = MerkleAccumulator()
        for leaf in leaves[:start]:
            tree.append(leaf)
        for size, root in parallel.aligned_subtrees(leaves[start:], start, cuts):
            assert not any(tree.size < c < tree.size + size for c in cuts)
            tree.append_subtree(root, size)
        assert tree.size == len(leaves) and tree.root() == root_from_leaf_hashes(leaves)
    with pytest.raises(ValueError):
        MerkleAccumulator().append_subtree(bytes(32), 3)

"""The benchmark suite's results file and table (bench/suite.py): what `make bench` prints and
what docs/PERFORMANCE.md quotes. No benchmark runs here; the rows are made up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.suite import BOUNDS, merged, table


def _row(bench_id: str, name: str, met: bool, value: float = 10.0) -> dict[str, Any]:
    return {
        "id": bench_id,
        "name": name,
        "figure": {"median": value, "min": value, "max": value, "runs": [value], "unit": "events/s"},
        "baseline": None,
        "baseline_name": "",
        "ratio": None,
        "target": "≥ 1",
        "met": met,
    }


def test_a_run_of_some_benchmarks_keeps_the_other_rows_of_the_same_scale(tmp_path: Path) -> None:
    out = tmp_path / "results-full.json"
    first = merged(
        out, "full", ["B3", "B5"], {"ids": ["B3", "B5"]}, [_row("B5", "v", True), _row("B3", "a", False)], []
    )
    assert [r["id"] for r in first["results"]] == ["B3", "B5"]  # in the suite's order
    out.write_text(json.dumps(first))
    second = merged(out, "full", ["B3"], {"ids": ["B3"]}, [_row("B3", "a", False, 20.0)], [])
    assert [(r["id"], r["figure"]["median"]) for r in second["results"]] == [("B3", 20.0), ("B5", 10.0)]
    assert [run["ids"] for run in second["runs"]] == [["B3", "B5"], ["B3"]]
    # Another scale's file is not merged into.
    other = merged(out, "small", ["B3"], {"ids": ["B3"]}, [_row("B3", "a", True)], [])
    assert [r["id"] for r in other["results"]] == ["B3"] and len(other["runs"]) == 1


def test_the_table_says_what_bounds_a_target_not_met_and_nothing_for_one_met() -> None:
    lines = table([_row("B2", "import", False), _row("B6", "read", True)], [])
    assert lines.splitlines()[2].endswith(f"| **not met** | {BOUNDS['B2']} |")
    assert lines.splitlines()[3].endswith("| met |  |")
    assert set(BOUNDS) == {f"B{i}" for i in range(1, 7)}

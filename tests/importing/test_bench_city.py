"""The benchmarks' generated city (bench/city.py) goes through `ledger import` whole: every line
accepted, one stored event per line, and the same seed writes the same bytes."""

from __future__ import annotations

from pathlib import Path

from bench.city import write_city
from ledger.application import KinerjaLedger
from ledger.importing import import_file


def test_every_line_of_the_city_imports_as_one_event(app: KinerjaLedger, tmp_path: Path) -> None:
    path = tmp_path / "city.ndjson"
    assert write_city(path, 900) == 900
    report = import_file(app, path)
    assert report.as_dict() | {"by_kind": {}} == {
        "dry_run": False,
        "lines": 900,
        "imported": 900,
        "already_imported": 0,
        "refused": 0,
        "by_kind": {},
        "errors": [],
    }
    assert set(report.by_kind) == {"agency", "employee", "training", "appraisal", "transfer"}
    assert app.recorder.max_notification_id() == 900


def test_the_city_is_the_same_bytes_for_the_same_seed(tmp_path: Path) -> None:
    write_city(tmp_path / "a.ndjson", 400)
    write_city(tmp_path / "b.ndjson", 400)
    write_city(tmp_path / "c.ndjson", 400, seed=1)
    assert (tmp_path / "a.ndjson").read_bytes() == (tmp_path / "b.ndjson").read_bytes()
    assert (tmp_path / "a.ndjson").read_bytes() != (tmp_path / "c.ndjson").read_bytes()

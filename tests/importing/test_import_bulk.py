"""The real run of `ledger import` stages lines in batches (ledger.batching) and writes each batch
in one transaction. Differential: the batched run and the line-by-line run of the same files
store the same events, Idempotency-Key rows and snapshots, report the same, and give the same
read models; a batch that cannot be written falls back to line by line and still gives them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench.city import write_city
from ledger import importing
from ledger.application import KinerjaLedger
from ledger.config import Settings
from ledger.importing import Importer, ImportReport, import_file
from ledger.persistence import IDEMPOTENCY_TABLE
from tests.conftest import FakeClock, reset_postgres
from tests.paths import ROOT
from tests.projection_support import catch_up, snapshot

pytestmark = pytest.mark.store

BINJAI = ROOT / "tests" / "data" / "import" / "binjai_30_years.ndjson"


def files(tmp_path: Path) -> list[Path]:
    """The Binjai sample, then a city whose file also holds lines that are refused or repeated
    (in the middle of a batch), so that the staged lines before them must be written first."""
    city = tmp_path / "city.ndjson"
    write_city(city, 700)
    lines = city.read_text().splitlines()
    training = json.loads(lines[300])
    assert training["kind"] == "training"
    bad = [
        "not json",
        json.dumps({**training, "source_ref": "late", "completed_on": "2027-01-01"}),  # after today
        lines[300],  # the same line again: already imported
        json.dumps({**training, "title": "Other"}),  # its source_ref with other content: refused
    ]
    mixed = tmp_path / "mixed.ndjson"
    mixed.write_text("\n".join(lines[:310] + bad + lines[310:]) + "\n")
    return [BINJAI, mixed]


def line_by_line(ledger: KinerjaLedger, path: Path) -> ImportReport:
    report = ImportReport(dry_run=False)
    importing._run(Importer(ledger, report), path, report, lambda _: None)
    return report


def stored(app: KinerjaLedger) -> dict[str, Any]:
    """Everything the import wrote, and the read models it gives."""
    catch_up(app)
    events = [
        (n.id, str(n.originator_id), n.originator_version, n.topic, bytes(n.state))
        for n in app.recorder.select_notifications(None, 1_000_000)
    ]
    snapshots_table = app.snapshots.recorder.events_table_name  # type: ignore[union-attr, attr-defined]
    with app.sql.transaction(write=False) as tx:
        keys = tx.query(f"SELECT * FROM {IDEMPOTENCY_TABLE} ORDER BY key")
        snaps = tx.query(f"SELECT originator_id, originator_version, topic, state FROM {snapshots_table}")
    from projections.registry import default_projections

    return {
        "events": events,
        "keys": [{k: str(v) for k, v in row.items()} for row in keys],
        "snapshots": sorted(
            (str(r["originator_id"]), r["originator_version"], bytes(r["state"])) for r in snaps
        ),
        "read_models": snapshot(app, default_projections()),
    }


def run(
    settings: Settings, paths: list[Path], how: Callable[[KinerjaLedger, Path], ImportReport]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    app = KinerjaLedger(settings, clock=FakeClock())
    try:
        reports = [how(app, path).as_dict() for path in paths]
        return reports, stored(app)
    finally:
        app.close()


def fresh(store: str, tmp_path: Path, request: pytest.FixtureRequest, name: str) -> Settings:
    if store == "sqlite":
        return Settings(f"sqlite:///{tmp_path / name}.db", tmp_path, "kinerja-ledger/test")
    url = request.getfixturevalue("postgres_url")
    reset_postgres(url)
    return Settings(url, tmp_path, "kinerja-ledger/test")


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "BATCH_LINES", 97)  # many batches, boundaries inside histories


def test_batched_and_line_by_line_runs_store_the_same(
    store: str, tmp_path: Path, request: pytest.FixtureRequest, small_batches: None
) -> None:
    paths = files(tmp_path)
    reports, expected = run(fresh(store, tmp_path, request, "lines"), paths, line_by_line)
    assert [r["refused"] for r in reports] == [0, 3]
    assert reports[1]["already_imported"] == 1
    assert len(expected["events"]) == 1344 + 700 and expected["snapshots"] == []
    bulk_reports, found = run(fresh(store, tmp_path, request, "bulk"), paths, import_file)
    assert bulk_reports == reports
    assert found == expected


def test_a_batch_that_cannot_be_written_runs_line_by_line(
    store: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    small_batches: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another writer appended to a cached employee between two batches: the batch's write fails
    as a whole, and its lines run one by one on the store's state."""
    paths = files(tmp_path)
    reports, expected = run(fresh(store, tmp_path, request, "lines"), paths, line_by_line)
    settings = fresh(store, tmp_path, request, "bulk")
    app = KinerjaLedger(settings, clock=FakeClock())
    written = KinerjaLedger.write_batch
    calls = {"n": 0}

    def interfering(self: KinerjaLedger, batch: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # as if another writer had appended: this version is taken
            stolen = batch.events[0]
            other = KinerjaLedger(settings, clock=FakeClock())
            try:
                other.recorder.insert_events([stolen])
            finally:
                other.close()
            try:
                written(self, batch)
            finally:
                # Take the interloper's event out again so the stores can be compared (tests only:
                # the append-only guards are installed by the API, not here).
                with self.sql.transaction() as tx:
                    tx.execute(
                        f"DELETE FROM {self.ledger_recorder.events_table_name} WHERE originator_id=? "
                        "AND originator_version=?",
                        (
                            stolen.originator_id if store == "postgres" else stolen.originator_id.hex,
                            stolen.originator_version,
                        ),
                    )
            return
        written(self, batch)

    monkeypatch.setattr(KinerjaLedger, "write_batch", interfering)
    try:
        bulk_reports = [import_file(app, path).as_dict() for path in paths]
        found = stored(app)
    finally:
        app.close()
    assert calls["n"] > 3
    assert bulk_reports == reports
    # The interloper took one notification id (read models hold positions): the same events in
    # the same order, the same keys and snapshots.
    assert [e[1:] for e in found["events"]] == [e[1:] for e in expected["events"]]
    assert (found["keys"], found["snapshots"]) == (expected["keys"], expected["snapshots"])

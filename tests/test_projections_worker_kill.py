"""A projection worker killed with SIGKILL mid-batch resumes without loss or double counting
(a real subprocess on PostgreSQL, where `ledger worker` runs the projections)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ledger.application import KinerjaLedger
from ledger.config import Settings
from projections.base import POSITIONS_TABLE
from projections.runner import ProjectionRunner
from tests.conftest import HR, STORES, FakeClock, reset_postgres
from tests.factories import nip_for
from tests.projection_support import all_projections, snapshot

ROOT = Path(__file__).resolve().parent.parent

# The worker: every projection plus the tally, batches of 40; on one batch it tells the test
# (a marker file) that it is inside the batch's transaction, then keeps working slowly.
WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ledger.application import KinerjaLedger
    from ledger.config import Settings
    from projections.runner import ProjectionRunner
    from tests.projection_support import all_projections

    url, marker, mode = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    app = KinerjaLedger(Settings(url, Path(marker).parent, "kinerja-ledger/test"))
    projections = all_projections()
    if mode == "slow":
        tally = projections[-1]
        original = tally.process
        seen = [0]

        def process(tx, tables, event, notification):
            original(tx, tables, event, notification)
            seen[0] += 1
            if seen[0] == 150:  # mid-batch: 150 is not a multiple of the batch size
                marker.write_text(str(notification.id))
            if seen[0] >= 150:
                time.sleep(0.05)

        tally.process = process
    runner = ProjectionRunner(app, projections, batch_size=40)
    runner.run_once()
    assert not runner.errors, runner.errors
    print("done", flush=True)
    """
)


def history(app: KinerjaLedger) -> None:
    """~450 events touching every projection: agencies, a unit, officers, appraisals, training,
    surveys, a programme, an award and a sanction."""
    app.register_agency(HR, code="DINKES", name="Dinas Kesehatan")
    app.register_agency(HR, code="DISDIK", name="Dinas Pendidikan")
    app.register_service_unit(HR, code="PKM-A", name="Puskesmas A", agency="DINKES")
    app.launch_program(HR, code="UKS", name="UKS", agencies=["DINKES", "DISDIK"])
    nips = [nip_for(i) for i in range(12)]
    for i, nip in enumerate(nips):
        app.register_employee(
            HR, nip=nip, name=f"P{i}", agency="DINKES" if i % 3 else "DISDIK", position="Staf",
            grade="III/a", employment_type="PNS",
        )  # fmt: skip
    for i, nip in enumerate([n for j, n in enumerate(nips) if j % 3][:5]):
        app.assign_to_service_unit(HR, nip, service_unit="PKM-A", officer_code=f"O{i}")
    for i, nip in enumerate(nips):
        app.record_appraisal(
            HR, nip, period="2025", hasil_kerja="SESUAI_EKSPEKTASI", perilaku_kerja="DI_ATAS_EKSPEKTASI",
            appraiser_nip=nips[(i + 1) % len(nips)],
        )  # fmt: skip
        app.add_program_participant(HR, "UKS", nip=nip, role="anggota")
    for k in range(300):
        nip = nips[k % len(nips)]
        app.record_training(
            HR, nip, title="Diklat", hours_jp=2 + k % 3, completed_on="2025-06-01", provider="P"
        )
    for k in range(100):
        app.submit_survey(
            HR, service_unit="PKM-A", answers={f"U{e}": 1 + (k + e) % 4 for e in range(1, 10)},
            officer_code=f"O{k % 5}" if k % 2 else None,
        )  # fmt: skip
    app.record_program_outcome(HR, "UKS", indicator="sekolah", target=10, achieved=7, period="2025")
    app.grant_award(
        HR, nips[0], award_type="INSENTIF", reason="x", decree_number="SK", decree_date="2025-08-01"
    )
    app.impose_sanction(
        HR, nips[1], violation={"description": "bolos", "level": "RINGAN"}, penalty="TEGURAN_LISAN",
        decided_by_role="ATASAN_LANGSUNG", decided_by_name="Kabid", decree_number="HD", decided_on="2025-09-01",
    )  # fmt: skip


@pytest.mark.postgres_only
@pytest.mark.skipif(
    "postgres" not in STORES, reason="PostgreSQL deployment test (LEDGER_TEST_STORES=postgres)"
)
def test_sigkill_mid_batch_then_resume(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = str(request.getfixturevalue("postgres_url"))
    reset_postgres(url)
    settings = Settings(url, tmp_path, "kinerja-ledger/test")
    app = KinerjaLedger(settings, clock=FakeClock(datetime(2025, 12, 1, 2, 0, tzinfo=UTC)))
    try:
        history(app)
        total = app.recorder.max_notification_id()
        assert total is not None and total > 400

        script = tmp_path / "worker.py"
        script.write_text(WORKER)
        marker = tmp_path / "inside-batch"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        worker = subprocess.Popen([sys.executable, str(script), url, str(marker), "slow"], cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert worker.poll() is None, "the worker ended before reaching the batch"
            assert time.monotonic() < deadline, "the worker never reached the batch"
            time.sleep(0.02)
        inside = int(marker.read_text())
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(10) == -signal.SIGKILL

        # The open batch was lost with the process: no projection got past its start.
        with app.sql.transaction(write=False) as tx:
            positions = {r["name"]: int(r["position"]) for r in tx.query(f"SELECT * FROM {POSITIONS_TABLE}")}
        assert positions["tally"] < inside < total
        assert all(p < total for p in positions.values())

        resumed = subprocess.run(
            [sys.executable, str(script), url, str(marker), "normal"],
            check=False,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert resumed.returncode == 0, resumed.stderr[-2000:]

        # Every event applied exactly once (the tally's primary key would have refused a repeat)...
        with app.sql.transaction(write=False) as tx:
            seen = [r["position"] for r in tx.query("SELECT position FROM rm_tally_seen ORDER BY position")]
        assert seen == [n.id for n in app.recorder.select_notifications(None, 100_000)]
        # ...and every projection equals a fresh rebuild from position 0.
        runner = ProjectionRunner(app, all_projections())
        before = snapshot(app, list(runner.projections.values()))
        for name in sorted(runner.projections):
            assert runner.rebuild(name).differing_rows == 0, name
        assert snapshot(app, list(runner.projections.values())) == before
    finally:
        app.close()

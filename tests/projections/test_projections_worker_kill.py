"""A projection worker killed with SIGKILL in the middle of a batch resumes without loss or double
counting: a real subprocess and a real signal, on both stores.

The kill is deterministic rather than timed: the worker stops inside the batch's open write
transaction (in the tally, after the other projections already wrote their rows for that
batch) and says so through a marker file; only then does the test kill it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

from ledger.application import KinerjaLedger
from ledger.config import Settings
from tests.conftest import HR, FakeClock
from tests.factories import nip_for
from tests.paths import ROOT
from tests.projection_support import (
    all_projections,
    assert_exactly_once_and_equal_to_rebuild,
    head,
    notification_ids,
    positions,
    tally_positions,
)

BATCH = 40
PAUSE_AT = 150  # the 150th event: inside the fourth batch (not a multiple of BATCH)
DEADLINE_S = 60.0

# The worker: every projection plus the tally. In "pause" mode the tally, on its PAUSE_AT-th
# event, writes the event's position to the marker file and then blocks for good, so the
# process is certain to be inside that batch's transaction when the test kills it.
WORKER = textwrap.dedent(
    """
    import os, sys, threading
    from pathlib import Path
    from ledger.application import KinerjaLedger
    from ledger.config import Settings
    from projections.runner import ProjectionRunner
    from tests.projection_support import all_projections

    url, marker, mode, batch, pause_at = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    app = KinerjaLedger(Settings(url, marker.parent, "kinerja-ledger/test"))
    projections = all_projections()
    if mode == "pause":
        tally = projections[-1]
        original = tally.process
        seen = [0]

        def process(tx, tables, event, notification):
            original(tx, tables, event, notification)
            seen[0] += 1
            if seen[0] == pause_at:
                partial = marker.with_suffix(".partial")
                partial.write_text(str(notification.id))
                os.replace(partial, marker)
                threading.Event().wait()

        tally.process = process
    runner = ProjectionRunner(app, projections, batch_size=batch)
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


def test_sigkill_mid_batch_then_resume(settings: Settings, tmp_path: Path) -> None:
    app = KinerjaLedger(settings, clock=FakeClock(datetime(2025, 12, 1, 2, 0, tzinfo=UTC)))
    try:
        history(app)
        ids = notification_ids(app)
        assert len(ids) > 400

        script = tmp_path / "worker.py"
        script.write_text(WORKER)
        marker = tmp_path / "inside-batch"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        args = [sys.executable, str(script), settings.database_url, str(marker)]
        with (tmp_path / "worker.log").open("w+") as log:
            worker = subprocess.Popen(
                [*args, "pause", str(BATCH), str(PAUSE_AT)], cwd=ROOT, env=env, stdout=log, stderr=log
            )
            try:
                deadline = time.monotonic() + DEADLINE_S
                while not marker.exists():
                    if worker.poll() is not None:
                        log.seek(0)
                        raise AssertionError(f"the worker ended before the batch:\n{log.read()[-3000:]}")
                    assert time.monotonic() < deadline, "the worker never reached the batch"
                    time.sleep(0.05)
                assert int(marker.read_text()) == ids[PAUSE_AT - 1]
                worker.send_signal(signal.SIGKILL)
                assert worker.wait(DEADLINE_S) == -signal.SIGKILL
            finally:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait(DEADLINE_S)

        # Three whole batches were committed; the fourth died with the process, including the
        # rows the other projections had already written inside its transaction.
        committed = (PAUSE_AT // BATCH) * BATCH
        assert positions(app) == {(p.name, 1): ids[committed - 1] for p in all_projections()}
        assert tally_positions(app) == ids[:committed]

        resumed = subprocess.run(
            [*args, "normal", str(BATCH), "0"],
            check=False,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        assert resumed.stdout == "done\n"
        assert positions(app) == {(p.name, 1): head(app) for p in all_projections()}
        # Every event applied exactly once, and every projection equal to a fresh rebuild.
        assert_exactly_once_and_equal_to_rebuild(app)
    finally:
        app.close()

"""`ledger worker` as a real process: it catches up, follows new events, and on SIGTERM or
SIGINT finishes its loop and exits 0 with every projection at the head of the log."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ledger.application import KinerjaLedger
from ledger.config import Settings
from projections.registry import default_projections
from tests.conftest import HR
from tests.factories import NIP_BUDI, seed_basic
from tests.paths import ROOT
from tests.projection_support import head, positions

DEADLINE_S = 60.0
NAMES = sorted(p.name for p in default_projections())


def wait_until_caught_up(app: KinerjaLedger, worker: subprocess.Popen[str], log: Path) -> None:
    target = head(app)
    deadline = time.monotonic() + DEADLINE_S
    while True:
        try:
            at = positions(app)
        except Exception:  # the bookkeeping tables may not exist yet
            at = {}
        if {name: at.get((name, 1)) for name in NAMES} == dict.fromkeys(NAMES, target):
            return
        if worker.poll() is not None:
            raise AssertionError(f"the worker exited ({worker.returncode}):\n{log.read_text()[-3000:]}")
        assert time.monotonic() < deadline, f"the worker did not reach {target}: {at}"
        time.sleep(0.05)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_worker_exits_cleanly_on_signal(settings: Settings, signum: signal.Signals, tmp_path: Path) -> None:
    app = KinerjaLedger(settings)
    try:
        seed_basic(app)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "LEDGER_DATABASE_URL": settings.database_url,
            "LEDGER_DATA_DIR": str(settings.data_dir),
        }
        log = tmp_path / "worker.log"
        with log.open("w") as out:
            worker = subprocess.Popen(
                [sys.executable, "-c", "from api.cli import main; main()", "worker", "--batch-size", "2"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )
        try:
            wait_until_caught_up(app, worker, log)
            # It is in its wait loop now; new events must still reach it before the signal.
            for k in range(3):
                app.record_training(
                    HR, NIP_BUDI, title=f"Diklat {k}", hours_jp=2, completed_on="2025-06-01", provider="P"
                )
            wait_until_caught_up(app, worker, log)
            worker.send_signal(signum)
            assert worker.wait(DEADLINE_S) == 0, log.read_text()[-3000:]
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(DEADLINE_S)
        text = log.read_text()
        assert "Traceback" not in text
        assert positions(app) == {(name, 1): head(app) for name in NAMES}
        # What an operator sees: the start (store named without credentials), the catch-up,
        # the signal and the stop, in that order.
        lines = [line.split(" ", 3)[3] for line in text.splitlines() if " ledger.worker " in line]
        store = (
            f"postgresql 127.0.0.1:5432/{settings.database_url.rsplit('/', 1)[1]}"
            if settings.is_postgres
            else f"sqlite {settings.database_url.removeprefix('sqlite:///')}"
        )
        assert lines == [
            f"ledger.worker worker started: store {store}, projections {', '.join(NAMES)}, batch size 2",
            lines[1],
            f"ledger.worker worker stopping on {signum.name}",
            f"ledger.worker worker stopped at position {head(app)}",
        ]
        # seed_basic wrote 3 events before the start, each applied by every projection.
        caught_up = rf"ledger\.worker caught up to position 3 \(lag 0\): {3 * len(NAMES)} event applications in [0-9]+\.[0-9] s"
        assert re.fullmatch(caught_up, lines[1]), lines[1]
    finally:
        app.close()

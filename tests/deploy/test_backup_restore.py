"""The backup procedure of docs/DEPLOY.md, run for real on the local PostgreSQL: pg_dump of a
live ledger, pg_restore into a new database, then `ledger audit export` from the restored copy
verified offline with the key kept from before. The restored log must be the same log: same
size, same root, every check passing, the append-only guards still in place."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import KinerjaLedger
from ledger.config import Settings
from projections.registry import default_projections
from projections.runner import ProjectionRunner
from tests.conftest import ADMIN_URL, FakeClock, reset_postgres
from tests.factories import HR, NIP_BUDI, seed_basic

pytestmark = pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")


@pytest.fixture
def restored_url() -> Iterator[str]:
    name = f"kl_restore_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cli_run(url: str, data_dir: Path, *args: str) -> tuple[int, str, str]:
    env = {
        "LEDGER_DATABASE_URL": url,
        "LEDGER_DATA_DIR": str(data_dir),
        "LEDGER_LOG_ORIGIN": "kinerja-ledger/test",
    }
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exception is None or type(result.exception) is SystemExit, repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def test_dump_restore_then_verify_offline(postgres_url: str, restored_url: str, tmp_path: Path) -> None:
    reset_postgres(postgres_url)
    data_dir = tmp_path / "keys"
    app = KinerjaLedger(Settings(postgres_url, data_dir, "kinerja-ledger/test"), clock=FakeClock())
    try:
        seed_basic(app)
        for k in range(3):
            app.record_training(
                HR, NIP_BUDI, title=f"Diklat {k}", hours_jp=4, completed_on="2025-05-02", provider="P"
            )
        ProjectionRunner(app, default_projections()).run_once()
        size = int(app.recorder.max_notification_id() or 0)
    finally:
        app.close()
    status, key, _ = cli_run(postgres_url, data_dir, "audit", "key")
    assert status == 0
    (tmp_path / "pinned.vkey").write_text(key)
    status, before, _ = cli_run(postgres_url, data_dir, "audit", "checkpoint")
    assert status == 0

    dump = tmp_path / "ledger.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", postgres_url], check=True, timeout=120)
    subprocess.run(
        ["pg_restore", "--exit-on-error", f"--dbname={restored_url}", str(dump)], check=True, timeout=120
    )

    status, after, _ = cli_run(restored_url, data_dir, "audit", "checkpoint")
    assert (status, after) == (0, before)  # the same signed checkpoint: same size, same root
    status, summary, _ = cli_run(restored_url, data_dir, "audit", "export", "--out", str(tmp_path / "export"))
    assert status == 0, summary
    status, report, console = cli_run(
        restored_url,
        data_dir,
        "audit",
        "verify",
        str(tmp_path / "export"),
        "--key",
        str(tmp_path / "pinned.vkey"),
    )
    verdict = json.loads(report)
    assert (status, verdict["ok"], verdict["failures"]) == (0, True, [])
    assert console == (
        f"OK: {size} events of log 'kinerja-ledger/test' verified; the checkpoint (size {size}) is "
        "signed by the pinned key\n"
    )
    assert verdict["checkpoint"]["size"] == size

    # The append-only guards came back with the data.
    with (
        psycopg.connect(restored_url, autocommit=True) as conn,
        pytest.raises(
            psycopg.errors.InsufficientPrivilege, match=r"^ledger: UPDATE on kinerjaledger_events refused"
        ),
    ):
        conn.execute("UPDATE kinerjaledger_events SET state = state")

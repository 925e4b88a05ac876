"""`ledger serve` as an operator starts it: a taken port and a bad setting are one line before
anything starts; several API processes on PostgreSQL, refused on SQLite."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from ledger.config import Settings
from tests.api.test_api_e2e import CLI, free_port
from tests.paths import ROOT

pytestmark = pytest.mark.store


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "PYTHONUNBUFFERED": "1",
        "LEDGER_DATA_DIR": str(settings.data_dir),
        "LEDGER_DATABASE_URL": settings.database_url,
        **extra,
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def test_a_port_in_use_is_one_line_before_start_up(settings: Settings) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _run(["serve", "--port", str(port)], _env(settings))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"ledger serve: port {port} on 127.0.0.1 is already in use (choose another with --port or PORT=)\n"
    )


def test_a_bad_setting_is_one_line_naming_the_variable(settings: Settings) -> None:
    done = _run(["serve"], _env(settings, LEDGER_PORT="70000"))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "ledger: LEDGER_PORT: Input should be less than or equal to 65535 (docs/CONFIGURATION.md)\n"
    )


def test_several_api_processes_are_refused_on_sqlite(tmp_path: Path) -> None:
    sqlite = Settings(f"sqlite:///{tmp_path / 'ledger.db'}", tmp_path, "t")
    done = _run(["serve", "--workers", "2", "--port", str(free_port())], _env(sqlite))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "ledger serve: --workers 2 needs PostgreSQL: on SQLite the read models run inside the one API "
        "process and every write takes the file's single lock (set LEDGER_DATABASE_URL=postgresql://...)\n"
    )
    assert not (tmp_path / "ledger.db").exists()  # refused before the store was opened


def _children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(p) for p in out.stdout.split()]


def _api_processes(pid: int) -> list[int]:
    found = []
    for child in _children(pid):
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue  # gone between the listing and the read
    return found


def test_several_api_processes_serve_one_port_on_postgres(pg_settings: Settings, tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "serve.log"
    env = _env(pg_settings, LEDGER_API_WORKERS="2", LEDGER_LOG_FORMAT="json")
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*CLI, "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                assert proc.poll() is None, log_path.read_text()
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
            # The supervisor and its API processes (uvicorn also keeps a resource tracker). The
            # first process may answer /healthz before the second is spawned (seen in CI).
            while len(servers := _api_processes(proc.pid)) < 2 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert len(servers) == 2, servers
            assert httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).status_code == 200
            # Stop once both API processes have started: a Ctrl-C that reaches a process still
            # importing ends it with multiprocessing's plain-text traceback (seen in CI under load).
            while log_path.read_text().count("Application startup complete") < 2:
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
            # What was logged while serving. At the Ctrl-C, uvicorn re-raises the signal in an API
            # process after its shutdown and multiprocessing may print that KeyboardInterrupt as
            # plain text (a known limitation, docs/CONFIGURATION.md); the serving log is JSON lines.
            lines = log_path.read_text().splitlines()
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
    assert lines[0] == f"Kinerja Ledger on http://127.0.0.1:{port}"  # the banner (stdout), then
    records = [json.loads(line) for line in lines[6:]]  # every log line is one JSON object
    assert {r["logger"] for r in records} >= {"uvicorn.error"}
    assert sum("Started server process" in r["message"] for r in records) == 2


def test_start_up_says_where_to_go(settings: Settings, tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "serve.out"
    with log_path.open("wb") as out:
        proc = subprocess.Popen(
            [*CLI, "serve", "--port", str(port)],
            env=_env(settings),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while b"Ctrl-C" not in log_path.read_bytes():
                assert proc.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.1)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
    base = f"http://127.0.0.1:{port}"
    assert log_path.read_text().splitlines()[:6] == [
        f"Kinerja Ledger on {base}",
        f"  public portal   {base}/  (survey {base}/survei, signed checkpoint {base}/jejak-audit)",
        f"  staff pages     {base}/staf  (sign in at {base}/masuk with a token)",
        f"  API docs        {base}/docs  (JSON API under {base}/v1; walk-through in docs/API.md)",
        "  a token         .venv/bin/ledger token issue --role hr --sub hr-1",
        "  stop with Ctrl-C",
    ]

"""Helpers for the fault tests (tests/api/test_api_faults.py): real `ledger serve` and `ledger worker`
processes, a client that retries as a real client does, and the checks made afterwards.

Every loop here is bounded in count and in time; all traffic goes to 127.0.0.1.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ledger.application import KinerjaLedger
from ledger.domain.employee import Employee
from ledger.domain.service_unit import ServiceUnit
from tests.paths import ROOT

CLI = [sys.executable, "-c", "from api.cli import main; main()"]
START_DEADLINE_S = 60.0  # a `ledger serve` on a busy 2-CPU machine starts in a few seconds
REQUEST_TIMEOUT_S = 30.0  # the client's read timeout: no request of these tests may take longer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Proc:
    """One `ledger ...` process, restartable, logging to one file (appended across restarts)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.args = args
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.kills = 0

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            log.write(f"--- start {self.starts + 1}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [*CLI, *self.args],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def sigkill(self) -> None:
        assert self.proc is not None and self.proc.poll() is None, self.log_tail()
        self.proc.send_signal(signal.SIGKILL)
        assert self.proc.wait(timeout=30) == -signal.SIGKILL
        self.kills += 1

    def stop(self) -> int | None:
        """SIGINT (a clean stop), SIGKILL if it has not stopped after 20 s; the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""


def wait_healthy(base: str, proc: Proc | None = None, deadline_s: float = START_DEADLINE_S) -> None:
    deadline = time.monotonic() + deadline_s
    for _ in range(int(deadline_s * 10)):
        if proc is not None:
            assert proc.alive(), f"{proc.name} exited:\n{proc.log_tail()}"
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    raise AssertionError(f"{base} did not become healthy in {deadline_s} s")


def cli(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


@dataclass
class Sent:
    """One logical command: its key, and how it ended after the client's retries."""

    key: str
    kind: str  # "training" or "survey"
    target: str  # the NIP or the unit
    status: int | None = None  # the final answer's status (None: gave up without one)
    body: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0
    replayed: bool = False
    retried_on: list[str] = field(default_factory=list)  # why each retry happened


class RetryingClient:
    """Sends each command with its own Idempotency-Key and retries it, with the same key, on a
    connection error, a timeout, a 5xx or a 409 conflict (nothing was written), trying the
    services in turn. Bounded: at most `max_attempts` tries and `deadline_s` per command."""

    def __init__(self, bases: Sequence[str], max_attempts: int = 120, deadline_s: float = 120.0) -> None:
        self.bases = list(bases)
        self.max_attempts = max_attempts
        self.deadline_s = deadline_s
        self._turn = itertools.count()
        self._lock = threading.Lock()
        self.statuses_5xx: Counter[int] = Counter()
        self.in_flight: Counter[str] = Counter()  # requests sent to each service, not yet answered

    def wait_in_flight(self, base: str, deadline_s: float = 5.0) -> bool:
        """Until a request to `base` is on its way (False if none was within the deadline)."""
        for _ in range(int(deadline_s / 0.002)):
            if self.in_flight[base] > 0:
                return True
            time.sleep(0.002)
        return False

    def _next_base(self) -> str:
        with self._lock:
            return self.bases[next(self._turn) % len(self.bases)]

    def send(self, sent: Sent, path: str, body: dict[str, Any], headers: dict[str, str]) -> Sent:
        deadline = time.monotonic() + self.deadline_s
        with httpx.Client(timeout=httpx.Timeout(REQUEST_TIMEOUT_S, connect=5.0)) as http:
            for _ in range(self.max_attempts):
                if time.monotonic() > deadline:
                    break
                sent.attempts += 1
                base = self._next_base()
                with self._lock:
                    self.in_flight[base] += 1
                try:
                    r = http.post(base + path, json=body, headers={**headers, "Idempotency-Key": sent.key})
                except httpx.TransportError as exc:
                    sent.retried_on.append(type(exc).__name__)
                    time.sleep(0.1)
                    continue
                finally:
                    with self._lock:
                        self.in_flight[base] -= 1
                if r.status_code >= 500 or (
                    r.status_code == 409 and r.json().get("type", "").endswith("/conflict")
                ):
                    if r.status_code >= 500:
                        with self._lock:
                            self.statuses_5xx[r.status_code] += 1
                    sent.retried_on.append(str(r.status_code))
                    time.sleep(min(float(r.headers.get("retry-after", "0.2")), 1.0))
                    continue
                sent.status = r.status_code
                sent.body = r.json()
                sent.replayed = r.headers.get("idempotent-replayed") == "true"
                return sent
        return sent


def training_body(key: str) -> dict[str, Any]:
    return {"title": f"Diklat {key}", "hours_jp": 2, "completed_on": "2026-01-05", "provider": "BPSDM"}


def survey_body(unit: str, key: str) -> dict[str, Any]:
    return {
        "service_unit": unit,
        "answers": {f"U{i}": 1 + (i + len(key)) % 4 for i in range(1, 10)},
        "comment": f"survey {key}",
    }


def commands_in_log(ledger: KinerjaLedger) -> tuple[Counter[str], Counter[str]]:
    """Every training and survey in the event log: (event ids, client keys), each with its count.
    The key is read back from the title or comment the client wrote it into."""
    ids: Counter[str] = Counter()
    keys: Counter[str] = Counter()
    for n in ledger.recorder.select_notifications(None, 10_000_000):
        event = ledger.mapper.to_domain_event(n)
        if isinstance(event, Employee.TrainingCompleted):
            ids[event.event_id] += 1
            keys[event.title.removeprefix("Diklat ")] += 1
        elif isinstance(event, ServiceUnit.SurveyResponseReceived):
            ids[event.event_id] += 1
            keys[(event.comment or "").removeprefix("survey ")] += 1
    return ids, keys


def assert_each_answered_command_once(sent: Sequence[Sent], ledger: KinerjaLedger) -> None:
    """Every command answered 2xx is in the log exactly once (by the event id it was answered
    with, and by its key); nothing is in the log twice; and nothing is there that was not sent."""
    answered = [s for s in sent if s.status is not None and 200 <= s.status < 300]
    ids, keys = commands_in_log(ledger)
    answered_ids = [s.body["event_id"] for s in answered]
    assert len(set(answered_ids)) == len(answered_ids), "two keys were answered with one event"
    assert {i: ids[i] for i in answered_ids} == dict.fromkeys(answered_ids, 1)
    assert {k: n for k, n in keys.items() if n != 1} == {}
    assert set(keys) <= {s.key for s in sent}
    assert {s.key: keys[s.key] for s in answered} == {s.key: 1 for s in answered}


# --------------------------------------------------------------------------- a private PostgreSQL

PG_BIN = Path(os.environ.get("LEDGER_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


def private_postgres_unavailable() -> str | None:
    """Why a throwaway PostgreSQL instance cannot be started here (None: it can)."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / tool).exists():
            return f"no {PG_BIN / tool} (set LEDGER_TEST_PG_BIN)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: initdb refuses root"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run initdb as"
    return None


class PrivatePostgres:
    """A PostgreSQL cluster of this test alone (initdb into a temporary directory, its own port and
    socket directory): stopping it disturbs no other test. As root, it runs as the postgres user."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="kl-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.port = free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.dir, "postgres", "postgres")
        self.dir.chmod(0o700)

    def _run(self, *args: str, timeout: float = 120) -> None:
        done = subprocess.run(
            [*self._as, *args], capture_output=True, text=True, timeout=timeout, check=False
        )
        assert done.returncode == 0, f"{args[0]}: {done.stdout[-2000:]}{done.stderr[-2000:]}"

    def init(self) -> None:
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "--no-sync", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        """A fast shutdown: open sessions are ended, their transactions rolled back."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def destroy(self) -> None:
        if self.running():
            subprocess.run(
                [*self._as, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(self.dir, ignore_errors=True)


def private_postgres() -> Iterator[PrivatePostgres]:
    pg = PrivatePostgres()
    try:
        pg.init()
        pg.start()
        yield pg
    finally:
        pg.destroy()

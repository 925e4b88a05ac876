"""End to end through real processes: `ledger serve` (uvicorn) on 127.0.0.1, tokens from
`ledger token issue`, plain HTTP. On SQLite the service runs the read models in-process; on
PostgreSQL `ledger worker --once` (its own process) brings them up to date before they are read.

Always runs on PostgreSQL (the production store), and also on SQLite when that store is tested.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.auth import issue_token, load_secret
from ledger.config import Settings
from tests.api_support import APPRAISER_NIP, OTHER_NIP, SUBJECT, assert_lost_race
from tests.conftest import STORES, make_settings
from tests.paths import ROOT

E2E_STORES = sorted({"postgres", *STORES})
CLI = [sys.executable, "-c", "from api.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Service:
    base: str
    env: dict[str, str]
    log_path: Path
    separate_worker: bool

    def catch_up(self) -> None:
        if self.separate_worker:
            subprocess.run(
                [*CLI, "worker", "--once"],
                env=self.env,
                cwd=ROOT,
                capture_output=True,
                timeout=120,
                check=True,
            )

    def token(self, role: str, sub: str) -> str:
        """Minted with the service's own secret file (`ledger token issue` is run once per test
        below; this spares a process start for every other token)."""
        return issue_token(load_secret(Path(self.env["LEDGER_DATA_DIR"])), role=role, sub=sub, ttl_s=600)

    def cli_token(self, role: str, sub: str) -> str:
        args = [*CLI, "token", "issue", "--role", role, "--sub", sub, "--ttl", "600"]
        done = subprocess.run(
            args, env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
        )
        return done.stdout.strip()


def _start(args: list[str], env: dict[str, str], log: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="module", params=E2E_STORES)
def service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One server per store for this module (the tests use different employees)."""
    tmp_path = tmp_path_factory.mktemp(f"e2e-{request.param}")
    settings: Settings = make_settings(request.param, tmp_path, request)
    env = {
        **os.environ,
        "LEDGER_DATABASE_URL": settings.database_url,
        "LEDGER_DATA_DIR": str(tmp_path / "data"),
        "PYTHONUNBUFFERED": "1",
    }
    port = free_port()
    log_path = tmp_path / "service.log"
    procs: list[subprocess.Popen[bytes]] = []
    with log_path.open("wb") as log:
        procs.append(_start([*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)], env, log))
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                assert procs[0].poll() is None, log_path.read_text()
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the service did not start"
                time.sleep(0.1)
            yield Service(base, env, log_path, separate_worker=settings.is_postgres)
        finally:
            for proc in procs:
                _stop(proc)


def _eventually(fetch: Any, until: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if until(value):
            return value
        assert time.monotonic() < deadline, f"read model did not catch up: {value}"
        time.sleep(0.2)


def test_hr_auditor_employee_journey(service: Service) -> None:
    hr = httpx.Client(
        base_url=service.base, headers={"Authorization": f"Bearer {service.cli_token('hr', 'hr-e2e')}"}
    )
    auditor = httpx.Client(
        base_url=service.base, headers={"Authorization": f"Bearer {service.token('auditor', 'bpk-e2e')}"}
    )
    budi = httpx.Client(
        base_url=service.base, headers={"Authorization": f"Bearer {service.token('employee', SUBJECT)}"}
    )

    assert hr.post("/v1/agencies", json={"code": "DINKES", "name": "Dinas Kesehatan"}).status_code == 201
    for nip, name in ((SUBJECT, "Budi Santoso"), (APPRAISER_NIP, "Sari Dewi")):
        r = hr.post(
            "/v1/employees",
            json={
                "nip": nip,
                "name": name,
                "agency": "DINKES",
                "position": "Perawat",
                "grade": "III/b",
                "employment_type": "PNS",
            },
            headers={"Idempotency-Key": f"reg-{nip}"},
        )
        assert r.status_code == 201, r.text
    appraised = hr.post(
        f"/v1/employees/{SUBJECT}/appraisals",
        json={
            "period": "2025",
            "hasil_kerja": "SESUAI_EKSPEKTASI",
            "perilaku_kerja": "SESUAI_EKSPEKTASI",
            "appraiser_nip": APPRAISER_NIP,
        },
        headers={"If-Match": '"1"'},
    )
    assert appraised.status_code == 201, appraised.text
    assert appraised.json()["predikat"] == "BAIK"
    time.sleep(0.05)
    between = datetime.now(UTC).isoformat()
    time.sleep(0.05)
    corrected = hr.post(
        f"/v1/employees/{SUBJECT}/appraisals/{appraised.json()['appraisal_id']}/corrections",
        json={
            "hasil_kerja": "DI_ATAS_EKSPEKTASI",
            "perilaku_kerja": "DI_ATAS_EKSPEKTASI",
            "reason": "nilai SKP salah input",
        },
        headers={"If-Match": appraised.headers["etag"]},
    )
    assert corrected.status_code == 201, corrected.text
    assert corrected.json()["predikat"] == "SANGAT_BAIK"

    before = auditor.get(f"/v1/employees/{SUBJECT}", params={"as_of": between})
    after = auditor.get(f"/v1/employees/{SUBJECT}")
    assert before.json()["appraisals"][0]["predikat"] == "BAIK"
    assert after.json()["appraisals"][0]["predikat"] == "SANGAT_BAIK"
    assert (before.headers["etag"], after.headers["etag"]) == ('"2"', '"3"')

    service.catch_up()
    card = _eventually(
        lambda: budi.get(f"/v1/employees/{SUBJECT}/scorecard", params={"year": 2025}),
        lambda r: r.status_code == 200 and r.json()["predikat"] == "SANGAT_BAIK",
    ).json()
    assert corrected.json()["correction_id"] in card["event_ids"]
    summary = _eventually(
        lambda: auditor.get("/v1/agencies/DINKES/summary", params={"year": 2025}),
        lambda r: r.status_code == 200 and r.json()["appraised"] == 1,
    ).json()
    assert summary["distribution"]["SANGAT_BAIK"] == 1

    # Budi sees who read his record; the log of the service never names him.
    trail = budi.get(f"/v1/employees/{SUBJECT}/access-log").json()["entries"]
    rows = [(e["reader_sub"], e["route"], e["status"]) for e in trail]
    assert rows[:2] == [("bpk-e2e", "/v1/employees/{nip}", 200)] * 2  # as_of, then now
    # Then Budi's own scorecard polls: how many depends on when the projections caught up, but
    # each is logged with its answer and the last one found the card.
    polls = rows[2:]
    assert polls[-1] == (SUBJECT, "/v1/employees/{nip}/scorecard", 200)
    assert {row[:2] for row in polls} == {(SUBJECT, "/v1/employees/{nip}/scorecard")}
    assert {row[2] for row in polls} <= {404, 200}  # not scored yet, or scored before the correction
    assert budi.get(f"/v1/employees/{APPRAISER_NIP}").status_code == 403
    metrics = httpx.get(f"{service.base}/metrics").text
    assert 'route="/v1/employees/{nip}/appraisals"' in metrics
    log = service.log_path.read_text()
    assert "/v1/employees/{nip}" in log
    for secret in (SUBJECT, APPRAISER_NIP, "Budi", "Sari", hr.headers["Authorization"][7:]):
        assert secret not in log


def test_concurrent_commands_through_the_server(service: Service) -> None:
    hr = {"Authorization": f"Bearer {service.token('hr', 'hr-e2e')}"}
    base = service.base
    nip = OTHER_NIP
    r = httpx.post(
        f"{base}/v1/employees",
        json={
            "nip": nip,
            "name": "Andi",
            "agency": "DINKES",
            "position": "Perawat",
            "grade": "III/b",
            "employment_type": "PNS",
        },
        headers=hr,
    )
    assert r.status_code == 201, r.text
    barrier = threading.Barrier(2)
    results: list[httpx.Response] = []

    def train(i: int) -> None:
        barrier.wait()
        results.append(
            httpx.post(
                f"{base}/v1/employees/{nip}/trainings",
                json={
                    "title": f"Diklat {i}",
                    "hours_jp": 2,
                    "completed_on": "2026-01-05",
                    "provider": "BPSDM",
                },
                headers={**hr, "If-Match": '"1"'},
                timeout=30,
            )
        )

    threads = [threading.Thread(target=train, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 2  # neither request hung
    assert [r.status_code for r in results].count(201) == 1, [r.text for r in results]
    assert_lost_race(next(r for r in results if r.status_code != 201), if_match=1)
    events = httpx.get(f"{base}/v1/employees/{nip}/events", headers=hr).json()["events"]
    assert [e["version"] for e in events] == [1, 2]


# Module-scoped fixtures open the store themselves (not through the `store` fixture).
pytestmark = pytest.mark.store


def test_the_real_server_names_no_software_and_sends_the_security_headers(service: Service) -> None:
    r = httpx.get(f"{service.base}/healthz", timeout=5)
    assert r.status_code == 200
    assert "server" not in r.headers
    assert (r.headers["x-content-type-options"], r.headers["cache-control"]) == ("nosniff", "no-store")

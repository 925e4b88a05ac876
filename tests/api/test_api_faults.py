"""Faults under a load of commands, with real processes and a real HTTP client (httpx).

1. Two `ledger serve` and two `ledger worker` processes on one fresh PostgreSQL database; two
   client threads send commands, each with its own Idempotency-Key, and retry it with the same
   key on a connection error, a 5xx or a 409 conflict; meanwhile the test SIGKILLs an API process
   and a worker (and restarts each) several times. Afterwards every command answered 2xx is in the
   log exactly once, none twice; `ledger audit verify` of an export passes with the pinned key
   (`ledger audit key`); the read models the workers built equal a fresh rebuild, row for row.
   The small version runs in the normal suite; the long one is `slow` (LEDGER_TEST_SLOW=1).

2. A PostgreSQL cluster of the test's own (initdb into a temporary directory, its own port: the
   shared server on 5432 is never touched) stopped with `pg_ctl stop -m fast` during a load and
   started again: every request while it is down answers 503 with Retry-After within a bound, never
   500 and never a hang; /healthz answers 503 `store-unavailable`; after the restart the service
   resumes by itself, and no command is lost or written twice.

All traffic is to 127.0.0.1; every loop is bounded in count and in time. Nothing here asserts a
duration except the hang bound of test 2 (see STORE_DOWN_BOUND_S).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from api.auth import issue_token, load_secret
from api.problems import PROBLEM_JSON, TYPE_PREFIX
from ledger.application import KinerjaLedger
from ledger.config import Settings
from projections.registry import default_projections
from projections.runner import ProjectionRunner
from tests.conftest import STORES, make_settings
from tests.factories import nip_for
from tests.fault_support import (
    REQUEST_TIMEOUT_S,
    PrivatePostgres,
    Proc,
    RetryingClient,
    Sent,
    assert_each_answered_command_once,
    cli,
    free_port,
    private_postgres,
    private_postgres_unavailable,
    survey_body,
    training_body,
    wait_healthy,
)
from tests.projection_support import snapshot

# The stores are opened by the tests themselves; PostgreSQL fault tests run with `make test-postgres`
# (and so in `.ci/run`), not a second time in the SQLite run.
pytestmark = [
    pytest.mark.store,
    pytest.mark.skipif("postgres" not in STORES, reason="PostgreSQL run only (LEDGER_TEST_STORES=postgres)"),
]

CLIENTS = 2
EMPLOYEES_PER_CLIENT = 3
LOAD_DEADLINE_S = 600.0  # the whole load of the long version, on a busy machine
CATCH_UP_DEADLINE_S = 180.0


def _env(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "LEDGER_DATABASE_URL": database_url,
        "LEDGER_DATA_DIR": str(data_dir),
        "PYTHONUNBUFFERED": "1",
        # The clients are all 127.0.0.1: the public rate limit is not what is tested here.
        "LEDGER_PUBLIC_BURST": "1000000",
        "LEDGER_PUBLIC_PER_MINUTE": "1000000",
    }


def _hr(env: dict[str, str]) -> dict[str, str]:
    token = issue_token(load_secret(Path(env["LEDGER_DATA_DIR"])), role="hr", sub="hr-faults", ttl_s=3600)
    return {"Authorization": f"Bearer {token}"}


def _seed(base: str, hr: dict[str, str], clients: int) -> list[list[str]]:
    """DINKES, one service unit per client, EMPLOYEES_PER_CLIENT employees per client. Each client
    writes only to its own employees and unit, so the clients never conflict with each other."""
    with httpx.Client(base_url=base, headers=hr, timeout=REQUEST_TIMEOUT_S) as http:
        r = http.post("/v1/agencies", json={"code": "DINKES", "name": "Dinas Kesehatan"})
        assert r.status_code == 201, r.text
        nips: list[list[str]] = []
        for c in range(clients):
            unit = {"code": f"PKM-{c}", "name": f"Puskesmas {c}", "agency": "DINKES"}
            r = http.post("/v1/service-units", json=unit)
            assert r.status_code == 201, r.text
            mine = [nip_for(c * EMPLOYEES_PER_CLIENT + i) for i in range(EMPLOYEES_PER_CLIENT)]
            for nip in mine:
                r = http.post(
                    "/v1/employees",
                    json={
                        "nip": nip,
                        "name": f"Pegawai {nip[-3:]}",
                        "agency": "DINKES",
                        "position": "Perawat",
                        "grade": "III/b",
                        "employment_type": "PNS",
                    },
                )
                assert r.status_code == 201, r.text
            nips.append(mine)
    return nips


def _plan(client: int, count: int, nips: list[str], tag: str) -> list[tuple[Sent, str, dict[str, Any]]]:
    """`count` commands of one client: trainings on its employees, every fourth a survey."""
    plan = []
    for i in range(count):
        key = f"{tag}-c{client}-{i:04d}"
        if i % 4 == 3:
            unit = f"PKM-{client}"
            plan.append((Sent(key, "survey", unit), "/v1/public/surveys", survey_body(unit, key)))
        else:
            nip = nips[i % len(nips)]
            plan.append((Sent(key, "training", nip), f"/v1/employees/{nip}/trainings", training_body(key)))
    return plan


class Load:
    """CLIENTS threads, each sending its plan in order; every fifth command is sent a second time
    after its answer, with the same key, as a client does whose answer was lost: it must come back
    as the first answer (Idempotent-Replayed), never as a second event."""

    def __init__(
        self, client: RetryingClient, plans: list[list[tuple[Sent, str, dict[str, Any]]]], hr: dict[str, str]
    ) -> None:
        self.client = client
        self.plans = plans
        self.hr = hr
        self.sent: list[Sent] = []
        self.repeats: list[tuple[Sent, Sent]] = []
        self.done = 0
        self.errors: list[BaseException] = []
        self._lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(p,), daemon=True) for p in plans]

    def _run(self, plan: list[tuple[Sent, str, dict[str, Any]]]) -> None:
        try:
            for i, (sent, path, body) in enumerate(plan):
                headers = self.hr if sent.kind == "training" else {}
                self.client.send(sent, path, body, headers)
                again = None
                if i % 5 == 4 and sent.status == 201:
                    again = self.client.send(Sent(sent.key, sent.kind, sent.target), path, body, headers)
                with self._lock:
                    self.sent.append(sent)
                    if again is not None:
                        self.repeats.append((sent, again))
                    self.done += 1
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.errors.append(exc)

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def join(self, deadline_s: float) -> None:
        deadline = time.monotonic() + deadline_s
        for t in self.threads:
            t.join(timeout=max(deadline - time.monotonic(), 0.1))
        assert not any(t.is_alive() for t in self.threads), "the load did not finish in time"
        assert self.errors == []

    def wait_for(self, done: int, deadline_s: float) -> None:
        deadline = time.monotonic() + deadline_s
        while self.done < done and any(t.is_alive() for t in self.threads):
            assert time.monotonic() < deadline, f"the load stalled at {self.done} commands"
            time.sleep(0.05)


def _wait_caught_up(ledger: KinerjaLedger, workers: list[Proc]) -> int:
    """Until every read model is at the head of the log (the workers' doing, not ours)."""
    runner = ProjectionRunner(ledger, default_projections())
    deadline = time.monotonic() + CATCH_UP_DEADLINE_S
    while True:
        for w in workers:
            assert w.alive(), f"{w.name} exited:\n{w.log_tail()}"
        head = int(ledger.recorder.max_notification_id() or 0)
        status = runner.status()
        lagging = {s.name: s.position for s in status if s.position != head}
        failed = {s.name: s.as_dict()["error"] for s in status if s.as_dict()["state"] == "failed"}
        assert failed == {}
        if not lagging:
            return head
        assert time.monotonic() < deadline, f"the workers did not catch up to {head}: {lagging}"
        time.sleep(0.2)


def _assert_audit_verifies(env: dict[str, str], out: Path, events: int) -> None:
    key = cli(env, "audit", "key")
    assert key.returncode == 0, key.stderr
    export = cli(env, "audit", "export", "--out", str(out))
    assert export.returncode == 0, export.stderr[-3000:]
    verify = cli(env, "audit", "verify", str(out), "--key", key.stdout.strip())
    assert verify.returncode == 0, verify.stdout[-3000:] + verify.stderr[-3000:]
    report = json.loads(verify.stdout)
    assert (report["ok"], report["key"]["pinned"], report["failure_count"]) == (True, True, 0)
    assert (report["checkpoint"]["size"], report["leaves"]["count"]) == (events, events)


def _assert_read_models_equal_a_rebuild(ledger: KinerjaLedger) -> None:
    """Row for row, duplicates included (a multiset, not the runner's set-based EXCEPT diff)."""
    projections = default_projections()
    built = snapshot(ledger, projections)
    runner = ProjectionRunner(ledger, projections, batch_size=200)
    for name in sorted(runner.projections):
        runner.rebuild(name)
    rebuilt = snapshot(ledger, projections)
    assert {v: len(rows) for v, rows in built.items()} == {v: len(rows) for v, rows in rebuilt.items()}
    assert [v for v in built if built[v] != rebuilt[v]] == []


@pytest.mark.parametrize(
    ("commands_per_client", "kills"),
    [pytest.param(30, 2, id="small"), pytest.param(200, 8, id="long", marks=pytest.mark.slow)],
)
def test_sigkill_of_apis_and_workers_under_load_loses_and_duplicates_nothing(
    commands_per_client: int, kills: int, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    settings = make_settings("postgres", tmp_path, request)
    env = _env(settings.database_url, tmp_path / "data")
    ports = [free_port(), free_port()]
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    apis = [
        Proc(f"api{i}", ["serve", "--host", "127.0.0.1", "--port", str(p)], env, tmp_path)
        for i, p in enumerate(ports)
    ]
    workers = [Proc(f"worker{i}", ["worker", "--batch-size", "10"], env, tmp_path) for i in range(2)]
    ledger = KinerjaLedger(settings)
    try:
        # One at a time at first: the first process creates the tables, the token secret and the
        # audit key in the shared data directory.
        apis[0].start()
        wait_healthy(bases[0], apis[0])
        hr = _hr(env)
        nips = _seed(bases[0], hr, CLIENTS)
        apis[1].start()
        wait_healthy(bases[1], apis[1])
        for w in workers:
            w.start()

        client = RetryingClient(bases)
        load = Load(client, [_plan(c, commands_per_client, nips[c], "k") for c in range(CLIENTS)], hr)
        total = CLIENTS * commands_per_client
        load.start()
        in_flight = 0
        for k in range(kills):
            # Spread over the load by progress, not by time: kill k after (k+1)/(kills+1) of it.
            load.wait_for(total * (k + 1) // (kills + 1), LOAD_DEADLINE_S)
            api, base = apis[k % 2], bases[k % 2]
            # Preferably while a command is inside it (its answer lost, perhaps after the commit).
            in_flight += client.wait_in_flight(base)
            api.sigkill()
            api.start()
            workers[k % 2].sigkill()
            workers[k % 2].start()
            wait_healthy(base, api)
        load.join(LOAD_DEADLINE_S)

        assert [a.kills for a in apis] + [w.kills for w in workers] == [
            (kills + 1) // 2,
            kills // 2,
            (kills + 1) // 2,
            kills // 2,
        ]
        assert Counter(s.status for s in load.sent) == {201: total}
        assert set(client.statuses_5xx) <= {503}, client.statuses_5xx
        assert_each_answered_command_once(load.sent, ledger)
        assert [(again.status, again.replayed, again.body) for first, again in load.repeats] == [
            (201, True, first.body) for first, again in load.repeats
        ]
        assert len(load.repeats) == CLIENTS * (commands_per_client // 5)

        head = _wait_caught_up(ledger, workers)
        for proc in [*workers, *apis]:
            assert (proc.name, proc.stop()) == (proc.name, 0), proc.log_tail()
        # Leaves are the stored events; the head (the largest notification id) may be above their
        # count: a transaction rolled back after taking ids from the sequence (a group of
        # commands whose write failed and was written command by command) leaves a gap.
        stored = len(ledger.recorder.select_notifications(None, head + 1))
        _assert_audit_verifies(env, tmp_path / "export", stored)
        _assert_read_models_equal_a_rebuild(ledger)
        retried = Counter(reason for s in load.sent for reason in s.retried_on)
        replayed = sum(s.replayed for s in load.sent)
        print(
            f"\n{total} commands, {kills} API ({in_flight} with a request in flight) and {kills} worker "
            f"SIGKILLs; retries by cause {dict(retried)}; "
            f"{replayed} first sends answered as replays; log head {head}"
        )
    finally:
        for proc in [*apis, *workers]:
            proc.stop()
        ledger.close()


# --------------------------------------------------------------------------- PostgreSQL restarted

# The pool waits CONNECT_TIMEOUT_S for a connection and the library tries ten times, so a request
# while the store is down answers after about 10 x 1 s + 9 x 0.2 s. The bound below is what the
# test allows (the client's read timeout is REQUEST_TIMEOUT_S): a request slower than it fails.
CONNECT_TIMEOUT_S = 1
STORE_DOWN_BOUND_S = 25.0
PROBES_WHILE_DOWN = 2


@pytest.fixture
def own_cluster() -> Iterator[PrivatePostgres]:
    reason = private_postgres_unavailable()
    if reason is not None:
        pytest.skip(f"cannot start a private PostgreSQL: {reason}")
    yield from private_postgres()


def _timed(call: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def _assert_store_unavailable(r: httpx.Response) -> None:
    assert r.status_code == 503, r.text
    assert r.headers["content-type"] == PROBLEM_JSON
    assert (r.json()["type"], r.headers["retry-after"]) == (TYPE_PREFIX + "store-unavailable", "1")


def test_postgres_stopped_and_started_during_a_load(own_cluster: PrivatePostgres, tmp_path: Path) -> None:
    with psycopg.connect(own_cluster.url(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE ledger")
    url = f"{own_cluster.url('ledger')}?connect_timeout={CONNECT_TIMEOUT_S}"
    env = _env(url, tmp_path / "data")
    base = f"http://127.0.0.1:{free_port()}"
    api = Proc("api", ["serve", "--host", "127.0.0.1", "--port", base.rsplit(":", 1)[1]], env, tmp_path)
    ledger = None
    try:
        api.start()
        wait_healthy(base, api)
        hr = _hr(env)
        nips = _seed(base, hr, 1)
        http = httpx.Client(base_url=base, timeout=httpx.Timeout(STORE_DOWN_BOUND_S, connect=5.0))

        # A load running through the whole outage: it retries each command (same key) until 2xx.
        client = RetryingClient([base], max_attempts=400, deadline_s=300.0)
        load = Load(client, [_plan(0, 40, nips[0], "load")], hr)
        load.start()
        load.wait_for(10, 120.0)

        own_cluster.stop()
        down_at = time.monotonic()
        waits: list[float] = []
        refused: list[Sent] = []
        for i in range(PROBES_WHILE_DOWN):
            key = f"down-{i}"
            nip = nips[0][i % len(nips[0])]
            for call in (
                lambda: http.get("/healthz"),
                lambda nip=nip: http.get(f"/v1/employees/{nip}", headers=hr),
                lambda key=key, nip=nip: http.post(
                    f"/v1/employees/{nip}/trainings",
                    json=training_body(key),
                    headers={**hr, "Idempotency-Key": key},
                ),
            ):
                r, took = _timed(call)
                _assert_store_unavailable(r)
                waits.append(took)
            refused.append(Sent(key, "training", nip))
        down_for = time.monotonic() - down_at
        assert load.threads[0].is_alive()  # the load was still going while the store was down
        own_cluster.start()

        # The service resumes by itself: no restart of `ledger serve`.
        wait_healthy(base, api, deadline_s=120.0)
        for sent in refused:  # the refused commands wrote nothing: now they are new, not replays
            client.send(sent, f"/v1/employees/{sent.target}/trainings", training_body(sent.key), hr)
            assert (sent.status, sent.replayed) == (201, False)
        load.join(360.0)
        assert api.alive() and api.starts == 1

        assert Counter(s.status for s in load.sent) == {201: 40}
        assert set(client.statuses_5xx) == {503}  # the load did meet the outage, as 503s only
        ledger = KinerjaLedger(Settings(url, tmp_path / "data", "kinerja-ledger/test"))
        assert_each_answered_command_once([*load.sent, *refused], ledger)
        print(
            f"\nstore down {down_for:.1f} s; {len(waits)} requests while down, all 503 + Retry-After; "
            f"time to 503: max {max(waits):.1f} s, min {min(waits):.1f} s (connect timeout "
            f"{CONNECT_TIMEOUT_S} s); load retries by cause "
            f"{dict(Counter(r for s in load.sent for r in s.retried_on))}"
        )
        assert max(waits) < STORE_DOWN_BOUND_S
    finally:
        api.stop()
        if ledger is not None:
            ledger.close()

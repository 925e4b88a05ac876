"""B1: HTTP command ingest at 16 concurrent clients vs raw one-row transactions.

The service runs as it is deployed (`ledger serve`: one uvicorn process, and on PostgreSQL also
two, `--workers 2`; on SQLite with its in-process projections, on PostgreSQL without them,
`ledger worker` being a process of its own).
Sixteen clients (4 processes x 4 threads, each thread with its own keep-alive httpx client) post
trainings to 200 employees for a fixed time. Baseline, same store kind, same time, 16 threads:
PostgreSQL: raw psycopg, per row one transaction `LOCK TABLE` (the ledger's notification-order
lock) + `INSERT` of the same stored bytes + `NOTIFY`; SQLite: raw sqlite3, per row one
`BEGIN IMMEDIATE` + `INSERT` + `COMMIT` in WAL mode.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg

from bench import http_clients, profiles
from bench.harness import STORES, Context, Measure, Result, Store
from ledger.application import CommandContext, KinerjaLedger
from ledger.config import Settings
from ledger.domain.envelope import Actor

ID = "B1"
TITLE = "HTTP command ingest, 16 clients"
CLIENTS = 16
PROCESSES = 4
EMPLOYEES = 200
HR = CommandContext(Actor("bench", "hr"))


nip = http_clients.nip


def seed(settings: Settings) -> bytes:
    """The agency and the employees; returns the stored bytes of one training (the baseline's row)."""
    app = KinerjaLedger(settings)
    try:
        app.register_agency(HR, code="DINKES", name="Dinas Kesehatan")
        for i in range(EMPLOYEES):
            app.register_employee(
                HR,
                nip=nip(i),
                name=f"Pegawai {i}",
                agency="DINKES",
                position="Staf",
                grade="III/a",
                employment_type="PNS",
            )
        app.record_training(
            HR, nip(0), title="Diklat 0", hours_jp=2, completed_on="2026-01-05", provider="BPSDM"
        )
        last = app.recorder.max_notification_id() or 0
        return bytes(app.recorder.select_notifications(last, 1)[0].state)
    finally:
        app.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ledger_bin() -> str:
    return str(Path(sys.executable).with_name("ledger"))


def start_server(settings: Settings, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LEDGER_DATABASE_URL": settings.database_url,
        "LEDGER_DATA_DIR": str(settings.data_dir),
    }
    log = (settings.data_dir / "server.log").open("wb")
    proc = subprocess.Popen(
        [ledger_bin(), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"the server did not start: {(settings.data_dir / 'server.log').read_text()[-2000:]}")


def token(settings: Settings) -> str:
    from api.auth import issue_token, load_secret

    return issue_token(load_secret(settings.data_dir), role="hr", sub="bench", agency=None, ttl_s=3600)


def http_ingest(
    settings: Settings, seconds: float, profile: Path | None = None, workers: int = 1
) -> dict[str, Any]:
    port = free_port()
    server = start_server(settings, port, workers)
    try:
        bearer = token(settings)
        if profile is not None:
            threading.Timer(
                3.0, lambda: profiles.record(server.pid, seconds, profile, subprocesses=workers > 1)
            ).start()
        samples = http_clients.run(
            f"http://127.0.0.1:{port}", bearer, PROCESSES, CLIENTS // PROCESSES, EMPLOYEES, seconds
        )
    finally:
        server.terminate()
        server.wait(30)
    ok = [lat for lat, status in samples if status == 201]
    statuses: dict[str, int] = {}
    for _, status in samples:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    latencies = sorted(lat for lat, _ in samples)
    return {
        "rate": len(ok) / seconds,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else 0.0,
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else 0.0,
        "statuses": statuses,
    }


def raw_postgres(url: str, state: bytes, seconds: float) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS raw_events (notification_id bigserial PRIMARY KEY, "
            "originator_id uuid NOT NULL, originator_version bigint NOT NULL, topic text NOT NULL, "
            "state bytea NOT NULL, UNIQUE (originator_id, originator_version))"
        )
    counts = [0] * CLIENTS
    together = threading.Barrier(CLIENTS)

    def writer(k: int) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            together.wait()  # every connection open: the window starts for all at once
            end = time.time() + seconds
            oid = uuid.uuid4()
            v = 0
            while time.time() < end:
                v += 1
                with conn.transaction():
                    conn.execute("LOCK TABLE raw_events IN EXCLUSIVE MODE")
                    conn.execute(
                        "INSERT INTO raw_events (originator_id, originator_version, topic, state) "
                        "VALUES (%s,%s,%s,%s)",
                        (oid, v, "ledger.domain.employee:Employee.TrainingCompleted", state),
                    )
                    conn.execute("NOTIFY raw_events")
                counts[k] += 1

    run_threads(writer)
    return sum(counts) / seconds


def raw_sqlite(path: Path, state: bytes, seconds: float) -> float:
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute(
        "CREATE TABLE IF NOT EXISTS raw_events (notification_id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "originator_id TEXT NOT NULL, originator_version INTEGER NOT NULL, topic TEXT NOT NULL, "
        "state BLOB NOT NULL, UNIQUE (originator_id, originator_version))"
    )
    setup.close()
    counts = [0] * CLIENTS
    together = threading.Barrier(CLIENTS)

    def writer(k: int) -> None:
        conn = sqlite3.connect(path, isolation_level=None, timeout=15, check_same_thread=False)
        oid = uuid.uuid4().hex
        v = 0
        together.wait()
        end = time.time() + seconds
        while time.time() < end:
            v += 1
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO raw_events (originator_id, originator_version, topic, state) VALUES (?,?,?,?)",
                (oid, v, "ledger.domain.employee:Employee.TrainingCompleted", state),
            )
            conn.execute("COMMIT")
            counts[k] += 1
        conn.close()

    run_threads(writer)
    return sum(counts) / seconds


def run_threads(target: Any) -> None:
    threads = [threading.Thread(target=target, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def measure(ctx: Context, store: Store, workers: int = 1) -> Result:
    seconds = float(ctx.size("ingest_s"))
    rates, baselines, p99s, p50s = [], [], [], []
    statuses: dict[str, int] = {}
    for repeat in range(ctx.repeats):
        with ctx.empty_store(store) as settings:
            state = seed(settings)
            profile = ctx.profile_path(f"b1-{store}-{workers}") if repeat == 0 else None
            run = http_ingest(settings, seconds, profile, workers)
            ctx.log(
                f"{store} x{workers} run {repeat + 1}: {run['rate']:,.0f} commands/s, "
                f"p99 {run['p99_ms']:.0f} ms, {run['statuses']}"
            )
            rates.append(run["rate"])
            p99s.append(run["p99_ms"])
            p50s.append(run["p50_ms"])
            for k, v in run["statuses"].items():
                statuses[k] = statuses.get(k, 0) + v
            if store == "postgres":
                baselines.append(raw_postgres(settings.database_url, state, seconds))
            else:
                baselines.append(raw_sqlite(settings.data_dir / "raw.db", state, seconds))
            ctx.log(f"{store} baseline {repeat + 1}: {baselines[-1]:,.0f} rows/s")
    top = ctx.profile_top(f"b1-{store}-{workers}")
    figure = Measure(tuple(rates), "commands/s")
    baseline = Measure(tuple(baselines), "rows/s")
    p99 = statistics.median(p99s)
    ratio = figure.median / baseline.median if baseline.median else 0.0
    return Result(
        id=ID,
        name=f"HTTP ingest, {store}, {workers} API process{'es' if workers > 1 else ''}, p99 {p99:.0f} ms",
        figure=figure,
        baseline=baseline,
        baseline_name="raw lock+insert+notify" if store == "postgres" else "raw sqlite3 insert",
        target="≥ 0.5× (stretch > 1.0×), p99 < 100 ms",
        met=ratio >= 0.5 and p99 < 100,
        details={
            "seconds": seconds,
            "api_processes": workers,
            "p50_ms": p50s,
            "p99_ms": p99s,
            "statuses": statuses,
            "clients": f"{PROCESSES} processes x {CLIENTS // PROCESSES} threads, httpx keep-alive",
            "server_profile_top": top,
        },
    )


def run(ctx: Context) -> list[Result]:
    # `ledger serve --workers 2` (PostgreSQL only: each process has its own group-commit writer)
    # puts both cores to the HTTP and domain work that bounds one process.
    return [*(measure(ctx, store) for store in STORES), measure(ctx, "postgres", workers=2)]

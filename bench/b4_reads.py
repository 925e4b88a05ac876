"""B4: reads under a concurrent write load, on the generated city (`ctx.events` events).

The city store (bench/city.py, built by the import path) has every read model caught up first,
in process (a new store comes straight from the import; one that B3 projected is already at the
head). Then the service runs as deployed: `ledger serve` (one uvicorn process; on SQLite with its
in-process projection thread), on PostgreSQL with a `ledger worker` beside it, so the read
models follow the writes. Readers (closed loop, `readers` processes x `reader_threads` threads,
httpx keep-alive, an HR token) issue six read types at random with parameters drawn from the
city: GET employee (the record, replayed from its stream), scorecard (nip, year), agency summary
(agency, year), rankings in one agency and city-wide (default page), public agencies (year).

Per repeat, on the same server: first the readers alone (`reads_s` seconds: the baseline, the
same reads without the write load), then the readers again while writers post trainings and
supervisor feedback at `write_rate` posts/s (`writer_threads` threads in a process of their own).
Figure: p99 of each read type under the write load; baseline: its p99 without it, so the ratio
is what the write load costs that read; target: p99 < 20 ms under the load.

    .venv/bin/python -m bench.suite --only B4 --set repeats=1 [--set reads_s=20] [--set write_rate=10]
    (also `readers`, `reader_threads`, `writer_threads`; `--set postgres=0` leaves a store out)
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import threading
import time
from typing import Any

from bench import profiles, read_load
from bench.b1_ingest import free_port, ledger_bin, start_server, token
from bench.harness import Context, Measure, Result, Store
from ledger.config import Settings

ID = "B4"
TITLE = "reads under a concurrent write load"
TARGET_MS = 20.0
PARAM_NIPS = 2000  # NIPs drawn for the reads and writes (a sample of the city, seeded)


def _defaults(ctx: Context) -> dict[str, float]:
    get = ctx.overrides.get
    return {
        "reads_s": float(get("reads_s", 10.0)),
        "write_rate": float(get("write_rate", 10.0)),
        "readers": int(get("readers", 2)),
        "reader_threads": int(get("reader_threads", 2)),
        "writer_threads": int(get("writer_threads", 4)),
    }


def catch_up(settings: Settings) -> dict[str, Any]:
    """Every read model at the head of the log (a new store: from 0; a projected one: nothing)."""
    from ledger.application import KinerjaLedger
    from projections.registry import default_projections
    from projections.runner import ProjectionRunner

    app = KinerjaLedger(settings)
    try:
        runner = ProjectionRunner(app, default_projections(), batch_size=2000)
        runner.setup()
        head = runner.max_position()
        behind = [s.name for s in runner.slots() if s.position < head or not s.active]
        started = time.perf_counter()
        if behind:
            runner.run_once()
            if runner.errors:
                raise RuntimeError(f"projections failed: {runner.errors}")
            left = [s.name for s in runner.slots() if s.active and s.position < head]
            if left:
                raise RuntimeError(f"not caught up: {left}")
        return {"head": head, "behind": len(behind), "seconds": round(time.perf_counter() - started, 1)}
    finally:
        app.close()


def draw_params(settings: Settings) -> read_load.Params:
    """Parameters from the read models themselves: scorecards that exist, agencies, years."""
    from ledger.application import KinerjaLedger
    from projections.base import view_name

    app = KinerjaLedger(settings)
    try:
        with app.sql.transaction(write=False) as tx:
            scored = [
                (str(r["nip"]), int(r["year"]))
                for r in tx.query(f"SELECT nip, year FROM {view_name('scorecards', 'scorecards')}")
            ]
            summary = tx.query(f"SELECT DISTINCT agency, year FROM {view_name('agencies', 'summary')}")
            public = tx.query(f"SELECT DISTINCT year FROM {view_name('agencies', 'public_agencies')}")
    finally:
        app.close()
    rng = random.Random(15)
    scored.sort()
    picked = rng.sample(scored, min(PARAM_NIPS, len(scored)))
    return read_load.Params(
        scored=picked,
        nips=sorted({nip for nip, _ in picked}),
        agencies=sorted({str(r["agency"]) for r in summary}),
        years=sorted({int(r["year"]) for r in summary} & {year for _, year in scored}),
        public_years=sorted(int(r["year"]) for r in public),
    )


def projection_lag(settings: Settings) -> int:
    """Events the slowest active read model is behind the head of the log."""
    from ledger.application import KinerjaLedger

    app = KinerjaLedger(settings)
    try:
        head = int(app.recorder.max_notification_id() or 0)
        with app.sql.transaction(write=False) as tx:
            low = tx.scalar(
                "SELECT MIN(p.position) FROM ledger_projection_positions p JOIN "
                "ledger_projection_registry r ON r.name = p.name AND r.active_generation = p.generation"
            )
        return head - int(low or 0)
    finally:
        app.close()


def wait_caught_up(settings: Settings, timeout: float = 300.0) -> int:
    deadline = time.monotonic() + timeout
    lag = projection_lag(settings)
    while lag > 0 and time.monotonic() < deadline:
        time.sleep(1.0)
        lag = projection_lag(settings)
    return lag


def start_worker(settings: Settings) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LEDGER_DATABASE_URL": settings.database_url,
        "LEDGER_DATA_DIR": str(settings.data_dir),
    }
    log = (settings.data_dir / "worker.log").open("wb")
    return subprocess.Popen([ledger_bin(), "worker"], env=env, stdout=log, stderr=subprocess.STDOUT)


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return 1000 * ordered[int(0.99 * (len(ordered) - 1))] if ordered else 0.0


def summarise(samples: list[read_load.Sample], seconds: float) -> dict[str, Any]:
    by_kind: dict[str, dict[str, Any]] = {}
    for kind in (*read_load.READS, "write"):
        mine = [(lat, status) for k, lat, status in samples if k == kind]
        ok = [lat for lat, status in mine if status in (200, 201)]
        statuses: dict[str, int] = {}
        for _, status in mine:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        by_kind[kind] = {
            "count": len(mine),
            "per_s": round(len(ok) / seconds, 1),
            "p50_ms": round(1000 * statistics.median(ok), 2) if ok else 0.0,
            "p99_ms": round(p99(ok), 2),
            "max_ms": round(1000 * max(ok), 2) if ok else 0.0,
            "statuses": statuses,
        }
    return by_kind


def measure_store(ctx: Context, store: Store) -> list[Result]:
    conf = _defaults(ctx)
    seconds = conf["reads_s"]
    with ctx.city_store(store) as settings:
        caught = catch_up(settings)
        ctx.log(
            f"{store}: read models at {caught['head']:,} ({caught['behind']} behind, {caught['seconds']} s)"
        )
        params = draw_params(settings)
        ctx.log(
            f"{store}: {len(params.scored)} scorecards drawn, {len(params.agencies)} agencies, "
            f"years {params.years[0]}-{params.years[-1]}"
        )
        port = free_port()
        server = start_server(settings, port)
        worker = start_worker(settings) if store == "postgres" else None
        idle_runs: list[dict[str, Any]] = []
        load_runs: list[dict[str, Any]] = []
        try:
            bearer = token(settings)
            base = f"http://127.0.0.1:{port}"
            for repeat in range(ctx.heavy_repeats):
                lag_before = wait_caught_up(settings)
                idle = read_load.run(
                    base,
                    bearer,
                    params,
                    seconds,
                    reader_processes=int(conf["readers"]),
                    reader_threads=int(conf["reader_threads"]),
                    writer_threads=0,
                    write_rate=0.0,
                )
                idle_runs.append(summarise(idle, seconds))
                profile = ctx.profile_path(f"b4-{store}") if repeat == 0 else None
                if profile is not None:
                    threading.Timer(2.0, profiles.record, (server.pid, seconds - 3, profile)).start()
                loaded = read_load.run(
                    base,
                    bearer,
                    params,
                    seconds,
                    reader_processes=int(conf["readers"]),
                    reader_threads=int(conf["reader_threads"]),
                    writer_threads=int(conf["writer_threads"]),
                    write_rate=conf["write_rate"],
                )
                run = summarise(loaded, seconds)
                run["projection_lag_after"] = projection_lag(settings)
                run["projection_lag_before"] = lag_before
                load_runs.append(run)
                ctx.log(
                    f"{store} run {repeat + 1}: writes {run['write']['per_s']}/s "
                    f"(p99 {run['write']['p99_ms']:.0f} ms, {run['write']['statuses']}), "
                    f"lag after {run['projection_lag_after']}; read p99 ms idle/loaded: "
                    + ", ".join(
                        f"{k} {idle_runs[-1][k]['p99_ms']:.1f}/{run[k]['p99_ms']:.1f}"
                        for k in read_load.READS
                    )
                )
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(30)
            server.terminate()
            server.wait(30)
    top = ctx.profile_top(f"b4-{store}")
    results = []
    for kind in read_load.READS:
        loaded_p99 = [r[kind]["p99_ms"] for r in load_runs]
        idle_p99 = [r[kind]["p99_ms"] for r in idle_runs]
        figure = Measure(tuple(loaded_p99), "ms")
        results.append(
            Result(
                id=ID,
                name=f"{kind} p99 under {statistics.median(r['write']['per_s'] for r in load_runs):.1f} "
                f"writes/s, {store}, {caught['head']:,} events",
                figure=figure,
                baseline=Measure(tuple(idle_p99), "ms"),
                baseline_name="same read, same server, no writes",
                target="p99 < 20 ms under the write load",
                # every read answered 200 (a 404 or 500 would be fast for the wrong reason)
                met=figure.median < TARGET_MS and all(set(r[kind]["statuses"]) == {"200"} for r in load_runs),
                details={
                    **conf,
                    "loaded": [r[kind] for r in load_runs],
                    "idle": [r[kind] for r in idle_runs],
                    "writes": [r["write"] for r in load_runs],
                    "projection_lag": [
                        (r["projection_lag_before"], r["projection_lag_after"]) for r in load_runs
                    ],
                    "server_profile_top": top if kind == read_load.READS[0] else [],
                },
            )
        )
    return results


def run(ctx: Context) -> list[Result]:
    stores = ctx.stores  # `--set postgres=0` (or `sqlite=0`) leaves a store out
    return [result for store in stores for result in measure_store(ctx, store)]

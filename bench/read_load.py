"""Reader and writer clients for the read benchmark (B4), in processes of their own so that the
clients' Python does not share the server's interpreter. Kept free of the ledger's imports, like
bench/http_clients.py: a client process starts in a fraction of a second on a loaded machine.

Readers are closed-loop (each thread issues its next read when the last one answered), each read
a type drawn at random with parameters drawn from the city. Writers post trainings and supervisor
feedback at a steady rate (each thread on its own schedule; a thread that falls behind does not
catch up in a burst). Every process opens its connections and warms them up, then waits at a
barrier; the parent starts the clock for all of them at once."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from typing import Any

from bench.http_clients import run_processes

READS = ("employee", "scorecard", "agency_summary", "rankings_agency", "rankings_city", "public_agencies")
Sample = tuple[str, float, int]  # (read type or "write", latency in seconds, HTTP status)


@dataclass(frozen=True)
class Params:
    """What readers and writers draw from: NIPs with a scorecard in a year, agencies, years."""

    scored: list[tuple[str, int]]  # (nip, year) of existing scorecards
    nips: list[str]
    agencies: list[str]
    years: list[int]  # years with rankings and agency summaries
    public_years: list[int]


def read_path(kind: str, rng: random.Random, p: Params) -> str:
    if kind == "employee":
        return f"/v1/employees/{rng.choice(p.nips)}"
    if kind == "scorecard":
        nip, year = rng.choice(p.scored)
        return f"/v1/employees/{nip}/scorecard?year={year}"
    if kind == "agency_summary":
        return f"/v1/agencies/{rng.choice(p.agencies)}/summary?year={rng.choice(p.years)}"
    if kind == "rankings_agency":
        return f"/v1/rankings?year={rng.choice(p.years)}&agency={rng.choice(p.agencies)}"
    if kind == "rankings_city":
        return f"/v1/rankings?year={rng.choice(p.years)}"
    if kind == "public_agencies":
        return f"/v1/public/agencies?year={rng.choice(p.public_years)}"
    raise ValueError(kind)


def _reader(http: Any, rng: random.Random, p: Params, end: float, out: list[Sample]) -> None:
    while time.time() < end:
        kind = rng.choice(READS)
        path = read_path(kind, rng, p)
        t0 = time.perf_counter()
        status = http.get(path).status_code
        out.append((kind, time.perf_counter() - t0, status))


def _writer(http: Any, rng: random.Random, p: Params, end: float, per_s: float, out: list[Sample]) -> None:
    interval = 1.0 / per_s
    due = time.time() + rng.random() * interval  # threads out of phase
    n = 0
    while True:
        now = time.time()
        if now < due:
            time.sleep(due - now)
        if time.time() >= end:
            return
        n += 1
        nip = rng.choice(p.nips)
        if n % 2:
            path = f"/v1/employees/{nip}/trainings"
            body: dict[str, Any] = {
                "title": f"Pelatihan beban {rng.randrange(10**9)}",
                "hours_jp": 2,
                "completed_on": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "provider": "BPSDM",
            }
        else:
            path = f"/v1/employees/{nip}/feedback"
            body = {"source": "SUPERVISOR", "score": rng.randint(1, 4)}
        t0 = time.perf_counter()
        status = http.post(path, json=body).status_code
        out.append(("write", time.perf_counter() - t0, status))
        due = max(due + interval, time.time())  # steady: no burst to catch up


def _process(
    base: str,
    bearer: str,
    role: str,
    threads: int,
    per_s: float,
    params: Params,
    seconds: float,
    seed: int,
    ready: Any,
    go: Any,
    start: Any,
    out: Any,
) -> None:
    import httpx

    rngs = [random.Random(seed * 1000 + k) for k in range(threads)]
    clients = [
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {bearer}"}, timeout=120)
        for _ in range(threads)
    ]
    if role == "reader":
        for client, rng in zip(clients, rngs, strict=True):
            for kind in READS:  # the connection is open and each route warm before the clock
                client.get(read_path(kind, rng, params))
    else:
        for client in clients:
            client.get("/healthz")
    results: list[list[Sample]] = [[] for _ in range(threads)]
    ready.wait()
    go.wait()
    while time.time() < start.value:
        time.sleep(0.001)
    end = start.value + seconds
    workers = [
        threading.Thread(target=_reader, args=(clients[k], rngs[k], params, end, results[k]))
        if role == "reader"
        else threading.Thread(target=_writer, args=(clients[k], rngs[k], params, end, per_s, results[k]))
        for k in range(threads)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for client in clients:
        client.close()
    out.put([s for sub in results for s in sub])


def run(
    base: str,
    bearer: str,
    params: Params,
    seconds: float,
    *,
    reader_processes: int,
    reader_threads: int,
    writer_threads: int,
    write_rate: float,
) -> list[Sample]:
    """Readers (and, with `writer_threads`, writers at `write_rate` posts/s in all) for `seconds`;
    every request's sample."""
    roles = [("reader", reader_threads, 0.0)] * reader_processes
    if writer_threads:
        roles.append(("writer", writer_threads, write_rate / writer_threads))
    return run_processes(
        _process,
        [
            (base, bearer, role, threads, per_s, params, seconds, i + 1)
            for i, (role, threads, per_s) in enumerate(roles)
        ],
        seconds,
    )

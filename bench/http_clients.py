"""Concurrent HTTP clients for the ingest benchmark, in processes of their own (so the clients'
Python does not share the server's interpreter). Kept free of the ledger's imports: a client
process starts in a fraction of a second even on a loaded machine.

Every process opens its threads' keep-alive connections, then waits at a barrier; the parent
starts the clock for all of them at once, so every client posts during the same window."""

from __future__ import annotations

import random
import threading
import time
from multiprocessing import get_context
from typing import Any

Sample = tuple[float, int]  # (latency in seconds, HTTP status)


def nip(i: int) -> str:
    return f"198801{1 + i % 28:02d}201201{1 + i % 2}{i:03d}"


def _process(
    base: str,
    bearer: str,
    threads: int,
    employees: int,
    seconds: float,
    seed: int,
    ready: Any,
    go: Any,
    start: Any,
    out: Any,
) -> None:
    import httpx

    results: list[list[Sample]] = [[] for _ in range(threads)]
    clients = [
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {bearer}"}, timeout=60)
        for _ in range(threads)
    ]
    for client in clients:
        client.get("/healthz")  # the connection is open before the clock starts

    def post(k: int) -> None:
        rng = random.Random(seed * 100 + k)
        http, samples = clients[k], results[k]
        end = start.value + seconds
        n = 0
        while time.time() < end:
            n += 1
            body = {
                "title": f"Diklat {seed}-{k}-{n}",
                "hours_jp": 2,
                "completed_on": "2026-01-05",
                "provider": "BPSDM",
            }
            t0 = time.perf_counter()
            response = http.post(f"/v1/employees/{nip(rng.randrange(employees))}/trainings", json=body)
            samples.append((time.perf_counter() - t0, response.status_code))

    ready.wait()
    go.wait()
    while time.time() < start.value:
        time.sleep(0.001)
    workers = [threading.Thread(target=post, args=(k,)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for client in clients:
        client.close()
    out.put([s for sub in results for s in sub])


def run(base: str, bearer: str, processes: int, threads: int, employees: int, seconds: float) -> list[Sample]:
    """`processes` x `threads` clients posting trainings for `seconds`; every request's sample."""
    return run_processes(
        _process, [(base, bearer, threads, employees, seconds, p + 1) for p in range(processes)], seconds
    )


def run_processes(target: Any, args: list[tuple[Any, ...]], seconds: float) -> list[Any]:
    """One spawned process per `args` running `target(*args, ready, go, start, out)`: all are
    released together once every one is ready (so none measures another's start-up), and each
    puts its list of samples on `out` when its `seconds` are over."""
    mp = get_context("spawn")
    ready, go = mp.Barrier(len(args) + 1), mp.Event()
    start = mp.Value("d", 0.0)
    out = mp.Queue()
    children = [mp.Process(target=target, args=(*a, ready, go, start, out)) for a in args]
    for child in children:
        child.start()
    ready.wait(timeout=300)
    start.value = time.time() + 0.2
    go.set()
    samples: list[Any] = []
    for _ in children:
        samples.extend(out.get(timeout=seconds + 300))
    for child in children:
        child.join(60)
    return samples

"""Projection throughput: catching up every read model vs merely reading and decoding the log.

    .venv/bin/python -m bench.projections --employees 2000 --years 3 [--store sqlite|postgres]

Loads the demo city through the application service, then, side by side in one run:
1. a raw pass over the notification log (select + decode, nothing written): the floor;
2. a fresh catch-up of all read models from position 0 (what `ledger worker` does on a new store);
3. `rebuild` of all read models (blue/green, with the row comparison).
Reports events/s and each ratio to the raw pass.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

from api.cli import demo
from ledger.application import KinerjaLedger
from ledger.config import Settings
from projections.registry import default_projections
from projections.runner import ProjectionRunner


def raw_pass(app: KinerjaLedger) -> int:
    n, start = 0, 0
    while True:
        batch = app.recorder.select_notifications(start, 500, inclusive_of_start=False)
        if not batch:
            return n
        for notification in batch:
            app.mapper.to_domain_event(notification)
        n += len(batch)
        start = batch[-1].id


def measure(settings: Settings, employees: int, years: int, seed: int) -> list[str]:
    clock = demo.SimulatedClock()
    app = KinerjaLedger(settings, clock=clock)
    try:
        t0 = time.perf_counter()
        demo.run(app, demo.plan(employees=employees, years=years, seed=seed), clock, seed=seed)
        load_s = time.perf_counter() - t0
        events = app.recorder.max_notification_id() or 0

        t0 = time.perf_counter()
        decoded = raw_pass(app)
        raw_s = time.perf_counter() - t0

        runner = ProjectionRunner(app, default_projections())
        t0 = time.perf_counter()
        runner.setup()
        runner.run_once()
        catch_up_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        for name in runner.projections:
            runner.rebuild(name)
        rebuild_s = time.perf_counter() - t0
    finally:
        app.close()
    rate = decoded / raw_s
    return [
        (
            f"| demo load ({employees} employees x {years} years) | {events:,} events | {load_s:.1f} s | "
            f"{events / load_s:,.0f} events/s | |"
        ),
        f"| raw log pass (select + decode) | {decoded:,} | {raw_s:.1f} s | {rate:,.0f} events/s | 1.0x |",
        (
            f"| catch-up of all {len(runner.projections)} read models | {decoded:,} | {catch_up_s:.1f} s | "
            f"{decoded / catch_up_s:,.0f} events/s | {catch_up_s / raw_s:.1f}x |"
        ),
        (
            f"| rebuild of all read models (blue/green + diff) | {decoded:,} | {rebuild_s:.1f} s | "
            f"{decoded / rebuild_s:,.0f} events/s | {rebuild_s / raw_s:.1f}x |"
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()
    header = [
        f"store: {args.store}",
        "",
        "| step | events | time | throughput | time / raw pass |",
        "|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        if args.store == "sqlite":
            rows = measure(
                Settings(f"sqlite:///{tmp}/ledger.db", Path(tmp), "bench"),
                args.employees,
                args.years,
                args.seed,
            )
        else:
            name = f"kl_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(args.postgres_url, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            try:
                url = f"{args.postgres_url.rsplit('/', 1)[0]}/{name}"
                rows = measure(Settings(url, Path(tmp), "bench"), args.employees, args.years, args.seed)
            finally:
                with psycopg.connect(args.postgres_url, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print("\n".join(header + rows))


if __name__ == "__main__":
    main()

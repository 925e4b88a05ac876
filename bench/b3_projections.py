"""B3: catch-up of every read model from position 0 vs a raw pass over the log (select + decode).

The generated city (bench/city.py, `ctx.events` events, built by the import path) is projected
in a child process, so its peak memory (max RSS) is the rebuild's own: in each repeat the child
first reads and decodes every event (the baseline, writing nothing), then starts a new
generation of every projection at position 0 and catches them all up together, in batches of
`batch` events, including the blue/green switch and its old/new row comparison. The first
repeat is the catch-up of a new store (no generation before it).

    .venv/bin/python -m bench.suite --only B3 [--set events=20000] [--set batch=2000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.harness import Context, Measure, Result, rate
from ledger.config import Settings

ID = "B3"
TITLE = "projection catch-up and rebuild of all read models"
TARGET_RATE = 50_000.0
TARGET_RATIO = 0.3
TARGET_PEAK_MB = 500.0
DEFAULT_BATCH = 2000


def raw_pass(settings: Settings) -> int:
    """Select and decode every event, write nothing: the floor any projection pass stands on."""
    from ledger.application import KinerjaLedger

    app = KinerjaLedger(settings)
    try:
        n, start = 0, 0
        while True:
            batch = app.recorder.select_notifications(start, DEFAULT_BATCH, inclusive_of_start=False)
            if not batch:
                return n
            for notification in batch:
                app.mapper.to_domain_event(notification)
            n += len(batch)
            start = batch[-1].id
    finally:
        app.close()


def project_all(settings: Settings, batch: int) -> dict[str, Any]:
    """A new generation of every projection at position 0, caught up together (one run_once)."""
    from ledger.application import KinerjaLedger
    from projections.registry import default_projections
    from projections.runner import ProjectionRunner

    app = KinerjaLedger(settings)
    try:
        runner = ProjectionRunner(app, default_projections(), batch_size=batch)
        runner.setup()
        fresh = all(s.position == 0 for s in runner.slots())
        if not fresh:
            for name in runner.projections:
                runner.start_rebuild(name)
        started = time.perf_counter()
        runner.run_once()
        seconds = time.perf_counter() - started
        if runner.errors:
            raise RuntimeError(f"projections failed: {runner.errors}")
        events = int(app.recorder.max_notification_id() or 0)
        behind = [s.name for s in runner.slots() if s.position != events or not s.active]
        if behind:
            raise RuntimeError(f"not caught up: {behind}")
        return {"events": events, "seconds": seconds, "fresh": fresh}
    finally:
        app.close()


def child(settings: Settings, batch: int) -> dict[str, Any]:
    started = time.perf_counter()
    decoded = raw_pass(settings)
    raw_s = time.perf_counter() - started
    result = project_all(settings, batch)
    return {**result, "decoded": decoded, "raw_s": raw_s, "peak_rss_mb": round(peak_kb() / 1024, 1)}


def peak_kb() -> int:
    """This process's own peak RSS. Not getrusage's ru_maxrss: on Linux that survives fork and
    exec, so a child of a suite that had just imported a million lines reported the suite's peak
    (3 GB) as its own; VmHWM belongs to the process image since its exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def run_child(settings: Settings, batch: int) -> dict[str, Any]:
    env = {
        **os.environ,
        "LEDGER_DATABASE_URL": settings.database_url,
        "LEDGER_DATA_DIR": str(settings.data_dir),
        "LEDGER_LOG_ORIGIN": settings.log_origin,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.b3_projections", "--child", "--batch", str(batch)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(ctx: Context) -> list[Result]:
    batch = int(ctx.overrides.get("batch", DEFAULT_BATCH))
    results = []
    for store in ctx.stores:
        with ctx.city_store(store) as settings:
            runs = []
            for repeat in range(ctx.heavy_repeats):
                report = run_child(settings, batch)
                runs.append(report)
                ctx.log(
                    f"{store} run {repeat + 1}: raw pass {rate(report['decoded'], report['raw_s']):,.0f} "
                    f"events/s, all read models {rate(report['events'], report['seconds']):,.0f} events/s "
                    f"({'new store' if report['fresh'] else 'rebuild'}), peak {report['peak_rss_mb']} MB"
                )
        figure = Measure(tuple(rate(r["events"], r["seconds"]) for r in runs), "events/s")
        baseline = Measure(tuple(rate(r["decoded"], r["raw_s"]) for r in runs), "events/s")
        peak = max(r["peak_rss_mb"] for r in runs)
        ratio = figure.median / baseline.median if baseline.median else 0.0
        results.append(
            Result(
                id=ID,
                name=f"all read models from 0, {store}, {runs[0]['events']:,} events, peak {peak:.0f} MB",
                figure=figure,
                baseline=baseline,
                baseline_name="select + decode every event",
                target="≥ 50,000 events/s and ≥ 0.3× the raw pass, peak < 500 MB",
                met=figure.median >= TARGET_RATE and ratio >= TARGET_RATIO and peak < TARGET_PEAK_MB,
                details={"batch": batch, "runs": runs},
            )
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true", help="measure the store of LEDGER_DATABASE_URL")
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH)
    args = parser.parse_args()
    if not args.child:
        parser.error("run it through the suite: python -m bench.suite --only B3")
    print(json.dumps(child(Settings.from_env(), args.batch)))


if __name__ == "__main__":
    main()

"""B5: `ledger audit verify` of an export vs `sha256sum` of its events file.

The export is generated exactly as `ledger audit export` writes it (bench/verify_1m.py: same
leaf encoding, chains, Merkle root, signed checkpoint, a kept checkpoint at half the size) with
`events` events over 5,000 streams. The real command runs in a child process under
/usr/bin/time -v (wall time, peak memory); the baseline hashes the same events file once.
"""

from __future__ import annotations

import shutil
import subprocess
import time

from bench.harness import Context, Measure, Result
from bench.verify_1m import EVENTS_FILE, generate, timed_verify

ID = "B5"
TITLE = "offline verification (ledger audit verify)"
STREAMS = 5_000


def sha256sum_s(path: str) -> float:
    started = time.perf_counter()
    subprocess.run(["sha256sum", path], check=True, capture_output=True)
    return time.perf_counter() - started


def run(ctx: Context) -> list[Result]:
    events = int(ctx.size("verify_events"))
    directory = ctx.workdir / "export"
    try:
        generated = generate(directory, events, STREAMS, seed=20260302)
        ctx.log(f"generated an export of {events:,} events in {generated['generate_s']} s")
        rates, baselines, peaks = [], [], []
        for repeat in range(ctx.repeats):
            report = timed_verify(directory)
            if report["exit_status"] != 0 or report["ok"] is not True:
                raise RuntimeError(f"the verifier did not pass the export: {report}")
            wall = float(report["wall_s"])  # type: ignore[arg-type]
            rates.append(events / wall)
            peaks.append(float(report["peak_rss_mb"]))  # type: ignore[arg-type]
            baselines.append(events / sha256sum_s(str(directory / EVENTS_FILE)))
            ctx.log(
                f"run {repeat + 1}: {rates[-1]:,.0f} events/s, {peaks[-1]} MB; sha256sum {baselines[-1]:,.0f}"
            )
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    figure = Measure(tuple(rates), "events/s")
    return [
        Result(
            id=ID,
            name=f"audit verify, {events:,} events, peak {max(peaks):.0f} MB",
            figure=figure,
            baseline=Measure(tuple(baselines), "events/s"),
            baseline_name="sha256sum of events.ndjson",
            target="≥ 300,000 events/s, bounded memory",
            met=figure.median >= 300_000,
            details={
                "peak_rss_mb": peaks,
                "export_mb": generated["events_file_mb"],
                "command": report["command"],
            },
        )
    ]

"""B6: time travel: one employee with 1,000 events, as of a date, on both stores.

The employee (registration and 999 weekly trainings from 2005, one import line each, built by
`ledger import`'s code path) is read the way `GET /v1/employees/{nip}?effective_on=` and
`?as_of=` read it (ledger/history.py: load the stream, keep the events of the selection, fold
them into an Employee; `as_of` is now, since imported events are recorded now), `samples`
times each, for a day in the middle of the history. The figure is the p99 of one read in
milliseconds; the baseline is the p99 of loading the same stream's stored events with the
recorder alone (no decoding, no folding): the floor of a read that replays the stream.

    .venv/bin/python -m bench.suite --only B6 [--set samples=200]
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench.harness import STORES, Context, Measure, Result
from ledger.application import KinerjaLedger
from ledger.domain.employee import Employee
from ledger.history import as_of_effective, as_of_recorded

ID = "B6"
TITLE = "time travel: an employee with 1,000 events as of a date"
EVENTS = 1_000
NIP = "198001012005011001"
DAY = date(2013, 6, 30)  # about the middle of the trainings
TARGET_MS = 5.0


def history_file(path: Path) -> Path:
    """Agency, employee and 999 trainings, seeded by position only (the same bytes each run)."""
    lines: list[dict[str, object]] = [
        {"kind": "agency", "source_ref": "b6-opd", "code": "OPD-B6", "name": "Perangkat Daerah B6"},
        {
            "kind": "employee",
            "source_ref": "b6-peg",
            "nip": NIP,
            "name": "Pegawai B6",
            "agency": "OPD-B6",
            "position": "Analis Kebijakan",
            "grade": "III/a",
            "employment_type": "PNS",
        },
    ]
    for i in range(EVENTS - 1):
        day = date.fromordinal(date(2005, 2, 1).toordinal() + i * 7)  # weekly, 2005 to 2024
        lines.append(
            {
                "kind": "training",
                "source_ref": f"b6-diklat-{i}",
                "nip": NIP,
                "title": "Webinar Manajemen Kinerja",
                "hours_jp": 2,
                "completed_on": day.isoformat(),
                "provider": "BKN",
            }
        )
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def timed_ms(action: object, samples: int) -> list[float]:
    assert callable(action)
    out = []
    for _ in range(samples):
        started = time.perf_counter()
        action()
        out.append((time.perf_counter() - started) * 1000)
    return out


def measure(ctx: Context, app: KinerjaLedger, samples: int) -> tuple[list[float], list[float], list[float]]:
    stream = Employee.create_id(NIP)
    if len(list(app.events.get(stream))) != EVENTS:
        raise RuntimeError("the employee does not have 1,000 events")
    # Imported events are recorded now: as of now, every one of them is selected.
    moment = datetime.now(UTC)
    runs_eff, runs_rec, runs_raw = [], [], []
    for _ in range(ctx.repeats):
        runs_eff.append(p99(timed_ms(lambda: as_of_effective(app, NIP, DAY), samples)))
        runs_rec.append(p99(timed_ms(lambda: as_of_recorded(app, NIP, moment), samples)))
        runs_raw.append(p99(timed_ms(lambda: app.recorder.select_events(stream), samples)))
        ctx.log(
            f"effective_on p99 {runs_eff[-1]:.1f} ms, as_of p99 {runs_rec[-1]:.1f} ms, "
            f"stored events only p99 {runs_raw[-1]:.1f} ms"
        )
    return runs_eff, runs_rec, runs_raw


def run(ctx: Context) -> list[Result]:
    from ledger.importing import import_file

    samples = int(ctx.overrides.get("samples", 100))
    source = history_file(ctx.workdir / "b6-history.ndjson")
    results = []
    for store in STORES:
        with ctx.empty_store(store) as settings:
            app = KinerjaLedger(settings)
            try:
                report = import_file(app, source)
                if report.refused or report.imported != EVENTS + 1:
                    raise RuntimeError(f"the B6 history did not import: {report.refused[:3]}")
                runs_eff, runs_rec, runs_raw = measure(ctx, app, samples)
            finally:
                app.close()
        for name, runs in (("effective_on", runs_eff), ("as_of (recorded)", runs_rec)):
            figure = Measure(tuple(runs), "ms")
            results.append(
                Result(
                    id=ID,
                    name=f"employee with {EVENTS:,} events, {name}, {store} (p99 of {samples})",
                    figure=figure,
                    baseline=Measure(tuple(runs_raw), "ms"),
                    baseline_name="select the stream's stored events",
                    target="< 5 ms",
                    met=figure.median < TARGET_MS,
                    details={"median_of_samples_ms": statistics.median(runs)},
                )
            )
    return results

"""B6: time travel: one employee with 1,000 events, as of a date, on both stores.

The employee (registration and 999 weekly trainings from 2005, one import line each, built by
`ledger import`'s code path) is read the way `GET /v1/employees/{nip}?effective_on=` and
`?as_of=` read it (ledger/history.py: from the snapshot that gives exactly the selection's
state, then the selected events after it; `as_of` is now, since imported events are recorded
now), `samples` times each: for a day in the middle of the history, and for `samples` days
spread over the whole history (how far the day lies past a snapshot decides how many events are
folded after it). The figure is the p99 of one read in milliseconds; the baseline is the p99 of
loading the same stream's stored events with the recorder alone (no decoding, no folding): the
floor of a read that replays the whole stream.

    .venv/bin/python -m bench.suite --only B6 [--set samples=200]
"""

from __future__ import annotations

import json
import random
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


CPU: dict[str, list[float]] = {}  # CPU time of each read, by variant (on a shared machine the wall p99 waits)


def timed_ms(action: object, samples: int, variant: str = "") -> list[float]:
    """Wall milliseconds of each call; the calls' CPU milliseconds go to CPU[variant]."""
    assert callable(action)
    out = []
    for _ in range(samples):
        started, cpu = time.perf_counter(), time.process_time()
        action()
        out.append((time.perf_counter() - started) * 1000)
        CPU.setdefault(variant, []).append((time.process_time() - cpu) * 1000)
    return out


def spread_days(samples: int) -> list[date]:
    """`samples` days over the trainings' twenty years, in a seeded order."""
    first, last = date(2005, 2, 1).toordinal(), date(2005, 2, 1).toordinal() + (EVENTS - 2) * 7
    days = [date.fromordinal(first + (last - first) * i // max(1, samples - 1)) for i in range(samples)]
    random.Random(6).shuffle(days)
    return days


def timed_days_ms(app: KinerjaLedger, days: list[date], variant: str) -> list[float]:
    reads = iter(days)
    return timed_ms(lambda: as_of_effective(app, NIP, next(reads)), len(days), variant)


def measure(ctx: Context, app: KinerjaLedger, samples: int) -> dict[str, list[float]]:
    stream = Employee.create_id(NIP)
    if len(list(app.events.get(stream))) != EVENTS:
        raise RuntimeError("the employee does not have 1,000 events")
    # Imported events are recorded now: as of now, every one of them is selected.
    moment = datetime.now(UTC)
    runs: dict[str, list[float]] = {
        "effective_on": [],
        "effective_on, days spread": [],
        "as_of": [],
        "raw": [],
    }
    days = spread_days(samples)
    for _ in range(ctx.repeats):
        eff = p99(timed_ms(lambda: as_of_effective(app, NIP, DAY), samples, "effective_on"))
        runs["effective_on"].append(eff)
        runs["effective_on, days spread"].append(p99(timed_days_ms(app, days, "effective_on, days spread")))
        runs["as_of"].append(p99(timed_ms(lambda: as_of_recorded(app, NIP, moment), samples, "as_of")))
        runs["raw"].append(p99(timed_ms(lambda: app.recorder.select_events(stream), samples)))
        ctx.log(
            f"effective_on p99 {runs['effective_on'][-1]:.1f} ms, over spread days p99 "
            f"{runs['effective_on, days spread'][-1]:.1f} ms, as_of p99 {runs['as_of'][-1]:.1f} ms, "
            f"stored events only p99 {runs['raw'][-1]:.1f} ms"
        )
    return runs


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
                CPU.clear()
                runs = measure(ctx, app, samples)
                ctx.log(
                    f"{store}: CPU per read p99 "
                    + ", ".join(f"{k or 'stored events only'} {p99(v):.2f} ms" for k, v in CPU.items())
                )
            finally:
                app.close()
        labels = {
            "effective_on": "effective_on",  # a day in the middle (DAY)
            "effective_on, days spread": f"effective_on, {samples} days spread over the history",
            "as_of": "as_of (recorded)",
        }
        for key, name in labels.items():
            figure = Measure(tuple(runs[key]), "ms")
            results.append(
                Result(
                    id=ID,
                    name=f"employee with {EVENTS:,} events, {name}, {store} (p99 of {samples})",
                    figure=figure,
                    baseline=Measure(tuple(runs["raw"]), "ms"),
                    baseline_name="select the stream's stored events",
                    target="< 5 ms",
                    met=figure.median < TARGET_MS,
                    details={
                        "median_of_samples_ms": statistics.median(runs[key]),
                        "cpu_ms_median": statistics.median(CPU[key]),
                        "cpu_ms_p99": p99(CPU[key]),
                    },
                )
            )
    return results

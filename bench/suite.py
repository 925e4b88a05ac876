"""The benchmark suite: every benchmark of docs/PERFORMANCE.md, one table.

    .venv/bin/python -m bench.suite                    # small scale (`make bench`), < 10 minutes
    .venv/bin/python -m bench.suite --scale full       # 1,000,000 events (`make bench SCALE=full`)
    .venv/bin/python -m bench.suite --only B1,B5       # some of them
    .venv/bin/python -m bench.suite --render var/bench/results-small.json   # the table again

Each benchmark is a module listed in REGISTRY with `ID`, `TITLE` and `run(ctx) -> list[Result]`
(bench/harness.py). Every run works in a fresh temporary directory and fresh databases, removed
afterwards. The table goes to stdout (markdown, as docs/PERFORMANCE.md shows it); the results,
with every repeated run, go to var/bench/results-<scale>.json (or --json PATH).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from bench.harness import SCALES, Context, Result

# id -> module. A benchmark joins the suite by adding its module here.
REGISTRY: dict[str, str] = {
    "B1": "bench.b1_ingest",
    "B2": "bench.b2_import",
    "B3": "bench.b3_projections",
    "B4": "bench.b4_reads",
    "B5": "bench.b5_verify",
    "B6": "bench.b6_time_travel",
}


# What bounds each benchmark where its target is not met: the profile's finding, in a line; the
# profiles, their commands and the figures behind them are in docs/PERFORMANCE.md.
BOUNDS: dict[str, str] = {
    "B1": "CPU of the one Python process per request (HTTP stack, JWT, pydantic, domain, a few ms); "
    "the 16 client processes share the 2 cores with it (py-spy of the server)",
    "B2": "the domain path in CPython, about 280 µs of CPU per line (parse, validate, build and "
    "encode the event), no hot spot left (py-spy --gil)",
    "B3": "Python work of twelve read models, about 230 µs of CPU per event, no step above a third; "
    "the raw pass itself stays under 50,000 events/s (py-spy)",
    "B4": "reads share 2 cores with the writer, server, worker and database; on SQLite the "
    "in-process projections recompute each agency-year a live batch touches (py-spy of the server)",
    "B5": "per event three SHA-256 calls, a base64 decode and a JSON parse in CPython, about 11 µs "
    "of CPU per event per worker (py-spy of the workers)",
    "B6": "two or three round trips per read and the fold of up to 100 events after the snapshot; "
    "on a loaded machine a read waits for a core (CPU per read is recorded beside the figure)",
}


def figure_text(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if value >= 100 and unit != "ms" else f"{value:,.2f}"
    return f"{text} {unit}".strip()


def row(result: dict[str, Any]) -> str:
    fig = result["figure"]
    low, high = figure_text(fig["min"], ""), figure_text(fig["max"], "")
    figure = f"{figure_text(fig['median'], fig['unit'])} ({low}–{high})"
    base = result.get("baseline")
    baseline = (
        f"{figure_text(base['median'], base['unit'])} ({result.get('baseline_name', '')})" if base else "—"
    )
    ratio = f"{result['ratio']:.2f}×" if result.get("ratio") is not None else "—"
    met = "met" if result["met"] else "**not met**"
    bound = "" if result["met"] else BOUNDS.get(result["id"], "")
    return (
        f"| {result['id']} {result['name']} | {figure} | {baseline} | {ratio} | {result['target']} | {met} "
        f"| {bound} |"
    )


def table(results: list[dict[str, Any]], problems: list[dict[str, str]]) -> str:
    lines = [
        (
            "| benchmark | figure: median (min–max) | baseline: median | ratio | target | "
            "| not met: what bounds it |"
        ),
        "|---|---|---|---|---|---|---|",
    ]
    lines += [row(r) for r in results]
    lines += [f"| {p['id']} {p['title']} | {p['problem']} | | | | **not run** | |" for p in problems]
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_at_start": [round(x, 2) for x in load],
    }


def run(ids: list[str], ctx: Context) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    results: list[dict[str, Any]] = []
    problems: list[dict[str, str]] = []
    for bench_id in ids:
        module_name = REGISTRY[bench_id]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            problems.append({"id": bench_id, "title": module_name, "problem": "module not present"})
            continue
        print(f"{bench_id} {module.TITLE}", flush=True)
        started = time.perf_counter()
        try:
            found: list[Result] = module.run(ctx)
        except Exception as exc:  # one failing benchmark must not hide the others' figures
            traceback.print_exc()
            problems.append({"id": bench_id, "title": module.TITLE, "problem": f"failed: {exc!r}"[:300]})
            continue
        ctx.log(f"{bench_id} took {time.perf_counter() - started:.0f} s")
        for result in found:
            data = result.as_dict()
            results.append(data)
            print(table([data], []).splitlines()[-1], flush=True)
    return results, problems


def merged(
    out: Path,
    scale: str,
    ids: list[str],
    this_run: dict[str, Any],
    results: list[dict[str, Any]],
    problems: list[dict[str, str]],
) -> dict[str, Any]:
    """The results file after this run: a run of some benchmarks (`--only`) replaces their rows
    and keeps the other benchmarks' rows of earlier runs at the same scale (each row names its
    run), so a full-scale table can be measured one benchmark at a time."""
    earlier: dict[str, Any] = {}
    if out.exists():
        earlier = json.loads(out.read_text())
        if earlier.get("scale") != scale or "runs" not in earlier:
            earlier = {}
    kept = [r for r in earlier.get("results", []) if r["id"] not in ids]
    kept_problems = [p for p in earlier.get("problems", []) if p["id"] not in ids]
    order = list(REGISTRY)
    return {
        "scale": scale,
        "runs": [*earlier.get("runs", []), this_run],
        "results": sorted([*kept, *results], key=lambda r: order.index(r["id"])),
        "problems": sorted([*kept_problems, *problems], key=lambda p: order.index(p["id"])),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--only", default="", help="comma-separated ids, e.g. B1,B5")
    parser.add_argument("--json", type=Path, default=None, help="default var/bench/results-<scale>.json")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="override a size, e.g. events=5000"
    )
    parser.add_argument("--render", type=Path, default=None, help="print the table of a results file")
    parser.add_argument(
        "--profile", action="store_true", help="py-spy profiles of the hot paths into var/bench/profiles"
    )
    args = parser.parse_args()
    if args.render:
        data = json.loads(args.render.read_text())
        print(table(data["results"], data["problems"]))
        return
    ids = [i.strip().upper() for i in args.only.split(",") if i.strip()] or list(REGISTRY)
    unknown = [i for i in ids if i not in REGISTRY]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    overrides: dict[str, Any] = {}
    for item in args.set:
        name, _, value = item.partition("=")
        overrides[name] = float(value) if "." in value else int(value)
    if args.profile:
        overrides["profile"] = 1
    workdir = Path(tempfile.mkdtemp(prefix="kl-bench-"))
    started = time.time()
    ctx = Context(scale=args.scale, workdir=workdir, overrides=overrides)
    try:
        results, problems = run(ids, ctx)
    finally:
        ctx.close()
        shutil.rmtree(workdir, ignore_errors=True)
    out = args.json or Path("var/bench") / f"results-{args.scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    this_run = {
        "ids": ids,
        "sizes": {**SCALES[args.scale], **overrides},
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "duration_s": round(time.time() - started, 1),
        "machine": machine(),
        "command": " ".join(["python -m bench.suite", *sys.argv[1:]]),
    }
    for result in results:
        result["run"] = this_run["started_utc"]
    document = merged(out, args.scale, ids, this_run, results, problems)
    out.write_text(json.dumps(document, indent=2) + "\n")
    print()
    print(f"scale {args.scale}, {this_run['duration_s']} s, results in {out}")
    print(table(document["results"], document["problems"]))
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()

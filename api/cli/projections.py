"""`ledger projections rebuild|status` and `ledger worker`: the read models from the command line."""

from __future__ import annotations

import json
import logging
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from api.log_format import formatter
from ledger.application import KinerjaLedger
from ledger.config import Settings, sqlite_path
from projections.audit import install_guards
from projections.registry import default_projections
from projections.runner import ProjectionRunner, Slot
from projections.switches import SwitchReport

projections_app = typer.Typer(help="Read models: rebuild and status.", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)


def _runner(ledger: KinerjaLedger, **kwargs: Any) -> ProjectionRunner:
    return ProjectionRunner(ledger, default_projections(), **kwargs)


@projections_app.command()
def status(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Each projection's generation, position, lag and state: active, rebuilding or failed (where, why)."""
    ledger = KinerjaLedger()
    try:
        runner = _runner(ledger)
        rows = [s.as_dict() for s in runner.status()]
        head = runner.max_position()
    finally:
        ledger.close()
    if as_json:
        typer.echo(json.dumps({"log_position": head, "projections": rows}, indent=2))
        return
    table = Table(title=f"projections (log at position {head})")
    for column in ("name", "generation", "version", "position", "lag", "state"):
        table.add_column(column)
    for r in rows:
        state = r["state"]
        if r["state"] == "failed":
            event = f", event {r['failed_event_id']}" if r["failed_event_id"] else ""
            state = f"[red]failed at position {r['failed_position']}{event}: {escape(r['error'])}[/red]"
        if r["version"] != r["code_version"]:
            state += f" (built by v{r['version']}, code is v{r['code_version']})"
        table.add_row(
            r["name"], str(r["generation"]), str(r["version"]), str(r["position"]), str(r["lag"]), state
        )
    console.print(table)


@projections_app.command()
def rebuild(
    name: Annotated[str | None, typer.Argument(help="one projection (default: all)")] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 500,
) -> None:
    """Rebuild from position 0 into new tables, switch atomically when caught up, report differences."""
    ledger = KinerjaLedger()
    try:
        runner = _runner(ledger, batch_size=batch_size)
        names = sorted(runner.projections)
        if name is not None:
            if name not in runner.projections:
                errors.print(f"unknown projection {name!r}; known: {', '.join(names)}")
                raise typer.Exit(2)
            names = [name]
        total = runner.count_after(0)
        reports: list[SwitchReport] = []
        with Progress(
            TextColumn("[bold]{task.description}[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} events/s"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        ) as progress:
            for n in names:
                task = progress.add_task(n, total=total, rate="-")
                started = time.monotonic()
                processed = 0

                def on_progress(
                    slot: Slot,
                    position: int,
                    count: int,
                    n: str = n,
                    task: Any = task,
                    started: float = started,
                ) -> None:
                    nonlocal processed
                    if slot.name != n or slot.active:
                        return
                    processed += count
                    elapsed = max(time.monotonic() - started, 1e-9)
                    progress.update(
                        task,
                        completed=min(processed, total),
                        total=max(total, processed),
                        rate=f"{processed / elapsed:,.0f}",
                    )

                runner.on_progress = on_progress
                try:
                    report = runner.rebuild(n)
                except RuntimeError as exc:  # replaced by a newer rebuild, or the projection failed
                    progress.stop()
                    for done in reports:
                        _print_report(done)
                    errors.print(f"error: {exc}")
                    raise typer.Exit(1) from None
                progress.update(task, completed=max(total, processed), total=max(total, processed))
                reports.append(report)
        for report in reports:
            _print_report(report)
    finally:
        ledger.close()


def _print_report(report: SwitchReport) -> None:
    old = f"g{report.old_generation}" if report.old_generation is not None else "none"
    console.print(
        f"[bold]{report.name}[/bold]: generation g{report.new_generation} active at position "
        f"{report.position} (replaced {old}); {report.differing_rows} rows differ from the old tables"
    )
    for d in report.diffs:
        if not d.comparable:
            console.print(f"  {d.table}: columns changed, not compared")
        elif d.only_old or d.only_new:
            console.print(f"  {d.table}: {d.only_old} only in old, {d.only_new} only in new")
            for row in d.sample_old:
                console.print(f"    - {json.dumps(row, default=str)[:200]}")
            for row in d.sample_new:
                console.print(f"    + {json.dumps(row, default=str)[:200]}")


worker_log = logging.getLogger("ledger.worker")


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record is emitted, not the stream of the moment
    the handler was made (a test runner swaps and closes its captured stderr between commands)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


@contextmanager
def _log_to_stderr() -> Iterator[None]:
    """INFO and above of the ledger's loggers to stderr while the worker runs (basicConfig does
    nothing when a library has already configured the root logger); removed afterwards."""
    ledger_log = logging.getLogger("ledger")
    handler = _StderrHandler()
    handler.setFormatter(formatter(Settings.from_env().log_format))
    level = ledger_log.level
    ledger_log.addHandler(handler)
    ledger_log.setLevel(logging.INFO)
    try:
        yield
    finally:
        ledger_log.removeHandler(handler)
        ledger_log.setLevel(level)


def _store_name(ledger: KinerjaLedger) -> str:
    """Which store, without credentials: `sqlite <file>` or `postgresql <host>:<port>/<db>`."""
    settings = ledger.settings
    if not settings.is_postgres:
        return f"sqlite {sqlite_path(settings.database_url)}"
    env = settings.eventsourcing_env()
    return f"postgresql {env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}"


def worker(
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 500,
    once: Annotated[bool, typer.Option("--once", help="catch up, then exit")] = False,
) -> None:
    """Run the projections as their own process (the PostgreSQL deployment)."""
    with _log_to_stderr():
        _work(batch_size, once)


PROGRESS_EVERY_S = 10.0  # a worker catching up logs where it is at most this often


class _ProgressLog:
    """The runner's progress callback for the worker: position, head and lag of the projection
    that just moved, at most every PROGRESS_EVERY_S, so a long catch-up shows it is moving."""

    def __init__(self, ledger: KinerjaLedger, every: float = PROGRESS_EVERY_S) -> None:
        self.ledger = ledger
        self.every = every
        self.last = time.monotonic()

    def __call__(self, slot: Slot, position: int, applied: int) -> None:
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        head = self.ledger.recorder.max_notification_id() or 0
        worker_log.info(
            "catching up: %s at position %d of %d (lag %d)", slot.name, position, head, head - position
        )


def _work(batch_size: int, once: bool) -> None:
    ledger = KinerjaLedger()
    runner = _runner(ledger, batch_size=batch_size, on_progress=_ProgressLog(ledger))
    try:
        runner.setup()
        # The worker may be the first process on a fresh PostgreSQL database: guard it too.
        install_guards(ledger)
        worker_log.info(
            "worker started: store %s, projections %s, batch size %d",
            _store_name(ledger),
            ", ".join(sorted(runner.projections)),
            batch_size,
        )
        started = time.monotonic()
        done = runner.run_once()
        worker_log.info(
            "caught up to position %d (lag 0): %d event applications in %.1f s",
            ledger.recorder.max_notification_id() or 0,
            done,
            time.monotonic() - started,
        )
        if once:
            console.print(f"caught up: {done} event applications")
            return

        def stop(signum: int, frame: object) -> None:
            worker_log.info("worker stopping on %s", signal.Signals(signum).name)
            runner.stop(timeout=0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        runner.run_forever()
        worker_log.info("worker stopped at position %d", ledger.recorder.max_notification_id() or 0)
    finally:
        ledger.close()

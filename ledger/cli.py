"""Domain commands of the `ledger` CLI (composed with the others in api/cli.py)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ledger.application import KinerjaLedger
from ledger.clock import parse_date, parse_rfc3339, wib_date
from ledger.errors import LedgerError
from ledger.history import as_of_effective, as_of_recorded, current, employee_view, event_view

app = typer.Typer(help="Kinerja Ledger: event-sourced performance ledger for ASN.", no_args_is_help=True)
console = Console()
# Errors go to stderr: stdout may be a --json document read by a script.
errors = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Kinerja Ledger: event-sourced performance ledger for ASN."""


@app.command()
def history(
    nip: str,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="RFC 3339 time: what the ledger knew then")
    ] = None,
    effective_on: Annotated[
        str | None, typer.Option("--effective-on", help="YYYY-MM-DD: what had taken effect then")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of tables")] = False,
) -> None:
    """Print an employee's record and history, now or as it stood at a past moment."""
    if as_of and effective_on:
        raise typer.BadParameter("give --as-of or --effective-on, not both")
    ledger = KinerjaLedger()
    try:
        if as_of:
            try:
                moment: datetime = parse_rfc3339(as_of)
            except ValueError as exc:
                raise typer.BadParameter(str(exc), param_hint="--as-of") from None
            past = as_of_recorded(ledger, nip, moment)
            day = wib_date(moment)
        elif effective_on:
            try:
                day = parse_date(effective_on)
            except ValueError as exc:
                raise typer.BadParameter(str(exc), param_hint="--effective-on") from None
            past = as_of_effective(ledger, nip, day)
        else:
            past = current(ledger, nip)
            day = ledger.today()
    except LedgerError as exc:
        errors.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(1) from None
    finally:
        ledger.close()
    state = employee_view(past.employee, day)
    events = [event_view(e) for e in past.events]
    if as_json:
        typer.echo(json.dumps({"state": state, "events": events}, indent=2, ensure_ascii=False))
        return
    summary = Table(title=f"NIP {state['nip']} (version {state['version']})", show_header=False)
    for key in ("name", "agency", "position", "grade", "employment_type", "service_start_date", "status"):
        summary.add_row(key, str(state[key]))
    summary.add_row("training_jp", json.dumps(state["training_jp"]))
    console.print(summary)
    table = Table(title="events")
    for column in ("v", "type", "effective", "recorded_at", "by", "details"):
        table.add_column(column)
    for e in events:
        details = json.dumps(e["payload"], ensure_ascii=False)
        table.add_row(
            str(e["version"]),
            e["type"],
            e["effective_date"],
            e["recorded_at"][:19],
            f"{e['recorded_by']['role']}:{e['recorded_by']['sub']}",
            details[:120],
        )
    console.print(table)


@app.command()
def demo(
    employees: Annotated[int, typer.Option(min=2, max=50_000, help="how many employees")] = 2000,
    years: Annotated[int, typer.Option(min=1, max=10, help="how many past calendar years")] = 3,
    seed: Annotated[int, typer.Option(help="random seed: the same seed gives the same data")] = 2026,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="do nothing when the store already has events")
    ] = False,
) -> None:
    """Load deterministic synthetic data for a Binjai-like city through the application service."""
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ledger import demo as demo_data

    clock = demo_data.SimulatedClock()
    ledger = KinerjaLedger(clock=clock)
    try:
        if ledger.recorder.max_notification_id():
            if if_empty:
                console.print("the store already has events: demo data not loaded (--if-empty)")
                return
            console.print("[yellow]the store already has events; adding demo data beside them[/yellow]")
        started = time.monotonic()
        the_plan = demo_data.plan(employees=employees, years=years, seed=seed)
        with Progress(
            TextColumn("[bold]demo[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} commands/s"),
            TimeRemainingColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("demo", total=len(the_plan.steps), rate="-")

            def step(done: int) -> None:
                if done % 50 == 0 or done == len(the_plan.steps):
                    elapsed = time.monotonic() - started
                    progress.update(task, completed=done, rate=f"{done / max(elapsed, 1e-9):.0f}")

            try:
                counts = demo_data.run(ledger, the_plan, clock, seed=seed, on_step=step)
            except LedgerError as exc:
                console.print(f"[red]demo command failed: {exc.detail}[/red]")
                raise typer.Exit(1) from None
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        console.print(
            f"loaded {len(the_plan.people)} employees over {the_plan.years[0]}-{the_plan.years[-1]}: "
            f"{len(the_plan.steps)} commands in {elapsed:.1f} s ({summary})"
        )
    finally:
        ledger.close()

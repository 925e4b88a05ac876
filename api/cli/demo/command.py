"""`ledger demo`: load deterministic synthetic data for a Binjai-like city (the package ``api.cli.demo``)."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from api.cli.demo.load import SimulatedClock, run
from api.cli.demo.schedule import plan
from ledger.application import KinerjaLedger
from ledger.errors import LedgerError

app = typer.Typer()
console = Console()


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
    clock = SimulatedClock()
    ledger = KinerjaLedger(clock=clock)
    try:
        if ledger.recorder.max_notification_id():
            if if_empty:
                console.print("the store already has events: demo data not loaded (--if-empty)")
                return
            console.print("[yellow]the store already has events; adding demo data beside them[/yellow]")
        started = time.monotonic()
        the_plan = plan(employees=employees, years=years, seed=seed)
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
                counts = run(ledger, the_plan, clock, seed=seed, on_step=step)
            except LedgerError as exc:
                console.print(f"[red]demo command failed: {exc.detail}[/red]")
                raise typer.Exit(1) from None
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        console.print(
            f"loaded {len(the_plan.people)} employees over {the_plan.history_from}-{the_plan.years[-1]}: "
            f"{len(the_plan.steps)} commands in {elapsed:.1f} s ({summary})"
        )
    finally:
        ledger.close()

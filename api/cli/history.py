"""`ledger history NIP`: an employee's record and events, now or as it stood at a past moment."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.cli.render import nested, wib
from ledger.application import KinerjaLedger
from ledger.clock import parse_date, parse_rfc3339, wib_date
from ledger.errors import LedgerError
from ledger.history import as_of_effective, as_of_recorded, current, employee_view, event_view

app = typer.Typer(help="Kinerja Ledger: event-sourced performance ledger for ASN.", no_args_is_help=True)
console = Console(highlight=False)
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
    summary.add_row("training_jp", "\n".join(nested(state["training_jp"])) or "-")
    console.print(summary)
    table = Table(title="events (times in WIB)", show_lines=True)
    for column in ("v", "type", "effective", "recorded (WIB)", "by", "details"):
        table.add_column(column, overflow="fold")
    for e in events:
        table.add_row(
            str(e["version"]),
            e["type"],
            e["effective_date"],
            wib(e["recorded_at"]),
            f"{e['recorded_by']['role']}:{e['recorded_by']['sub']}",
            "\n".join(nested(e["payload"])),
        )
    console.print(table)

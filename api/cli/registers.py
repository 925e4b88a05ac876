"""`ledger registers satyalancana`: the Satyalancana Karya Satya candidates of a year.

The register is a read model (projection ``satyalancana``); the command first brings that one
projection up to the end of the log, so it answers with everything recorded, with or without a
running worker.
"""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from api.cli.filters import require_agency
from ledger.application import KinerjaLedger
from ledger.values import CODE
from projections import queries
from projections.runner import ProjectionRunner
from projections.satyalancana import SatyalancanaProjection

app = typer.Typer(help="Registers over the read models; read-only.", no_args_is_help=True)

CSV_COLUMNS = (
    "nip",
    "name",
    "agency",
    "employment_type",
    "service_start_date",
    "years",
    "reached_on",
    "days_not_counted",
    "service_ended_on",
    "eligible",
    "reasons",
    "event_ids",
    "granted",
    "award_id",
    "award_decree_date",
)


@app.callback()
def _root() -> None:
    """Registers over the read models; read-only."""


def csv_row(item: dict[str, Any]) -> dict[str, str]:
    """One candidate flattened: reasons joined by " | ", their event ids by ";" within a reason."""
    award = item["award"] or {}
    return {
        "nip": item["nip"],
        "name": item["name"],
        "agency": item["agency"],
        "employment_type": item["employment_type"],
        "service_start_date": item["service_start_date"],
        "years": str(item["years"]),
        "reached_on": item["reached_on"],
        "days_not_counted": str(item["days_not_counted"]),
        "service_ended_on": item["service_ended_on"] or "",
        "eligible": "true" if item["eligible"] else "false",
        "reasons": " | ".join(p["reason"] for p in item["ineligibility"]),
        "event_ids": " | ".join(";".join(p["event_ids"]) for p in item["ineligibility"]),
        "granted": "true" if item["granted"] else "false",
        "award_id": award.get("award_id") or "",
        "award_decree_date": award.get("decree_date") or "",
    }


@app.command()
def satyalancana(
    year: Annotated[int, typer.Option("--year", min=1950, max=2100, help="the year the years are reached")],
    agency: Annotated[
        str | None, typer.Option("--agency", help="OPD code: where the employee served that day")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the register as JSON")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="print the register as CSV")] = False,
) -> None:
    """Who reaches 10, 20 or 30 years of counted service in the year: eligible or not, and why."""
    if as_json and as_csv:
        raise typer.BadParameter("give --json or --csv, not both", param_hint="--csv")
    if agency is not None and not CODE.fullmatch(agency):
        raise typer.BadParameter("must be an agency code, e.g. DINKES", param_hint="--agency")
    ledger = KinerjaLedger()
    try:
        require_agency(ledger, agency)
        runner = ProjectionRunner(ledger, [SatyalancanaProjection()])
        runner.run_once()
        if runner.errors:
            Console(stderr=True).print(
                f"error: the register could not be brought up to date: {runner.errors}"
            )
            raise typer.Exit(1)
        found = queries.satyalancana_register(ledger, year, agency, limit=1_000_000)
    finally:
        ledger.close()
    items = found["items"]
    if as_json:
        typer.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(csv_row(i) for i in items)
        return
    console = Console()  # created per run: picks up the terminal's (or COLUMNS') width
    where = f", {agency}" if agency else ""
    table = Table(title=f"Satyalancana Karya Satya {year}{where} ({len(items)})")
    for column in ("NIP", "name", "OPD", "start", "years", "reached", "not counted", "eligible", "granted"):
        table.add_column(column, overflow="fold")
    for i in items:
        eligible = "[green]yes[/green]" if i["eligible"] else "[red]no[/red]"
        table.add_row(
            i["nip"],
            i["name"],
            i["agency"],
            i["service_start_date"],
            str(i["years"]),
            i["reached_on"],
            f"{i['days_not_counted']} d" if i["days_not_counted"] else "-",
            eligible,
            i["award"]["decree_date"] if i["award"] else "-",
        )
    console.print(table)
    for i in items:
        for p in i["ineligibility"]:
            console.print(
                f"{i['nip']} ({i['years']}): {p['reason']} [{', '.join(p['event_ids'])}]",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )

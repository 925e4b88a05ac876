"""`ledger import FILE [--dry-run]`: load a city's history from NDJSON (docs/IMPORT.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ledger.application import KinerjaLedger
from ledger.importing import ImportReport, import_file

console = Console()
errors = Console(stderr=True)


def import_history(
    file: Annotated[Path, typer.Argument(help="NDJSON file, one fact per line (docs/IMPORT.md)")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check every line and report every error; write nothing")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Import history; re-running skips lines already imported (by source_ref)."""
    if not file.is_file():
        errors.print(f"error: {file} is not a readable file")
        raise typer.Exit(2)
    with file.open("rb") as counting:
        total = sum(1 for line in counting if line.strip())
    ledger = KinerjaLedger()
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=errors,
            disable=as_json,
        ) as bar:
            task = bar.add_task("checking" if dry_run else "importing", total=total)
            report = import_file(
                ledger, file, dry_run=dry_run, progress=lambda n: bar.update(task, completed=n)
            )
    finally:
        ledger.close()
    if as_json:
        console.print_json(json.dumps(report.as_dict()))
    else:
        _print(report)
    raise typer.Exit(0 if report.ok else 1)


def _print(report: ImportReport) -> None:
    summary = Table(title="dry run: nothing was written" if report.dry_run else "import")
    for column in (
        "lines",
        "imported" if not report.dry_run else "would import",
        "already imported",
        "refused",
    ):
        summary.add_column(column, justify="right")
    summary.add_row(str(report.lines), str(report.imported), str(report.already), str(len(report.refused)))
    console.print(summary)
    if report.by_kind:
        kinds = Table("kind", "count")
        for kind, count in sorted(report.by_kind.items()):
            kinds.add_row(kind, str(count))
        console.print(kinds)
    for error in report.refused:
        where = f"line {error.line}"
        if error.kind:
            where += f" ({error.kind} {error.source_ref})"
        console.print(f"{where}: {error.detail}", markup=False, highlight=False, soft_wrap=True)

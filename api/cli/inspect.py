"""`ledger inspect sanctions`: the inspectorate's register of sanction decisions and their verdicts.

Read-only. Verdicts are computed from the event store itself (`ledger.discipline.inspection.verify_all`, the
same functions the `sanctions_verification` read model uses), so the command needs no running
projection worker and is always current.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from api.cli.filters import require_agency
from api.cli.render import short_id
from ledger.application import KinerjaLedger
from ledger.clock import parse_date
from ledger.discipline.inspection import verify_all
from ledger.discipline.model import VERDICTS
from ledger.values import CODE

app = typer.Typer(help="Inspectorate (Inspektorat) views; read-only.", no_args_is_help=True)
# The verdicts as a choice, so --help lists them.
Verdict = StrEnum("Verdict", {v: v for v in VERDICTS})  # type: ignore[misc]

CSV_COLUMNS = (
    "sanction_id",
    "nip",
    "agency",
    "decided_on",
    "decree_number",
    "decided_by_role",
    "level",
    "penalty",
    "penalty_after_appeals",
    "verdict",
    "failed_checks",
    "status",
    "lifecycle",
    "in_force_from",
    "in_force_until",
    "discipline_rule",
    "authority_table",
    "details_id",
    "details_en",
)


@app.callback()
def _root() -> None:
    """Inspectorate (Inspektorat) views; read-only."""


def csv_row(row: dict[str, Any]) -> dict[str, str]:
    """One register row flattened for CSV: failing checks' details in both languages."""
    failed = [c for c in row["checks"] if not c["passed"]]
    return {
        **{k: "" if row.get(k) is None else str(row[k]) for k in CSV_COLUMNS if k in row},
        "failed_checks": ";".join(row["failed_checks"]),
        "discipline_rule": row["rule_versions"]["discipline"] or "",
        "authority_table": row["rule_versions"]["authority"] or "",
        "details_id": " | ".join(f"{c['number']}. {c['detail']['id']}" for c in failed),
        "details_en": " | ".join(f"{c['number']}. {c['detail']['en']}" for c in failed),
    }


@app.command()
def sanctions(
    agency: Annotated[
        str | None, typer.Option("--agency", help="OPD code: the employee's agency at the decision")
    ] = None,
    verdict: Annotated[
        Verdict | None,
        typer.Option("--verdict", help="only decisions with this verdict", case_sensitive=False),
    ] = None,
    csv_path: Annotated[
        Path | None, typer.Option("--csv", help="also write the rows to this CSV file")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="YYYY-MM-DD: the day the status refers to (default today)")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print JSON (every check) instead of a table")
    ] = False,
) -> None:
    """Every sanction decision with its verdict, failing checks and status."""
    chosen = verdict.value if verdict else None
    if agency is not None and not CODE.fullmatch(agency):
        raise typer.BadParameter("must be an agency code, e.g. DINKES", param_hint="--agency")
    day: date | None = None
    if on is not None:
        try:
            day = parse_date(on)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--on") from None
    ledger = KinerjaLedger()
    try:
        require_agency(ledger, agency)
        rows = verify_all(ledger, agency=agency, verdict=chosen, on=day)
    finally:
        ledger.close()
    rows.sort(key=lambda r: (r["decided_on"], r["sanction_id"]))
    if csv_path is not None:
        with csv_path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(csv_row(r) for r in rows)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    console = Console()  # created per run: picks up the terminal's (or COLUMNS') width
    table = Table(title=f"Sanksi disiplin / sanction decisions ({len(rows)})")
    for column in (
        "sanction_id",
        "NIP",
        "OPD",
        "decided",
        "penalty",
        "level",
        "verdict",
        "failed checks",
        "status",
    ):
        table.add_column(column, overflow="fold")
    for r in rows:
        colour = "green" if r["verdict"] == "CONSISTENT" else "red"
        table.add_row(
            short_id(r["sanction_id"]),
            r["nip"],
            r["agency"],
            r["decided_on"],
            r["penalty_after_appeals"] if r["penalty_after_appeals"] != r["penalty"] else r["penalty"],
            r["level"],
            f"[{colour}]{r['verdict']}[/{colour}]",
            ", ".join(r["failed_checks"]) or "-",
            r["status"],
        )
    console.print(table)
    if csv_path is not None:
        console.print(f"CSV: {csv_path} ({len(rows)} rows)")

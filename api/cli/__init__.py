"""The `ledger` command line: one module per command group, composed here."""

from __future__ import annotations

import sys
from importlib.metadata import version as package_version
from typing import Annotated

import typer

from api.cli.audit import app as audit_app
from api.cli.demo import app as demo_app
from api.cli.history import app as history_app
from api.cli.imports import import_history
from api.cli.inspect import app as inspect_app
from api.cli.projections import projections_app
from api.cli.projections import worker as projections_worker
from api.cli.registers import app as registers_app
from api.cli.serve import serve
from api.cli.token import app as token_app
from ledger.config import ConfigurationError

app = typer.Typer(help="Kinerja Ledger: event-sourced performance ledger for ASN.", no_args_is_help=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ledger (Kinerja Ledger) {package_version('kinerja-ledger')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="print the version and exit"),
    ] = False,
) -> None:
    """Kinerja Ledger: event-sourced performance ledger for ASN."""


app.registered_commands.extend(history_app.registered_commands)
app.registered_commands.extend(demo_app.registered_commands)
app.add_typer(token_app, name="token")
app.add_typer(projections_app, name="projections")
app.add_typer(audit_app, name="audit")
app.add_typer(inspect_app, name="inspect")
app.add_typer(registers_app, name="registers")
app.command(name="worker")(projections_worker)
app.command(name="import")(import_history)


app.command()(serve)


def main() -> None:
    try:
        app()
    except ConfigurationError as e:
        # A bad setting is the operator's to fix: say which, in one line each, no traceback.
        for problem in e.problems:
            print(f"ledger: {problem} (docs/CONFIGURATION.md)", file=sys.stderr)
        sys.exit(2)

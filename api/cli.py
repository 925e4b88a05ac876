"""The `ledger` command line: composes each layer's commands (api -> projections -> ledger)."""

from __future__ import annotations

from typing import Annotated

import typer

from ledger.cli import app as ledger_app

app = typer.Typer(help="Kinerja Ledger: event-sourced performance ledger for ASN.", no_args_is_help=True)
app.registered_commands.extend(ledger_app.registered_commands)
app.registered_groups.extend(ledger_app.registered_groups)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
) -> None:
    """Run the HTTP service (on the embedded SQLite store, with the projections in-process)."""
    import uvicorn

    uvicorn.run("api.main:create_app", factory=True, host=host, port=port, log_level="info")


def main() -> None:
    app()

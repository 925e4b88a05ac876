"""The `ledger` command line: composes each layer's commands (api -> projections -> ledger)."""

from __future__ import annotations

from typing import Annotated

import typer

from api.token_cli import app as token_app
from ledger.cli import app as ledger_app
from projections.audit_cli import app as audit_app
from projections.cli import projections_app
from projections.cli import worker as projections_worker
from projections.inspect_cli import app as inspect_app

app = typer.Typer(help="Kinerja Ledger: event-sourced performance ledger for ASN.", no_args_is_help=True)
app.registered_commands.extend(ledger_app.registered_commands)
app.registered_groups.extend(ledger_app.registered_groups)
app.add_typer(token_app, name="token")
app.add_typer(projections_app, name="projections")
app.add_typer(audit_app, name="audit")
app.add_typer(inspect_app, name="inspect")
app.command(name="worker")(projections_worker)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
) -> None:
    """Run the HTTP service, projections in-process, on LEDGER_DATABASE_URL (default SQLite in ./var)."""
    import uvicorn

    from api.main import LOG_CONFIG

    # No access log from uvicorn: it would print raw paths (with NIPs). The app logs each
    # request itself by route template (logger kinerja.api.access).
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
        log_config=LOG_CONFIG,
    )


def main() -> None:
    app()

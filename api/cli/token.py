"""`ledger token issue`: print a bearer token the server accepts (admin's tool)."""

from __future__ import annotations

from typing import Annotated

import typer

from api.auth import DEFAULT_TTL_S, Role, issue_token, load_secret
from ledger.config import Settings

app = typer.Typer(help="Bearer tokens for the HTTP API.", no_args_is_help=True)


@app.command("issue")
def issue(
    role: Annotated[Role, typer.Option(help="what the token may do (docs/API.md, the roles table)")],
    sub: Annotated[str, typer.Option(help="subject: a user id; for the employee role, their NIP")],
    agency: Annotated[
        str | None, typer.Option(help="agency code (required for appraisers: they write only there)")
    ] = None,
    ttl: Annotated[int, typer.Option(help="lifetime in seconds")] = DEFAULT_TTL_S,
) -> None:
    """Print a signed token (the secret lives in LEDGER_DATA_DIR/token-secret, mode 0600)."""
    settings = Settings.from_env()
    try:
        token = issue_token(
            load_secret(settings.data_dir), role=role.value, sub=sub, agency=agency, ttl_s=ttl
        )
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(token)

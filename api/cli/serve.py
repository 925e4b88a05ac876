"""`ledger serve`: the HTTP service, with the read models kept up to date in-process."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    request_timeout: Annotated[
        float,
        typer.Option(
            min=0.1,
            max=600,
            envvar="LEDGER_REQUEST_TIMEOUT",
            help="seconds a client has to send a whole request (408 after)",
        ),
    ] = 10.0,
) -> None:
    """Run the HTTP service, projections in-process, on LEDGER_DATABASE_URL (default SQLite in ./var)."""
    import uvicorn

    from api.main import LOG_CONFIG
    from api.server import protocol_with_deadline

    base = f"http://{host}:{port}"
    typer.echo(
        f"Kinerja Ledger on {base}\n"
        f"  public portal   {base}/  (survey {base}/survei, signed checkpoint {base}/jejak-audit)\n"
        f"  staff pages     {base}/staf  (sign in at {base}/masuk with a token from `ledger token issue`)\n"
        f"  API docs        {base}/docs  (JSON API under {base}/v1)",
        err=True,
    )
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
        server_header=False,  # no "server: uvicorn": the stack is nobody's business
        http=protocol_with_deadline(request_timeout),
    )

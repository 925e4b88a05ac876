"""`ledger serve`: the HTTP service, with the read models kept up to date in-process on SQLite."""

from __future__ import annotations

import errno
import os
import socket
import sys
from typing import Annotated

import typer

from ledger.config import Settings


def serve(
    host: Annotated[
        str | None, typer.Option(help="address to listen on [default: LEDGER_HOST, 127.0.0.1]")
    ] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="TCP port [default: LEDGER_PORT, 8000]")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="API processes (PostgreSQL only; projections then run in `ledger worker`) "
            "[default: LEDGER_API_WORKERS, 1]",
        ),
    ] = None,
    request_timeout: Annotated[
        float | None,
        typer.Option(
            min=0.1,
            max=600,
            help="seconds a client has to send a whole request (408 after) "
            "[default: LEDGER_REQUEST_TIMEOUT, 10]",
        ),
    ] = None,
) -> None:
    """Run the HTTP service on LEDGER_DATABASE_URL (default SQLite in ./var; docs/CONFIGURATION.md)."""
    import uvicorn

    from api.log_format import log_config

    settings = Settings.from_env()
    host = host if host is not None else settings.host
    port = port if port is not None else settings.port
    workers = workers if workers is not None else settings.api_workers
    timeout = request_timeout if request_timeout is not None else settings.request_timeout
    if workers > 1 and not settings.is_postgres:
        _refuse(
            f"--workers {workers} needs PostgreSQL: on SQLite the read models run inside the one API "
            "process and every write takes the file's single lock (set LEDGER_DATABASE_URL=postgresql://...)"
        )
    _check_free(host, port)
    print(banner(host, port), flush=True)
    # Each API process (spawned afresh when there are several) builds its protocol and app from
    # the environment, so the options given here travel there.
    os.environ["LEDGER_REQUEST_TIMEOUT"] = str(timeout)
    # No access log from uvicorn: it would print raw paths (with NIPs). The app logs each
    # request itself by route template (logger kinerja.api.access).
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        log_config=log_config(settings.log_format),
        server_header=False,  # no "server: uvicorn": the stack is nobody's business
        http="api.server:ConfiguredDeadlineProtocol",
    )


def banner(host: str, port: int) -> str:
    """Where to go once it is up: said before uvicorn's own lines, which follow within a second."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    base = f"http://{shown}:{port}"
    return "\n".join(
        [
            f"Kinerja Ledger on {base}",
            f"  public portal   {base}/  (survey {base}/survei, signed checkpoint {base}/jejak-audit)",
            f"  staff pages     {base}/staf  (sign in at {base}/masuk with a token)",
            f"  API docs        {base}/docs  (JSON API under {base}/v1; walk-through in docs/API.md)",
            "  a token         .venv/bin/ledger token issue --role hr --sub hr-1",
            "  stop with Ctrl-C",
        ]
    )


def _refuse(reason: str) -> None:
    print(f"ledger serve: {reason}", file=sys.stderr)
    raise typer.Exit(2)


def _check_free(host: str, port: int) -> None:
    """Refuse a taken port in one line before anything starts (uvicorn would open the store, run
    the start-up and only then fail to bind, with a traceback). Bound as uvicorn binds
    (SO_REUSEADDR), so a port in TIME_WAIT is not taken for busy."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        _refuse(f"cannot listen on {host!r}: {e.strerror}")
        return
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                _refuse(f"port {port} on {host} is already in use (choose another with --port or PORT=)")
            _refuse(f"cannot listen on {host}:{port}: {e.strerror}")

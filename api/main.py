"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import access_log, openapi, portal, problems
from api.auth import load_secret
from api.metrics import ApiMetrics
from api.middleware import DEFAULT_MAX_BODY_BYTES, BodyLimit, RequestContext
from api.ratelimit import RateLimit, RateLimiter
from api.routers import (
    agencies,
    appraisals,
    audit,
    awards,
    discipline,
    employees,
    ops,
    programs,
    public,
    public_input,
    registers,
    service,
    skp,
    training,
)
from ledger.application import KinerjaLedger
from ledger.config import Settings
from projections.audit import install_guards

DESCRIPTION = """\
Kinerja Ledger: an event-sourced performance ledger for ASN (PNS and PPPK).

Authenticate with `Authorization: Bearer <token>` (`ledger token issue --role ROLE --sub ID`);
the public routes need no token. Every error is RFC 9457 `application/problem+json`. Commands
accept `Idempotency-Key` and `If-Match: "<version>"`; reads carry `ETag: "<version>"`.
See docs/API.md for the walk-through.
"""


def create_app(
    settings: Settings | None = None,
    *,
    ledger: KinerjaLedger | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    run_projections: bool | None = None,
    public_rate: RateLimit | None = None,
) -> FastAPI:
    """Build the service. One Application per process: pass `ledger` to share one (tests), else
    the app opens its own on `settings` and closes it at shutdown."""
    settings = settings or (ledger.settings if ledger is not None else Settings.from_env())
    owns_ledger = ledger is None
    the_ledger = ledger if ledger is not None else KinerjaLedger(settings)
    access_log.ensure_table(the_ledger.sql)
    the_ledger.enable_group_commit()  # concurrent requests' commands share transactions
    install_guards(the_ledger)  # append-only triggers on the event and audit tables

    # Projections in-process (a background catch-up thread) on the embedded SQLite store; on
    # PostgreSQL `ledger worker` runs them. Default: only when this app owns its ledger.
    in_process = run_projections if run_projections is not None else owns_ledger and not settings.is_postgres

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner = None
        if in_process:
            from projections.registry import default_projections
            from projections.runner import ProjectionRunner

            runner = ProjectionRunner(app.state.ledger, default_projections())
            runner.start()
        app.state.projection_runner = runner
        try:
            yield
        finally:
            if runner is not None:
                runner.stop()
            if owns_ledger:
                app.state.ledger.close()

    app = FastAPI(
        title="Kinerja Ledger",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url=None,  # the portal serves /docs from local Swagger UI assets (api/portal/docs.py)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.ledger = the_ledger
    app.state.token_secret = load_secret(settings.data_dir)
    app.state.metrics = ApiMetrics(the_ledger)
    app.state.public_limiter = RateLimiter(public_rate or RateLimit.from_settings(settings))

    problems.install(app)
    for module in (
        agencies,
        employees,
        appraisals,
        awards,
        training,
        service,
        discipline,
        programs,
        public,
        public_input,
        registers,
        skp,
    ):
        app.include_router(module.router)
        reads = getattr(module, "reads", None)
        if reads is not None:
            app.include_router(reads)
    app.include_router(ops.router)
    app.include_router(audit.router)
    app.include_router(audit.reads)
    openapi.install(app)
    portal.install(app)

    # Added last = outermost: the request context sees every answer, the 413s included.
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(RequestContext)
    return app

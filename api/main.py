"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ledger.application import KinerjaLedger
from ledger.config import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # One Application per process: the library is synchronous and holds the pool.
        app.state.ledger = KinerjaLedger(settings)
        try:
            yield
        finally:
            app.state.ledger.close()

    app = FastAPI(title="Kinerja Ledger", version="0.1.0", lifespan=lifespan)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        ledger: KinerjaLedger = app.state.ledger
        ledger.recorder.max_notification_id()
        return {"status": "ok"}

    return app

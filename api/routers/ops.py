"""/healthz and /metrics (public, outside /v1)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.dependencies import get_ledger
from api.schemas.ops import Health

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health)
def healthz(request: Request) -> Health:
    """Liveness with a store check: reads the head of the event log and the SQL store."""
    ledger = get_ledger(request)
    position = int(ledger.recorder.max_notification_id() or 0)
    with ledger.sql.transaction(write=False) as tx:
        tx.scalar("SELECT 1 AS ok")
    return Health(status="ok", store=ledger.sql.dialect, position=position)


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "description": "Prometheus text format",
        }
    },
)
def metrics(request: Request) -> Response:
    """Prometheus metrics: requests and latencies by route template and status, events
    appended, head of the event log, projection lag."""
    body = request.app.state.metrics.render()
    return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")

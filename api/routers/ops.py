"""/healthz and /metrics (public, outside /v1)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.dependencies import get_ledger
from api.schemas.ops import Health, ProjectionFailure
from projections.failures import read_failures

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health)
def healthz(request: Request) -> Health:
    """Liveness with a store check: reads the head of the event log and the SQL store. A read
    model stopped by an error makes the status `degraded` and is listed with where it stopped
    (still 200: restarting the API does not repair a projection)."""
    ledger = get_ledger(request)
    position = int(ledger.recorder.max_notification_id() or 0)
    with ledger.sql.transaction(write=False) as tx:
        tx.scalar("SELECT 1 AS ok")
    failed = [ProjectionFailure(**f.as_dict()) for f in read_failures(ledger.sql)]
    return Health(
        status="degraded" if failed else "ok",
        store=ledger.sql.dialect,
        position=position,
        failed_projections=failed,
    )


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

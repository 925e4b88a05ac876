"""Service health."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ProjectionFailure(BaseModel):
    name: str
    generation: int
    position: int = Field(description="the notification (global position) it could not apply")
    event_id: str | None = Field(description="its event; null when its batch failed as a whole")
    error: str


class Health(BaseModel):
    status: str = Field(description="ok, or degraded while a read model has failed (still 200)")
    store: str
    position: int = Field(description="highest global position in the event log")
    failed_projections: list[ProjectionFailure] = Field(
        default_factory=list, description="read models stopped by an error, and where"
    )

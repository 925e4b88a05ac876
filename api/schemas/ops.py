"""Service health."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str
    store: str
    position: int = Field(description="highest global position in the event log")

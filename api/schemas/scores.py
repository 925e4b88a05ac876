"""Scorecards and rankings."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.pagination import Paged
from api.schemas.common import ReadModel


class ScoreComponent(ReadModel):
    component: str
    applicable: bool
    weight: str | None = Field(description="nominal weight (null for awards and sanctions, which add points)")
    effective_weight: str | None
    value: str | None
    points: str
    detail: dict[str, Any]
    event_ids: list[str] = Field(description="the events this component was computed from")


class LeftOut(ReadModel):
    component: str
    reason: str


class Scorecard(ReadModel):
    nip: str
    year: int
    agency: str
    service_unit: str | None
    formula_version: str
    score: str = Field(description="decimal string, 2 places")
    base: str
    adjustments: str
    predikat: str | None
    components: list[ScoreComponent]
    left_out: list[LeftOut] = Field(
        description="weighted components left out for want of data (the others' weights renormalised)"
    )
    event_ids: list[str]
    rank_in_agency: int | None
    agency_size: int | None


class RankingItem(ReadModel):
    rank: int = Field(description="competition ranking: 1, 2, 2, 4")
    nip: str
    name: str
    agency: str
    score: str
    predikat: str | None
    formula_version: str


class Rankings(ReadModel, Paged):
    year: int
    agency: str | None
    total: int
    items: list[RankingItem]

"""Normalised facts, kept by the projections that derive scores and agency figures.

A projection must never read another projection's tables (each has its own position), so the
scorecard and agency projections each embed a :class:`FactLayer`: the same fact tables under
their own names, filled from the events, plus the sets of keys a batch made dirty. The derived
rows are then recomputed once per batch from these facts.

Years are calendar years of the event's effective date, which is a date in Asia/Jakarta.
"""

from __future__ import annotations

from projections.facts.derive import (
    SanctionSpan,
    placement_on,
    placements_from_timeline,
    predikat_of_year,
    sanction_span,
    year_end,
)
from projections.facts.layer import FactLayer, FactsProjection
from projections.facts.people import PEOPLE_TABLE, People
from projections.facts.rows import dumps, insert, insert_many
from projections.facts.tables import FACT_INDEXES, FACT_TABLES

__all__ = [
    "FACT_INDEXES",
    "FACT_TABLES",
    "PEOPLE_TABLE",
    "FactLayer",
    "FactsProjection",
    "People",
    "SanctionSpan",
    "dumps",
    "insert",
    "insert_many",
    "placement_on",
    "placements_from_timeline",
    "predikat_of_year",
    "sanction_span",
    "year_end",
]

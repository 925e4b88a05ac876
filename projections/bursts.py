"""Bursts of surveys naming one officer, as the read models see them: found by the rule of
ledger.rules.bursts over the fact rows, with HR's review of each (one home for the scorecard and
the register)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ledger.rules.bursts import bursts_by_rule
from ledger.vocabulary import BurstDecision

PENDING = "PENDING_REVIEW"


def survey_bursts(
    rows: Sequence[Mapping[str, Any]], reviews: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """One officer's bursts among their survey fact rows (event_id, recorded_at), with status
    PENDING_REVIEW, COUNT or EXCLUDE."""
    found = bursts_by_rule((r["event_id"], datetime.fromisoformat(r["recorded_at"])) for r in rows)
    out = []
    for burst in found:
        review = reviews.get(burst.burst_id)
        out.append(
            {
                "burst_id": burst.burst_id,
                "surveys": len(burst.event_ids),
                "first_at": burst.first_at.isoformat(),
                "last_at": burst.last_at.isoformat(),
                "status": review["decision"] if review else PENDING,
                "review_id": review["event_id"] if review else None,
                "event_ids": list(burst.event_ids),
            }
        )
    return out


@dataclass
class Counted:
    """What of an officer's surveys counts in their score."""

    surveys: list[tuple[str, Mapping[str, int]]]  # (event id on the officer's record, answers)
    held: list[dict[str, Any]]  # the bursts held out: id, size, status, review
    held_unit_events: set[str]  # the same surveys as the unit recorded them


def counted_surveys(rows: Sequence[Mapping[str, Any]], reviews: Mapping[str, Mapping[str, Any]]) -> Counted:
    """A burst counts only once HR has reviewed it COUNT; until then its surveys are out of the
    officer's score, through the unit's surveys as much as through their own."""
    held = [b for b in survey_bursts(rows, reviews) if b["status"] != BurstDecision.COUNT.value]
    out = {event_id for b in held for event_id in b["event_ids"]}
    return Counted(
        surveys=[(r["event_id"], json.loads(r["answers"])) for r in rows if r["event_id"] not in out],
        held=[{k: b[k] for k in ("burst_id", "surveys", "status", "review_id")} for b in held],
        held_unit_events={
            r["survey_event_id"] for r in rows if r["event_id"] in out and r["survey_event_id"]
        },
    )

"""What the facts mean for a year: a sanction's span in force, the predikat that counts, where
an employee served on a day."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ledger.discipline.lifecycle import SanctionStatus, in_force_until


def year_end(year: int) -> date:
    return date(year, 12, 31)


@dataclass(frozen=True)
class SanctionSpan:
    """When a sanction (after appeals and revocation) was in force: [start, end), end None = for good."""

    sanction_id: str
    level: str
    penalty: str
    start: date
    end: date | None
    event_ids: tuple[str, ...]

    def overlaps_year(self, year: int) -> bool:
        first, after = date(year, 1, 1), date(year + 1, 1, 1)
        return self.start < after and (self.end is None or self.end > first)

    def last_year(self) -> int | None:
        return None if self.end is None else (self.end - timedelta(days=1)).year


def sanction_span(row: Mapping[str, Any]) -> SanctionSpan | None:
    """The in-force span of one f_sanctions row; None when annulled or revoked before it began."""
    if row["status"] == SanctionStatus.ANNULLED:
        return None
    start = date.fromisoformat(row["effective_date"])
    end = in_force_until(row)
    if end is not None and end <= start:
        return None
    return SanctionSpan(
        row["sanction_id"], row["level"], row["penalty"], start, end, tuple(json.loads(row["event_ids"]))
    )


def predikat_of_year(appraisals: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The annual appraisal of the year, else the periodic one that ends last."""
    chosen: Mapping[str, Any] | None = None
    for a in appraisals:
        if chosen is None:
            chosen = a
            continue
        key = (int(a["annual"]), int(a["end_month"]), a["appraisal_id"])
        best = (int(chosen["annual"]), int(chosen["end_month"]), chosen["appraisal_id"])
        if key > best:
            chosen = a
    return chosen


def placements_from_timeline(timeline: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stretches of (agency, unit) from timeline entries sorted by (effective date, position)."""
    stretches: list[dict[str, Any]] = []
    agency: str | None = None
    unit: str | None = None
    officer: str | None = None
    for entry in sorted(timeline, key=lambda e: (e["d"], e["o"])):
        if entry["k"] == "registered":
            agency, unit, officer = entry["agency"], None, None
        elif entry["k"] == "transferred":
            if entry["agency"] != agency:
                unit, officer = None, None
            agency = entry["agency"]
        elif entry["k"] == "assigned":
            unit, officer = entry["service_unit"], entry["officer_code"]
        assert agency is not None
        if stretches and stretches[-1]["valid_from"] == entry["d"]:
            stretches.pop()  # superseded the same day
        if stretches:
            stretches[-1]["valid_to"] = entry["d"]
        stretches.append(
            {
                "valid_from": entry["d"],
                "valid_to": None,
                "agency": agency,
                "service_unit": unit,
                "officer_code": officer,
                "event_id": entry["event_id"],
            }
        )
    return stretches


def placement_on(placements: Sequence[Mapping[str, Any]], day: date) -> Mapping[str, Any] | None:
    """The stretch that contains `day`, else (not yet in service) the first one."""
    iso = day.isoformat()
    for p in placements:
        if p["valid_from"] <= iso and (p["valid_to"] is None or p["valid_to"] > iso):
            return p
    return placements[0] if placements and placements[0]["valid_from"] > iso else None

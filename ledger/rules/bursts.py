"""Bursts of citizen surveys naming one officer: more than a rule allows within a short window.

Surveys are anonymous and citizens' satisfaction is a fifth of an officer's score, so a handful of
people (or one script behind changing addresses) could raise or sink it in minutes. Surveys in a
burst are not refused (a busy morning at a counter is real); they are held out of the officer's
score until HR reviews the burst and decides whether it counts. This is the ledger's own rule,
not a regulation's: PermenPANRB 14/2017 sets how a unit's survey is sampled, not how to read
responses about one officer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ledger.clock import wib_date
from ledger.rules.base import RuleHistory


@dataclass(frozen=True)
class BurstRule:
    version: str
    legal_basis: str
    effective_from: date
    window: timedelta
    max_in_window: int  # more than this many surveys naming one officer within `window` is a burst


@dataclass(frozen=True)
class Burst:
    """A maximal run of surveys that fall in over-full windows; named by its first survey."""

    burst_id: str
    event_ids: tuple[str, ...]
    first_at: datetime
    last_at: datetime


def find_bursts(surveys: Iterable[tuple[str, datetime]], rule: BurstRule) -> list[Burst]:
    """The bursts among one officer's surveys, given as (event id, recorded at)."""
    ordered = sorted(surveys, key=lambda s: (s[1], s[0]))
    flagged = [False] * len(ordered)
    start = 0
    for end, (_, at) in enumerate(ordered):
        # The window ending at this survey: [at - window, at].
        while ordered[start][1] < at - rule.window:
            start += 1
        if end - start + 1 > rule.max_in_window:
            flagged[start : end + 1] = [True] * (end - start + 1)
    return _runs([s for s, f in zip(ordered, flagged, strict=True) if f], rule.window)


def bursts_by_rule(surveys: Iterable[tuple[str, datetime]]) -> list[Burst]:
    """Bursts under the rule in force on each survey's date (WIB), surveys before any rule left
    alone."""
    groups: dict[str, list[tuple[str, datetime]]] = {}
    for event_id, at in surveys:
        rule = BURST_RULES.find(wib_date(at))
        if rule is not None:
            groups.setdefault(rule.version, []).append((event_id, at))
    found = [
        b for version, group in groups.items() for b in find_bursts(group, BURST_RULES.by_version(version))
    ]
    return sorted(found, key=lambda b: (b.first_at, b.burst_id))


def _runs(flagged: Sequence[tuple[str, datetime]], window: timedelta) -> list[Burst]:
    runs: list[list[tuple[str, datetime]]] = []
    for survey in flagged:
        if runs and survey[1] - runs[-1][-1][1] <= window:
            runs[-1].append(survey)
        else:
            runs.append([survey])
    return [Burst(run[0][0], tuple(e for e, _ in run), run[0][1], run[-1][1]) for run in runs]


BURST_RULES: RuleHistory[BurstRule] = RuleHistory(
    (
        BurstRule(
            version="lonjakan-survei/2017.1",
            legal_basis=(
                "Kinerja Ledger rule (no regulation sets it) over surveys under PermenPANRB 14/2017: "
                "more than 5 surveys naming one officer within 60 minutes are held for HR review"
            ),
            effective_from=date(2017, 1, 1),
            window=timedelta(minutes=60),
            max_in_window=5,
        ),
    )
)

"""A stream's timeline: each event's effective date and recorded time, by version, kept in the
aggregate's state so that it travels in the aggregate's snapshots.

Time travel (ledger/history.py) selects events by version, recorded time or effective date. To
start from a stored snapshot it must know, without decoding the stream, which events a
selection keeps: a snapshot at version v gives exactly the state of the full replay only when
every event up to v is kept, and after it only the kept events are to be replayed. The newest
snapshot's timeline answers both for every version up to that snapshot.

Compact on purpose (it is in every snapshot): the effective date as a proleptic ordinal and the
recorded time in microseconds since the epoch (both exact: a date is a whole day, a stored
datetime has microsecond resolution), each kept as the difference from the previous version's
(small numbers: events are mostly recorded moments apart and take effect days apart), with the
last version's values beside them so that an event adds its entry without summing the lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any

from ledger.domain.envelope import LedgerEvent

STATE_KEY = "timeline"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def recorded_us(moment: datetime) -> int:
    """A timezone-aware moment as whole microseconds since the epoch (naive: TypeError, as the
    comparison with an event's recorded_at would raise)."""
    return (moment - EPOCH) // MICROSECOND


def note(aggregate: Any, event: LedgerEvent) -> None:
    """After `event` was applied to `aggregate`: add its entry.

    An aggregate restored from a snapshot taken before timelines were kept has none; its timeline
    stays unknown (None), and so does that of every later snapshot of it, which time travel then
    does not use (it replays the stream, as without snapshots)."""
    state = aggregate.__dict__
    effective, recorded = event.effective_date.toordinal(), recorded_us(event.recorded_at)
    if event.originator_version == 1:
        state[STATE_KEY] = {"effective": [effective], "recorded": [recorded], "last": [effective, recorded]}
        return
    timeline = state.get(STATE_KEY)
    if timeline is None or len(timeline["effective"]) != event.originator_version - 1:
        # Unknown (restored from an older snapshot), or not this aggregate's history event by
        # event (never expected): unknown from here on.
        state[STATE_KEY] = None
        return
    last_effective, last_recorded = timeline["last"]
    timeline["effective"].append(effective - last_effective)
    timeline["recorded"].append(recorded - last_recorded)
    timeline["last"] = [effective, recorded]


@dataclass(frozen=True)
class Timeline:
    effective: list[int]  # effective_date.toordinal() of version i + 1
    recorded: list[int]  # recorded_us(recorded_at) of version i + 1

    @classmethod
    def of_state(cls, state: dict[str, Any], version: int) -> Timeline | None:
        """The timeline in an aggregate's (or a snapshot's) state at `version`, when it has a
        whole one (None: taken before timelines were kept)."""
        found = state.get(STATE_KEY)
        if not isinstance(found, dict):
            return None
        effective, recorded, last = found.get("effective"), found.get("recorded"), found.get("last")
        if not (isinstance(effective, list) and isinstance(recorded, list) and isinstance(last, list)):
            return None
        if len(effective) != version or len(recorded) != version:
            return None
        timeline = cls(list(accumulate(effective)), list(accumulate(recorded)))
        if [timeline.effective[-1], timeline.recorded[-1]] != last:
            return None  # not a whole timeline
        return timeline

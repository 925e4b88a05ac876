"""Time travel over one employee's stream: by recorded time (`as_of`) or by effective date
(`effective_on`), as docs/API.md describes.

- as of a version: the first N events;
- as of a recorded time ("what did we know at T"): the events recorded at or before T;
- as of an effective date: the events that had taken effect on D, whenever recorded.

Each read folds the selected events in stream order (`replay`), starting from a stored snapshot
when that gives exactly the same state (`_from_snapshot`; docs/PERFORMANCE.md, B6).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any
from uuid import UUID

from eventsourcing.domain import Snapshot

from ledger.application import KinerjaLedger
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.domain.timeline import Timeline, recorded_us
from ledger.errors import NotFound

NO_BOUND = 1 << 62  # above every version, date ordinal and microsecond count


@dataclass(frozen=True)
class Selection:
    """Which events of a stream a past view is built from (every bound given must hold)."""

    version: int | None = None  # at most this version
    recorded_by: datetime | None = None  # recorded at or before this moment
    effective_on: date | None = None  # taken effect on or before this day (the registration always)

    def keeps(self, event: LedgerEvent) -> bool:
        """On a decoded event: what the full replay selects."""
        if self.version is not None and event.originator_version > self.version:
            return False
        if self.recorded_by is not None and event.recorded_at > self.recorded_by:
            return False
        # The registration is the base of every view; its effective date is the service start.
        return (
            self.effective_on is None
            or event.originator_version == 1
            or event.effective_date <= self.effective_on
        )

    def kept_versions(self, timeline: Timeline) -> list[int]:
        """On a timeline: the versions `keeps` selects among those it covers, in order."""
        top = NO_BOUND if self.version is None else self.version
        moment = NO_BOUND if self.recorded_by is None else recorded_us(self.recorded_by)
        day = NO_BOUND if self.effective_on is None else self.effective_on.toordinal()
        return [
            v
            for v, effective, recorded in zip(
                range(1, len(timeline.effective) + 1), timeline.effective, timeline.recorded, strict=True
            )
            if v <= top and recorded <= moment and (effective <= day or v == 1)
        ]


class PastState:
    """An employee as a selection of its events built it; `events` (the selected events, in
    stream order) is read only when asked for: the state alone may come from a snapshot."""

    def __init__(self, employee: Employee, events: Callable[[], list[LedgerEvent]] | list[LedgerEvent]):
        self.employee = employee
        self._events = events

    @cached_property
    def events(self) -> list[LedgerEvent]:
        return self._events if isinstance(self._events, list) else self._events()


def employee_events(app: KinerjaLedger, nip: str) -> list[LedgerEvent]:
    events = [e for e in app.events.get(Employee.create_id(nip)) if isinstance(e, LedgerEvent)]
    if not events:
        raise NotFound(f"unknown employee NIP {nip}")
    return events


def replay(events: Iterable[LedgerEvent], start: Employee | None = None) -> Employee | None:
    """Fold events into an Employee (onto `start`, the state of the versions before them);
    tolerates gaps, as a selection by date may leave some."""
    aggregate: Employee | None = start
    for event in events:
        if aggregate is None:
            built = event.mutate(None)
            assert isinstance(built, Employee)
            aggregate = built
            continue
        try:
            event.apply(aggregate)
        except KeyError:
            # It refers to something not in this selection (e.g. an appeal effective before the
            # sanction it appeals): it shows once its target does.
            continue
        aggregate.version = event.originator_version
        aggregate.modified_on = event.timestamp
    return aggregate


def as_of_version(app: KinerjaLedger, nip: str, version: int) -> PastState:
    return read(app, nip, Selection(version=version))


def as_of_recorded(app: KinerjaLedger, nip: str, moment: datetime) -> PastState:
    return read(app, nip, Selection(recorded_by=moment))


def as_of_effective(app: KinerjaLedger, nip: str, day: date) -> PastState:
    return read(app, nip, Selection(effective_on=day))


def current(app: KinerjaLedger, nip: str) -> PastState:
    return read(app, nip, Selection())


def read(app: KinerjaLedger, nip: str, selection: Selection, *, snapshots: bool = True) -> PastState:
    """The employee as the selected events build it. From a stored snapshot when one gives
    exactly what the full replay gives (`snapshots=False`: always the full replay)."""
    if snapshots:
        employee = _from_snapshot(app, Employee.create_id(nip), selection)
        if employee is not None:
            return PastState(employee, lambda: [e for e in employee_events(app, nip) if selection.keeps(e)])
    events = [e for e in employee_events(app, nip) if selection.keeps(e)]
    built = replay(events)
    if built is None:
        raise NotFound(f"employee NIP {nip} was not yet recorded then")
    return PastState(built, events)


def _from_snapshot(app: KinerjaLedger, stream: UUID, selection: Selection) -> Employee | None:
    """The selection's state started from a snapshot, or None where the full replay must run.

    The full replay folds the kept events in stream order. A snapshot at version b is that fold
    for versions 1..b only when every one of them is kept (a kept prefix): the newest snapshot's
    timeline says which are, so the base is the newest snapshot at or below the kept prefix.
    After it, only the kept events are read and folded: those up to the newest snapshot known
    from its timeline (the others are not even decoded), those after it decoded and tested. An
    event recorded late with an earlier effective date is kept beyond an unkept one, so the
    prefix (and the base) ends before the first unkept event, not at the last kept one."""
    if app.snapshots is None:
        return None
    newest = next(iter(app.snapshots.get(stream, desc=True, limit=1)), None)
    if not isinstance(newest, Snapshot):
        return None
    covered = newest.originator_version
    timeline = Timeline.of_state(newest.state, covered)
    if timeline is None:
        return None  # taken before timelines were kept
    kept = selection.kept_versions(timeline)
    prefix = 0
    for version in kept:
        if version != prefix + 1:
            break
        prefix = version
    if prefix == 0:
        return None  # not even the registration: the full replay decides (NotFound)
    base: object = newest
    if prefix < covered:
        base = next(iter(app.snapshots.get(stream, desc=True, limit=1, lte=prefix)), None)
    start: Employee | None = None
    after = 0
    if isinstance(base, Snapshot):
        restored = base.mutate(None)
        assert isinstance(restored, Employee)
        start, after = restored, base.originator_version
    wanted = {v for v in kept if v > after}
    events: list[LedgerEvent] = []
    # One round trip: the kept versions after the base, and every version after the newest
    # snapshot (its timeline does not cover them: decoded, then tested).
    stored_events = app.ledger_recorder.select_versions(stream, after, max(wanted, default=after), covered)
    for stored in stored_events:
        version = stored.originator_version
        if version <= covered and version not in wanted:
            continue
        event = app.mapper.to_domain_event(stored)
        if not isinstance(event, LedgerEvent):
            continue
        if version > covered and not selection.keeps(event):
            continue
        events.append(event)
    return replay(events, start)


def employee_view(employee: Employee, on: date | None = None) -> dict[str, Any]:
    """The employee's state as plain data (the API and CLI show this)."""
    facts = employee.sanction_facts()
    in_force = [f.sanction_id for f in facts if on and f.in_force_on(on)]
    dismissed = employee.dismissed_on()
    ended = employee.service_ended_on()
    if ended and (on is None or ended <= on):
        status = "ENDED"
    elif dismissed and (on is None or dismissed <= on):
        status = "DISMISSED"
    else:
        status = "ACTIVE"
    return {
        "nip": employee.nip,
        "employee_id": str(employee.id),
        "version": employee.version,
        "name": employee.name,
        "agency": employee.agency,
        "position": employee.position,
        "grade": employee.grade,
        "employment_type": employee.employment_type,
        "service_start_date": employee.service_start_date.isoformat(),
        "status": status,
        "service_unit": employee.service_unit,
        "officer_code": employee.officer_code,
        "appraisals": list(employee.appraisals.values()),
        "feedback_count": dict(employee.feedback_count),
        "awards": list(employee.awards.values()),
        "sanctions": list(employee.sanctions.values()),
        "sanctions_in_force": in_force,
        "training_jp": dict(employee.training_jp),
        "collaborations": list(employee.collaborations),
        "service": service_view(employee, on),
    }


def service_view(employee: Employee, on: date | None) -> dict[str, Any]:
    """The service clock: leave and suspension periods, the end of service, the retirement age
    of the current position and the flags HR must look at (on the day `on`)."""
    clock = employee.clock_state()
    periods = list(clock["periods"].values())
    retirement = employee.retirement(on) if on else None
    return {
        "leaves": [p for p in periods if p["kind"] != "SUSPENSION"],
        "suspensions": [p for p in periods if p["kind"] == "SUSPENSION"],
        "end": clock["end"],
        "retirement": None
        if retirement is None
        else {
            "category": retirement.category.value,
            "age": retirement.age,
            "reached_on": retirement.reached_on.isoformat(),
            "pension_from": retirement.pension_from.isoformat(),
            "rule_version": retirement.rule_version,
        },
        "flags": employee.service_flags(on) if on else [],
    }


def event_view(event: LedgerEvent) -> dict[str, Any]:
    """One event as plain data, envelope first."""
    payload = {
        k: v
        for k, v in vars(event).items()
        if k
        not in {
            "originator_id",
            "originator_version",
            "timestamp",
            "recorded_at",
            "effective_date",
            "recorded_by",
            "correlation_id",
            "rule_version",
            "decree_number",
            "decree_date",
            "originator_topic",
        }
    }
    return {
        "event_id": event.event_id,
        "type": type(event).__name__,
        "version": event.originator_version,
        "recorded_at": event.recorded_at.isoformat(),
        "effective_date": event.effective_date.isoformat(),
        "recorded_by": event.recorded_by,
        "correlation_id": event.correlation_id,
        "rule_version": event.rule_version,
        "decree_number": event.decree_number,
        "decree_date": event.decree_date.isoformat() if event.decree_date else None,
        "payload": _plain(payload),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value

"""Time travel over one employee's stream: by recorded time (`as_of`) or by effective date
(`effective_on`), as docs/API.md describes.

- as of a version: the first N events;
- as of a recorded time ("what did we know at T"): the events recorded at or before T;
- as of an effective date: the events that had taken effect on D, whenever recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ledger.application import KinerjaLedger
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.errors import NotFound


@dataclass(frozen=True)
class PastState:
    employee: Employee
    events: list[LedgerEvent]  # the events the state was built from, in stream order


def employee_events(app: KinerjaLedger, nip: str) -> list[LedgerEvent]:
    events = [e for e in app.events.get(Employee.create_id(nip)) if isinstance(e, LedgerEvent)]
    if not events:
        raise NotFound(f"unknown employee NIP {nip}")
    return events


def replay(events: Iterable[LedgerEvent]) -> Employee | None:
    """Fold events into an Employee; tolerates gaps, as a selection by date may leave some."""
    aggregate: Employee | None = None
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
    return _state(nip, [e for e in employee_events(app, nip) if e.originator_version <= version])


def as_of_recorded(app: KinerjaLedger, nip: str, moment: datetime) -> PastState:
    return _state(nip, [e for e in employee_events(app, nip) if e.recorded_at <= moment])


def as_of_effective(app: KinerjaLedger, nip: str, day: date) -> PastState:
    events = employee_events(app, nip)
    # The registration is the base of every view; its effective date is the service start.
    return _state(nip, events[:1] + [e for e in events[1:] if e.effective_date <= day])


def current(app: KinerjaLedger, nip: str) -> PastState:
    return _state(nip, employee_events(app, nip))


def _state(nip: str, events: list[LedgerEvent]) -> PastState:
    employee = replay(events)
    if employee is None:
        raise NotFound(f"employee NIP {nip} was not yet recorded then")
    return PastState(employee, events)


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

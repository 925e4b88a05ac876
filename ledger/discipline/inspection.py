"""Gathers from the event store what `ledger.discipline.checks.verify` needs: one decision's verdict,
its status on a day, or every decision in the log (the register without a read model)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from ledger.application import KinerjaLedger
from ledger.discipline.authority import authority_tables, rules_on
from ledger.discipline.checks import verify
from ledger.discipline.lifecycle import sanction_lifecycle
from ledger.discipline.model import (
    AppealDecided,
    AppealFiled,
    AppealStep,
    CitedEvent,
    Decision,
    PriorRecord,
    Verdict,
)
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.errors import NotFound
from ledger.persistence import StreamEntry
from ledger.rules import AuthorityTable, RuleHistory
from ledger.values import EVENT_ID

SANCTION_TOPIC = get_topic(Employee.SanctionImposed)


_APPEAL_EVENTS = (Employee.SanctionAppealFiled, Employee.SanctionAppealDecided)


@dataclass(frozen=True)
class Logged:
    """A decoded event with its global position (its place in the log)."""

    position: int
    event: LedgerEvent


class _Streams:
    """Reads and decodes each stream once per request; `upto` hides events after that position
    (a read model processing position P must not see what was recorded after P)."""

    def __init__(self, app: KinerjaLedger, upto: int | None = None) -> None:
        self.app = app
        self.upto = upto
        self._entries: dict[UUID, list[StreamEntry]] = {}
        self._decoded: dict[tuple[UUID, int], Logged] = {}

    def entries(self, originator: UUID) -> list[StreamEntry]:
        if originator not in self._entries:
            entries = self.app.stream(originator)
            if self.upto is not None:
                entries = [e for e in entries if e.position <= self.upto]
            self._entries[originator] = entries
        return self._entries[originator]

    def decode(self, entry: StreamEntry) -> Logged:
        key = (entry.originator_id, entry.originator_version)
        if key not in self._decoded:
            stored = StoredEvent(entry.originator_id, entry.originator_version, entry.topic, entry.state)
            event = self.app.mapper.to_domain_event(stored)
            assert isinstance(event, LedgerEvent)
            self._decoded[key] = Logged(entry.position, event)
        return self._decoded[key]

    def event(self, event_id: str) -> Logged | None:
        """The stored event with this id, wherever it is (None if there is none)."""
        if not EVENT_ID.fullmatch(event_id):
            return None
        originator, version = _split(event_id)
        for entry in self.entries(originator):
            if entry.originator_version == version:
                return self.decode(entry)
        return None


def _split(event_id: str) -> tuple[UUID, int]:
    originator, version = event_id.rsplit(":", 1)
    return UUID(originator), int(version)


def _sanction_entry(streams: _Streams, sanction_id: str) -> tuple[list[StreamEntry], Logged]:
    unknown = NotFound(f"unknown sanction {sanction_id}")
    if not isinstance(sanction_id, str) or not EVENT_ID.fullmatch(sanction_id):
        raise unknown
    originator, version = _split(sanction_id)
    entries = streams.entries(originator)
    for entry in entries:
        if entry.originator_version == version and entry.topic == SANCTION_TOPIC:
            return entries, streams.decode(entry)
    raise unknown


def _verify_with(
    streams: _Streams, sanction_id: str, authority: RuleHistory[AuthorityTable]
) -> tuple[Verdict, int, list[Logged]]:
    """The verdict, the sanction's position and the employee's stream (as far as `upto`)."""
    entries, sanction = _sanction_entry(streams, sanction_id)
    event = sanction.event
    assert isinstance(event, Employee.SanctionImposed)
    stream = [streams.decode(e) for e in entries]
    before = [s.event for s in stream if s.position < sanction.position]
    prior = _replay(before)
    cited: dict[str, CitedEvent] = {}
    for evidence_id in event.evidence:
        found = streams.event(evidence_id)
        # Only what the log held before the decision counts (log order, not effective dates).
        if found is not None and found.position < sanction.position:
            cited[evidence_id] = CitedEvent(
                evidence_id,
                str(found.event.originator_id),
                found.event.effective_date,
                CitedEvent.about(found.event),
            )
    steps: list[AppealStep] = []
    for later in stream:
        e = later.event
        if later.position <= sanction.position or getattr(e, "sanction_id", None) != sanction_id:
            continue
        if isinstance(e, Employee.SanctionAppealFiled):
            steps.append(AppealFiled.of(e))
        elif isinstance(e, Employee.SanctionAppealDecided):
            steps.append(AppealDecided.of(e))
    discipline, table = rules_on(event.decided_on, authority)
    verdict = verify(Decision.of(event), prior, cited, steps, discipline, table)
    return verdict, sanction.position, stream


def _replay(events: list[LedgerEvent]) -> PriorRecord | None:
    """The employee as the log recorded them before the decision (None: not registered)."""
    if not events or not isinstance(events[0], Employee.EmployeeRegistered):
        return None
    employee = events[0].mutate(None)
    assert isinstance(employee, Employee)
    for e in events[1:]:
        e.apply(employee)
    return PriorRecord.of(employee)


def verify_sanction(
    app: KinerjaLedger,
    sanction_id: str,
    *,
    authority: RuleHistory[AuthorityTable] | None = None,
    upto: int | None = None,
) -> Verdict:
    """The verdict on one decision; NotFound for an unknown or malformed sanction id.

    `upto`: judge with the log as it stood at that position (default: all of it)."""
    history = authority if authority is not None else authority_tables(app.settings.data_dir)
    verdict, _, _ = _verify_with(_Streams(app, upto), sanction_id, history)
    return verdict


def inspect_sanction(
    app: KinerjaLedger,
    sanction_id: str,
    *,
    on: date | None = None,
    authority: RuleHistory[AuthorityTable] | None = None,
    upto: int | None = None,
) -> dict[str, Any]:
    """The verdict as plain data, plus the sanction's lifecycle and its status on `on` (default today)."""
    history = authority if authority is not None else authority_tables(app.settings.data_dir)
    verdict, position, stream = _verify_with(_Streams(app, upto), sanction_id, history)
    state = _current_sanction(stream, sanction_id)
    return {**verdict.as_dict(), "position": position, **sanction_lifecycle(state, on or app.today())}


def _current_sanction(stream: list[Logged], sanction_id: str) -> dict[str, Any]:
    """The sanction's entry in the employee's current state (after appeals and revocation)."""
    first = stream[0].event
    built = first.mutate(None)
    assert isinstance(built, Employee)
    for logged in stream[1:]:
        logged.event.apply(built)
    return built.sanctions[sanction_id]


def sanction_ids(app: KinerjaLedger, *, batch: int = 1000) -> Iterator[str]:
    """Every recorded sanction decision, in log order."""
    start = 1
    while True:
        page = app.recorder.select_notifications(start, batch, topics=[SANCTION_TOPIC])
        if not page:
            return
        for n in page:
            yield f"{n.originator_id}:{n.originator_version}"
        start = page[-1].id + 1


def verify_all(
    app: KinerjaLedger,
    *,
    agency: str | None = None,
    verdict: str | None = None,
    on: date | None = None,
    authority: RuleHistory[AuthorityTable] | None = None,
) -> list[dict[str, Any]]:
    """Every decision's verdict and status (computed from the log, not from a read model)."""
    history = authority if authority is not None else authority_tables(app.settings.data_dir)
    streams = _Streams(app)
    day = on or app.today()
    rows = []
    for sanction_id in sanction_ids(app):
        result, position, stream = _verify_with(streams, sanction_id, history)
        if agency is not None and result.agency != agency:
            continue
        if verdict is not None and result.verdict != verdict:
            continue
        state = _current_sanction(stream, sanction_id)
        rows.append({**result.as_dict(), "position": position, **sanction_lifecycle(state, day)})
    return rows

"""Gathers from the store what `ledger.verification.verify` needs, and tells a sanction's status.

- `verify_sanction(app, sanction_id)`: the verdict of one decision (DESIGN 6);
- `inspect_sanction(app, sanction_id, on)`: the verdict plus the sanction's status on a day;
- `verify_all(app)`: every decision in the log (the inspectorate's register without a read model);
- `authority_tables(data_dir)`: the authority table history, the city default plus any versions a
  government configured in `<LEDGER_DATA_DIR>/authority-table.json`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from ledger.application import KinerjaLedger
from ledger.domain.employee import Employee, ringan_end
from ledger.domain.envelope import LedgerEvent
from ledger.errors import NotFound
from ledger.persistence import StreamEntry
from ledger.rules import AUTHORITY_TABLES, DISCIPLINE_RULES, AuthorityTable, DisciplineRule, RuleHistory
from ledger.validation import EVENT_ID
from ledger.verification import (
    AppealDecided,
    AppealFiled,
    AppealStep,
    CitedEvent,
    Decision,
    PriorRecord,
    Verdict,
    verify,
)
from ledger.vocabulary import DecidingRole, Level, PenaltyCode

AUTHORITY_FILE = "authority-table.json"
SANCTION_TOPIC = get_topic(Employee.SanctionImposed)
_APPEAL_EVENTS = (Employee.SanctionAppealFiled, Employee.SanctionAppealDecided)

# Time-dependent status of a sanction on a given day.
NOT_YET_IN_FORCE = "NOT_YET_IN_FORCE"
IN_FORCE = "IN_FORCE"
ENDED = "ENDED"
ANNULLED = "ANNULLED"
REVOKED = "REVOKED"
STATUSES = (NOT_YET_IN_FORCE, IN_FORCE, ENDED, ANNULLED, REVOKED)


# ------------------------------------------------------------------ authority configuration


def load_authority_tables(path: Path) -> list[AuthorityTable]:
    """Authority table versions from a JSON list of
    `{version, legal_basis, effective_from: YYYY-MM-DD, grants: {ROLE: [LEVEL, ...]}}`."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read the authority table: {exc}") from None
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a JSON list of authority table versions")
    tables = []
    for i, item in enumerate(raw):
        where = f"{path}[{i}]"
        if not isinstance(item, dict) or set(item) - {"version", "legal_basis", "effective_from", "grants"}:
            raise ValueError(f"{where}: expected {{version, legal_basis, effective_from, grants}}")
        try:
            grants = {
                DecidingRole(role): frozenset(Level(level) for level in levels)
                for role, levels in dict(item["grants"]).items()
            }
            table = AuthorityTable(
                version=str(item["version"]),
                legal_basis=str(item.get("legal_basis") or ""),
                effective_from=date.fromisoformat(str(item["effective_from"])),
                grants=grants,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{where}: {exc}") from None
        tables.append(table)
    return tables


def authority_tables(data_dir: Path | None) -> RuleHistory[AuthorityTable]:
    """The built-in versions plus the configured ones; a configured version never replaces the
    past: each decision is still judged by the version in force on its own date."""
    versions = list(AUTHORITY_TABLES.versions)
    path = data_dir / AUTHORITY_FILE if data_dir is not None else None
    if path is not None and path.exists():
        known = {t.version for t in versions}
        for table in load_authority_tables(path):
            if table.version in known:
                raise ValueError(f"{path}: version {table.version} is already defined")
            known.add(table.version)
            versions.append(table)
    return RuleHistory(tuple(versions))


def rules_on(
    day: date, authority: RuleHistory[AuthorityTable] | None = None
) -> tuple[DisciplineRule | None, AuthorityTable | None]:
    """The discipline rule and authority table in force on `day` (None where none was)."""
    history = authority if authority is not None else AUTHORITY_TABLES
    return DISCIPLINE_RULES.find(day), history.find(day)


# ------------------------------------------------------------------------------ gathering


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
        if not EVENT_ID.match(event_id):
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
    if not isinstance(sanction_id, str) or not EVENT_ID.match(sanction_id):
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
                evidence_id, str(found.event.originator_id), found.event.effective_date
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


# ------------------------------------------------------------------------ status over time


def sanction_lifecycle(sanction: Mapping[str, Any], on: date) -> dict[str, Any]:
    """Lifecycle fields of one `Employee.sanctions` entry as it now stands, and its status on `on`."""
    start = date.fromisoformat(sanction["effective_date"])
    natural = date.fromisoformat(sanction["in_force_until"]) if sanction.get("in_force_until") else None
    if natural is None and sanction["penalty"] != PenaltyCode.PEMBERHENTIAN.value:
        # A ringan penalty has no duration: it is carried out on its effective date.
        natural = ringan_end(start)
    revoked = (
        date.fromisoformat(sanction["revoked_on"])
        if sanction["status"] == "REVOKED" and sanction.get("revoked_on")
        else None
    )
    # A revocation ends a penalty early; after its natural end it changes nothing.
    cut = revoked is not None and (natural is None or revoked < natural)
    until = revoked if cut else natural
    lifecycle: dict[str, Any] = {
        "lifecycle": sanction["status"],  # IMPOSED, MODIFIED, ANNULLED or REVOKED
        "current_penalty": sanction["penalty"],
        "current_level": sanction["level"],
        "in_force_from": start.isoformat(),
        "in_force_until": until.isoformat() if until else None,
        "revoked_on": revoked.isoformat() if revoked else None,
        "ended_by_revocation": cut,
        "modified": any(a.get("outcome") == "MODIFIED" for a in sanction.get("appeals", {}).values()),
    }
    lifecycle["status"] = status_on(lifecycle, on)
    return lifecycle


def status_on(lifecycle: Mapping[str, Any], on: date) -> str:
    """NOT_YET_IN_FORCE, IN_FORCE, ENDED, ANNULLED (by appeal) or REVOKED (from the revocation date),
    from the fields `sanction_lifecycle` returns (`in_force_until` is exclusive; None: permanent)."""
    if lifecycle["lifecycle"] == "ANNULLED":
        return ANNULLED
    start = date.fromisoformat(lifecycle["in_force_from"])
    until = date.fromisoformat(lifecycle["in_force_until"]) if lifecycle["in_force_until"] else None
    if until is not None and on >= until:
        return REVOKED if lifecycle["ended_by_revocation"] else ENDED
    if on < start:
        return NOT_YET_IN_FORCE
    return IN_FORCE


def sanction_status(sanction: Mapping[str, Any], on: date) -> str:
    """The status on `on` of one `Employee.sanctions` entry."""
    return str(sanction_lifecycle(sanction, on)["status"])

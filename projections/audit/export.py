"""Export of the audit log for the offline verifier (``ledger audit export --out DIR [--nip NIP]``).

The export is what an auditor receives: the log's leaves with the bytes the event store holds
*now* at each leaf's position, the latest signed checkpoint over exactly those leaves, and the
log's verifier key. The format is read by ``ledger.audit.verify.format`` and described in docs/AUDIT.md.
Events are merged with the log by position, so a stored event that vanished shows up as a leaf
without an event, and a stored event the log never contained shows up as an unlogged line.

With ``--nip`` the export holds one employee's stream only, each of its leaves with an RFC 9162
inclusion proof against the signed checkpoint, so that history can be checked alone.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from eventsourcing.persistence import Notification

from ledger.application import KinerjaLedger
from ledger.audit.note import parse_checkpoint
from ledger.audit.verify import (
    CHECKPOINT_FILE,
    EVENTS_FILE,
    EXPORT_FORMAT,
    KEY_FILE,
    MANIFEST_FILE,
    PROOF_FIELD,
    STREAM_EXPORT_FORMAT,
)
from ledger.clock import utc_now
from ledger.domain.employee import Employee
from ledger.nip import is_valid_nip
from projections.audit import (
    NAME,
    AuditLog,
    AuditProjection,
    SignedCheckpoint,
    entry,
    event_fields,
    install_guards,
)

PAGE = 5000


class ExportRefused(Exception):
    """No export is written: the target directory already holds one (an auditor's kept copy is
    never overwritten), or there is nothing to export for the NIP asked for."""


@dataclass
class ExportSummary:
    directory: str
    origin: str
    size: int
    lines: int = 0
    missing: int = 0
    unlogged: int = 0
    projection_errors: dict[str, str] = field(default_factory=dict)
    stream: dict[str, Any] | None = None  # a single-stream export: which stream, up to which version

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "export": self.directory,
            "scope": "log" if self.stream is None else "stream",
            "origin": self.origin,
            "size": self.size,
            "lines": self.lines,
            "leaves_without_stored_event": self.missing,
            "stored_events_not_in_log": self.unlogged,
            "projection_errors": self.projection_errors,
        }
        if self.stream is not None:
            out["stream"] = self.stream
        return out


def catch_up(app: KinerjaLedger) -> dict[str, str]:
    """Bring the audit projection up to the head of the log; returns errors by projection."""
    from projections.runner import ProjectionRunner

    runner = ProjectionRunner(app, [AuditProjection()])
    runner.setup()
    runner.run_once(names=[NAME])
    return dict(runner.errors)


def _refuse_existing(out: Path) -> None:
    if (out / EVENTS_FILE).exists() or (out / CHECKPOINT_FILE).exists():
        raise ExportRefused(f"{out} already holds an export; choose a new directory")


def _signed(app: KinerjaLedger, update: bool) -> tuple[AuditLog, SignedCheckpoint, dict[str, str]]:
    """The audit log brought up to date (unless `update` is False) and its latest signed checkpoint."""
    errors = catch_up(app) if update else {}
    install_guards(app)
    audit = AuditLog(app)
    return audit, audit.ensure_checkpoint(), errors


def _origin(signed: SignedCheckpoint) -> str:
    return parse_checkpoint(signed.note[: signed.note.rfind("\n\n") + 1]).origin


def _write_rest(out: Path, audit: AuditLog, signed: SignedCheckpoint, manifest: dict[str, Any]) -> None:
    """The checkpoint, the verifier key and the manifest, beside events.ndjson."""
    (out / CHECKPOINT_FILE).write_text(signed.note, encoding="utf-8")
    (out / KEY_FILE).write_text(audit.verifier_key() + "\n", encoding="utf-8")
    manifest = {
        **manifest,
        "exported_at": utc_now().isoformat(),
        "files": {"events": EVENTS_FILE, "checkpoint": CHECKPOINT_FILE, "verifier_key": KEY_FILE},
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _writer(handle: IO[str], summary: ExportSummary) -> Callable[[dict[str, Any]], None]:
    def write(obj: dict[str, Any]) -> None:
        handle.write(json.dumps(obj, separators=(",", ":")) + "\n")
        summary.lines += 1

    return write


def export_log(app: KinerjaLedger, out: Path, *, update: bool = True) -> ExportSummary:
    """Write an export of the whole log to `out` (created; must not already hold an export)."""
    out = Path(out)
    _refuse_existing(out)
    audit, signed, errors = _signed(app, update)
    out.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary(str(out), _origin(signed), signed.size, projection_errors=errors)
    with (out / EVENTS_FILE).open("w", encoding="utf-8") as handle:
        _write_events(audit, signed.size, handle, summary)
    manifest = {
        "format": EXPORT_FORMAT,
        "origin": summary.origin,
        "size": signed.size,
        "lines": summary.lines,
    }
    _write_rest(out, audit, signed, manifest)
    return summary


def export_stream(app: KinerjaLedger, out: Path, nip: str, *, update: bool = True) -> ExportSummary:
    """Write one employee's stream, with an inclusion proof per leaf, to `out` (see the module doc).

    The lines are the stream's leaves among the checkpoint's, each with the event the store holds
    now at the leaf's position if it is an event of this stream (another stream's event is never
    written into this export: the leaf then shows no event), plus the stream's stored events that
    the log does not hold where they are stored (lines with ``leaf_index: null``), by position.
    """
    out = Path(out)
    if not is_valid_nip(nip):
        raise ExportRefused("not a valid NIP (18 digits: birth date, TMT, sex, serial)")
    _refuse_existing(out)
    audit, signed, errors = _signed(app, update)
    stream = Employee.create_id(nip)
    leaves = audit.stream_leaves(stream, signed.size)
    if not leaves:
        raise ExportRefused(f"the signed log (size {signed.size}) holds no event of this employee")
    last = audit.leaf_rows(signed.size - 1, 1)
    last_position = int(last[0]["position"]) if last else 0
    declared = {
        "originator_id": str(stream),
        "nip": nip,
        "latest_version": int(leaves[-1]["originator_version"]),
        "latest_leaf_index": int(leaves[-1]["leaf_index"]),
    }
    out.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary(str(out), _origin(signed), signed.size, projection_errors=errors, stream=declared)
    stored = {
        e.position: Notification(e.originator_id, e.originator_version, e.topic, e.state, e.position)
        for e in app.stream(stream)
        if e.position <= last_position
    }
    with (out / EVENTS_FILE).open("w", encoding="utf-8") as handle:
        write = _writer(handle, summary)
        logged = {int(row["position"]) for row in leaves}
        by_position: dict[int, dict[str, Any]] = {int(row["position"]): row for row in leaves}
        for position in sorted(logged | stored.keys()):
            row = by_position.get(position)
            event = stored.get(position)
            if row is None:
                assert event is not None
                summary.unlogged += 1
                write({"leaf_index": None, "position": position, **event_fields(event)})
                continue
            if event is None:
                summary.missing += 1
            proof = [base64.b64encode(p).decode("ascii") for p in row.pop("proof")]
            write({**entry(row, event), PROOF_FIELD: proof})
    manifest = {
        "format": STREAM_EXPORT_FORMAT,
        "origin": summary.origin,
        "size": signed.size,
        "lines": summary.lines,
        "stream": declared,
    }
    _write_rest(out, audit, signed, manifest)
    return summary


def _leaf_pages(audit: AuditLog, size: int) -> Iterator[dict[str, Any]]:
    start = 0
    while start < size:
        rows = audit.leaf_rows(start, PAGE, end=size)
        if not rows:
            return  # fewer leaves than the checkpoint: the verifier will say so
        yield from rows
        start = int(rows[-1]["leaf_index"]) + 1


def _write_events(audit: AuditLog, size: int, handle: IO[str], summary: ExportSummary) -> None:
    if size == 0:
        return
    last = audit.leaf_rows(size - 1, 1)
    last_position = int(last[0]["position"]) if last else 0
    events: Iterator[Notification] = audit.notifications(0, last_position)
    current = next(events, None)
    write = _writer(handle, summary)

    for row in _leaf_pages(audit, size):
        position = int(row["position"])
        while current is not None and current.id < position:
            summary.unlogged += 1
            write({"leaf_index": None, "position": current.id, **event_fields(current)})
            current = next(events, None)
        if current is not None and current.id == position:
            write(entry(row, current))
            current = next(events, None)
        else:
            summary.missing += 1
            write(entry(row, None))
    while current is not None:
        summary.unlogged += 1
        write({"leaf_index": None, "position": current.id, **event_fields(current)})
        current = next(events, None)

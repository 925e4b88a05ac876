"""Export of the audit log for the offline verifier (``ledger audit export --out DIR``).

The export is what an auditor receives: the log's leaves with the bytes the event store holds
*now* at each leaf's position, the latest signed checkpoint over exactly those leaves, and the
log's verifier key. The format is defined by ``ledger.audit.verify`` (its module docstring).
Events are merged with the log by position, so a stored event that vanished shows up as a leaf
without an event, and a stored event the log never contained shows up as an unlogged line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
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
)
from ledger.clock import utc_now
from projections.audit import NAME, AuditLog, AuditProjection, entry, event_fields, install_guards

PAGE = 5000


class ExportRefused(Exception):
    """The target directory already holds an export (an auditor's kept copy is never overwritten)."""


@dataclass
class ExportSummary:
    directory: str
    origin: str
    size: int
    lines: int = 0
    missing: int = 0
    unlogged: int = 0
    projection_errors: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "export": self.directory,
            "origin": self.origin,
            "size": self.size,
            "lines": self.lines,
            "leaves_without_stored_event": self.missing,
            "stored_events_not_in_log": self.unlogged,
            "projection_errors": self.projection_errors,
        }


def catch_up(app: KinerjaLedger) -> dict[str, str]:
    """Bring the audit projection up to the head of the log; returns errors by projection."""
    from projections.runner import ProjectionRunner

    runner = ProjectionRunner(app, [AuditProjection()])
    runner.setup()
    runner.run_once(names=[NAME])
    return dict(runner.errors)


def export_log(app: KinerjaLedger, out: Path, *, update: bool = True) -> ExportSummary:
    """Write an export of the whole log to `out` (created; must not already hold an export)."""
    out = Path(out)
    if (out / EVENTS_FILE).exists() or (out / CHECKPOINT_FILE).exists():
        raise ExportRefused(f"{out} already holds an export; choose a new directory")
    errors = catch_up(app) if update else {}
    install_guards(app)
    audit = AuditLog(app)
    signed = audit.ensure_checkpoint()
    checkpoint = parse_checkpoint(signed.note[: signed.note.rfind("\n\n") + 1])
    out.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary(str(out), checkpoint.origin, signed.size, projection_errors=errors)
    with (out / EVENTS_FILE).open("w", encoding="utf-8") as handle:
        _write_events(audit, signed.size, handle, summary)
    (out / CHECKPOINT_FILE).write_text(signed.note, encoding="utf-8")
    (out / KEY_FILE).write_text(audit.verifier_key() + "\n", encoding="utf-8")
    manifest = {
        "format": EXPORT_FORMAT,
        "origin": checkpoint.origin,
        "size": signed.size,
        "lines": summary.lines,
        "exported_at": utc_now().isoformat(),
        "files": {"events": EVENTS_FILE, "checkpoint": CHECKPOINT_FILE, "verifier_key": KEY_FILE},
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
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

    def write(obj: dict[str, Any]) -> None:
        handle.write(json.dumps(obj, separators=(",", ":")) + "\n")
        summary.lines += 1

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

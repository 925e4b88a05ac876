"""Bulk import of a city's history from NDJSON (docs/IMPORT.md): one fact per line, applied as the
ledger command its `kind` names, with the same validation and the rule version of the fact's own
date.

Each line runs as one command, under the Idempotency-Key `import:<source_ref>` and a fingerprint
of the line, so a re-run skips what is already in (and refuses a changed line under a known
source_ref) and a crash never leaves a fact half-written. A dry run applies the file to a scratch
SQLite store seeded with copies of the records it names, so every line is judged as a real run
would judge it, and writes nothing to the ledger.

The real run stages the commands of up to BATCH_LINES lines in memory (ledger.batching: the same
commands and rules, aggregates kept in memory between lines) and writes them in one transaction,
each line's events with its Idempotency-Key row. Before a refused line's effects are dropped, what
was staged before it is written; when a batch cannot be written (another writer appended to one of
its records meanwhile) nothing of it is, and its lines run again one by one, each in its own
transaction, as they always did.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from ledger.application import CommandContext, KinerjaLedger
from ledger.batching import Batch
from ledger.config import Settings
from ledger.domain.agency import Agency
from ledger.domain.employee import Employee
from ledger.domain.envelope import Actor
from ledger.domain.program import Program
from ledger.domain.service_unit import ServiceUnit
from ledger.errors import FieldError, LedgerError, NotFound
from ledger.values import EVENT_ID

# kind -> the KinerjaLedger command it runs. Citizens' surveys are not history an HR extract holds.
KINDS: dict[str, str] = {
    "agency": "register_agency",
    "agency_rating": "rate_agency",
    "service_unit": "register_service_unit",
    "employee": "register_employee",
    "transfer": "transfer_employee",
    "assignment": "assign_to_service_unit",
    "appraisal": "record_appraisal",
    "appraisal_correction": "correct_appraisal",
    "feedback": "record_feedback",
    "award": "grant_award",
    "award_revocation": "revoke_award",
    "training": "record_training",
    "sanction": "impose_sanction",
    "sanction_revocation": "revoke_sanction",
    "appeal": "file_appeal",
    "appeal_decision": "decide_appeal",
    "program": "launch_program",
    "program_participant": "add_program_participant",
    "program_outcome": "record_program_outcome",
    "leave": "start_leave",
    "leave_end": "end_leave",
    "suspension": "suspend_employee",
    "suspension_end": "end_suspension",
    "service_end": "end_service",
    "skp": "plan_skp",
    "skp_revision": "revise_skp",
    "realisation": "report_realisation",
    "dialogue": "hold_dialogue",
    "behaviour_feedback": "give_behaviour_feedback",
    # Complaints from an SP4N-LAPOR! or unit extract, with HR's handling; answers to survey
    # comments already in the ledger.
    "complaint": "submit_complaint",
    "complaint_update": "update_complaint",
    "comment_follow_up": "follow_up_comment",
}
# A line's `kind` names the fact, so a command field of that name is given under another one.
RENAMED: dict[str, dict[str, str]] = {"appeal": {"appeal_kind": "kind"}}
IMPORTER = Actor(sub="import", role="hr")
SOURCE_REF_MAX = 200
LINE_MAX = 100_000  # bytes: the largest fact (a sanction with 100 evidence ids) is far smaller
KEY_PREFIX = "import:"
BATCH_LINES = 1000  # lines staged per transaction by the real run
# Fields that name another record by NIP or code: the dry run copies those records.
_NIP_FIELDS = ("nip", "appraiser_nip", "decided_by_nip")
_CODE_FIELDS = ("agency", "service_unit", "code", "agencies")


@dataclass(frozen=True)
class LineError:
    line: int
    kind: str | None
    source_ref: str | None
    detail: str
    errors: tuple[FieldError, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "kind": self.kind,
            "source_ref": self.source_ref,
            "detail": self.detail,
            "errors": [{"field": e.field, "reason": e.reason} for e in self.errors],
        }


@dataclass
class ImportReport:
    dry_run: bool
    lines: int = 0
    imported: int = 0
    already: int = 0  # lines whose source_ref was imported before, with the same content
    refused: list[LineError] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.refused

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "lines": self.lines,
            "imported": self.imported,
            "already_imported": self.already,
            "refused": len(self.refused),
            "by_kind": dict(sorted(self.by_kind.items())),
            "errors": [e.as_dict() for e in self.refused],
        }


@dataclass(frozen=True)
class Fact:
    """One parsed line: the command to run and its arguments, before references are resolved."""

    line: int
    kind: str
    source_ref: str
    fields: dict[str, Any]
    fingerprint: str


class LineRefused(Exception):
    def __init__(self, detail: str, errors: Iterable[FieldError] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = tuple(errors)


def read_facts(lines: Iterable[bytes]) -> Iterator[Fact | LineError]:
    """Each non-blank line as a Fact, or the reason it cannot be one."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield parse_line(number, raw)
        except LineRefused as exc:
            yield LineError(number, None, None, exc.detail, exc.errors)


def parse_line(number: int, raw: bytes) -> Fact:
    if len(raw) > LINE_MAX:
        raise LineRefused(f"line longer than {LINE_MAX} bytes")
    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise LineRefused(f"not a JSON object: {_reason(exc)}") from None
    if not isinstance(data, dict):
        raise LineRefused("not a JSON object")
    kind, source_ref = data.pop("kind", None), data.pop("source_ref", None)
    problems = []
    if kind not in KINDS:
        problems.append(FieldError("kind", f"must be one of {', '.join(KINDS)}"))
    if not isinstance(source_ref, str) or not source_ref.strip():
        problems.append(FieldError("source_ref", "required"))
    elif len(source_ref) > SOURCE_REF_MAX or any(unicodedata.category(c) == "Cc" for c in source_ref):
        problems.append(
            FieldError("source_ref", f"at most {SOURCE_REF_MAX} characters, no control characters")
        )
    if problems:
        raise LineRefused("; ".join(f"{p.field}: {p.reason}" for p in problems), problems)
    canonical = json.dumps(
        [kind, source_ref, data], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return Fact(number, kind, source_ref, data, hashlib.sha256(canonical.encode()).hexdigest())


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    keys = [k for k, _ in pairs]
    duplicated = sorted({k for k in keys if keys.count(k) > 1})
    raise ValueError(f"duplicate key {duplicated[0]!r}")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "invalid UTF-8"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)


class Importer:
    """Applies facts to a ledger in file order, remembering what each source_ref became."""

    def __init__(
        self, ledger: KinerjaLedger, report: ImportReport, real: KinerjaLedger | None = None
    ) -> None:
        self.ledger = ledger
        self.real = real or ledger  # where earlier imports are looked up (not the dry run's scratch)
        self.report = report
        self.event_ids: dict[str, str] = {}  # source_ref -> event_id of the fact it recorded

    def apply(self, fact: Fact) -> None:
        name = KINDS[fact.kind]
        method: Callable[..., Any] = getattr(self.ledger, name)
        fields = dict(fact.fields)
        for given, meant in RENAMED.get(fact.kind, {}).items():
            if given in fields:
                fields[meant] = fields.pop(given)
        try:
            ids = [self._path_id(fields, p) for p in _path_parameters(name)]
            ctx = CommandContext(
                actor=IMPORTER,
                correlation_id=str(UUID(fact.fingerprint[:32])),
                idempotency_key=KEY_PREFIX + fact.source_ref,
                fingerprint=fact.fingerprint,
            )
            result = method(ctx, *ids, **fields)
        except LineRefused as exc:
            self._refuse(fact, exc.detail, exc.errors)
            return
        except LedgerError as exc:
            self._refuse(fact, exc.detail, exc.errors)
            return
        self.event_ids[fact.source_ref] = result.event_id
        if result.replayed:
            self.report.already += 1
        else:
            self.report.imported += 1
            self.report.by_kind[fact.kind] = self.report.by_kind.get(fact.kind, 0) + 1

    def _path_id(self, fields: dict[str, Any], name: str) -> str:
        """A record the command acts on: given as itself (`sanction_id`) or as the source_ref of
        the line that recorded it (`sanction_ref`)."""
        ref_name = name.removesuffix("_id") + "_ref" if name.endswith("_id") else None
        if name in fields:
            value = fields.pop(name)
            if isinstance(value, str):
                return value
            raise LineRefused(f"{name}: must be a string", [FieldError(name, "must be a string")])
        if ref_name and ref_name in fields:
            ref = fields.pop(ref_name)
            found = self.event_ids.get(ref) if isinstance(ref, str) else None
            if found is None:
                found = self._imported_before(ref)
            if found is None:
                reason = "no earlier line or earlier import has this source_ref"
                raise LineRefused(f"{ref_name}: {reason}", [FieldError(ref_name, reason)])
            return found
        either = f"give {name} or {ref_name}" if ref_name else "required"
        raise LineRefused(f"{name}: {either}", [FieldError(name, either)])

    def _imported_before(self, ref: object) -> str | None:
        if not isinstance(ref, str):
            return None
        found = self.real.ledger_recorder.find_idempotency(KEY_PREFIX + ref)
        return str(found[1]["event_id"]) if found else None

    def _refuse(self, fact: Fact, detail: str, errors: Iterable[FieldError]) -> None:
        self.report.refused.append(LineError(fact.line, fact.kind, fact.source_ref, detail, tuple(errors)))


@functools.cache
def _path_parameters(command: str) -> list[str]:
    """The ids a command takes before its keywords (nip, sanction_id, ...)."""
    method = inspect.unwrap(getattr(KinerjaLedger, command))
    return [
        p.name
        for p in list(inspect.signature(method).parameters.values())[2:]  # self, ctx
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]


def import_file(
    ledger: KinerjaLedger,
    path: Path,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] = lambda _: None,
) -> ImportReport:
    """Import `path` into `ledger` (or judge it on a scratch copy when `dry_run`)."""
    report = ImportReport(dry_run=dry_run)
    if not dry_run:
        _run_batched(Importer(ledger, report), path, report, progress)
        return report
    with tempfile.TemporaryDirectory(prefix="ledger-dry-run-") as scratch_dir:
        settings = Settings(f"sqlite:///{Path(scratch_dir) / 'dry-run.db'}", Path(scratch_dir), "dry-run")
        scratch = KinerjaLedger(settings, clock=ledger.clock)
        try:
            _seed(scratch, ledger, path)
            importer = DryRunImporter(scratch, report, real=ledger)
            _run(importer, path, report, progress)
        finally:
            scratch.close()
    return report


def _run(importer: Importer, path: Path, report: ImportReport, progress: Callable[[int], None]) -> None:
    with path.open("rb") as lines:
        for item in read_facts(lines):
            report.lines += 1
            if isinstance(item, LineError):
                report.refused.append(item)
            else:
                importer.apply(item)
            progress(report.lines)


def _run_batched(
    importer: Importer, path: Path, report: ImportReport, progress: Callable[[int], None]
) -> None:
    with path.open("rb") as lines:
        items: list[Fact | LineError] = []
        for item in read_facts(lines):
            items.append(item)
            if len(items) == BATCH_LINES:
                _apply_batch(importer, items, report, progress)
                items = []
        _apply_batch(importer, items, report, progress)


def _apply_batch(
    importer: Importer, items: list[Fact | LineError], report: ImportReport, progress: Callable[[int], None]
) -> None:
    """Stage the lines' commands and write them together (module docstring)."""
    ledger = importer.ledger
    batch = _batch_of(ledger)
    keys = [KEY_PREFIX + item.source_ref for item in items if isinstance(item, Fact)]
    batch.known = ledger.ledger_recorder.find_idempotencies(keys)
    segment: list[Fact | LineError] = []  # the lines staged since the last write
    mark = _Mark.of(report)
    with ledger.batching(batch):
        for item in items:
            report.lines += 1
            if isinstance(item, LineError):
                report.refused.append(item)
                segment.append(item)
                continue
            before = len(report.refused)
            importer.apply(item)
            if len(report.refused) == before:
                segment.append(item)
                continue
            # The refused command may have changed a cached aggregate before it refused: write
            # what the lines before it staged, then go on from the store.
            refusal = report.refused.pop()
            if _write(importer, batch, segment, mark):
                batch.forget()
                report.refused.append(refusal)
            else:
                _unbatched(importer, batch, [item])  # judged again after the lines before it
            segment, mark = [], _Mark.of(report)
        _write(importer, batch, segment, mark)
    progress(report.lines)


def _batch_of(ledger: KinerjaLedger) -> Batch:
    """The batch kept between calls on this ledger: its cache of aggregates outlives one batch."""
    batch = getattr(ledger, "_import_batch", None)
    if batch is None:
        batch = Batch()
        ledger._import_batch = batch  # type: ignore[attr-defined]
    return batch


@dataclass(frozen=True)
class _Mark:
    """The report's counts before a segment, to undo the segment when it cannot be written."""

    imported: int
    already: int
    refused: int
    by_kind: dict[str, int]

    @classmethod
    def of(cls, report: ImportReport) -> _Mark:
        return cls(report.imported, report.already, len(report.refused), dict(report.by_kind))


def _write(importer: Importer, batch: Batch, segment: list[Fact | LineError], mark: _Mark) -> bool:
    """Write what the segment staged. When it cannot be written, nothing of it is: its lines run
    again one by one, as without a batch. True when the segment was written as staged."""
    try:
        importer.ledger.write_batch(batch)
        return True
    except IntegrityError:
        batch.discard()
    report = importer.report
    report.imported, report.already, report.by_kind = mark.imported, mark.already, mark.by_kind
    del report.refused[mark.refused :]
    for item in segment:
        if isinstance(item, Fact):
            importer.event_ids.pop(item.source_ref, None)
    _unbatched(importer, batch, segment)
    return False


def _unbatched(importer: Importer, batch: Batch, items: list[Fact | LineError]) -> None:
    ledger = importer.ledger
    ledger.batch = None
    try:
        for item in items:
            if isinstance(item, LineError):
                importer.report.refused.append(item)
            else:
                importer.apply(item)
    finally:
        ledger.batch = batch


class DryRunImporter(Importer):
    """On the scratch store; what the real ledger already holds under a source_ref counts as in."""

    def apply(self, fact: Fact) -> None:
        found = self.real.ledger_recorder.find_idempotency(KEY_PREFIX + fact.source_ref)
        if found is None:
            super().apply(fact)
        elif found[0] != fact.fingerprint:
            detail = "this source_ref was already imported with different content"
            self._refuse(fact, detail, [FieldError("source_ref", detail)])
        else:
            self.event_ids[fact.source_ref] = str(found[1]["event_id"])
            self.report.already += 1


def _seed(scratch: KinerjaLedger, real: KinerjaLedger, path: Path) -> None:
    """Copy into the scratch store every record the file names that the ledger already holds (and
    the service unit each such employee serves in), so references and uniqueness judge alike."""
    nips: set[str] = set()
    codes: set[str] = set()
    ids: set[UUID] = set()  # the complaint, or the unit of a comment, a line names by event id
    with path.open("rb") as lines:
        for item in read_facts(lines):
            if isinstance(item, Fact):
                _collect(item.fields, nips, codes)
                for name in ("complaint_id", "comment_id"):
                    value = item.fields.get(name)
                    if isinstance(value, str) and EVENT_ID.fullmatch(value):
                        ids.add(UUID(value.rsplit(":", 1)[0]))
    streams: set[UUID] = set()
    for nip in nips:
        streams.add(Employee.create_id(nip))
        try:
            unit = real.employee(nip).service_unit
        except NotFound:
            continue
        if unit:
            codes.add(unit)
    for code in codes:
        streams.update(kind.create_id(code) for kind in (Agency, ServiceUnit, Program))
    streams.update(ids)
    for stream in sorted(streams):
        events = real.recorder.select_events(stream)
        if events:
            scratch.recorder.insert_events(events)


def _collect(fields: dict[str, Any], nips: set[str], codes: set[str]) -> None:
    for name in _NIP_FIELDS:
        if isinstance(fields.get(name), str):
            nips.add(fields[name])
    for name in _CODE_FIELDS:
        value = fields.get(name)
        for code in value if isinstance(value, list) else [value]:
            if isinstance(code, str):
                codes.add(code)

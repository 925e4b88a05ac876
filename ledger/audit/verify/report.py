"""The verifier's verdict: reads an export, checks its signature with the pinned key, scans it,
checks it against kept checkpoints or earlier exports, and reports what is wrong and where."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from ledger.audit.note import Checkpoint, NoteError, Verifier, parse_verifier_key
from ledger.audit.verify import parallel
from ledger.audit.verify.format import (
    CHECKPOINT_FILE,
    EVENTS_FILE,
    EXPORT_FORMAT,
    KEY_FILE,
    MANIFEST_FILE,
    STREAM_EXPORT_FORMAT,
    Kept,
    UnusableInput,
    load_verifier,
    open_checkpoint,
    parse_stream_id,
    read_lines,
    read_text,
)
from ledger.audit.verify.scan import LEAF_KINDS, MAX_LISTED_FAILURES, STREAM_KINDS, Failure, Scan, StreamScan
from ledger.nip import stream_id

EXIT_OK = 0


EXIT_FAILED = 1


EXIT_UNUSABLE = 2


# Everything checks, but only against the export's own key: that proves the log is consistent,
# not who signed it (whoever rewrote the log could have re-signed it with a key of their own).
EXIT_UNPINNED = 3


@dataclass
class Report:
    scope: ClassVar[str] = "log"
    directory: str
    key: dict[str, Any]
    checkpoint: Checkpoint | None = None
    signature: str = "unchecked"
    leaves: int = 0
    root_matches: bool | None = None
    published_root_matches: bool | None = None
    mismatched: int = 0
    missing: int = 0
    unlogged: int = 0
    streams: int = 0
    bad_streams: int = 0
    kept: list[Kept] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    collected: bytearray | None = None

    @property
    def ok(self) -> bool:
        return not self.failures

    def first_failure(self) -> Failure | None:
        located = [f for f in self.failures if f.kind in LEAF_KINDS and f.leaf_index is not None]
        if located:
            return min(located, key=lambda f: (f.leaf_index, LEAF_KINDS.index(f.kind)))
        unlogged = [f for f in self.failures if f.kind == "unlogged-event"]
        if unlogged:
            return min(unlogged, key=lambda f: f.position or 0)
        streams = [f for f in self.failures if f.kind in STREAM_KINDS]
        if streams:
            return streams[0]
        return self.failures[0] if self.failures else None

    def as_dict(self) -> dict[str, Any]:
        c = self.checkpoint
        first = self.first_failure()
        return {
            "ok": self.ok,
            "export": self.directory,
            "scope": self.scope,
            "key": self.key,
            "checkpoint": {
                "origin": None if c is None else c.origin,
                "size": None if c is None else c.size,
                "root": None if c is None else base64.b64encode(c.root).decode(),
                "signature": self.signature,
                "root_matches": self.root_matches,
                "published_hashes_match": self.published_root_matches,
            },
            "leaves": {
                "count": self.leaves,
                "mismatched": self.mismatched,
                "missing": self.missing,
                "unlogged_events": self.unlogged,
            },
            "streams": {"count": self.streams, "failing": self.bad_streams},
            "previous": [k.as_dict() for k in self.kept],
            "first_failure": None if first is None else first.as_dict(),
            "failure_count": len(self.failures),
            "failures": [f.as_dict() for f in self.failures[:MAX_LISTED_FAILURES]],
            "warnings": self.warnings,
        }


@dataclass
class StreamReport(Report):
    """The report on a single-stream export (one employee's history)."""

    scope: ClassVar[str] = "stream"
    stream: str | None = None
    nip: str | None = None
    declared_latest: int | None = None
    last_version: int = 0
    proofs_verified: int = 0

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        out["stream"] = {
            "originator_id": self.stream,
            "nip": self.nip,
            "declared_latest_version": self.declared_latest,
            "last_version": self.last_version,
            "inclusion_proofs_verified": self.proofs_verified,
        }
        return out


_R = TypeVar("_R", bound=Report)


def _begin(directory: Path, key: Verifier | None, kind: type[_R]) -> tuple[_R, Verifier]:
    """The report of an export directory with its key settled and its checkpoint's signature checked."""
    if not directory.is_dir():
        raise UnusableInput(f"{directory} is not a directory")
    export_key_text = read_text(directory / KEY_FILE).strip() if (directory / KEY_FILE).exists() else None
    warnings: list[str] = []
    if key is None:
        if export_key_text is None:
            raise UnusableInput(f"no --key given and {directory / KEY_FILE} is missing")
        try:
            key = parse_verifier_key(export_key_text)
        except NoteError as exc:
            raise UnusableInput(f"{directory / KEY_FILE} is not a verifier key: {exc}") from None
        warnings.append(
            "the verifier key was taken from the export itself, so the signature only shows the "
            "export is self-consistent: pin the log's key with --key"
        )
        pinned = False
    else:
        pinned = True
        if export_key_text is not None and export_key_text != key.key_string():
            warnings.append("the export's log.vkey differs from the pinned key")
    report = kind(
        str(directory),
        {"name": key.name, "key_id": key.key_id.hex(), "vkey": key.key_string(), "pinned": pinned},
        warnings=warnings,
    )
    return report, key


def _check_signature(directory: Path, report: Report, key: Verifier) -> None:
    report.checkpoint, report.signature = open_checkpoint(read_text(directory / CHECKPOINT_FILE), key)
    if report.signature != "valid":
        report.failures.append(
            Failure(
                "signature",
                f"the export's checkpoint does not verify with the pinned key: {report.signature}",
            )
        )


def _events_file(directory: Path) -> Path:
    events = directory / EVENTS_FILE
    if not events.is_file():
        raise UnusableInput(f"{events} is missing")
    return events


def verify_export(
    directory: Path,
    key: Verifier | None = None,
    previous: Sequence[Path] = (),
    *,
    collect: bool = False,
) -> Report:
    """Verify the whole-log export in `directory`; raises UnusableInput when it cannot be read at all.

    `key` is the pinned verifier key (None: use the export's own key and say so); `previous`
    are checkpoint files or earlier export directories the auditor kept.
    """
    directory = Path(directory)
    report, key = _begin(directory, key, Report)
    manifest = _manifest(directory, report)
    if manifest is not None and manifest.get("format") == STREAM_EXPORT_FORMAT:
        raise UnusableInput(f"{directory} is a single-stream export, not an export of the whole log")
    if manifest is not None and manifest.get("format") != EXPORT_FORMAT:
        raise UnusableInput(f"{directory / MANIFEST_FILE} is not a {EXPORT_FORMAT} manifest")
    _check_signature(directory, report, key)
    kept = [_load_kept(Path(p), key) for p in previous]
    report.kept = kept
    current = report.checkpoint
    sizes = [k.checkpoint.size for k in kept if k.checkpoint is not None]
    if current is not None:
        sizes.append(current.size)
    earlier = [k for k in kept if k.leaf_hashes is not None]
    events = _events_file(directory)
    scan = parallel.scan_if_large(events, sizes, earlier, collect=collect)
    if scan is None:  # a small export, or one that does not pass: the exact sequential pass
        scan = Scan(sizes, earlier, collect=collect)
        for number, line in read_lines(events):
            scan.feed(number, line)
    report.failures.extend(scan.failures)
    report.leaves = scan.next_index
    report.mismatched, report.missing, report.unlogged = scan.mismatched, scan.missing, scan.unlogged
    report.streams, report.bad_streams = len(scan.streams), len(scan.bad_streams)
    report.collected = scan.collected
    authenticated: list[tuple[int, str]] = []  # (size, source) whose published hashes are proven
    if current is not None:
        _check_current(report, scan, current, authenticated)
    for k in kept:
        _check_kept(report, scan, k, current, authenticated)
    _authenticate(report, authenticated)
    _bound(report, kept)
    return report


def verify_stream_export(directory: Path, key: Verifier | None = None) -> StreamReport:
    """Verify a single-stream export (``ledger audit export --nip``); see the module docstring.

    Raises UnusableInput when it cannot be read at all, or its manifest does not say which
    stream it holds.
    """
    directory = Path(directory)
    report, key = _begin(directory, key, StreamReport)
    manifest = _manifest(directory, report)
    if manifest is None or manifest.get("format") != STREAM_EXPORT_FORMAT:
        raise UnusableInput(f"{directory / MANIFEST_FILE} is not a {STREAM_EXPORT_FORMAT} manifest")
    report.stream, report.nip, report.declared_latest = _declared_stream(directory, manifest)
    _check_signature(directory, report, key)
    current = report.checkpoint
    label = None if current is None else f"checkpoint of the export (size {current.size})"
    scan = StreamScan(report.stream, current, label if report.signature == "valid" else None)
    if report.nip is not None and str(stream_id("employee", report.nip)) != report.stream:
        scan.fail(
            Failure(
                "stream-scope",
                f"the manifest names an employee whose stream is {stream_id('employee', report.nip)}, "
                f"not the exported stream {report.stream}",
                stream=report.stream,
            )
        )
    size = manifest.get("size")
    if current is not None and size != current.size:
        scan.fail(
            Failure(
                "checkpoint-size",
                f"the manifest describes the log at size {size}, but the checkpoint covers {current.size}",
                checkpoint=label,
            )
        )
    for number, line in read_lines(_events_file(directory)):
        scan.feed(number, line)
    scan.finish(report.declared_latest, None if current is None else current.size)
    report.failures.extend(scan.failures)
    report.leaves, report.streams = scan.leaves, 1
    report.bad_streams = int(any(f.kind not in ("signature", "checkpoint-size") for f in scan.failures))
    report.mismatched, report.missing, report.unlogged = scan.mismatched, scan.missing, scan.unlogged
    report.last_version, report.proofs_verified = scan.highest_version, scan.proofs_verified
    return report


def _declared_stream(directory: Path, manifest: dict[str, Any]) -> tuple[str, str | None, int]:
    """(stream id, NIP or None, latest version) as the manifest of a single-stream export declares."""
    declared = manifest.get("stream")
    problem = f"{directory / MANIFEST_FILE} does not say which stream the export holds"
    if not isinstance(declared, dict):
        raise UnusableInput(problem)
    oid, nip, latest = declared.get("originator_id"), declared.get("nip"), declared.get("latest_version")
    try:
        if type(oid) is not str:
            raise ValueError("originator_id")
        parse_stream_id(oid)
    except ValueError:
        raise UnusableInput(f"{problem}: originator_id must be a canonical UUID") from None
    if nip is not None and type(nip) is not str:
        raise UnusableInput(f"{problem}: nip must be a string")
    if type(latest) is not int or latest < 1:
        raise UnusableInput(f"{problem}: latest_version must be a positive integer")
    return oid, nip, latest


def export_format(directory: Path) -> str:
    """The format an export directory declares (a directory without a readable manifest is taken
    for a whole-log export, as before manifests named their scope)."""
    try:
        manifest = _manifest(Path(directory))
    except UnusableInput:
        return EXPORT_FORMAT
    value = None if manifest is None else manifest.get("format")
    return value if isinstance(value, str) else EXPORT_FORMAT


def verify_directory(directory: Path, key: Verifier | None = None, previous: Sequence[Path] = ()) -> Report:
    """Verify an export of either scope: the manifest says whether it holds the whole log or one stream."""
    if export_format(directory) == STREAM_EXPORT_FORMAT:
        if previous:
            raise UnusableInput(
                "--previous needs an export of the whole log: a single-stream export carries inclusion "
                "proofs for its own events only, which cannot show consistency with a kept checkpoint"
            )
        return verify_stream_export(directory, key)
    return verify_export(directory, key, previous)


def _manifest(directory: Path, report: Report | None = None) -> dict[str, Any] | None:
    """The manifest as a JSON object, or None (with a warning on `report`) when it is unusable."""
    path = directory / MANIFEST_FILE
    if not path.exists():
        if report is not None:
            report.warnings.append(f"no {MANIFEST_FILE} in the export")
        return None
    try:
        manifest = json.loads(read_text(path))
    except ValueError:
        if report is not None:
            report.warnings.append(f"{MANIFEST_FILE} is not valid JSON")
        return None
    if not isinstance(manifest, dict):
        raise UnusableInput(f"{path} is not a {EXPORT_FORMAT} manifest")
    return manifest


def _check_current(
    report: Report, scan: Scan, current: Checkpoint, authenticated: list[tuple[int, str]]
) -> None:
    label = f"checkpoint of the export (size {current.size})"
    if scan.next_index != current.size:
        report.failures.append(
            Failure(
                "checkpoint-size",
                f"the export has {scan.next_index} leaves but its checkpoint covers {current.size}",
                checkpoint=label,
            )
        )
    recomputed = scan.roots_recomputed.get(current.size)
    published = scan.roots_published.get(current.size)
    report.published_root_matches = None if published is None else published == current.root
    if published == current.root and report.signature == "valid":
        authenticated.append((current.size, label))
    if current.size > scan.next_index:
        report.root_matches = False
        return
    if recomputed is None:
        report.root_matches = None
        report.failures.append(
            Failure(
                "checkpoint-root",
                f"the root cannot be recomputed: leaf {scan.first_unrecomputable} has no stored event "
                "or is unreadable",
                checkpoint=label,
            )
        )
        return
    report.root_matches = recomputed == current.root
    if not report.root_matches:
        report.failures.append(
            Failure(
                "checkpoint-root",
                "the root recomputed from the stored events differs from the signed checkpoint's root",
                checkpoint=label,
            )
        )


def _check_kept(
    report: Report,
    scan: Scan,
    kept: Kept,
    current: Checkpoint | None,
    authenticated: list[tuple[int, str]],
) -> None:
    c = kept.checkpoint
    label = f"{kept.source} (size {c.size})" if c else kept.source
    if c is None or not kept.signature.startswith("valid"):
        report.failures.append(
            Failure("previous-unusable", f"kept checkpoint {kept.source}: {kept.signature}", checkpoint=label)
        )
        return
    if kept.signature != "valid":
        report.failures.append(
            Failure(
                "previous-unusable",
                f"earlier export {kept.source} does not verify on its own, so its leaves cannot be used",
                checkpoint=label,
            )
        )
    if current is not None and c.origin != current.origin:
        report.failures.append(
            Failure(
                "previous-origin",
                f"kept checkpoint is for log {c.origin!r}, the export for {current.origin!r}",
                checkpoint=label,
            )
        )
        return
    if (
        current is not None
        and report.signature == "valid"
        and c.size == current.size
        and c.root != current.root
    ):
        report.failures.append(
            Failure(
                "equivocation",
                f"the log signed two different roots for size {c.size}: the kept one and the export's",
                checkpoint=label,
            )
        )
    if c.size > scan.next_index:
        kept.consistent = False
        report.failures.append(
            Failure(
                "previous-truncated",
                f"the export has {scan.next_index} leaves but this kept checkpoint covered {c.size}: "
                f"leaves {scan.next_index}..{c.size - 1} are gone (earlier leaves may also have been "
                "replaced; a kept earlier export would show which)",
                checkpoint=label,
            )
        )
        return
    kept.recomputed_root = scan.roots_recomputed.get(c.size)
    kept.published_root = scan.roots_published.get(c.size)
    kept.published_matches = None if kept.published_root is None else kept.published_root == c.root
    if kept.published_matches:
        authenticated.append((c.size, label))
    if kept.recomputed_root is None:
        kept.consistent = False
        report.failures.append(
            Failure(
                "previous-inconsistent",
                f"the first {c.size} leaves cannot be recomputed (leaf {scan.first_unrecomputable} has no "
                "readable stored event), so the log no longer matches this kept checkpoint",
                checkpoint=label,
            )
        )
        return
    kept.consistent = kept.recomputed_root == c.root
    if not kept.consistent:
        report.failures.append(
            Failure(
                "previous-inconsistent",
                f"the first {c.size} leaves recomputed from the stored events do not reproduce this kept "
                "checkpoint's root: events it covered were altered, removed, reordered or replaced",
                checkpoint=label,
            )
        )


def _authenticate(report: Report, authenticated: list[tuple[int, str]]) -> None:
    """Mark located leaf failures whose published hash a trusted checkpoint proves."""
    for failure in report.failures:
        if failure.kind not in ("leaf-missing", "leaf-mismatch") or failure.leaf_index is None:
            continue
        covering = [(size, label) for size, label in authenticated if size > failure.leaf_index]
        if covering:
            failure.authenticated_by = min(covering)[1]


def _bound(report: Report, kept: Sequence[Kept]) -> None:
    """Where only checkpoints fail, bound the first altered leaf between kept checkpoints."""
    passing = [k.checkpoint.size for k in kept if k.consistent and k.checkpoint is not None]
    for failure in report.failures:
        if failure.kind not in ("previous-inconsistent", "previous-truncated", "equivocation"):
            continue
        size = next(
            (k.checkpoint.size for k in kept if k.checkpoint is not None and failure.checkpoint == _label(k)),
            None,
        )
        if size is None:
            continue
        low = max((s for s in passing if s < size), default=0)
        high = min(size, report.leaves + 1)  # a truncated log has at least lost leaf `report.leaves`
        failure.located_between = (low, high)
        failure.message += f"; the first altered leaf is in [{low}, {high})"


def _label(kept: Kept) -> str:
    c = kept.checkpoint
    return f"{kept.source} (size {c.size})" if c else kept.source


def run(directory: Path, key: str | None, previous: Sequence[Path]) -> tuple[dict[str, Any], int]:
    """The CLI's work: (JSON report, exit status)."""
    try:
        verifier = load_verifier(key) if key else None
        report = verify_directory(directory, verifier, previous)
    except UnusableInput as exc:
        return {"ok": False, "export": str(directory), "error": str(exc)}, EXIT_UNUSABLE
    return report.as_dict(), EXIT_OK if report.ok else EXIT_FAILED


def _load_kept(value: Path, verifier: Verifier) -> Kept:
    """An earlier checkpoint: a checkpoint file, or an earlier export directory."""
    kept = Kept(str(value))
    if value.is_dir():
        earlier = verify_export(value, verifier, collect=True)
        kept.checkpoint = earlier.checkpoint
        kept.signature = earlier.signature
        if earlier.ok and earlier.collected is not None:
            kept.leaf_hashes = earlier.collected
        else:
            kept.signature = (
                kept.signature if kept.signature != "valid" else "valid (but the export does not verify)"
            )
        return kept
    kept.checkpoint, kept.signature = open_checkpoint(read_text(value), verifier)
    return kept

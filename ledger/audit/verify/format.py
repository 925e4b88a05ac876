"""The audit export's format: its files, format names, and one log line parsed and checked for
shape. Written by ``projections.audit.export``; described field by field in docs/AUDIT.md."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson

from ledger.audit.encoding import U64_MAX
from ledger.audit.merkle import HASH_SIZE
from ledger.audit.note import Checkpoint, NoteError, Verifier, open_note, parse_checkpoint, parse_verifier_key

EXPORT_FORMAT = "kinerja-ledger-audit-export/1"


STREAM_EXPORT_FORMAT = "kinerja-ledger-audit-stream-export/1"


PROOF_FIELD = "inclusion_proof"


EVENTS_FILE = "events.ndjson"


CHECKPOINT_FILE = "checkpoint"


KEY_FILE = "log.vkey"


MANIFEST_FILE = "manifest.json"


class UnusableInput(Exception):
    """The export or a key cannot be read at all (exit status 2)."""


@dataclass
class Entry:
    __slots__ = (
        "chain_hash",
        "event_id",
        "leaf_hash",
        "leaf_index",
        "logged_event_id",
        "originator_id",
        "originator_version",
        "position",
        "state",
        "topic",
    )
    leaf_index: int | None
    position: int
    leaf_hash: bytes
    chain_hash: bytes
    event_id: str | None
    logged_event_id: str | None
    originator_id: str | None
    originator_version: int | None
    topic: str | None
    state: bytes | None

    def where(self) -> dict[str, Any]:
        """Where a failure about this line is: position, event and stream version."""
        return {
            "position": self.position,
            "event_id": self.event_id,
            "stream": self.originator_id,
            "version": self.originator_version,
        }


def entry_identity(entry: Entry) -> tuple[str | None, int | None]:
    """(stream, version) of a line: of the stored event, or of the event the log recorded there."""
    if entry.originator_id is not None:
        return entry.originator_id, entry.originator_version
    if entry.logged_event_id is None or ":" not in entry.logged_event_id:
        return None, None
    stream, _, version = entry.logged_event_id.rpartition(":")
    # isdigit() alone admits digits such as "²" that int() refuses.
    return stream, int(version) if version.isascii() and version.isdigit() else None


def parse_proof(value: object) -> list[bytes]:
    if not isinstance(value, list):
        raise ValueError(f"{PROOF_FIELD} must be a list of base64 hashes")
    proof = []
    for item in value:
        if type(item) is not str:
            raise ValueError(f"{PROOF_FIELD} must be a list of base64 hashes")
        raw = base64.b64decode(item, validate=True)
        if len(raw) != HASH_SIZE:
            raise ValueError(f"{PROOF_FIELD} hashes must be {HASH_SIZE} bytes")
        proof.append(raw)
    return proof


def is_count(value: object) -> bool:
    # bool is not an int here; the leaf encoding holds indexes and versions as u64.
    return type(value) is int and 0 <= value <= U64_MAX


def _opt_str(obj: dict[str, Any], name: str) -> str | None:
    value = obj.get(name)
    if value is not None and type(value) is not str:
        raise ValueError(f"{name} must be a string or null")
    return value


def _hash(value: object, name: str) -> bytes:
    if type(value) is not str or len(value) != 2 * HASH_SIZE:
        raise ValueError(f"{name} must be 64 hex digits")
    return bytes.fromhex(value)


def parse_entry(obj: dict[str, Any]) -> Entry:
    """Strict, but cheap: this runs once per event (a million times for a large log)."""
    leaf_index = obj.get("leaf_index")
    if leaf_index is not None and not is_count(leaf_index):
        raise ValueError("leaf_index must be a non-negative 64-bit integer or null")
    position = obj.get("position")
    if type(position) is not int or position < 0:
        raise ValueError("position must be a non-negative integer")
    state_b64 = _opt_str(obj, "state")
    originator_id = _opt_str(obj, "originator_id")
    topic = _opt_str(obj, "topic")
    version = obj.get("originator_version")
    if state_b64 is not None:
        if originator_id is None or topic is None or version is None:
            raise ValueError("an event needs originator_id, originator_version, topic and state")
        if not is_count(version):
            raise ValueError("originator_version must be a non-negative 64-bit integer")
        if not topic.isascii():
            try:
                topic.encode("utf-8")  # the leaf hash is over its UTF-8 bytes
            except UnicodeEncodeError:
                raise ValueError("topic is not valid Unicode (a lone surrogate)") from None
        state: bytes | None = base64.b64decode(state_b64, validate=True)
    else:
        originator_id = topic = version = state = None
    logged = leaf_index is not None
    return Entry(
        leaf_index,
        position,
        _hash(obj.get("leaf_hash"), "leaf_hash") if logged else b"",
        _hash(obj.get("chain_hash"), "chain_hash") if logged else b"",
        _opt_str(obj, "event_id"),
        _opt_str(obj, "logged_event_id"),
        originator_id,
        version,
        topic,
        state,
    )


def parse_line(raw: bytes) -> Entry:
    """``parse_entry(json.loads(raw))`` (a line that is not a JSON object raises ValueError), faster.

    A line of the usual shape is parsed by orjson and checked inline; anything else goes the
    standard library's way, so every line is accepted or refused, with the same message, as by
    ``json.loads`` and ``parse_entry`` alone (tests/audit/test_audit_verify_fast_parse.py).
    """
    entry = fast_entry(raw)
    if entry is not None:
        return entry
    obj = json.loads(raw)
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    return parse_entry(obj)


def fast_entry(raw: bytes) -> Entry | None:
    """The Entry of a well-formed line holding a logged event, or None for the slow path to decide.

    orjson refuses some lines json.loads accepts (NaN, a byte order mark, lone surrogates,
    nesting deeper than 1,024) and reads integers beyond 64 bits as floats: a refusal, and any
    number field that is not an int, falls back. A line with no "[" and one "{" has no nesting,
    so json.loads cannot hit its recursion limit on what orjson accepted. The checks below are
    parse_entry's for the case it accepts with a state; any failure falls back, and parse_entry
    then raises its own message.
    """
    if 91 in raw or raw.count(b"{") != 1:  # 91 is "[" (an int: memchr, no bytes search)
        return None
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if type(obj) is not dict:
        return None
    get = obj.get
    leaf_index, position, version = get("leaf_index"), get("position"), get("originator_version")
    state, oid, topic = get("state"), get("originator_id"), get("topic")
    leaf, chain = get("leaf_hash"), get("chain_hash")
    event_id, logged = get("event_id"), get("logged_event_id")
    if not (
        type(leaf_index) is int
        and 0 <= leaf_index <= U64_MAX
        and type(position) is int
        and position >= 0
        and type(version) is int
        and 0 <= version <= U64_MAX
        and type(state) is str
        and type(oid) is str
        and type(topic) is str
        and topic.isascii()
        and type(leaf) is str
        and len(leaf) == 2 * HASH_SIZE
        and type(chain) is str
        and len(chain) == 2 * HASH_SIZE
        and (event_id is None or type(event_id) is str)
        and (logged is None or type(logged) is str)
    ):
        return None
    try:
        # base64.b64decode(validate=True) is this call after encoding the str to ASCII.
        decoded = binascii.a2b_base64(state, strict_mode=True)
        leaf_bytes, chain_bytes = bytes.fromhex(leaf), bytes.fromhex(chain)
    except ValueError:
        return None
    return Entry(
        leaf_index, position, leaf_bytes, chain_bytes, event_id, logged, oid, version, topic, decoded
    )


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def parse_stream_id(text: str) -> bytes:
    """The 16 bytes of a canonical (lower-case, hyphenated) UUID; anything else is malformed."""
    if _CANONICAL_UUID.fullmatch(text):  # what str(UUID(text)) gives back: its bytes, without UUID
        return bytes.fromhex(text.replace("-", ""))
    value = UUID(text)
    if str(value) != text:
        raise ValueError("originator_id must be a canonical lower-case UUID")
    return value.bytes


def load_verifier(value: str) -> Verifier:
    """A verifier key given as a file path or as the key string itself."""
    path = Path(value)
    try:
        text = path.read_text(encoding="utf-8").strip() if path.is_file() else value.strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise UnusableInput(f"cannot read key {value}: {exc}") from None
    try:
        return parse_verifier_key(text)
    except NoteError as exc:
        raise UnusableInput(f"not a verifier key ({value}): {exc}") from None


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnusableInput(f"cannot read {path}: {exc}") from None


def open_checkpoint(note: str, verifier: Verifier) -> tuple[Checkpoint | None, str]:
    """(checkpoint, signature verdict) of a signed checkpoint note."""
    try:
        text, _ = open_note(note, [verifier])
    except NoteError as exc:
        try:
            unsigned = parse_checkpoint(note[: note.rfind("\n\n") + 1]) if "\n\n" in note else None
        except NoteError:
            unsigned = None
        return unsigned, f"invalid: {exc}"
    try:
        return parse_checkpoint(text), "valid"
    except NoteError as exc:
        return None, f"invalid: {exc}"


def read_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    try:
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, line
    except OSError as exc:
        raise UnusableInput(f"cannot read {path}: {exc}") from None


@dataclass
class Kept:
    """An earlier checkpoint the auditor kept (from a checkpoint file or an earlier export)."""

    source: str
    checkpoint: Checkpoint | None = None
    signature: str = "unchecked"
    leaf_hashes: bytearray | None = None  # authenticated leaf hashes of an earlier export
    recomputed_root: bytes | None = None
    published_root: bytes | None = None
    consistent: bool | None = None
    published_matches: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        c = self.checkpoint
        return {
            "source": self.source,
            "size": None if c is None else c.size,
            "root": None if c is None else base64.b64encode(c.root).decode(),
            "signature": self.signature,
            "earlier_export": self.leaf_hashes is not None,
            "consistent": self.consistent,
            "published_hashes_match": self.published_matches,
        }

"""The verifier's orjson path (ledger.audit.verify.format.parse_line, the parallel scan_chunk)
against the standard library's: every line is accepted or refused as ``json.loads`` and
``parse_entry`` do, with the same message, and a tampered export gets the same report whichever
path read it, sequentially or on both cores."""

from __future__ import annotations

import json
import shutil
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.verify_1m import generate
from ledger.audit.encoding import LeafHasher, event_leaf_hash
from ledger.audit.verify import EVENTS_FILE, KEY_FILE, format, load_verifier, parallel, verify_export
from ledger.audit.verify.format import Entry, parse_entry, parse_line, parse_stream_id

EVENTS = 400
CHUNK = 20_000  # bytes: about 20 lines a chunk


def stdlib_entry(raw: bytes) -> Entry:
    """What Scan.feed did before orjson: the reference parse_line must agree with."""
    obj = json.loads(raw)
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    return parse_entry(obj)


def outcome(parse: Any, raw: bytes | str) -> tuple[str, object]:
    try:
        return "entry", parse(raw)
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        return type(exc).__name__, str(exc)


def assert_same(raw: bytes) -> None:
    assert outcome(parse_line, raw) == outcome(stdlib_entry, raw), raw[:200]


LINE = {
    "leaf_index": 3,
    "position": 16,
    "leaf_hash": "ab" * 32,
    "chain_hash": "cd" * 32,
    "event_id": "2606430c-a8ad-585b-82f6-edc266eb4c37:2",
    "originator_id": "2606430c-a8ad-585b-82f6-edc266eb4c37",
    "originator_version": 2,
    "topic": "ledger.domain.employee:Employee.TrainingRecorded",
    "state": "eyJ0aXRsZSI6InBlbGF0aWhhbiJ9",
}


def with_field(name: str, token: str) -> bytes:
    """LINE with one field's value written as the raw JSON text `token`."""
    placeholder = "__FIELD__"
    text = json.dumps({**LINE, name: placeholder}, separators=(",", ":"))
    return text.replace(json.dumps(placeholder), token).encode()


# JSON texts where orjson and json.loads part ways, or that parse_entry refuses.
TOKENS = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    str(2**64),
    str(2**64 - 1),
    str(-(2**63) - 1),
    "123456789012345678901234567890",
    "1.0",
    "-0",
    "-0.0",
    "true",
    "null",
    '"\\ud800"',
    '"\\udc00x"',
    '"\\u0000"',
    '"AB' + "CD" * 31 + '"',  # upper-case hex: accepted by bytes.fromhex
    '"' + "ab " * 21 + 'a"',  # 64 characters with spaces: bytes.fromhex skips them
    '"QQ=="',
    '"QR=="',
    '"QQ"',
    '"Q Q=="',
    '"=QQQ"',
    '"QQ==QQ=="',
    '"\u00e9"',
    "[1]",
    "[]",
    "{}",
    '{"a":[1,{"b":NaN}]}',
    "[" * 990 + "]" * 990,
    "[" * 1100 + "]" * 1100,
    '"x"',
    "7",
]
FIELDS = [*LINE, "logged_event_id", "extra"]


@pytest.mark.parametrize("field", FIELDS)
def test_each_edge_value_in_each_field_is_read_as_json_loads_reads_it(field: str) -> None:
    for token in TOKENS:
        assert_same(with_field(field, token))


RAW_LINES = [
    json.dumps(LINE).encode(),
    json.dumps(LINE).encode() + b"\n",
    json.dumps(LINE).encode() + b"\r\n",
    b"\xef\xbb\xbf" + json.dumps(LINE).encode(),  # a UTF-8 byte order mark: json.loads accepts it
    json.dumps(LINE).encode().replace(b'"topic"', b'"topic":"x","topic"'),  # a repeated key: the last
    json.dumps(LINE).encode().replace(b"Employee", b"\xed\xa0\x80"),  # a surrogate in UTF-8
    json.dumps(LINE).encode().replace(b"Employee", b"\xff"),
    json.dumps(LINE).encode().replace(b"Employee", b"Empl\x01oyee"),
    json.dumps(LINE).encode()[:-1],
    json.dumps(LINE).encode() + b"x",
    json.dumps(LINE).encode() + b"\x00",
    json.dumps(LINE).encode().replace(b"{", b"\x00{", 1),
    json.dumps(LINE, ensure_ascii=False).encode("utf-16"),
    b"{not json",
    b"{}",
    b'"{"',
    b"[1, 2]",
    b"   ",
    b"",
]


@pytest.mark.parametrize("raw", RAW_LINES)
def test_odd_lines_are_read_as_json_loads_reads_them(raw: bytes) -> None:
    assert_same(raw)


BYTES = b'{}[]",:\\ \t\r\n\x00\x01\xff\xef\xbb\xbf\xed\xa0\x80019eE.+-aAfFnNuItrsl='


@given(st.data())
def test_mutated_lines_are_read_as_json_loads_reads_them(data: st.DataObject) -> None:
    raw = bytearray(data.draw(st.sampled_from([json.dumps(LINE).encode(), with_field("position", "1e2")])))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw)))
        what = data.draw(st.sampled_from(["insert", "replace", "delete"]))
        piece = bytes(data.draw(st.lists(st.sampled_from(list(BYTES)), min_size=1, max_size=3)))
        if what == "insert":
            raw[at:at] = piece
        elif what == "replace":
            raw[at : at + len(piece)] = piece
        else:
            del raw[at : at + len(piece)]
    assert_same(bytes(raw))


# ----------------------------------------------------------------------------- whole exports


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("export")
    generate(directory, EVENTS, 7, seed=11)
    return directory


def report(directory: Path, monkeypatch: pytest.MonkeyPatch, *, fast: bool, on_cores: bool) -> dict[str, Any]:
    with monkeypatch.context() as patch:
        if not fast:  # every line the standard library's way, as before orjson
            patch.setattr(format, "fast_entry", lambda raw: None)
        patch.setattr(parallel, "PARALLEL_MIN_BYTES", 0 if on_cores else 1 << 62)
        patch.setattr(parallel, "CHUNK_BYTES", CHUNK)
        patch.setenv("LEDGER_VERIFY_WORKERS", "2")
        key = load_verifier(str(directory / KEY_FILE))
        return verify_export(directory, key, [directory / "kept-checkpoint"]).as_dict()


def tamper(export: Path, tmp_path: Path, change: str) -> Path:
    directory = tmp_path / change
    shutil.copytree(export, directory)
    path = directory / EVENTS_FILE
    lines = path.read_bytes().split(b"\n")
    at = len(lines) // 3
    obj = json.loads(lines[at])
    edits: dict[str, Any] = {
        "reordered": None,
        "truncated": None,
        "state": {"state": obj["state"][:-4] + ("AAAA" if obj["state"][-4:] != "AAAA" else "BBBB")},
        "bad-json": None,
        "nan-position": "NaN",
        "big-position": str(2**70),
        "float-version": "2.0",
        "upper-case-hex": {"leaf_hash": obj["leaf_hash"].upper(), "chain_hash": obj["chain_hash"].upper()},
        "surrogate-topic": '"\\ud800"',
        "nested-extra": None,
        "byte-order-mark": None,
        "event-id-a-number": {"event_id": 7},
        "logged-id-a-number": {"logged_event_id": 7},
        "no-chain-hash": None,
    }
    edit = edits[change]
    if change == "reordered":
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    elif change == "truncated":
        lines = lines[: at + 1]
    elif change == "bad-json":
        lines[at] = lines[at][:-5]
    elif change == "nested-extra":
        lines[at] = lines[at][:-1] + b',"extra":[[1,{"a":1e999}]]}'
    elif change == "byte-order-mark":
        lines[at] = b"\xef\xbb\xbf" + lines[at]
    elif change == "no-chain-hash":
        del obj["chain_hash"]
        lines[at] = json.dumps(obj).encode()
    elif isinstance(edit, dict):
        lines[at] = json.dumps({**obj, **edit}).encode()
    else:
        name = {"nan-position": "position", "big-position": "position", "float-version": "originator_version"}
        lines[at] = (
            json.dumps({**obj, name.get(change, "topic"): "__V__"})
            .encode()
            .replace(b'"__V__"', edit.encode())
        )
    path.write_bytes(b"\n".join(lines))
    return directory


CHANGES = [
    "reordered",
    "truncated",
    "state",
    "bad-json",
    "nan-position",
    "big-position",
    "float-version",
    "upper-case-hex",
    "surrogate-topic",
    "nested-extra",
    "byte-order-mark",
    "event-id-a-number",
    "logged-id-a-number",
    "no-chain-hash",
]


def test_a_clean_export_gets_the_same_report_either_way(
    export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = report(export, monkeypatch, fast=False, on_cores=False)
    assert before["ok"] is True and before["leaves"]["count"] == EVENTS
    assert report(export, monkeypatch, fast=True, on_cores=False) == before
    assert report(export, monkeypatch, fast=True, on_cores=True) == before


@pytest.mark.parametrize("change", CHANGES)
def test_a_tampered_export_gets_the_same_report_either_way(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    directory = tamper(export, tmp_path, change)
    before = report(directory, monkeypatch, fast=False, on_cores=False)
    assert report(directory, monkeypatch, fast=True, on_cores=False) == before
    assert report(directory, monkeypatch, fast=True, on_cores=True) == before
    # Accepted by bytes.fromhex, json.loads and so by the verifier: the parallel pass hands over.
    accepted = ("upper-case-hex", "byte-order-mark", "nested-extra")
    assert before["ok"] is (change in accepted), before["first_failure"]
    if change in accepted:
        assert parallel.parallel_scan(directory / EVENTS_FILE, [EVENTS], workers=2, chunk_bytes=CHUNK) is None


def test_workers_are_spawned_when_other_threads_run(export: Path) -> None:
    """fork only from a process with one thread (the CLI); beside a thread, spawn, same result."""
    sizes = [EVENTS // 2, EVENTS]
    alone = parallel._start_method()
    forked = parallel.parallel_scan(export / EVENTS_FILE, sizes, workers=2, chunk_bytes=CHUNK)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel._start_method() == "spawn"
        spawned = parallel.parallel_scan(export / EVENTS_FILE, sizes, workers=2, chunk_bytes=CHUNK)
    finally:
        stop.set()
        other.join()
    assert alone == ("fork" if threading.active_count() == 1 else "spawn")
    assert forked is not None and spawned is not None
    assert forked.roots_recomputed == spawned.roots_recomputed and forked.next_index == EVENTS


def test_the_leaf_hasher_gives_event_leaf_hash() -> None:
    hasher = LeafHasher()
    raw_id = bytes(range(16))
    for i in range(1300):  # more topics than it keeps
        topic, state = f"t\u00e9{i % 1100}", bytes([i % 256]) * (i % 700)
        assert hasher(i, raw_id, i + 1, topic, state) == event_leaf_hash(i, raw_id, i + 1, topic, state)
    assert hasher(2**64 - 1, raw_id, 2**64 - 1, "", b"") == event_leaf_hash(
        2**64 - 1, raw_id, 2**64 - 1, "", b""
    )
    for args in ((2**64, raw_id, 1, "t", b""), (1, raw_id[:15], 1, "t", b""), (1, raw_id, 1, "\ud800", b"")):
        with pytest.raises(ValueError) as ours:
            hasher(*args)
        with pytest.raises(ValueError) as theirs:
            event_leaf_hash(*args)
        assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))


def reference_stream_id(text: str) -> bytes:
    """parse_stream_id as it was: through uuid.UUID."""
    value = uuid.UUID(text)
    if str(value) != text:
        raise ValueError("originator_id must be a canonical lower-case UUID")
    return value.bytes


@pytest.mark.parametrize(
    "text",
    [
        LINE["originator_id"],
        LINE["originator_id"].upper(),
        LINE["originator_id"][:8].upper() + LINE["originator_id"][8:],
        "{" + LINE["originator_id"] + "}",
        "urn:uuid:" + LINE["originator_id"],
        LINE["originator_id"].replace("-", ""),
        LINE["originator_id"] + "\n",
        " " + LINE["originator_id"],
        LINE["originator_id"][:-1] + "\u0663",  # an Arabic-Indic digit: int() reads it
        LINE["originator_id"][:-1] + "g",
        LINE["originator_id"][:8] + LINE["originator_id"][9:] + "0",
        "",
    ],
)
def test_a_stream_id_is_read_as_uuid_reads_it(text: str) -> None:
    assert outcome(parse_stream_id, text) == outcome(reference_stream_id, text)

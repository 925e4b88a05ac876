"""The offline verifier on hand-made exports (no database): the leaf encoding byte by byte, and
each kind of failure located as precisely as the data allows."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from ledger.audit.encoding import GENESIS_CHAIN, chain_hash, encode_leaf, event_leaf_hash
from ledger.audit.merkle import EMPTY_ROOT, MerkleAccumulator
from ledger.audit.note import Signer, format_checkpoint, generate_signer, parse_signer_key, sign_note
from ledger.audit.verify import (
    CHECKPOINT_FILE,
    EVENTS_FILE,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNUSABLE,
    EXPORT_FORMAT,
    KEY_FILE,
    MANIFEST_FILE,
    run,
)

ORIGIN = "kinerja-ledger/test"
A = UUID("6f1b3c2e-5d0a-5b7e-9c41-2a8e7d3f0b19")
B = UUID("0a0b0c0d-0e0f-5011-8213-141516171819")
TOPIC = "ledger.domain.employee:Employee.TrainingRecorded"


def test_leaf_encoding_byte_by_byte() -> None:
    raw = encode_leaf(258, A, 3, "t\u00e9", b"\x00\xff")
    expected = (
        b"\x00\x00\x00\x00\x00\x00\x01\x02"  # u64 leaf index 258
        + bytes.fromhex("6f1b3c2e5d0a5b7e9c412a8e7d3f0b19")  # 16-byte uuid
        + b"\x00\x00\x00\x00\x00\x00\x00\x03"  # u64 version 3
        + b"\x00\x00\x00\x03"  # u32 topic length (UTF-8 bytes)
        + b"t\xc3\xa9"
        + b"\x00\x00\x00\x02"  # u32 state length
        + b"\x00\xff"
    )
    assert raw == expected
    assert event_leaf_hash(258, A, 3, "t\u00e9", b"\x00\xff") == hashlib.sha256(b"\x00" + expected).digest()
    leaf = hashlib.sha256(b"leaf").digest()
    assert chain_hash(GENESIS_CHAIN, leaf) == hashlib.sha256(b"\x02" + bytes(32) + leaf).digest()
    with pytest.raises(ValueError):
        encode_leaf(-1, A, 1, "t", b"")
    with pytest.raises(ValueError):
        chain_hash(b"short", leaf)


@dataclass
class Event:
    stream: UUID
    version: int
    state: bytes
    topic: str = TOPIC


@dataclass
class Log:
    """A correct log with its signer, written as an export by `write`."""

    events: list[Event]
    signer: Signer
    vkey: str

    def lines(self) -> list[dict[str, Any]]:
        chains: dict[UUID, bytes] = {}
        out = []
        for i, e in enumerate(self.events):
            leaf = event_leaf_hash(i, e.stream, e.version, e.topic, e.state)
            chains[e.stream] = chain_hash(chains.get(e.stream, GENESIS_CHAIN), leaf)
            out.append(
                {
                    "leaf_index": i,
                    "position": 10 + 2 * i,
                    "leaf_hash": leaf.hex(),
                    "chain_hash": chains[e.stream].hex(),
                    "event_id": f"{e.stream}:{e.version}",
                    "originator_id": str(e.stream),
                    "originator_version": e.version,
                    "topic": e.topic,
                    "state": base64.b64encode(e.state).decode(),
                }
            )
        return out

    def checkpoint(self, size: int | None = None, signer: Signer | None = None, origin: str = ORIGIN) -> str:
        size = len(self.events) if size is None else size
        tree = MerkleAccumulator()
        for line in self.lines()[:size]:
            tree.append(bytes.fromhex(line["leaf_hash"]))
        return sign_note(format_checkpoint(origin, size, tree.root()), signer or self.signer)

    def write(
        self, directory: Path, lines: list[dict[str, Any]] | None = None, note: str | None = None
    ) -> Path:
        directory.mkdir(parents=True)
        rows = self.lines() if lines is None else lines
        (directory / EVENTS_FILE).write_text("".join(json.dumps(r) + "\n" for r in rows))
        (directory / CHECKPOINT_FILE).write_text(note or self.checkpoint())
        (directory / KEY_FILE).write_text(self.vkey + "\n")
        (directory / MANIFEST_FILE).write_text(json.dumps({"format": EXPORT_FORMAT}))
        return directory


def make_log(n: int = 12) -> Log:
    secret, vkey = generate_signer(ORIGIN)
    versions = {A: 0, B: 0}
    events = []
    for i in range(n):
        stream = A if i % 3 else B
        versions[stream] += 1
        events.append(
            Event(stream, versions[stream], json.dumps({"i": i, "title": f"Pelatihan {i}"}).encode())
        )
    return Log(events, parse_signer_key(secret), vkey)


def keep(tmp_path: Path, name: str, note: str) -> Path:
    path = tmp_path / name
    path.write_text(note)
    return path


def verify(
    log: Log, directory: Path, *previous: Path, key: str | None = "pinned"
) -> tuple[dict[str, Any], int]:
    return run(directory, log.vkey if key == "pinned" else key, list(previous))


def kinds(report: dict[str, Any]) -> list[str]:
    return [f["kind"] for f in report["failures"]]


def test_a_correct_export_verifies(tmp_path: Path) -> None:
    log = make_log()
    export = log.write(tmp_path / "e")
    previous = keep(tmp_path, "c5", log.checkpoint(5))
    report, status = verify(log, export, previous)
    assert status == EXIT_OK and report["ok"], report["failures"]
    assert report["key"]["pinned"] is True and report["warnings"] == []
    assert report["checkpoint"]["root_matches"] is True
    assert report["checkpoint"]["published_hashes_match"] is True
    assert report["streams"] == {"count": 2, "failing": 0}
    assert report["previous"][0]["consistent"] is True


def test_unpinned_key_is_a_warning_and_a_wrong_key_a_failure(tmp_path: Path) -> None:
    log = make_log()
    export = log.write(tmp_path / "e")
    report, status = verify(log, export, key=None)
    assert status == EXIT_OK and report["key"]["pinned"] is False
    assert report["warnings"] == [
        (
            "the verifier key was taken from the export itself, so the signature only shows the "
            "export is self-consistent: pin the log's key with --key"
        )
    ]
    _, other = generate_signer(ORIGIN)
    report, status = verify(log, export, key=other)
    assert status == EXIT_FAILED
    assert report["first_failure"] == {
        "kind": "signature",
        "message": "the export's checkpoint does not verify with the pinned key: "
        "invalid: no signature from a known key",
    }
    assert report["warnings"] == ["the export's log.vkey differs from the pinned key"]


def test_an_empty_log_verifies(tmp_path: Path) -> None:
    log = make_log(0)
    export = log.write(tmp_path / "e")
    assert base64.b64encode(EMPTY_ROOT).decode() in log.checkpoint()
    report, status = verify(log, export)
    assert status == EXIT_OK, report


def test_altered_state_is_located_and_authenticated_by_the_signed_checkpoint(tmp_path: Path) -> None:
    log = make_log()
    lines = log.lines()
    lines[7]["state"] = base64.b64encode(b'{"i": 7, "title": "Pelatihan 8"}').decode()
    report, status = verify(log, log.write(tmp_path / "e", lines))
    assert status == EXIT_FAILED
    first = report["first_failure"]
    assert (first["kind"], first["leaf_index"], first["position"]) == ("leaf-mismatch", 7, 24)
    assert first["authenticated_by"] == "checkpoint of the export (size 12)"
    stream = [f for f in report["failures"] if f["kind"] == "stream-chain"]
    assert [(f["stream"], f["version"]) for f in stream] == [(str(A), lines[7]["originator_version"])]


def test_stream_gap_is_named_when_every_hash_is_consistent(tmp_path: Path) -> None:
    log = make_log()
    log.events[4] = Event(A, 9, log.events[4].state)  # A's version 4 never stored; hashes agree
    report, status = verify(log, log.write(tmp_path / "e"))
    assert status == EXIT_FAILED
    assert kinds(report) == ["stream-version"]
    first = report["first_failure"]
    assert (first["stream"], first["version"], first["leaf_index"]) == (str(A), 3, 4)


def test_unlogged_and_malformed_lines(tmp_path: Path) -> None:
    log = make_log()
    lines = log.lines()
    extra = {**lines[3], "leaf_index": None, "position": 17, "event_id": f"{B}:99", "originator_version": 99}
    del extra["leaf_hash"], extra["chain_hash"]
    rows = [*lines[:4], extra, *lines[4:]]
    report, status = verify(log, log.write(tmp_path / "e", rows))
    assert status == EXIT_FAILED
    assert kinds(report) == ["unlogged-event"]
    assert report["first_failure"]["position"] == 17 and report["leaves"]["unlogged_events"] == 1

    rows = [*lines]
    rows[2] = {**rows[2], "leaf_hash": "zz"}
    report, status = verify(log, log.write(tmp_path / "m", rows))
    assert status == EXIT_FAILED
    first = report["first_failure"]
    assert (first["kind"], first["leaf_index"]) == ("malformed-line", 2)
    assert first["message"] == "events.ndjson line 3: leaf_hash must be 64 hex digits"


def test_kept_checkpoints_catch_truncation_equivocation_and_another_log(tmp_path: Path) -> None:
    log = make_log(12)
    bigger = make_log(15)
    bigger.events[:12] = log.events
    bigger.signer, bigger.vkey = log.signer, log.vkey
    kept15 = keep(tmp_path, "c15", bigger.checkpoint())
    kept4 = keep(tmp_path, "c4", log.checkpoint(4))
    export = log.write(tmp_path / "e")
    report, status = verify(log, export, kept4, kept15)
    assert status == EXIT_FAILED
    truncated = report["first_failure"]
    assert truncated["kind"] == "previous-truncated"
    assert truncated["located_between"] == [4, 13]

    other = make_log(12)
    other.events[5] = Event(other.events[5].stream, other.events[5].version, b"{}")
    other.signer, other.vkey = log.signer, log.vkey
    same_size = keep(tmp_path, "c12-other", other.checkpoint())
    report, status = verify(log, export, same_size)
    assert status == EXIT_FAILED
    assert kinds(report) == ["equivocation", "previous-inconsistent"]

    foreign = keep(tmp_path, "foreign", log.checkpoint(6, origin="another/log"))
    report, status = verify(log, export, foreign)
    assert status == EXIT_FAILED
    assert kinds(report) == ["previous-origin"]


def test_a_kept_earlier_export_locates_a_consistently_rewritten_leaf(tmp_path: Path) -> None:
    log = make_log(12)
    earlier = log.write(tmp_path / "earlier")
    kept6 = keep(tmp_path, "c6", log.checkpoint(6))
    rewritten = make_log(12)
    rewritten.events = list(log.events)
    rewritten.events[8] = Event(log.events[8].stream, log.events[8].version, b'{"forged": true}')
    rewritten.signer, rewritten.vkey = log.signer, log.vkey  # the insider holds the key
    export = rewritten.write(tmp_path / "e")
    report, status = verify(log, export, kept6, keep(tmp_path, "c12", log.checkpoint()))
    assert status == EXIT_FAILED
    assert report["first_failure"]["kind"] == "equivocation"
    assert report["first_failure"]["located_between"] == [6, 12]
    bounded = [f for f in report["failures"] if f["kind"] == "previous-inconsistent"]
    assert [f["located_between"] for f in bounded] == [[6, 12]]

    report, status = verify(log, export, earlier)
    first = report["first_failure"]
    assert (first["kind"], first["leaf_index"]) == ("previous-export-mismatch", 8)


def test_unusable_inputs_exit_2(tmp_path: Path) -> None:
    log = make_log()
    report, status = verify(log, tmp_path / "missing")
    assert (status, report["error"]) == (EXIT_UNUSABLE, f"{tmp_path / 'missing'} is not a directory")
    report, status = verify(log, log.write(tmp_path / "e"), key="not-a-key")
    assert (status, report["error"]) == (
        EXIT_UNUSABLE,
        "not a verifier key (not-a-key): verifier key must be name+keyid+key",
    )
    broken = log.write(tmp_path / "b")
    (broken / MANIFEST_FILE).write_text(json.dumps({"format": "something-else"}))
    report, status = verify(log, broken)
    assert (status, report["error"]) == (
        EXIT_UNUSABLE,
        f"{broken / MANIFEST_FILE} is not a {EXPORT_FORMAT} manifest",
    )


def test_a_corrupted_kept_export_is_reported_not_trusted(tmp_path: Path) -> None:
    log = make_log()
    earlier = log.write(tmp_path / "earlier")
    lines = (earlier / EVENTS_FILE).read_text().splitlines()
    (earlier / EVENTS_FILE).write_text("\n".join(lines[:-1]) + "\n")
    report, status = verify(log, log.write(tmp_path / "e"), earlier)
    assert status == EXIT_FAILED
    assert kinds(report) == ["previous-unusable"]


def test_struct_layout_is_big_endian() -> None:
    assert encode_leaf(1, B, 1, "", b"")[:8] == struct.pack(">Q", 1)


def test_an_altered_published_hash_is_located_but_not_authenticated(tmp_path: Path) -> None:
    log = make_log()
    lines = log.lines()
    lines[3]["leaf_hash"] = "00" * 32  # the stored event is fine; the published hash is not
    report, status = verify(log, log.write(tmp_path / "e", lines))
    assert status == EXIT_FAILED
    first = report["first_failure"]
    assert (first["kind"], first["leaf_index"], first["authenticated_by"]) == ("leaf-mismatch", 3, None)
    assert report["checkpoint"]["root_matches"] is True
    assert report["checkpoint"]["published_hashes_match"] is False
    assert kinds(report) == ["leaf-mismatch"]

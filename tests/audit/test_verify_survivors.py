"""The offline verifier's report pinned where the mutation run of ledger/audit/verify/ found it
loose: every field of a clean report, each failure whole (kind, message, location,
authentication), the counts, the order in which the first failure is chosen, and the edges of
the input checks (64-bit leaf index, position 0, latest version 1, odd logged event ids).

Exports are written by hand (no database), as in test_audit_verify_errors.py. Each test names
the surviving mutants it was written for (docs/TESTING.md, "Mutation testing").
"""

from __future__ import annotations

import base64
import json
import locale
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from ledger.audit.encoding import U64_MAX
from ledger.audit.merkle import MerkleAccumulator, inclusion_proof
from ledger.audit.note import generate_signer, parse_signer_key, parse_verifier_key
from ledger.audit.verify import (
    CHECKPOINT_FILE,
    EVENTS_FILE,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNUSABLE,
    EXPORT_FORMAT,
    KEY_FILE,
    MANIFEST_FILE,
    PROOF_FIELD,
    STREAM_EXPORT_FORMAT,
    export_format,
    run,
    verify_export,
)
from tests.audit.test_audit_verify import ORIGIN, A, B, Event, Log, keep, make_log
from tests.audit.test_audit_verify_errors import BUDI, SARI, stream_log, write_stream
from tests.factories import NIP_BUDI

LOG_4 = "checkpoint of the export (size 4)"
LOG_12 = "checkpoint of the export (size 12)"
# make_log(4): leaf 0 = B v1, 1 = A v1, 2 = A v2, 3 = B v2, at positions 10, 12, 14, 16.
# make_log(12): leaf i at position 10 + 2i; B at i = 0, 3, 6, 9, A elsewhere (leaf 8 = A v6).


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def root(log: Log, size: int) -> str:
    tree = MerkleAccumulator()
    for line in log.lines()[:size]:
        tree.append(bytes.fromhex(line["leaf_hash"]))
    return b64(tree.root())


def verify(directory: Path, key: str, *previous: Path) -> tuple[dict[str, Any], int]:
    return run(directory, key, list(previous))


def missing(line: dict[str, Any], logged: str | None = None) -> dict[str, Any]:
    """The line as the export writes it when the store no longer holds the event."""
    line = {**line, "event_id": None, "originator_id": None, "originator_version": None}
    line.update(topic=None, state=None)
    if logged is not None:
        line["logged_event_id"] = logged
    return line


def unlogged(line: dict[str, Any], position: int, version: int) -> dict[str, Any]:
    """A stored event the log does not contain (no leaf index, no hashes)."""
    extra = {**line, "leaf_index": None, "position": position, "originator_version": version}
    extra["event_id"] = f"{line['originator_id']}:{version}"
    del extra["leaf_hash"], extra["chain_hash"]
    return extra


def forged(log: Log, leaf: int) -> Log:
    """The same log with one event's state rewritten and every hash recomputed, signed with the
    log's own key: what an insider holding the key would publish."""
    events = list(log.events)
    events[leaf] = Event(events[leaf].stream, events[leaf].version, b'{"forged": true}')
    return Log(events, log.signer, log.vkey)


def budi_lines(log: Log) -> list[dict[str, Any]]:
    """Budi's lines of stream_log() (leaves 0, 2, 3 = versions 1, 2, 3) with inclusion proofs."""
    everything = log.lines()
    hashes = [bytes.fromhex(line["leaf_hash"]) for line in everything]
    for line in everything:
        line[PROOF_FIELD] = [b64(h) for h in inclusion_proof(hashes, line["leaf_index"], len(hashes))]
    return [line for line in everything if line["originator_id"] == str(BUDI)]


def stream_line(leaf: int, version: int, **more: Any) -> dict[str, Any]:
    """Location fields of a failure about Budi's `version` at `leaf` of stream_log()."""
    return {
        "leaf_index": leaf,
        "position": 10 + 2 * leaf,
        "event_id": f"{BUDI}:{version}",
        "stream": str(BUDI),
        "version": version,
        **more,
    }


# ----------------------------------------------------------------------------- a clean report, whole


def test_a_clean_report_is_pinned_field_by_field(tmp_path: Path) -> None:
    """Report.as_dict 5, 6, 16, 26; _begin 34, 40-44; Kept.as_dict 1, 7, 12."""
    log = make_log(4)
    export = log.write(tmp_path / "e")
    kept = keep(tmp_path, "kept-2", log.checkpoint(2))
    report, status = verify(export, log.vkey, kept)
    assert status == EXIT_OK
    assert report == {
        "ok": True,
        "export": str(export),
        "scope": "log",
        "key": {
            "name": ORIGIN,
            "key_id": log.vkey.split("+")[1],
            "vkey": log.vkey,
            "pinned": True,
        },
        "checkpoint": {
            "origin": ORIGIN,
            "size": 4,
            "root": root(log, 4),
            "signature": "valid",
            "root_matches": True,
            "published_hashes_match": True,
        },
        "leaves": {"count": 4, "mismatched": 0, "missing": 0, "unlogged_events": 0},
        "streams": {"count": 2, "failing": 0},
        "previous": [
            {
                "source": str(kept),
                "size": 2,
                "root": root(log, 2),
                "signature": "valid",
                "earlier_export": False,
                "consistent": True,
                "published_hashes_match": True,
            }
        ],
        "first_failure": None,
        "failure_count": 0,
        "failures": [],
        "warnings": [],
    }


def test_the_leaf_hashes_are_collected_only_when_asked(tmp_path: Path) -> None:
    """verify_export 1 (collect=True by default), Scan.__init__ 24 (collecting regardless)."""
    log = make_log(4)
    export = log.write(tmp_path / "e")
    key = parse_verifier_key(log.vkey)
    assert verify_export(export, key).collected is None
    hashes = b"".join(bytes.fromhex(line["leaf_hash"]) for line in log.lines())
    assert verify_export(export, key, collect=True).collected == bytearray(hashes)


def test_export_format_falls_back_to_the_whole_log_format(tmp_path: Path) -> None:
    """export_format 12: a manifest without a string format (or none at all) is a whole-log export."""
    log = make_log(1)
    export = log.write(tmp_path / "e")
    (export / MANIFEST_FILE).write_text(json.dumps({"format": 1}))
    assert export_format(export) == EXPORT_FORMAT
    (export / MANIFEST_FILE).unlink()
    assert export_format(export) == EXPORT_FORMAT
    (export / MANIFEST_FILE).write_text(json.dumps({"format": STREAM_EXPORT_FORMAT}))
    assert export_format(export) == STREAM_EXPORT_FORMAT


# ----------------------------------------------------------------------------- input edges


def test_the_largest_64_bit_leaf_index_is_read_then_found_out_of_place(tmp_path: Path) -> None:
    """is_count 6 (2**64 - 1 refused); Scan._leaf 4-8, 11-15 (the leaf-order failure's fields)."""
    log = make_log(4)
    lines = log.lines()
    lines[3]["leaf_index"] = U64_MAX
    report, status = verify(log.write(tmp_path / "e", lines), log.vkey)
    assert status == EXIT_FAILED
    assert report["failures"] == [
        {
            "kind": "leaf-order",
            "message": f"leaf index {2**64 - 1} where leaf 3 was expected (indexes must be dense)",
            "leaf_index": 3,
            "position": 16,
            "event_id": f"{B}:2",
        }
    ]


def test_position_0_is_read_and_found_out_of_order(tmp_path: Path) -> None:
    """parse_entry 19, 20 (position 0 refused as malformed)."""
    log = make_log(4)
    lines = log.lines()
    lines[0]["position"] = 0
    report, status = verify(log.write(tmp_path / "e", lines), log.vkey)
    assert status == EXIT_FAILED
    assert report["failures"] == [
        {
            "kind": "leaf-order",
            "message": "position 0 does not follow position 0",
            "leaf_index": 0,
            "position": 0,
            "event_id": f"{B}:1",
            "stream": str(B),
            "version": 1,
        }
    ]


def test_a_repeated_position_is_out_of_order(tmp_path: Path) -> None:
    """_check_position 2 (`>=` lets a repeated position through), 6 (its message)."""
    log = make_log(4)
    lines = log.lines()
    lines[2]["position"] = 12
    report, status = verify(log.write(tmp_path / "e", lines), log.vkey)
    assert status == EXIT_FAILED
    assert report["failures"] == [
        {
            "kind": "leaf-order",
            "message": "position 12 does not follow position 12",
            "leaf_index": 2,
            "position": 12,
            "event_id": f"{A}:2",
            "stream": str(A),
            "version": 2,
        }
    ]


def test_the_events_file_unreadable_midway_is_unusable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """read_lines 9 (the error names neither the file nor the cause)."""
    log = make_log(4)
    export = log.write(tmp_path / "e")
    events = export / EVENTS_FILE
    real_open = Path.open

    def refuse(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if self == events and mode == "rb":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    report, status = verify(export, log.vkey)
    assert (status, report) == (
        EXIT_UNUSABLE,
        {
            "ok": False,
            "export": str(export),
            "error": f"cannot read {events}: [Errno 13] Permission denied: '{events}'",
        },
    )


@contextmanager
def ascii_locale() -> Iterator[None]:
    """The C locale (ASCII), as on a host without a UTF-8 locale."""
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, before)


def test_export_files_are_read_as_utf8_whatever_the_locale(tmp_path: Path) -> None:
    """read_text 1, load_verifier 6 (encoding=None: the locale's encoding). The checkpoint's
    signature line starts with an em dash, so every export holds UTF-8 that is not ASCII."""
    log = make_log(4)
    export = log.write(tmp_path / "e")
    key = tmp_path / "pinned.vkey"
    key.write_text("kunci \u00e9\n", encoding="utf-8")
    with ascii_locale():
        clean, clean_status = verify(export, log.vkey)
        refused, refused_status = verify(export, str(key))
    assert (clean_status, clean["ok"], clean["warnings"]) == (EXIT_OK, True, [])
    assert (refused_status, refused["error"]) == (
        EXIT_UNUSABLE,
        f"not a verifier key ({key}): verifier key must be name+keyid+key",
    )


def test_a_note_with_two_blank_lines_is_not_read_up_to_the_first(tmp_path: Path) -> None:
    """open_checkpoint 12 (find instead of rfind): the unsigned text is what precedes the last
    blank line, which here is not a checkpoint."""
    log = make_log(4)
    body, _, signatures = log.checkpoint().partition("\n\n")
    note = f"{body}\n\nextra\n\n{signatures}"
    _, other = generate_signer(ORIGIN)
    report, status = verify(log.write(tmp_path / "e", note=note), other)
    assert status == EXIT_FAILED
    assert report["checkpoint"]["size"] is None
    assert [f["kind"] for f in report["failures"]] == ["signature"]


# ----------------------------------------------------------------------------- the first failure


def test_the_first_failure_is_the_unlogged_event_at_the_lowest_position(tmp_path: Path) -> None:
    """first_failure 12-15, 17, 19-22; _unlogged 1 (count)."""
    log = make_log(4)
    lines = log.lines()
    rows = [unlogged(lines[0], 1, 7), unlogged(lines[1], 0, 9), *lines]
    report, status = verify(log.write(tmp_path / "e", rows), log.vkey)
    assert status == EXIT_FAILED
    assert [f["kind"] for f in report["failures"]] == ["unlogged-event", "leaf-order", "unlogged-event"]
    assert report["first_failure"] == {
        "kind": "unlogged-event",
        "message": f"the store holds event {A}:9 at position 0, which the log does not contain",
        "position": 0,
        "event_id": f"{A}:9",
        "stream": str(A),
        "version": 9,
    }
    assert report["leaves"]["unlogged_events"] == 2


def test_the_first_failure_prefers_a_stream_failure_to_the_signature(tmp_path: Path) -> None:
    """first_failure 23, 24; _check_stream 22, 23, 29, 30 (position and event of a gap)."""
    log = make_log(12)
    log.events[4] = Event(A, 9, log.events[4].state)  # A's version 3 never stored
    _, other = generate_signer(ORIGIN)
    report, status = verify(log.write(tmp_path / "e"), other)
    assert status == EXIT_FAILED
    assert [f["kind"] for f in report["failures"]] == ["signature", "stream-version"]
    assert report["first_failure"] == {
        "kind": "stream-version",
        "message": f"stream {A}: version 3 is missing (found version 9 in its place)",
        "leaf_index": 4,
        "position": 18,
        "event_id": f"{A}:9",
        "stream": str(A),
        "version": 3,
    }


def test_a_repeated_version_appears_after_the_previous_one(tmp_path: Path) -> None:
    """_check_stream 16 (always "is missing"), 36 (always the expected version)."""
    log = make_log(12)
    log.events[4] = Event(A, 2, log.events[4].state)  # A's version 2 again where 3 belongs
    report, status = verify(log.write(tmp_path / "e"), log.vkey)
    assert status == EXIT_FAILED
    assert report["failures"] == [
        {
            "kind": "stream-version",
            "message": f"stream {A}: version 2 appears after version 2",
            "leaf_index": 4,
            "position": 18,
            "event_id": f"{A}:2",
            "stream": str(A),
            "version": 2,
        }
    ]


# ----------------------------------------------------------------------------- leaf failures, whole


def test_a_missing_event_without_a_logged_id_and_the_root_it_takes(tmp_path: Path) -> None:
    """_leaf_missing 22, 23 ('unknown event'); _append 12 and Scan._leaf 75 (the unrecomputable
    leaf named as None)."""
    log = make_log(4)
    lines = log.lines()
    lines[1] = missing(lines[1])
    report, status = verify(log.write(tmp_path / "e", lines), log.vkey)
    assert status == EXIT_FAILED
    assert report["failures"] == [
        {
            "kind": "leaf-missing",
            "message": "leaf 1: the store no longer holds the event the log recorded at position 12 (unknown event)",
            "leaf_index": 1,
            "position": 12,
            "authenticated_by": LOG_4,
        },
        {
            "kind": "stream-version",
            "message": f"stream {A}: version 1 is missing (found version 2 in its place)",
            "leaf_index": 2,
            "position": 14,
            "event_id": f"{A}:2",
            "stream": str(A),
            "version": 1,
        },
        {
            "kind": "stream-chain",
            "message": f"stream {A} version 2: chain hash does not match the previous link and this event",
            "leaf_index": 2,
            "position": 14,
            "event_id": f"{A}:2",
            "stream": str(A),
            "version": 2,
        },
        {
            "kind": "checkpoint-root",
            "message": "the root cannot be recomputed: leaf 1 has no stored event or is unreadable",
            "checkpoint": LOG_4,
        },
    ]
    checkpoint = report["checkpoint"]
    assert (checkpoint["root_matches"], checkpoint["published_hashes_match"]) == (None, True)


def test_an_unreadable_line_takes_both_roots(tmp_path: Path) -> None:
    """_check_current 17 (published_hashes_match False instead of None), 35, 38 (the
    checkpoint-root failure's checkpoint)."""
    log = make_log(4)
    rows = [json.dumps(line) for line in log.lines()]
    rows[3] = "{oops"
    export = log.write(tmp_path / "e")
    (export / EVENTS_FILE).write_text("\n".join(rows) + "\n")
    report, status = verify(export, log.vkey)
    assert status == EXIT_FAILED
    assert report["failures"][1:] == [
        {
            "kind": "checkpoint-root",
            "message": "the root cannot be recomputed: leaf 3 has no stored event or is unreadable",
            "checkpoint": LOG_4,
        }
    ]
    checkpoint = report["checkpoint"]
    assert (checkpoint["root_matches"], checkpoint["published_hashes_match"]) == (None, None)


def test_the_first_leaf_altered_is_reported_whole(tmp_path: Path) -> None:
    """_check_current 47-56 (the recomputed-root failure); Scan._append 2 (a first leaf that
    differs taken into the recomputed tree as published)."""
    log = make_log(4)
    lines = log.lines()
    lines[0]["state"] = b64(b'{"forged": 1}')
    report, status = verify(log.write(tmp_path / "e", lines), log.vkey)
    assert status == EXIT_FAILED
    assert report["failures"] == [
        {
            "kind": "leaf-mismatch",
            "message": f"leaf 0: stored event {B}:1 at position 10 does not hash to the published leaf hash",
            "leaf_index": 0,
            "position": 10,
            "event_id": f"{B}:1",
            "stream": str(B),
            "version": 1,
            "authenticated_by": LOG_4,
        },
        {
            "kind": "stream-chain",
            "message": f"stream {B} version 1: chain hash does not match the previous link and this event",
            "leaf_index": 0,
            "position": 10,
            "event_id": f"{B}:1",
            "stream": str(B),
            "version": 1,
        },
        {
            "kind": "checkpoint-root",
            "message": "the root recomputed from the stored events differs from the signed checkpoint's root",
            "checkpoint": LOG_4,
        },
    ]
    checkpoint = report["checkpoint"]
    assert (checkpoint["root_matches"], checkpoint["published_hashes_match"]) == (False, True)


def test_counts_of_missing_and_mismatched_leaves_and_failing_streams(tmp_path: Path) -> None:
    """_leaf_missing 1, _leaf_mismatch 1 (`= 1` for `+= 1`); Scan._leaf 67 (bad streams by id)."""
    log = make_log(4)
    lines = log.lines()
    lines[1] = missing(lines[1], logged=f"{A}:1")
    lines[2] = missing(lines[2], logged=f"{A}:2")
    report, _ = verify(log.write(tmp_path / "missing", lines), log.vkey)
    assert report["leaves"] == {"count": 4, "mismatched": 0, "missing": 2, "unlogged_events": 0}

    lines = log.lines()
    lines[0]["state"] = b64(b"{}")
    lines[1]["state"] = b64(b"{}")
    report, _ = verify(log.write(tmp_path / "mismatched", lines), log.vkey)
    assert report["leaves"] == {"count": 4, "mismatched": 2, "missing": 0, "unlogged_events": 0}
    assert report["streams"] == {"count": 2, "failing": 2}


# ----------------------------------------------------------------------------- authentication


def test_a_kept_checkpoint_of_the_leafs_own_size_does_not_authenticate_it(tmp_path: Path) -> None:
    """_authenticate 10 (`>=`: a checkpoint of size 7 taken to cover leaf 7)."""
    log = make_log(12)
    lines = log.lines()
    lines[7]["state"] = b64(b"{}")
    kept = keep(tmp_path, "kept-7", log.checkpoint(7))
    report, status = verify(log.write(tmp_path / "e", lines), log.vkey, kept)
    assert status == EXIT_FAILED
    assert report["first_failure"] == {
        "kind": "leaf-mismatch",
        "message": f"leaf 7: stored event {A}:5 at position 24 does not hash to the published leaf hash",
        "leaf_index": 7,
        "position": 24,
        "event_id": f"{A}:5",
        "stream": str(A),
        "version": 5,
        "authenticated_by": LOG_12,
    }


def test_a_failure_listed_before_a_leaf_failure_does_not_stop_its_authentication(tmp_path: Path) -> None:
    """_authenticate 8 (`break` at the first failure that is not a leaf failure)."""
    log = make_log(4)
    lines = log.lines()
    lines[2]["state"] = b64(b"{}")
    report, status = verify(log.write(tmp_path / "e", [unlogged(lines[0], 1, 7), *lines]), log.vkey)
    assert status == EXIT_FAILED
    assert [f["kind"] for f in report["failures"]] == [
        "unlogged-event",
        "leaf-mismatch",
        "stream-chain",
        "checkpoint-root",
    ]
    assert report["failures"][1]["authenticated_by"] == LOG_4


def test_a_leaf_differing_from_a_kept_export_is_reported_whole(tmp_path: Path) -> None:
    """_compare_earlier 17, 19, 20, 25, 26; Failure.as_dict 30, 31; _authenticate 1 (the export's
    own checkpoint put in place of the earlier export as the authentication)."""
    log = make_log(12)
    earlier = log.write(tmp_path / "earlier")
    export = forged(log, 8).write(tmp_path / "e")
    report, status = verify(export, log.vkey, earlier)
    assert status == EXIT_FAILED
    assert [f for f in report["failures"] if f["kind"] == "previous-export-mismatch"] == [
        {
            "kind": "previous-export-mismatch",
            "message": f"leaf 8 ({A}:6) differs from the same leaf in the earlier export {earlier}, "
            "which its own checkpoint authenticates",
            "leaf_index": 8,
            "position": 26,
            "event_id": f"{A}:6",
            "stream": str(A),
            "version": 6,
            "checkpoint": str(earlier),
            "authenticated_by": str(earlier),
        }
    ]


def test_a_shorter_kept_export_does_not_hide_a_longer_ones_leaf(tmp_path: Path) -> None:
    """_compare_earlier 8 (`break` once the shorter export ends: the longer one is then not
    compared at that leaf)."""
    log = make_log(12)
    short = Log(log.events[:8], log.signer, log.vkey).write(tmp_path / "short")
    whole = log.write(tmp_path / "whole")
    export = forged(log, 8).write(tmp_path / "e")
    report, _ = verify(export, log.vkey, short, whole)
    mismatches = [f for f in report["failures"] if f["kind"] == "previous-export-mismatch"]
    assert [(f["leaf_index"], f["checkpoint"]) for f in mismatches] == [(8, str(whole))]


# ----------------------------------------------------------------------------- kept checkpoints


def test_a_truncating_kept_checkpoint_is_inconsistent(tmp_path: Path) -> None:
    """_check_kept 63, 64 (consistent None or True for a checkpoint beyond the export)."""
    log = make_log(4)
    longer = make_log(6)
    longer.events[:4] = log.events
    longer.signer, longer.vkey = log.signer, log.vkey
    kept = keep(tmp_path, "kept-6", longer.checkpoint())
    report, status = verify(log.write(tmp_path / "e"), log.vkey, kept)
    assert status == EXIT_FAILED
    assert report["previous"] == [
        {
            "source": str(kept),
            "size": 6,
            "root": root(longer, 6),
            "signature": "valid",
            "earlier_export": False,
            "consistent": False,
            "published_hashes_match": None,
        }
    ]


def test_a_kept_checkpoint_over_an_unreadable_leaf_is_inconsistent(tmp_path: Path) -> None:
    """_check_kept 83 (published_hashes_match False instead of None), 89, 90 (consistent)."""
    log = make_log(4)
    rows = [json.dumps(line) for line in log.lines()]
    rows[1] = "{oops"
    export = log.write(tmp_path / "e")
    (export / EVENTS_FILE).write_text("\n".join(rows) + "\n")
    kept = keep(tmp_path, "kept-3", log.checkpoint(3))
    report, _ = verify(export, log.vkey, kept)
    assert report["previous"] == [
        {
            "source": str(kept),
            "size": 3,
            "root": root(log, 3),
            "signature": "valid",
            "earlier_export": False,
            "consistent": False,
            "published_hashes_match": None,
        }
    ]


def test_the_bound_starts_after_the_largest_consistent_smaller_checkpoint(tmp_path: Path) -> None:
    """_bound 2 (an inconsistent checkpoint counted as passing), 27 (a passing checkpoint of the
    same size taken as the lower bound)."""
    log = make_log(12)
    other = forged(log, 2)
    export = log.write(tmp_path / "e")
    bad3 = keep(tmp_path, "bad-3", other.checkpoint(3))
    bad6 = keep(tmp_path, "bad-6", other.checkpoint(6))
    report, _ = verify(export, log.vkey, bad3, bad6)
    assert [(f["checkpoint"], f["located_between"]) for f in report["failures"]] == [
        (f"{bad3} (size 3)", [0, 3]),
        (f"{bad6} (size 6)", [0, 6]),
    ]
    good6 = keep(tmp_path, "good-6", log.checkpoint(6))
    report, _ = verify(export, log.vkey, good6, bad6)
    assert [(f["checkpoint"], f["located_between"]) for f in report["failures"]] == [
        (f"{bad6} (size 6)", [0, 6]),
    ]


def test_a_kept_export_signed_by_another_key_is_not_trusted(tmp_path: Path) -> None:
    """_load_kept 6, 9 (the earlier export checked with its own key), 18 (its invalid signature
    reported as valid)."""
    log = make_log(12)
    secret, vkey = generate_signer(ORIGIN)
    earlier = Log(log.events, parse_signer_key(secret), vkey).write(tmp_path / "earlier")
    report, status = verify(log.write(tmp_path / "e"), log.vkey, earlier)
    assert status == EXIT_FAILED
    assert report["failures"] == [
        {
            "kind": "previous-unusable",
            "message": f"kept checkpoint {earlier}: invalid: no signature from a known key",
            "checkpoint": f"{earlier} (size 12)",
        }
    ]
    assert report["previous"][0]["signature"] == "invalid: no signature from a known key"


def test_a_kept_export_with_a_missing_event_is_not_trusted(tmp_path: Path) -> None:
    """Scan._leaf 85, 87 (collecting a missing leaf's hash crashes)."""
    log = make_log(4)
    lines = log.lines()
    lines[1] = missing(lines[1], logged=f"{A}:1")
    earlier = log.write(tmp_path / "earlier", lines)
    report, status = verify(log.write(tmp_path / "e"), log.vkey, earlier)
    assert status == EXIT_FAILED
    assert report["failures"] == [
        {
            "kind": "previous-unusable",
            "message": f"earlier export {earlier} does not verify on its own, so its leaves cannot be used",
            "checkpoint": f"{earlier} (size 4)",
        }
    ]


# ----------------------------------------------------------------------------- single-stream exports


def test_an_odd_logged_event_id_is_split_at_its_last_colon(tmp_path: Path) -> None:
    """entry_identity 8 (partition: the line taken for Budi's, version unknown)."""
    log = stream_log()
    lines = budi_lines(log)
    lines[1] = missing(lines[1], logged=f"{BUDI}:x:2")
    report, _ = verify(write_stream(log, tmp_path / "s", lines=lines), log.vkey)
    assert report["failures"][0] == {
        "kind": "stream-scope",
        "message": f"leaf 2: event {BUDI}:x:2 is not an event of the exported stream {BUDI}",
        "leaf_index": 2,
        "position": 14,
        "event_id": f"{BUDI}:x:2",
        "stream": f"{BUDI}:x",
        "version": 2,
    }


def test_a_stream_export_with_an_unreadable_checkpoint_and_a_cut_tail(tmp_path: Path) -> None:
    """verify_stream_export 36, 102 (the size of a checkpoint that is not there); finish 2, 4
    (the head message without a checkpoint)."""
    log = stream_log()
    export = write_stream(log, tmp_path / "s", lines=budi_lines(log)[:2])
    (export / CHECKPOINT_FILE).write_text("hello\n")
    report, status = verify(export, log.vkey)
    assert status == EXIT_FAILED
    assert report["failures"] == [
        {
            "kind": "signature",
            "message": "the export's checkpoint does not verify with the pinned key: "
            "invalid: no blank line before the signatures",
        },
        {
            "kind": "stream-head",
            "message": f"stream {BUDI}: the export ends at version 2, but its manifest declares version 3 "
            "the stream's latest",
            "stream": str(BUDI),
            "version": 3,
        },
    ]
    assert report["streams"] == {"count": 1, "failing": 1}


def test_signature_and_size_failures_do_not_make_the_stream_failing(tmp_path: Path) -> None:
    """verify_stream_export 114, 115 (a checkpoint-size failure counted against the stream). The
    signature failure goes to the report, not the scan, so it never counts either."""
    log = stream_log()
    _, other = generate_signer(ORIGIN)
    report, status = verify(write_stream(log, tmp_path / "key"), other)
    assert status == EXIT_FAILED
    assert [f["kind"] for f in report["failures"]] == ["signature"]
    assert report["streams"] == {"count": 1, "failing": 0}

    report, status = verify(write_stream(log, tmp_path / "size", size=9), log.vkey)
    assert status == EXIT_FAILED
    assert [f["kind"] for f in report["failures"]] == ["checkpoint-size"]
    assert report["streams"] == {"count": 1, "failing": 0}


def test_a_stream_of_one_version_verifies(tmp_path: Path) -> None:
    """_declared_stream 34, 35 (latest_version 1 refused)."""
    log = stream_log()
    declared = {"originator_id": str(BUDI), "nip": NIP_BUDI, "latest_version": 1, "latest_leaf_index": 0}
    export = write_stream(log, tmp_path / "s", lines=budi_lines(log)[:1], stream=declared)
    report, status = verify(export, log.vkey)
    assert (status, report["failures"]) == (EXIT_OK, [])
    assert report["stream"] == {
        "originator_id": str(BUDI),
        "nip": NIP_BUDI,
        "declared_latest_version": 1,
        "last_version": 1,
        "inclusion_proofs_verified": 1,
    }


def test_a_stream_export_more_recent_than_its_manifest(tmp_path: Path) -> None:
    """finish 32 (the head failure located one version past the last one shown)."""
    log = stream_log()
    declared = {"originator_id": str(BUDI), "nip": NIP_BUDI, "latest_version": 2, "latest_leaf_index": 2}
    report, _ = verify(write_stream(log, tmp_path / "s", stream=declared), log.vkey)
    assert report["failures"] == [
        {
            "kind": "stream-head",
            "message": f"stream {BUDI}: the export ends at version 3, but its manifest declares version 2 "
            "the stream's latest as of the checkpoint (size 4)",
            "stream": str(BUDI),
            "version": 3,
        }
    ]


def test_a_stream_export_holding_only_a_foreign_event_ends_at_version_0(tmp_path: Path) -> None:
    """StreamScan.__init__ 24 (highest version starting at 1)."""
    log = stream_log()
    everything = budi_lines(log)  # also gives every line of the log its proof
    sari = next(line for line in log.lines() if line["originator_id"] == str(SARI))
    hashes = [bytes.fromhex(line["leaf_hash"]) for line in log.lines()]
    sari[PROOF_FIELD] = [b64(h) for h in inclusion_proof(hashes, 1, 4)]
    assert everything  # Budi's own lines are left out on purpose
    report, _ = verify(write_stream(log, tmp_path / "s", lines=[sari]), log.vkey)
    assert report["failures"][1:] == [
        {
            "kind": "stream-head",
            "message": f"stream {BUDI}: the export ends at version 0, but its manifest declares version 3 "
            "the stream's latest as of the checkpoint (size 4)",
            "stream": str(BUDI),
            "version": 1,
        }
    ]
    assert report["stream"]["last_version"] == 0


def test_a_stream_line_that_is_not_an_object(tmp_path: Path) -> None:
    """StreamScan.feed 5-8 (the message), 21 (reading a leaf index from a list)."""
    log = stream_log()
    export = write_stream(log, tmp_path / "s")
    rows = (export / EVENTS_FILE).read_text().splitlines()
    rows[1] = "[1, 2]"
    (export / EVENTS_FILE).write_text("\n".join(rows) + "\n")
    report, status = verify(export, log.vkey)
    assert status == EXIT_FAILED
    assert report["failures"][0] == {
        "kind": "malformed-line",
        "message": "events.ndjson line 2: not a JSON object",
    }


def test_a_repeated_stream_leaf_index_is_out_of_order(tmp_path: Path) -> None:
    """StreamScan._leaf 7 (`<`: the same leaf index twice let through)."""
    log = stream_log()
    lines = budi_lines(log)
    lines[2]["leaf_index"] = 2
    report, _ = verify(write_stream(log, tmp_path / "s", lines=lines), log.vkey)
    assert report["failures"][0] == {
        "kind": "leaf-order",
        "message": "leaf index 2 does not follow leaf 2",
        **stream_line(2, 3, position=16),
    }


def test_a_missing_stream_event_with_a_broken_proof_is_not_authenticated(tmp_path: Path) -> None:
    """StreamScan._leaf 80 (authenticated whether or not the proof holds)."""
    log = stream_log()
    lines = budi_lines(log)
    lines[1] = missing(lines[1], logged=f"{BUDI}:2")
    lines[1][PROOF_FIELD][0] = b64(bytes(32))
    report, _ = verify(write_stream(log, tmp_path / "s", lines=lines), log.vkey)
    assert report["failures"] == [
        {
            "kind": "leaf-missing",
            "message": f"leaf 2: the store no longer holds the event the log recorded at position 14 ({BUDI}:2)",
            **stream_line(2, 2, authenticated_by=None),
        }
    ]


def test_a_wrong_published_leaf_hash_over_a_sound_event_is_still_proven(tmp_path: Path) -> None:
    """StreamScan._leaf 104-106 (the recomputed leaf's proof not checked)."""
    log = stream_log()
    lines = budi_lines(log)
    lines[1]["leaf_hash"] = "00" * 32
    report, _ = verify(write_stream(log, tmp_path / "s", lines=lines), log.vkey)
    assert report["failures"] == [
        {
            "kind": "leaf-mismatch",
            "message": f"leaf 2: stored event {BUDI}:2 at position 14 does not hash to the published leaf hash",
            **stream_line(2, 2, authenticated_by=None),
        }
    ]
    assert report["stream"]["inclusion_proofs_verified"] == 3


def test_the_exports_own_key_file_is_what_a_missing_key_falls_back_to(tmp_path: Path) -> None:
    """A guard for the locale test above: the export's log.vkey read and used when no key is given."""
    log = make_log(2)
    export = log.write(tmp_path / "e")
    assert (export / KEY_FILE).read_text() == log.vkey + "\n"
    report, status = run(export, None, [])
    assert (status, report["key"]["pinned"]) == (EXIT_OK, False)

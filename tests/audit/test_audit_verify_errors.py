"""`ledger audit verify` on malformed or missing input: every error branch of the offline verifier
gives its own exit status, names the file (and the line, leaf or kept checkpoint) in the JSON
report and on the console, and never ends in a traceback.

The exports are written by hand (no database): the input is what an auditor might receive
after a bad copy, a hostile edit or a mix-up of files.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.audit.merkle import inclusion_proof
from ledger.audit.note import generate_signer, parse_signer_key, parse_verifier_key, sign_note
from ledger.audit.verify import (
    CHECKPOINT_FILE,
    EVENTS_FILE,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNPINNED,
    EXIT_UNUSABLE,
    KEY_FILE,
    MANIFEST_FILE,
    PROOF_FIELD,
    STREAM_EXPORT_FORMAT,
    UnusableInput,
    verify_stream_export,
)
from ledger.nip import stream_id
from tests.audit.test_audit_verify import ORIGIN, Event, Log, keep, make_log
from tests.factories import NIP_BUDI, NIP_SARI

BUDI = stream_id("employee", NIP_BUDI)
SARI = stream_id("employee", NIP_SARI)
EXPORT_MANIFEST = "kinerja-ledger-audit-export/1"


@dataclass
class Outcome:
    status: int
    report: dict[str, Any]
    console: str  # what `ledger audit verify` wrote to stderr


def verify_cli(directory: Path, *args: str) -> Outcome:
    result = CliRunner().invoke(cli, ["audit", "verify", str(directory), *args])
    # An uncaught exception also exits non-zero: only a deliberate exit (or none) passes here.
    assert result.exception is None or type(result.exception) is SystemExit, repr(result.exception)
    assert "Traceback" not in result.output
    return Outcome(result.exit_code, json.loads(result.stdout), result.stderr)


def unusable(directory: Path, message: str, *args: str) -> None:
    out = verify_cli(directory, *args)
    assert out.status == EXIT_UNUSABLE
    assert out.report == {"ok": False, "export": str(directory), "error": message}
    assert out.console == f"FAILED: {message}\n"


def failed(directory: Path, *args: str) -> Outcome:
    out = verify_cli(directory, *args)
    assert out.status == EXIT_FAILED
    assert out.report["ok"] is False
    assert out.console == f"FAILED: {out.report['first_failure']['message']}\n"
    return out


@pytest.fixture
def log() -> Log:
    return make_log(4)  # leaves 0..3: stream B v1, A v1, A v2, B v2 at positions 10, 12, 14, 16


@pytest.fixture
def key(log: Log, tmp_path: Path) -> str:
    path = tmp_path / "pinned.vkey"
    path.write_text(log.vkey + "\n")
    return str(path)


# ----------------------------------------------------------------------------- the directory and keys


def test_a_missing_directory_is_unusable(tmp_path: Path, key: str) -> None:
    unusable(tmp_path / "nowhere", f"{tmp_path / 'nowhere'} is not a directory", "--key", key)


def ok_line(events: int, size: int) -> str:
    """The one-line human summary a clean, pinned verification ends with (stderr)."""
    return (
        f"OK: {events} events of log 'kinerja-ledger/test' verified; the checkpoint (size {size}) is "
        "signed by the pinned key\n"
    )


def test_a_clean_export_exits_0_with_one_summary_line(log: Log, tmp_path: Path, key: str) -> None:
    out = verify_cli(log.write(tmp_path / "e"), "--key", key)
    assert (out.status, out.report["ok"], out.console) == (EXIT_OK, True, ok_line(4, 4))
    assert out.report["failures"] == [] and out.report["warnings"] == []


UNPINNED = (
    "UNPINNED: the export checks against its own key, which proves nothing about who signed it; "
    "pass --key with the log's key from a trusted source\n"
)


def test_without_a_key_a_clean_export_is_not_a_success(log: Log, tmp_path: Path) -> None:
    out = verify_cli(log.write(tmp_path / "e"))
    assert (out.status, out.report["ok"], out.report["key"]["pinned"], out.console) == (
        EXIT_UNPINNED,
        True,
        False,
        UNPINNED,
    )


def test_allow_unpinned_exits_0_and_still_warns(log: Log, tmp_path: Path) -> None:
    out = verify_cli(log.write(tmp_path / "e"), "--allow-unpinned")
    assert (out.status, out.report["ok"], out.console) == (EXIT_OK, True, UNPINNED)


def test_allow_unpinned_does_not_hide_a_failure(log: Log, tmp_path: Path) -> None:
    export = log.write(tmp_path / "e")
    (export / KEY_FILE).unlink()
    unusable(export, f"no --key given and {export / KEY_FILE} is missing", "--allow-unpinned")


def test_a_key_file_that_does_not_exist_is_read_as_a_key_and_refused(log: Log, tmp_path: Path) -> None:
    export = log.write(tmp_path / "e")
    missing = str(tmp_path / "missing.vkey")
    unusable(
        export,
        f"not a verifier key ({missing}): verifier key must be name+keyid+key",
        "--key",
        missing,
    )


def test_a_malformed_key_file_is_unusable(log: Log, tmp_path: Path) -> None:
    export = log.write(tmp_path / "e")
    path = tmp_path / "bad.vkey"
    path.write_text("hello\n")
    unusable(export, f"not a verifier key ({path}): verifier key must be name+keyid+key", "--key", str(path))


def test_a_binary_key_file_is_unusable_not_a_crash(log: Log, tmp_path: Path) -> None:
    export = log.write(tmp_path / "e")
    path = tmp_path / "binary.vkey"
    path.write_bytes(b"\xff\xfe\x00")
    unusable(
        export,
        f"cannot read key {path}: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
        "--key",
        str(path),
    )


def test_a_key_whose_id_does_not_match_is_unusable(log: Log, tmp_path: Path) -> None:
    export = log.write(tmp_path / "e")
    name, _, material = log.vkey.split("+", 2)  # base64 may hold "+" too
    forged = f"{name}+deadbeef+{material}"
    unusable(
        export, f"not a verifier key ({forged}): verifier key ID does not match the key", "--key", forged
    )


def test_another_logs_key_fails_the_signature(log: Log, tmp_path: Path) -> None:
    export = log.write(tmp_path / "e")
    _, other = generate_signer(ORIGIN)
    out = failed(export, "--key", other)
    assert out.report["first_failure"] == {
        "kind": "signature",
        "message": "the export's checkpoint does not verify with the pinned key: "
        "invalid: no signature from a known key",
    }
    assert out.report["failure_count"] == 1
    assert out.report["warnings"] == ["the export's log.vkey differs from the pinned key"]
    assert out.report["key"]["pinned"] is True and out.report["key"]["vkey"] == other


def test_without_a_pinned_key_the_exports_own_key_must_exist_and_parse(log: Log, tmp_path: Path) -> None:
    export = log.write(tmp_path / "e")
    (export / KEY_FILE).unlink()
    unusable(export, f"no --key given and {export / KEY_FILE} is missing")

    (export / KEY_FILE).write_text("not+a+key\n")
    unusable(export, f"{export / KEY_FILE} is not a verifier key: invalid key ID: 'a'")

    (export / KEY_FILE).write_bytes(b"\xff\n")
    unusable(
        export,
        f"cannot read {export / KEY_FILE}: 'utf-8' codec can't decode byte 0xff in position 0: "
        "invalid start byte",
    )


# ----------------------------------------------------------------------------- the manifest


def test_a_missing_or_unparsable_manifest_is_only_a_warning(log: Log, tmp_path: Path, key: str) -> None:
    export = log.write(tmp_path / "e")
    (export / MANIFEST_FILE).unlink()
    out = verify_cli(export, "--key", key)
    assert (out.status, out.report["ok"], out.console) == (EXIT_OK, True, ok_line(4, 4))
    assert out.report["warnings"] == ["no manifest.json in the export"]

    (export / MANIFEST_FILE).write_text("{format: export")
    out = verify_cli(export, "--key", key)
    assert (out.status, out.report["ok"]) == (EXIT_OK, True)
    assert out.report["warnings"] == ["manifest.json is not valid JSON"]


@pytest.mark.parametrize(
    "manifest",
    [
        [EXPORT_MANIFEST],  # not an object
        {},  # no format
        {"format": 1},  # format of the wrong type
        {"format": "kinerja-ledger-audit-export/2"},
    ],
    ids=["list", "no-format", "format-not-a-string", "unknown-format"],
)
def test_a_manifest_that_does_not_name_the_format_is_unusable(
    log: Log, tmp_path: Path, key: str, manifest: object
) -> None:
    export = log.write(tmp_path / "e")
    (export / MANIFEST_FILE).write_text(json.dumps(manifest))
    unusable(export, f"{export / MANIFEST_FILE} is not a {EXPORT_MANIFEST} manifest", "--key", key)


def test_a_manifest_that_is_not_utf8_is_unusable(log: Log, tmp_path: Path, key: str) -> None:
    export = log.write(tmp_path / "e")
    (export / MANIFEST_FILE).write_bytes(b'{"format": "\xe9"}')
    unusable(
        export,
        f"cannot read {export / MANIFEST_FILE}: 'utf-8' codec can't decode byte 0xe9 in position 12: "
        "invalid continuation byte",
        "--key",
        key,
    )


# ----------------------------------------------------------------------------- the events file


def test_a_missing_events_file_is_unusable(log: Log, tmp_path: Path, key: str) -> None:
    export = log.write(tmp_path / "e")
    (export / EVENTS_FILE).unlink()
    unusable(export, f"{export / EVENTS_FILE} is missing", "--key", key)


def _line(log: Log, index: int, **changes: Any) -> str:
    line = {**log.lines()[index], **changes}
    for name, value in changes.items():
        if value is DROP:
            del line[name]
    return json.dumps(line)


DROP = object()

# (what line 2, leaf 1, becomes; the reason the report gives for it)
MALFORMED: dict[str, tuple[Any, str]] = {
    "not-json": ("{not json", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    "not-an-object": ("[1, 2]", "not a JSON object"),
    "not-utf8": (
        b'{"topic": "\xff"}',
        "'utf-8' codec can't decode byte 0xff in position 11: invalid start byte",
    ),
    "leaf-index-a-string": ({"leaf_index": "1"}, "leaf_index must be a non-negative 64-bit integer or null"),
    "leaf-index-negative": ({"leaf_index": -1}, "leaf_index must be a non-negative 64-bit integer or null"),
    "leaf-index-a-bool": ({"leaf_index": True}, "leaf_index must be a non-negative 64-bit integer or null"),
    "leaf-index-over-64-bits": (
        {"leaf_index": 2**64},
        "leaf_index must be a non-negative 64-bit integer or null",
    ),
    "no-position": ({"position": DROP}, "position must be a non-negative integer"),
    "position-a-float": ({"position": 12.5}, "position must be a non-negative integer"),
    "state-a-number": ({"state": 123}, "state must be a string or null"),
    "state-not-base64": ({"state": "!!!!"}, "Only base64 data is allowed"),
    "state-bad-padding": ({"state": "abc"}, "Incorrect padding"),
    "no-version": (
        {"originator_version": DROP},
        "an event needs originator_id, originator_version, topic and state",
    ),
    "version-a-string": (
        {"originator_version": "1"},
        "originator_version must be a non-negative 64-bit integer",
    ),
    "version-over-64-bits": (
        {"originator_version": 2**64},
        "originator_version must be a non-negative 64-bit integer",
    ),
    "no-topic": ({"topic": None}, "an event needs originator_id, originator_version, topic and state"),
    "topic-not-unicode": ({"topic": "\ud800"}, "topic is not valid Unicode (a lone surrogate)"),
    "leaf-hash-short": ({"leaf_hash": "ab"}, "leaf_hash must be 64 hex digits"),
    "leaf-hash-not-hex": (
        {"leaf_hash": "zz" * 32},
        "non-hexadecimal number found in fromhex() arg at position 0",
    ),
    "no-chain-hash": ({"chain_hash": DROP}, "chain_hash must be 64 hex digits"),
    "originator-not-a-uuid": ({"originator_id": "not-a-uuid"}, "badly formed hexadecimal UUID string"),
    "originator-upper-case": (
        {"originator_id": "6F1B3C2E-5D0A-5B7E-9C41-2A8E7D3F0B19"},
        "originator_id must be a canonical lower-case UUID",
    ),
    "event-id-a-number": ({"event_id": 7}, "event_id must be a string or null"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_line_is_named_by_line_and_leaf(log: Log, tmp_path: Path, key: str, case: str) -> None:
    change, reason = MALFORMED[case]
    lines = [json.dumps(line).encode() for line in log.lines()]
    # The last leaf, so that no later version of its stream is reported as out of place.
    if isinstance(change, dict):
        lines[3] = _line(log, 3, **change).encode()
    else:
        lines[3] = change if isinstance(change, bytes) else change.encode()
    export = log.write(tmp_path / "e")
    (export / EVENTS_FILE).write_bytes(b"\n".join(lines) + b"\n")
    out = failed(export, "--key", key)
    assert out.report["first_failure"] == {
        "kind": "malformed-line",
        "message": f"events.ndjson line 4: {reason}",
        "leaf_index": 3,
    }
    # The unreadable leaf takes the root with it, and says so.
    assert [(f["kind"], f["message"]) for f in out.report["failures"][1:]] == [
        (
            "checkpoint-root",
            "the root cannot be recomputed: leaf 3 has no stored event or is unreadable",
        )
    ]
    assert out.report["checkpoint"]["root_matches"] is None
    assert out.report["leaves"]["count"] == 4


def test_blank_lines_are_skipped_and_line_numbers_count_them(log: Log, tmp_path: Path, key: str) -> None:
    lines = [json.dumps(line) for line in log.lines()]
    export = log.write(tmp_path / "e")
    (export / EVENTS_FILE).write_text(f"{lines[0]}\n\n{lines[1]}\n{{oops\n{lines[3]}\n")
    out = failed(export, "--key", key)
    first = out.report["first_failure"]
    assert (first["message"].split(":")[0], first["leaf_index"]) == ("events.ndjson line 4", 2)


# ----------------------------------------------------------------------------- the checkpoint


def test_a_missing_checkpoint_is_unusable(log: Log, tmp_path: Path, key: str) -> None:
    export = log.write(tmp_path / "e")
    (export / CHECKPOINT_FILE).unlink()
    path = export / CHECKPOINT_FILE
    unusable(export, f"cannot read {path}: [Errno 2] No such file or directory: '{path}'", "--key", key)


def test_a_checkpoint_that_is_not_utf8_is_unusable(log: Log, tmp_path: Path, key: str) -> None:
    export = log.write(tmp_path / "e")
    (export / CHECKPOINT_FILE).write_bytes(b"\x80")
    unusable(
        export,
        f"cannot read {export / CHECKPOINT_FILE}: 'utf-8' codec can't decode byte 0x80 in position 0: "
        "invalid start byte",
        "--key",
        key,
    )


def test_a_malformed_checkpoint_fails_the_signature_and_covers_nothing(
    log: Log, tmp_path: Path, key: str
) -> None:
    export = log.write(tmp_path / "e", note="hello\n")
    out = failed(export, "--key", key)
    verdict = "invalid: no blank line before the signatures"
    assert out.report["first_failure"] == {
        "kind": "signature",
        "message": f"the export's checkpoint does not verify with the pinned key: {verdict}",
    }
    assert out.report["failure_count"] == 1
    assert out.report["checkpoint"] == {
        "origin": None,
        "size": None,
        "root": None,
        "signature": verdict,
        "root_matches": None,
        "published_hashes_match": None,
    }


def test_a_checkpoint_signed_by_another_key_is_read_but_not_trusted(
    log: Log, tmp_path: Path, key: str
) -> None:
    secret, _ = generate_signer(ORIGIN)
    export = log.write(tmp_path / "e", note=log.checkpoint(signer=parse_signer_key(secret)))
    out = failed(export, "--key", key)
    assert out.report["first_failure"]["message"] == (
        "the export's checkpoint does not verify with the pinned key: invalid: no signature from a known key"
    )
    checkpoint = out.report["checkpoint"]
    assert (checkpoint["size"], checkpoint["signature"]) == (4, "invalid: no signature from a known key")
    assert [f["kind"] for f in out.report["failures"]] == ["signature"]


def test_a_signed_note_that_is_not_a_checkpoint_fails(log: Log, tmp_path: Path, key: str) -> None:
    note = sign_note(f"{ORIGIN}\nfour\nAAAA\n", log.signer)
    out = failed(log.write(tmp_path / "e", note=note), "--key", key)
    assert out.report["first_failure"]["message"] == (
        "the export's checkpoint does not verify with the pinned key: invalid: invalid tree size: 'four'"
    )
    assert out.report["checkpoint"]["size"] is None


def test_a_checkpoint_of_another_size_than_the_export(log: Log, tmp_path: Path, key: str) -> None:
    smaller = failed(log.write(tmp_path / "small", note=log.checkpoint(3)), "--key", key)
    assert smaller.report["failures"] == [
        {
            "kind": "checkpoint-size",
            "message": "the export has 4 leaves but its checkpoint covers 3",
            "checkpoint": "checkpoint of the export (size 3)",
        }
    ]
    assert smaller.report["checkpoint"]["root_matches"] is True  # the first 3 leaves are fine

    bigger = make_log(6)
    bigger.signer, bigger.vkey = log.signer, log.vkey
    export = log.write(tmp_path / "big", note=bigger.checkpoint())
    out = failed(export, "--key", key)
    assert [f["message"] for f in out.report["failures"]] == [
        "the export has 4 leaves but its checkpoint covers 6"
    ]
    assert out.report["checkpoint"]["root_matches"] is False


# ----------------------------------------------------------------------------- kept checkpoints


def test_a_kept_checkpoint_that_is_missing_is_unusable(log: Log, tmp_path: Path, key: str) -> None:
    export = log.write(tmp_path / "e")
    kept = tmp_path / "kept-checkpoint"
    unusable(
        export,
        f"cannot read {kept}: [Errno 2] No such file or directory: '{kept}'",
        "--key",
        key,
        "--previous",
        str(kept),
    )


def test_a_malformed_kept_checkpoint_is_reported_unusable(log: Log, tmp_path: Path, key: str) -> None:
    export = log.write(tmp_path / "e")
    kept = keep(tmp_path, "kept", "size 3, trust me\n")
    out = failed(export, "--key", key, "--previous", str(kept))
    assert out.report["failures"] == [
        {
            "kind": "previous-unusable",
            "message": f"kept checkpoint {kept}: invalid: no blank line before the signatures",
            "checkpoint": str(kept),
        }
    ]
    assert out.report["previous"] == [
        {
            "source": str(kept),
            "size": None,
            "root": None,
            "signature": "invalid: no blank line before the signatures",
            "earlier_export": False,
            "consistent": None,
            "published_hashes_match": None,
        }
    ]


def test_a_kept_checkpoint_from_another_key_is_reported_unusable(log: Log, tmp_path: Path, key: str) -> None:
    export = log.write(tmp_path / "e")
    secret, _ = generate_signer(ORIGIN)
    kept = keep(tmp_path, "kept", log.checkpoint(2, signer=parse_signer_key(secret)))
    out = failed(export, "--key", key, "--previous", str(kept))
    assert out.report["failures"] == [
        {
            "kind": "previous-unusable",
            "message": f"kept checkpoint {kept}: invalid: no signature from a known key",
            "checkpoint": f"{kept} (size 2)",
        }
    ]
    assert out.report["previous"][0]["consistent"] is None


def test_a_kept_checkpoint_inconsistent_with_the_export_is_bounded(
    log: Log, tmp_path: Path, key: str
) -> None:
    export = log.write(tmp_path / "e")
    other = make_log(4)
    other.events[2] = Event(other.events[2].stream, other.events[2].version, b'{"forged": 1}')
    other.signer, other.vkey = log.signer, log.vkey  # the log's own key signed both
    good = keep(tmp_path, "kept-1", log.checkpoint(1))
    bad = keep(tmp_path, "kept-3", other.checkpoint(3))
    out = failed(export, "--key", key, "--previous", str(good), "--previous", str(bad))
    assert out.report["first_failure"] == {
        "kind": "previous-inconsistent",
        "message": "the first 3 leaves recomputed from the stored events do not reproduce this kept "
        "checkpoint's root: events it covered were altered, removed, reordered or replaced; "
        "the first altered leaf is in [1, 3)",
        "checkpoint": f"{bad} (size 3)",
        "located_between": [1, 3],
    }
    assert [p["consistent"] for p in out.report["previous"]] == [True, False]


def test_a_kept_checkpoint_over_an_unreadable_leaf_cannot_be_reproduced(
    log: Log, tmp_path: Path, key: str
) -> None:
    lines = [json.dumps(line) for line in log.lines()]
    lines[1] = "{oops"
    export = log.write(tmp_path / "e")
    (export / EVENTS_FILE).write_text("\n".join(lines) + "\n")
    kept = keep(tmp_path, "kept-3", log.checkpoint(3))
    out = failed(export, "--key", key, "--previous", str(kept))
    inconsistent = [f for f in out.report["failures"] if f["kind"] == "previous-inconsistent"]
    assert inconsistent == [
        {
            "kind": "previous-inconsistent",
            "message": "the first 3 leaves cannot be recomputed (leaf 1 has no readable stored event), so "
            "the log no longer matches this kept checkpoint; the first altered leaf is in [0, 3)",
            "checkpoint": f"{kept} (size 3)",
            "located_between": [0, 3],
        }
    ]


def test_kept_checkpoints_of_another_log_or_a_longer_log(log: Log, tmp_path: Path, key: str) -> None:
    export = log.write(tmp_path / "e")
    foreign = keep(tmp_path, "foreign", log.checkpoint(2, origin="another/log"))
    out = failed(export, "--key", key, "--previous", str(foreign))
    assert out.report["failures"] == [
        {
            "kind": "previous-origin",
            "message": f"kept checkpoint is for log 'another/log', the export for {ORIGIN!r}",
            "checkpoint": f"{foreign} (size 2)",
        }
    ]
    longer = make_log(6)
    longer.events[:4] = log.events
    longer.signer, longer.vkey = log.signer, log.vkey
    kept = keep(tmp_path, "kept-6", longer.checkpoint())
    out = failed(export, "--key", key, "--previous", str(kept))
    assert out.report["failures"] == [
        {
            "kind": "previous-truncated",
            "message": "the export has 4 leaves but this kept checkpoint covered 6: leaves 4..5 are gone "
            "(earlier leaves may also have been replaced; a kept earlier export would show which); "
            "the first altered leaf is in [0, 5)",
            "checkpoint": f"{kept} (size 6)",
            "located_between": [0, 5],
        }
    ]


def test_a_kept_earlier_export_that_cannot_be_read_is_unusable(log: Log, tmp_path: Path, key: str) -> None:
    export = log.write(tmp_path / "e")
    earlier = log.write(tmp_path / "earlier")
    (earlier / EVENTS_FILE).unlink()
    unusable(export, f"{earlier / EVENTS_FILE} is missing", "--key", key, "--previous", str(earlier))

    stream_export = write_stream(stream_log(), tmp_path / "stream")
    unusable(
        export,
        f"{stream_export} is a single-stream export, not an export of the whole log",
        "--key",
        key,
        "--previous",
        str(stream_export),
    )


def test_a_kept_earlier_export_that_does_not_verify_is_not_trusted(
    log: Log, tmp_path: Path, key: str
) -> None:
    export = log.write(tmp_path / "e")
    lines = log.lines()
    lines[2]["state"] = base64.b64encode(b"{}").decode()
    earlier = log.write(tmp_path / "earlier", lines)
    out = failed(export, "--key", key, "--previous", str(earlier))
    assert out.report["failures"] == [
        {
            "kind": "previous-unusable",
            "message": f"earlier export {earlier} does not verify on its own, so its leaves cannot be used",
            "checkpoint": f"{earlier} (size 4)",
        }
    ]
    assert out.report["previous"][0]["signature"] == "valid (but the export does not verify)"
    assert out.report["previous"][0]["earlier_export"] is False


# ----------------------------------------------------------------------------- single-stream exports


def stream_log() -> Log:
    """Budi's stream (versions 1..3 at leaves 0, 2, 3) and Sari's (version 1 at leaf 1)."""
    secret, vkey = generate_signer(ORIGIN)
    events = [
        Event(BUDI, 1, b'{"registered": 1}'),
        Event(SARI, 1, b'{"registered": 2}'),
        Event(BUDI, 2, b'{"training": 1}'),
        Event(BUDI, 3, b'{"training": 2}'),
    ]
    return Log(events, parse_signer_key(secret), vkey)


def write_stream(
    log: Log,
    directory: Path,
    *,
    lines: list[dict[str, Any]] | None = None,
    stream: dict[str, Any] | None = None,
    size: int | None = None,
) -> Path:
    """Budi's export as `ledger audit export --nip` writes it: his leaves with inclusion proofs."""
    everything = log.lines()
    hashes = [bytes.fromhex(line["leaf_hash"]) for line in everything]
    mine = [line for line in everything if line["originator_id"] == str(BUDI)]
    for line in mine:
        proof = inclusion_proof(hashes, line["leaf_index"], len(hashes))
        line[PROOF_FIELD] = [base64.b64encode(h).decode() for h in proof]
    manifest = {
        "format": STREAM_EXPORT_FORMAT,
        "size": len(hashes) if size is None else size,
        "stream": stream
        if stream is not None
        else {"originator_id": str(BUDI), "nip": NIP_BUDI, "latest_version": 3, "latest_leaf_index": 3},
    }
    log.write(directory, mine if lines is None else lines)
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest))
    return directory


def test_a_clean_stream_export_verifies(tmp_path: Path) -> None:
    log = stream_log()
    out = verify_cli(write_stream(log, tmp_path / "s"), "--key", log.vkey)
    assert (out.status, out.report["ok"], out.console) == (EXIT_OK, True, ok_line(3, 4))
    assert out.report["stream"]["inclusion_proofs_verified"] == 3


@pytest.mark.parametrize(
    ("declared", "problem"),
    [
        (None, ""),
        ({"originator_id": "budi", "latest_version": 3}, ": originator_id must be a canonical UUID"),
        (
            {"originator_id": str(BUDI).upper(), "latest_version": 3},
            ": originator_id must be a canonical UUID",
        ),
        ({"originator_id": 5, "latest_version": 3}, ": originator_id must be a canonical UUID"),
        ({"originator_id": str(BUDI), "nip": 198503, "latest_version": 3}, ": nip must be a string"),
        ({"originator_id": str(BUDI), "latest_version": 0}, ": latest_version must be a positive integer"),
        ({"originator_id": str(BUDI), "latest_version": "3"}, ": latest_version must be a positive integer"),
        ({"originator_id": str(BUDI), "latest_version": True}, ": latest_version must be a positive integer"),
    ],
    ids=[
        "no-stream",
        "id-not-uuid",
        "id-upper",
        "id-number",
        "nip-number",
        "latest-0",
        "latest-str",
        "latest-bool",
    ],
)
def test_a_stream_manifest_that_does_not_declare_the_stream_is_unusable(
    tmp_path: Path, declared: dict[str, Any] | None, problem: str
) -> None:
    log = stream_log()
    export = write_stream(log, tmp_path / "s")
    manifest = {"format": STREAM_EXPORT_FORMAT, "size": 4}
    if declared is not None:
        manifest["stream"] = declared
    (export / MANIFEST_FILE).write_text(json.dumps(manifest))
    unusable(
        export,
        f"{export / MANIFEST_FILE} does not say which stream the export holds{problem}",
        "--key",
        log.vkey,
    )


def test_a_stream_export_refuses_kept_checkpoints(tmp_path: Path) -> None:
    log = stream_log()
    export = write_stream(log, tmp_path / "s")
    kept = keep(tmp_path, "kept", log.checkpoint(2))
    unusable(
        export,
        "--previous needs an export of the whole log: a single-stream export carries inclusion proofs "
        "for its own events only, which cannot show consistency with a kept checkpoint",
        "--key",
        log.vkey,
        "--previous",
        str(kept),
    )


@pytest.mark.parametrize(
    ("proof", "reason"),
    [
        ("AAAA", "inclusion_proof must be a list of base64 hashes"),
        ([5], "inclusion_proof must be a list of base64 hashes"),
        (["!!!!"], "Only base64 data is allowed"),
        ([base64.b64encode(b"short").decode()], "inclusion_proof hashes must be 32 bytes"),
    ],
    ids=["not-a-list", "not-strings", "not-base64", "short-hash"],
)
def test_a_malformed_inclusion_proof_is_named_by_line_and_leaf(
    tmp_path: Path, proof: object, reason: str
) -> None:
    log = stream_log()
    export = write_stream(log, tmp_path / "s")
    lines = [json.loads(line) for line in (export / EVENTS_FILE).read_text().splitlines()]
    lines[1][PROOF_FIELD] = proof
    (export / EVENTS_FILE).write_text("".join(json.dumps(line) + "\n" for line in lines))
    out = failed(export, "--key", log.vkey)
    assert out.report["first_failure"] == {
        "kind": "malformed-line",
        "message": f"events.ndjson line 2: {reason}",
        "leaf_index": 2,
    }


def test_a_stream_export_whose_manifest_contradicts_itself(tmp_path: Path) -> None:
    log = stream_log()
    declared = {"originator_id": str(BUDI), "nip": NIP_SARI, "latest_version": 3}
    out = failed(write_stream(log, tmp_path / "nip", stream=declared, size=9), "--key", log.vkey)
    assert out.report["failures"] == [
        {
            "kind": "stream-scope",
            "message": f"the manifest names an employee whose stream is {SARI}, not the exported stream {BUDI}",
            "stream": str(BUDI),
        },
        {
            "kind": "checkpoint-size",
            "message": "the manifest describes the log at size 9, but the checkpoint covers 4",
            "checkpoint": "checkpoint of the export (size 4)",
        },
    ]


def test_a_stream_line_without_its_event_and_an_odd_logged_id_is_reported(tmp_path: Path) -> None:
    log = stream_log()
    export = write_stream(log, tmp_path / "s")
    lines = [json.loads(line) for line in (export / EVENTS_FILE).read_text().splitlines()]
    # The store lost version 2; what the log recorded there is named with a non-ASCII digit.
    lines[1].update(
        event_id=None,
        originator_id=None,
        originator_version=None,
        topic=None,
        state=None,
        logged_event_id=f"{BUDI}:\u00b2",
    )
    (export / EVENTS_FILE).write_text("".join(json.dumps(line) + "\n" for line in lines))
    out = failed(export, "--key", log.vkey)
    assert out.report["first_failure"] == {
        "kind": "leaf-missing",
        "message": f"leaf 2: the store no longer holds the event the log recorded at position 14 "
        f"({BUDI}:\u00b2)",
        "leaf_index": 2,
        "position": 14,
        "event_id": f"{BUDI}:\u00b2",
        "stream": str(BUDI),
        "authenticated_by": "checkpoint of the export (size 4)",
    }


def test_a_stream_leaf_index_beyond_64_bits_is_malformed_not_a_crash(tmp_path: Path) -> None:
    log = stream_log()
    export = write_stream(log, tmp_path / "s")
    lines = [json.loads(line) for line in (export / EVENTS_FILE).read_text().splitlines()]
    lines[2]["leaf_index"] = 2**64
    (export / EVENTS_FILE).write_text("".join(json.dumps(line) + "\n" for line in lines))
    out = failed(export, "--key", log.vkey)
    assert out.report["failures"] == [
        {
            "kind": "malformed-line",
            "message": "events.ndjson line 3: leaf_index must be a non-negative 64-bit integer or null",
        },
        {
            "kind": "stream-head",
            "message": f"stream {BUDI}: the export ends at version 2, but its manifest declares version 3 "
            "the stream's latest as of the checkpoint (size 4)",
            "stream": str(BUDI),
            "version": 3,
        },
    ]


def test_a_stream_export_with_no_event_or_a_cut_tail(tmp_path: Path) -> None:
    log = stream_log()
    empty = write_stream(log, tmp_path / "empty", lines=[])
    out = failed(empty, "--key", log.vkey)
    assert out.report["failures"] == [
        {"kind": "stream-head", "message": f"the export holds no event of stream {BUDI}", "stream": str(BUDI)}
    ]
    everything = log.lines()
    hashes = [bytes.fromhex(line["leaf_hash"]) for line in everything]
    first_two = [everything[0], everything[2]]
    for line in first_two:
        line[PROOF_FIELD] = [
            base64.b64encode(h).decode() for h in inclusion_proof(hashes, line["leaf_index"], 4)
        ]
    cut = write_stream(log, tmp_path / "cut", lines=first_two)
    out = failed(cut, "--key", log.vkey)
    assert out.report["failures"] == [
        {
            "kind": "stream-head",
            "message": f"stream {BUDI}: the export ends at version 2, but its manifest declares version 3 "
            "the stream's latest as of the checkpoint (size 4)",
            "stream": str(BUDI),
            "version": 3,
        }
    ]


def test_a_stream_line_that_names_no_event_says_so(tmp_path: Path) -> None:
    log = stream_log()
    export = write_stream(log, tmp_path / "s")
    lines = [json.loads(line) for line in (export / EVENTS_FILE).read_text().splitlines()]
    lines[1].update(event_id=None, originator_id=None, originator_version=None, topic=None, state=None)
    (export / EVENTS_FILE).write_text("".join(json.dumps(line) + "\n" for line in lines))
    out = failed(export, "--key", log.vkey)
    assert out.report["failures"][0] == {
        "kind": "stream-scope",
        "message": f"leaf 2: a line that names no event is not an event of the exported stream {BUDI}",
        "leaf_index": 2,
        "position": 14,
    }
    # Version 2 is then unaccounted for in Budi's stream.
    assert [(f["kind"], f["version"]) for f in out.report["failures"][1:]] == [
        ("stream-version", 2),
        ("stream-chain", 3),
    ]


def test_an_unlogged_event_in_a_stream_export_is_named(tmp_path: Path) -> None:
    log = stream_log()
    export = write_stream(log, tmp_path / "s")
    lines = [json.loads(line) for line in (export / EVENTS_FILE).read_text().splitlines()]
    extra = {**lines[2], "leaf_index": None, "position": 17, "event_id": f"{BUDI}:4", "originator_version": 4}
    del extra["leaf_hash"], extra["chain_hash"], extra[PROOF_FIELD]
    (export / EVENTS_FILE).write_text("".join(json.dumps(line) + "\n" for line in [*lines, extra]))
    out = failed(export, "--key", log.vkey)
    assert out.report["failures"] == [
        {
            "kind": "unlogged-event",
            "message": f"the store holds event {BUDI}:4 at position 17, which the log does not contain",
            "position": 17,
            "event_id": f"{BUDI}:4",
            "stream": str(BUDI),
            "version": 4,
        }
    ]
    assert out.report["leaves"]["unlogged_events"] == 1


def test_a_checkpoint_that_neither_verifies_nor_parses(log: Log, tmp_path: Path, key: str) -> None:
    secret, _ = generate_signer(ORIGIN)
    note = sign_note("not a checkpoint\n", parse_signer_key(secret))
    out = failed(log.write(tmp_path / "e", note=note), "--key", key)
    assert [f["message"] for f in out.report["failures"]] == [
        "the export's checkpoint does not verify with the pinned key: invalid: no signature from a known key"
    ]
    assert (out.report["checkpoint"]["size"], out.report["checkpoint"]["root_matches"]) == (None, None)


def test_the_stream_verifier_refuses_a_whole_log_export(log: Log, tmp_path: Path) -> None:
    export = log.write(tmp_path / "e")
    with pytest.raises(
        UnusableInput, match=f"^{export / MANIFEST_FILE} is not a {STREAM_EXPORT_FORMAT} manifest$"
    ):
        verify_stream_export(export, parse_verifier_key(log.vkey))

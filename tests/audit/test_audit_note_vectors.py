"""C2SP signed-note and tlog-checkpoint tests for ledger.audit.note."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from ledger.audit.note import (
    Checkpoint,
    InvalidSignatureError,
    NoteError,
    UnverifiedNoteError,
    Verifier,
    format_checkpoint,
    generate_signer,
    key_id,
    open_note,
    parse_checkpoint,
    parse_signer_key,
    parse_verifier_key,
    sign_note,
)
from tests.paths import DATA

VECTORS: dict[str, Any] = json.loads((DATA / "signed-note" / "vectors.json").read_text(encoding="utf-8"))
GO = VECTORS["go_reference"]
SPEC = VECTORS["c2sp_spec_example"]
ROOT = bytes(range(32))


def test_go_reference_is_reproduced_byte_for_byte() -> None:
    signer = parse_signer_key(GO["signer_key"])
    assert sign_note(GO["text"], signer).encode() == GO["note"].encode()
    assert signer.verifier().key_string() == GO["verifier_key"]
    assert signer.key_string() == GO["signer_key"]


def test_go_reference_opens() -> None:
    verifier = parse_verifier_key(GO["verifier_key"])
    assert verifier.key_string() == GO["verifier_key"]
    assert open_note(GO["note"], [verifier]) == (GO["text"], ["PeterNeumann"])
    assert open_note(GO["note"].encode(), [verifier]) == (GO["text"], ["PeterNeumann"])


def test_c2sp_spec_example_opens() -> None:
    verifier = parse_verifier_key(SPEC["verifier_key"])
    assert verifier.name == "example.com/foo"
    assert verifier.key_id.hex() == "530d903a"
    text, names = open_note(SPEC["note"], [verifier])
    assert text == "This is an example message.\n"
    assert names == ["example.com/foo"]


def test_key_id_is_truncated_sha256_of_name_type_and_key() -> None:
    raw = base64.b64decode(SPEC["verifier_key"].split("+", 2)[2])
    assert raw[0] == 0x01
    assert key_id("example.com/foo", raw[1:]).hex() == "530d903a"


def test_round_trip_with_generated_key() -> None:
    signer_key, verifier_key = generate_signer("example.com/log")
    assert signer_key.startswith("PRIVATE+KEY+example.com/log+")
    signer, verifier = parse_signer_key(signer_key), parse_verifier_key(verifier_key)
    assert signer.verifier() == verifier
    text = "line one\n\nline three after a blank line — ünïcode\n"
    note = sign_note(text, signer)
    assert note.startswith(text + "\n\u2014 example.com/log ")
    assert open_note(note, [verifier]) == (text, ["example.com/log"])


def test_several_signers_and_unknown_keys() -> None:
    log = parse_signer_key(generate_signer("log.example")[0])
    witness = parse_signer_key(generate_signer("witness.example")[0])
    note = sign_note("hello\n", log, witness)
    assert open_note(note, [log.verifier(), witness.verifier()])[1] == ["log.example", "witness.example"]
    # Unknown keys are ignored as the spec requires, but one known key must verify.
    assert open_note(note, [witness.verifier()])[1] == ["witness.example"]
    with pytest.raises(UnverifiedNoteError):
        open_note(note, [])


def test_tampered_text_rejected() -> None:
    verifier = parse_verifier_key(GO["verifier_key"])
    tampered = GO["note"].replace("cryptography", "cryptographY")
    with pytest.raises(InvalidSignatureError):
        open_note(tampered, [verifier])


def test_tampered_signature_rejected() -> None:
    verifier = parse_verifier_key(GO["verifier_key"])
    head, b64 = GO["note"].rstrip("\n").rsplit(" ", 1)
    sig = bytearray(base64.b64decode(b64))
    sig[10] ^= 1
    with pytest.raises(InvalidSignatureError):
        open_note(f"{head} {base64.b64encode(bytes(sig)).decode()}\n", [verifier])


def test_wrong_key_rejected() -> None:
    other = parse_signer_key(generate_signer("PeterNeumann")[0])
    # Same name, different key: a different key ID, so an unknown key.
    with pytest.raises(UnverifiedNoteError):
        open_note(GO["note"], [other.verifier()])
    # Same name and key ID but a different public key: must be verified, and fail.
    impostor = Verifier("PeterNeumann", bytes.fromhex("c74f20a3"), other.verifier().public_key)
    with pytest.raises(InvalidSignatureError):
        open_note(GO["note"], [impostor])


GOOD_LINE = GO["note"].split("\n\n")[-1]  # "— PeterNeumann <base64>\n"


@pytest.mark.parametrize(
    "note",
    [
        pytest.param(GO["text"], id="no-signatures"),
        pytest.param(GO["text"] + "\n", id="empty-signature-block"),
        pytest.param(GO["note"].rstrip("\n"), id="no-final-newline"),
        pytest.param(GO["text"] + GOOD_LINE, id="no-blank-line"),
        pytest.param(GO["text"] + "\n" + GOOD_LINE.replace("\u2014", "-"), id="hyphen-not-em-dash"),
        pytest.param(GO["text"] + "\n" + GOOD_LINE.replace("\u2014 ", "\u2014"), id="no-space"),
        pytest.param(GO["text"] + "\n" + GOOD_LINE.replace(" x08", " !x08"), id="bad-base64"),
        pytest.param(GO["text"] + "\n" + GOOD_LINE.replace("AM=", "A"), id="bad-padding"),
        pytest.param(GO["text"] + "\n\u2014 PeterNeumann x08g\n", id="short-signature"),
        pytest.param(GO["text"] + "\n\u2014 PeterNeumann x08go/Y=\n", id="truncated-signature"),
        pytest.param(GO["text"] + "\n\u2014  x08go/ZJ\n", id="empty-name"),
        pytest.param(GO["text"] + "\n" + GOOD_LINE + "\n", id="blank-line-at-end"),
        pytest.param(GO["note"].replace("problem,\n", "problem,\r\n"), id="carriage-return"),
        pytest.param(GO["note"].replace("you think", "you\tthink"), id="tab"),
        pytest.param(GO["note"].replace("answer", "answer\ud800"), id="lone-surrogate"),
        pytest.param(GO["text"] + "\n" + GOOD_LINE * 101, id="too-many-signatures"),
    ],
)
def test_malformed_notes_rejected(note: str) -> None:
    with pytest.raises(NoteError):
        open_note(note, [parse_verifier_key(GO["verifier_key"])])


def test_invalid_utf8_rejected() -> None:
    note = GO["note"].encode().replace(b"answer", b"answ\xffr")
    with pytest.raises(NoteError):
        open_note(note, [parse_verifier_key(GO["verifier_key"])])


def test_repeated_signature_counted_once() -> None:
    note = GO["note"] + GOOD_LINE
    assert open_note(note, [parse_verifier_key(GO["verifier_key"])])[1] == ["PeterNeumann"]


@pytest.mark.parametrize("text", ["no newline", "tab\there\n", "bell\a\n"])
def test_sign_rejects_bad_text(text: str) -> None:
    with pytest.raises(NoteError):
        sign_note(text, parse_signer_key(GO["signer_key"]))


def test_sign_needs_distinct_signers() -> None:
    signer = parse_signer_key(GO["signer_key"])
    with pytest.raises(NoteError):
        sign_note("text\n")
    with pytest.raises(NoteError):
        sign_note("text\n", signer, signer)


VKEY = GO["verifier_key"]


@pytest.mark.parametrize(
    "vkey",
    [
        "",
        "PeterNeumann",
        "PeterNeumann+c74f20a3",
        VKEY.replace("c74f20a3", "c74f20a4"),  # key ID does not match
        VKEY.replace("c74f20a3", "c74f20a"),
        VKEY.replace("c74f20a3", "c74f 20a"),
        VKEY.replace("PeterNeumann", "Peter Neumann"),
        VKEY.replace("PeterNeumann", "Peter\u00a0Neumann"),
        VKEY.replace("+ARpc", "+AhpC"),  # not algorithm 0x01
        VKEY[:-4],  # truncated key
        VKEY + "AAAA",  # long key
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ],
)
def test_malformed_verifier_keys_rejected(vkey: str) -> None:
    with pytest.raises(NoteError):
        parse_verifier_key(vkey)


SKEY = GO["signer_key"]


@pytest.mark.parametrize(
    "skey",
    [
        SKEY.removeprefix("PRIVATE+KEY+"),
        SKEY.replace("PRIVATE", "private"),
        SKEY.replace("c74f20a3", "c74f20a4"),
        SKEY.replace("PeterNeumann", "PeterNeuman"),
        SKEY[:-4],
        VKEY,
    ],
)
def test_malformed_signer_keys_rejected(skey: str) -> None:
    with pytest.raises(NoteError):
        parse_signer_key(skey)


def test_generate_signer_rejects_bad_names() -> None:
    for name in ["", "a b", "a+b", "a\nb"]:
        with pytest.raises(NoteError):
            generate_signer(name)


def test_checkpoint_round_trip() -> None:
    text = format_checkpoint("example.com/log", 20852163, ROOT)
    assert text == f"example.com/log\n20852163\n{base64.b64encode(ROOT).decode()}\n"
    assert parse_checkpoint(text) == Checkpoint("example.com/log", 20852163, ROOT)
    assert parse_checkpoint(format_checkpoint("o", 0, ROOT)).size == 0
    with_ext = format_checkpoint("o", 1, ROOT, ["ext one", "ext two"])
    assert parse_checkpoint(with_ext) == Checkpoint("o", 1, ROOT, ("ext one", "ext two"))


def test_signed_checkpoint_flow() -> None:
    signer_key, verifier_key = generate_signer("example.com/log")
    note = sign_note(format_checkpoint("example.com/log", 5, ROOT), parse_signer_key(signer_key))
    text, names = open_note(note, [parse_verifier_key(verifier_key)])
    assert names == ["example.com/log"]
    assert parse_checkpoint(text) == Checkpoint("example.com/log", 5, ROOT)


B64_ROOT = base64.b64encode(ROOT).decode()


@pytest.mark.parametrize(
    "text",
    [
        f"o\n5\n{B64_ROOT}",  # no final newline
        "o\n5\n",
        f"\n5\n{B64_ROOT}\n",  # empty origin
        f"o\n05\n{B64_ROOT}\n",
        f"o\n00\n{B64_ROOT}\n",
        f"o\n+5\n{B64_ROOT}\n",
        f"o\n-5\n{B64_ROOT}\n",
        f"o\n 5\n{B64_ROOT}\n",
        f"o\n5.0\n{B64_ROOT}\n",
        f"o\n\u0665\n{B64_ROOT}\n",  # Arabic-Indic digit five
        f"o\n\n{B64_ROOT}\n",
        f"o\n{2**64}\n{B64_ROOT}\n",
        f"o\n{'9' * 5000}\n{B64_ROOT}\n",
        f"o\n5\n{base64.b64encode(ROOT[:31]).decode()}\n",
        f"o\n5\n{base64.b64encode(ROOT + b'x').decode()}\n",
        f"o\n5\n{B64_ROOT.rstrip('=')}\n",
        f"o\n5\n{B64_ROOT[:-2]}9=\n",  # non-canonical trailing bits
        f"o\n5\n{B64_ROOT}\n\n",  # empty extension line
        f"o\n5\n{B64_ROOT}\r\n",
    ],
)
def test_strict_checkpoint_parse(text: str) -> None:
    with pytest.raises(NoteError):
        parse_checkpoint(text)


@pytest.mark.parametrize(
    "args",
    [
        ("", 1, ROOT, ()),
        ("a\nb", 1, ROOT, ()),
        ("o", -1, ROOT, ()),
        ("o", 1, ROOT[:31], ()),
        ("o", 1, ROOT, ("",)),
        ("o", 1, ROOT, ("a\nb",)),
    ],
)
def test_format_checkpoint_rejects_bad_fields(args: tuple[Any, ...]) -> None:
    with pytest.raises(NoteError):
        format_checkpoint(*args)

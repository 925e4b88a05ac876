"""Signed notes and checkpoints: every refusal with its exact type and message, and the edges.

The offline verifier prints these messages to whoever checks a checkpoint, so they are part of
its output. Written against surviving mutants of ledger/audit/note.py (docs/TESTING.md).
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest

from ledger.audit.note import (
    MAX_SIGNATURES,
    InvalidSignatureError,
    NoteError,
    UnverifiedNoteError,
    format_checkpoint,
    open_note,
    parse_checkpoint,
    parse_signer_key,
    parse_verifier_key,
    sign_note,
)
from tests.paths import DATA

GO: dict[str, Any] = json.loads((DATA / "signed-note" / "vectors.json").read_text(encoding="utf-8"))[
    "go_reference"
]
TEXT: str = GO["text"]
NOTE: str = GO["note"]
LINE = NOTE.rsplit("\n\n", maxsplit=1)[-1]  # "— PeterNeumann <base64>\n"
SIGNER = parse_signer_key(GO["signer_key"])
VERIFIER = parse_verifier_key(GO["verifier_key"])
VKEY: str = GO["verifier_key"]
SKEY: str = GO["signer_key"]
ROOT = bytes(range(32))


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def unknown_line(i: int, sig_len: int = 68) -> str:
    """A well-formed signature line from a key nobody knows (skipped, as the spec requires)."""
    return f"\u2014 witness{i} {b64(bytes([i % 256]) * sig_len)}\n"


def exactly(message: str) -> str:
    return f"^{re.escape(message)}$"


@pytest.mark.parametrize(
    ("note", "error", "message"),
    [
        (NOTE.encode().replace(b"answer", b"answ\xffr"), NoteError, "not valid UTF-8"),
        (NOTE.replace("you think", "you\tthink"), NoteError, "control character in note"),
        (NOTE.replace("answer", "answer\ud800"), NoteError, "not valid UTF-8"),
        (TEXT + LINE, NoteError, "no blank line before the signatures"),
        (NOTE.rstrip("\n"), NoteError, "signature block must end with a newline"),
        (TEXT + "\n" + LINE * (MAX_SIGNATURES + 1), NoteError, "too many signatures"),
        (
            TEXT + "\n" + LINE.replace("\u2014 ", "- "),
            NoteError,
            f"malformed signature line: {LINE.replace(chr(0x2014) + ' ', '- ').rstrip()!r}",
        ),
        (TEXT + "\n\u2014 PeterNeumann x08g\n", NoteError, "signature too short"),
        (TEXT + "\n\u2014 Peter+Neumann x08go/ZJ\n", NoteError, "invalid key name: 'Peter+Neumann'"),
        (TEXT + "\n\u2014 PeterNeumann x08go/Z=\n", NoteError, "non-canonical base64: 'x08go/Z='"),
        (
            NOTE.replace("cryptography", "cryptographY"),
            InvalidSignatureError,
            "bad signature from PeterNeumann",
        ),
        (TEXT + "\n" + unknown_line(1), UnverifiedNoteError, "no signature from a known key"),
    ],
)
def test_open_note_refusals_are_exact(note: str | bytes, error: type[NoteError], message: str) -> None:
    with pytest.raises(error, match=exactly(message)) as raised:
        open_note(note, [VERIFIER])
    assert type(raised.value) is error


def test_a_second_space_in_a_signature_line_is_bad_base64_not_a_bad_name() -> None:
    # The name ends at the first space; everything after it is the signature.
    with pytest.raises(NoteError, match=exactly("invalid base64: 'x08go/ZJ AAAA'")):
        open_note(TEXT + "\n\u2014 PeterNeumann x08go/ZJ AAAA\n", [VERIFIER])


def test_exactly_max_signatures_are_accepted() -> None:
    note = NOTE + "".join(unknown_line(i) for i in range(MAX_SIGNATURES - 1))
    assert open_note(note, [VERIFIER]) == (TEXT, ["PeterNeumann"])


def test_a_five_byte_signature_from_an_unknown_key_is_long_enough_to_skip() -> None:
    # 4 bytes of key ID and 1 of signature is the shortest line the format admits.
    assert open_note(NOTE + unknown_line(7, sig_len=5), [VERIFIER]) == (TEXT, ["PeterNeumann"])
    with pytest.raises(NoteError, match=exactly("signature too short")):
        open_note(NOTE + unknown_line(7, sig_len=4), [VERIFIER])


def test_a_note_whose_text_is_a_single_newline_opens() -> None:
    # The blank line that ends the text is then at offset 0 of the note.
    note = sign_note("\n", SIGNER)
    assert note.startswith("\n\n\u2014 PeterNeumann ")
    assert open_note(note, [VERIFIER]) == ("\n", ["PeterNeumann"])


@pytest.mark.parametrize(
    ("text", "signers", "message"),
    [
        ("no newline", (SIGNER,), "note text must end with a newline"),
        ("bell\a\n", (SIGNER,), "control character in note"),
        ("text\n", (), "need one or more distinct signers"),
        ("text\n", (SIGNER, SIGNER), "need one or more distinct signers"),
    ],
)
def test_sign_note_refusals_are_exact(text: str, signers: tuple[Any, ...], message: str) -> None:
    with pytest.raises(NoteError, match=exactly(message)):
        sign_note(text, *signers)


@pytest.mark.parametrize(
    ("vkey", "message"),
    [
        ("PeterNeumann+c74f20a3", "verifier key must be name+keyid+key"),
        (VKEY.replace("c74f20a3", "c74f20a4"), "verifier key ID does not match the key"),
        (VKEY.replace("c74f20a3", "c74f20a"), "invalid key ID: 'c74f20a'"),
        (VKEY.replace("c74f20a3", "c74f20ag"), "invalid key ID: 'c74f20ag'"),
        (VKEY.replace("PeterNeumann", "Peter Neumann"), "invalid key name: 'Peter Neumann'"),
        (VKEY.replace("+ARpc", "+AhpC"), "not an Ed25519 key"),
        (VKEY[:-4], "not an Ed25519 key"),
        (VKEY + "!", f"invalid base64: {VKEY.split('+', 2)[2] + '!'!r}"),
    ],
)
def test_verifier_key_refusals_are_exact(vkey: str, message: str) -> None:
    with pytest.raises(NoteError, match=exactly(message)):
        parse_verifier_key(vkey)


@pytest.mark.parametrize(
    ("skey", "message"),
    [
        (SKEY.removeprefix("PRIVATE+KEY+"), "signer key must be PRIVATE+KEY+name+keyid+key"),
        (SKEY.replace("PRIVATE", "private"), "signer key must be PRIVATE+KEY+name+keyid+key"),
        (SKEY.replace("c74f20a3", "c74f20a4"), "signer key ID does not match the key"),
    ],
)
def test_signer_key_refusals_are_exact(skey: str, message: str) -> None:
    with pytest.raises(NoteError, match=exactly(message)):
        parse_signer_key(skey)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"log\n5\n{b64(ROOT)}", "checkpoint must end with a newline"),
        ("log\n5\n", "checkpoint needs at least three lines, none empty"),
        (f"log\n\n{b64(ROOT)}\n", "checkpoint needs at least three lines, none empty"),
        (f"log\n05\n{b64(ROOT)}\n", "invalid tree size: '05'"),
        (f"log\n-5\n{b64(ROOT)}\n", "invalid tree size: '-5'"),
        (f"log\n{2**64}\n{b64(ROOT)}\n", f"invalid tree size: '{2**64}'"),
        (f"log\n{'1' * 21}\n{b64(ROOT)}\n", f"invalid tree size: '{'1' * 21}'"),
        (f"log\n5\n{b64(ROOT[:31])}\n", "root hash must be 32 bytes"),
        (f"log\t1\n5\n{b64(ROOT)}\n", "control character in note"),
    ],
)
def test_checkpoint_refusals_are_exact(text: str, message: str) -> None:
    with pytest.raises(NoteError, match=exactly(message)):
        parse_checkpoint(text)


def test_checkpoint_size_edges() -> None:
    assert parse_checkpoint(f"log\n{2**64 - 1}\n{b64(ROOT)}\n").size == 2**64 - 1
    assert parse_checkpoint(f"log\n0\n{b64(ROOT)}\n").size == 0
    assert parse_checkpoint(f"log\n5\n{b64(ROOT)}\next one\next two\n").extensions == ("ext one", "ext two")


def test_format_checkpoint_refuses_fields_that_would_not_parse_back() -> None:
    assert format_checkpoint("log", 5, ROOT, ["x"]) == f"log\n5\n{b64(ROOT)}\nx\n"
    with pytest.raises(NoteError, match=exactly("checkpoint fields would not parse back")):
        format_checkpoint("log", 5, ROOT, ["x\ny"])

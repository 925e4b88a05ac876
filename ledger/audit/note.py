"""C2SP signed notes with Ed25519 keys, and tlog-checkpoint note texts.

Specs: https://c2sp.org/signed-note and https://c2sp.org/tlog-checkpoint.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

ALG_ED25519 = 0x01
MAX_SIGNATURES = 100  # the spec requires accepting at least 16; Go's reference allows 100
ROOT_SIZE = 32
_SIG_PREFIX = "\u2014 "  # em dash, space


class NoteError(ValueError):
    """A note, key string or checkpoint is malformed or does not verify."""


class InvalidSignatureError(NoteError):
    """A signature from a known key does not verify."""


class UnverifiedNoteError(NoteError):
    """No signature from a known key: the spec says the note MUST be rejected."""


@dataclass(frozen=True)
class Verifier:
    """A named Ed25519 public key with its 4-byte key ID."""

    name: str
    key_id: bytes
    public_key: Ed25519PublicKey = field(repr=False)

    def key_string(self) -> str:
        """The verifier key as `name+hex(key ID)+base64(0x01 || public key)`."""
        raw = bytes([ALG_ED25519]) + self.public_key.public_bytes_raw()
        return f"{self.name}+{self.key_id.hex()}+{_b64(raw)}"


@dataclass(frozen=True)
class Signer:
    """A named Ed25519 private key with its 4-byte key ID."""

    name: str
    key_id: bytes
    private_key: Ed25519PrivateKey = field(repr=False)

    def verifier(self) -> Verifier:
        return Verifier(self.name, self.key_id, self.private_key.public_key())

    def key_string(self) -> str:
        """The secret signer key as `PRIVATE+KEY+name+hex(key ID)+base64(0x01 || seed)`."""
        raw = bytes([ALG_ED25519]) + self.private_key.private_bytes_raw()
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{_b64(raw)}"


@dataclass(frozen=True)
class Checkpoint:
    """The parsed text of a tlog checkpoint."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()


def key_id(name: str, public_key: bytes) -> bytes:
    """Signed-note Ed25519 key ID: SHA-256(name || 0x0A || 0x01 || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([ALG_ED25519]) + public_key).digest()[:4]


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    """Standard base64, canonical only, so that no value has two encodings."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise NoteError(f"invalid base64: {text!r}") from exc
    if _b64(raw) != text:
        raise NoteError(f"non-canonical base64: {text!r}")
    return raw


def _check_chars(text: str) -> None:
    """Valid UTF-8 and no ASCII control characters other than newline."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates cannot come from valid UTF-8
        raise NoteError("not valid UTF-8") from exc
    if any(ch < " " and ch != "\n" for ch in text):
        raise NoteError("control character in note")


def _check_name(name: str) -> None:
    """Key names are non-empty, without Unicode spaces or '+' (the key string separator)."""
    _check_chars(name)
    if not name or "+" in name or any(ch.isspace() for ch in name):
        raise NoteError(f"invalid key name: {name!r}")


def _parse_key(name: str, id_hex: str, key_b64: str) -> tuple[bytes, bytes]:
    """Common tail of key strings: (key ID, 32 key bytes after the 0x01 type byte)."""
    _check_name(name)
    if len(id_hex) != 8 or any(ch not in string.hexdigits for ch in id_hex):
        raise NoteError(f"invalid key ID: {id_hex!r}")
    raw = _unb64(key_b64)
    if len(raw) != 33 or raw[0] != ALG_ED25519:
        raise NoteError("not an Ed25519 key")
    return bytes.fromhex(id_hex), raw[1:]


def parse_verifier_key(vkey: str) -> Verifier:
    """Parse `name+hex8+base64(0x01 || public key)`, checking the key ID."""
    parts = vkey.split("+", 2)  # maxsplit: base64 itself may contain '+'
    if len(parts) != 3:
        raise NoteError("verifier key must be name+keyid+key")
    name, id_hex, key_b64 = parts
    kid, raw = _parse_key(name, id_hex, key_b64)
    if key_id(name, raw) != kid:
        raise NoteError("verifier key ID does not match the key")
    try:
        public_key = Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise NoteError("invalid Ed25519 public key") from exc
    return Verifier(name, kid, public_key)


def parse_signer_key(skey: str) -> Signer:
    """Parse `PRIVATE+KEY+name+hex8+base64(0x01 || seed)`, checking the key ID."""
    parts = skey.split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise NoteError("signer key must be PRIVATE+KEY+name+keyid+key")
    name, id_hex, key_b64 = parts[2:]
    kid, seed = _parse_key(name, id_hex, key_b64)
    private_key = Ed25519PrivateKey.from_private_bytes(seed)
    if key_id(name, private_key.public_key().public_bytes_raw()) != kid:
        raise NoteError("signer key ID does not match the key")
    return Signer(name, kid, private_key)


def generate_signer(name: str) -> tuple[str, str]:
    """A fresh Ed25519 key as (signer key string, verifier key string)."""
    _check_name(name)
    private_key = Ed25519PrivateKey.generate()
    signer = Signer(name, key_id(name, private_key.public_key().public_bytes_raw()), private_key)
    return signer.key_string(), signer.verifier().key_string()


def sign_note(text: str, *signers: Signer) -> str:
    """Sign `text` (which must end in a newline): text, blank line, one line per signer."""
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    _check_chars(text)
    if not signers or len({(s.name, s.key_id) for s in signers}) != len(signers):
        raise NoteError("need one or more distinct signers")
    lines = []
    for signer in signers:
        _check_name(signer.name)
        signature = signer.private_key.sign(text.encode("utf-8"))
        lines.append(f"{_SIG_PREFIX}{signer.name} {_b64(signer.key_id + signature)}\n")
    return text + "\n" + "".join(lines)


def open_note(note: str | bytes, verifiers: Iterable[Verifier]) -> tuple[str, list[str]]:
    """Verify a signed note: returns its text and the names of the known keys that signed it.

    Signatures by unknown keys are skipped (the spec requires it); a bad signature
    from a known key, or no verified signature at all, raises a NoteError.
    """
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NoteError("not valid UTF-8") from exc
    _check_chars(note)
    split = note.rfind("\n\n")  # the text may hold blank lines; signatures never do
    if split < 0:
        raise NoteError("no blank line before the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block.endswith("\n"):
        raise NoteError("signature block must end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError("too many signatures")
    known = {(v.name, v.key_id): v for v in verifiers}
    verified: list[tuple[str, bytes]] = []
    for line in lines:
        if not line.startswith(_SIG_PREFIX):
            raise NoteError(f"malformed signature line: {line!r}")
        name, _, sig_b64 = line[len(_SIG_PREFIX) :].partition(" ")
        _check_name(name)
        sig = _unb64(sig_b64)
        if len(sig) < 5:
            raise NoteError("signature too short")
        verifier = known.get((name, sig[:4]))
        if verifier is None:
            continue
        try:
            verifier.public_key.verify(sig[4:], text.encode("utf-8"))
        except InvalidSignature as exc:
            raise InvalidSignatureError(f"bad signature from {name}") from exc
        if (name, sig[:4]) not in verified:
            verified.append((name, sig[:4]))
    if not verified:
        raise UnverifiedNoteError("no signature from a known key")
    return text, [name for name, _ in verified]


def format_checkpoint(origin: str, size: int, root: bytes, extensions: Sequence[str] = ()) -> str:
    """tlog-checkpoint note text: origin, decimal size, base64 root, extension lines."""
    text = "".join(f"{line}\n" for line in (origin, str(size), _b64(root), *extensions))
    if parse_checkpoint(text) != Checkpoint(origin, size, root, tuple(extensions)):
        raise NoteError("checkpoint fields would not parse back")  # e.g. a newline in origin
    return text


def parse_checkpoint(text: str) -> Checkpoint:
    """Strictly parse a tlog-checkpoint note text."""
    _check_chars(text)
    if not text.endswith("\n"):
        raise NoteError("checkpoint must end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or not all(lines):
        raise NoteError("checkpoint needs at least three lines, none empty")
    origin, size_line, root_line, *extensions = lines
    # Decimal digits only, no leading zeros (str(int(x)) != x), and within uint64.
    if not (size_line.isascii() and size_line.isdigit() and len(size_line) <= 20):
        raise NoteError(f"invalid tree size: {size_line!r}")
    size = int(size_line)
    if str(size) != size_line or size >= 2**64:
        raise NoteError(f"invalid tree size: {size_line!r}")
    root = _unb64(root_line)
    if len(root) != ROOT_SIZE:
        raise NoteError("root hash must be 32 bytes")
    return Checkpoint(origin, size, root, tuple(extensions))

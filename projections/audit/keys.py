"""The log's signing key: an Ed25519 key in LEDGER_DATA_DIR, created on first use with mode 0600."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from ledger.audit.note import NoteError, Signer, generate_signer, parse_signer_key
from ledger.config import Settings
from projections.audit.schema import AuditIntegrityError, log

KEY_FILE = "audit-log.key"


def key_path(settings: Settings) -> Path:
    return Path(settings.data_dir) / KEY_FILE


def load_signer(settings: Settings) -> Signer:
    """The log's Ed25519 signer, created on first use (mode 0600) under LEDGER_DATA_DIR.

    Its name is the log origin (LEDGER_LOG_ORIGIN). Concurrent first users agree on one key:
    each writes a private temporary file and hard-links it into place; link() fails for all
    but the first, and everyone then reads the winner's key.
    """
    path = key_path(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        secret, _ = generate_signer(settings.log_origin)
        tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.{uuid.uuid4().hex}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as out:
                out.write(secret + "\n")
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):  # another process won: use its key
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        log.warning(
            "audit signing key %s was readable by others (mode %o); restricting it to 0600", path, mode
        )
        path.chmod(0o600)
    try:
        signer = parse_signer_key(path.read_text(encoding="utf-8").strip())
    except NoteError as exc:
        raise AuditIntegrityError(f"{path} does not hold a signer key: {exc}") from None
    if signer.name != settings.log_origin:
        raise AuditIntegrityError(
            f"the audit key in {path} signs for log {signer.name!r} but LEDGER_LOG_ORIGIN is "
            f"{settings.log_origin!r}; a log keeps its origin for life"
        )
    return signer

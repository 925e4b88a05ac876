"""Bearer JWT tokens, roles and who may do what (the FastAPI dependencies that apply them are in
api.dependencies).

Tokens are HS256 JWTs signed with a secret kept in `LEDGER_DATA_DIR/token-secret` (created on first
use, mode 0600). Claims: `sub`, `role`, `agency` (appraisers), `iat`, `exp`, `iss`, `jti`.
`ledger token issue` and the server read the same file, so a printed token is accepted.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import secrets
import stat
import time
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import jwt

from api.problems import ApiProblem
from ledger.nip import is_valid_nip
from ledger.values import CODE

SECRET_FILE = "token-secret"
ISSUER = "kinerja-ledger"
ALGORITHM = "HS256"
DEFAULT_TTL_S = 3600
MAX_TTL_S = 30 * 24 * 3600
LEEWAY_S = 30
log = logging.getLogger("kinerja.api")


class Role(StrEnum):
    """Roles a token can carry (citizens have no token)."""

    HR = "hr"
    APPRAISER = "appraiser"
    AUDITOR = "auditor"
    INSPECTOR = "inspector"
    EMPLOYEE = "employee"
    ADMIN = "admin"


# Who may do what (docs/API.md, roles). Admin can do everything HR can.
WRITERS = frozenset({Role.HR, Role.ADMIN})
APPRAISAL_WRITERS = frozenset({Role.HR, Role.ADMIN, Role.APPRAISER})
STAFF_READERS = frozenset({Role.HR, Role.ADMIN, Role.AUDITOR, Role.INSPECTOR})
ACCESS_LOG_READERS = frozenset({Role.AUDITOR, Role.INSPECTOR})  # plus the employee themselves
SANCTION_READERS = frozenset({Role.HR, Role.ADMIN, Role.AUDITOR, Role.INSPECTOR})


@dataclass(frozen=True)
class Principal:
    sub: str
    role: Role
    agency: str | None = None

    def is_self(self, nip: str) -> bool:
        return self.role is Role.EMPLOYEE and self.sub == nip


# ------------------------------------------------------------------------- key material


def secret_path(data_dir: Path) -> Path:
    return Path(data_dir) / SECRET_FILE


def load_secret(data_dir: Path) -> bytes:
    """The HS256 secret, created on first use (mode 0600; concurrent creators agree on one)."""
    path = secret_path(data_dir)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{uuid.uuid4().hex}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as out:
                out.write(base64.b64encode(secrets.token_bytes(32)).decode() + "\n")
                out.flush()
                os.fsync(out.fileno())
            # link() fails if another process won the race: then everyone uses its secret.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("token secret was readable by others (mode %o); restricting it to 0600", mode)
        path.chmod(0o600)
    secret = base64.b64decode(path.read_text().strip())
    if len(secret) < 32:
        raise ValueError(f"{path} holds a secret shorter than 32 bytes")
    return secret


def issue_token(
    secret: bytes, *, role: str, sub: str, agency: str | None = None, ttl_s: int = DEFAULT_TTL_S
) -> str:
    """A signed token; raises ValueError on claims the server would refuse."""
    role_ok = Role(role)  # ValueError on an unknown role
    if not sub or len(sub) > 128 or not sub.isprintable():
        raise ValueError("sub must be 1-128 printable characters")
    if role_ok is Role.EMPLOYEE and not is_valid_nip(sub):
        raise ValueError("an employee token's sub must be the employee's NIP")
    if role_ok is Role.APPRAISER and not agency:
        raise ValueError("an appraiser token needs --agency (appraisers write only within their agency)")
    if agency is not None and not CODE.fullmatch(agency):
        raise ValueError("agency must be an agency code such as DINKES")
    if not 1 <= ttl_s <= MAX_TTL_S:
        raise ValueError(f"ttl must be between 1 and {MAX_TTL_S} seconds")
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": sub,
        "role": role_ok.value,
        "iat": now,
        "exp": now + ttl_s,
        "jti": uuid.uuid4().hex,
    }
    if agency:
        claims["agency"] = agency
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_token(secret: bytes, token: str) -> Principal:
    """Verify signature and claims; raises ApiProblem(401) with a reason that reveals no secret."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            leeway=LEEWAY_S,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise unauthenticated("the token has expired") from None
    except jwt.PyJWTError:
        raise unauthenticated("the token is not valid") from None
    try:
        role = Role(str(claims.get("role")))
    except ValueError:
        raise unauthenticated("the token carries an unknown role") from None
    sub, agency = claims.get("sub"), claims.get("agency")
    if not isinstance(sub, str) or not sub:
        raise unauthenticated("the token has no subject")
    if agency is not None and (not isinstance(agency, str) or not CODE.fullmatch(agency)):
        raise unauthenticated("the token carries a malformed agency")
    return Principal(sub=sub, role=role, agency=agency)


def unauthenticated(detail: str) -> ApiProblem:
    return ApiProblem(401, "unauthenticated", detail, headers={"WWW-Authenticate": 'Bearer realm="ledger"'})


def forbidden(detail: str) -> ApiProblem:
    return ApiProblem(403, "forbidden", detail)

"""NIP (PNS) and NI PPPK: 18 digits, validated structurally.

Layout: birth date YYYYMMDD, start of service (TMT) YYYYMM, sex 1|2, serial NNN.
"""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass
from datetime import date

_NIP = re.compile(r"[0-9]{18}")  # fullmatch: no trailing newline, no other scripts' digits
# ASN are at least 18 at appointment (UU 20/2023); an earlier TMT is structurally impossible.
MIN_AGE_AT_TMT = 18


@dataclass(frozen=True)
class Nip:
    value: str
    birth_date: date
    tmt: date  # first day of the TMT month
    sex: int
    serial: str


def parse_nip(text: str) -> Nip:
    """Return the parsed NIP or raise ValueError naming the faulty part."""
    if not isinstance(text, str) or not _NIP.fullmatch(text):
        raise ValueError("NIP must be exactly 18 digits")
    try:
        birth = date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise ValueError("digits 1-8 must be a valid birth date YYYYMMDD") from None
    tmt_year, tmt_month = int(text[8:12]), int(text[12:14])
    if not 1 <= tmt_month <= 12 or tmt_year < 1900:
        raise ValueError("digits 9-14 must be a valid TMT month YYYYMM")
    tmt = date(tmt_year, tmt_month, 1)
    if (tmt.year, tmt.month) < (birth.year + MIN_AGE_AT_TMT, birth.month):
        raise ValueError(f"TMT must be at least {MIN_AGE_AT_TMT} years after the birth date")
    sex = int(text[14])
    if sex not in (1, 2):
        raise ValueError("digit 15 (sex) must be 1 or 2")
    return Nip(value=text, birth_date=birth, tmt=tmt, sex=sex, serial=text[15:18])


def is_valid_nip(text: str) -> bool:
    try:
        parse_nip(text)
    except ValueError:
        return False
    return True


# A fixed namespace so the same NIP maps to the same stream in every deployment.
LEDGER_NAMESPACE = uuid.UUID("6f1b3c2e-5d0a-5b7e-9c41-2a8e7d3f0b19")


@functools.lru_cache(maxsize=65_536)  # a pure function on every command's path (bulk import: every line)
def stream_id(kind: str, key: str) -> uuid.UUID:
    """Deterministic aggregate id, e.g. stream_id('employee', nip)."""
    return uuid.uuid5(LEDGER_NAMESPACE, f"{kind}:{key}")

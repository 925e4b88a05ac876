"""Complaint tracking codes: what a citizen writes down to look their complaint up.

Twelve random symbols of Crockford's base32 (60 bits: guessing one is hopeless at any rate the
public routes allow) and a check symbol (Luhn mod 32, which catches every single mistyped symbol
and every swap of two neighbours), shown in groups: `K7QM-9XD4-RTA2C`. Reading forgives what
people do when copying a code: lower case, spaces or hyphens anywhere, O for 0, I or L for 1.
Written by hand: the check-symbol variant and the forgiving reading are a few lines, and no
maintained library does both.
"""

from __future__ import annotations

from collections.abc import Callable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
RANDOM_SYMBOLS = 12
LENGTH = RANDOM_SYMBOLS + 1
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_ALIASES = {"O": "0", "I": "1", "L": "1"}
GROUPS = (4, 4, 5)
FORMAT_REASON = (
    f"a tracking code has {LENGTH} characters of 0-9 and A-Z without U "
    "(e.g. K7QM-9XD4-RTA2C); check it on the receipt"
)
CHECK_REASON = "the check character does not match: a character was mistyped"


def check_symbol(symbols: str) -> str:
    """Luhn mod 32 over `symbols`: doubling every second symbol from the right."""
    total, factor = 0, 2
    for ch in reversed(symbols):
        addend = factor * _VALUE[ch]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def new_code(random_bytes: Callable[[int], bytes]) -> str:
    """A fresh code from `random_bytes` (the ledger's source: the OS's, or a seeded one in the demo)."""
    raw = int.from_bytes(random_bytes(8), "big") >> 4  # 60 bits
    symbols = "".join(ALPHABET[(raw >> (5 * i)) & 31] for i in reversed(range(RANDOM_SYMBOLS)))
    return _grouped(symbols + check_symbol(symbols))


def parse_code(text: str) -> str:
    """The canonical (grouped, upper-case) code, or ValueError with the reason."""
    if len(text) > 40:
        raise ValueError(FORMAT_REASON)
    plain = "".join(_ALIASES.get(ch, ch) for ch in text.upper() if ch not in " -")
    if len(plain) != LENGTH or any(ch not in _VALUE for ch in plain):
        raise ValueError(FORMAT_REASON)
    if check_symbol(plain[:-1]) != plain[-1]:
        raise ValueError(CHECK_REASON)
    return _grouped(plain)


def _grouped(plain: str) -> str:
    out, start = [], 0
    for size in GROUPS:
        out.append(plain[start : start + size])
        start += size
    return "-".join(out)

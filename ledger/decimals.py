"""Decimals as text: plain digits ("20", "7.5"), never exponent form ("2E+1").

`str(Decimal)` writes an exponent whenever the exponent is positive (`Decimal(20).normalize()`
is `2E+1`) or the number is very small (`1E-7`), so every decimal the ledger stores or shows goes
through `plain`. Events stored before the fix may hold the exponent form; the application's
mapper reads them through `plain_text` (ledger/persistence.py), so that no reader ever sees it.
"""

from __future__ import annotations

from decimal import Decimal


def plain(value: Decimal) -> str:
    """The exact value in positional notation: 2E+1 -> "20", 1E-7 -> "0.0000001", 20.0 -> "20.0"."""
    return format(value, "f")


def plain_normal(value: Decimal) -> str:
    """Without trailing zeros: 20.0 -> "20", 7.50 -> "7.5", 2E+1 -> "20"."""
    return plain(value.normalize())


def plain_text(text: str) -> str:
    """A stored decimal text in plain digits; a text already plain is returned as it is."""
    if "e" not in text.lower():
        return text
    return plain(Decimal(text))

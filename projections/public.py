"""Public aggregates with small-group suppression (k = 5 unless LEDGER_SUPPRESSION_K raises it:
nothing derived from fewer than k people or responses is published).

Every published count, and every figure derived from fewer than k people or responses, is
replaced by ``null`` with ``suppressed: true`` and a reason; each cell of a distribution counts
on its own. Zero is a count too (it says something about every member of the group), so it is
suppressed like any count below k. When exactly one cell of a distribution with a published
total is suppressed, the smallest other cell is suppressed as well (secondary suppression):
otherwise the hidden cell could be recovered as total minus the published cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from ledger.config import Settings


@cache
def threshold() -> int:
    """k, read once per process: the published figures are computed by the projection, so every
    process that runs it must agree (a changed k takes effect with a rebuild)."""
    return Settings.from_env().suppression_k


def reason_small() -> str:
    k = threshold()
    return f"fewer than {k} people or responses (k = {k})"


REASON_SECONDARY = "suppressed so that a small cell cannot be derived from the total"
REASON_DERIVED = "derived from suppressed figures"

PUBLIC_TABLE_COLUMNS = (
    "value TEXT, suppressed INTEGER NOT NULL, reason TEXT"  # value is JSON-encoded when published
)


def figure(value: Any, suppressed: bool = False, reason: str | None = None) -> dict[str, Any]:
    if suppressed:
        return {"value": None, "suppressed": True, "reason": reason or reason_small()}
    return {"value": value, "suppressed": False, "reason": None}


def count(n: int) -> dict[str, Any]:
    """A head or response count: published only from k up."""
    return figure(n) if n >= threshold() else figure(None, True, reason_small())


def distribution(cells: Mapping[str, int]) -> dict[str, dict[str, Any]]:
    """Each cell a count, with secondary suppression when exactly one is hidden."""
    out = {name: count(n) for name, n in cells.items()}
    total = sum(cells.values())
    hidden = [name for name, f in out.items() if f["suppressed"]]
    if total >= threshold() and len(hidden) == 1:
        shown = sorted((n, name) for name, n in cells.items() if not out[name]["suppressed"])
        if shown:
            out[shown[0][1]] = figure(None, True, REASON_SECONDARY)
    return out


def parts_of_total(cells: Mapping[str, int]) -> dict[str, dict[str, Any]]:
    """Cells that add up to a published total: like `distribution`, and further cells are
    hidden, smallest first, until the hidden cells together hold at least k (their sum is the
    total minus the published cells, so two hidden zeros would otherwise be known)."""
    out = distribution(cells)
    while True:
        hidden = [name for name, f in out.items() if f["suppressed"]]
        shown = sorted((n, name) for name, n in cells.items() if not out[name]["suppressed"])
        if not hidden or not shown or sum(cells[name] for name in hidden) >= threshold():
            return out
        out[shown[0][1]] = figure(None, True, REASON_SECONDARY)


def share(numerator: dict[str, Any], parts: list[dict[str, Any]], value: Any) -> dict[str, Any]:
    """A rate is published only when every count it rests on is."""
    if numerator["suppressed"] or any(p["suppressed"] for p in parts):
        return figure(None, True, REASON_DERIVED)
    return figure(value)


def from_responses(respondents: int, value: Any) -> dict[str, Any]:
    """A figure computed from survey responses (IKM, mutu)."""
    return figure(value) if respondents >= threshold() else figure(None, True, reason_small())

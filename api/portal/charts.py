"""Server-side SVG bar charts: geometry computed here, drawn by templates/_chart.html.

No chart library: the charts are horizontal bars with a label and the value written beside each
bar, which a template draws in a few lines; a charting package would bring scripts or a plotting
stack for that. Every chart is also given as a table on the page (screen readers, copying).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
LABEL_W = 250
BAR_X = 260
BAR_MAX_W = 280
ROW_H = 28
BAR_H = 18
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    width: int  # 0 when the value is not shown
    value_text: str
    shown: bool


@dataclass(frozen=True)
class Rule:
    x: int
    label: str


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    rules: tuple[Rule, ...]
    height: int
    width: int = WIDTH
    bar_x: int = BAR_X
    bar_h: int = BAR_H
    label_x: int = LABEL_W


def _x(value: Decimal, low: Decimal, high: Decimal) -> int:
    share = (min(max(value, low), high) - low) / (high - low)
    return round(share * BAR_MAX_W)


def bar_chart(
    title: str,
    rows: list[tuple[str, Decimal | None, str]],
    *,
    low: Decimal,
    high: Decimal,
    rules: tuple[tuple[Decimal, str], ...] = (),
) -> BarChart:
    """`rows`: (label, value or None when suppressed, the text written beside the bar)."""
    bars = []
    for i, (label, value, text) in enumerate(rows):
        y = TOP + i * ROW_H
        width = max(_x(value, low, high), 2) if value is not None else 0
        bars.append(Bar(label[:40], y, width, text, value is not None))
    marks = tuple(Rule(BAR_X + _x(at, low, high), text) for at, text in rules)
    return BarChart(title, tuple(bars), marks, TOP * 2 + max(len(rows), 1) * ROW_H + 14)

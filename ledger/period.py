"""Appraisal periods: annual `YYYY` or periodic `YYYY-MM..YYYY-MM` within one year."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_ANNUAL = re.compile(r"([0-9]{4})")  # fullmatch, ASCII digits only
_PERIODIC = re.compile(r"([0-9]{4})-([0-9]{2})\.\.([0-9]{4})-([0-9]{2})")


@dataclass(frozen=True)
class Period:
    text: str
    year: int
    start_month: int
    end_month: int

    @property
    def annual(self) -> bool:
        return _ANNUAL.fullmatch(self.text) is not None

    @property
    def start(self) -> date:
        return date(self.year, self.start_month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.end_month, calendar.monthrange(self.year, self.end_month)[1])

    def overlaps(self, other: Period) -> bool:
        """Two periodic appraisals may not cover the same month (annual ones are separate)."""
        if self.annual or other.annual:
            return self.text == other.text
        return self.year == other.year and not (
            self.end_month < other.start_month or other.end_month < self.start_month
        )


def parse_period(text: str) -> Period:
    if not isinstance(text, str):
        raise ValueError("period must be a string")
    if m := _ANNUAL.fullmatch(text):
        year = int(m.group(1))
        _check_year(year)
        return Period(text, year, 1, 12)
    if m := _PERIODIC.fullmatch(text):
        y1, m1, y2, m2 = (int(g) for g in m.groups())
        if y1 != y2:
            raise ValueError("a periodic appraisal must lie within one year")
        _check_year(y1)
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            raise ValueError("months must be 01..12")
        if m1 > m2:
            raise ValueError("period start must not be after its end")
        return Period(text, y1, m1, m2)
    raise ValueError("period must be YYYY or YYYY-MM..YYYY-MM")


def _check_year(year: int) -> None:
    if not 1950 <= year <= 2200:
        raise ValueError("year out of range 1950..2200")

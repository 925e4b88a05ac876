"""The date problems the Employee aggregate's commands share: a date that precedes what it
follows (the service start, a decision, a filing), and a decision date in the future."""

from __future__ import annotations

from datetime import date

from ledger import values
from ledger.errors import FieldError


def not_before(field: str, day: date | None, earliest: date | None, reason: str) -> list[FieldError]:
    """The field's date, when given, may not precede `earliest` (when known)."""
    return [FieldError(field, reason)] if day and earliest and day < earliest else []


def not_in_future(field: str, day: date | None, today: date) -> list[FieldError]:
    return values.decision_date_problems(field, day, today)

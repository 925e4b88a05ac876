"""Collects every field problem of a command so the caller sees them all at once."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from ledger import values
from ledger.clock import parse_date
from ledger.errors import FieldError, ValidationFailed

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

CODE = re.compile(values.CODE_PATTERN)
EVENT_ID = re.compile(values.EVENT_ID_PATTERN)
MAX_TEXT = values.TEXT_MAX


def refused_character(text: str) -> str | None:
    """Why `text` may not be stored, if it holds a character no record should keep."""
    for ch in text:
        if ch in "\n\t":
            continue
        category = unicodedata.category(ch)
        # Cc is C0, DEL and C1: invisible, and they corrupt exports and terminals.
        if category == "Cc":
            return "control characters are not allowed"
        # A lone surrogate (JSON allows "\ud800") cannot be encoded as UTF-8 and would fail the save.
        if category == "Cs":
            return "lone surrogates are not allowed"
    return None


class Checker:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, reason: str) -> None:
        self.errors.append(FieldError(field, reason))

    def extend(self, problems: list[FieldError]) -> None:
        """Add what a domain object found, so it is reported with the input's own problems."""
        self.errors.extend(problems)

    def done(self) -> None:
        if self.errors:
            raise ValidationFailed.of(self.errors)

    def enum(self, field: str, value: object, kind: type[E]) -> E | None:
        try:
            return kind(value)  # type: ignore[arg-type]
        except ValueError:
            self.add(field, f"must be one of {', '.join(m.value for m in kind)}")
            return None

    def text(
        self, field: str, value: object, *, required: bool = True, max_len: int = MAX_TEXT
    ) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(field, "required")
            return None
        if not isinstance(value, str):
            self.add(field, "must be a string")
            return None
        # The limit is on what is stored: surrounding whitespace is dropped first.
        text = value.strip()
        if len(text) > max_len:
            self.add(field, f"at most {max_len} characters")
            return None
        # On the raw value: str.strip() also drops some controls (U+001C-U+001F, U+0085, CR).
        problem = refused_character(value)
        if problem is not None:
            self.add(field, problem)
            return None
        return text

    def code(self, field: str, value: object) -> str | None:
        if not isinstance(value, str) or not CODE.fullmatch(value):
            self.add(
                field, "must be 2-32 characters of A-Z, 0-9, '_' or '-', starting with a letter or digit"
            )
            return None
        return value

    def date(self, field: str, value: object, *, required: bool = True) -> date | None:
        if value is None:
            if required:
                self.add(field, "required")
            return None
        if isinstance(value, date):
            return value
        if not isinstance(value, str):
            self.add(field, "must be a date YYYY-MM-DD")
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            self.add(field, str(exc))
            return None

    def parse(self, field: str, value: object, parser: Callable[[str], T]) -> T | None:
        if not isinstance(value, str):
            self.add(field, "must be a string")
            return None
        try:
            return parser(value)
        except ValueError as exc:
            self.add(field, str(exc))
            return None

    def int_range(self, field: str, value: object, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(field, "must be an integer")
            return None
        if not low <= value <= high:
            self.add(field, f"must be between {low} and {high}")
            return None
        return value

    def event_id(self, field: str, value: object) -> str | None:
        if not isinstance(value, str) or not EVENT_ID.fullmatch(value):
            self.add(field, "must be an event id '<uuid>:<version>'")
            return None
        return value

    def decimal(self, field_name: str, value: object) -> Decimal | None:
        """A finite number given as int, float, decimal string or Decimal."""
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.add(field_name, "must be a number")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.add(field_name, "must be a number")
            return None
        if not number.is_finite():
            self.add(field_name, "must be a finite number")
            return None
        return number

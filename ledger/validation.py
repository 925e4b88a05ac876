"""Collects every problem of a command so the caller sees them all at once."""

from __future__ import annotations

from ledger.errors import FieldError, ValidationFailed


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

"""Domain errors. Each maps to one HTTP status in the API layer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    reason: str


class LedgerError(Exception):
    """Base class: a command was refused and nothing was written."""

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class ValidationFailed(LedgerError):
    """Malformed input: types, enums, ranges, unknown references, impossible dates (422)."""

    @classmethod
    def on(cls, field: str, reason: str) -> ValidationFailed:
        return cls(f"{field}: {reason}", [FieldError(field, reason)])


class NotFound(LedgerError):
    """Unknown NIP or id (404)."""


class Conflict(LedgerError):
    """Duplicate registration, repeated period, or a concurrent write won (409)."""


class PreconditionFailed(LedgerError):
    """If-Match did not match the current version (412)."""


class IdempotencyMismatch(LedgerError):
    """The same Idempotency-Key was sent with another request (422)."""

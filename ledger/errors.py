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

    @classmethod
    def of(cls, problems: list[FieldError]) -> ValidationFailed:
        return cls("; ".join(f"{e.field}: {e.reason}" for e in problems), list(problems))


def reject(problems: list[FieldError]) -> None:
    """Refuse a command with every problem found, or do nothing when there is none."""
    if problems:
        raise ValidationFailed.of(problems)


class NotFound(LedgerError):
    """Unknown NIP or id (404)."""


class Conflict(LedgerError):
    """Duplicate registration, repeated period, or a concurrent write won (409)."""


class AlreadyRegistered(Conflict):
    """An aggregate with this natural key (NIP, code) exists already."""


class PeriodAlreadyAppraised(Conflict):
    """A second appraisal for an overlapping period: change the first with a correction."""


class AlreadyRated(Conflict):
    """An agency's organisation rating for a year is recorded once."""


class OfficerCodeTaken(Conflict):
    """A badge code names one officer of a unit at a time."""


class AlreadyParticipating(Conflict):
    """An employee joins a programme once."""


class AlreadyEnded(Conflict):
    """A revoked award, or a revoked or annulled sanction, cannot end again."""


class AlreadyDecided(Conflict):
    """An appeal is decided once."""


class AlreadyPlanned(Conflict):
    """A second SKP plan for an overlapping period: change the first with a revision."""


class AlreadyReported(Conflict):
    """A realisation whose period overlaps another period already reported for the indicator."""


class ComplaintStatusRefused(Conflict):
    """A complaint's status may only move as its lifecycle allows; CLOSED and REJECTED are final."""


class AlreadyFollowedUp(Conflict):
    """A citizen's comment is followed up once."""


class PreconditionFailed(LedgerError):
    """If-Match did not match the current version (412)."""


class IdempotencyMismatch(LedgerError):
    """The same Idempotency-Key was sent with another request (422)."""

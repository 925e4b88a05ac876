"""The envelope every ledger event carries, and the base event class that holds it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any, ClassVar

from eventsourcing.domain import Aggregate

from ledger.clock import wib_date


@dataclass(frozen=True)
class Actor:
    """Who called: subject and role (a citizen has no subject)."""

    sub: str
    role: str

    def as_dict(self) -> dict[str, str]:
        return {"sub": self.sub, "role": self.role}


@dataclass(frozen=True)
class Envelope:
    """Fields common to every event; built once per command."""

    recorded_at: datetime
    effective_date: date
    recorded_by: Actor
    correlation_id: str
    rule_version: str | None = None
    decree_number: str | None = None
    decree_date: date | None = None

    @property
    def today(self) -> date:
        """The recording day in WIB: what "in the future" is measured against."""
        return wib_date(self.recorded_at)

    def at(self, effective: date | None, **extra: Any) -> Envelope:
        """The same envelope taking effect on `effective` (unchanged when None), with rule or decree."""
        return replace(self, effective_date=effective or self.effective_date, **extra)

    def fields(self) -> dict[str, Any]:
        return {
            "timestamp": self.recorded_at,
            "recorded_at": self.recorded_at,
            "effective_date": self.effective_date,
            "recorded_by": self.recorded_by.as_dict(),
            "correlation_id": self.correlation_id,
            "rule_version": self.rule_version,
            "decree_number": self.decree_number,
            "decree_date": self.decree_date,
        }


class LedgerEvent(Aggregate.Event):
    """Base of every ledger event: when it was learned, when it took effect, who, why."""

    recorded_at: datetime
    effective_date: date
    recorded_by: dict[str, str]
    correlation_id: str
    rule_version: str | None
    decree_number: str | None
    decree_date: date | None

    # Payload fields that hold a decimal as text. New events store plain digits; the mapper
    # (ledger/service.py) reads a text stored in exponent form ("2E+1") as plain digits ("20").
    decimal_fields: ClassVar[tuple[str, ...]] = ()

    @property
    def event_id(self) -> str:
        return event_id_of(self.originator_id, self.originator_version)


def event_id_of(originator_id: object, version: int) -> str:
    """`<originator_id>:<originator_version>`: stable, and cited by evidence and scores."""
    return f"{_text(originator_id)}:{version}"


@lru_cache(maxsize=1 << 16)
def _text(originator_id: object) -> str:
    # A projection pass asks for the ids of the same few thousand streams again and again, and
    # UUID.__str__ formats 128 bits each time (a tenth of a catch-up's CPU before this cache).
    return str(originator_id)


class LedgerAggregate(Aggregate):
    """Adds the one way ledger aggregates record events: with an envelope."""

    def record(self, event_class: type[LedgerEvent], env: Envelope, **payload: Any) -> str:
        """Trigger one event and return its event_id."""
        self.trigger_event(event_class, **env.fields(), **payload)
        return event_id_of(self.id, self.version)

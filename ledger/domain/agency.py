"""The Agency aggregate: one per OPD, holding its yearly organisation rating."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.envelope import Envelope, LedgerAggregate, LedgerEvent
from ledger.nip import stream_id


class Agency(LedgerAggregate):
    class Event(LedgerEvent):
        pass

    class AgencyRegistered(Event, Aggregate.Created):
        code: str
        name: str

    class OrganisationPerformanceRated(Event):
        year: int
        predikat_organisasi: str

        def apply(self, aggregate: Any) -> None:
            aggregate.ratings[str(self.year)] = self.predikat_organisasi

    def __init__(self, code: str, name: str) -> None:
        self.code = code
        self.name = name
        self.ratings: dict[str, str] = {}

    @staticmethod
    def create_id(code: str) -> UUID:
        return stream_id("agency", code)

    @classmethod
    def register(cls, env: Envelope, *, code: str, name: str) -> Agency:
        return cls._create(cls.AgencyRegistered, code=code, name=name, **env.fields())

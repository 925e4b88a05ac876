"""The Agency aggregate: one per OPD, holding its yearly organisation rating."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.envelope import Envelope, LedgerAggregate, LedgerEvent
from ledger.errors import AlreadyRated
from ledger.nip import stream_id
from ledger.vocabulary import PredikatOrganisasi


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

    def rate(self, env: Envelope, *, year: int, predikat_organisasi: PredikatOrganisasi) -> str:
        """The organisation rating of a year, recorded once, effective at the year's end."""
        if str(year) in self.ratings:
            raise AlreadyRated(f"agency {self.code} already has a rating for {year}")
        return self.record(
            Agency.OrganisationPerformanceRated,
            env.at(date(year, 12, 31)),
            year=year,
            predikat_organisasi=predikat_organisasi.value,
        )

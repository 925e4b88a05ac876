"""The Agency aggregate: one per OPD, holding its yearly organisation rating."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger import values
from ledger.domain.envelope import Envelope, LedgerAggregate, LedgerEvent
from ledger.errors import AlreadyRated, FieldError, reject
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

    @staticmethod
    def rating_problems(year: int, today: date) -> list[FieldError]:
        """A rating names a year from the first the ledger knows to next year (set in advance)."""
        last = today.year + 1
        if not values.FIRST_YEAR <= year <= last:
            return [FieldError("year", f"must be between {values.FIRST_YEAR} and {last}")]
        return []

    def rate(self, env: Envelope, *, year: int, predikat_organisasi: PredikatOrganisasi) -> str:
        """The organisation rating of a year, recorded once, effective at the year's end."""
        reject(self.rating_problems(year, env.today))
        if str(year) in self.ratings:
            raise AlreadyRated(f"agency {self.code} already has a rating for {year}")
        return self.record(
            Agency.OrganisationPerformanceRated,
            env.at(date(year, 12, 31)),
            year=year,
            predikat_organisasi=predikat_organisasi.value,
        )

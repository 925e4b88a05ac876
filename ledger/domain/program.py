"""The Program aggregate: an inter-agency collaboration with participants and outcomes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.envelope import Envelope, LedgerAggregate, LedgerEvent
from ledger.nip import stream_id


class Program(LedgerAggregate):
    class Event(LedgerEvent):
        pass

    class ProgramLaunched(Event, Aggregate.Created):
        code: str
        name: str
        agencies: list[str]

    class ProgramParticipantAdded(Event):
        nip: str
        agency: str
        role: str

        def apply(self, aggregate: Any) -> None:
            aggregate.participants[self.nip] = {"agency": self.agency, "role": self.role}

    class ProgramOutcomeRecorded(Event):
        indicator: str
        target: str
        achieved: str
        period: str

        def apply(self, aggregate: Any) -> None:
            aggregate.outcomes.append(
                {
                    "event_id": self.event_id,
                    "indicator": self.indicator,
                    "target": self.target,
                    "achieved": self.achieved,
                    "period": self.period,
                }
            )

    def __init__(self, code: str, name: str, agencies: list[str]) -> None:
        self.code = code
        self.name = name
        self.agencies = list(agencies)
        self.participants: dict[str, dict[str, str]] = {}
        self.outcomes: list[dict[str, str]] = []

    @staticmethod
    def create_id(code: str) -> UUID:
        return stream_id("program", code)

    @classmethod
    def launch(cls, env: Envelope, *, code: str, name: str, agencies: list[str]) -> Program:
        return cls._create(cls.ProgramLaunched, code=code, name=name, agencies=agencies, **env.fields())

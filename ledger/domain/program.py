"""The Program aggregate: an inter-agency collaboration with participants and outcomes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.decimals import plain
from ledger.domain.envelope import Envelope, LedgerAggregate, LedgerEvent
from ledger.errors import AlreadyParticipating, FieldError, reject
from ledger.nip import stream_id
from ledger.period import Period


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
        target: str  # decimal strings in plain digits, as given ("14", "15.2")
        achieved: str
        period: str

        decimal_fields = ("target", "achieved")

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

    @staticmethod
    def partner_problems(agencies: object) -> list[FieldError]:
        if not isinstance(agencies, list | tuple) or len(set(agencies)) < 2:
            return [FieldError("agencies", "an inter-agency program needs at least two different agencies")]
        return []

    @classmethod
    def launch(cls, env: Envelope, *, code: str, name: str, agencies: list[str]) -> Program:
        reject(cls.partner_problems(agencies))
        return cls._create(
            cls.ProgramLaunched, code=code, name=name, agencies=list(dict.fromkeys(agencies)), **env.fields()
        )

    def participant_problems(self, employee_agency: str) -> list[FieldError]:
        if employee_agency not in self.agencies:
            return [FieldError("nip", f"the employee's agency {employee_agency} is not in this program")]
        return []

    def add_participant(self, env: Envelope, *, nip: str, agency: str, role: str) -> str:
        """Only employees of a participating agency join, once each."""
        reject(self.participant_problems(agency))
        if nip in self.participants:
            raise AlreadyParticipating(f"{nip} already participates in {self.code}")
        return self.record(Program.ProgramParticipantAdded, env, nip=nip, agency=agency, role=role)

    @staticmethod
    def outcome_problems(period: Period | None, today: date) -> list[FieldError]:
        """An outcome is measured over a period that has started."""
        if period is not None and period.start > today:
            return [FieldError("period", "has not started yet")]
        return []

    def record_outcome(
        self, env: Envelope, *, indicator: str, target: Decimal, achieved: Decimal, period: Period
    ) -> str:
        """An outcome takes effect at its period's end, or today for a period still running.
        Target and achievement are bounded by the command's types (ledger.values.Amount)."""
        reject(self.outcome_problems(period, env.today))
        return self.record(
            Program.ProgramOutcomeRecorded,
            env.at(min(period.end, env.today)),
            indicator=indicator,
            target=plain(target),
            achieved=plain(achieved),
            period=period.text,
        )

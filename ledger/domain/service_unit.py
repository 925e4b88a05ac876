"""The ServiceUnit aggregate: a public-service unit that receives citizens' surveys."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.envelope import Envelope, LedgerAggregate, LedgerEvent
from ledger.nip import stream_id


class ServiceUnit(LedgerAggregate):
    class Event(LedgerEvent):
        pass

    class ServiceUnitRegistered(Event, Aggregate.Created):
        code: str
        name: str
        agency: str

    class OfficerCodeAssigned(Event):
        """Kept on the unit too, so a citizen's officer code resolves without any NIP."""

        officer_code: str
        employee_id: str

        def apply(self, aggregate: Any) -> None:
            # An employee holds one code per unit: a new code replaces the old one.
            for code, holder in list(aggregate.officers.items()):
                if holder == self.employee_id:
                    del aggregate.officers[code]
            aggregate.officers[self.officer_code] = self.employee_id

    class OfficerCodeReleased(Event):
        officer_code: str

        def apply(self, aggregate: Any) -> None:
            aggregate.officers.pop(self.officer_code, None)

    class SurveyResponseReceived(Event):
        answers: dict[str, int]
        comment: str | None
        officer_code: str | None
        officer_feedback_event_id: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.responses += 1

    def __init__(self, code: str, name: str, agency: str) -> None:
        self.code = code
        self.name = name
        self.agency = agency
        self.officers: dict[str, str] = {}
        self.responses = 0

    @staticmethod
    def create_id(code: str) -> UUID:
        return stream_id("service-unit", code)

    @classmethod
    def register(cls, env: Envelope, *, code: str, name: str, agency: str) -> ServiceUnit:
        return cls._create(cls.ServiceUnitRegistered, code=code, name=name, agency=agency, **env.fields())

"""Read models name the events they handle; dispatch picks the most specific handler."""

from __future__ import annotations

from ledger.domain.agency import Agency
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from projections.dispatch import Handlers, handles
from projections.facts import FactLayer, People
from projections.registry import default_projections


class Seen(Handlers):
    def __init__(self) -> None:
        self.seen: list[str] = []

    @handles(Employee.AwardGranted, Employee.AwardRevoked)
    def awards(self, event: LedgerEvent) -> None:
        self.seen.append("awards")

    @handles(Employee.Event)
    def anything_else(self, event: LedgerEvent) -> None:
        self.seen.append("employee")


class Narrower(Seen):
    @handles(Employee.AwardRevoked)
    def revoked(self, event: LedgerEvent) -> None:
        self.seen.append("revoked")


def _event(cls: type[LedgerEvent]) -> LedgerEvent:
    return cls.__new__(cls)  # dispatch reads the class only


def test_the_most_specific_handler_wins_and_others_are_ignored() -> None:
    s = Seen()
    for cls in (
        Employee.AwardGranted,
        Employee.AwardRevoked,
        Employee.TrainingCompleted,
        Agency.AgencyRegistered,
    ):
        handler = s.handler(_event(cls))
        if handler is not None:
            handler(_event(cls))
    assert s.seen == ["awards", "awards", "employee"]


def test_a_subclass_overrides_one_handler_and_inherits_the_rest() -> None:
    n = Narrower()
    for cls in (Employee.AwardGranted, Employee.AwardRevoked):
        handler = n.handler(_event(cls))
        assert handler is not None
        handler(_event(cls))
    assert n.seen == ["awards", "revoked"]
    assert Seen().handler(_event(Employee.AwardRevoked)).__name__ == "awards"  # type: ignore[union-attr]


def test_each_read_model_lists_the_events_it_reads() -> None:
    facts = FactLayer().handled()
    assert Employee.EmployeeRegistered in facts and Employee.SanctionRevoked in facts
    assert Employee.CollaborationJoined in facts and Agency.OrganisationPerformanceRated in facts
    assert People().handled() == {Employee.EmployeeRegistered, Employee.EmployeeTransferred}
    handled = {p.name: p.handled() for p in default_projections() if isinstance(p, Handlers)}
    assert handled["awards"] == {Employee.AwardGranted, Employee.AwardRevoked}
    assert Employee.CollaborationJoined not in handled["programs"]


def test_no_state_is_shared_between_fact_layers() -> None:
    a, b = FactLayer(), FactLayer()
    a._remember_code("agency", "DINKES")
    assert a._codes and not b._codes

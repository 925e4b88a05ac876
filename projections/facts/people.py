"""Who an employee stream belongs to, for registers that show NIP, name and agency."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.sqlstore import Sql
from projections.dispatch import Handlers, handles
from projections.facts.rows import insert

PEOPLE_TABLE = (
    "employee_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
    "agency TEXT NOT NULL"
)


class People(Handlers):
    """Who an employee stream belongs to, and their agency as last recorded (log order).

    For registers that show the NIP, name and agency beside each entry.
    """

    def __init__(self, logical: str = "people") -> None:
        self.logical = logical
        self._names: dict[UUID, tuple[str, str]] = {}  # immutable: NIP and name never change

    def process(self, tx: Sql, t: Mapping[str, str], event: LedgerEvent) -> None:
        handler = self.handler(event)
        if handler is not None:
            handler(tx, t, event)

    @handles(Employee.EmployeeRegistered)
    def _registered(self, tx: Sql, t: Mapping[str, str], event: Employee.EmployeeRegistered) -> None:
        self._names[event.originator_id] = (event.nip, event.name)
        insert(
            tx,
            t[self.logical],
            {
                "employee_id": str(event.originator_id),
                "nip": event.nip,
                "name": event.name,
                "agency": event.agency,
            },
        )

    @handles(Employee.EmployeeTransferred)
    def _transferred(self, tx: Sql, t: Mapping[str, str], event: Employee.EmployeeTransferred) -> None:
        tx.execute(
            f"UPDATE {t[self.logical]} SET agency=? WHERE employee_id=?",
            (event.agency, str(event.originator_id)),
        )

    def who(self, tx: Sql, t: Mapping[str, str], originator_id: UUID) -> dict[str, Any]:
        """NIP, name and current agency of an employee stream."""
        row = tx.one(
            f"SELECT nip, name, agency FROM {t[self.logical]} WHERE employee_id=?", (str(originator_id),)
        )
        if row is None:
            raise LookupError(f"event for unregistered employee stream {originator_id}")
        return row

    def nip(self, tx: Sql, t: Mapping[str, str], originator_id: UUID) -> str:
        cached = self._names.get(originator_id)
        if cached is None:
            row = self.who(tx, t, originator_id)
            cached = (row["nip"], row["name"])
            self._names[originator_id] = cached
        return cached[0]

"""Where an employee serves: transfers between agencies (position and grade), assignment to a
front-line service unit, and joining a programme's collaboration. A mixin of Employee
(ledger/domain/employee.py)."""

from __future__ import annotations

from datetime import date

from ledger import values
from ledger.domain.employee_dates import not_before
from ledger.domain.employee_state import EmployeeState
from ledger.domain.envelope import Envelope
from ledger.errors import FieldError, reject


class EmployeePlacement(EmployeeState):
    def transfer_problems(self, effective: date | None, today: date) -> list[FieldError]:
        return not_before(
            "effective_date", effective, self.service_start_date, "before the employee's service start date"
        ) + values.effective_date_problems("effective_date", effective, today)

    def transfer(self, env: Envelope, *, agency: str, position: str, grade: str | None) -> str:
        reject(self.transfer_problems(env.effective_date, env.today))
        return self.record(
            self.EmployeeTransferred,
            env,
            from_agency=self.agency,
            agency=agency,
            position=position,
            grade=grade or self.grade,
        )

    @staticmethod
    def assignment_problems(self_agency: str, unit_agency: str) -> list[FieldError]:
        if unit_agency != self_agency:
            return [
                FieldError("service_unit", f"belongs to {unit_agency}, the employee serves {self_agency}")
            ]
        return []

    def assign(self, env: Envelope, *, service_unit: str, unit_agency: str, officer_code: str) -> str:
        reject(self.assignment_problems(self.agency, unit_agency))
        return self.record(
            self.AssignedToServiceUnit, env, service_unit=service_unit, officer_code=officer_code
        )

    def join_collaboration(self, env: Envelope, *, program: str, role: str) -> str:
        return self.record(self.CollaborationJoined, env, program=program, role=role)

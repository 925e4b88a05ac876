"""Commands that register an employee, transfer them and assign them to a service unit."""

from __future__ import annotations

from datetime import date

from ledger import values
from ledger.domain.agency import Agency
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerAggregate
from ledger.domain.service_unit import ServiceUnit
from ledger.nip import parse_nip
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.validation import Checker
from ledger.vocabulary import (
    EmploymentType,
)


class EmployeeCommands(LedgerService):
    def register_employee(
        self,
        ctx: CommandContext,
        *,
        nip: str,
        name: str,
        agency: str,
        position: str,
        grade: str,
        employment_type: str,
        service_start_date: str | date | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            parsed = c.parse("nip", nip, parse_nip)
            name_ok = c.text("name", name, max_len=values.NAME_MAX)
            agency_ok = c.code("agency", agency)
            position_ok = c.text("position", position, max_len=values.NAME_MAX)
            grade_ok = c.text("grade", grade, max_len=values.GRADE_MAX)
            kind = c.enum("employment_type", employment_type, EmploymentType)
            start = c.date("service_start_date", service_start_date, required=False)
            if agency_ok and not self._exists(Agency, agency_ok):
                c.add("agency", "unknown agency code (register the agency first)")
            c.extend(Employee.registration_problems(parsed, start, self.today()))
            c.done()
            assert parsed and name_ok and agency_ok and position_ok and grade_ok and kind
            self._unique(Employee, parsed.value, f"NIP {parsed.value} is already registered")
            employee = Employee.enrol(
                self.envelope(ctx),
                nip=parsed,
                name=name_ok,
                agency=agency_ok,
                position=position_ok,
                grade=grade_ok,
                employment_type=kind.value,
                service_start_date=start,
            )
            return Pending(
                [employee],
                f"{employee.id}:{employee.version}",
                {"nip": parsed.value, "employee_id": str(employee.id)},
            )

        return self._execute(ctx, build)

    def transfer_employee(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        agency: str,
        position: str,
        effective_date: str | date,
        grade: str | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            agency_ok = c.code("agency", agency)
            position_ok = c.text("position", position, max_len=values.NAME_MAX)
            grade_ok = c.text("grade", grade, required=False, max_len=values.GRADE_MAX)
            effective = c.date("effective_date", effective_date)
            if agency_ok and not self._exists(Agency, agency_ok):
                c.add("agency", "unknown agency code")
            c.extend(employee.transfer_problems(effective))
            c.done()
            assert agency_ok and position_ok and effective
            env = self.envelope(ctx, effective)
            eid = employee.transfer(env, agency=agency_ok, position=position_ok, grade=grade_ok)
            return Pending([employee], eid)

        return self._execute(ctx, build)

    def assign_to_service_unit(
        self, ctx: CommandContext, nip: str, *, service_unit: str, officer_code: str
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            unit_code = c.code("service_unit", service_unit)
            officer = c.code("officer_code", officer_code)
            unit = self._find(ServiceUnit, unit_code) if unit_code else None
            if unit_code and unit is None:
                c.add("service_unit", "unknown service unit")
            if unit is not None:
                c.extend(Employee.assignment_problems(employee.agency, unit.agency))
            c.done()
            assert unit is not None and officer
            env = self.envelope(ctx)
            unit.assign_officer(env, officer_code=officer, employee_id=str(employee.id))
            touched: list[LedgerAggregate] = [employee, unit]
            if employee.service_unit and employee.service_unit != unit.code and employee.officer_code:
                old = self._get(ServiceUnit, employee.service_unit, "service unit")
                old.release_officer(env, officer_code=employee.officer_code)
                touched.append(old)
            eid = employee.assign(env, service_unit=unit.code, unit_agency=unit.agency, officer_code=officer)
            return Pending(touched, eid)

        return self._execute(ctx, build)

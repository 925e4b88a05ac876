"""Commands that register an employee, transfer them and assign them to a service unit."""

from __future__ import annotations

from datetime import date

from ledger.boundary import command
from ledger.domain.agency import Agency
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerAggregate
from ledger.domain.service_unit import ServiceUnit
from ledger.nip import Nip
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.validation import Checker
from ledger.values import Code, Grade, Name
from ledger.vocabulary import EmploymentType


class EmployeeCommands(LedgerService):
    @command
    def register_employee(
        self,
        ctx: CommandContext,
        *,
        nip: Nip,
        name: Name,
        agency: Code,
        position: Name,
        grade: Grade,
        employment_type: EmploymentType,
        service_start_date: date | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            if not self._exists(Agency, agency):
                c.add("agency", "unknown agency code (register the agency first)")
            c.extend(Employee.registration_problems(nip, service_start_date, self.today()))
            c.done()
            self._unique(Employee, nip.value, "this NIP is already registered")
            employee = Employee.enrol(
                self.envelope(ctx),
                nip=nip,
                name=name,
                agency=agency,
                position=position,
                grade=grade,
                employment_type=employment_type.value,
                service_start_date=service_start_date,
            )
            return Pending(
                [employee],
                f"{employee.id}:{employee.version}",
                {"nip": nip.value, "employee_id": str(employee.id)},
            )

        return self._execute(ctx, build)

    @command
    def transfer_employee(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        agency: Code,
        position: Name,
        effective_date: date,
        grade: Grade | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            if not self._exists(Agency, agency):
                c.add("agency", "unknown agency code")
            c.extend(employee.transfer_problems(effective_date, self.today()))
            c.done()
            env = self.envelope(ctx, effective_date)
            eid = employee.transfer(env, agency=agency, position=position, grade=grade)
            return Pending([employee], eid)

        return self._execute(ctx, build)

    @command
    def assign_to_service_unit(
        self, ctx: CommandContext, nip: str, *, service_unit: Code, officer_code: Code
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            unit = self._find(ServiceUnit, service_unit)
            if unit is None:
                c.add("service_unit", "unknown service unit")
            else:
                c.extend(Employee.assignment_problems(employee.agency, unit.agency))
            c.done()
            assert unit is not None
            env = self.envelope(ctx)
            unit.assign_officer(env, officer_code=officer_code, employee_id=str(employee.id))
            touched: list[LedgerAggregate] = [employee, unit]
            if employee.service_unit and employee.service_unit != unit.code and employee.officer_code:
                old = self._get(ServiceUnit, employee.service_unit, "service unit")
                old.release_officer(env, officer_code=employee.officer_code)
                touched.append(old)
            eid = employee.assign(
                env, service_unit=unit.code, unit_agency=unit.agency, officer_code=officer_code
            )
            return Pending(touched, eid)

        return self._execute(ctx, build)

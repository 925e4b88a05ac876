"""Inter-agency programmes: launch, participants, outcomes."""

from __future__ import annotations

from typing import Annotated

from ledger import values
from ledger.boundary import command
from ledger.domain.agency import Agency
from ledger.domain.employee import Employee
from ledger.domain.program import Program
from ledger.nip import Nip
from ledger.period import Period
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.validation import Checker
from ledger.values import Amount, Code, MaxItems, Role, Title


class ProgramCommands(LedgerService):
    @command
    def launch_program(
        self,
        ctx: CommandContext,
        *,
        code: Code,
        name: Title,
        agencies: Annotated[list[Code], MaxItems(values.MAX_PROGRAM_AGENCIES)],
    ) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            partners = Program.partner_problems(agencies)
            c.extend(partners)
            if not partners:
                for i, agency in enumerate(agencies):
                    if not self._exists(Agency, agency):
                        c.add(f"agencies[{i}]", "unknown agency code")
            c.done()
            self._unique(Program, code, "this programme code is already registered")
            program = Program.launch(self.envelope(ctx), code=code, name=name, agencies=list(agencies))
            return Pending([program], f"{program.id}:{program.version}", {"code": code})

        return self._execute(ctx, build)

    @command
    def add_program_participant(
        self, ctx: CommandContext, code: str, *, nip: Nip, role: Role
    ) -> CommandResult:
        def build() -> Pending:
            program = self._get(Program, code, "program")
            self._check_version(ctx, program)
            c = Checker()
            employee = self._find(Employee, nip.value)
            if employee is None:
                c.add("nip", "unknown NIP")
            else:
                c.extend(program.participant_problems(employee.agency))
            c.done()
            assert employee is not None
            env = self.envelope(ctx)
            eid = program.add_participant(env, nip=employee.nip, agency=employee.agency, role=role)
            employee.join_collaboration(env, program=program.code, role=role)
            return Pending([program, employee], eid)

        return self._execute(ctx, build)

    @command
    def record_program_outcome(
        self,
        ctx: CommandContext,
        code: str,
        *,
        indicator: Title,
        target: Amount,
        achieved: Amount,
        period: Period,
    ) -> CommandResult:
        def build() -> Pending:
            program = self._get(Program, code, "program")
            self._check_version(ctx, program)
            eid = program.record_outcome(
                self.envelope(ctx), indicator=indicator, target=target, achieved=achieved, period=period
            )
            return Pending([program], eid, {"outcome_id": eid})

        return self._execute(ctx, build)

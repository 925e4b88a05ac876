"""Inter-agency programmes: launch, participants, outcomes."""

from __future__ import annotations

from collections.abc import Sequence

from ledger import values
from ledger.domain.employee import Employee
from ledger.domain.program import Program
from ledger.nip import parse_nip
from ledger.period import parse_period
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.validation import Checker


class ProgramCommands(LedgerService):
    def launch_program(
        self, ctx: CommandContext, *, code: str, name: str, agencies: Sequence[str]
    ) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            code_ok = c.code("code", code)
            name_ok = c.text("name", name, max_len=values.TITLE_MAX)
            partners = Program.partner_problems(agencies)
            c.extend(partners)
            if not partners:
                for i, a in enumerate(agencies):
                    self._known_agency(c, f"agencies[{i}]", a, "unknown agency code")
            c.done()
            assert code_ok and name_ok
            self._unique(Program, code_ok, f"program {code_ok} already exists")
            program = Program.launch(self.envelope(ctx), code=code_ok, name=name_ok, agencies=list(agencies))
            return Pending([program], f"{program.id}:{program.version}", {"code": code_ok})

        return self._execute(ctx, build)

    def add_program_participant(
        self, ctx: CommandContext, code: str, *, nip: str, role: str
    ) -> CommandResult:
        def build() -> Pending:
            program = self._get(Program, code, "program")
            self._check_version(ctx, program)
            c = Checker()
            parsed = c.parse("nip", nip, parse_nip)
            role_ok = c.text("role", role, max_len=values.ROLE_MAX)
            employee = self._find(Employee, parsed.value) if parsed else None
            if parsed and employee is None:
                c.add("nip", "unknown NIP")
            if employee is not None:
                c.extend(program.participant_problems(employee.agency))
            c.done()
            assert employee is not None and role_ok
            env = self.envelope(ctx)
            eid = program.add_participant(env, nip=employee.nip, agency=employee.agency, role=role_ok)
            employee.join_collaboration(env, program=program.code, role=role_ok)
            return Pending([program, employee], eid)

        return self._execute(ctx, build)

    def record_program_outcome(
        self,
        ctx: CommandContext,
        code: str,
        *,
        indicator: str,
        target: str | float,
        achieved: str | float,
        period: str,
    ) -> CommandResult:
        def build() -> Pending:
            program = self._get(Program, code, "program")
            self._check_version(ctx, program)
            c = Checker()
            indicator_ok = c.text("indicator", indicator, max_len=values.TITLE_MAX)
            target_ok = c.decimal("target", target)
            achieved_ok = c.decimal("achieved", achieved)
            parsed = c.parse("period", period, parse_period)
            c.done()
            assert indicator_ok and target_ok is not None and achieved_ok is not None and parsed
            eid = program.record_outcome(
                self.envelope(ctx),
                indicator=indicator_ok,
                target=target_ok,
                achieved=achieved_ok,
                period=parsed,
            )
            return Pending([program], eid, {"outcome_id": eid})

        return self._execute(ctx, build)

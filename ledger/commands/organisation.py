"""Commands on agencies (OPD) and their service units."""

from __future__ import annotations

from ledger.boundary import command
from ledger.domain.agency import Agency
from ledger.domain.service_unit import ServiceUnit
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.validation import Checker
from ledger.values import Code, Name
from ledger.vocabulary import PredikatOrganisasi


class OrganisationCommands(LedgerService):
    @command
    def register_agency(self, ctx: CommandContext, *, code: Code, name: Name) -> CommandResult:
        def build() -> Pending:
            self._unique(Agency, code, "this agency code is already registered")
            agency = Agency.register(self.envelope(ctx), code=code, name=name)
            return Pending([agency], f"{agency.id}:{agency.version}", {"code": code})

        return self._execute(ctx, build)

    @command
    def rate_agency(
        self, ctx: CommandContext, code: str, *, year: int, predikat_organisasi: PredikatOrganisasi
    ) -> CommandResult:
        def build() -> Pending:
            agency = self._get(Agency, code, "agency")
            self._check_version(ctx, agency)
            eid = agency.rate(self.envelope(ctx), year=year, predikat_organisasi=predikat_organisasi)
            return Pending([agency], eid)

        return self._execute(ctx, build)

    @command
    def register_service_unit(
        self, ctx: CommandContext, *, code: Code, name: Name, agency: Code
    ) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            if not self._exists(Agency, agency):
                c.add("agency", "unknown agency code")
            c.done()
            self._unique(ServiceUnit, code, "this service unit code is already registered")
            unit = ServiceUnit.register(self.envelope(ctx), code=code, name=name, agency=agency)
            return Pending([unit], f"{unit.id}:{unit.version}", {"code": code})

        return self._execute(ctx, build)

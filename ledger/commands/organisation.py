"""Commands on agencies (OPD) and their service units."""

from __future__ import annotations

from ledger import values
from ledger.domain.agency import Agency
from ledger.domain.service_unit import ServiceUnit
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.validation import Checker
from ledger.vocabulary import (
    PredikatOrganisasi,
)


class OrganisationCommands(LedgerService):
    def register_agency(self, ctx: CommandContext, *, code: str, name: str) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            code_ok = c.code("code", code)
            name_ok = c.text("name", name, max_len=values.NAME_MAX)
            c.done()
            assert code_ok and name_ok
            self._unique(Agency, code_ok, f"agency {code_ok} is already registered")
            agency = Agency.register(self.envelope(ctx), code=code_ok, name=name_ok)
            return Pending([agency], f"{agency.id}:{agency.version}", {"code": code_ok})

        return self._execute(ctx, build)

    def rate_agency(
        self, ctx: CommandContext, code: str, *, year: int, predikat_organisasi: str
    ) -> CommandResult:
        def build() -> Pending:
            agency = self._get(Agency, code, "agency")
            self._check_version(ctx, agency)
            c = Checker()
            year_ok = c.int_range("year", year, values.FIRST_YEAR, self.today().year + 1)
            rating = c.enum("predikat_organisasi", predikat_organisasi, PredikatOrganisasi)
            c.done()
            assert year_ok is not None and rating is not None
            eid = agency.rate(self.envelope(ctx), year=year_ok, predikat_organisasi=rating)
            return Pending([agency], eid)

        return self._execute(ctx, build)

    def register_service_unit(
        self, ctx: CommandContext, *, code: str, name: str, agency: str
    ) -> CommandResult:
        def build() -> Pending:
            c = Checker()
            code_ok = c.code("code", code)
            name_ok = c.text("name", name, max_len=values.NAME_MAX)
            agency_ok = self._known_agency(c, "agency", agency, "unknown agency code")
            c.done()
            assert code_ok and name_ok and agency_ok
            self._unique(ServiceUnit, code_ok, f"service unit {code_ok} is already registered")
            unit = ServiceUnit.register(self.envelope(ctx), code=code_ok, name=name_ok, agency=agency_ok)
            return Pending([unit], f"{unit.id}:{unit.version}", {"code": code_ok})

        return self._execute(ctx, build)

"""Builders for realistic test records through the application service."""

from __future__ import annotations

from ledger.application import CommandContext, KinerjaLedger
from ledger.domain.envelope import Actor

HR = CommandContext(Actor("hr-test", "hr"))

NIP_BUDI = "198503152010011002"  # born 1985-03-15, TMT 2010-01, male, serial 002
NIP_SARI = "197905122005012001"  # born 1979-05-12, TMT 2005-01, female
NIP_ANDI = "199002202015031003"


def nip_for(i: int, year: int = 1988, tmt: int = 2012) -> str:
    """A structurally valid NIP, distinct for each i < 1000*28."""
    day = 1 + (i // 1000) % 28
    return f"{year}01{day:02d}{tmt}01{1 + i % 2}{i % 1000:03d}"


def seed_agency(app: KinerjaLedger, code: str = "DINKES", name: str = "Dinas Kesehatan") -> None:
    app.register_agency(HR, code=code, name=name)


def seed_employee(
    app: KinerjaLedger, nip: str = NIP_BUDI, agency: str = "DINKES", name: str = "Budi Santoso"
) -> None:
    app.register_employee(
        HR,
        nip=nip,
        name=name,
        agency=agency,
        position="Perawat Ahli Pertama",
        grade="III/b",
        employment_type="PNS",
    )


def seed_basic(app: KinerjaLedger) -> None:
    """DINKES with Budi (appraisee) and Sari (appraiser)."""
    seed_agency(app)
    seed_employee(app, NIP_BUDI)
    seed_employee(app, NIP_SARI, name="Sari Dewi")

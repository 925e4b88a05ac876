"""Hukuman disiplin: PP 94/2021 catalogue, absence table, and who may impose which level."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ledger.rules.base import RuleHistory
from ledger.vocabulary import AppealKind, DecidingRole, Level, PenaltyCode


@dataclass(frozen=True)
class Penalty:
    code: PenaltyCode
    level: Level
    description: str
    duration_months: int | None  # None: no duration (ringan) or permanent
    permanent: bool = False


@dataclass(frozen=True)
class AbsenceBand:
    min_days: int
    max_days: int | None  # None: open-ended
    penalty: PenaltyCode


@dataclass(frozen=True)
class DisciplineRule:
    version: str
    legal_basis: str
    effective_from: date
    penalties: Mapping[PenaltyCode, Penalty]
    # Cumulative unexcused absence in a calendar year -> expected penalty.
    absence_bands: tuple[AbsenceBand, ...]
    consecutive_absence_dismissal_days: int
    # Which appeal route is open against which penalty.
    appeal_routes: Mapping[AppealKind, frozenset[PenaltyCode]]

    def penalty(self, code: PenaltyCode) -> Penalty:
        return self.penalties[code]

    def expected_for_absence(self, days: int, consecutive_days: int = 0) -> PenaltyCode | None:
        """The penalty the absence table prescribes, or None below the first band."""
        if consecutive_days >= self.consecutive_absence_dismissal_days:
            return PenaltyCode.PEMBERHENTIAN
        for band in self.absence_bands:
            if days >= band.min_days and (band.max_days is None or days <= band.max_days):
                return band.penalty
        return None


PC, L = PenaltyCode, Level
_PENALTIES = {
    p.code: p
    for p in (
        Penalty(PC.TEGURAN_LISAN, L.RINGAN, "teguran lisan", None),
        Penalty(PC.TEGURAN_TERTULIS, L.RINGAN, "teguran tertulis", None),
        Penalty(PC.PERNYATAAN_TIDAK_PUAS, L.RINGAN, "pernyataan tidak puas secara tertulis", None),
        Penalty(PC.POTONGAN_TUKIN_6, L.SEDANG, "pemotongan tunjangan kinerja 25% selama 6 bulan", 6),
        Penalty(PC.POTONGAN_TUKIN_9, L.SEDANG, "pemotongan tunjangan kinerja 25% selama 9 bulan", 9),
        Penalty(PC.POTONGAN_TUKIN_12, L.SEDANG, "pemotongan tunjangan kinerja 25% selama 12 bulan", 12),
        Penalty(
            PC.PENURUNAN_JABATAN, L.BERAT, "penurunan jabatan setingkat lebih rendah selama 12 bulan", 12
        ),
        Penalty(
            PC.PEMBEBASAN_JABATAN,
            L.BERAT,
            "pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan",
            12,
        ),
        Penalty(
            PC.PEMBERHENTIAN,
            L.BERAT,
            "pemberhentian dengan hormat tidak atas permintaan sendiri",
            None,
            permanent=True,
        ),
    )
}

_ABSENCE_2021 = (
    AbsenceBand(3, 3, PC.TEGURAN_LISAN),
    AbsenceBand(4, 6, PC.TEGURAN_TERTULIS),
    AbsenceBand(7, 10, PC.PERNYATAAN_TIDAK_PUAS),
    AbsenceBand(11, 13, PC.POTONGAN_TUKIN_6),
    AbsenceBand(14, 16, PC.POTONGAN_TUKIN_9),
    AbsenceBand(17, 20, PC.POTONGAN_TUKIN_12),
    AbsenceBand(21, 24, PC.PENURUNAN_JABATAN),
    AbsenceBand(25, 27, PC.PEMBEBASAN_JABATAN),
    AbsenceBand(28, None, PC.PEMBERHENTIAN),
)

DISCIPLINE_RULES: RuleHistory[DisciplineRule] = RuleHistory(
    (
        DisciplineRule(
            version="disiplin/2021.1",
            legal_basis="PP 94/2021 Pasal 8-11 (jenis hukuman), Pasal 9-11 ketentuan masuk kerja",
            effective_from=date(2021, 8, 31),
            penalties=_PENALTIES,
            absence_bands=_ABSENCE_2021,
            consecutive_absence_dismissal_days=10,
            appeal_routes={
                AppealKind.KEBERATAN: frozenset(c for c in PC if c != PC.PEMBERHENTIAN),
                AppealKind.BANDING: frozenset({PC.PEMBERHENTIAN}),
            },
        ),
    )
)


@dataclass(frozen=True)
class AuthorityTable:
    """Who may impose which level. Per government; the default until BKPSDM confirms its own."""

    version: str
    legal_basis: str
    effective_from: date
    grants: Mapping[DecidingRole, frozenset[Level]]

    def authorised(self, role: DecidingRole, level: Level) -> bool:
        return level in self.grants.get(role, frozenset())


DEFAULT_AUTHORITY = AuthorityTable(
    version="kewenangan/default-kota.1",
    legal_basis="PP 94/2021 Pasal 18-20 (pejabat yang berwenang menghukum), default for a kota",
    effective_from=date(2021, 8, 31),
    grants={
        DecidingRole.PPK: frozenset(L),
        DecidingRole.SEKDA: frozenset({L.RINGAN, L.SEDANG}),
        DecidingRole.KEPALA_OPD: frozenset({L.RINGAN}),
        DecidingRole.ATASAN_LANGSUNG: frozenset({L.RINGAN}),
    },
)

AUTHORITY_TABLES: RuleHistory[AuthorityTable] = RuleHistory((DEFAULT_AUTHORITY,))

LEVEL_ORDER = {L.RINGAN: 1, L.SEDANG: 2, L.BERAT: 3}


def heaviest(levels: list[Level]) -> Level:
    return max(levels, key=LEVEL_ORDER.__getitem__)

"""Hukuman disiplin: the catalogue, absence table and appeal routes of each discipline rule version
(PP 53/2010 from 2010-06-06, PP 94/2021 from 2021-08-31), and who may impose which level.

Each version has its own penalty codes: a decision is judged, and its penalty accepted, only under
the version in force on its decision date. Legal sources and what is unverified: docs/RULES.md."""

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
    # Other penalties the band allows instead (PP 53/2010: 46 days or more -> PDH or PTDH).
    alternatives: tuple[PenaltyCode, ...] = ()

    @property
    def allowed(self) -> tuple[PenaltyCode, ...]:
        return (self.penalty, *self.alternatives)


@dataclass(frozen=True)
class DisciplineRule:
    version: str
    regulation: str  # e.g. "PP 94/2021"
    legal_basis: str
    effective_from: date
    penalties: Mapping[PenaltyCode, Penalty]
    # Cumulative unexcused absence in a calendar year -> expected penalty.
    absence_bands: tuple[AbsenceBand, ...]
    # Consecutive unexcused working days that call for dismissal (None: the version has no such rule).
    consecutive_absence_dismissal_days: int | None
    # Which appeal route is open against which penalty.
    appeal_routes: Mapping[AppealKind, frozenset[PenaltyCode]]
    # Where a BANDING goes (BAPEK under PP 53/2010, BPASN under PP 94/2021).
    banding_body: str = "BPASN"

    def penalty(self, code: PenaltyCode) -> Penalty:
        return self.penalties[code]

    def knows(self, code: PenaltyCode | str) -> bool:
        return code in self.penalties

    def unknown_penalty(self, code: PenaltyCode | str) -> str:
        """Why `code` is refused under this version (the 422's reason)."""
        return (
            f"{code} is not a penalty of {self.version} ({self.regulation}, in force on the decision "
            f"date); expected one of {', '.join(self.penalties)}"
        )

    def expected_for_absence(self, days: int, consecutive_days: int = 0) -> PenaltyCode | None:
        """The penalty the absence table prescribes, or None below the first band."""
        allowed = self.allowed_for_absence(days, consecutive_days)
        return allowed[0] if allowed else None

    def allowed_for_absence(self, days: int, consecutive_days: int = 0) -> tuple[PenaltyCode, ...]:
        """Every penalty the absence table allows (the first is the one it names first); () below
        the first band."""
        threshold = self.consecutive_absence_dismissal_days
        if threshold is not None and consecutive_days >= threshold:
            return (PenaltyCode.PEMBERHENTIAN,)
        for band in self.absence_bands:
            if days >= band.min_days and (band.max_days is None or days <= band.max_days):
                return band.allowed
        return ()


PC, L = PenaltyCode, Level
_PENALTIES_2021 = {
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

# PP 53/2010 Pasal 7 (jenis hukuman disiplin), in the order of the article (lightest first).
_PENALTIES_2010 = {
    p.code: p
    for p in (
        Penalty(PC.TEGURAN_LISAN, L.RINGAN, "teguran lisan", None),
        Penalty(PC.TEGURAN_TERTULIS, L.RINGAN, "teguran tertulis", None),
        Penalty(PC.PERNYATAAN_TIDAK_PUAS, L.RINGAN, "pernyataan tidak puas secara tertulis", None),
        Penalty(PC.PENUNDAAN_KGB_1_TAHUN, L.SEDANG, "penundaan kenaikan gaji berkala selama 1 tahun", 12),
        Penalty(PC.PENUNDAAN_PANGKAT_1_TAHUN, L.SEDANG, "penundaan kenaikan pangkat selama 1 tahun", 12),
        Penalty(
            PC.PENURUNAN_PANGKAT_1_TAHUN,
            L.SEDANG,
            "penurunan pangkat setingkat lebih rendah selama 1 tahun",
            12,
        ),
        Penalty(
            PC.PENURUNAN_PANGKAT_3_TAHUN,
            L.BERAT,
            "penurunan pangkat setingkat lebih rendah selama 3 tahun",
            36,
        ),
        # No duration in the regulation: carried out on its effective date (docs/RULES.md).
        Penalty(
            PC.PEMINDAHAN_PENURUNAN_JABATAN,
            L.BERAT,
            "pemindahan dalam rangka penurunan jabatan setingkat lebih rendah",
            None,
        ),
        Penalty(PC.PEMBEBASAN_DARI_JABATAN, L.BERAT, "pembebasan dari jabatan", None),
        Penalty(
            PC.PEMBERHENTIAN,
            L.BERAT,
            "pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS",
            None,
            permanent=True,
        ),
        Penalty(
            PC.PEMBERHENTIAN_TIDAK_DENGAN_HORMAT,
            L.BERAT,
            "pemberhentian tidak dengan hormat sebagai PNS",
            None,
            permanent=True,
        ),
    )
}

# PP 53/2010 Pasal 3 angka 11 with Pasal 8 angka 9, Pasal 9 angka 11 and Pasal 10 angka 9:
# cumulative unexcused working days in a year (article numbers unverified, docs/RULES.md).
_ABSENCE_2010 = (
    AbsenceBand(5, 5, PC.TEGURAN_LISAN),
    AbsenceBand(6, 10, PC.TEGURAN_TERTULIS),
    AbsenceBand(11, 15, PC.PERNYATAAN_TIDAK_PUAS),
    AbsenceBand(16, 20, PC.PENUNDAAN_KGB_1_TAHUN),
    AbsenceBand(21, 25, PC.PENUNDAAN_PANGKAT_1_TAHUN),
    AbsenceBand(26, 30, PC.PENURUNAN_PANGKAT_1_TAHUN),
    AbsenceBand(31, 35, PC.PENURUNAN_PANGKAT_3_TAHUN),
    AbsenceBand(36, 40, PC.PEMINDAHAN_PENURUNAN_JABATAN),
    AbsenceBand(41, 45, PC.PEMBEBASAN_DARI_JABATAN),
    AbsenceBand(46, None, PC.PEMBERHENTIAN, alternatives=(PC.PEMBERHENTIAN_TIDAK_DENGAN_HORMAT,)),
)

_DISMISSALS_2010 = frozenset({PC.PEMBERHENTIAN, PC.PEMBERHENTIAN_TIDAK_DENGAN_HORMAT})

DISCIPLINE_2010 = DisciplineRule(
    version="disiplin/2010.1",
    regulation="PP 53/2010",
    legal_basis="PP 53/2010 Pasal 7 (jenis hukuman), Pasal 8-10 (ketentuan masuk kerja)",
    effective_from=date(2010, 6, 6),
    penalties=_PENALTIES_2010,
    absence_bands=_ABSENCE_2010,
    consecutive_absence_dismissal_days=None,
    appeal_routes={
        # Upaya administratif (PP 53/2010 Pasal 32-34, unverified): none against a ringan penalty;
        # keberatan against sedang and berat other than dismissal; banding administratif to BAPEK
        # against a dismissal.
        AppealKind.KEBERATAN: frozenset(
            c for c, p in _PENALTIES_2010.items() if p.level is not L.RINGAN and c not in _DISMISSALS_2010
        ),
        AppealKind.BANDING: _DISMISSALS_2010,
    },
    banding_body="BAPEK",
)

DISCIPLINE_RULES: RuleHistory[DisciplineRule] = RuleHistory(
    (
        DISCIPLINE_2010,
        DisciplineRule(
            version="disiplin/2021.1",
            regulation="PP 94/2021",
            legal_basis="PP 94/2021 Pasal 8-11 (jenis hukuman), Pasal 9-11 ketentuan masuk kerja",
            effective_from=date(2021, 8, 31),
            penalties=_PENALTIES_2021,
            absence_bands=_ABSENCE_2021,
            consecutive_absence_dismissal_days=10,
            appeal_routes={
                AppealKind.KEBERATAN: frozenset(c for c in _PENALTIES_2021 if c != PC.PEMBERHENTIAN),
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

# PP 53/2010 Pasal 15-21 (pejabat yang berwenang menghukum), read onto the ledger's four roles for
# a kota; the regulation also limits some grants by rank and by penalty, which a level table cannot
# express (docs/RULES.md: unverified, and what is not modelled).
AUTHORITY_2010 = AuthorityTable(
    version="kewenangan/pp53-kota.1",
    legal_basis="PP 53/2010 Pasal 15-21 (pejabat yang berwenang menghukum), default for a kota",
    effective_from=date(2010, 6, 6),
    grants={
        DecidingRole.PPK: frozenset(L),
        DecidingRole.SEKDA: frozenset({L.RINGAN, L.SEDANG}),
        DecidingRole.KEPALA_OPD: frozenset({L.RINGAN, L.SEDANG}),
        DecidingRole.ATASAN_LANGSUNG: frozenset({L.RINGAN}),
    },
)

AUTHORITY_TABLES: RuleHistory[AuthorityTable] = RuleHistory((AUTHORITY_2010, DEFAULT_AUTHORITY))

LEVEL_ORDER = {L.RINGAN: 1, L.SEDANG: 2, L.BERAT: 3}


def heaviest(levels: list[Level]) -> Level:
    return max(levels, key=LEVEL_ORDER.__getitem__)

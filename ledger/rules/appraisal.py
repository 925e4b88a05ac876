"""Appraisal rules before PermenPANRB 6/2022, and the history of every appraisal rule.

- `prestasi/2014.1`: PP 46/2011 penilaian prestasi kerja (periods ending 2014-01-01..2020-12-31):
  nilai prestasi kerja = 60% nilai SKP + 40% nilai perilaku kerja, each 0-100; sebutan by band.
- `kinerja/2021.1`: PP 30/2019 with PermenPANRB 8/2021 (periods ending in 2021): the nilai kinerja
  (0-120) as recorded, predikat by band; Sangat Baik also needs a new idea or way of working.
- `predikat/2022.1`: PermenPANRB 6/2022, the quadrant (ledger/rules/predikat.py).

The version is picked by the end date of the appraised period. Legal sources, the reading of the
band edges and what is unverified: docs/RULES.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledger.rules.base import RuleHistory
from ledger.rules.predikat import PREDIKAT_RULES, PredikatRule

_D = Decimal


@dataclass(frozen=True)
class Band:
    """A category reached from `minimum` (inclusive) up to the next band's minimum."""

    minimum: Decimal
    category: str


@dataclass(frozen=True)
class PrestasiKerjaRule:
    """PP 46/2011: a weighted sum of nilai SKP and nilai perilaku kerja, then a sebutan."""

    version: str
    regulation: str
    legal_basis: str
    effective_from: date
    skp_weight: Decimal
    perilaku_weight: Decimal
    maximum: Decimal
    bands: tuple[Band, ...]  # highest first; the last has minimum 0

    fields = ("nilai_skp", "nilai_perilaku")

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(b.category for b in self.bands)

    def nilai(self, nilai_skp: Decimal, nilai_perilaku: Decimal) -> Decimal:
        return nilai_skp * self.skp_weight + nilai_perilaku * self.perilaku_weight

    def sebutan(self, nilai: Decimal) -> str:
        return next(b.category for b in self.bands if nilai >= b.minimum)


@dataclass(frozen=True)
class NilaiKinerjaRule:
    """PP 30/2019: the nilai kinerja as recorded (0-120), then a predikat."""

    version: str
    regulation: str
    legal_basis: str
    effective_from: date
    maximum: Decimal
    bands: tuple[Band, ...]  # highest first; the last has minimum 0
    # The top band also needs "menciptakan ide baru dan/atau cara baru"; without it, the next.
    top_needs_ide_baru: bool = True

    fields = ("nilai_skp", "ide_baru")

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(b.category for b in self.bands)

    def predikat(self, nilai: Decimal, ide_baru: bool) -> str:
        bands = self.bands if ide_baru or not self.top_needs_ide_baru else self.bands[1:]
        return next(b.category for b in bands if nilai >= b.minimum)


PRESTASI_2014 = PrestasiKerjaRule(
    version="prestasi/2014.1",
    regulation="PP 46/2011",
    legal_basis="PP 46/2011 Pasal 4, 12-17 and 50 (penilaian prestasi kerja PNS, from 2014-01-01)",
    effective_from=date(2014, 1, 1),
    skp_weight=_D("0.60"),
    perilaku_weight=_D("0.40"),
    maximum=_D(100),
    bands=(
        Band(_D(91), "SANGAT_BAIK"),  # 91 ke atas
        Band(_D(76), "BAIK"),  # 76-90
        Band(_D(61), "CUKUP"),  # 61-75
        Band(_D(51), "KURANG"),  # 51-60
        Band(_D(0), "BURUK"),  # 50 ke bawah
    ),
)

KINERJA_2021 = NilaiKinerjaRule(
    version="kinerja/2021.1",
    regulation="PP 30/2019; PermenPANRB 8/2021",
    legal_basis="PP 30/2019 Pasal 41 (nilai dan predikat kinerja PNS); PermenPANRB 8/2021",
    effective_from=date(2021, 1, 1),
    maximum=_D(120),
    bands=(
        Band(_D(110), "SANGAT_BAIK"),  # 110-120 and a new idea or way of working
        Band(_D(90), "BAIK"),  # 90-120
        Band(_D(70), "CUKUP"),  # 70-<90
        Band(_D(50), "KURANG"),  # 50-<70
        Band(_D(0), "SANGAT_KURANG"),  # below 50
    ),
)

AppraisalRule = PrestasiKerjaRule | NilaiKinerjaRule | PredikatRule

APPRAISAL_RULES: RuleHistory[AppraisalRule] = RuleHistory(
    (PRESTASI_2014, KINERJA_2021, *PREDIKAT_RULES.versions)
)

# The input fields of each shape of appraisal (the wrong shape for a period is refused by name).
RATING_FIELDS = ("hasil_kerja", "perilaku_kerja")
ALL_FIELDS = ("hasil_kerja", "perilaku_kerja", "nilai_skp", "nilai_perilaku", "ide_baru")


def fields_of(rule: AppraisalRule) -> tuple[str, ...]:
    return rule.fields if isinstance(rule, PrestasiKerjaRule | NilaiKinerjaRule) else RATING_FIELDS


def regulation_of(rule: AppraisalRule) -> str:
    return rule.regulation if isinstance(rule, PrestasiKerjaRule | NilaiKinerjaRule) else "PermenPANRB 6/2022"


def categories_of(rule: AppraisalRule) -> tuple[str, ...]:
    if isinstance(rule, PrestasiKerjaRule | NilaiKinerjaRule):
        return rule.categories
    return ("SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG")

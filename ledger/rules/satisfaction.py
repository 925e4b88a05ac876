"""Survei Kepuasan Masyarakat: PermenPANRB 14/2017 (IKM from nine unsur, mutu bands)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction

from ledger.decimals import plain
from ledger.rules.base import RuleHistory

# IKM, NRR and nilai konversi are published with 2 decimals (PermenPANRB 14/2017 Lampiran).
PUBLISHED_PLACES = 2

ELEMENTS = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
ELEMENT_NAMES = {
    "U1": "persyaratan",
    "U2": "sistem, mekanisme, dan prosedur",
    "U3": "waktu penyelesaian",
    "U4": "biaya/tarif",
    "U5": "produk spesifikasi jenis pelayanan",
    "U6": "kompetensi pelaksana",
    "U7": "perilaku pelaksana",
    "U8": "penanganan pengaduan, saran dan masukan",
    "U9": "sarana dan prasarana",
}


@dataclass(frozen=True)
class MutuBand:
    mutu: str
    kinerja: str
    min_converted: Decimal


@dataclass(frozen=True)
class SkmQuestion:
    """One question of the SKM questionnaire: its unsur, the question as printed and the four
    answers, from the score 1 answer to the score 4 answer."""

    element: str
    unsur: str
    question: str
    answers: tuple[str, str, str, str]


# PermenPANRB 14/2017 Lampiran, contoh kuesioner SKM: the nine questions and their answer scales
# word for word (a to d scored 1 to 4). The example prints sarana dan prasarana as question 8 and
# penanganan pengaduan as question 9; here each question sits with its unsur, whose order (U1-U9)
# follows the Lampiran's list of unsur (huruf a-i).
SKM_2017_QUESTIONS = (
    SkmQuestion(
        "U1",
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    SkmQuestion(
        "U2",
        "Sistem, Mekanisme, dan Prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    SkmQuestion(
        "U3",
        "Waktu Penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    SkmQuestion(
        "U4",
        "Biaya/Tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    SkmQuestion(
        "U5",
        "Produk Spesifikasi Jenis Pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam "
        "standar pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    SkmQuestion(
        "U6",
        "Kompetensi Pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    SkmQuestion(
        "U7",
        "Perilaku Pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan "
        "keramahan?",
        ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"),
    ),
    SkmQuestion(
        "U8",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"),
    ),
    SkmQuestion(
        "U9",
        "Sarana dan Prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat Baik"),
    ),
)
SKM_2017_QUESTIONNAIRE_SOURCE = "PermenPANRB 14/2017 Lampiran, contoh kuesioner Survei Kepuasan Masyarakat"


@dataclass(frozen=True)
class SatisfactionRule:
    version: str
    legal_basis: str
    effective_from: date
    elements: tuple[str, ...]
    min_score: int
    max_score: int
    conversion_factor: Decimal
    bands: tuple[MutuBand, ...]  # highest first
    questions: tuple[SkmQuestion, ...] = ()  # the questionnaire citizens answer, U1-U9
    questionnaire_source: str = ""

    @property
    def weight_exact(self) -> Fraction:
        # Exactly 1/n: the regulation's printed 0.111 would bias every IKM downwards.
        return Fraction(1, len(self.elements))

    @property
    def weight(self) -> Decimal:
        return _decimal(self.weight_exact)


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    nrr: Mapping[str, Decimal]  # exact where finite, else 40 significant digits (internal)
    ikm: Decimal  # likewise: for computing, never for publishing
    converted: Decimal  # rounded half-up to 2 decimals
    mutu: str
    kinerja: str
    rule_version: str
    # As published (PermenPANRB 14/2017 Lampiran tables: IKM and nilai konversi with 2 decimals),
    # each rounded half-up from the exact fraction.
    ikm_published: Decimal = Decimal(0)
    nrr_published: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def ikm_text(self) -> str:
        return plain(self.ikm_published)

    @property
    def converted_text(self) -> str:
        return plain(self.converted)

    @property
    def nrr_text(self) -> dict[str, str]:
        return {k: plain(v) for k, v in self.nrr_published.items()}


SATISFACTION_RULES: RuleHistory[SatisfactionRule] = RuleHistory(
    (
        SatisfactionRule(
            version="skm/2017.1",
            legal_basis="PermenPANRB 14/2017 Lampiran (pengolahan data SKM)",
            effective_from=date(2017, 1, 1),
            elements=ELEMENTS,
            min_score=1,
            max_score=4,
            conversion_factor=Decimal(25),
            bands=(
                MutuBand("A", "Sangat Baik", Decimal("88.31")),
                MutuBand("B", "Baik", Decimal("76.61")),
                MutuBand("C", "Kurang Baik", Decimal("65.00")),
                MutuBand("D", "Tidak Baik", Decimal("25.00")),
            ),
            questions=SKM_2017_QUESTIONS,
            questionnaire_source=SKM_2017_QUESTIONNAIRE_SOURCE,
        ),
    )
)


def validate_answers(rule: SatisfactionRule, answers: Mapping[str, object]) -> list[tuple[str, str]]:
    """(field, reason) for each problem in one response's answers."""
    problems = []
    for key in answers:
        if key not in rule.elements:
            problems.append((f"answers.{key}", f"unknown element; expected {', '.join(rule.elements)}"))
    for element in rule.elements:
        value = answers.get(element)
        if value is None:
            problems.append((f"answers.{element}", "missing"))
        elif isinstance(value, bool) or not isinstance(value, int):
            problems.append((f"answers.{element}", "must be an integer"))
        elif not rule.min_score <= value <= rule.max_score:
            problems.append((f"answers.{element}", f"must be between {rule.min_score} and {rule.max_score}"))
    return problems


def compute_ikm(rule: SatisfactionRule, responses: Iterable[Mapping[str, int]]) -> IkmResult | None:
    """IKM from raw responses; None when there is no response."""
    totals = dict.fromkeys(rule.elements, 0)
    n = 0
    for response in responses:
        n += 1
        for element in rule.elements:
            totals[element] += int(response[element])
    if n == 0:
        return None
    # Exact rational arithmetic: Σ NRR x 1/9 with no intermediate rounding, so a band edge
    # (e.g. 3.5324 -> 88.31) is never missed by a rounding error in a repeating decimal.
    nrr_exact = {e: Fraction(totals[e], n) for e in rule.elements}
    ikm_exact = sum((v * rule.weight_exact for v in nrr_exact.values()), Fraction(0))
    nrr = {e: _decimal(v) for e, v in nrr_exact.items()}
    ikm = _decimal(ikm_exact)
    converted = round_half_up(ikm_exact * Fraction(rule.conversion_factor))
    band = mutu_band(rule, converted)
    return IkmResult(
        n,
        nrr,
        ikm,
        converted,
        band.mutu,
        band.kinerja,
        rule.version,
        ikm_published=round_half_up(ikm_exact),
        nrr_published={e: round_half_up(v) for e, v in nrr_exact.items()},
    )


def round_half_up(value: Fraction, places: int = PUBLISHED_PLACES) -> Decimal:
    """A non-negative exact fraction rounded half-up to `places` decimals (no intermediate
    rounding, so a value just below a half is never pushed over it by a 40-digit approximation)."""
    return Decimal(math.floor(value * 10**places + Fraction(1, 2))).scaleb(-places)


def _decimal(value: Fraction) -> Decimal:
    """Exact when the fraction has a finite decimal expansion, else 28 significant digits."""
    with localcontext() as ctx:
        ctx.prec = 40
        return +(Decimal(value.numerator) / Decimal(value.denominator))


def mutu_band(rule: SatisfactionRule, converted: Decimal) -> MutuBand:
    for band in rule.bands:
        if converted >= band.min_converted:
            return band
    return rule.bands[-1]

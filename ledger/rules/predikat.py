"""Predikat kinerja pegawai: PermenPANRB 6/2022, quadrant of hasil kerja x perilaku kerja."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ledger.rules.base import RuleHistory
from ledger.vocabulary import Predikat, PredikatOrganisasi, Rating

A, S, B = Rating.DI_ATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DI_BAWAH_EKSPEKTASI


@dataclass(frozen=True)
class CurveBound:
    """Share of one or more predikat in an agency: at least or at most `share` (0..1)."""

    predikat: tuple[Predikat, ...]
    bound: str  # "min" | "max"
    share: Decimal
    # A minimum of "at least one" person rather than a share.
    at_least_one: bool = False


@dataclass(frozen=True)
class PredikatRule:
    version: str
    legal_basis: str
    effective_from: date
    # (hasil kerja, perilaku kerja) -> predikat
    matrix: Mapping[tuple[Rating, Rating], Predikat]
    # Organisation curve: guidance ("mempertimbangkan"), a warning, never a block.
    curves: Mapping[PredikatOrganisasi, tuple[CurveBound, ...]] = field(default_factory=dict)

    def predikat(self, hasil_kerja: Rating, perilaku_kerja: Rating) -> Predikat:
        return self.matrix[(hasil_kerja, perilaku_kerja)]


P = Predikat
_MATRIX_2022 = {
    (A, A): P.SANGAT_BAIK, (A, S): P.BAIK, (A, B): P.KURANG,
    (S, A): P.BAIK, (S, S): P.BAIK, (S, B): P.KURANG,
    (B, A): P.BUTUH_PERBAIKAN, (B, S): P.BUTUH_PERBAIKAN, (B, B): P.SANGAT_KURANG,
}  # fmt: skip

_D = Decimal
_CURVES_2022 = {
    PredikatOrganisasi.ISTIMEWA: (CurveBound((P.SANGAT_BAIK,), "max", _D("0.70")),),
    PredikatOrganisasi.BAIK: (
        CurveBound((P.BAIK,), "max", _D("0.70")),
        CurveBound((P.BUTUH_PERBAIKAN, P.KURANG), "min", _D("0"), at_least_one=True),
    ),
    PredikatOrganisasi.BUTUH_PERBAIKAN: (
        CurveBound((P.BUTUH_PERBAIKAN,), "min", _D("0.60")),
        CurveBound((P.SANGAT_BAIK,), "max", _D("0.10")),
    ),
    PredikatOrganisasi.KURANG: (
        CurveBound((P.KURANG,), "min", _D("0.60")),
        CurveBound((P.BUTUH_PERBAIKAN,), "min", _D("0.10")),
        CurveBound((P.SANGAT_BAIK,), "max", _D("0.10")),
    ),
    PredikatOrganisasi.SANGAT_KURANG: (
        CurveBound((P.SANGAT_KURANG,), "min", _D("0.60")),
        CurveBound((P.KURANG, P.BUTUH_PERBAIKAN), "min", _D("0.10")),
        CurveBound((P.SANGAT_BAIK,), "max", _D("0")),
    ),
}

PREDIKAT_RULES: RuleHistory[PredikatRule] = RuleHistory(
    (
        PredikatRule(
            version="predikat/2022.1",
            legal_basis="PermenPANRB 6/2022 Lampiran (kuadran predikat kinerja pegawai)",
            effective_from=date(2022, 1, 1),
            matrix=_MATRIX_2022,
            curves=_CURVES_2022,
        ),
    )
)


@dataclass(frozen=True)
class CurveWarning:
    bound: CurveBound
    actual_share: Decimal
    message: str


def curve_warnings(
    rule: PredikatRule, organisation: PredikatOrganisasi, counts: Mapping[Predikat, int]
) -> list[CurveWarning]:
    """Where an agency's distribution departs from the guidance curve of its own rating."""
    total = sum(counts.values())
    warnings: list[CurveWarning] = []
    if total == 0:
        return warnings
    for bound in rule.curves.get(organisation, ()):
        n = sum(counts.get(p, 0) for p in bound.predikat)
        share = Decimal(n) / Decimal(total)
        names = "+".join(p.value for p in bound.predikat)
        if bound.at_least_one and n < 1:
            warnings.append(CurveWarning(bound, share, f"at least one {names} expected"))
        elif bound.bound == "max" and share > bound.share:
            warnings.append(
                CurveWarning(bound, share, f"{names} {share:.0%} exceeds at most {bound.share:.0%}")
            )
        elif bound.bound == "min" and not bound.at_least_one and share < bound.share:
            warnings.append(
                CurveWarning(bound, share, f"{names} {share:.0%} below at least {bound.share:.0%}")
            )
    return warnings

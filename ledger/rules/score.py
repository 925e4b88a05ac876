"""Kinerja Ledger's own yearly score (docs/READ_MODELS.md, scorecards), as versioned data.

The score is explainable by construction: a weighted mean of component values in [0, 1]
(predikat, citizen satisfaction, training, collaboration), scaled to 0-100, plus bounded
point adjustments for awards and sanctions in force, clamped to 0-100. Every input comes from
a regulation-backed rule (see ``legal_basis``); the weights are Kinerja Ledger's own choice,
documented in docs/READ_MODELS.md. A component that does not apply (citizen satisfaction for
someone who neither serves the public nor was named in a survey) is left out and the weights of
the others are re-normalised, so back-office staff are not penalised for having no counter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ledger.rules.base import RuleHistory
from ledger.vocabulary import Level, Predikat

PREDIKAT = "predikat"
CITIZEN_SATISFACTION = "citizen_satisfaction"
TRAINING = "training"
COLLABORATION = "collaboration"
AWARDS = "awards"
SANCTIONS = "sanctions"

WEIGHTED_COMPONENTS = (PREDIKAT, CITIZEN_SATISFACTION, TRAINING, COLLABORATION)
ADJUSTMENTS = (AWARDS, SANCTIONS)


@dataclass(frozen=True)
class ScoreRule:
    version: str
    legal_basis: str
    effective_from: date
    # Weights of the components whose values lie in [0, 1]; they sum to 1.
    weights: Mapping[str, Decimal]
    # Value of the year's predikat (PermenPANRB 6/2022 Lampiran: five predikat).
    predikat_values: Mapping[Predikat, Decimal]
    # Citizen satisfaction: the IKM converted value (25..100, PermenPANRB 14/2017) / this.
    satisfaction_scale: Decimal
    # Training: JP in the year / target, capped at 1 (PP 17/2020: at least 20 JP a year).
    training_target_jp: Decimal
    # Collaboration: inter-agency programmes active in the year / this, capped at 1.
    collaboration_full_at: int
    # Awards (not revoked, not flagged ineligible) granted in the year: points each, capped.
    award_points: Decimal
    award_cap: Decimal
    # Sanctions in force at any time in the year, by level: points each (negative), floor.
    sanction_points: Mapping[Level, Decimal]
    sanction_floor: Decimal
    minimum: Decimal = Decimal(0)
    maximum: Decimal = Decimal(100)
    # Appraisals before PermenPANRB 6/2022, by their appraisal rule version: category -> value on
    # the same scale as predikat_values (docs/RULES.md, "one scale").
    legacy_values: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)

    def appraisal_value(self, rule_version: str | None, category: str) -> Decimal:
        """The value of an appraisal's predikat (or sebutan) under its own appraisal rule."""
        legacy = self.legacy_values.get(rule_version or "")
        if legacy is not None:
            return legacy[category]
        return self.predikat_values[Predikat(category)]

    def __post_init__(self) -> None:
        if sum(self.weights.values()) != Decimal(1):
            raise ValueError(f"weights of {self.version} must sum to 1")
        if set(self.weights) != set(WEIGHTED_COMPONENTS):
            raise ValueError(f"weights of {self.version} must cover {WEIGHTED_COMPONENTS}")


_D = Decimal

# One scale for every appraisal rule: the five categories of each version, best first, take the
# values of the five predikat of PermenPANRB 6/2022 in the same rank (docs/RULES.md).
_PREDIKAT_VALUES = {
    Predikat.SANGAT_BAIK: _D("1.00"),
    Predikat.BAIK: _D("0.80"),
    Predikat.BUTUH_PERBAIKAN: _D("0.55"),
    Predikat.KURANG: _D("0.35"),
    Predikat.SANGAT_KURANG: _D("0.15"),
}
_LEGACY_VALUES = {
    # PP 46/2011 sebutan
    "prestasi/2014.1": {
        "SANGAT_BAIK": _D("1.00"),
        "BAIK": _D("0.80"),
        "CUKUP": _D("0.55"),
        "KURANG": _D("0.35"),
        "BURUK": _D("0.15"),
    },
    # PP 30/2019 predikat
    "kinerja/2021.1": {
        "SANGAT_BAIK": _D("1.00"),
        "BAIK": _D("0.80"),
        "CUKUP": _D("0.55"),
        "KURANG": _D("0.35"),
        "SANGAT_KURANG": _D("0.15"),
    },
}
_WEIGHTS = {
    PREDIKAT: _D("0.50"),
    CITIZEN_SATISFACTION: _D("0.20"),
    TRAINING: _D("0.20"),
    COLLABORATION: _D("0.10"),
}
_SANCTION_POINTS = {Level.RINGAN: _D(-3), Level.SEDANG: _D(-8), Level.BERAT: _D(-15)}

SCORE_RULES: RuleHistory[ScoreRule] = RuleHistory(
    (
        ScoreRule(
            version="skor/2014.1",
            legal_basis=(
                "Kinerja Ledger formula over: PP 46/2011 (prestasi kerja, 2014-2020) and PP 30/2019 "
                "(nilai kinerja, 2021) mapped onto one scale, PermenPANRB 14/2017 (IKM, from 2017), "
                "PP 11/2017 Pasal 203 (20 JP), PP 53/2010 and PP 94/2021 (hukuman disiplin), PP 35/2010 "
                "(tanda kehormatan); weights documented in docs/READ_MODELS.md, scale in docs/RULES.md"
            ),
            effective_from=date(2014, 1, 1),
            weights=_WEIGHTS,
            predikat_values=_PREDIKAT_VALUES,
            satisfaction_scale=_D(100),
            training_target_jp=_D(20),
            collaboration_full_at=2,
            award_points=_D(2),
            award_cap=_D(6),
            sanction_points=_SANCTION_POINTS,
            sanction_floor=_D(-30),
            legacy_values=_LEGACY_VALUES,
        ),
        ScoreRule(
            version="skor/2022.1",
            legal_basis=(
                "Kinerja Ledger formula over: PermenPANRB 6/2022 (predikat kinerja), "
                "PermenPANRB 14/2017 (IKM), PP 17/2020 Pasal 203 (20 JP), PP 94/2021 (hukuman "
                "disiplin), PP 35/2010 (tanda kehormatan); weights documented in docs/READ_MODELS.md"
            ),
            effective_from=date(2022, 1, 1),
            weights=_WEIGHTS,
            predikat_values=_PREDIKAT_VALUES,
            satisfaction_scale=_D(100),
            training_target_jp=_D(20),
            collaboration_full_at=2,
            award_points=_D(2),
            award_cap=_D(6),
            sanction_points=_SANCTION_POINTS,
            sanction_floor=_D(-30),
        ),
    )
)

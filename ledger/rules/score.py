"""Kinerja Ledger's own yearly score (docs/READ_MODELS.md, scorecards), as versioned data.

The score is explainable by construction: a weighted mean of component values in [0, 1]
(predikat, citizen satisfaction, training, collaboration), scaled to 0-100, plus bounded
point adjustments for awards and sanctions in force, clamped to 0-100. Every input comes from
a regulation-backed rule (see ``legal_basis``); the weights are Kinerja Ledger's own choice,
documented in docs/READ_MODELS.md. A component that does not apply (citizen satisfaction for
someone who neither serves the public nor was named in a survey) is left out and the weights of
the others are re-normalised, so back-office staff are not penalised for having no counter.
From skor/2026.1 every component without data is left out that way (no appraisal for the year;
fewer than 5 survey responses), never counted as zero; skor/2022.1 stays as it was for the
years it scored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from ledger.rules.base import RuleHistory
from ledger.vocabulary import Level, Predikat, Rating

PREDIKAT = "predikat"
CITIZEN_SATISFACTION = "citizen_satisfaction"
TRAINING = "training"
COLLABORATION = "collaboration"
AWARDS = "awards"
SANCTIONS = "sanctions"
SKP_REALISATION = "skp_realisation"
BEHAVIOUR = "behaviour"

WEIGHTED_COMPONENTS = (PREDIKAT, CITIZEN_SATISFACTION, TRAINING, COLLABORATION)
# Weighted components a version may add (from skor/2027.1): the SKP's realisation against target
# and BerAKHLAK feedback (PermenPANRB 6/2022), each left out where there is none.
CYCLE_COMPONENTS = (SKP_REALISATION, BEHAVIOUR)
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
    # No appraisal for the year: True counts the predikat as 0 (skor/2022.1, kept for the years it
    # scored); False leaves the component out and renormalises the other weights.
    missing_appraisal_counts_as_zero: bool
    # Fewest survey responses citizen satisfaction may rest on: the officer's named surveys when
    # there are that many, else the unit's (where they are assigned) when it has that many, else
    # the component is left out.
    min_survey_responses: int
    minimum: Decimal = Decimal(0)
    maximum: Decimal = Decimal(100)
    # Appraisals before PermenPANRB 6/2022, by their appraisal rule version: category -> value on
    # the same scale as predikat_values (docs/RULES.md, "one scale").
    legacy_values: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)
    # BerAKHLAK feedback: each rating's value in [0, 1] (versions that weigh BEHAVIOUR).
    behaviour_values: Mapping[str, Decimal] = field(default_factory=dict)

    def appraisal_value(self, rule_version: str | None, category: str) -> Decimal:
        """The value of an appraisal's predikat (or sebutan) under its own appraisal rule."""
        legacy = self.legacy_values.get(rule_version or "")
        if legacy is not None:
            return legacy[category]
        return self.predikat_values[Predikat(category)]

    def __post_init__(self) -> None:
        if sum(self.weights.values()) != Decimal(1):
            raise ValueError(f"weights of {self.version} must sum to 1")
        if not set(WEIGHTED_COMPONENTS) <= set(self.weights) <= {*WEIGHTED_COMPONENTS, *CYCLE_COMPONENTS}:
            raise ValueError(
                f"weights of {self.version} must cover {WEIGHTED_COMPONENTS} (and may add {CYCLE_COMPONENTS})"
            )
        if BEHAVIOUR in self.weights and set(self.behaviour_values) != {r.value for r in Rating}:
            raise ValueError(f"{self.version} weighs BerAKHLAK feedback: give a value for every rating")


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

_SKOR_2022 = ScoreRule(
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
    # Kept for the years it scored: a missing appraisal counted as 0, one survey was enough.
    missing_appraisal_counts_as_zero=True,
    min_survey_responses=1,
    legacy_values=_LEGACY_VALUES,
)

# A component without data is left out, never counted as zero: no appraisal for the year leaves
# the predikat out; citizen satisfaction needs at least 5 responses (the officer's named surveys,
# else their unit's), as every published figure does (k = 5). Same weights, values and
# adjustments as skor/2022.1. Scores 2026.
_SKOR_2026 = replace(
    _SKOR_2022,
    version="skor/2026.1",
    effective_from=date(2026, 1, 1),
    missing_appraisal_counts_as_zero=False,
    min_survey_responses=5,
)

SCORE_RULES: RuleHistory[ScoreRule] = RuleHistory(
    (
        # The years before PermenPANRB 6/2022, written after the zero-for-missing defect was known:
        # a component without data is left out from the start.
        replace(
            _SKOR_2022,
            version="skor/2014.1",
            legal_basis=(
                "Kinerja Ledger formula over: PP 46/2011 (prestasi kerja, 2014-2020) and PP 30/2019 "
                "(nilai kinerja, 2021) mapped onto one scale, PermenPANRB 14/2017 (IKM, from 2017), "
                "PP 11/2017 Pasal 203 (20 JP), PP 53/2010 and PP 94/2021 (hukuman disiplin), PP 35/2010 "
                "(tanda kehormatan); weights documented in docs/READ_MODELS.md, scale in docs/RULES.md"
            ),
            effective_from=date(2014, 1, 1),
            missing_appraisal_counts_as_zero=False,
            min_survey_responses=5,
        ),
        _SKOR_2022,
        _SKOR_2026,
        # The performance management cycle joins the score: the SKP's realisation against target
        # (the plan's share achieved, rule skp/2022.1) and BerAKHLAK feedback of the year, each
        # left out (weights renormalised) where there is none, like every component without
        # data. Scores the years from 2027; earlier years keep their versions.
        replace(
            _SKOR_2026,
            version="skor/2027.1",
            legal_basis=(
                "Kinerja Ledger formula over: PermenPANRB 6/2022 (predikat kinerja; SKP realisation "
                "and BerAKHLAK perilaku kerja), PermenPANRB 14/2017 (IKM), PP 17/2020 Pasal 203 (20 JP), "
                "PP 94/2021 (hukuman disiplin), PP 35/2010 (tanda kehormatan); weights documented in "
                "docs/READ_MODELS.md"
            ),
            effective_from=date(2027, 1, 1),
            weights={
                PREDIKAT: _D("0.40"),
                CITIZEN_SATISFACTION: _D("0.15"),
                TRAINING: _D("0.15"),
                COLLABORATION: _D("0.10"),
                SKP_REALISATION: _D("0.10"),
                BEHAVIOUR: _D("0.10"),
            },
            behaviour_values={
                Rating.DI_ATAS_EKSPEKTASI.value: _D("1.00"),
                Rating.SESUAI_EKSPEKTASI.value: _D("0.75"),
                Rating.DI_BAWAH_EKSPEKTASI.value: _D("0.25"),
            },
        ),
    )
)

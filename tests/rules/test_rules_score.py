"""The yearly score formula skor/2022.1 (docs/READ_MODELS.md) as versioned data; skor/2026.1
keeps its weights, values and points and changes only what a component without data does.

Its inputs come from PermenPANRB 6/2022 (predikat), PermenPANRB 14/2017 (IKM), PP 17/2020
Pasal 203 (20 JP), PP 94/2021 (hukuman disiplin) and PP 35/2010 (tanda kehormatan); the
weights and points are the ledger's own. Every value is written out independently of
ledger/rules/score.py, so changing any weight or point fails here (tests/test_scorecard.py
checks the arithmetic on hand-computed cards).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from ledger.rules import TRAINING_RULES
from ledger.rules.score import SCORE_RULES

RULE = SCORE_RULES.in_force(date(2025, 12, 31))  # skor/2026.1 shares its values (test_scorecard_left_out)


def test_the_rule_in_force() -> None:
    assert RULE.version == "skor/2022.1"
    assert RULE.effective_from == date(2022, 1, 1)
    # Years 2014-2021 are scored by skor/2014.1 (the legacy appraisal rules on the same scale);
    # before 2014 there is no appraisal rule and no score.
    assert SCORE_RULES.in_force(date(2021, 12, 31)).version == "skor/2014.1"
    assert SCORE_RULES.in_force(date(2014, 1, 1)).version == "skor/2014.1"
    assert SCORE_RULES.find(date(2013, 12, 31)) is None


# docs/RULES.md "one scale": rank for rank, the five categories of each appraisal rule take the
# values of the five PermenPANRB 6/2022 predikat.
@pytest.mark.parametrize(
    ("rule_version", "category", "value"),
    [
        ("prestasi/2014.1", "SANGAT_BAIK", "1.00"),
        ("prestasi/2014.1", "BAIK", "0.80"),
        ("prestasi/2014.1", "CUKUP", "0.55"),
        ("prestasi/2014.1", "KURANG", "0.35"),
        ("prestasi/2014.1", "BURUK", "0.15"),
        ("kinerja/2021.1", "SANGAT_BAIK", "1.00"),
        ("kinerja/2021.1", "BAIK", "0.80"),
        ("kinerja/2021.1", "CUKUP", "0.55"),
        ("kinerja/2021.1", "KURANG", "0.35"),
        ("kinerja/2021.1", "SANGAT_KURANG", "0.15"),
        ("predikat/2022.1", "BUTUH_PERBAIKAN", "0.55"),
    ],
)
def test_one_scale_for_every_appraisal_rule(rule_version: str, category: str, value: str) -> None:
    legacy = SCORE_RULES.in_force(date(2020, 12, 31))
    assert legacy.appraisal_value(rule_version, category) == Decimal(value)


def test_weights() -> None:
    assert dict(RULE.weights) == {
        "predikat": Decimal("0.50"),
        "citizen_satisfaction": Decimal("0.20"),
        "training": Decimal("0.20"),
        "collaboration": Decimal("0.10"),
    }


def test_predikat_values() -> None:
    assert {p.value: v for p, v in RULE.predikat_values.items()} == {
        "SANGAT_BAIK": Decimal("1.00"),
        "BAIK": Decimal("0.80"),
        "BUTUH_PERBAIKAN": Decimal("0.55"),
        "KURANG": Decimal("0.35"),
        "SANGAT_KURANG": Decimal("0.15"),
    }


def test_scales_points_and_bounds() -> None:
    assert RULE.satisfaction_scale == Decimal(100)
    assert RULE.training_target_jp == Decimal(20)
    assert RULE.collaboration_full_at == 2
    assert (RULE.award_points, RULE.award_cap) == (Decimal(2), Decimal(6))
    assert {lv.value: v for lv, v in RULE.sanction_points.items()} == {
        "RINGAN": Decimal(-3),
        "SEDANG": Decimal(-8),
        "BERAT": Decimal(-15),
    }
    assert RULE.sanction_floor == Decimal(-30)
    assert (RULE.minimum, RULE.maximum) == (Decimal(0), Decimal(100))


def test_training_target_is_the_regulation_minimum() -> None:
    # Full marks exactly at the PP 17/2020 yearly minimum, not above or below it.
    assert RULE.training_target_jp == TRAINING_RULES.in_force(date(2026, 12, 31)).minimum_jp_per_year


def test_weights_must_sum_to_one_and_cover_every_component() -> None:
    off = {**RULE.weights, "collaboration": Decimal("0.11")}
    with pytest.raises(ValueError, match=r"weights of skor/2022\.1 must sum to 1"):
        replace(RULE, weights=off)
    missing = {
        "predikat": Decimal("0.60"),
        "citizen_satisfaction": Decimal("0.20"),
        "training": Decimal("0.20"),
    }
    with pytest.raises(ValueError, match="must cover"):
        replace(RULE, weights=missing)

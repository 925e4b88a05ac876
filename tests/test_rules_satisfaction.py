"""PermenPANRB 14/2017: IKM and mutu at the band edges, computed from raw responses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledger.rules import SATISFACTION_RULES, compute_ikm
from ledger.rules.satisfaction import ELEMENTS

RULE = SATISFACTION_RULES.in_force(date(2026, 1, 1))


def responses_with_total(n: int, total: int) -> list[dict[str, int]]:
    """n responses whose scores add up to `total` (each score 1..4)."""
    assert 9 * n <= total <= 36 * n
    remaining = total - 9 * n  # points above the minimum to distribute
    out = []
    for _ in range(n):
        answer = {}
        for e in ELEMENTS:
            extra = min(3, remaining)
            answer[e] = 1 + extra
            remaining -= extra
        out.append(answer)
    assert remaining == 0
    return out


@pytest.mark.parametrize(
    ("ikm", "n", "mutu", "converted"),
    [
        ("3.5324", 2500, "A", "88.31"),
        ("3.532", 250, "B", "88.30"),
        ("3.0644", 2500, "B", "76.61"),
        ("3.064", 250, "C", "76.60"),
        ("2.60", 5, "C", "65.00"),
        ("2.5996", 2500, "D", "64.99"),
        ("4", 5, "A", "100.00"),
        ("1", 5, "D", "25.00"),
    ],
)
def test_band_edges(ikm: str, n: int, mutu: str, converted: str) -> None:
    total = Decimal(ikm) * 9 * n
    assert total == total.to_integral_value()
    result = compute_ikm(RULE, responses_with_total(n, int(total)))
    assert result is not None
    assert result.ikm == Decimal(ikm)
    assert result.converted == Decimal(converted)
    assert result.mutu == mutu
    assert result.respondents == n


def test_weight_is_exactly_one_ninth() -> None:
    assert RULE.weight_exact * 9 == 1
    assert abs(RULE.weight - Decimal(1) / 9) < Decimal("1e-27")
    assert RULE.weight != Decimal("0.111")


def test_nrr_per_element() -> None:
    answers = [dict.fromkeys(ELEMENTS, 4), dict.fromkeys(ELEMENTS, 2)]
    answers[1]["U3"] = 1
    result = compute_ikm(RULE, answers)
    assert result is not None
    assert result.nrr["U1"] == Decimal(3)
    assert result.nrr["U3"] == Decimal("2.5")


def test_no_responses() -> None:
    assert compute_ikm(RULE, []) is None

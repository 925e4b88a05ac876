"""PermenPANRB 14/2017: IKM and mutu at the band edges, computed from raw responses.

Every value is written out independently of ledger/rules/satisfaction.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from ledger.application import KinerjaLedger
from ledger.errors import ValidationFailed
from ledger.rules import SATISFACTION_RULES, compute_ikm
from ledger.rules.satisfaction import ELEMENT_NAMES, ELEMENTS, round_half_up, validate_answers
from tests.factories import HR, seed_agency

RULE = SATISFACTION_RULES.in_force(date(2026, 1, 1))


def test_the_rule_in_force() -> None:
    assert RULE.version == "skm/2017.1"
    assert RULE.effective_from == date(2017, 1, 1)
    assert RULE.legal_basis == "PermenPANRB 14/2017 Lampiran (pengolahan data SKM)"
    assert SATISFACTION_RULES.find(date(2016, 12, 31)) is None


# PermenPANRB 14/2017 Lampiran: the nine unsur, answers 1..4, IKM x 25 = nilai konversi.
def test_elements_scale_and_conversion() -> None:
    assert RULE.elements == ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
    assert ELEMENT_NAMES == {
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
    assert (RULE.min_score, RULE.max_score) == (1, 4)
    assert RULE.conversion_factor == Decimal(25)


# PermenPANRB 14/2017 Lampiran, nilai interval konversi -> mutu pelayanan, kinerja unit:
# 88.31-100 A Sangat Baik, 76.61-88.30 B Baik, 65.00-76.60 C Kurang Baik, 25.00-64.99 D Tidak Baik.
def test_bands_are_as_written() -> None:
    assert [(b.mutu, b.kinerja, b.min_converted) for b in RULE.bands] == [
        ("A", "Sangat Baik", Decimal("88.31")),
        ("B", "Baik", Decimal("76.61")),
        ("C", "Kurang Baik", Decimal("65.00")),
        ("D", "Tidak Baik", Decimal("25.00")),
    ]


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
        ("3.5328", 2500, "A", "88.32"),
        ("3.5324", 2500, "A", "88.31"),
        ("3.532", 250, "B", "88.30"),
        ("3.0648", 2500, "B", "76.62"),
        ("3.0644", 2500, "B", "76.61"),
        ("3.064", 250, "C", "76.60"),
        ("2.6004", 2500, "C", "65.01"),
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


# The converted value is rounded half-up to two decimals before the band is chosen: exactly
# x.xx5 rounds up into the higher band, anything below it stays in the lower one.
@pytest.mark.parametrize(
    ("total", "mutu", "converted"),
    [
        (158949, "A", "88.31"),  # IKM 3.5322 -> 88.305
        (158948, "B", "88.30"),  # 88.3044...
        (137889, "B", "76.61"),  # IKM 3.0642 -> 76.605
        (137888, "C", "76.60"),
        (116991, "C", "65.00"),  # IKM 2.5998 -> 64.995
        (116990, "D", "64.99"),
    ],
)
def test_half_up_rounding_at_band_edges(total: int, mutu: str, converted: str) -> None:
    result = compute_ikm(RULE, responses_with_total(5000, total))
    assert result is not None
    assert (result.mutu, result.converted) == (mutu, Decimal(converted))


@pytest.mark.parametrize(
    ("answers", "problems"),
    [
        (dict.fromkeys(ELEMENTS, 1), []),
        (dict.fromkeys(ELEMENTS, 4), []),
        ({**dict.fromkeys(ELEMENTS, 3), "U4": 0}, [("answers.U4", "must be between 1 and 4")]),
        ({**dict.fromkeys(ELEMENTS, 3), "U9": 5}, [("answers.U9", "must be between 1 and 4")]),
        ({**dict.fromkeys(ELEMENTS, 3), "U1": True}, [("answers.U1", "must be an integer")]),
        ({k: 3 for k in ELEMENTS if k != "U2"}, [("answers.U2", "missing")]),
        (
            {**dict.fromkeys(ELEMENTS, 3), "U10": 3},
            [("answers.U10", "unknown element; expected U1, U2, U3, U4, U5, U6, U7, U8, U9")],
        ),
    ],
)
def test_answer_scale_edges(answers: dict[str, object], problems: list[tuple[str, str]]) -> None:
    assert validate_answers(RULE, answers) == problems


def test_an_answer_off_the_scale_is_refused_by_the_survey_command(app: KinerjaLedger) -> None:
    seed_agency(app)
    app.register_service_unit(HR, code="PKM-01", name="Puskesmas", agency="DINKES")
    with pytest.raises(ValidationFailed) as err:
        app.submit_survey(HR, service_unit="PKM-01", answers={**dict.fromkeys(ELEMENTS, 4), "U3": 5})
    assert [(e.field, e.reason) for e in err.value.errors] == [("answers.U3", "must be between 1 and 4")]
    accepted = app.submit_survey(HR, service_unit="PKM-01", answers={**dict.fromkeys(ELEMENTS, 4), "U3": 1})
    assert accepted.extra["survey_id"] == accepted.event_id


def test_ikm_is_published_with_two_decimals_half_up_and_kept_exact_inside() -> None:
    # 115 responses adding up to 3336: IKM 3336/1035 = 1112/345 = 3.2231884057971014...
    # Caught before the fix: published as "3.223188405797101449275362318840579710145".
    result = compute_ikm(RULE, responses_with_total(115, 3336))
    assert result is not None
    assert result.ikm == Decimal("3.223188405797101449275362318840579710145")
    assert (result.ikm_text, result.converted_text, result.mutu) == ("3.22", "80.58", "B")
    # Half-up on the exact value: 1/8 + 3 = 3.125 -> 3.13 (a half goes up), 3.1249.. -> 3.12.
    assert round_half_up(Fraction(25, 8)) == Decimal("3.13")
    assert round_half_up(Fraction(3124999, 1000000)) == Decimal("3.12")
    assert str(round_half_up(Fraction(4))) == "4.00"

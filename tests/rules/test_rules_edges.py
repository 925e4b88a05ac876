"""Rule-history lookup, the curve warnings as whole objects, and defaults of the rule helpers.

The rule tables themselves are module data that mutmut cannot mutate; the tests/test_rules_*.py
files compare every cell with a literal. These tests cover the functions over the tables, written
against their surviving mutants (docs/TESTING.md).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from ledger.rules import DISCIPLINE_RULES, PREDIKAT_RULES, SATISFACTION_RULES
from ledger.rules.base import RuleHistory
from ledger.rules.discipline import AuthorityTable, heaviest
from ledger.rules.predikat import CurveWarning, curve_warnings
from ledger.rules.satisfaction import IkmResult, compute_ikm, mutu_band
from ledger.vocabulary import DecidingRole, Level, PenaltyCode, Predikat, PredikatOrganisasi


@dataclass(frozen=True)
class Version:
    version: str
    effective_from: date


OLD = Version("x/2020.1", date(2020, 7, 1))
NEW = Version("x/2024.1", date(2024, 1, 1))
# Deliberately newest first: the lookups must not depend on the order versions are listed in.
HISTORY = RuleHistory((NEW, OLD))


def test_in_force_switches_on_the_effective_day() -> None:
    assert HISTORY.in_force(date(2020, 7, 1)) is OLD
    assert HISTORY.in_force(date(2023, 12, 31)) is OLD
    assert HISTORY.in_force(date(2024, 1, 1)) is NEW
    assert HISTORY.find(date(2020, 6, 30)) is None
    with pytest.raises(
        LookupError, match=r"^no rule in force on 2020-06-30 \(earliest takes effect 2020-07-01\)$"
    ):
        HISTORY.in_force(date(2020, 6, 30))


def test_describe_start_names_the_earliest_version_wherever_it_is_listed() -> None:
    assert HISTORY.describe_start() == (
        "no rule version in force then; the earliest (x/2020.1) applies from 2020-07-01"
    )


def test_by_version_finds_exactly_the_named_version() -> None:
    assert HISTORY.by_version("x/2020.1") is OLD
    assert HISTORY.by_version("x/2024.1") is NEW
    with pytest.raises(LookupError, match=r"^unknown rule version x/2022\.1$"):
        HISTORY.by_version("x/2022.1")


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([Level.RINGAN], Level.RINGAN),
        ([Level.SEDANG, Level.RINGAN], Level.SEDANG),
        ([Level.RINGAN, Level.BERAT, Level.SEDANG], Level.BERAT),
        ([Level.RINGAN, Level.RINGAN], Level.RINGAN),
    ],
)
def test_heaviest_orders_levels_by_severity_not_by_name(levels: list[Level], expected: Level) -> None:
    # alphabetically SEDANG > RINGAN > BERAT: the severity order is the opposite for BERAT
    assert heaviest(levels) is expected


def test_absence_without_consecutive_days_never_means_dismissal() -> None:
    rule = DISCIPLINE_RULES.in_force(date(2026, 1, 1))
    # Even a rule whose consecutive threshold were a single day must not count absence as
    # consecutive when the caller gave no consecutive days.
    strict = dataclasses.replace(rule, consecutive_absence_dismissal_days=1)
    assert strict.expected_for_absence(0) is None
    assert strict.expected_for_absence(0, consecutive_days=1) is PenaltyCode.PEMBERHENTIAN


RULE = PREDIKAT_RULES.in_force(date(2026, 1, 1))


def test_an_organisation_without_a_curve_gets_no_warnings() -> None:
    bare = dataclasses.replace(RULE, curves={})
    assert curve_warnings(bare, PredikatOrganisasi.BAIK, {Predikat.BAIK: 10}) == []


def test_curve_warnings_are_whole_objects() -> None:
    baik = RULE.curves[PredikatOrganisasi.BAIK]
    assert curve_warnings(RULE, PredikatOrganisasi.BAIK, {Predikat.BAIK: 8, Predikat.SANGAT_BAIK: 2}) == [
        CurveWarning(baik[0], Decimal("0.8"), "BAIK 80% exceeds at most 70%"),
        CurveWarning(baik[1], Decimal(0), "at least one BUTUH_PERBAIKAN+KURANG expected"),
    ]
    kurang = RULE.curves[PredikatOrganisasi.KURANG]
    assert curve_warnings(RULE, PredikatOrganisasi.KURANG, {Predikat.KURANG: 1, Predikat.BAIK: 3}) == [
        CurveWarning(kurang[0], Decimal("0.25"), "KURANG 25% below at least 60%"),
        CurveWarning(kurang[1], Decimal(0), "BUTUH_PERBAIKAN 0% below at least 10%"),
    ]
    assert curve_warnings(RULE, PredikatOrganisasi.KURANG, {}) == []  # nobody rated: no share to judge


def test_a_converted_value_below_every_band_falls_to_the_lowest_band() -> None:
    # compute_ikm never yields less than 25, but mutu_band is public: below D's floor is still D.
    rule = SATISFACTION_RULES.in_force(date(2026, 1, 1))
    assert [b.mutu for b in rule.bands] == ["A", "B", "C", "D"]
    assert mutu_band(rule, Decimal("24.99")).mutu == "D"
    assert mutu_band(rule, Decimal(0)).mutu == "D"


def test_compute_ikm_answers_the_whole_result_with_repeating_decimals_to_40_digits() -> None:
    rule = SATISFACTION_RULES.in_force(date(2026, 1, 1))
    fours = dict.fromkeys(rule.elements, 4)
    # U1 = 4, 3, 3 -> NRR 10/3; IKM = (10/3 + 8 x 4) / 9 = 106/27; converted 2650/27 = 98.148... -> 98.15
    result = compute_ikm(rule, [fours, {**fours, "U1": 3}, {**fours, "U1": 3}])
    assert result == IkmResult(
        respondents=3,
        nrr={"U1": Decimal("3.333333333333333333333333333333333333333")}
        | {e: Decimal(4) for e in rule.elements[1:]},
        ikm=Decimal("3.925925925925925925925925925925925925926"),
        converted=Decimal("98.15"),
        mutu="A",
        kinerja="Sangat Baik",
        rule_version="skm/2017.1",
        ikm_published=Decimal("3.93"),
        nrr_published={"U1": Decimal("3.33")} | {e: Decimal("4.00") for e in rule.elements[1:]},
    )
    assert (result.ikm_text, result.converted_text, result.nrr_text["U1"]) == ("3.93", "98.15", "3.33")


def test_a_role_missing_from_an_authority_table_is_authorised_for_nothing() -> None:
    # Tables loaded from a government's own file may leave a role out altogether.
    table = AuthorityTable("t/1", "test", date(2024, 1, 1), {DecidingRole.PPK: frozenset({Level.BERAT})})
    assert table.authorised(DecidingRole.PPK, Level.BERAT) is True
    assert table.authorised(DecidingRole.PPK, Level.RINGAN) is False
    assert table.authorised(DecidingRole.ATASAN_LANGSUNG, Level.RINGAN) is False

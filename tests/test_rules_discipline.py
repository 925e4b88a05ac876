"""PP 94/2021: every penalty and its level; the absence table at every boundary."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.rules import DISCIPLINE_RULES
from ledger.rules.discipline import DEFAULT_AUTHORITY
from ledger.vocabulary import DecidingRole, Level, PenaltyCode

RULE = DISCIPLINE_RULES.in_force(date(2026, 1, 1))

PENALTIES = [
    ("TEGURAN_LISAN", "RINGAN", None),
    ("TEGURAN_TERTULIS", "RINGAN", None),
    ("PERNYATAAN_TIDAK_PUAS", "RINGAN", None),
    ("POTONGAN_TUKIN_6", "SEDANG", 6),
    ("POTONGAN_TUKIN_9", "SEDANG", 9),
    ("POTONGAN_TUKIN_12", "SEDANG", 12),
    ("PENURUNAN_JABATAN", "BERAT", 12),
    ("PEMBEBASAN_JABATAN", "BERAT", 12),
    ("PEMBERHENTIAN", "BERAT", None),
]


@pytest.mark.parametrize(("code", "level", "months"), PENALTIES)
def test_every_penalty_has_its_level_and_duration(code: str, level: str, months: int | None) -> None:
    penalty = RULE.penalty(PenaltyCode(code))
    assert penalty.level is Level(level)
    assert penalty.duration_months == months
    assert penalty.permanent is (code == "PEMBERHENTIAN")


def test_catalogue_is_complete() -> None:
    assert set(RULE.penalties) == set(PenaltyCode)


ABSENCE = [
    (0, None),
    (2, None),
    (3, "TEGURAN_LISAN"),
    (4, "TEGURAN_TERTULIS"),
    (6, "TEGURAN_TERTULIS"),
    (7, "PERNYATAAN_TIDAK_PUAS"),
    (10, "PERNYATAAN_TIDAK_PUAS"),
    (11, "POTONGAN_TUKIN_6"),
    (13, "POTONGAN_TUKIN_6"),
    (14, "POTONGAN_TUKIN_9"),
    (16, "POTONGAN_TUKIN_9"),
    (17, "POTONGAN_TUKIN_12"),
    (20, "POTONGAN_TUKIN_12"),
    (21, "PENURUNAN_JABATAN"),
    (24, "PENURUNAN_JABATAN"),
    (25, "PEMBEBASAN_JABATAN"),
    (27, "PEMBEBASAN_JABATAN"),
    (28, "PEMBERHENTIAN"),
    (60, "PEMBERHENTIAN"),
]


@pytest.mark.parametrize(("days", "expected"), ABSENCE)
def test_absence_table_boundaries(days: int, expected: str | None) -> None:
    got = RULE.expected_for_absence(days)
    assert (got.value if got else None) == expected


@pytest.mark.parametrize(("consecutive", "expected"), [(9, "TEGURAN_LISAN"), (10, "PEMBERHENTIAN")])
def test_ten_consecutive_days_means_dismissal(consecutive: int, expected: str) -> None:
    got = RULE.expected_for_absence(3, consecutive_days=consecutive)
    assert got is not None and got.value == expected


def test_default_authority_table() -> None:
    grants = {role: set(DEFAULT_AUTHORITY.grants[role]) for role in DecidingRole}
    assert grants[DecidingRole.PPK] == {Level.RINGAN, Level.SEDANG, Level.BERAT}
    assert grants[DecidingRole.SEKDA] == {Level.RINGAN, Level.SEDANG}
    assert grants[DecidingRole.KEPALA_OPD] == {Level.RINGAN}
    assert grants[DecidingRole.ATASAN_LANGSUNG] == {Level.RINGAN}


def test_rule_lookup_by_date() -> None:
    with pytest.raises(LookupError):
        DISCIPLINE_RULES.in_force(date(2020, 1, 1))
    assert DISCIPLINE_RULES.in_force(date(2021, 8, 31)).version == "disiplin/2021.1"

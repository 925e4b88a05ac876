"""PP 94/2021: every penalty and its level; the absence table at every boundary; who may decide.

Every value is written out independently of ledger/rules/discipline.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import KinerjaLedger
from ledger.rules import AUTHORITY_TABLES, DISCIPLINE_RULES
from ledger.rules.discipline import DEFAULT_AUTHORITY
from ledger.vocabulary import AppealKind, DecidingRole, Level, PenaltyCode
from tests.factories import HR, NIP_BUDI, seed_basic

RULE = DISCIPLINE_RULES.in_force(date(2026, 1, 1))


def test_the_rule_in_force() -> None:
    assert RULE.version == "disiplin/2021.1"
    assert RULE.effective_from == date(2021, 8, 31)  # PP 94/2021 took effect on promulgation
    assert RULE.legal_basis == "PP 94/2021 Pasal 8-11 (jenis hukuman), Pasal 9-11 ketentuan masuk kerja"
    # The day before, PP 53/2010 still applied (tests/rules/test_rules_discipline_2010.py).
    assert DISCIPLINE_RULES.in_force(date(2021, 8, 30)).version == "disiplin/2010.1"


# PP 94/2021 Pasal 8 (jenis hukuman disiplin: ringan, sedang, berat): code, level, months in
# force (None: no duration, or permanent), wording.
PENALTIES = [
    ("TEGURAN_LISAN", "RINGAN", None, "teguran lisan"),
    ("TEGURAN_TERTULIS", "RINGAN", None, "teguran tertulis"),
    ("PERNYATAAN_TIDAK_PUAS", "RINGAN", None, "pernyataan tidak puas secara tertulis"),
    ("POTONGAN_TUKIN_6", "SEDANG", 6, "pemotongan tunjangan kinerja 25% selama 6 bulan"),
    ("POTONGAN_TUKIN_9", "SEDANG", 9, "pemotongan tunjangan kinerja 25% selama 9 bulan"),
    ("POTONGAN_TUKIN_12", "SEDANG", 12, "pemotongan tunjangan kinerja 25% selama 12 bulan"),
    ("PENURUNAN_JABATAN", "BERAT", 12, "penurunan jabatan setingkat lebih rendah selama 12 bulan"),
    ("PEMBEBASAN_JABATAN", "BERAT", 12, "pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan"),
    ("PEMBERHENTIAN", "BERAT", None, "pemberhentian dengan hormat tidak atas permintaan sendiri"),
]


@pytest.mark.parametrize(("code", "level", "months", "description"), PENALTIES)
def test_every_penalty_has_its_level_and_duration(
    code: str, level: str, months: int | None, description: str
) -> None:
    penalty = RULE.penalty(PenaltyCode(code))
    assert penalty.code is PenaltyCode(code)
    assert penalty.level is Level(level)
    assert penalty.duration_months == months
    assert penalty.permanent is (code == "PEMBERHENTIAN")
    assert penalty.description == description


# The same durations as stored by impose_sanction: months counted from the effective date,
# exclusive end, clamped to the month's last day (31 August + 6 months = 28 February).
IN_FORCE_UNTIL = {
    "TEGURAN_LISAN": None,
    "TEGURAN_TERTULIS": None,
    "PERNYATAAN_TIDAK_PUAS": None,
    "POTONGAN_TUKIN_6": "2026-02-28",
    "POTONGAN_TUKIN_9": "2026-05-31",
    "POTONGAN_TUKIN_12": "2026-08-31",
    "PENURUNAN_JABATAN": "2026-08-31",
    "PEMBEBASAN_JABATAN": "2026-08-31",
    "PEMBERHENTIAN": None,
}


@pytest.mark.parametrize("code", list(IN_FORCE_UNTIL))
def test_imposed_penalty_is_in_force_for_its_duration(app: KinerjaLedger, code: str) -> None:
    seed_basic(app)
    result = app.impose_sanction(
        HR,
        NIP_BUDI,
        violation={"description": "Tidak masuk kerja", "level": "BERAT"},
        penalty=code,
        decided_by_role="PPK",
        decided_by_name="Walikota",
        decree_number="800/1/2025",
        decided_on="2025-08-31",
    )
    assert result.extra["rule_version"] == "disiplin/2021.1"
    sanction = app.employee(NIP_BUDI).sanctions[result.event_id]
    assert (sanction["penalty"], sanction["in_force_until"]) == (code, IN_FORCE_UNTIL[code])


def test_catalogue_is_complete() -> None:
    # Every code belongs to PP 94/2021, PP 53/2010 or both; each version lists its own in order.
    older = DISCIPLINE_RULES.in_force(date(2021, 8, 30))
    assert set(RULE.penalties) | set(older.penalties) == set(PenaltyCode)
    assert [p.value for p in RULE.penalties] == [code for code, *_ in PENALTIES]


# PP 94/2021 Pasal 9-11: cumulative unexcused absence in a year (days) -> penalty.
ABSENCE_BANDS = [
    (3, 3, "TEGURAN_LISAN"),
    (4, 6, "TEGURAN_TERTULIS"),
    (7, 10, "PERNYATAAN_TIDAK_PUAS"),
    (11, 13, "POTONGAN_TUKIN_6"),
    (14, 16, "POTONGAN_TUKIN_9"),
    (17, 20, "POTONGAN_TUKIN_12"),
    (21, 24, "PENURUNAN_JABATAN"),
    (25, 27, "PEMBEBASAN_JABATAN"),
    (28, None, "PEMBERHENTIAN"),
]


def test_absence_bands_are_as_written() -> None:
    assert [(b.min_days, b.max_days, b.penalty.value) for b in RULE.absence_bands] == ABSENCE_BANDS
    assert RULE.consecutive_absence_dismissal_days == 10


# Both sides of every edge of the table above.
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


# PP 94/2021 Pasal 11 (ketentuan masuk kerja): 10 consecutive working days absent -> dismissal,
# whatever the yearly total.
@pytest.mark.parametrize(
    ("days", "consecutive", "expected"),
    [
        (3, 9, "TEGURAN_LISAN"),
        (3, 10, "PEMBERHENTIAN"),
        (0, 9, None),
        (0, 10, "PEMBERHENTIAN"),
        (0, 11, "PEMBERHENTIAN"),
    ],
)
def test_ten_consecutive_days_means_dismissal(days: int, consecutive: int, expected: str | None) -> None:
    got = RULE.expected_for_absence(days, consecutive_days=consecutive)
    assert (got.value if got else None) == expected


# PP 94/2021, upaya administratif: keberatan against every penalty but dismissal, banding
# administratif against dismissal.
def test_appeal_routes() -> None:
    routes = {kind.value: {c.value for c in codes} for kind, codes in RULE.appeal_routes.items()}
    assert routes == {
        "KEBERATAN": {
            "TEGURAN_LISAN",
            "TEGURAN_TERTULIS",
            "PERNYATAAN_TIDAK_PUAS",
            "POTONGAN_TUKIN_6",
            "POTONGAN_TUKIN_9",
            "POTONGAN_TUKIN_12",
            "PENURUNAN_JABATAN",
            "PEMBEBASAN_JABATAN",
        },
        "BANDING": {"PEMBERHENTIAN"},
    }
    assert set(RULE.appeal_routes) == set(AppealKind)


# PP 94/2021 Pasal 18-20 (pejabat yang berwenang menghukum), the default for a kota:
# role -> (RINGAN, SEDANG, BERAT) authorised.
AUTHORITY = {
    "PPK": (True, True, True),
    "SEKDA": (True, True, False),
    "KEPALA_OPD": (True, False, False),
    "ATASAN_LANGSUNG": (True, False, False),
}


@pytest.mark.parametrize("role", list(AUTHORITY))
def test_default_authority_table(role: str) -> None:
    levels = (Level.RINGAN, Level.SEDANG, Level.BERAT)
    got = tuple(DEFAULT_AUTHORITY.authorised(DecidingRole(role), level) for level in levels)
    assert got == AUTHORITY[role]


def test_authority_table_in_force() -> None:
    assert set(DEFAULT_AUTHORITY.grants) == set(DecidingRole)
    assert AUTHORITY_TABLES.in_force(date(2026, 1, 1)) is DEFAULT_AUTHORITY
    assert DEFAULT_AUTHORITY.version == "kewenangan/default-kota.1"
    assert DEFAULT_AUTHORITY.effective_from == date(2021, 8, 31)
    assert AUTHORITY_TABLES.in_force(date(2021, 8, 30)).version == "kewenangan/pp53-kota.1"


def test_rule_lookup_by_date() -> None:
    # Before PP 53/2010 (PP 30/1980) is out of scope: no version.
    with pytest.raises(
        LookupError, match=r"^no rule in force on 2010-06-05 \(earliest takes effect 2010-06-06\)$"
    ):
        DISCIPLINE_RULES.in_force(date(2010, 6, 5))
    assert DISCIPLINE_RULES.in_force(date(2021, 8, 31)).version == "disiplin/2021.1"

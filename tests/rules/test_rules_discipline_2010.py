"""PP 53/2010 (`disiplin/2010.1`): every penalty and its level, the absence table at every edge,
the appeal routes, who may decide, and the 422 for a code of the other version.

Every value is written out independently of ledger/rules/discipline.py; docs/RULES.md marks what
could not be checked against the regulation's text.
"""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import KinerjaLedger
from ledger.errors import FieldError, ValidationFailed
from ledger.rules import AUTHORITY_TABLES, DISCIPLINE_RULES
from ledger.vocabulary import AppealKind, DecidingRole, Level, PenaltyCode
from tests.factories import HR, NIP_BUDI, seed_basic

RULE = DISCIPLINE_RULES.in_force(date(2019, 7, 1))


def test_the_version_and_its_dates() -> None:
    assert RULE.version == "disiplin/2010.1"
    assert RULE.regulation == "PP 53/2010"
    assert RULE.legal_basis == "PP 53/2010 Pasal 7 (jenis hukuman), Pasal 8-10 (ketentuan masuk kerja)"
    # PP 53/2010 took effect on promulgation, 6 June 2010 (Pasal 50).
    assert RULE.effective_from == date(2010, 6, 6)
    assert DISCIPLINE_RULES.in_force(date(2010, 6, 6)) is RULE
    assert DISCIPLINE_RULES.find(date(2010, 6, 5)) is None  # PP 30/1980: out of scope
    # PP 94/2021 replaced it on 31 August 2021.
    assert DISCIPLINE_RULES.in_force(date(2021, 8, 30)) is RULE
    assert DISCIPLINE_RULES.in_force(date(2021, 8, 31)).version == "disiplin/2021.1"
    assert RULE.banding_body == "BAPEK"
    assert RULE.consecutive_absence_dismissal_days is None


# PP 53/2010 Pasal 7 ayat (2)-(4): code, level, months in force (None: no duration, or
# permanent), permanent, wording; in the order of the article.
PENALTIES = [
    ("TEGURAN_LISAN", "RINGAN", None, False, "teguran lisan"),
    ("TEGURAN_TERTULIS", "RINGAN", None, False, "teguran tertulis"),
    ("PERNYATAAN_TIDAK_PUAS", "RINGAN", None, False, "pernyataan tidak puas secara tertulis"),
    ("PENUNDAAN_KGB_1_TAHUN", "SEDANG", 12, False, "penundaan kenaikan gaji berkala selama 1 tahun"),
    ("PENUNDAAN_PANGKAT_1_TAHUN", "SEDANG", 12, False, "penundaan kenaikan pangkat selama 1 tahun"),
    (
        "PENURUNAN_PANGKAT_1_TAHUN",
        "SEDANG",
        12,
        False,
        "penurunan pangkat setingkat lebih rendah selama 1 tahun",
    ),
    (
        "PENURUNAN_PANGKAT_3_TAHUN",
        "BERAT",
        36,
        False,
        "penurunan pangkat setingkat lebih rendah selama 3 tahun",
    ),
    (
        "PEMINDAHAN_PENURUNAN_JABATAN",
        "BERAT",
        None,
        False,
        "pemindahan dalam rangka penurunan jabatan setingkat lebih rendah",
    ),
    ("PEMBEBASAN_DARI_JABATAN", "BERAT", None, False, "pembebasan dari jabatan"),
    (
        "PEMBERHENTIAN",
        "BERAT",
        None,
        True,
        "pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS",
    ),
    (
        "PEMBERHENTIAN_TIDAK_DENGAN_HORMAT",
        "BERAT",
        None,
        True,
        "pemberhentian tidak dengan hormat sebagai PNS",
    ),
]


def test_the_catalogue_in_the_order_of_the_article() -> None:
    assert [p.value for p in RULE.penalties] == [code for code, *_ in PENALTIES]


@pytest.mark.parametrize(("code", "level", "months", "permanent", "description"), PENALTIES)
def test_every_penalty_has_its_level_and_duration(
    code: str, level: str, months: int | None, permanent: bool, description: str
) -> None:
    penalty = RULE.penalty(PenaltyCode(code))
    assert penalty.code is PenaltyCode(code)
    assert penalty.level is Level(level)
    assert penalty.duration_months == months
    assert penalty.permanent is permanent
    assert penalty.description == description


# PP 94/2021-only penalties are not penalties of PP 53/2010, and the other way round.
def test_codes_belong_to_their_version() -> None:
    newer = DISCIPLINE_RULES.in_force(date(2021, 8, 31))
    only_2021 = {"POTONGAN_TUKIN_6", "POTONGAN_TUKIN_9", "POTONGAN_TUKIN_12", "PENURUNAN_JABATAN"}
    only_2021.add("PEMBEBASAN_JABATAN")
    shared = {"TEGURAN_LISAN", "TEGURAN_TERTULIS", "PERNYATAAN_TIDAK_PUAS", "PEMBERHENTIAN"}
    assert {c.value for c in RULE.penalties} & {c.value for c in newer.penalties} == shared
    assert {c.value for c in newer.penalties} - shared == only_2021
    assert not any(RULE.knows(code) for code in only_2021)


# PP 53/2010 Pasal 8 angka 9, Pasal 9 angka 11, Pasal 10 angka 9 (ketentuan masuk kerja, Pasal 3
# angka 11): cumulative unexcused working days in a year -> penalty (article numbers unverified).
ABSENCE_BANDS = [
    (5, 5, ("TEGURAN_LISAN",)),
    (6, 10, ("TEGURAN_TERTULIS",)),
    (11, 15, ("PERNYATAAN_TIDAK_PUAS",)),
    (16, 20, ("PENUNDAAN_KGB_1_TAHUN",)),
    (21, 25, ("PENUNDAAN_PANGKAT_1_TAHUN",)),
    (26, 30, ("PENURUNAN_PANGKAT_1_TAHUN",)),
    (31, 35, ("PENURUNAN_PANGKAT_3_TAHUN",)),
    (36, 40, ("PEMINDAHAN_PENURUNAN_JABATAN",)),
    (41, 45, ("PEMBEBASAN_DARI_JABATAN",)),
    (46, None, ("PEMBERHENTIAN", "PEMBERHENTIAN_TIDAK_DENGAN_HORMAT")),
]


def test_absence_bands_are_as_written() -> None:
    got = [(b.min_days, b.max_days, tuple(c.value for c in b.allowed)) for b in RULE.absence_bands]
    assert got == ABSENCE_BANDS


# Both sides of every edge of the table above: (days, penalties the table allows).
PDH_OR_PTDH = ("PEMBERHENTIAN", "PEMBERHENTIAN_TIDAK_DENGAN_HORMAT")
ABSENCE = [
    (0, ()),
    (4, ()),
    (5, ("TEGURAN_LISAN",)),
    (6, ("TEGURAN_TERTULIS",)),
    (10, ("TEGURAN_TERTULIS",)),
    (11, ("PERNYATAAN_TIDAK_PUAS",)),
    (15, ("PERNYATAAN_TIDAK_PUAS",)),
    (16, ("PENUNDAAN_KGB_1_TAHUN",)),
    (20, ("PENUNDAAN_KGB_1_TAHUN",)),
    (21, ("PENUNDAAN_PANGKAT_1_TAHUN",)),
    (25, ("PENUNDAAN_PANGKAT_1_TAHUN",)),
    (26, ("PENURUNAN_PANGKAT_1_TAHUN",)),
    (30, ("PENURUNAN_PANGKAT_1_TAHUN",)),
    (31, ("PENURUNAN_PANGKAT_3_TAHUN",)),
    (35, ("PENURUNAN_PANGKAT_3_TAHUN",)),
    (36, ("PEMINDAHAN_PENURUNAN_JABATAN",)),
    (40, ("PEMINDAHAN_PENURUNAN_JABATAN",)),
    (41, ("PEMBEBASAN_DARI_JABATAN",)),
    (45, ("PEMBEBASAN_DARI_JABATAN",)),
    (46, PDH_OR_PTDH),
    (200, PDH_OR_PTDH),
]


@pytest.mark.parametrize(("days", "allowed"), ABSENCE)
def test_absence_table_boundaries(days: int, allowed: tuple[str, ...]) -> None:
    assert tuple(c.value for c in RULE.allowed_for_absence(days)) == allowed
    first = RULE.expected_for_absence(days)
    assert (first.value if first else None) == (allowed[0] if allowed else None)


# PP 53/2010 has no separate rule for consecutive days: only the yearly total counts.
@pytest.mark.parametrize(("days", "consecutive", "allowed"), [(5, 10, ("TEGURAN_LISAN",)), (0, 30, ())])
def test_consecutive_days_do_not_dismiss(days: int, consecutive: int, allowed: tuple[str, ...]) -> None:
    assert tuple(c.value for c in RULE.allowed_for_absence(days, consecutive)) == allowed


# PP 53/2010 Pasal 32-38 (upaya administratif, unverified): no appeal against a ringan penalty;
# keberatan against sedang and berat other than dismissal; banding administratif to BAPEK
# against PDH and PTDH.
def test_appeal_routes() -> None:
    routes = {kind.value: {c.value for c in codes} for kind, codes in RULE.appeal_routes.items()}
    assert routes == {
        "KEBERATAN": {
            "PENUNDAAN_KGB_1_TAHUN",
            "PENUNDAAN_PANGKAT_1_TAHUN",
            "PENURUNAN_PANGKAT_1_TAHUN",
            "PENURUNAN_PANGKAT_3_TAHUN",
            "PEMINDAHAN_PENURUNAN_JABATAN",
            "PEMBEBASAN_DARI_JABATAN",
        },
        "BANDING": {"PEMBERHENTIAN", "PEMBERHENTIAN_TIDAK_DENGAN_HORMAT"},
    }
    assert set(RULE.appeal_routes) == set(AppealKind)


# PP 53/2010 Pasal 15-21 (pejabat yang berwenang menghukum), read onto the ledger's roles for a
# kota (unverified; finer limits by rank not modelled): role -> (RINGAN, SEDANG, BERAT).
AUTHORITY = {
    "PPK": (True, True, True),
    "SEKDA": (True, True, False),
    "KEPALA_OPD": (True, True, False),
    "ATASAN_LANGSUNG": (True, False, False),
}


@pytest.mark.parametrize("role", list(AUTHORITY))
def test_authority_table_2010(role: str) -> None:
    table = AUTHORITY_TABLES.in_force(date(2019, 7, 1))
    assert (table.version, table.effective_from) == ("kewenangan/pp53-kota.1", date(2010, 6, 6))
    levels = (Level.RINGAN, Level.SEDANG, Level.BERAT)
    assert tuple(table.authorised(DecidingRole(role), level) for level in levels) == AUTHORITY[role]
    assert AUTHORITY_TABLES.in_force(date(2021, 8, 30)) is table
    assert AUTHORITY_TABLES.find(date(2010, 6, 5)) is None


def _impose(app: KinerjaLedger, penalty: str, decided_on: str) -> str:
    return app.impose_sanction(
        HR,
        NIP_BUDI,
        violation={"description": "Tidak masuk kerja", "level": "SEDANG", "absence_days": 12},
        penalty=penalty,
        decided_by_role="PPK",
        decided_by_name="Walikota",
        decree_number="800/1/2019",
        decided_on=decided_on,
    ).event_id


# The same durations as stored by impose_sanction (months from the effective date, exclusive end).
@pytest.mark.parametrize(
    ("code", "until"),
    [
        ("PENUNDAAN_KGB_1_TAHUN", "2020-07-01"),
        ("PENURUNAN_PANGKAT_1_TAHUN", "2020-07-01"),
        ("PENURUNAN_PANGKAT_3_TAHUN", "2022-07-01"),
        ("PEMINDAHAN_PENURUNAN_JABATAN", None),
        ("PEMBERHENTIAN_TIDAK_DENGAN_HORMAT", None),
    ],
)
def test_a_2019_penalty_is_recorded_under_pp_53_2010(
    app: KinerjaLedger, code: str, until: str | None
) -> None:
    seed_basic(app)
    sid = _impose(app, code, "2019-07-01")
    sanction = app.employee(NIP_BUDI).sanctions[sid]
    assert (sanction["rule_version"], sanction["penalty"], sanction["in_force_until"]) == (
        "disiplin/2010.1",
        code,
        until,
    )


def test_a_code_of_the_other_version_is_a_422_on_penalty(app: KinerjaLedger) -> None:
    seed_basic(app)
    with pytest.raises(ValidationFailed) as refused:
        _impose(app, "POTONGAN_TUKIN_6", "2021-08-30")
    assert refused.value.errors == [
        FieldError(
            "penalty",
            "POTONGAN_TUKIN_6 is not a penalty of disiplin/2010.1 (PP 53/2010, in force on the decision "
            "date); expected one of TEGURAN_LISAN, TEGURAN_TERTULIS, PERNYATAAN_TIDAK_PUAS, "
            "PENUNDAAN_KGB_1_TAHUN, PENUNDAAN_PANGKAT_1_TAHUN, PENURUNAN_PANGKAT_1_TAHUN, "
            "PENURUNAN_PANGKAT_3_TAHUN, PEMINDAHAN_PENURUNAN_JABATAN, PEMBEBASAN_DARI_JABATAN, "
            "PEMBERHENTIAN, PEMBERHENTIAN_TIDAK_DENGAN_HORMAT",
        )
    ]
    with pytest.raises(ValidationFailed) as refused:
        _impose(app, "PENUNDAAN_KGB_1_TAHUN", "2021-08-31")
    assert refused.value.errors == [
        FieldError(
            "penalty",
            "PENUNDAAN_KGB_1_TAHUN is not a penalty of disiplin/2021.1 (PP 94/2021, in force on the "
            "decision date); expected one of TEGURAN_LISAN, TEGURAN_TERTULIS, PERNYATAAN_TIDAK_PUAS, "
            "POTONGAN_TUKIN_6, POTONGAN_TUKIN_9, POTONGAN_TUKIN_12, PENURUNAN_JABATAN, "
            "PEMBEBASAN_JABATAN, PEMBERHENTIAN",
        )
    ]
    assert app.employee(NIP_BUDI).sanctions == {}  # nothing half-written


def test_before_pp_53_2010_is_a_422_naming_the_missing_rule(app: KinerjaLedger) -> None:
    seed_basic(app)
    with pytest.raises(ValidationFailed) as refused:
        _impose(app, "TEGURAN_LISAN", "2010-06-05")
    assert refused.value.errors == [
        FieldError(
            "decided_on",
            "no rule version in force then; the earliest (disiplin/2010.1) applies from 2010-06-06",
        )
    ]

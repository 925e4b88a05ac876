"""PermenPANRB 6/2022 (Lampiran): the predikat quadrant and the organisation curves.

Every value below is written out independently of ledger/rules/predikat.py, so changing any
cell of the matrix or any bound of a curve fails a test.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledger.application import KinerjaLedger
from ledger.rules import PREDIKAT_RULES
from ledger.rules.predikat import curve_warnings
from ledger.vocabulary import Predikat, PredikatOrganisasi
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_basic

RULE = PREDIKAT_RULES.in_force(date(2026, 1, 1))

# PermenPANRB 6/2022 Lampiran, kuadran predikat kinerja pegawai: hasil kerja (rows) x perilaku
# kerja (columns) -> predikat.
A, S, B = "DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"
MATRIX = [
    (A, A, "SANGAT_BAIK"),
    (A, S, "BAIK"),
    (A, B, "KURANG"),
    (S, A, "BAIK"),
    (S, S, "BAIK"),
    (S, B, "KURANG"),
    (B, A, "BUTUH_PERBAIKAN"),
    (B, S, "BUTUH_PERBAIKAN"),
    (B, B, "SANGAT_KURANG"),
]


def test_the_rule_in_force() -> None:
    assert RULE.version == "predikat/2022.1"
    assert RULE.effective_from == date(2022, 1, 1)
    assert RULE.legal_basis == "PermenPANRB 6/2022 Lampiran (kuadran predikat kinerja pegawai)"
    assert PREDIKAT_RULES.find(date(2021, 12, 31)) is None
    assert PREDIKAT_RULES.in_force(date(2022, 1, 1)) is RULE


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), MATRIX)
def test_every_cell_of_the_matrix(app: KinerjaLedger, hasil: str, perilaku: str, expected: str) -> None:
    seed_basic(app)
    result = app.record_appraisal(
        HR, NIP_BUDI, period="2025", hasil_kerja=hasil, perilaku_kerja=perilaku, appraiser_nip=NIP_SARI
    )
    assert result.extra["predikat"] == expected
    assert result.extra["rule_version"] == "predikat/2022.1"
    stored = app.employee(NIP_BUDI).appraisals[result.extra["appraisal_id"]]
    assert stored["predikat"] == expected
    assert stored["rule_version"] == "predikat/2022.1"


def test_matrix_has_exactly_nine_cells() -> None:
    assert len(RULE.matrix) == 9
    assert {(h.value, p.value): v.value for (h, p), v in RULE.matrix.items()} == {
        (h, p): v for h, p, v in MATRIX
    }


# PermenPANRB 6/2022 Lampiran, kurva distribusi predikat kinerja pegawai per predikat kinerja
# organisasi: (predikat counted, "min" | "max", share, "at least one person").
CURVES = {
    "ISTIMEWA": [(("SANGAT_BAIK",), "max", "0.70", False)],
    "BAIK": [
        (("BAIK",), "max", "0.70", False),
        (("BUTUH_PERBAIKAN", "KURANG"), "min", "0", True),
    ],
    "BUTUH_PERBAIKAN": [
        (("BUTUH_PERBAIKAN",), "min", "0.60", False),
        (("SANGAT_BAIK",), "max", "0.10", False),
    ],
    "KURANG": [
        (("KURANG",), "min", "0.60", False),
        (("BUTUH_PERBAIKAN",), "min", "0.10", False),
        (("SANGAT_BAIK",), "max", "0.10", False),
    ],
    "SANGAT_KURANG": [
        (("SANGAT_KURANG",), "min", "0.60", False),
        (("KURANG", "BUTUH_PERBAIKAN"), "min", "0.10", False),
        (("SANGAT_BAIK",), "max", "0", False),
    ],
}


def test_every_curve_bound_is_as_written() -> None:
    got = {
        org.value: [
            (tuple(p.value for p in b.predikat), b.bound, str(b.share), b.at_least_one) for b in bounds
        ]
        for org, bounds in RULE.curves.items()
    }
    assert got == CURVES
    assert set(RULE.curves) == set(PredikatOrganisasi)


SB, BK, BP, KR, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)
N = 1000  # one person in a thousand is a step of 0.1 percentage point


def distribution(**counts: int) -> dict[Predikat, int]:
    """`counts` by predikat name; BAIK fills the rest up to N (BAIK is bounded only for BAIK)."""
    out = {Predikat[name]: n for name, n in counts.items()}
    out[BK] = N - sum(out.values())
    return out


def warned(
    org: PredikatOrganisasi, counts: dict[Predikat, int]
) -> list[tuple[tuple[str, ...], str, Decimal]]:
    return [
        (tuple(p.value for p in w.bound.predikat), w.bound.bound, w.actual_share)
        for w in curve_warnings(RULE, org, counts)
    ]


def share(n: int) -> Decimal:
    return Decimal(n) / Decimal(N)


@pytest.mark.parametrize(("n", "warns"), [(699, False), (700, False), (701, True)])
def test_istimewa_sangat_baik_at_most_70(n: int, warns: bool) -> None:
    got = warned(PredikatOrganisasi.ISTIMEWA, distribution(SANGAT_BAIK=n))
    assert got == ([(("SANGAT_BAIK",), "max", share(n))] if warns else [])


def test_istimewa_warning_message() -> None:
    [w] = curve_warnings(RULE, PredikatOrganisasi.ISTIMEWA, {SB: 8, BK: 2})
    assert w.message == "SANGAT_BAIK 80% exceeds at most 70%"


@pytest.mark.parametrize(("n", "warns"), [(699, False), (700, False), (701, True)])
def test_baik_baik_at_most_70(n: int, warns: bool) -> None:
    counts = {BK: n, KR: 1, SB: N - n - 1}
    got = warned(PredikatOrganisasi.BAIK, counts)
    assert got == ([(("BAIK",), "max", share(n))] if warns else [])


@pytest.mark.parametrize(
    ("below_baik", "warns"),
    [({}, True), ({"KURANG": 1}, False), ({"BUTUH_PERBAIKAN": 1}, False), ({"SANGAT_KURANG": 1}, True)],
)
def test_baik_needs_at_least_one_butuh_perbaikan_or_kurang(below_baik: dict[str, int], warns: bool) -> None:
    counts = {Predikat[k]: v for k, v in below_baik.items()}
    counts[BK] = 600
    counts[SB] = N - sum(counts.values())
    got = curve_warnings(RULE, PredikatOrganisasi.BAIK, counts)
    assert [w.message for w in got] == (["at least one BUTUH_PERBAIKAN+KURANG expected"] if warns else [])


@pytest.mark.parametrize(("n", "warns"), [(599, True), (600, False), (601, False)])
def test_butuh_perbaikan_butuh_perbaikan_at_least_60(n: int, warns: bool) -> None:
    got = warned(PredikatOrganisasi.BUTUH_PERBAIKAN, distribution(BUTUH_PERBAIKAN=n))
    assert got == ([(("BUTUH_PERBAIKAN",), "min", share(n))] if warns else [])


@pytest.mark.parametrize(("n", "warns"), [(99, False), (100, False), (101, True)])
def test_butuh_perbaikan_sangat_baik_at_most_10(n: int, warns: bool) -> None:
    got = warned(PredikatOrganisasi.BUTUH_PERBAIKAN, distribution(BUTUH_PERBAIKAN=600, SANGAT_BAIK=n))
    assert got == ([(("SANGAT_BAIK",), "max", share(n))] if warns else [])


@pytest.mark.parametrize(("n", "warns"), [(599, True), (600, False), (601, False)])
def test_kurang_kurang_at_least_60(n: int, warns: bool) -> None:
    got = warned(PredikatOrganisasi.KURANG, distribution(KURANG=n, BUTUH_PERBAIKAN=100))
    assert got == ([(("KURANG",), "min", share(n))] if warns else [])


@pytest.mark.parametrize(("n", "warns"), [(99, True), (100, False), (101, False)])
def test_kurang_butuh_perbaikan_at_least_10(n: int, warns: bool) -> None:
    got = warned(PredikatOrganisasi.KURANG, distribution(KURANG=600, BUTUH_PERBAIKAN=n))
    assert got == ([(("BUTUH_PERBAIKAN",), "min", share(n))] if warns else [])


@pytest.mark.parametrize(("n", "warns"), [(99, False), (100, False), (101, True)])
def test_kurang_sangat_baik_at_most_10(n: int, warns: bool) -> None:
    got = warned(PredikatOrganisasi.KURANG, distribution(KURANG=600, BUTUH_PERBAIKAN=100, SANGAT_BAIK=n))
    assert got == ([(("SANGAT_BAIK",), "max", share(n))] if warns else [])


@pytest.mark.parametrize(("n", "warns"), [(599, True), (600, False), (601, False)])
def test_sangat_kurang_sangat_kurang_at_least_60(n: int, warns: bool) -> None:
    got = warned(PredikatOrganisasi.SANGAT_KURANG, distribution(SANGAT_KURANG=n, KURANG=100))
    assert got == ([(("SANGAT_KURANG",), "min", share(n))] if warns else [])


@pytest.mark.parametrize(
    ("kurang", "butuh_perbaikan", "warns"), [(50, 49, True), (50, 50, False), (50, 51, False), (99, 0, True)]
)
def test_sangat_kurang_kurang_plus_butuh_perbaikan_at_least_10(
    kurang: int, butuh_perbaikan: int, warns: bool
) -> None:
    counts = distribution(SANGAT_KURANG=600, KURANG=kurang, BUTUH_PERBAIKAN=butuh_perbaikan)
    got = warned(PredikatOrganisasi.SANGAT_KURANG, counts)
    assert got == ([(("KURANG", "BUTUH_PERBAIKAN"), "min", share(kurang + butuh_perbaikan))] if warns else [])


@pytest.mark.parametrize(("n", "warns"), [(0, False), (1, True)])
def test_sangat_kurang_no_sangat_baik(n: int, warns: bool) -> None:
    got = warned(PredikatOrganisasi.SANGAT_KURANG, distribution(SANGAT_KURANG=600, KURANG=100, SANGAT_BAIK=n))
    assert got == ([(("SANGAT_BAIK",), "max", share(n))] if warns else [])


def test_an_empty_agency_has_no_warning() -> None:
    for org in PredikatOrganisasi:
        assert curve_warnings(RULE, org, {}) == []

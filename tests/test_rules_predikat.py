"""Every cell of the PermenPANRB 6/2022 quadrant, through the application service."""

from __future__ import annotations

import pytest

from ledger.application import KinerjaLedger
from ledger.rules import PREDIKAT_RULES
from ledger.rules.predikat import curve_warnings
from ledger.vocabulary import Predikat, PredikatOrganisasi
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_basic

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
    rule = PREDIKAT_RULES.in_force(PREDIKAT_RULES.versions[0].effective_from)
    assert len(rule.matrix) == 9
    assert {(h.value, p.value): v.value for (h, p), v in rule.matrix.items()} == {
        (h, p): v for h, p, v in MATRIX
    }


def test_curve_warning_is_guidance_for_istimewa() -> None:
    rule = PREDIKAT_RULES.versions[0]
    counts = {Predikat.SANGAT_BAIK: 8, Predikat.BAIK: 2}
    warnings = curve_warnings(rule, PredikatOrganisasi.ISTIMEWA, counts)
    assert len(warnings) == 1 and "SANGAT_BAIK 80%" in warnings[0].message
    assert (
        curve_warnings(rule, PredikatOrganisasi.ISTIMEWA, {Predikat.SANGAT_BAIK: 7, Predikat.BAIK: 3}) == []
    )


def test_curve_baik_needs_someone_below_baik() -> None:
    rule = PREDIKAT_RULES.versions[0]
    only_good = {Predikat.BAIK: 6, Predikat.SANGAT_BAIK: 4}
    messages = [w.message for w in curve_warnings(rule, PredikatOrganisasi.BAIK, only_good)]
    assert any("at least one BUTUH_PERBAIKAN+KURANG" in m for m in messages)
    fine = {Predikat.BAIK: 6, Predikat.SANGAT_BAIK: 3, Predikat.KURANG: 1}
    assert curve_warnings(rule, PredikatOrganisasi.BAIK, fine) == []

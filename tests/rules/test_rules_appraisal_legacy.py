"""Appraisals before PermenPANRB 6/2022: PP 46/2011 (`prestasi/2014.1`, periods ending 2014-2020)
and PP 30/2019 with PermenPANRB 8/2021 (`kinerja/2021.1`, periods ending in 2021): the bands at
every edge, the shape of the command for each period, and the exact 422s.

Every value is written out independently of ledger/rules/appraisal.py; docs/RULES.md says how the
band edges are read and what is unverified.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledger.application import KinerjaLedger
from ledger.errors import FieldError, ValidationFailed
from ledger.rules.appraisal import APPRAISAL_RULES, KINERJA_2021, PRESTASI_2014
from projections import queries
from projections.scorecard import ScorecardProjection
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_basic
from tests.projection_support import catch_up as run_projections


def test_versions_by_the_end_of_the_period() -> None:
    # PP 46/2011 Pasal 50: in force from 1 January 2014; PP 30/2019 for 2021; PermenPANRB 6/2022.
    assert APPRAISAL_RULES.find(date(2013, 12, 31)) is None  # DP3 (PP 10/1979): out of scope
    assert APPRAISAL_RULES.in_force(date(2014, 1, 1)) is PRESTASI_2014
    assert APPRAISAL_RULES.in_force(date(2020, 12, 31)) is PRESTASI_2014
    assert APPRAISAL_RULES.in_force(date(2021, 1, 1)) is KINERJA_2021
    assert APPRAISAL_RULES.in_force(date(2021, 12, 31)) is KINERJA_2021
    assert APPRAISAL_RULES.in_force(date(2022, 1, 1)).version == "predikat/2022.1"
    assert (PRESTASI_2014.version, KINERJA_2021.version) == ("prestasi/2014.1", "kinerja/2021.1")


# PP 46/2011 Pasal 12 (bobot): nilai prestasi kerja = 60% SKP + 40% perilaku kerja.
@pytest.mark.parametrize(
    ("skp", "perilaku", "nilai"),
    [("100", "100", "100"), ("0", "0", "0"), ("85", "80", "83"), ("87.35", "90.10", "88.45")],
)
def test_nilai_prestasi_kerja(skp: str, perilaku: str, nilai: str) -> None:
    assert PRESTASI_2014.nilai(Decimal(skp), Decimal(perilaku)) == Decimal(nilai)


# PP 46/2011 Pasal 17 ayat (2): 91 ke atas SANGAT BAIK; 76-90 BAIK; 61-75 CUKUP; 51-60 KURANG;
# 50 ke bawah BURUK. A value between two printed bands (90.5) has not reached the next band's
# minimum: it keeps the lower sebutan (docs/RULES.md).
@pytest.mark.parametrize(
    ("nilai", "sebutan"),
    [
        ("100", "SANGAT_BAIK"),
        ("91", "SANGAT_BAIK"),
        ("90.99", "BAIK"),
        ("90.5", "BAIK"),
        ("90", "BAIK"),
        ("76", "BAIK"),
        ("75.99", "CUKUP"),
        ("61", "CUKUP"),
        ("60.99", "KURANG"),
        ("51", "KURANG"),
        ("50.99", "BURUK"),
        ("50", "BURUK"),
        ("0", "BURUK"),
    ],
)
def test_sebutan_bands(nilai: str, sebutan: str) -> None:
    assert PRESTASI_2014.sebutan(Decimal(nilai)) == sebutan


# PP 30/2019 Pasal 41 (unverified article): Sangat Baik 110-120 with a new idea or way of working;
# Baik 90-120; Cukup 70-<90; Kurang 50-<70; Sangat Kurang <50.
@pytest.mark.parametrize(
    ("nilai", "ide_baru", "predikat"),
    [
        ("120", True, "SANGAT_BAIK"),
        ("110", True, "SANGAT_BAIK"),
        ("109.99", True, "BAIK"),
        ("120", False, "BAIK"),
        ("110", False, "BAIK"),
        ("90", False, "BAIK"),
        ("89.99", True, "CUKUP"),
        ("70", False, "CUKUP"),
        ("69.99", False, "KURANG"),
        ("50", False, "KURANG"),
        ("49.99", True, "SANGAT_KURANG"),
        ("0", False, "SANGAT_KURANG"),
    ],
)
def test_predikat_2021_bands(nilai: str, ide_baru: bool, predikat: str) -> None:
    assert KINERJA_2021.predikat(Decimal(nilai), ide_baru) == predikat


def _record(app: KinerjaLedger, period: str, **fields: object) -> dict[str, object]:
    result = app.record_appraisal(HR, NIP_BUDI, period=period, appraiser_nip=NIP_SARI, **fields)
    return dict(app.employee(NIP_BUDI).appraisals[result.event_id])


def test_a_2019_appraisal_carries_its_numbers_and_sebutan(app: KinerjaLedger) -> None:
    seed_basic(app)
    recorded = _record(app, "2019", nilai_skp="87.35", nilai_perilaku="90.10")
    assert {k: recorded[k] for k in ("hasil_kerja", "perilaku_kerja", "nilai_skp", "nilai_perilaku")} == {
        "hasil_kerja": None,
        "perilaku_kerja": None,
        "nilai_skp": "87.35",
        "nilai_perilaku": "90.1",
    }
    assert (recorded["nilai"], recorded["predikat"], recorded["rule_version"]) == (
        "88.45",
        "BAIK",
        "prestasi/2014.1",
    )
    assert (recorded["ide_baru"], recorded["effective_date"]) == (None, "2019-12-31")


def test_a_2021_appraisal_takes_its_nilai_and_ide_baru(app: KinerjaLedger) -> None:
    seed_basic(app)
    recorded = _record(app, "2021", nilai_skp="112", ide_baru=True)
    assert (recorded["nilai"], recorded["predikat"], recorded["rule_version"]) == (
        "112",
        "SANGAT_BAIK",
        "kinerja/2021.1",
    )
    without = _record(app, "2020-01..2020-06", nilai_skp="95", nilai_perilaku="95")
    assert (without["predikat"], without["rule_version"]) == ("SANGAT_BAIK", "prestasi/2014.1")


def _refused(app: KinerjaLedger, period: str, **fields: object) -> list[FieldError]:
    with pytest.raises(ValidationFailed) as refused:
        app.record_appraisal(HR, NIP_BUDI, period=period, appraiser_nip=NIP_SARI, **fields)
    return refused.value.errors


def test_the_wrong_shape_for_a_period_is_a_422_naming_the_fields(app: KinerjaLedger) -> None:
    seed_basic(app)
    ratings = {"hasil_kerja": "SESUAI_EKSPEKTASI", "perilaku_kerja": "SESUAI_EKSPEKTASI"}
    under_2014 = "prestasi/2014.1 (PP 46/2011)"
    assert _refused(app, "2019", **ratings) == [
        FieldError(
            "hasil_kerja", f"not used for a period under {under_2014}; give nilai_skp, nilai_perilaku"
        ),
        FieldError(
            "perilaku_kerja", f"not used for a period under {under_2014}; give nilai_skp, nilai_perilaku"
        ),
        FieldError("nilai_skp", f"required for a period under {under_2014}"),
        FieldError("nilai_perilaku", f"required for a period under {under_2014}"),
    ]
    under_2022 = "predikat/2022.1 (PermenPANRB 6/2022)"
    assert _refused(app, "2025", nilai_skp="80", ide_baru=False) == [
        FieldError("hasil_kerja", f"required for a period under {under_2022}"),
        FieldError("perilaku_kerja", f"required for a period under {under_2022}"),
        FieldError(
            "nilai_skp", f"not used for a period under {under_2022}; give hasil_kerja, perilaku_kerja"
        ),
        FieldError("ide_baru", f"not used for a period under {under_2022}; give hasil_kerja, perilaku_kerja"),
    ]
    under_2021 = "kinerja/2021.1 (PP 30/2019; PermenPANRB 8/2021)"
    assert _refused(app, "2021", nilai_skp="80", nilai_perilaku="80") == [
        FieldError("nilai_perilaku", f"not used for a period under {under_2021}; give nilai_skp, ide_baru"),
    ]
    assert app.employee(NIP_BUDI).appraisals == {}  # nothing half-written


def test_legacy_numbers_are_bounded(app: KinerjaLedger) -> None:
    seed_basic(app)
    assert _refused(app, "2019", nilai_skp="100.01", nilai_perilaku="-1") == [
        FieldError("nilai_skp", "must be between 0 and 100"),
        FieldError("nilai_perilaku", "must be between 0 and 100"),
    ]
    assert _refused(app, "2021", nilai_skp="120.5") == [FieldError("nilai_skp", "must be between 0 and 120")]
    assert _refused(app, "2019", nilai_skp="80.125", nilai_perilaku="80") == [
        FieldError("nilai_skp", "at most 2 decimal places")
    ]
    assert _refused(app, "2021", nilai_skp="80", ide_baru="ya") == [
        FieldError("ide_baru", "must be true or false")
    ]


def test_a_period_before_2014_is_a_422_naming_the_missing_rule(app: KinerjaLedger) -> None:
    seed_basic(app)
    assert _refused(app, "2013", nilai_skp="80", nilai_perilaku="80") == [
        FieldError(
            "period", "no rule version in force then; the earliest (prestasi/2014.1) applies from 2014-01-01"
        )
    ]


def test_a_legacy_appraisal_is_not_corrected_by_ratings(app: KinerjaLedger) -> None:
    seed_basic(app)
    appraisal_id = app.record_appraisal(
        HR, NIP_BUDI, period="2018", appraiser_nip=NIP_SARI, nilai_skp="80", nilai_perilaku="80"
    ).event_id
    with pytest.raises(ValidationFailed) as refused:
        app.correct_appraisal(HR, NIP_BUDI, appraisal_id, reason="salah", hasil_kerja="SESUAI_EKSPEKTASI")
    assert refused.value.errors == [
        FieldError(
            "hasil_kerja",
            f"appraisal {appraisal_id} is under prestasi/2014.1, which has no ratings to correct; a "
            "correction of its numbers is not supported",
        )
    ]


def test_a_legacy_year_is_scored_on_the_one_scale(app: KinerjaLedger) -> None:
    seed_basic(app)
    app.record_appraisal(
        HR, NIP_BUDI, period="2016", appraiser_nip=NIP_SARI, nilai_skp="70", nilai_perilaku="70"
    )
    run_projections(app, projections=[ScorecardProjection()])
    card = queries.scorecard(app, NIP_BUDI, 2016)
    assert card is not None
    assert card["formula_version"] == "skor/2014.1"
    predikat = next(c for c in card["components"] if c["component"] == "predikat")
    assert (predikat["detail"]["predikat"], predikat["value"]) == ("CUKUP", "0.55")
    satisfaction = next(c for c in card["components"] if c["component"] == "citizen_satisfaction")
    assert (satisfaction["applicable"], satisfaction["detail"]) == (
        False,
        {"note": "no IKM rule before PermenPANRB 14/2017"},
    )

"""Public aggregates: k = 5 on every count and on every figure from fewer than 5 people/responses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ledger.application import KinerjaLedger
from projections import public, queries
from projections.agency_summary import AgencyProjection
from tests.conftest import HR, FakeClock
from tests.factories import nip_for
from tests.projection_support import catch_up

ANSWERS = {f"U{k}": 3 + (k % 2) for k in range(1, 10)}  # 5 x 4 and 4 x 3: IKM 32/9


@pytest.fixture
def city(app: KinerjaLedger, clock: FakeClock) -> KinerjaLedger:
    clock.now = datetime(2025, 11, 3, 2, 0, tzinfo=UTC)
    app.register_agency(HR, code="DINKES", name="Dinas Kesehatan")
    app.register_service_unit(HR, code="PKM-A", name="Puskesmas A", agency="DINKES")
    app.register_service_unit(HR, code="PKM-B", name="Puskesmas B", agency="DINKES")
    return app


def run(app: KinerjaLedger) -> None:
    catch_up(app, projections=[AgencyProjection()])


def figures_of(app: KinerjaLedger, code: str) -> dict:
    data = queries.public_agencies(app, 2025)
    return next(a["figures"] for a in data["agencies"] if a["code"] == code)


def unit_figures(app: KinerjaLedger, code: str) -> dict | None:
    data = queries.public_service_units(app, 2025)
    return next(u["figures"] for u in data["service_units"] if u["code"] == code)


def test_four_responses_are_not_published_five_are(city: KinerjaLedger) -> None:
    for _ in range(4):
        city.submit_survey(HR, service_unit="PKM-A", answers=ANSWERS)
    run(city)
    unit = unit_figures(city, "PKM-A")
    assert unit is not None
    for name in ("respondents", "ikm", "ikm_converted", "mutu", "kinerja"):
        assert unit[name]["value"] is None and unit[name]["suppressed"] is True, name
        assert unit[name]["reason"] == public.reason_small() == "fewer than 5 people or responses (k = 5)"
    agency = figures_of(city, "DINKES")
    assert agency["ikm.value"] == {"value": None, "suppressed": True, "reason": public.reason_small()}
    # Internally (HR), the unsuppressed figure exists.
    summary = queries.agency_summary(city, "DINKES", 2025)
    assert summary is not None and summary["units"][0]["respondents"] == 4

    city.submit_survey(HR, service_unit="PKM-A", answers=ANSWERS)
    run(city)
    unit = unit_figures(city, "PKM-A")
    assert unit is not None
    assert unit["respondents"] == {"value": 5, "suppressed": False, "reason": None}
    assert unit["ikm_converted"]["value"] == "88.89" and unit["mutu"]["value"] == "A"
    assert figures_of(city, "DINKES")["ikm.respondents"]["value"] == 5


def test_ikm_and_nrr_are_published_with_two_decimals(city: KinerjaLedger) -> None:
    # Six responses, U1 = 4 five times and 3 once, every other answer 3: NRR U1 23/6 = 3.8333..,
    # IKM (23/6 + 8 x 3)/9 = 167/54 = 3.0925.. -> 3.09, converted 4175/54 = 77.314.. -> 77.31 (B).
    # Caught before the fix: "3.092592592592592592592592592592592592593" everywhere.
    threes = {f"U{k}": 3 for k in range(1, 10)}
    for answers in [{**threes, "U1": 4}] * 5 + [threes]:
        city.submit_survey(HR, service_unit="PKM-A", answers=answers)
    run(city)
    unit = unit_figures(city, "PKM-A")
    assert unit is not None
    assert (unit["ikm"]["value"], unit["ikm_converted"]["value"], unit["mutu"]["value"]) == (
        "3.09",
        "77.31",
        "B",
    )
    agency = figures_of(city, "DINKES")
    assert (agency["ikm.value"]["value"], agency["ikm.converted"]["value"]) == ("3.09", "77.31")
    summary = queries.agency_summary(city, "DINKES", 2025)
    assert summary is not None
    assert (summary["ikm"], summary["ikm_converted"]) == ("3.09", "77.31")
    [row] = summary["units"]
    assert (row["ikm"], row["converted"]) == ("3.09", "77.31")
    assert row["nrr"] == {"U1": "3.83"} | {f"U{k}": "3.00" for k in range(2, 10)}


def test_agency_ikm_pools_the_raw_responses_of_its_units(city: KinerjaLedger) -> None:
    # 3 + 2 responses: neither unit is published, the agency's pooled five are.
    for _ in range(3):
        city.submit_survey(HR, service_unit="PKM-A", answers={f"U{k}": 4 for k in range(1, 10)})
    for _ in range(2):
        city.submit_survey(HR, service_unit="PKM-B", answers={f"U{k}": 2 for k in range(1, 10)})
    run(city)
    assert unit_figures(city, "PKM-A")["respondents"]["suppressed"] is True  # type: ignore[index]
    agency = figures_of(city, "DINKES")
    # NRR per element (3x4 + 2x2)/5 = 3.2 -> IKM 3.2 -> 80.00, mutu B (not a mean of unit IKMs)
    assert agency["ikm.respondents"]["value"] == 5
    assert agency["ikm.converted"]["value"] == "80.00" and agency["ikm.mutu"]["value"] == "B"


def test_headcount_and_distribution_cells(city: KinerjaLedger) -> None:
    for i in range(4):
        city.register_employee(
            HR, nip=nip_for(i), name=f"P{i}", agency="DINKES", position="Perawat", grade="III/a",
            employment_type="PNS",
        )  # fmt: skip
    city.rate_agency(HR, "DINKES", year=2025, predikat_organisasi="BAIK")
    run(city)
    f = figures_of(city, "DINKES")
    assert f["employees"]["suppressed"] is True and f["employees"]["value"] is None
    assert f["predikat_organisasi"] == {"value": "BAIK", "suppressed": False, "reason": None}
    city.register_employee(
        HR,
        nip=nip_for(4),
        name="P4",
        agency="DINKES",
        position="Perawat",
        grade="III/a",
        employment_type="PNS",
    )
    for i in range(5):
        city.record_appraisal(
            HR, nip_for(i), period="2025", hasil_kerja="SESUAI_EKSPEKTASI", perilaku_kerja="SESUAI_EKSPEKTASI",
            appraiser_nip=nip_for((i + 1) % 5),
        )  # fmt: skip
    run(city)
    f = figures_of(city, "DINKES")
    assert f["employees"]["value"] == 5 and f["appraised"]["value"] == 5
    assert f["predikat.BAIK"]["value"] == 5
    for other in ("SANGAT_BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG"):
        assert f[f"predikat.{other}"]["suppressed"] is True
    # Nobody reached 20 JP: 0 compliant is a count below k; with it hidden, 5 non-compliant
    # would reveal it (total - cell), so it is suppressed too, and the rate with them.
    assert f["training.compliant"]["suppressed"] and f["training.non_compliant"]["suppressed"]
    assert f["training.non_compliant"]["reason"] == public.REASON_SECONDARY
    assert f["training.compliance_rate"]["reason"] == public.REASON_DERIVED
    # The internal summary keeps the real numbers and the curve warning.
    summary = queries.agency_summary(city, "DINKES", 2025)
    assert summary is not None
    assert summary["distribution"] == {
        "SANGAT_BAIK": 0,
        "BAIK": 5,
        "BUTUH_PERBAIKAN": 0,
        "KURANG": 0,
        "SANGAT_KURANG": 0,
    }
    assert (summary["training_compliant"], summary["training_non_compliant"]) == (0, 5)
    # A BAIK agency's curve (predikat/2022.1): at most 70% BAIK, at least one below it.
    assert summary["curve_rule_version"] == "predikat/2022.1"
    assert summary["curve_warnings"] == [
        "BAIK 100% exceeds at most 70%",
        "at least one BUTUH_PERBAIKAN+KURANG expected",
    ]


def test_distribution_secondary_suppression() -> None:
    cells = public.distribution({"A": 10, "B": 7, "C": 2})
    assert cells["C"]["suppressed"] and cells["C"]["reason"] == public.reason_small()
    assert cells["B"]["suppressed"] and cells["B"]["reason"] == public.REASON_SECONDARY
    assert cells["A"] == {"value": 10, "suppressed": False, "reason": None}
    # Two small cells already protect each other.
    cells = public.distribution({"A": 10, "B": 3, "C": 2})
    assert cells["A"]["value"] == 10 and cells["B"]["suppressed"] and cells["C"]["suppressed"]
    assert public.count(4)["suppressed"] and public.count(5)["value"] == 5


def test_k_can_be_raised_by_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_SUPPRESSION_K", "8")
    public.threshold.cache_clear()
    try:
        assert public.count(7) == {
            "value": None,
            "suppressed": True,
            "reason": "fewer than 8 people or responses (k = 8)",
        }
        assert public.count(8) == {"value": 8, "suppressed": False, "reason": None}
        assert public.from_responses(7, "80.1")["suppressed"]
    finally:
        monkeypatch.delenv("LEDGER_SUPPRESSION_K")
        public.threshold.cache_clear()
    assert public.count(5)["value"] == 5

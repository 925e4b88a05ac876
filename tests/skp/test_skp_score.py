"""skor/2027.1: the SKP's realisation against target and BerAKHLAK feedback join the score from
2027; the years before keep their versions (and recompute under them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from ledger.application import KinerjaLedger
from ledger.rules.score import SCORE_RULES
from projections import queries
from projections.registry import default_projections
from projections.runner import ProjectionRunner
from tests.conftest import FakeClock
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_basic

pytestmark = pytest.mark.store

ITEMS: list[dict[str, Any]] = [
    {
        "rhk": "Imunisasi",
        "indicators": [{"aspect": "KUANTITAS", "name": "Balita", "target": 100, "unit": "anak"}],
    },
    {
        "rhk": "Mutu",
        "indicators": [{"aspect": "KUALITAS", "name": "Tepat sasaran", "target": 80, "unit": "%"}],
    },
]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2028, 1, 20, 2, 0, tzinfo=UTC))


def components(card: dict[str, Any]) -> dict[str, tuple[bool, str | None, str, str]]:
    return {
        c["component"]: (c["applicable"], c["value"], c["effective_weight"] or "", c["points"])
        for c in card["components"]
    }


def test_the_cycle_in_the_score_from_2027(app: KinerjaLedger, clock: FakeClock) -> None:
    clock.now = datetime(2027, 7, 5, 2, 0, tzinfo=UTC)  # feedback is dated the day it is given
    seed_basic(app)
    old = app.plan_skp(HR, NIP_BUDI, year=2026, items=ITEMS, appraiser_nip=NIP_SARI).event_id
    app.report_realisation(HR, NIP_BUDI, old, item=1, indicator=1, period="2026-Q1", value=100)
    app.record_training(
        HR, NIP_BUDI, title="Diklat", hours_jp=10, completed_on="2026-06-01", provider="BPSDM"
    )
    skp_id = app.plan_skp(HR, NIP_BUDI, year=2027, items=ITEMS, appraiser_nip=NIP_SARI).event_id
    reports = [
        app.report_realisation(HR, NIP_BUDI, skp_id, item=i, indicator=1, period=p, value=v).event_id
        for i, p, v in ((1, "2027-Q1", 30), (1, "2027-Q2", 30), (2, "2027-Q2", 72))
    ]
    feedback = [
        app.give_behaviour_feedback(HR, NIP_BUDI, value=v, rating=r, source=s).event_id
        for v, r, s in (
            ("AKUNTABEL", "DI_ATAS_EKSPEKTASI", "SUPERVISOR"),
            ("HARMONIS", "SESUAI_EKSPEKTASI", "PEER"),
        )
    ]
    clock.now = datetime(2028, 1, 20, 2, 0, tzinfo=UTC)
    app.record_appraisal(
        HR,
        NIP_BUDI,
        period="2027",
        hasil_kerja="SESUAI_EKSPEKTASI",
        perilaku_kerja="SESUAI_EKSPEKTASI",
        appraiser_nip=NIP_SARI,
    )
    ProjectionRunner(app, default_projections()).run_once()

    card = queries.scorecard(app, NIP_BUDI, 2027)
    assert card is not None
    # By hand: realisation 60/100 = 0.6 and 72/80 = 0.9, share 0.75; feedback (1.00 + 0.75) / 2 =
    # 0.875; BAIK = 0.80; no training, no programme (0); citizen satisfaction left out. Weights
    # 0.40 + 0.15 + 0.10 + 0.10 + 0.10 = 0.85 apply: 100 * (0.40 * 0.80 + 0.10 * 0.75 + 0.10 *
    # 0.875) / 0.85 = 56.7647 -> 56.76.
    assert card["formula_version"] == "skor/2027.1"
    assert card["score"] == "56.76"
    assert components(card) == {
        "predikat": (True, "0.8", "0.4705882352941176470588235294", "37.65"),
        "citizen_satisfaction": (False, None, "0", "0.00"),
        "training": (True, "0", "0.1764705882352941176470588235", "0.00"),
        "collaboration": (True, "0", "0.1176470588235294117647058824", "0.00"),
        "skp_realisation": (True, "0.75", "0.1176470588235294117647058824", "8.82"),
        "behaviour": (True, "0.875", "0.1176470588235294117647058824", "10.29"),
        "awards": (True, "0", "", "0.00"),
        "sanctions": (True, "0", "", "0.00"),
    }
    by_name = {c["component"]: c for c in card["components"]}
    assert by_name["skp_realisation"]["event_ids"] == [skp_id, *reports]
    assert by_name["behaviour"]["event_ids"] == sorted(feedback)
    assert by_name["skp_realisation"]["detail"] == {
        "plans": [{"skp_id": skp_id, "share_achieved": "0.75", "rule_version": "skp/2022.1"}]
    }

    # 2026 keeps skor/2026.1: no cycle components, although a 2026 plan with a report exists.
    earlier = queries.scorecard(app, NIP_BUDI, 2026)
    assert earlier is not None
    assert earlier["formula_version"] == "skor/2026.1"
    assert set(components(earlier)) == {
        "predikat",
        "citizen_satisfaction",
        "training",
        "collaboration",
        "awards",
        "sanctions",
    }
    assert SCORE_RULES.in_force(datetime(2026, 12, 31).date()).version == "skor/2026.1"


def test_without_a_plan_or_feedback_the_cycle_is_left_out(app: KinerjaLedger) -> None:
    seed_basic(app)
    app.record_training(
        HR, NIP_BUDI, title="Diklat", hours_jp=20, completed_on="2027-06-01", provider="BPSDM"
    )
    ProjectionRunner(app, default_projections()).run_once()
    card = queries.scorecard(app, NIP_BUDI, 2027)
    assert card is not None
    assert [(c["component"], c["reason"]) for c in card["left_out"]] == [
        ("predikat", "no appraisal recorded for the year: left out"),
        ("citizen_satisfaction", "no survey names the officer and they serve no public-service unit"),
        ("skp_realisation", "no SKP plan for the year: left out"),
        ("behaviour", "no BerAKHLAK feedback in the year: left out"),
    ]
    # Training 20 JP = 1 and collaboration 0 share the weight: 100 * 0.15 / 0.25 = 60.
    assert card["score"] == "60.00"

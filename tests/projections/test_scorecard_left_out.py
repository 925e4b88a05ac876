"""Formula skor/2026.1 (docs/READ_MODELS.md): a component without data is left out and the other
weights renormalised, never counted as zero, and the scorecard lists what it left out and why.

- no appraisal for the year: the predikat is left out (skor/2022.1 counted it as 0);
- citizen satisfaction needs at least 5 responses: the officer's named surveys, else those of the
  unit they are assigned to, else it is left out (skor/2022.1 took a single survey at full weight).

Years up to 2025 keep skor/2022.1 (scored under it); 2026 on is scored by skor/2026.1.
Weights: predikat 0.50, citizen satisfaction 0.20, training 0.20, collaboration 0.10.
"""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import KinerjaLedger
from ledger.rules.score import SCORE_RULES
from projections import queries
from projections.scorecard import ScorecardProjection
from tests.conftest import HR
from tests.factories import NIP_BUDI, NIP_SARI, seed_basic
from tests.projection_support import catch_up

ALL_4 = {f"U{k}": 4 for k in range(1, 10)}
ALL_3 = {f"U{k}": 3 for k in range(1, 10)}
NO_UNIT = "no survey names the officer and they serve no public-service unit"


@pytest.fixture
def ledger(app: KinerjaLedger) -> KinerjaLedger:
    seed_basic(app)  # the clock stands at 2026-03-02
    return app


def card(app: KinerjaLedger, year: int, nip: str = NIP_BUDI) -> dict:
    catch_up(app, projections=[ScorecardProjection()])
    found = queries.scorecard(app, nip, year)
    assert found is not None
    return found


def component(c: dict, name: str) -> dict:
    return next(x for x in c["components"] if x["component"] == name)


def train(app: KinerjaLedger, jp: int, on: str) -> None:
    app.record_training(HR, NIP_BUDI, title="Diklat", hours_jp=jp, completed_on=on, provider="BPSDM")


def appraise(app: KinerjaLedger, period: str) -> None:
    app.record_appraisal(
        HR,
        NIP_BUDI,
        period=period,
        hasil_kerja="SESUAI_EKSPEKTASI",
        perilaku_kerja="SESUAI_EKSPEKTASI",
        appraiser_nip=NIP_SARI,
    )  # BAIK = 0.80


def front_line(app: KinerjaLedger) -> None:
    app.register_service_unit(HR, code="PKM-A", name="Puskesmas A", agency="DINKES")
    app.assign_to_service_unit(HR, NIP_BUDI, service_unit="PKM-A", officer_code="B01")


def test_the_versions_and_their_years() -> None:
    legacy, old, new, cycle = SCORE_RULES.versions
    assert (legacy.version, legacy.effective_from, legacy.missing_appraisal_counts_as_zero) == (
        "skor/2014.1",
        date(2014, 1, 1),
        False,
    )
    assert legacy.min_survey_responses == 5
    assert (
        old.version,
        old.effective_from,
        old.missing_appraisal_counts_as_zero,
        old.min_survey_responses,
    ) == (
        "skor/2022.1",
        date(2022, 1, 1),
        True,
        1,
    )
    assert (
        new.version,
        new.effective_from,
        new.missing_appraisal_counts_as_zero,
        new.min_survey_responses,
    ) == (
        "skor/2026.1",
        date(2026, 1, 1),
        False,
        5,
    )
    assert (new.weights, new.predikat_values, new.sanction_points) == (
        old.weights,
        old.predikat_values,
        old.sanction_points,
    )
    assert SCORE_RULES.in_force(date(2025, 12, 31)) is old
    assert SCORE_RULES.in_force(date(2026, 12, 31)) is new
    # skor/2027.1 adds the performance management cycle; the four components keep their order.
    assert (cycle.version, cycle.effective_from, cycle.missing_appraisal_counts_as_zero) == (
        "skor/2027.1",
        date(2027, 1, 1),
        False,
    )
    assert {k: str(v) for k, v in cycle.weights.items()} == {
        "predikat": "0.40",
        "citizen_satisfaction": "0.15",
        "training": "0.15",
        "collaboration": "0.10",
        "skp_realisation": "0.10",
        "behaviour": "0.10",
    }
    assert SCORE_RULES.in_force(date(2027, 12, 31)) is cycle


def test_a_missing_appraisal_is_left_out_not_zero(ledger: KinerjaLedger) -> None:
    # Caught before the fix: the predikat counted as 0 at weight 0.5 -> 15.00.
    train(ledger, 12, "2026-02-01")
    c = card(ledger, 2026)
    # Training and collaboration remain (0.2 + 0.1): training 12/20 = 0.6 at 2/3 -> 40.00.
    assert (c["formula_version"], c["score"], c["base"]) == ("skor/2026.1", "40.00", "40.00")
    p = component(c, "predikat")
    assert (p["applicable"], p["value"], p["effective_weight"], p["points"]) == (False, None, "0", "0.00")
    t = component(c, "training")
    assert (t["effective_weight"], t["points"]) == ("0.6666666666666666666666666667", "40.00")
    assert c["left_out"] == [
        {"component": "predikat", "reason": "no appraisal recorded for the year: left out"},
        {"component": "citizen_satisfaction", "reason": NO_UNIT},
    ]


def test_the_old_formula_keeps_its_years(ledger: KinerjaLedger) -> None:
    # 2025 is scored by skor/2022.1 as it was: no appraisal = 0 at weight 0.5/0.8 -> 15.00.
    train(ledger, 12, "2025-06-01")
    c = card(ledger, 2025)
    assert (c["formula_version"], c["score"]) == ("skor/2022.1", "15.00")
    p = component(c, "predikat")
    assert (p["applicable"], p["value"], p["detail"]["note"]) == (
        True,
        "0",
        "no appraisal recorded for the year",
    )
    assert c["left_out"] == [{"component": "citizen_satisfaction", "reason": NO_UNIT}]


def test_a_single_survey_is_not_enough(ledger: KinerjaLedger) -> None:
    # Caught before the fix: one survey naming the officer counted at full weight -> 60.00.
    front_line(ledger)
    appraise(ledger, "2026-01..2026-02")
    ledger.submit_survey(HR, service_unit="PKM-A", answers=ALL_4, officer_code="B01")
    c = card(ledger, 2026)
    # Predikat 0.8 at 0.5/0.8, training 0, collaboration 0 -> 50.00.
    assert c["score"] == "50.00"
    s = component(c, "citizen_satisfaction")
    reason = "named in 1 surveys, fewer than 5; their unit PKM-A has 1 responses, fewer than 5"
    assert (s["applicable"], s["value"], s["event_ids"], s["detail"]) == (False, None, [], {"note": reason})
    assert c["left_out"] == [{"component": "citizen_satisfaction", "reason": reason}]


def test_fewer_than_five_named_surveys_fall_back_to_the_units(ledger: KinerjaLedger) -> None:
    front_line(ledger)
    appraise(ledger, "2026-01..2026-02")
    named = [
        ledger.submit_survey(HR, service_unit="PKM-A", answers=ALL_4, officer_code="B01") for _ in range(2)
    ]
    others = [ledger.submit_survey(HR, service_unit="PKM-A", answers=ALL_3) for _ in range(3)]
    c = card(ledger, 2026)
    s = component(c, "citizen_satisfaction")
    # The unit's five: NRR (2 x 4 + 3 x 3)/5 = 3.4 per unsur, IKM 3.40 -> 85.00 -> value 0.85.
    assert s["detail"] == {
        "source": "service_unit",
        "service_unit": "PKM-A",
        "respondents": 5,
        "ikm": "3.40",
        "converted": "85.00",
        "mutu": "B",
        "rule_version": "skm/2017.1",
        "note": "named in 2 surveys, fewer than 5: the unit's surveys count",
    }
    assigned = f"{ledger.employee(NIP_BUDI).id}:2"
    assert set(s["event_ids"]) == {r.event_id for r in named + others} | {assigned}
    # 100 x (0.5 x 0.8 + 0.2 x 0.85) = 57.00; nothing left out.
    assert (c["score"], c["left_out"]) == ("57.00", [])


def test_five_named_surveys_count_as_the_officers(ledger: KinerjaLedger) -> None:
    front_line(ledger)
    appraise(ledger, "2026-01..2026-02")
    for _ in range(5):
        ledger.submit_survey(HR, service_unit="PKM-A", answers=ALL_4, officer_code="B01")
    c = card(ledger, 2026)
    s = component(c, "citizen_satisfaction")
    assert (s["detail"]["source"], s["detail"]["respondents"], s["value"], s["points"]) == (
        "officer",
        5,
        "1",
        "20.00",
    )
    assert (c["score"], c["left_out"]) == ("60.00", [])

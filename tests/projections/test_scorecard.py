"""Scorecards: a hand-computed example per formula component, and every cited event exists.

Formula skor/2022.1 (docs/READ_MODELS.md): weights predikat 0.50, citizen satisfaction 0.20,
training 0.20, collaboration 0.10, re-normalised over the components that apply; awards +2
each (cap +6); sanctions in force RINGAN -3, SEDANG -8, BERAT -15 (floor -30); clamp 0..100.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from ledger.application import KinerjaLedger
from ledger.rules.score import SCORE_RULES
from projections import queries
from projections.scorecard import ScorecardProjection
from tests.conftest import HR, FakeClock
from tests.factories import NIP_BUDI, NIP_SARI, seed_basic
from tests.projection_support import catch_up as run_projections

A, S, B = "DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"
ALL_4 = {f"U{k}": 4 for k in range(1, 10)}
ALL_3 = {f"U{k}": 3 for k in range(1, 10)}


@pytest.fixture
def ledger(app: KinerjaLedger, clock: FakeClock) -> KinerjaLedger:
    clock.now = datetime(2025, 12, 20, 2, 0, tzinfo=UTC)  # everything below happens in 2025 (WIB)
    seed_basic(app)
    return app


def catch_up(app: KinerjaLedger) -> None:
    # Only the projection under test: on PostgreSQL every projection's DDL costs time.
    run_projections(app, projections=[ScorecardProjection()])


def card(app: KinerjaLedger, nip: str = NIP_BUDI, year: int = 2025) -> dict:
    catch_up(app)
    found = queries.scorecard(app, nip, year)
    assert found is not None
    return found


def component(c: dict, name: str) -> dict:
    return next(x for x in c["components"] if x["component"] == name)


def appraise(app: KinerjaLedger, period: str = "2025", hasil: str = S, perilaku: str = S) -> str:
    r = app.record_appraisal(
        HR, NIP_BUDI, period=period, hasil_kerja=hasil, perilaku_kerja=perilaku, appraiser_nip=NIP_SARI
    )
    return r.event_id


def test_the_rule_is_versioned_data() -> None:
    rule = SCORE_RULES.in_force(datetime(2025, 12, 31).date())
    assert rule.version == "skor/2022.1"
    assert sum(rule.weights.values()) == Decimal(1)
    assert rule.legal_basis and rule.effective_from.year == 2022


def test_predikat_only(ledger: KinerjaLedger) -> None:
    # BAIK = 0.80; applicable weights 0.5 + 0.2 + 0.1 = 0.8 (no citizen surveys):
    # 100 x 0.5/0.8 x 0.80 = 50.00
    eid = appraise(ledger)
    c = card(ledger)
    assert c["score"] == "50.00" and c["predikat"] == "BAIK"
    p = component(c, "predikat")
    assert (p["points"], p["value"], p["weight"], p["effective_weight"]) == ("50.00", "0.8", "0.50", "0.625")
    assert p["event_ids"] == [eid]
    assert component(c, "citizen_satisfaction")["applicable"] is False
    assert c["formula_version"] == "skor/2022.1"


def test_correction_is_applied_and_cited(ledger: KinerjaLedger) -> None:
    eid = appraise(ledger)
    fix = ledger.correct_appraisal(HR, NIP_BUDI, eid, reason="salah input", perilaku_kerja=A, hasil_kerja=A)
    c = card(ledger)
    # SANGAT_BAIK = 1.00: 100 x 0.625 x 1 = 62.50
    assert c["score"] == "62.50" and c["predikat"] == "SANGAT_BAIK"
    assert component(c, "predikat")["event_ids"] == [eid, fix.event_id]


def test_periodic_appraisal_that_ends_last_when_no_annual(ledger: KinerjaLedger) -> None:
    appraise(ledger, "2025-01..2025-06", B, B)  # SANGAT_KURANG, ends in June
    late = appraise(ledger, "2025-07..2025-09", B, S)  # BUTUH_PERBAIKAN, ends in September
    c = card(ledger)
    # BUTUH_PERBAIKAN = 0.55: 100 x 0.625 x 0.55 = 34.375 -> 34.38
    assert c["predikat"] == "BUTUH_PERBAIKAN" and c["score"] == "34.38"
    assert component(c, "predikat")["event_ids"] == [late]
    # An annual appraisal takes precedence over periodic ones.
    annual = appraise(ledger, "2025", A, S)
    c = card(ledger)
    assert c["predikat"] == "BAIK" and component(c, "predikat")["event_ids"] == [annual]


def test_training_capped_at_twenty_jp(ledger: KinerjaLedger) -> None:
    first = ledger.record_training(
        HR, NIP_BUDI, title="A", hours_jp=8, completed_on="2025-03-01", provider="P"
    )
    ledger.record_training(HR, NIP_BUDI, title="B", hours_jp="4", completed_on="2025-04-01", provider="P")
    c = card(ledger)
    # 12 JP / 20 = 0.6; weight 0.2/0.8 = 0.25: 100 x 0.25 x 0.6 = 15.00 (no appraisal: predikat 0)
    t = component(c, "training")
    assert (t["points"], t["value"], t["detail"]["jp"]) == ("15.00", "0.6", "12")
    assert c["score"] == "15.00" and first.event_id in t["event_ids"]
    ledger.record_training(HR, NIP_BUDI, title="C", hours_jp=30, completed_on="2025-05-01", provider="P")
    c = card(ledger)
    assert component(c, "training")["value"] == "1" and c["score"] == "25.00"


def test_citizen_satisfaction_officer_named_then_unit_fallback(ledger: KinerjaLedger) -> None:
    ledger.register_service_unit(HR, code="PKM-A", name="Puskesmas A", agency="DINKES")
    ledger.assign_to_service_unit(HR, NIP_BUDI, service_unit="PKM-A", officer_code="B01")
    ledger.assign_to_service_unit(HR, NIP_SARI, service_unit="PKM-A", officer_code="S01")
    named = [
        ledger.submit_survey(HR, service_unit="PKM-A", answers=ALL_4, officer_code="B01") for _ in range(2)
    ]
    unnamed = [ledger.submit_survey(HR, service_unit="PKM-A", answers=ALL_3) for _ in range(2)]
    # Budi was named: IKM 4.00 -> converted 100 -> value 1; all four weights apply (sum 1):
    # 100 x 0.2 x 1 = 20.00
    c = card(ledger)
    s = component(c, "citizen_satisfaction")
    assert s["detail"]["source"] == "officer" and s["detail"]["respondents"] == 2
    assert (s["points"], s["value"]) == ("20.00", "1") and c["score"] == "20.00"
    # Registered v1, assigned v2, then the two surveys naming him as feedback v3 and v4.
    budi = ledger.employee(NIP_BUDI)
    assert sorted(s["event_ids"]) == [f"{budi.id}:3", f"{budi.id}:4"]
    # Sari was not named: the unit's four responses, IKM (2x4 + 2x3)/2 = 3.5 -> 87.50 -> 0.875
    # 100 x 0.2 x 0.875 = 17.50; the assignment event is cited too (why this unit).
    c = card(ledger, NIP_SARI)
    s = component(c, "citizen_satisfaction")
    assert s["detail"]["source"] == "service_unit" and s["detail"]["converted"] == "87.50"
    assert (s["points"], c["score"]) == ("17.50", "17.50")
    sari_assigned = f"{ledger.employee(NIP_SARI).id}:2"
    assert set(s["event_ids"]) == {r.event_id for r in named + unnamed} | {sari_assigned}


def test_collaboration(ledger: KinerjaLedger) -> None:
    ledger.register_agency(HR, code="DISDIK", name="Dinas Pendidikan")
    ledger.launch_program(HR, code="UKS", name="UKS", agencies=["DINKES", "DISDIK"])
    ledger.add_program_participant(HR, "UKS", nip=NIP_BUDI, role="anggota")
    outcome = ledger.record_program_outcome(
        HR, "UKS", indicator="sekolah", target=10, achieved=8, period="2025"
    )
    c = card(ledger)
    # One programme of two for full value = 0.5; weight 0.1/0.8: 100 x 0.125 x 0.5 = 6.25
    k = component(c, "collaboration")
    assert (k["points"], k["value"], k["detail"]["programs"]) == ("6.25", "0.5", ["UKS"])
    assert outcome.event_id in k["event_ids"] and c["score"] == "6.25"


def test_awards_not_revoked_nor_ineligible(ledger: KinerjaLedger) -> None:
    appraise(ledger)  # 50.00 base
    kept = ledger.grant_award(
        HR,
        NIP_BUDI,
        award_type="PIAGAM_INOVASI",
        reason="aplikasi",
        decree_number="SK-1",
        decree_date="2025-08-17",
    )
    revoked = ledger.grant_award(
        HR, NIP_BUDI, award_type="INSENTIF", reason="x", decree_number="SK-2", decree_date="2025-08-18"
    )
    ledger.revoke_award(HR, NIP_BUDI, revoked.event_id, reason="salah orang", decree_number="SK-3")
    # Budi's TMT is 2010-01: 20 years of service are not reached, so this one is flagged.
    flagged = ledger.grant_award(
        HR, NIP_BUDI, award_type="SATYALANCANA_KARYA_SATYA_20", reason="x", decree_number="SK-4",
        decree_date="2025-08-19",
    )  # fmt: skip
    c = card(ledger)
    a = component(c, "awards")
    assert a["detail"]["counted"] == [kept.event_id] and a["points"] == "2.00"
    assert {x["award_id"] for x in a["detail"]["excluded"]} == {revoked.event_id, flagged.event_id}
    assert c["score"] == "52.00" and c["adjustments"] == "2.00"
    for i in range(4):
        ledger.grant_award(
            HR, NIP_BUDI, award_type="SERTIFIKAT_PENGHARGAAN", reason="x", decree_number=f"SK-9{i}",
            decree_date="2025-09-01",
        )  # fmt: skip
    assert component(card(ledger), "awards")["points"] == "6.00"  # capped


def sanction(app: KinerjaLedger, level: str, penalty: str, role: str, decided: str = "2025-05-01") -> str:
    r = app.impose_sanction(
        HR, NIP_BUDI, violation={"description": "bolos", "level": level}, penalty=penalty, decided_by_role=role,
        decided_by_name="Pejabat", decree_number=f"HD-{penalty}", decided_on=decided,
    )  # fmt: skip
    return r.event_id


def test_sanctions_in_force_and_appeal_outcomes(ledger: KinerjaLedger) -> None:
    appraise(ledger)  # 50.00 base
    sedang = sanction(ledger, "SEDANG", "POTONGAN_TUKIN_6", "SEKDA")
    c = card(ledger)
    s = component(c, "sanctions")
    assert (s["points"], c["score"]) == ("-8.00", "42.00") and s["event_ids"] == [sedang]
    # MODIFIED to a ringan penalty: in force on its effective date only, -3.
    appeal = ledger.file_appeal(HR, NIP_BUDI, sedang, kind="KEBERATAN", filed_on="2025-05-10")
    decision = ledger.decide_appeal(
        HR, NIP_BUDI, sedang, appeal.event_id, outcome="MODIFIED", decided_on="2025-06-01",
        decree_number="KEB-1", new_penalty="TEGURAN_TERTULIS",
    )  # fmt: skip
    s = component(card(ledger), "sanctions")
    assert s["points"] == "-3.00" and decision.event_id in s["event_ids"]
    # A second decision, annulled on appeal: no longer counts.
    berat = sanction(ledger, "BERAT", "PENURUNAN_JABATAN", "PPK", "2025-07-01")
    assert component(card(ledger), "sanctions")["points"] == "-18.00"
    a2 = ledger.file_appeal(HR, NIP_BUDI, berat, kind="KEBERATAN", filed_on="2025-07-05")
    ledger.decide_appeal(
        HR, NIP_BUDI, berat, a2.event_id, outcome="ANNULLED", decided_on="2025-08-01", decree_number="KEB-2"
    )
    c = card(ledger)
    assert component(c, "sanctions")["points"] == "-3.00" and c["score"] == "47.00"


def test_revoked_sanction_counts_only_while_it_was_in_force(ledger: KinerjaLedger) -> None:
    appraise(ledger)
    sid = sanction(ledger, "SEDANG", "POTONGAN_TUKIN_12", "SEKDA", "2025-03-01")
    ledger.revoke_sanction(HR, NIP_BUDI, sid, reason="dicabut", decree_number="HD-X", decided_on="2025-04-01")
    catch_up(ledger)
    # In force March 2025 (counts for 2025), revoked from April: nothing in 2026.
    assert component(card(ledger), "sanctions")["points"] == "-8.00"
    assert queries.scorecard(ledger, NIP_BUDI, 2026) is None


def test_score_is_clamped_at_zero(ledger: KinerjaLedger) -> None:
    appraise(ledger, "2025", B, B)  # SANGAT_KURANG 0.15 -> 9.38
    sanction(ledger, "BERAT", "PENURUNAN_JABATAN", "PPK")
    sanction(ledger, "BERAT", "PEMBEBASAN_JABATAN", "PPK", "2025-06-01")
    sanction(ledger, "SEDANG", "POTONGAN_TUKIN_9", "SEKDA", "2025-07-01")
    c = card(ledger)
    assert component(c, "sanctions")["points"] == "-30.00"  # -38 floored at -30
    assert c["score"] == "0.00" and c["base"] == "9.38"


def test_every_cited_event_exists_and_belongs_to_the_sources(ledger: KinerjaLedger) -> None:
    ledger.register_agency(HR, code="DISDIK", name="Dinas Pendidikan")
    ledger.register_service_unit(HR, code="PKM-A", name="Puskesmas A", agency="DINKES")
    assigned = ledger.assign_to_service_unit(HR, NIP_SARI, service_unit="PKM-A", officer_code="S01").event_id
    eid = appraise(ledger)
    corrected = ledger.correct_appraisal(HR, NIP_BUDI, eid, reason="r", hasil_kerja=A).event_id
    trained = ledger.record_training(
        HR, NIP_BUDI, title="A", hours_jp=8, completed_on="2025-03-01", provider="P"
    ).event_id
    surveys = {ledger.submit_survey(HR, service_unit="PKM-A", answers=ALL_3).event_id for _ in range(3)}
    ledger.launch_program(HR, code="UKS", name="UKS", agencies=["DINKES", "DISDIK"])
    ledger.add_program_participant(HR, "UKS", nip=NIP_SARI, role="anggota")
    joined = f"{ledger.employee(NIP_SARI).id}:3"  # the participation as recorded on Sari
    outcome = ledger.record_program_outcome(
        HR, "UKS", indicator="i", target=1, achieved=1, period="2025"
    ).event_id
    award = ledger.grant_award(
        HR, NIP_BUDI, award_type="INSENTIF", reason="x", decree_number="SK", decree_date="2025-02-01"
    ).event_id
    sanctioned = sanction(ledger, "RINGAN", "TEGURAN_LISAN", "ATASAN_LANGSUNG")
    catch_up(ledger)
    expected = {
        NIP_BUDI: {
            "predikat": {eid, corrected},
            "training": {trained},
            "awards": {award},
            "sanctions": {sanctioned},
        },
        NIP_SARI: {"citizen_satisfaction": surveys | {assigned}, "collaboration": {joined, outcome}},
    }
    for nip, cites in expected.items():
        c = queries.scorecard(ledger, nip, 2025)
        assert c is not None
        by_component = {comp["component"]: set(comp["event_ids"]) for comp in c["components"]}
        assert {name: ids for name, ids in by_component.items() if ids} == cites
        assert sorted(c["event_ids"]) == sorted(set().union(*cites.values()))
        for event_id in c["event_ids"]:
            originator, version = event_id.rsplit(":", 1)
            stream = ledger.stream(UUID(originator))
            assert int(version) in {e.originator_version for e in stream}, event_id

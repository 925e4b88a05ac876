"""Read models through their query functions: corrections reflected, registers, collaboration."""

from __future__ import annotations

from datetime import UTC, datetime

from ledger.application import KinerjaLedger
from projections import queries
from tests.conftest import HR, FakeClock
from tests.factories import NIP_BUDI, NIP_SARI, nip_for, seed_basic
from tests.projection_support import catch_up

S, A = "SESUAI_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"


def test_corrections_revocations_and_appeals_are_reflected(app: KinerjaLedger, clock: FakeClock) -> None:
    clock.now = datetime(2025, 12, 1, 2, 0, tzinfo=UTC)
    seed_basic(app)
    appraisal = app.record_appraisal(
        HR, NIP_BUDI, period="2025", hasil_kerja=S, perilaku_kerja=S, appraiser_nip=NIP_SARI
    )
    award = app.grant_award(
        HR,
        NIP_BUDI,
        award_type="PIAGAM_INOVASI",
        reason="aplikasi",
        decree_number="SK-1",
        decree_date="2025-08-17",
    )
    sanction = app.impose_sanction(
        HR, NIP_SARI, violation={"description": "bolos", "level": "SEDANG", "absence_days": 12},
        penalty="POTONGAN_TUKIN_6", decided_by_role="SEKDA", decided_by_name="Sekda", decree_number="HD-1",
        decided_on="2025-09-01", summoned_on="2025-08-20", examined_on="2025-08-25", bap_number="BAP-1",
    )  # fmt: skip
    second = app.impose_sanction(
        HR, NIP_SARI, violation={"description": "terlambat", "level": "RINGAN"}, penalty="TEGURAN_LISAN",
        decided_by_role="ATASAN_LANGSUNG", decided_by_name="Kabid", decree_number="HD-2", decided_on="2025-10-01",
    )  # fmt: skip
    catch_up(app)
    assert queries.employee_summary(app, NIP_BUDI)["latest_predikat"] == "BAIK"  # type: ignore[index]
    assert queries.award_register(app, year=2025)[0]["revoked"] is False
    summary = queries.agency_summary(app, "DINKES", 2025)
    assert summary is not None and summary["awards_granted"] == 1 and summary["sanctions_total"] == 2

    app.correct_appraisal(
        HR, NIP_BUDI, appraisal.event_id, reason="salah input", hasil_kerja=A, perilaku_kerja=A
    )
    revocation = app.revoke_award(HR, NIP_BUDI, award.event_id, reason="salah orang", decree_number="SK-2")
    appeal = app.file_appeal(HR, NIP_SARI, sanction.event_id, kind="KEBERATAN", filed_on="2025-09-10")
    app.decide_appeal(
        HR, NIP_SARI, sanction.event_id, appeal.event_id, outcome="MODIFIED", decided_on="2025-10-01",
        decree_number="KEB-1", new_penalty="TEGURAN_TERTULIS",
    )  # fmt: skip
    app.revoke_sanction(HR, NIP_SARI, second.event_id, reason="dicabut", decree_number="HD-3")
    catch_up(app)

    budi = queries.employee_summary(app, NIP_BUDI)
    assert budi is not None and budi["latest_predikat"] == "SANGAT_BAIK"
    assert (budi["awards_active"], budi["awards_revoked"]) == (0, 1)
    [register] = queries.award_register(app, year=2025)
    assert register["revoked"] is True and register["revocation_id"] == revocation.event_id
    sanctions = {s["sanction_id"]: s for s in queries.decision_register(app, year=2025)}
    modified = sanctions[sanction.event_id]
    assert (modified["status"], modified["penalty"], modified["original_penalty"]) == (
        "MODIFIED", "TEGURAN_TERTULIS", "POTONGAN_TUKIN_6",
    )  # fmt: skip
    assert modified["level"] == "RINGAN" and modified["appeals"][0]["outcome"] == "MODIFIED"
    assert sanctions[second.event_id]["status"] == "REVOKED"
    sari = queries.employee_summary(app, NIP_SARI)
    assert sari is not None and (sari["sanctions_total"], sari["sanctions_standing"]) == (2, 1)
    summary = queries.agency_summary(app, "DINKES", 2025)
    assert summary is not None
    assert (summary["awards_granted"], summary["awards_revoked"]) == (0, 1)
    assert summary["sanctions_by_level"]["RINGAN"] == 2 and summary["sanctions_modified"] == 1
    assert summary["distribution"]["SANGAT_BAIK"] == 1
    card = queries.scorecard(app, NIP_BUDI, 2025)
    assert card is not None and card["predikat"] == "SANGAT_BAIK"


def test_collaboration_rankings_and_training_compliance(app: KinerjaLedger, clock: FakeClock) -> None:
    clock.now = datetime(2025, 12, 1, 2, 0, tzinfo=UTC)
    seed_basic(app)
    app.register_agency(HR, code="DISDIK", name="Dinas Pendidikan")
    teacher = nip_for(7)
    app.register_employee(
        HR, nip=teacher, name="Guru", agency="DISDIK", position="Guru Ahli Pertama", grade="III/a",
        employment_type="PPPK",
    )  # fmt: skip
    app.launch_program(HR, code="UKS", name="UKS Terpadu", agencies=["DINKES", "DISDIK"])
    app.add_program_participant(HR, "UKS", nip=NIP_BUDI, role="koordinator")
    app.add_program_participant(HR, "UKS", nip=teacher, role="anggota")
    outcome = app.record_program_outcome(
        HR, "UKS", indicator="sekolah", target=40, achieved=30, period="2025"
    )
    app.record_training(HR, NIP_BUDI, title="A", hours_jp=20, completed_on="2025-03-01", provider="P")
    app.record_training(HR, NIP_SARI, title="A", hours_jp="19.5", completed_on="2025-03-01", provider="P")
    for nip, rating in ((NIP_BUDI, A), (NIP_SARI, S)):
        app.record_appraisal(
            HR, nip, period="2025", hasil_kerja=rating, perilaku_kerja=rating, appraiser_nip=teacher
        )
    catch_up(app)

    [listed] = queries.programs(app)
    assert listed["participating_agencies"] == ["DINKES", "DISDIK"] and listed["participants"] == 2
    detail = queries.program(app, "UKS")
    assert detail is not None
    assert {p["nip"]: p["agency"] for p in detail["participants_list"]} == {
        NIP_BUDI: "DINKES",
        teacher: "DISDIK",
    }
    assert detail["outcomes_list"][0]["achievement_pct"] == "75.00"
    assert queries.program(app, "NOPE") is None
    card = queries.scorecard(app, teacher, 2025)
    assert card is not None and outcome.event_id in card["event_ids"]

    ranking = queries.rankings(app, 2025, "DINKES")
    assert [r["nip"] for r in ranking["items"]] == [NIP_BUDI, NIP_SARI]
    assert [r["rank"] for r in ranking["items"]] == [1, 2]
    city = queries.rankings(app, 2025)
    assert city["total"] == 3 and city["items"][0]["nip"] == NIP_BUDI
    assert queries.scorecard(app, NIP_BUDI, 2025)["rank_in_agency"] == 1  # type: ignore[index]

    compliance = queries.training_compliance(app, 2025, "DINKES")
    assert compliance["minimum_jp"] == 20
    assert compliance["agencies"][0]["compliant"] == 1 and compliance["agencies"][0]["non_compliant"] == 1
    people = {p["nip"]: p for p in compliance["employees"]}
    assert people[NIP_BUDI]["compliant"] is True and people[NIP_SARI]["jp"] == "19.5"
    assert people[NIP_SARI]["compliant"] is False
    everyone = queries.training_compliance(app, 2025)
    assert {a["agency"] for a in everyone["agencies"]} == {"DINKES", "DISDIK"} and everyone[
        "employees"
    ] is None


def test_a_rating_before_every_rule_does_not_stop_the_agency_projection(app: KinerjaLedger) -> None:
    """A year before PermenPANRB 14/2017 and 6/2022 has no IKM and no curve, but is summarised."""
    app.register_agency(HR, code="DINKES", name="Dinas Kesehatan")
    app.rate_agency(HR, "DINKES", year=2010, predikat_organisasi="BAIK")
    app.rate_agency(HR, "DINKES", year=2025, predikat_organisasi="BAIK")
    catch_up(app)
    old = queries.agency_summary(app, "DINKES", 2010)
    assert old is not None and old["predikat_organisasi"] == "BAIK"
    recent = queries.agency_summary(app, "DINKES", 2025)
    assert recent is not None
    assert (recent["year"], recent["predikat_organisasi"], recent["curve_rule_version"]) == (
        2025,
        "BAIK",
        "predikat/2022.1",
    )

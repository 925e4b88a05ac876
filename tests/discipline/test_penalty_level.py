"""A sanction's level is the level of the penalty imposed (as modified on appeal), never the level
of the violation it punishes: award eligibility (PP 35/2010 Pasal 22; kenaikan pangkat istimewa
while a sedang or berat penalty is in force), the score and the registers read the penalty's
level. The inspectorate's check 1 still compares the stated violation level with the penalty.

And a revocation is never hidden: a revoked penalty shows REVOKED from the revocation date,
and a penalty revoked (or annulled) by the award's decree date no longer bars an award."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.application import KinerjaLedger
from ledger.discipline.inspection import inspect_sanction
from ledger.discipline.lifecycle import penalty_level, sanction_lifecycle
from ledger.domain.employee import Employee
from ledger.history import employee_view
from ledger.vocabulary import Level
from projections import queries
from projections.agency_summary import AgencyProjection
from projections.discipline.decisions import SanctionRegisterProjection
from projections.discipline.verdicts import SanctionsVerification, verdict_register
from projections.scorecard import ScorecardProjection
from tests.discipline.test_inspectorate_scenarios import SEDANG_ABSENCE, SEKDA, Case, seed_world
from tests.factories import HR, nip_for
from tests.projection_support import catch_up

SLKS_30 = "SATYALANCANA_KARYA_SATYA_30"
SLKS_10 = "SATYALANCANA_KARYA_SATYA_10"
KPI = "KENAIKAN_PANGKAT_ISTIMEWA"
RINGAN = {"description": "Tidak menaati jam kerja", "level": "RINGAN"}
BERAT = {"description": "Menyalahgunakan wewenang", "level": "BERAT"}
PPK = {"decided_by_role": "PPK", "decided_by_name": "Wali Kota Binjai"}
EARNED = "pernah dijatuhi hukuman disiplin sedang/berat dalam masa kerja yang dihitung"
IN_FORCE = "sedang menjalani hukuman disiplin sedang/berat"


@pytest.fixture
def veteran(app: KinerjaLedger) -> Case:
    """An employee in service since 1993 (old enough for the 30-year Satyalancana)."""
    seed_world(app)
    case = Case.__new__(Case)
    Case.counter += 1
    case.i, case.app, case.decrees = Case.counter, app, 0
    case.nip = nip_for(500 + case.i, year=1968, tmt=1993)
    app.register_employee(
        HR,
        nip=case.nip,
        name="Pegawai Lama",
        agency="DINKES",
        position="Pengadministrasi Umum",
        grade="III/d",
        employment_type="PNS",
    )
    case.employee_id = str(Employee.create_id(case.nip))
    case.appraisal = case.appraise("2024-01..2024-01")
    return case


def decided_2024(**over: Any) -> dict[str, Any]:
    return {
        "decided_on": "2024-03-01",
        "summoned_on": "2024-02-20",
        "examined_on": "2024-02-23",
        **over,
    }


def award(app: KinerjaLedger, case: Case, award_type: str, decree_date: str) -> dict[str, Any]:
    return app.grant_award(
        HR,
        case.nip,
        award_type=award_type,
        reason="Pengabdian",
        decree_number="PH/1",
        decree_date=decree_date,
    ).extra


def reasons(result: dict[str, Any]) -> list[tuple[str, list[str]]]:
    return [(p["reason"].split(" (")[0], p["event_ids"]) for p in result["ineligibility"]]


def test_the_level_comes_from_the_penalty_code_and_the_recorded_rule_version() -> None:
    assert penalty_level("POTONGAN_TUKIN_12", "disiplin/2021.1", date(2024, 3, 1)) is Level.SEDANG
    assert penalty_level("TEGURAN_LISAN", "disiplin/2021.1", date(2024, 3, 1)) is Level.RINGAN
    assert penalty_level("PEMBERHENTIAN", None, date(2024, 3, 1)) is Level.BERAT
    assert penalty_level("PENURUNAN_JABATAN", "disiplin/unknown", date(2024, 3, 1)) is Level.BERAT


def test_a_pay_cut_for_a_ringan_violation_bars_awards(app: KinerjaLedger, veteran: Case) -> None:
    # Caught before the fix: the level was the violation's (RINGAN), so both awards were eligible.
    sid = veteran.impose(violation=RINGAN, penalty="POTONGAN_TUKIN_12", **PPK, **decided_2024())
    assert app.employee(veteran.nip).sanctions[sid]["level"] == "SEDANG"
    kpi = award(app, veteran, KPI, "2024-06-01")  # the pay cut runs 2024-03-01 .. 2025-03-01
    assert (kpi["eligible"], reasons(kpi)) == (False, [(IN_FORCE, [sid])])
    slks = award(app, veteran, SLKS_30, "2025-08-17")
    assert (slks["eligible"], reasons(slks)) == (False, [(EARNED, [sid])])
    # The inspectorate still judges the decision by the level it states: check 1 fails.
    verdict = inspect_sanction(app, sid, on=date(2024, 6, 1))
    assert (verdict["level"], verdict["failed_checks"][:1]) == ("RINGAN", ["penalty_matches_level"])
    assert (verdict["current_level"], verdict["status"]) == ("SEDANG", "IN_FORCE")


def test_a_reprimand_for_a_berat_violation_bars_nothing(app: KinerjaLedger, case: Case) -> None:
    # Caught before the fix: the level was the violation's (BERAT), so the award was flagged.
    sid = case.impose(violation=BERAT, penalty="TEGURAN_LISAN", **PPK)
    assert app.employee(case.nip).sanctions[sid]["level"] == "RINGAN"
    assert award(app, case, SLKS_10, "2026-02-25")["eligible"] is True
    assert award(app, case, KPI, "2026-02-20")["eligible"] is True


def test_an_appeal_that_makes_the_penalty_heavier_bars_by_the_new_penalty(
    app: KinerjaLedger, case: Case
) -> None:
    sid = case.impose(violation=RINGAN, penalty="TEGURAN_TERTULIS")
    case.appeal(sid, "KEBERATAN", "MODIFIED", "POTONGAN_TUKIN_6")
    assert app.employee(case.nip).sanctions[sid]["level"] == "SEDANG"
    kpi = award(app, case, KPI, "2026-03-01")
    assert (kpi["eligible"], reasons(kpi)) == (False, [(IN_FORCE, [sid])])


@pytest.fixture
def case(app: KinerjaLedger) -> Case:
    seed_world(app)
    return Case(app)


def test_score_and_registers_use_the_penalty_level(app: KinerjaLedger, case: Case) -> None:
    # Caught before the fix: the scorecard took -3 (RINGAN violation) for a pay cut and -15
    # (BERAT violation) for a reprimand; the registers and the agency summary showed those levels.
    cut = case.impose(violation=RINGAN, penalty="POTONGAN_TUKIN_6", **SEKDA)
    reprimand = case.impose(violation=BERAT, penalty="TEGURAN_LISAN", bap_number="BAP/x/2026", **PPK)
    catch_up(
        app,
        projections=[
            ScorecardProjection(),
            SanctionRegisterProjection(),
            SanctionsVerification(),
            AgencyProjection(),
        ],
    )
    card = queries.scorecard(app, case.nip, 2026)
    assert card is not None
    sanctions = next(c for c in card["components"] if c["component"] == "sanctions")
    assert sanctions["points"] == "-11.00"  # SEDANG -8 + RINGAN -3
    assert sanctions["detail"]["in_force"] == [
        {"sanction_id": s, "level": level, "penalty": p}
        for s, level, p in sorted(
            [(cut, "SEDANG", "POTONGAN_TUKIN_6"), (reprimand, "RINGAN", "TEGURAN_LISAN")]
        )
    ]
    register = {r["sanction_id"]: r for r in queries.decision_register(app, year=2026)}
    assert [(register[s]["level"], register[s]["original_level"]) for s in (cut, reprimand)] == [
        ("SEDANG", "SEDANG"),
        ("RINGAN", "RINGAN"),
    ]
    verdicts = {v["sanction_id"]: v for v in verdict_register(app, on=date(2026, 3, 1))}
    assert [(verdicts[s]["level"], verdicts[s]["current_level"]) for s in (cut, reprimand)] == [
        ("RINGAN", "SEDANG"),
        ("BERAT", "RINGAN"),
    ]
    summary = queries.agency_summary(app, "DINKES", 2026)
    assert summary is not None
    assert summary["sanctions_by_level"] == {"RINGAN": 1, "SEDANG": 1, "BERAT": 0}


# ------------------------------------------------------------------------------ revocations


def revoke(app: KinerjaLedger, case: Case, sid: str, on: str) -> None:
    app.revoke_sanction(HR, case.nip, sid, reason="Keputusan keliru", decree_number="R/9", decided_on=on)


def test_a_revoked_ringan_penalty_shows_revoked(app: KinerjaLedger, case: Case) -> None:
    # Caught before the fix: carried out on 2026-02-20, revoked on 2026-02-25, it showed ENDED.
    sid = case.impose()
    revoke(app, case, sid, "2026-02-25")
    s = app.employee(case.nip).sanctions[sid]
    assert [sanction_lifecycle(s, date(2026, 2, d))["status"] for d in (20, 21, 24, 25, 28)] == [
        "IN_FORCE",
        "ENDED",
        "ENDED",
        "REVOKED",
        "REVOKED",
    ]
    assert inspect_sanction(app, sid, on=date(2026, 3, 1))["status"] == "REVOKED"
    catch_up(app, projections=[SanctionsVerification(), SanctionRegisterProjection()])
    [row] = verdict_register(app, on=date(2026, 3, 1))
    assert (row["sanction_id"], row["lifecycle"], row["status"]) == (sid, "REVOKED", "REVOKED")
    [item] = queries.decision_register(app, year=2026)
    assert (item["status"], item["revoked_on"]) == ("REVOKED", "2026-02-25")
    assert [x["status"] for x in employee_view(app.employee(case.nip), date(2026, 3, 1))["sanctions"]] == [
        "REVOKED"
    ]


def test_a_revoked_sedang_penalty_no_longer_bars_awards(app: KinerjaLedger, case: Case) -> None:
    # Caught before the fix: the revoked pay cut still barred the Satyalancana.
    sid = case.impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_6", **SEKDA)
    revoke(app, case, sid, "2026-02-25")
    assert award(app, case, SLKS_10, "2026-02-25")["eligible"] is True
    assert award(app, case, KPI, "2026-02-25")["eligible"] is True
    # An award decreed before the revocation: the penalty stood (and was in force) that day.
    before = award(app, case, SLKS_10, "2026-02-24")
    assert (before["eligible"], reasons(before)) == (False, [(EARNED, [sid]), (IN_FORCE, [sid])])

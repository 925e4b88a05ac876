"""Sanction status over time, and the award flags it feeds (PP 35/2010 Pasal 22):
a sedang or berat penalty in force, or imposed in the counted years and neither annulled nor
revoked, flags the award; the award is still recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.application import KinerjaLedger
from ledger.discipline.lifecycle import sanction_lifecycle, sanction_status
from ledger.history import employee_view
from tests.discipline.test_inspectorate_scenarios import (
    PPK,
    SEDANG_ABSENCE,
    SEKDA,
    Case,
    dismissal,
    seed_world,
)
from tests.factories import HR

KPI = "KENAIKAN_PANGKAT_ISTIMEWA"
SATYA = "SATYALANCANA_KARYA_SATYA_10"  # the Case employees started service in 2012


@pytest.fixture
def case(app: KinerjaLedger) -> Case:
    seed_world(app)
    return Case(app)


def sanction(app: KinerjaLedger, c: Case, sanction_id: str) -> dict[str, Any]:
    return app.employee(c.nip).sanctions[sanction_id]


def award(app: KinerjaLedger, c: Case, award_type: str, decree_date: str) -> dict[str, Any]:
    result = app.grant_award(
        HR, c.nip, award_type=award_type, reason="Pengabdian", decree_number="PH/1", decree_date=decree_date
    )
    return result.extra


def reasons(result: dict[str, Any]) -> list[str]:
    return [p["reason"].split(" (")[0] for p in result["ineligibility"]]


def test_a_sedang_penalty_runs_for_its_months(app: KinerjaLedger, case: Case) -> None:
    sid = case.impose(
        violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_6", effective_date="2026-03-01", **SEKDA
    )
    s = sanction(app, case, sid)
    assert [
        sanction_status(s, date.fromisoformat(d))
        for d in ("2026-02-28", "2026-03-01", "2026-08-31", "2026-09-01")
    ] == [
        "NOT_YET_IN_FORCE",
        "IN_FORCE",
        "IN_FORCE",
        "ENDED",
    ]
    life = sanction_lifecycle(s, date(2026, 3, 2))
    assert (life["in_force_from"], life["in_force_until"], life["lifecycle"]) == (
        "2026-03-01",
        "2026-09-01",
        "IMPOSED",
    )


def test_a_ringan_penalty_is_carried_out_on_its_day(app: KinerjaLedger, case: Case) -> None:
    sid = case.impose()
    s = sanction(app, case, sid)
    assert sanction_status(s, date(2026, 2, 20)) == "IN_FORCE"
    assert sanction_status(s, date(2026, 2, 21)) == "ENDED"
    # The employee summary no longer lists it as in force afterwards.
    view = employee_view(app.employee(case.nip), date(2026, 3, 2))
    assert view["sanctions_in_force"] == []
    assert employee_view(app.employee(case.nip), date(2026, 2, 20))["sanctions_in_force"] == [sid]


def test_a_dismissal_is_permanent_until_annulled(app: KinerjaLedger, case: Case) -> None:
    sid = dismissal(case)
    assert sanction_status(sanction(app, case, sid), date(2040, 1, 1)) == "IN_FORCE"
    assert employee_view(app.employee(case.nip), date(2026, 3, 2))["status"] == "DISMISSED"
    case.appeal(sid, "BANDING", "ANNULLED")
    s = sanction(app, case, sid)
    assert sanction_status(s, date(2026, 2, 20)) == "ANNULLED"
    assert employee_view(app.employee(case.nip), date(2026, 3, 2))["status"] == "ACTIVE"


def test_modified_penalty_replaces_the_window(app: KinerjaLedger, case: Case) -> None:
    violation = {"description": "Tidak melaporkan harta kekayaan", "level": "SEDANG"}
    sid = case.impose(violation=violation, penalty="POTONGAN_TUKIN_12", **SEKDA)
    case.appeal(sid, "KEBERATAN", "MODIFIED", "POTONGAN_TUKIN_6")
    life = sanction_lifecycle(sanction(app, case, sid), date(2026, 9, 1))
    assert (life["lifecycle"], life["modified"], life["current_penalty"]) == (
        "MODIFIED",
        True,
        "POTONGAN_TUKIN_6",
    )
    assert (life["in_force_until"], life["status"]) == ("2026-08-20", "ENDED")


def test_revocation_ends_a_penalty_early_never_late(app: KinerjaLedger, case: Case) -> None:
    sid = case.impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_12", **SEKDA)
    app.revoke_sanction(
        HR, case.nip, sid, reason="Keputusan keliru", decree_number="R/1", decided_on="2026-03-01"
    )
    s = sanction(app, case, sid)
    assert sanction_status(s, date(2026, 2, 28)) == "IN_FORCE"
    assert sanction_status(s, date(2026, 3, 1)) == "REVOKED"

    # Imported history: a 6-month penalty of 2025 revoked long after it had ended.
    old = case.impose(
        violation=SEDANG_ABSENCE,
        penalty="POTONGAN_TUKIN_6",
        decided_on="2025-01-10",
        summoned_on="2025-01-02",
        examined_on="2025-01-06",
        bap_number="BAP/2025",
        evidence=[],
        **SEKDA,
    )
    app.revoke_sanction(HR, case.nip, old, reason="Pemulihan", decree_number="R/2", decided_on="2026-02-01")
    life = sanction_lifecycle(sanction(app, case, old), date(2025, 8, 1))
    assert (life["in_force_until"], life["ended_by_revocation"], life["status"]) == (
        "2025-07-10",
        False,
        "ENDED",
    )


def test_awards_are_flagged_while_a_sedang_penalty_is_in_force(app: KinerjaLedger, case: Case) -> None:
    sid = case.impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_6", **SEKDA)
    kpi = award(app, case, KPI, "2026-03-01")
    assert kpi["eligible"] is False
    assert kpi["ineligibility"][0]["event_ids"] == [sid]
    assert reasons(kpi) == ["sedang menjalani hukuman disiplin sedang/berat"]
    satya = award(app, case, SATYA, "2026-03-01")
    assert satya["eligible"] is False
    # Imposed in the counted years, and in force: two reasons, each citing the sanction.
    assert [
        (reason, p["event_ids"]) for reason, p in zip(reasons(satya), satya["ineligibility"], strict=True)
    ] == [
        ("pernah dijatuhi hukuman disiplin sedang/berat dalam masa kerja yang dihitung", [sid]),
        ("sedang menjalani hukuman disiplin sedang/berat", [sid]),
    ]
    # Awards are recorded as issued, flagged, not refused; other award types are not affected.
    awards = app.employee(case.nip).awards
    assert [a["eligible"] for a in awards.values()] == [False, False]
    assert award(app, case, "PIAGAM_INOVASI", "2026-03-01")["eligible"] is True


def test_a_ringan_penalty_flags_nothing(app: KinerjaLedger, case: Case) -> None:
    case.impose()
    assert award(app, case, KPI, "2026-02-20")["eligible"] is True
    assert award(app, case, SATYA, "2026-02-20")["eligible"] is True


def test_annulled_penalty_flags_nothing(app: KinerjaLedger, case: Case) -> None:
    sid = dismissal(case)
    case.appeal(sid, "BANDING", "ANNULLED")
    assert award(app, case, KPI, "2026-03-01")["eligible"] is True
    assert award(app, case, SATYA, "2026-03-01")["eligible"] is True


def test_modified_penalty_flags_by_its_new_level(app: KinerjaLedger, case: Case) -> None:
    lighter = case.impose(penalty="POTONGAN_TUKIN_9", other_violations=[SEDANG_ABSENCE], **SEKDA)
    case.appeal(lighter, "KEBERATAN", "MODIFIED", "TEGURAN_TERTULIS")
    assert award(app, case, KPI, "2026-03-01")["eligible"] is True
    assert award(app, case, SATYA, "2026-03-01")["eligible"] is True

    other = Case(app)
    still = other.impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_12", **SEKDA)
    other.appeal(still, "KEBERATAN", "MODIFIED", "POTONGAN_TUKIN_6")
    flagged = award(app, other, KPI, "2026-03-01")
    assert (flagged["eligible"], flagged["ineligibility"][0]["event_ids"]) == (False, [still])


def test_revoked_penalty_bars_nothing_from_its_revocation_date(app: KinerjaLedger, case: Case) -> None:
    sid = case.impose(violation={"description": "x", "level": "BERAT"}, penalty="PENURUNAN_JABATAN", **PPK)
    app.revoke_sanction(
        HR, case.nip, sid, reason="Keputusan keliru", decree_number="R/1", decided_on="2026-02-25"
    )
    assert award(app, case, KPI, "2026-02-24")["eligible"] is False
    assert award(app, case, KPI, "2026-03-01")["eligible"] is True
    # A revoked penalty, like an annulled one, no longer counts as imposed (docs/RULES.md).
    assert award(app, case, SATYA, "2026-03-01")["eligible"] is True


def test_revocation_long_after_the_end_does_not_extend_the_block(app: KinerjaLedger, case: Case) -> None:
    old = case.impose(
        violation=SEDANG_ABSENCE,
        penalty="POTONGAN_TUKIN_6",
        decided_on="2025-01-10",
        summoned_on="2025-01-02",
        examined_on="2025-01-06",
        evidence=[],
        **SEKDA,
    )
    app.revoke_sanction(HR, case.nip, old, reason="Pemulihan", decree_number="R/2", decided_on="2026-02-01")
    assert award(app, case, KPI, "2026-01-15")["eligible"] is True

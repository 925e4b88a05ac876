"""The inspectorate on decisions taken under PP 53/2010 (`disiplin/2010.1`, 2010-06-06 to
2021-08-30): each decision is judged by the rule version and authority table of its own decision
date, with the absence table, appeal routes and dismissals of that version.
"""

from __future__ import annotations

from typing import Any

import pytest

from ledger.application import KinerjaLedger
from ledger.discipline.inspection import verify_sanction
from ledger.discipline.model import CONSISTENT, INCONSISTENT
from ledger.errors import FieldError, ValidationFailed
from ledger.rules import AWARD_RULES
from tests.discipline.test_inspectorate_scenarios import Case, seed_world
from tests.factories import HR, nip_for

PP53 = {"discipline": "disiplin/2010.1", "authority": "kewenangan/pp53-kota.1"}
PP94 = {"discipline": "disiplin/2021.1", "authority": "kewenangan/default-kota.1"}


@pytest.fixture
def world(app: KinerjaLedger) -> KinerjaLedger:
    seed_world(app)
    return app


def absence(days: int, level: str = "RINGAN") -> dict[str, Any]:
    return {"description": "Tidak masuk kerja tanpa alasan yang sah", "level": level, "absence_days": days}


def impose_2019(c: Case, **over: Any) -> str:
    """A 2019 decision with its procedure in order (no ledger evidence cited)."""
    kwargs: dict[str, Any] = {
        "decided_on": "2019-07-15",
        "summoned_on": ["2019-07-01"],
        "examined_on": "2019-07-05",
        "evidence": [],
        "decree_number": f"862/{c.i}/2019",
    }
    kwargs.update(over)
    return c.impose(**kwargs)


def appeal(c: Case, sanction_id: str, kind: str, filed_on: str, **decided: Any) -> str:
    appeal_id = c.app.file_appeal(HR, c.nip, sanction_id, kind=kind, filed_on=filed_on).event_id
    if decided:
        c.app.decide_appeal(HR, c.nip, sanction_id, appeal_id, decree_number=f"{kind}/{c.i}", **decided)
    return appeal_id


def check(verdict: Any, number: int) -> tuple[bool, str, str]:
    found = verdict.checks[number - 1]
    return found.passed, found.detail_id, found.detail_en


def test_twelve_days_in_2019_call_for_pernyataan_tidak_puas(world: KinerjaLedger) -> None:
    # PP 53/2010 Pasal 8 angka 9 huruf c: 11-15 days -> pernyataan tidak puas secara tertulis.
    c = Case(world)
    sid = impose_2019(c, violation=absence(12), penalty="PERNYATAAN_TIDAK_PUAS")
    verdict = verify_sanction(world, sid)
    assert (verdict.verdict, verdict.failed, dict(verdict.rule_versions)) == (CONSISTENT, [], PP53)
    assert check(verdict, 2) == (
        True,
        (
            "Tabel ketidakhadiran menetapkan PERNYATAAN_TIDAK_PUAS untuk 12 hari kerja dalam setahun; "
            "dijatuhkan PERNYATAAN_TIDAK_PUAS."
        ),
        (
            "The absence table prescribes PERNYATAAN_TIDAK_PUAS for 12 working days in the year; "
            "PERNYATAAN_TIDAK_PUAS was imposed."
        ),
    )
    assert check(verdict, 5) == (
        True,
        (
            "KEPALA_OPD berwenang menjatuhkan hukuman tingkat RINGAN menurut tabel kewenangan "
            "kewenangan/pp53-kota.1."
        ),
        "KEPALA_OPD may impose a RINGAN penalty under authority table kewenangan/pp53-kota.1.",
    )


def test_a_wrong_2019_absence_penalty_is_inconsistent_with_the_finding(world: KinerjaLedger) -> None:
    c = Case(world)
    sid = impose_2019(c, violation=absence(12), penalty="TEGURAN_TERTULIS")
    verdict = verify_sanction(world, sid)
    assert (verdict.verdict, verdict.failed) == (INCONSISTENT, ["absence_table"])
    assert check(verdict, 2) == (
        False,
        (
            "Tabel ketidakhadiran menetapkan PERNYATAAN_TIDAK_PUAS untuk 12 hari kerja dalam setahun, "
            "tetapi dijatuhkan TEGURAN_TERTULIS."
        ),
        (
            "The absence table prescribes PERNYATAAN_TIDAK_PUAS for 12 working days in the year, but "
            "TEGURAN_TERTULIS was imposed."
        ),
    )


def test_the_same_days_after_pp_94_2021_call_for_a_sedang_penalty(world: KinerjaLedger) -> None:
    # Twelve days decided on 2021-09-10: PP 94/2021 (11-13 days -> POTONGAN_TUKIN_6), so the
    # 2019 answer is now wrong: each decision is judged by the rule of its own date.
    c = Case(world)
    dates = {"decided_on": "2021-09-10", "summoned_on": ["2021-09-01"], "examined_on": "2021-09-03"}
    sid = impose_2019(c, violation=absence(12), penalty="PERNYATAAN_TIDAK_PUAS", **dates)
    verdict = verify_sanction(world, sid)
    assert (verdict.verdict, verdict.failed, dict(verdict.rule_versions)) == (
        INCONSISTENT,
        ["absence_table"],
        PP94,
    )
    assert check(verdict, 2)[2] == (
        "The absence table prescribes POTONGAN_TUKIN_6 for 12 working days in the year, but "
        "PERNYATAAN_TIDAK_PUAS was imposed."
    )


@pytest.mark.parametrize("penalty", ["PEMBERHENTIAN", "PEMBERHENTIAN_TIDAK_DENGAN_HORMAT"])
def test_46_days_allow_pdh_or_ptdh(world: KinerjaLedger, penalty: str) -> None:
    # PP 53/2010 Pasal 10 angka 9 huruf d: 46 days or more -> PDH or PTDH.
    c = Case(world)
    sid = impose_2019(c, violation=absence(46, "BERAT"), penalty=penalty, **_PPK)
    verdict = verify_sanction(world, sid)
    assert (verdict.verdict, verdict.failed) == (CONSISTENT, [])
    assert check(verdict, 2)[2] == (
        "The absence table prescribes PEMBERHENTIAN or PEMBERHENTIAN_TIDAK_DENGAN_HORMAT for 46 working "
        f"days in the year; {penalty} was imposed."
    )


def test_45_days_are_not_a_dismissal(world: KinerjaLedger) -> None:
    c = Case(world)
    sid = impose_2019(c, violation=absence(45, "BERAT"), penalty="PEMBERHENTIAN_TIDAK_DENGAN_HORMAT", **_PPK)
    verdict = verify_sanction(world, sid)
    assert (verdict.verdict, verdict.failed) == (INCONSISTENT, ["absence_table"])
    assert check(verdict, 2)[2] == (
        "The absence table prescribes PEMBEBASAN_DARI_JABATAN for 45 working days in the year, but "
        "PEMBERHENTIAN_TIDAK_DENGAN_HORMAT was imposed."
    )


_PPK = {"decided_by_role": "PPK", "decided_by_name": "Wali Kota Binjai"}


def test_authority_is_judged_by_the_2010_table(world: KinerjaLedger) -> None:
    # Under the 2010 table a Kepala OPD may impose a sedang penalty; an atasan langsung may not.
    c = Case(world)
    ok = impose_2019(c, violation=absence(16, "SEDANG"), penalty="PENUNDAAN_KGB_1_TAHUN")
    assert (verify_sanction(world, ok).verdict, verify_sanction(world, ok).failed) == (CONSISTENT, [])
    wrong = impose_2019(
        c,
        violation=absence(16, "SEDANG"),
        penalty="PENUNDAAN_KGB_1_TAHUN",
        decided_by_role="ATASAN_LANGSUNG",
        bap_number="BAP/X/2019",
    )
    verdict = verify_sanction(world, wrong)
    assert (verdict.verdict, verdict.failed) == (INCONSISTENT, ["official_authorised"])
    assert check(verdict, 5)[2] == (
        "ATASAN_LANGSUNG may not impose a SEDANG penalty under authority table kewenangan/pp53-kota.1 "
        "(may impose: RINGAN)."
    )


def test_appeal_routes_of_pp_53_2010(world: KinerjaLedger) -> None:
    c = Case(world)
    ringan = impose_2019(c)
    appeal(c, ringan, "KEBERATAN", "2019-07-20")
    verdict = verify_sanction(world, ringan)
    assert (verdict.verdict, verdict.failed) == (INCONSISTENT, ["appeals"])
    assert check(verdict, 7)[2] == (
        "A KEBERATAN (2019-07-20) does not lie against TEGURAN_TERTULIS under disiplin/2010.1 "
        "(PP 53/2010): a ringan penalty has no administrative appeal."
    )
    d = Case(world)
    ptdh = impose_2019(d, violation=absence(50, "BERAT"), penalty="PEMBERHENTIAN_TIDAK_DENGAN_HORMAT", **_PPK)
    appeal(d, ptdh, "KEBERATAN", "2019-07-20")
    appeal(d, ptdh, "BANDING", "2019-07-22")
    verdict = verify_sanction(world, ptdh)
    assert check(verdict, 7)[2] == (
        "A KEBERATAN (2019-07-20) does not lie against PEMBERHENTIAN_TIDAK_DENGAN_HORMAT: a dismissal is "
        "appealed only by BANDING to BAPEK; BANDING (2019-07-22) against PEMBERHENTIAN_TIDAK_DENGAN_HORMAT: "
        "valid route."
    )


def test_a_ptdh_ends_the_service(world: KinerjaLedger) -> None:
    c = Case(world)
    ptdh = impose_2019(c, violation=absence(50, "BERAT"), penalty="PEMBERHENTIAN_TIDAK_DENGAN_HORMAT", **_PPK)
    later = impose_2019(
        c,
        decided_on="2020-02-10",
        summoned_on=["2020-02-01"],
        examined_on="2020-02-03",
        bap_number="BAP/L/2020",
    )
    verdict = verify_sanction(world, later)
    assert (verdict.verdict, verdict.failed) == (INCONSISTENT, ["in_service"])
    assert check(verdict, 8)[2] == (
        f"The employee had been dismissed from 2019-07-15 (sanction {ptdh}), on or before the decision "
        "date 2020-02-10."
    )
    assert world.employee(c.nip).dismissed_on() is not None


def test_keberatan_modified_under_pp_53_2010(world: KinerjaLedger) -> None:
    # A keberatan decided after PP 94/2021 took effect still reviews a PP 53/2010 decision: the new
    # penalty must be one of PP 53/2010 (transitional provision; docs/RULES.md).
    c = Case(world)
    sid = impose_2019(c, violation=absence(25, "SEDANG"), penalty="PENUNDAAN_PANGKAT_1_TAHUN")
    appeal_id = appeal(c, sid, "KEBERATAN", "2019-07-25")
    with pytest.raises(ValidationFailed) as refused:
        world.decide_appeal(
            HR,
            c.nip,
            sid,
            appeal_id,
            outcome="MODIFIED",
            decided_on="2021-10-01",
            decree_number="KEB/1",
            new_penalty="POTONGAN_TUKIN_6",
        )
    assert [e.field for e in refused.value.errors] == ["new_penalty"]
    assert refused.value.errors[0].reason.startswith(
        "POTONGAN_TUKIN_6 is not a penalty of disiplin/2010.1 (PP 53/2010, in force on the decision date)"
    )
    world.decide_appeal(
        HR,
        c.nip,
        sid,
        appeal_id,
        outcome="MODIFIED",
        decided_on="2021-10-01",
        decree_number="KEB/1",
        new_penalty="PENUNDAAN_KGB_1_TAHUN",
    )
    sanction = world.employee(c.nip).sanctions[sid]
    assert (sanction["penalty"], sanction["level"], sanction["in_force_until"]) == (
        "PENUNDAAN_KGB_1_TAHUN",
        "SEDANG",
        "2020-07-15",
    )
    verdict = verify_sanction(world, sid)
    # 25 days call for PENUNDAAN_PANGKAT_1_TAHUN: the reduction is re-verified against the table.
    assert (verdict.verdict, verdict.failed) == (INCONSISTENT, ["appeals"])
    assert check(verdict, 7)[2] == (
        "KEBERATAN (2019-07-25) against PENUNDAAN_PANGKAT_1_TAHUN: valid route; decided 2021-10-01: "
        "penalty changed from PENUNDAAN_PANGKAT_1_TAHUN to PENUNDAAN_KGB_1_TAHUN; re-verified: the absence "
        "table prescribes PENUNDAAN_PANGKAT_1_TAHUN for 25 working days in the year, but "
        "PENUNDAAN_KGB_1_TAHUN was imposed."
    )


def test_a_2015_sedang_penalty_bars_a_satyalancana(world: KinerjaLedger) -> None:
    # PP 35/2010 Pasal 22: a sedang or berat penalty in the counted years bars the Satyalancana,
    # whichever discipline version imposed it.
    # CPNS from January 2000 (the TMT in the NIP), so 20 years are counted by 2020.
    c = Case(world, nip=nip_for(7, year=1975, tmt=2000), service_start_date="2000-01-03")
    sid = impose_2019(
        c,
        violation=absence(21, "SEDANG"),
        penalty="PENUNDAAN_PANGKAT_1_TAHUN",
        decided_on="2015-03-02",
        summoned_on=["2015-02-20"],
        examined_on="2015-02-24",
    )
    award = world.grant_award(
        HR,
        c.nip,
        award_type="SATYALANCANA_KARYA_SATYA_20",
        reason="Pengabdian 20 tahun",
        decree_number="KEPPRES 1/2020",
        decree_date="2020-08-17",
    ).event_id
    granted = world.employee(c.nip).awards[award]
    assert (granted["eligible"], granted["rule_version"]) == (False, AWARD_RULES.versions[0].version)
    # Imposed in the counted years; in force 2015-03-02..2016-03-02, so not on the decree date.
    assert [i["event_ids"] for i in granted["ineligibility"]] == [[sid]]


def test_defect_5_a_lawful_reduction_on_keberatan_is_consistent(world: KinerjaLedger) -> None:
    # Regression (defect 5): keberatan lowers a berat penalty to a sedang one; the modified decision
    # is re-verified at the new penalty's own level, not at the original violation's (BERAT).
    # Before the fix: INCONSISTENT, check 7 "penalty POTONGAN_TUKIN_12 is of level SEDANG, but the
    # heaviest stated violation is of level BERAT".
    c = Case(world)
    sid = c.impose(violation={"description": "Menyalahgunakan wewenang", "level": "BERAT"},
                   penalty="PENURUNAN_JABATAN", **_PPK)  # fmt: skip
    c.appeal(sid, "KEBERATAN", "MODIFIED", "POTONGAN_TUKIN_12")
    verdict = verify_sanction(world, sid)
    assert (verdict.verdict, verdict.failed, verdict.penalty_after_appeals) == (
        CONSISTENT,
        [],
        "POTONGAN_TUKIN_12",
    )
    assert check(verdict, 7)[2] == (
        "KEBERATAN (2026-02-24) against PENURUNAN_JABATAN: valid route; decided 2026-02-27: penalty "
        "changed from PENURUNAN_JABATAN to POTONGAN_TUKIN_12."
    )
    assert world.employee(c.nip).sanctions[sid]["level"] == "SEDANG"


def test_defect_5_modified_must_change_the_penalty(world: KinerjaLedger) -> None:
    c = Case(world)
    sid = c.impose()
    appeal_id = c.appeal(sid, "KEBERATAN")
    with pytest.raises(ValidationFailed) as refused:
        world.decide_appeal(
            HR,
            c.nip,
            sid,
            appeal_id,
            outcome="MODIFIED",
            decided_on="2026-02-27",
            decree_number="KEB/2",
            new_penalty="TEGURAN_TERTULIS",
        )
    assert refused.value.errors == [
        FieldError(
            "new_penalty",
            "is the penalty already in force (TEGURAN_TERTULIS); a MODIFIED outcome changes the penalty, "
            "UPHELD keeps it",
        )
    ]
    assert world.employee(c.nip).sanctions[sid]["appeals"][appeal_id]["outcome"] is None

"""Check 7 (appeals) and the absence text, pinned whole: the exact bilingual detail, `passed is False`
on each failing path, the appeal trail past an invalid or orphaned step, and the stored form of an
appeal decision.

Written against surviving mutants of ledger/discipline/checks.py and ledger/discipline/model.py
(docs/TESTING.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from ledger.discipline.checks import judge_appeals, judge_decision
from ledger.discipline.model import (
    AppealDecided,
    AppealFiled,
    AppealStep,
    AppealTrace,
    Check,
    Decision,
    appeal_step_as_dict,
)
from ledger.rules import AUTHORITY_TABLES, DISCIPLINE_RULES
from ledger.rules.discipline import DisciplineRule
from ledger.vocabulary import AppealKind

DECIDED_ON = date(2026, 2, 20)
RULE: DisciplineRule = DISCIPLINE_RULES.in_force(DECIDED_ON)


def _decision(penalty: str, violations: Sequence[Mapping[str, Any]]) -> Decision:
    return Decision(
        sanction_id="emp-1:7",
        employee_id="emp-1",
        violations=tuple(dict(v) for v in violations),
        penalty=penalty,
        decided_by_role="PPK",
        decided_on=DECIDED_ON,
        recorded_on=date(2026, 2, 21),
        effective_date=date(2026, 3, 1),
        summoned_on=(date(2026, 2, 2),),
        examined_on=date(2026, 2, 16),
        bap_number="BAP/7",
        decree_number="SK/7",
        evidence=(),
    )


RINGAN = _decision("TEGURAN_LISAN", [{"description": "terlambat", "level": "RINGAN"}])
DISMISSAL = _decision("PEMBERHENTIAN", [{"description": "mangkir", "level": "BERAT"}])


def _filed(appeal_id: str, kind: str, on: date) -> AppealFiled:
    return AppealFiled(appeal_id, kind, on)


def _trace(appeal_id: str, kind: str, filed_on: date, against: str, valid: bool) -> AppealTrace:
    return AppealTrace(appeal_id, kind, filed_on, against, valid)


def test_an_invalid_banding_fails_check_7_and_the_next_appeal_is_still_judged() -> None:
    steps: list[AppealStep] = [
        _filed("a:1", "BANDING", date(2026, 3, 2)),
        _filed("a:2", "KEBERATAN", date(2026, 3, 3)),
    ]
    found = judge_appeals(RINGAN, steps, RULE)
    assert found.check.passed is False
    assert found.check == Check(
        7,
        "appeals",
        False,
        "BANDING (2026-03-02) hanya dapat diajukan terhadap PEMBERHENTIAN, bukan TEGURAN_LISAN; "
        "KEBERATAN (2026-03-03) terhadap TEGURAN_LISAN: jalur sah.",
        "A BANDING (2026-03-02) lies only against PEMBERHENTIAN, not against TEGURAN_LISAN; "
        "KEBERATAN (2026-03-03) against TEGURAN_LISAN: valid route.",
    )
    assert found.appeals == (
        _trace("a:1", "BANDING", date(2026, 3, 2), "TEGURAN_LISAN", False),
        _trace("a:2", "KEBERATAN", date(2026, 3, 3), "TEGURAN_LISAN", True),
    )
    assert (found.penalty_after_appeals, found.annulled) == ("TEGURAN_LISAN", False)


def test_a_keberatan_against_a_dismissal_fails_check_7_and_names_the_banding_route() -> None:
    steps: list[AppealStep] = [
        _filed("a:1", "KEBERATAN", date(2026, 3, 2)),
        _filed("a:2", "BANDING", date(2026, 3, 3)),
    ]
    found = judge_appeals(DISMISSAL, steps, RULE)
    assert found.check.passed is False
    assert found.check == Check(
        7,
        "appeals",
        False,
        "KEBERATAN (2026-03-02) tidak dapat diajukan terhadap PEMBERHENTIAN: pemberhentian hanya dapat "
        "diajukan banding administratif ke BPASN; BANDING (2026-03-03) terhadap PEMBERHENTIAN: jalur sah.",
        "A KEBERATAN (2026-03-02) does not lie against PEMBERHENTIAN: a dismissal is appealed only by "
        "BANDING to BPASN; BANDING (2026-03-03) against PEMBERHENTIAN: valid route.",
    )
    assert found.appeals == (
        _trace("a:1", "KEBERATAN", date(2026, 3, 2), "PEMBERHENTIAN", False),
        _trace("a:2", "BANDING", date(2026, 3, 3), "PEMBERHENTIAN", True),
    )


def test_a_rule_without_a_route_for_the_kind_makes_the_appeal_invalid() -> None:
    # A rule version may close a route altogether: an appeal of that kind is then never valid.
    banding_only = replace(RULE, appeal_routes={AppealKind.BANDING: RULE.appeal_routes[AppealKind.BANDING]})
    found = judge_appeals(RINGAN, [_filed("a:1", "KEBERATAN", date(2026, 3, 2))], banding_only)
    assert found.check.passed is False
    assert found.appeals == (_trace("a:1", "KEBERATAN", date(2026, 3, 2), "TEGURAN_LISAN", False),)
    assert (found.penalty_after_appeals, found.annulled) == ("TEGURAN_LISAN", False)


def test_a_decision_of_an_unknown_appeal_fails_check_7_and_later_steps_are_still_judged() -> None:
    steps: list[AppealStep] = [
        AppealDecided("d:9", "a:0", "UPHELD", date(2026, 3, 5), None),
        _filed("a:1", "KEBERATAN", date(2026, 3, 6)),
        AppealDecided("d:10", "a:1", "UPHELD", date(2026, 3, 20), None),
    ]
    found = judge_appeals(RINGAN, steps, RULE)
    assert found.check.passed is False
    assert found.check == Check(
        7,
        "appeals",
        False,
        "Putusan d:9 merujuk upaya administratif yang tidak dikenal; KEBERATAN (2026-03-06) terhadap "
        "TEGURAN_LISAN: jalur sah; putusan 2026-03-20: hukuman dikuatkan.",
        "Decision d:9 refers to an unknown appeal; KEBERATAN (2026-03-06) against TEGURAN_LISAN: valid "
        "route; decided 2026-03-20: upheld.",
    )
    assert found.appeals == (
        AppealTrace(
            "a:1", "KEBERATAN", date(2026, 3, 6), "TEGURAN_LISAN", True, "UPHELD", "d:10", date(2026, 3, 20)
        ),
    )


def test_decisions_after_an_annulment_fail_check_7_each_and_keep_their_trace() -> None:
    steps: list[AppealStep] = [
        _filed("a:1", "KEBERATAN", date(2026, 3, 2)),
        _filed("a:2", "KEBERATAN", date(2026, 3, 3)),
        _filed("a:3", "KEBERATAN", date(2026, 3, 4)),
        AppealDecided("d:1", "a:1", "ANNULLED", date(2026, 3, 10), None),
        AppealDecided("d:2", "a:2", "UPHELD", date(2026, 3, 11), None),
        AppealDecided("d:3", "a:3", "MODIFIED", date(2026, 3, 12), "TEGURAN_TERTULIS"),
    ]
    found = judge_appeals(RINGAN, steps, RULE)
    assert found.check.passed is False
    assert found.check == Check(
        7,
        "appeals",
        False,
        "KEBERATAN (2026-03-02) terhadap TEGURAN_LISAN: jalur sah; "
        "KEBERATAN (2026-03-03) terhadap TEGURAN_LISAN: jalur sah; "
        "KEBERATAN (2026-03-04) terhadap TEGURAN_LISAN: jalur sah; "
        "putusan 2026-03-10: hukuman dibatalkan dan berakhir; "
        "putusan UPHELD (2026-03-11) diambil setelah hukuman dibatalkan oleh d:1; "
        "putusan MODIFIED (2026-03-12) diambil setelah hukuman dibatalkan oleh d:1.",
        "KEBERATAN (2026-03-02) against TEGURAN_LISAN: valid route; "
        "KEBERATAN (2026-03-03) against TEGURAN_LISAN: valid route; "
        "KEBERATAN (2026-03-04) against TEGURAN_LISAN: valid route; "
        "decided 2026-03-10: annulled, the sanction has ended; "
        "the UPHELD decision (2026-03-11) came after the sanction had been annulled by d:1; "
        "the MODIFIED decision (2026-03-12) came after the sanction had been annulled by d:1.",
    )
    assert found.appeals == (
        AppealTrace(
            "a:1", "KEBERATAN", date(2026, 3, 2), "TEGURAN_LISAN", True, "ANNULLED", "d:1", date(2026, 3, 10)
        ),
        AppealTrace(
            "a:2", "KEBERATAN", date(2026, 3, 3), "TEGURAN_LISAN", True, "UPHELD", "d:2", date(2026, 3, 11)
        ),
        AppealTrace(
            "a:3",
            "KEBERATAN",
            date(2026, 3, 4),
            "TEGURAN_LISAN",
            True,
            "MODIFIED",
            "d:3",
            date(2026, 3, 12),
            "TEGURAN_TERTULIS",
        ),
    )
    # the late MODIFIED decision does not change the penalty of an annulled sanction
    assert (found.penalty_after_appeals, found.annulled) == ("TEGURAN_LISAN", True)


CONSECUTIVE = _decision(
    "POTONGAN_TUKIN_6",
    [{"description": "mangkir", "level": "SEDANG", "absence_days": 12, "consecutive_absence_days": 10}],
)


def test_the_absence_check_states_both_the_yearly_and_the_consecutive_days() -> None:
    found = judge_decision(CONSECUTIVE, None, {}, RULE, AUTHORITY_TABLES.in_force(DECIDED_ON))
    assert found.checks[1] == Check(
        2,
        "absence_table",
        False,
        "Tabel ketidakhadiran menetapkan PEMBERHENTIAN untuk 12 hari kerja dalam setahun, 10 hari kerja "
        "berturut-turut, tetapi dijatuhkan POTONGAN_TUKIN_6.",
        "The absence table prescribes PEMBERHENTIAN for 12 working days in the year, 10 consecutive "
        "working days, but POTONGAN_TUKIN_6 was imposed.",
    )


def test_a_modified_penalty_is_re_verified_with_the_consecutive_days_stated() -> None:
    steps: list[AppealStep] = [
        _filed("a:1", "KEBERATAN", date(2026, 3, 2)),
        AppealDecided("d:1", "a:1", "MODIFIED", date(2026, 3, 10), "TEGURAN_LISAN"),
    ]
    found = judge_appeals(CONSECUTIVE, steps, RULE)
    assert found.check.passed is False
    assert found.check == Check(
        7,
        "appeals",
        False,
        "KEBERATAN (2026-03-02) terhadap POTONGAN_TUKIN_6: jalur sah; putusan 2026-03-10: hukuman diubah "
        "dari POTONGAN_TUKIN_6 menjadi TEGURAN_LISAN; verifikasi ulang: "
        "tabel ketidakhadiran menetapkan PEMBERHENTIAN untuk 12 hari kerja dalam setahun, 10 hari kerja "
        "berturut-turut, tetapi dijatuhkan TEGURAN_LISAN.",
        "KEBERATAN (2026-03-02) against POTONGAN_TUKIN_6: valid route; decided 2026-03-10: penalty changed "
        "from POTONGAN_TUKIN_6 to TEGURAN_LISAN; re-verified: the absence table prescribes "
        "PEMBERHENTIAN for 12 working days in the year, 10 consecutive working days, but TEGURAN_LISAN "
        "was imposed.",
    )
    assert (found.penalty_after_appeals, found.annulled) == ("TEGURAN_LISAN", False)


def test_a_penalty_below_the_stated_level_fails_check_1() -> None:
    decision = _decision("TEGURAN_LISAN", [{"description": "mangkir", "level": "SEDANG"}])
    found = judge_decision(decision, None, {}, RULE, AUTHORITY_TABLES.in_force(DECIDED_ON))
    assert found.checks[0].passed is False
    assert found.checks[0] == Check(
        1,
        "penalty_matches_level",
        False,
        "Hukuman TEGURAN_LISAN termasuk tingkat RINGAN, tetapi pelanggaran terberat yang dinyatakan "
        "bertingkat SEDANG.",
        "Penalty TEGURAN_LISAN is of level RINGAN, but the heaviest stated violation is of level SEDANG.",
    )


def test_each_absence_violation_is_stated_in_turn_zero_days_included() -> None:
    decision = _decision(
        "TEGURAN_TERTULIS",
        [
            {"description": "terlambat", "level": "RINGAN", "absence_days": 0},
            {"description": "mangkir", "level": "RINGAN", "absence_days": 4, "consecutive_absence_days": 2},
        ],
    )
    found = judge_decision(decision, None, {}, RULE, AUTHORITY_TABLES.in_force(DECIDED_ON))
    assert found.checks[1] == Check(
        2,
        "absence_table",
        True,
        "Tabel ketidakhadiran menetapkan TEGURAN_TERTULIS untuk 0 hari kerja dalam setahun; 4 hari kerja "
        "dalam setahun, 2 hari kerja berturut-turut; dijatuhkan TEGURAN_TERTULIS.",
        "The absence table prescribes TEGURAN_TERTULIS for 0 working days in the year; 4 working days in "
        "the year, 2 consecutive working days; TEGURAN_TERTULIS was imposed.",
    )


def _absence_check(penalty: str, violations: Sequence[Mapping[str, Any]]) -> Check:
    found = judge_decision(
        _decision(penalty, violations), None, {}, RULE, AUTHORITY_TABLES.in_force(DECIDED_ON)
    )
    return found.checks[1]


def test_absence_below_the_first_band_passes_only_when_other_violations_carry_the_penalty() -> None:
    absence = {"description": "mangkir", "level": "RINGAN", "absence_days": 2}
    other = {"description": "menyalahgunakan wewenang", "level": "SEDANG"}
    with_other = _absence_check("POTONGAN_TUKIN_6", [absence, other])
    assert with_other.passed is True
    assert with_other == Check(
        2,
        "absence_table",
        True,
        "Ketidakhadiran (2 hari kerja dalam setahun) di bawah ambang tabel; hukuman POTONGAN_TUKIN_6 "
        "didasarkan pada pelanggaran lain dalam keputusan yang sama.",
        "The absence (2 working days in the year) is below the table's first band; penalty "
        "POTONGAN_TUKIN_6 rests on the other violations of the same decision.",
    )
    alone = _absence_check("TEGURAN_LISAN", [absence])
    assert alone.passed is False
    assert alone == Check(
        2,
        "absence_table",
        False,
        "Ketidakhadiran (2 hari kerja dalam setahun) di bawah ambang tabel ketidakhadiran: tabel tidak "
        "menetapkan hukuman, tetapi dijatuhkan TEGURAN_LISAN.",
        "The absence (2 working days in the year) is below the absence table's first band: the table "
        "prescribes no penalty, yet TEGURAN_LISAN was imposed.",
    )


def test_a_penalty_heavier_than_the_absence_table_passes_only_with_a_heavier_violation() -> None:
    absence = {"description": "mangkir", "level": "RINGAN", "absence_days": 3}
    other = {"description": "menyalahgunakan wewenang", "level": "SEDANG"}
    with_other = _absence_check("POTONGAN_TUKIN_6", [absence, other])
    assert with_other.passed is True
    assert with_other == Check(
        2,
        "absence_table",
        True,
        "Tabel ketidakhadiran menetapkan TEGURAN_LISAN untuk 3 hari kerja dalam setahun; hukuman "
        "POTONGAN_TUKIN_6 lebih berat karena keputusan yang sama memeriksa pelanggaran lain yang lebih "
        "berat (satu hukuman, yang terberat).",
        "The absence table prescribes TEGURAN_LISAN for 3 working days in the year; penalty "
        "POTONGAN_TUKIN_6 is heavier because the same decision covers another, heavier violation (one "
        "penalty, the heaviest).",
    )
    alone = _absence_check("TEGURAN_TERTULIS", [absence])
    assert alone.passed is False
    assert alone == Check(
        2,
        "absence_table",
        False,
        "Tabel ketidakhadiran menetapkan TEGURAN_LISAN untuk 3 hari kerja dalam setahun, tetapi dijatuhkan "
        "TEGURAN_TERTULIS.",
        "The absence table prescribes TEGURAN_LISAN for 3 working days in the year, but TEGURAN_TERTULIS "
        "was imposed.",
    )


def test_the_stored_form_of_appeal_steps_is_fixed() -> None:
    assert appeal_step_as_dict(_filed("x:8", "KEBERATAN", date(2026, 3, 2))) == {
        "step": "FILED",
        "appeal_id": "x:8",
        "kind": "KEBERATAN",
        "filed_on": "2026-03-02",
    }
    decided = AppealDecided("x:9", "x:8", "MODIFIED", date(2026, 3, 20), "POTONGAN_TUKIN_12")
    assert appeal_step_as_dict(decided) == {
        "step": "DECIDED",
        "decision_id": "x:9",
        "appeal_id": "x:8",
        "outcome": "MODIFIED",
        "decided_on": "2026-03-20",
        "new_penalty": "POTONGAN_TUKIN_12",
    }

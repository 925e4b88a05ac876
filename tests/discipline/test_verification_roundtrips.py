"""The verification's inputs survive their stored JSON form whole (the read model keeps them so),
and consecutive absence days count in the absence check even when the yearly total is small."""

from __future__ import annotations

from datetime import date

from ledger.discipline.checks import judge_decision
from ledger.discipline.model import (
    AppealDecided,
    AppealFiled,
    Decision,
    appeal_step_as_dict,
    appeal_step_from_dict,
)
from ledger.rules import AUTHORITY_TABLES, DISCIPLINE_RULES

DECISION = Decision(
    sanction_id="0b6f5c1e-4a9e-5d3c-9a57-0c7a2f1d3e4b:7",
    employee_id="0b6f5c1e-4a9e-5d3c-9a57-0c7a2f1d3e4b",
    violations=({"description": "mangkir", "level": "BERAT", "consecutive_absence_days": 10},),
    penalty="PEMBERHENTIAN",
    decided_by_role="PPK",
    decided_on=date(2026, 2, 20),
    recorded_on=date(2026, 2, 21),
    effective_date=date(2026, 3, 1),
    summoned_on=(date(2026, 2, 2), date(2026, 2, 9)),
    examined_on=date(2026, 2, 16),
    bap_number="BAP/7",
    decree_number="SK/7",
    evidence=("0b6f5c1e-4a9e-5d3c-9a57-0c7a2f1d3e4b:3",),
)


def test_a_decision_survives_its_stored_form_field_for_field() -> None:
    assert Decision.from_dict(DECISION.as_dict()) == DECISION
    assert DECISION.as_dict()["examined_on"] == "2026-02-16"


def test_appeal_steps_survive_their_stored_form() -> None:
    filed = AppealFiled("x:8", "KEBERATAN", date(2026, 3, 2))
    decided = AppealDecided("x:9", "x:8", "MODIFIED", date(2026, 3, 20), "POTONGAN_TUKIN_12")
    assert [appeal_step_from_dict(appeal_step_as_dict(s)) for s in (filed, decided)] == [filed, decided]


def _absence_check(decision: Decision) -> tuple[bool, str]:
    found = judge_decision(
        decision,
        None,
        {},
        DISCIPLINE_RULES.in_force(decision.decided_on),
        AUTHORITY_TABLES.in_force(decision.decided_on),
    )
    check = found.checks[1]
    return check.passed, check.detail_en


def test_ten_consecutive_days_call_for_dismissal_whatever_the_yearly_total() -> None:
    # PP 94/2021 Pasal 11: 10 consecutive working days of unexcused absence -> PEMBERHENTIAN.
    passed, detail = _absence_check(DECISION)
    assert passed is True
    assert "PEMBERHENTIAN" in detail
    lighter = Decision.from_dict(
        {
            **DECISION.as_dict(),
            "penalty": "TEGURAN_LISAN",
            "violations": [{"description": "mangkir", "level": "RINGAN", "consecutive_absence_days": 10}],
        }
    )
    passed, detail = _absence_check(lighter)
    assert passed is False
    assert "PEMBERHENTIAN" in detail and "TEGURAN_LISAN" in detail

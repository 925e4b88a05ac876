"""Hypothesis: a verdict is a pure function of the history recorded before the decision, the
decision's own appeals and the rule versions of its date. Recording any other event later (new
evidence, corrections, transfers, later sanctions on the same examination, revocations, awards,
other people's records) never changes it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import KinerjaLedger
from ledger.discipline.inspection import verify_sanction
from ledger.domain.agency import Agency
from ledger.domain.employee import Employee
from ledger.errors import LedgerError
from ledger.vocabulary import DecidingRole, Level, PenaltyCode
from tests.conftest import FakeClock
from tests.discipline.test_inspectorate_scenarios import Case, seed_world
from tests.factories import HR

DECISION = st.fixed_dictionaries(
    {
        "level": st.sampled_from(list(Level)),
        "penalty": st.sampled_from(list(PenaltyCode)),
        "role": st.sampled_from(list(DecidingRole)),
        "absence": st.sampled_from([None, 2, 5, 12, 28]),
        "consecutive": st.sampled_from([None, 10]),
        "decided": st.sampled_from(
            [date(2026, 1, 5), date(2026, 2, 10), date(2026, 2, 20), date(2026, 3, 5)]
        ),
        "summons": st.sampled_from([None, -9, 1]),  # days from the decision
        "exam": st.sampled_from([None, -4, 2]),
        "bap": st.sampled_from([None, "BAP/A", "bap/a", "BAP/B"]),
        "evidence": st.lists(st.sampled_from(["own", "other", "next", "missing", "late"]), max_size=3),
        "appeal": st.sampled_from(
            [
                None,
                ("KEBERATAN", None),
                ("KEBERATAN", "MODIFIED"),
                ("BANDING", "ANNULLED"),
                ("KEBERATAN", "UPHELD"),
            ]
        ),
    }
)
LATER_EVENTS = (
    "train",
    "feedback",
    "correct",
    "transfer",
    "same_examination",
    "dismiss_earlier",
    "revoke_first",
    "appeal_later_sanction",
    "award",
    "other_employee",
    "advance_clock",
)
LATER = st.lists(st.sampled_from(LATER_EVENTS), max_size=8)


def decide(app: KinerjaLedger, a: Case, b: Case, d: dict[str, Any]) -> str | None:
    """Record one drawn decision (and its own appeal); None if the ledger refused it."""
    decided: date = d["decided"]
    evidence = []
    for kind in d["evidence"]:
        if kind == "own":
            evidence.append(a.appraisal)
        elif kind == "other":
            evidence.append(b.appraisal)
        elif kind == "next":  # the event that will follow this decision in the stream
            evidence.append(f"{a.employee_id}:{app.employee(a.nip).version + 2}")
        elif kind == "missing":
            evidence.append(f"{a.employee_id}:999")
        else:
            late = decided + timedelta(days=3)
            if late <= app.today():
                evidence.append(
                    app.record_training(
                        HR, a.nip, title="Diklat", hours_jp=2, completed_on=late, provider="BKPSDM"
                    ).event_id
                )
    violation: dict[str, Any] = {"description": "Pelanggaran", "level": d["level"].value}
    if d["absence"] is not None:
        violation["absence_days"] = d["absence"]
    if d["consecutive"] is not None:
        violation["consecutive_absence_days"] = d["consecutive"]
    try:
        sanction_id = app.impose_sanction(
            HR,
            a.nip,
            violation=violation,
            penalty=d["penalty"].value,
            decided_by_role=d["role"].value,
            decided_by_name="Pejabat",
            decree_number="SK/prop",
            decided_on=decided,
            summoned_on=decided + timedelta(days=d["summons"]) if d["summons"] is not None else None,
            examined_on=decided + timedelta(days=d["exam"]) if d["exam"] is not None else None,
            bap_number=d["bap"],
            evidence=evidence,
        ).event_id
    except LedgerError:
        return None
    if d["appeal"] is not None:
        kind, outcome = d["appeal"]
        try:
            appeal = app.file_appeal(HR, a.nip, sanction_id, kind=kind, filed_on=decided)
            if outcome is not None:
                app.decide_appeal(
                    HR,
                    a.nip,
                    sanction_id,
                    appeal.event_id,
                    outcome=outcome,
                    decided_on=decided,
                    decree_number="KB/prop",
                    new_penalty="TEGURAN_TERTULIS" if outcome == "MODIFIED" else None,
                )
        except LedgerError:
            pass  # e.g. a decision dated after today cannot be appealed yet
    return sanction_id


def later(app: KinerjaLedger, clock: FakeClock, a: Case, b: Case, first: str, op: str) -> None:
    """One event recorded after the decisions, none of them an appeal against them."""
    if op == "train":
        app.record_training(
            HR, a.nip, title="Diklat", hours_jp=3, completed_on="2026-01-02", provider="BKPSDM"
        )
    elif op == "feedback":
        app.record_feedback(HR, a.nip, source="SUPERVISOR", score=1)
    elif op == "correct":
        app.correct_appraisal(HR, a.nip, a.appraisal, reason="koreksi", perilaku_kerja="SESUAI_EKSPEKTASI")
    elif op == "transfer":
        app.transfer_employee(HR, a.nip, agency="DISDIK", position="Guru", effective_date="2026-01-01")
    elif op == "same_examination":
        a.impose(
            bap_number="BAP/A", decided_on="2026-01-04", summoned_on="2026-01-02", examined_on="2026-01-03"
        )
    elif op == "dismiss_earlier":
        a.impose(
            violation={"description": "Berat", "level": "BERAT"},
            penalty="PEMBERHENTIAN",
            decided_by_role="PPK",
            decided_on="2026-01-04",
            summoned_on="2026-01-02",
            examined_on="2026-01-03",
            bap_number="BAP/D",
        )
    elif op == "revoke_first":
        app.revoke_sanction(HR, a.nip, first, reason="dicabut", decree_number="R/prop")
    elif op == "appeal_later_sanction":
        newest = a.impose(bap_number="BAP/N", evidence=[])
        a.appeal(newest, "KEBERATAN", "ANNULLED")
    elif op == "award":
        app.grant_award(
            HR,
            a.nip,
            award_type="KENAIKAN_PANGKAT_ISTIMEWA",
            reason="r",
            decree_number="PH",
            decree_date="2026-03-01",
        )
    elif op == "other_employee":
        other = Case(app)
        other.impose(evidence=[a.appraisal])
    else:
        clock.advance(days=1)


def verdicts(app: KinerjaLedger, ids: list[str]) -> dict[str, dict[str, Any]]:
    return {sid: verify_sanction(app, sid).as_dict() for sid in ids}


def scenario(
    app: KinerjaLedger, clock: FakeClock, decisions: list[dict[str, Any]], ops: list[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    if not app._exists(Agency, "DINKES"):
        seed_world(app)
        app.register_agency(HR, code="DISDIK", name="Dinas Pendidikan")
    a, b = Case(app), Case(app)
    ids = [sid for d in decisions if (sid := decide(app, a, b, d)) is not None]
    before = verdicts(app, ids)
    for op in ops:
        try:
            later(app, clock, a, b, ids[0] if ids else a.appraisal, op)
        except LedgerError:
            continue
    return before, verdicts(app, ids)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decisions=st.lists(DECISION, min_size=1, max_size=3), ops=LATER)
def test_later_events_never_change_a_verdict(
    app: KinerjaLedger, clock: FakeClock, decisions: list[dict[str, Any]], ops: list[str]
) -> None:
    before, after = scenario(app, clock, decisions, ops)
    assert after == before


def test_the_property_sees_both_verdicts_and_every_later_event(app: KinerjaLedger, clock: FakeClock) -> None:
    """Guards the generator: a consistent and an inconsistent decision survive every kind of later
    event, including the recording of the very event an evidence id pointed to."""
    good = {
        "level": Level.SEDANG,
        "penalty": PenaltyCode.POTONGAN_TUKIN_6,
        "role": DecidingRole.SEKDA,
        "absence": 12,
        "consecutive": None,
        "decided": date(2026, 2, 20),
        "summons": -9,
        "exam": -4,
        "bap": "BAP/A",
        "evidence": ["own"],
        "appeal": ("KEBERATAN", "UPHELD"),
    }
    bad = {**good, "bap": "BAP/B", "evidence": ["next", "other"], "appeal": None}
    before, after = scenario(app, clock, [good, bad], list(LATER_EVENTS))
    assert after == before
    assert [v["verdict"] for v in before.values()] == ["CONSISTENT", "INCONSISTENT"]
    bad_id, bad_verdict = list(before.items())[1]
    assert bad_verdict["failed_checks"] == ["evidence"]
    # The event the bad decision cited as its "next" one now exists, and changed nothing.
    stream = Employee.create_id(bad_verdict["nip"])
    cited = int(bad_id.rsplit(":", 1)[1]) + 1
    assert any(e.originator_version == cited for e in app.stream(stream))

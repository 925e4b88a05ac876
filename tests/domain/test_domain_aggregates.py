"""The aggregates decide, without any store: each command enforces its rules and raises a named
domain error, and records exactly the event the rules give."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ledger.domain.agency import Agency
from ledger.domain.employee import Employee
from ledger.domain.envelope import Actor, Envelope
from ledger.domain.program import Program
from ledger.domain.service_unit import ServiceUnit
from ledger.errors import (
    AlreadyDecided,
    AlreadyEnded,
    AlreadyParticipating,
    AlreadyRated,
    FieldError,
    NotFound,
    OfficerCodeTaken,
    PeriodAlreadyAppraised,
    ValidationFailed,
)
from ledger.nip import parse_nip
from ledger.period import parse_period
from ledger.vocabulary import (
    AppealKind,
    AppealOutcome,
    AwardType,
    DecidingRole,
    FeedbackSource,
    PenaltyCode,
    PredikatOrganisasi,
    Rating,
)

NIP = parse_nip("198503152010011002")  # TMT 2010-01
OTHER = parse_nip("199001012015011003")
# 2026-03-02 09:00 WIB
ENV = Envelope(datetime(2026, 3, 2, 2, 0, tzinfo=UTC), date(2026, 3, 2), Actor("hr-1", "hr"), "corr-1")
A, S, B = Rating.DI_ATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DI_BAWAH_EKSPEKTASI


def employee(service_start: date | None = None) -> Employee:
    return Employee.enrol(
        ENV,
        nip=NIP,
        name="Budi Santoso",
        agency="DINKES",
        position="Perawat",
        grade="III/b",
        employment_type="PNS",
        service_start_date=service_start,
    )


def problems(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[tuple[str, str]]:
    return [(e.field, e.reason) for e in exc.value.errors]


def test_enrolment_starts_the_service_clock_at_the_tmt_month() -> None:
    e = employee()
    assert e.service_start_date == date(2010, 1, 1)
    assert e.pending_events[0].effective_date == date(2010, 1, 1)  # type: ignore[attr-defined]
    with pytest.raises(ValidationFailed) as err:
        employee(date(1984, 1, 1))
    assert problems(err) == [("service_start_date", "before the birth date in the NIP")]
    with pytest.raises(ValidationFailed) as err:
        employee(date(2026, 3, 3))
    assert problems(err) == [("service_start_date", "in the future")]


def test_a_transfer_cannot_take_effect_before_service_start() -> None:
    e = employee(date(2012, 5, 1))
    with pytest.raises(ValidationFailed) as err:
        e.transfer(ENV.at(date(2012, 4, 30)), agency="DISDIK", position="Guru", grade=None)
    assert problems(err) == [("effective_date", "before the employee's service start date")]
    e.transfer(ENV.at(date(2012, 5, 1)), agency="DISDIK", position="Guru", grade=None)
    assert (e.agency, e.position, e.grade) == ("DISDIK", "Guru", "III/b")


def test_an_appraisal_is_rated_by_the_rule_of_its_period_and_recorded_once() -> None:
    e = employee()
    eid = e.record_appraisal(
        ENV,
        period=parse_period("2025"),
        hasil_kerja=A,
        perilaku_kerja=B,
        appraiser=OTHER,
        appraiser_known=True,
    )
    recorded = e.appraisals[eid]
    assert (recorded["predikat"], recorded["rule_version"], recorded["effective_date"]) == (
        "KURANG",
        "predikat/2022.1",
        "2025-12-31",
    )
    with pytest.raises(PeriodAlreadyAppraised, match="period 2025 is already appraised"):
        e.record_appraisal(
            ENV,
            period=parse_period("2025"),
            hasil_kerja=S,
            perilaku_kerja=S,
            appraiser=OTHER,
            appraiser_known=True,
        )


def test_appraisal_problems_are_all_named() -> None:
    e = employee()
    assert e.appraisal_problems(parse_period("2026-04..2026-05"), NIP, True, ENV.today) == [
        FieldError("appraiser_nip", "an employee cannot appraise themselves"),
        FieldError("period", "has not started yet"),
    ]
    # 2021 is appraised under PP 30/2019 (kinerja/2021.1); before 2014 no rule applies.
    assert e.appraisal_problems(parse_period("2021"), OTHER, False, ENV.today) == [
        FieldError("appraiser_nip", "unknown NIP"),
    ]
    assert e.appraisal_problems(parse_period("2013"), OTHER, True, ENV.today) == [
        FieldError(
            "period", "no rule version in force then; the earliest (prestasi/2014.1) applies from 2014-01-01"
        ),
    ]


def test_a_correction_rerates_and_names_the_appraisal() -> None:
    e = employee()
    eid = e.record_appraisal(
        ENV,
        period=parse_period("2025"),
        hasil_kerja=B,
        perilaku_kerja=B,
        appraiser=OTHER,
        appraiser_known=True,
    )
    with pytest.raises(NotFound):
        e.correct_appraisal(ENV, "nope:1", reason="typo", hasil_kerja=A, perilaku_kerja=None)
    with pytest.raises(ValidationFailed) as err:
        e.correct_appraisal(ENV, eid, reason="typo", hasil_kerja=None, perilaku_kerja=None)
    assert problems(err) == [("hasil_kerja", "give hasil_kerja, perilaku_kerja or both")]
    cid = e.correct_appraisal(ENV, eid, reason="typo", hasil_kerja=A, perilaku_kerja=None)
    assert e.appraisals[eid]["predikat"] == "KURANG" and e.appraisals[eid]["corrections"] == [cid]


def test_citizen_feedback_only_comes_through_a_survey() -> None:
    e = employee()
    with pytest.raises(ValidationFailed) as err:
        e.receive_feedback(ENV, source=FeedbackSource.CITIZEN, score=3, comment=None)
    assert problems(err) == [("source", "citizen feedback comes through the public survey")]
    e.receive_feedback(ENV, source=FeedbackSource.PEER, score=3, comment=None)
    assert e.feedback_count == {"PEER": 1}


def test_an_award_is_flagged_not_refused_and_revoked_once() -> None:
    e = employee(date(2020, 1, 1))
    eid = e.grant_award(
        ENV,
        award_type=AwardType.SATYALANCANA_KARYA_SATYA_10,
        reason="10 tahun",
        decree_number="SK-1",
        decree_date=date(2026, 1, 5),
    )
    assert e.awards[eid]["eligible"] is False
    assert len(e.awards[eid]["ineligibility"]) == 1
    with pytest.raises(ValidationFailed) as err:
        e.revoke_award(ENV, eid, reason="salah", decree_number="SK-2", decree_date=date(2026, 1, 4))
    assert problems(err) == [("decree_date", "before the award's own decree")]
    e.revoke_award(ENV, eid, reason="salah", decree_number="SK-2", decree_date=None)
    with pytest.raises(AlreadyEnded):
        e.revoke_award(ENV, eid, reason="lagi", decree_number="SK-3", decree_date=None)


def test_training_dates_and_hours_are_bounded_by_the_rule() -> None:
    e = employee(date(2020, 1, 1))
    with pytest.raises(ValidationFailed) as err:
        e.complete_training(
            ENV, title="Diklat", hours_jp=Decimal("1001"), completed_on=date(2019, 12, 31), provider="BKPSDM"
        )
    assert [f for f, _ in problems(err)] == ["completed_on", "hours_jp"]
    e.complete_training(
        ENV, title="Diklat", hours_jp=Decimal("20"), completed_on=date(2026, 1, 2), provider="X"
    )
    assert e.training_jp == {"2026": "20"}


def sanction(e: Employee, penalty: PenaltyCode = PenaltyCode.POTONGAN_TUKIN_6) -> str:
    return e.impose_sanction(
        ENV,
        violations=[{"description": "a", "level": "RINGAN"}, {"description": "b", "level": "SEDANG"}],
        penalty=penalty,
        decided_by_role=DecidingRole.PPK,
        decided_by_nip=None,
        decided_by_name="Wali Kota",
        decree_number="SK-9",
        decided_on=date(2026, 1, 10),
        effective_date=None,
        summoned_on=[],
        examined_on=None,
        bap_number=None,
        evidence=[],
    )


def test_a_sanction_takes_the_heaviest_violation_and_runs_its_duration() -> None:
    e = employee()
    sid = sanction(e)
    s = e.sanctions[sid]
    assert (s["level"], s["in_force_until"], s["rule_version"]) == ("SEDANG", "2026-07-10", "disiplin/2021.1")


def test_a_sanction_cannot_take_effect_before_its_decision() -> None:
    today = date(2026, 3, 2)
    assert Employee.sanction_problems(date(2026, 1, 10), date(2026, 1, 9), today) == [
        FieldError("effective_date", "a penalty cannot take effect before it is decided")
    ]
    assert Employee.sanction_problems(date(2026, 1, 10), date(2026, 1, 10), today) == []


def test_a_sanction_ends_once_and_an_appeal_is_decided_once() -> None:
    e = employee()
    sid = sanction(e)
    aid = e.file_appeal(ENV, sid, kind=AppealKind.KEBERATAN, filed_on=date(2026, 1, 20))
    with pytest.raises(ValidationFailed) as err:
        e.decide_appeal(
            ENV,
            sid,
            aid,
            outcome=AppealOutcome.MODIFIED,
            decided_on=date(2026, 2, 1),
            decree_number="SK-10",
            new_penalty=None,
        )
    assert problems(err) == [("new_penalty", "required when the outcome is MODIFIED")]
    e.decide_appeal(
        ENV,
        sid,
        aid,
        outcome=AppealOutcome.MODIFIED,
        decided_on=date(2026, 2, 1),
        decree_number="SK-10",
        new_penalty=PenaltyCode.TEGURAN_TERTULIS,
    )
    assert (e.sanctions[sid]["status"], e.sanctions[sid]["level"]) == ("MODIFIED", "RINGAN")
    with pytest.raises(AlreadyDecided):
        e.appeal(sid, aid)
    e.revoke_sanction(ENV, sid, reason="dicabut", decree_number="SK-11", decided_on=None)
    with pytest.raises(AlreadyEnded, match="REVOKED"):
        e.revoke_sanction(ENV, sid, reason="lagi", decree_number="SK-12", decided_on=None)


def test_a_badge_code_names_one_officer_of_a_unit() -> None:
    unit = ServiceUnit.register(ENV, code="PKM-1", name="Puskesmas", agency="DINKES")
    unit.assign_officer(ENV, officer_code="P-07", employee_id="a")
    unit.assign_officer(ENV, officer_code="P-07", employee_id="a")  # the holder again: fine
    with pytest.raises(OfficerCodeTaken):
        unit.assign_officer(ENV, officer_code="P-07", employee_id="b")
    assert unit.officer_of("P-07") == "a" and unit.officer_of(7) is None


def test_a_survey_naming_an_officer_is_recorded_on_both() -> None:
    unit = ServiceUnit.register(ENV, code="PKM-1", name="Puskesmas", agency="DINKES")
    officer = employee()
    unit.assign_officer(ENV, officer_code="P-07", employee_id=str(officer.id))
    answers: dict[str, object] = {f"U{i}": 4 for i in range(1, 10)}
    with pytest.raises(ValidationFailed) as err:
        unit.receive_survey(ENV, answers=answers, comment=None, officer_code="P-08", officer=None)
    assert problems(err) == [("officer_code", "no officer with this code serves this unit")]
    eid = unit.receive_survey(ENV, answers=answers, comment="ok", officer_code="P-07", officer=officer)
    survey = unit.pending_events[-1]
    feedback = officer.pending_events[-1]
    assert survey.officer_feedback_event_id == feedback.event_id  # type: ignore[attr-defined]
    assert feedback.survey_event_id == eid  # type: ignore[attr-defined]
    assert officer.feedback_count == {"CITIZEN": 1} and unit.responses == 1


def test_an_agency_is_rated_once_a_year() -> None:
    agency = Agency.register(ENV, code="DINKES", name="Dinas Kesehatan")
    agency.rate(ENV, year=2025, predikat_organisasi=PredikatOrganisasi.BAIK)
    with pytest.raises(AlreadyRated):
        agency.rate(ENV, year=2025, predikat_organisasi=PredikatOrganisasi.ISTIMEWA)
    assert agency.ratings == {"2025": "BAIK"}


def test_a_programme_joins_two_agencies_and_each_employee_once() -> None:
    with pytest.raises(ValidationFailed):
        Program.launch(ENV, code="UKS", name="UKS", agencies=["DINKES", "DINKES"])
    program = Program.launch(ENV, code="UKS", name="UKS", agencies=["DINKES", "DISDIK", "DINKES"])
    assert program.agencies == ["DINKES", "DISDIK"]
    with pytest.raises(ValidationFailed) as err:
        program.add_participant(ENV, nip=NIP.value, agency="BAPPEDA", role="anggota")
    assert problems(err) == [("nip", "the employee's agency BAPPEDA is not in this program")]
    program.add_participant(ENV, nip=NIP.value, agency="DINKES", role="anggota")
    with pytest.raises(AlreadyParticipating):
        program.add_participant(ENV, nip=NIP.value, agency="DINKES", role="ketua")

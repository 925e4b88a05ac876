"""Commands through the application service: validation, conflicts, nothing half-written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from ledger.application import CommandContext, KinerjaLedger
from ledger.domain.envelope import Actor
from ledger.errors import Conflict, IdempotencyMismatch, NotFound, PreconditionFailed, ValidationFailed
from ledger.nip import parse_nip, stream_id
from ledger.period import parse_period
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_agency, seed_basic, seed_employee


def stored(app: KinerjaLedger) -> list[tuple[object, ...]]:
    """Every stored event, to prove a refused command wrote nothing."""
    return [
        (n.id, n.originator_id, n.originator_version, n.state)
        for n in app.recorder.select_notifications(None, 10_000)
    ]


@pytest.mark.parametrize(
    ("nip", "reason"),
    [
        ("19850315201001100", "exactly 18 digits"),
        ("1985031520100110021", "exactly 18 digits"),
        ("19850315201001100a", "exactly 18 digits"),
        ("198502302010011002", "birth date"),
        ("198503152010131002", "TMT month"),
        ("198503152010013002", "sex"),
        ("198503152000011002", "at least 18 years"),
    ],
)
def test_nip_structure(nip: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_nip(nip)


def test_nip_parts() -> None:
    nip = parse_nip(NIP_BUDI)
    assert (nip.birth_date, nip.tmt, nip.sex, nip.serial) == (date(1985, 3, 15), date(2010, 1, 1), 1, "002")
    assert stream_id("employee", NIP_BUDI) == stream_id("employee", NIP_BUDI)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2026", True),
        ("2026-01..2026-03", True),
        ("2026-04..2026-04", True),
        ("2026-03..2026-01", False),
        ("2025-11..2026-02", False),
        ("2026-00..2026-03", False),
        ("2026-01..2026-13", False),
        ("26", False),
        ("2026-01", False),
    ],
)
def test_periods(text: str, ok: bool) -> None:
    if ok:
        assert parse_period(text).text == text
    else:
        with pytest.raises(ValueError):
            parse_period(text)


def test_period_end_is_the_effective_date(app: KinerjaLedger) -> None:
    seed_basic(app)
    result = app.record_appraisal(
        HR,
        NIP_BUDI,
        period="2025-01..2025-02",
        hasil_kerja="SESUAI_EKSPEKTASI",
        perilaku_kerja="SESUAI_EKSPEKTASI",
        appraiser_nip=NIP_SARI,
    )
    assert app.employee(NIP_BUDI).appraisals[result.event_id]["effective_date"] == "2025-02-28"


def test_registration_defaults_service_start_to_tmt(app: KinerjaLedger) -> None:
    seed_basic(app)
    assert app.employee(NIP_BUDI).service_start_date == date(2010, 1, 1)


def test_unknown_agency_is_rejected(app: KinerjaLedger) -> None:
    seed_agency(app)
    before = stored(app)
    with pytest.raises(ValidationFailed) as err:
        seed_employee(app, agency="NOPE")
    assert [(e.field, e.reason) for e in err.value.errors] == [
        ("agency", "unknown agency code (register the agency first)")
    ]
    assert stored(app) == before


def test_duplicate_registration_is_a_conflict(app: KinerjaLedger) -> None:
    seed_basic(app)
    before = stored(app)
    with pytest.raises(Conflict, match=r"^this NIP is already registered$"):
        seed_employee(app, NIP_BUDI)
    with pytest.raises(Conflict, match=r"^this agency code is already registered$"):
        seed_agency(app)
    assert stored(app) == before


def test_duplicate_codes_are_conflicts_that_do_not_echo_the_code(app: KinerjaLedger) -> None:
    seed_agency(app)
    seed_agency(app, "DISDIK", "Dinas Pendidikan")
    app.register_service_unit(HR, code="PKM-BINJAI", name="Puskesmas Binjai", agency="DINKES")
    app.launch_program(HR, code="STUNTING", name="Cegah stunting", agencies=["DINKES", "DISDIK"])
    before = stored(app)
    with pytest.raises(Conflict, match=r"^this service unit code is already registered$"):
        app.register_service_unit(HR, code="PKM-BINJAI", name="Puskesmas Lain", agency="DINKES")
    with pytest.raises(Conflict, match=r"^this programme code is already registered$"):
        app.launch_program(HR, code="STUNTING", name="Lain", agencies=["DINKES", "DISDIK"])
    assert stored(app) == before


def test_repeated_and_overlapping_periods_are_conflicts(app: KinerjaLedger) -> None:
    seed_basic(app)
    args = {
        "hasil_kerja": "SESUAI_EKSPEKTASI",
        "perilaku_kerja": "SESUAI_EKSPEKTASI",
        "appraiser_nip": NIP_SARI,
    }
    app.record_appraisal(HR, NIP_BUDI, period="2025", **args)
    app.record_appraisal(HR, NIP_BUDI, period="2025-01..2025-06", **args)
    before = stored(app)
    for period, held in (("2025", "2025"), ("2025-06..2025-12", "2025-01..2025-06")):
        with pytest.raises(Conflict) as conflict:
            app.record_appraisal(HR, NIP_BUDI, period=period, **args)
        assert conflict.value.detail == f"period {period} is already appraised ({held}); record a correction"
    assert stored(app) == before
    app.record_appraisal(HR, NIP_BUDI, period="2025-07..2025-12", **args)


def test_invalid_commands_write_nothing(app: KinerjaLedger) -> None:
    seed_basic(app)
    before = stored(app)
    attempts: list[tuple[str, Callable[[], object]]] = [
        ("hasil_kerja", lambda: app.record_appraisal(
            HR, NIP_BUDI, period="2025", hasil_kerja="GREAT", perilaku_kerja="SESUAI_EKSPEKTASI", appraiser_nip=NIP_SARI
        )),
        ("hours_jp", lambda: app.record_training(HR, NIP_BUDI, title="x", hours_jp=0, completed_on="2025-01-01", provider="p")),
        ("hours_jp", lambda: app.record_training(HR, NIP_BUDI, title="x", hours_jp=5000, completed_on="2025-01-01", provider="p")),
        ("completed_on", lambda: app.record_training(HR, NIP_BUDI, title="x", hours_jp=2, completed_on="2025-02-30", provider="p")),
        ("score", lambda: app.record_feedback(HR, NIP_BUDI, source="PEER", score=5)),
        ("award_type", lambda: app.grant_award(HR, NIP_BUDI, award_type="MEDAL", reason="r", decree_number="1", decree_date="2025-01-01")),
        ("penalty", lambda: app.impose_sanction(
            HR, NIP_BUDI, violation={"description": "x", "level": "RINGAN"}, penalty="CAMBUK",
            decided_by_role="PPK", decided_by_name="Wali Kota", decree_number="1", decided_on="2025-01-01",
        )),
        ("agency", lambda: app.transfer_employee(HR, NIP_BUDI, agency="NOPE", position="x", effective_date="2025-01-01")),
    ]  # fmt: skip
    for field, attempt in attempts:
        with pytest.raises(ValidationFailed) as err:
            attempt()
        assert [e.field for e in err.value.errors] == [field]
    with pytest.raises(NotFound, match=r"^unknown employee NIP 199001012015011001$"):
        app.record_feedback(HR, "199001012015011001", source="PEER", score=3)
    assert stored(app) == before


def test_validation_names_every_bad_field(app: KinerjaLedger) -> None:
    seed_basic(app)
    with pytest.raises(ValidationFailed) as err:
        app.record_appraisal(
            HR, NIP_BUDI, period="2025-05..2025-01", hasil_kerja="X", perilaku_kerja="Y", appraiser_nip="1"
        )
    assert {e.field for e in err.value.errors} == {"period", "hasil_kerja", "perilaku_kerja", "appraiser_nip"}


def test_correction_recomputes_predikat_and_keeps_history(app: KinerjaLedger) -> None:
    seed_basic(app)
    first = app.record_appraisal(
        HR, NIP_BUDI, period="2025", hasil_kerja="SESUAI_EKSPEKTASI",
        perilaku_kerja="DI_BAWAH_EKSPEKTASI", appraiser_nip=NIP_SARI,
    )  # fmt: skip
    assert first.extra["predikat"] == "KURANG"
    fix = app.correct_appraisal(
        HR, NIP_BUDI, first.event_id, perilaku_kerja="DI_ATAS_EKSPEKTASI", reason="salah input"
    )
    assert fix.extra["predikat"] == "BAIK"
    appraisal = app.employee(NIP_BUDI).appraisals[first.event_id]
    assert appraisal["predikat"] == "BAIK" and appraisal["corrections"] == [fix.event_id]
    assert app.employee(NIP_BUDI, version=first.version).appraisals[first.event_id]["predikat"] == "KURANG"
    missing = f"{first.event_id[:-2]}:9"
    with pytest.raises(NotFound, match=f"^unknown appraisal {missing} for this employee$"):
        app.correct_appraisal(HR, NIP_BUDI, missing, hasil_kerja="SESUAI_EKSPEKTASI", reason="x")


def test_if_match_and_idempotency(app: KinerjaLedger) -> None:
    seed_basic(app)
    version = app.employee(NIP_BUDI).version
    stale = CommandContext(Actor("hr", "hr"), expected_version=version + 5)
    with pytest.raises(
        PreconditionFailed, match=f"^If-Match expected version {version + 5}, current is {version}$"
    ):
        app.record_feedback(stale, NIP_BUDI, source="PEER", score=3)
    ok = CommandContext(Actor("hr", "hr"), expected_version=version)
    assert app.record_feedback(ok, NIP_BUDI, source="PEER", score=3).version == version + 1

    key = CommandContext(Actor("hr", "hr"), idempotency_key="k-1", fingerprint="body-1")
    first = app.record_feedback(key, NIP_BUDI, source="PEER", score=4)
    before = stored(app)
    again = app.record_feedback(key, NIP_BUDI, source="PEER", score=4)
    assert again.as_dict() == first.as_dict() and again.replayed
    assert stored(app) == before
    other = CommandContext(Actor("hr", "hr"), idempotency_key="k-1", fingerprint="body-2")
    with pytest.raises(
        IdempotencyMismatch, match=r"^this Idempotency-Key was already used for a different request$"
    ):
        app.record_feedback(other, NIP_BUDI, source="PEER", score=1)
    assert stored(app) == before


def test_survey_naming_an_officer_is_one_transaction(app: KinerjaLedger) -> None:
    seed_basic(app)
    app.register_service_unit(HR, code="PKM-BINJAI-KOTA", name="Puskesmas Binjai Kota", agency="DINKES")
    app.assign_to_service_unit(HR, NIP_BUDI, service_unit="PKM-BINJAI-KOTA", officer_code="DK-0142")
    answers = {f"U{i}": 4 for i in range(1, 10)}
    citizen = CommandContext(Actor("anonymous", "citizen"))
    result = app.submit_survey(
        citizen, service_unit="PKM-BINJAI-KOTA", officer_code="DK-0142", answers=answers
    )
    notes = app.recorder.select_notifications(result.position, 5)
    assert [n.topic.rsplit(".", 1)[1] for n in notes] == ["SurveyResponseReceived", "FeedbackReceived"]
    assert app.employee(NIP_BUDI).feedback_count == {"CITIZEN": 1}
    before = stored(app)
    with pytest.raises(ValidationFailed) as err:
        app.submit_survey(citizen, service_unit="PKM-BINJAI-KOTA", officer_code="DK-9999", answers=answers)
    assert [(e.field, e.reason) for e in err.value.errors] == [
        ("officer_code", "no officer with this code serves this unit")
    ]
    with pytest.raises(ValidationFailed) as err:
        app.submit_survey(citizen, service_unit="NOPE", answers=answers)
    assert [(e.field, e.reason) for e in err.value.errors] == [("service_unit", "unknown service unit")]
    with pytest.raises(ValidationFailed) as err:
        app.submit_survey(citizen, service_unit="PKM-BINJAI-KOTA", answers={**answers, "U9": 5})
    assert [(e.field, e.reason) for e in err.value.errors] == [("answers.U9", "must be between 1 and 4")]
    assert stored(app) == before


def test_award_flagged_not_refused(app: KinerjaLedger) -> None:
    seed_basic(app)
    sanction = app.impose_sanction(
        HR, NIP_BUDI, violation={"description": "mangkir 12 hari", "level": "SEDANG", "absence_days": 12},
        penalty="POTONGAN_TUKIN_6", decided_by_role="PPK", decided_by_name="Wali Kota Binjai",
        decree_number="800/12/2025", decided_on="2025-03-01",
    )  # fmt: skip
    award = app.grant_award(
        HR, NIP_BUDI, award_type="KENAIKAN_PANGKAT_ISTIMEWA", reason="inovasi",
        decree_number="SK-1", decree_date="2025-05-01",
    )  # fmt: skip
    assert award.extra["eligible"] is False
    assert award.extra["ineligibility"][0]["event_ids"] == [sanction.event_id]
    later = app.grant_award(
        HR, NIP_BUDI, award_type="KENAIKAN_PANGKAT_ISTIMEWA", reason="inovasi",
        decree_number="SK-2", decree_date="2025-10-01",
    )  # fmt: skip
    assert later.extra["eligible"] is True
    satya = app.grant_award(
        HR, NIP_BUDI, award_type="SATYALANCANA_KARYA_SATYA_10", reason="10 tahun",
        decree_number="SK-3", decree_date="2025-10-01",
    )  # fmt: skip
    assert satya.extra["eligible"] is False  # imposed within the ten counted years


def test_a_result_counts_the_events_its_command_appended(app: KinerjaLedger) -> None:
    # /metrics adds these up; a replay appends nothing.
    seed_basic(app)
    app.register_service_unit(HR, code="PKM-A", name="Puskesmas A", agency="DINKES")
    assigned = app.assign_to_service_unit(HR, NIP_BUDI, service_unit="PKM-A", officer_code="PRW-1")
    assert assigned.appended == 2  # the unit's officer code and the employee's assignment
    survey = app.submit_survey(
        HR, service_unit="PKM-A", officer_code="PRW-1", answers={f"U{i}": 3 for i in range(1, 10)}
    )
    assert survey.appended == 2  # on the unit and on the officer
    ctx = CommandContext(HR.actor, idempotency_key="k-1", fingerprint="f")
    first = app.record_feedback(ctx, NIP_BUDI, source="PEER", score=3)
    again = app.record_feedback(ctx, NIP_BUDI, source="PEER", score=3)
    assert (first.appended, again.appended, again.replayed) == (1, 0, True)

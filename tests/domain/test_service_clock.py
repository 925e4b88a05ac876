"""The service clock on the Employee aggregate, without a store: the CPNS start from the NIP,
PNS-only awards, CLTN and suspension periods, the end of service and the retirement age."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ledger.domain.employee import Employee
from ledger.domain.employee_service import SUSPENSION
from ledger.domain.envelope import Actor, Envelope
from ledger.errors import AlreadyEnded, NotFound, ValidationFailed
from ledger.nip import parse_nip
from ledger.period import parse_period
from ledger.rules import RETIREMENT_RULES, TRAINING_RULES, PostCategory
from ledger.vocabulary import AwardType, LeaveType, Rating, ServiceEndReason

NIP = parse_nip("198503152010011002")  # born 1985-03-15, TMT 2010-01
OLD = parse_nip("196104191993042119")  # born 1961-04-19, TMT 1993-04
OTHER = parse_nip("199001012015011003")
ENV = Envelope(datetime(2026, 3, 2, 2, 0, tzinfo=UTC), date(2026, 3, 2), Actor("hr-1", "hr"), "corr-1")
SLKS10 = AwardType.SATYALANCANA_KARYA_SATYA_10
PNS_ONLY_SLKS = (
    "Satyalancana Karya Satya hanya untuk PNS; pegawai ini PPPK "
    "(Satyalancana Karya Satya is for PNS only; this employee is PPPK)"
)


def employee(
    employment_type: str = "PNS", nip: object = NIP, position: str = "Perawat", start: date | None = None
) -> Employee:
    return Employee.enrol(
        ENV,
        nip=nip,  # type: ignore[arg-type]
        name="Budi Santoso",
        agency="DINKES",
        position=position,
        grade="III/b",
        employment_type=employment_type,
        service_start_date=start,
    )


def problems(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[tuple[str, str]]:
    return [(e.field, e.reason) for e in exc.value.errors]


def award(e: Employee, award_type: AwardType = SLKS10, on: date = date(2026, 1, 15)) -> dict[str, object]:
    eid = e.grant_award(ENV, award_type=award_type, reason="r", decree_number="SK 1", decree_date=on)
    return e.awards[eid]


def leave(e: Employee, start: date, end: date | None = None) -> str:
    lid = e.start_leave(
        ENV, leave_type=LeaveType.CLTN, started_on=start, reason="r", decree_number="SK", decree_date=start
    )
    if end is not None:
        e.end_leave(ENV, lid, ended_on=end, decree_number="SK", decree_date=end)
    return lid


def suspension(e: Employee, start: date, end: date | None = None) -> str:
    sid = e.suspend(ENV, started_on=start, reason="r", decree_number="SK", decree_date=start)
    if end is not None:
        e.end_suspension(ENV, sid, ended_on=end, decree_number="SK", decree_date=end)
    return sid


def end(e: Employee, on: date, reason: ServiceEndReason = ServiceEndReason.MENGUNDURKAN_DIRI) -> str:
    return e.end_service(ENV, reason=reason, ended_on=on, decree_number="SK end", decree_date=on)


# ------------------------------------------------------------------ the CPNS start (defect 4)


def test_the_service_start_may_not_precede_the_tmt_month_in_the_nip() -> None:
    with pytest.raises(ValidationFailed) as err:
        employee(start=date(2009, 12, 31))
    assert problems(err) == [("service_start_date", "before the TMT month in the NIP (2010-01-01)")]
    assert employee(start=date(2010, 1, 1)).service_start_date == date(2010, 1, 1)
    assert employee().service_start_date == date(2010, 1, 1)


# ------------------------------------------------------------------ PNS and PPPK (defect 3)


def test_a_pppks_satyalancana_is_recorded_and_flagged_for_pns_only() -> None:
    e = employee("PPPK")
    recorded = award(e)
    assert recorded["eligible"] is False
    assert recorded["ineligibility"] == [{"reason": PNS_ONLY_SLKS, "event_ids": [e.registered_event_id]}]
    assert award(employee("PNS"))["eligible"] is True


@pytest.mark.parametrize(
    "award_type", [AwardType.SATYALANCANA_KARYA_SATYA_20, AwardType.SATYALANCANA_KARYA_SATYA_30]
)
def test_every_satyalancana_class_is_pns_only(award_type: AwardType) -> None:
    e = employee("PPPK")
    assert award(e, award_type)["ineligibility"][0] == {  # type: ignore[index]
        "reason": PNS_ONLY_SLKS,
        "event_ids": [e.registered_event_id],
    }


def test_a_pppks_special_promotion_is_flagged_for_want_of_a_pangkat() -> None:
    e = employee("PPPK")
    assert award(e, AwardType.KENAIKAN_PANGKAT_ISTIMEWA)["ineligibility"] == [
        {
            "reason": "kenaikan pangkat istimewa memerlukan pangkat; PPPK tidak berpangkat "
            "(a special promotion needs a pangkat: PNS only; this employee is PPPK)",
            "event_ids": [e.registered_event_id],
        }
    ]
    assert award(employee("PNS"), AwardType.KENAIKAN_PANGKAT_ISTIMEWA)["eligible"] is True
    assert award(employee("PPPK"), AwardType.PIAGAM_INOVASI)["eligible"] is True


def test_the_twenty_jp_minimum_binds_pns_only() -> None:
    rule = TRAINING_RULES.in_force(date(2026, 1, 1))
    assert (rule.binds("PNS"), rule.binds("PPPK")) == (True, False)


# ------------------------------------------------------------------ counted service


def test_cltn_is_not_counted_towards_the_satyalancana() -> None:
    e = employee()  # service from 2010-01-01
    lid = leave(e, date(2012, 1, 1), date(2013, 1, 1))  # 366 days out
    early = award(e, on=date(2020, 6, 1))
    assert early["ineligibility"] == [
        {
            "reason": "masa kerja 9 tahun, kurang dari 10 tahun; 366 hari CLTN/pemberhentian "
            "sementara tidak dihitung (counted service 9 years, 10 required; 366 days of CLTN or "
            "suspension are not counted)",
            "event_ids": [lid],
        }
    ]
    # 2010-01-01 + 366 days = 2011-01-02: ten counted years on 2021-01-02, not the day before.
    assert award(e, on=date(2021, 1, 1))["eligible"] is False
    assert award(e, on=date(2021, 1, 2))["eligible"] is True


def test_an_open_suspension_is_left_out_up_to_the_decree_date() -> None:
    e = employee()
    sid = suspension(e, date(2019, 12, 1))  # not ended: 45 days to 2020-01-15
    recorded = award(e, on=date(2020, 1, 15))
    assert recorded["ineligibility"] == [
        {
            "reason": "masa kerja 9 tahun, kurang dari 10 tahun; 45 hari CLTN/pemberhentian "
            "sementara tidak dihitung (counted service 9 years, 10 required; 45 days of CLTN or "
            "suspension are not counted)",
            "event_ids": [sid],
        }
    ]


def test_a_break_after_the_decree_date_is_not_counted_against_it() -> None:
    e = employee()
    leave(e, date(2021, 1, 1), date(2021, 6, 1))
    assert award(e, on=date(2020, 1, 1))["eligible"] is True


def test_without_breaks_the_reason_is_the_plain_years() -> None:
    assert award(employee(), on=date(2019, 12, 31))["ineligibility"] == [
        {"reason": "masa kerja 9 tahun, kurang dari 10 tahun (service 9 years, 10 required)", "event_ids": []}
    ]


# ------------------------------------------------------------------ periods: what is refused


def test_a_leave_is_bounded_by_today_and_the_service_start() -> None:
    e = employee()
    with pytest.raises(ValidationFailed) as err:
        leave(e, date(2026, 3, 3))
    assert problems(err) == [("started_on", "in the future"), ("decree_date", "in the future")]
    with pytest.raises(ValidationFailed) as err:
        suspension(e, date(2009, 12, 31))
    assert problems(err) == [("started_on", "before the employee's service start date")]
    assert e.pending_events[-1].__class__ is Employee.EmployeeRegistered  # nothing half-written


def test_periods_never_overlap() -> None:
    e = employee()
    lid = leave(e, date(2015, 1, 1))
    with pytest.raises(ValidationFailed) as err:
        suspension(e, date(2016, 1, 1))
    assert problems(err) == [("started_on", f"CLTN {lid} from 2015-01-01 has not ended")]
    e.end_leave(ENV, lid, ended_on=date(2016, 1, 1), decree_number="SK", decree_date=date(2016, 1, 1))
    with pytest.raises(ValidationFailed) as err:
        suspension(e, date(2015, 12, 31))
    assert problems(err) == [("started_on", f"within CLTN {lid} (2015-01-01 to 2016-01-01)")]
    sid = suspension(e, date(2016, 1, 1))  # the day back is free
    e.end_suspension(ENV, sid, ended_on=date(2016, 2, 1), decree_number="SK", decree_date=date(2016, 2, 1))
    # An earlier period, recorded later, may not run into the later ones.
    early = leave(e, date(2014, 1, 1))
    with pytest.raises(ValidationFailed) as err:
        e.end_leave(ENV, early, ended_on=date(2015, 6, 1), decree_number="SK", decree_date=date(2015, 6, 1))
    assert problems(err) == [("ended_on", f"overlaps CLTN {lid} from 2015-01-01")]
    with pytest.raises(ValidationFailed) as err:
        e.end_leave(ENV, early, ended_on=date(2014, 1, 1), decree_number="SK", decree_date=date(2014, 1, 1))
    assert problems(err) == [("ended_on", "must be after the start (2014-01-01)")]
    e.end_leave(ENV, early, ended_on=date(2015, 1, 1), decree_number="SK", decree_date=date(2015, 1, 1))


def test_a_period_ends_once_and_only_through_its_own_kind() -> None:
    e = employee()
    lid = leave(e, date(2015, 1, 1), date(2015, 2, 1))
    with pytest.raises(AlreadyEnded) as ended:
        e.end_leave(ENV, lid, ended_on=date(2015, 3, 1), decree_number="SK", decree_date=date(2015, 3, 1))
    assert ended.value.detail == f"leave {lid} has already ended (2015-02-01)"
    with pytest.raises(NotFound) as missing:
        e.end_suspension(
            ENV, lid, ended_on=date(2015, 3, 1), decree_number="SK", decree_date=date(2015, 3, 1)
        )
    assert missing.value.detail == f"unknown suspension {lid} for this employee"
    assert e.open_period  # the helper exists for both kinds
    with pytest.raises(NotFound):
        e.open_period("nope", SUSPENSION)


def test_nothing_of_the_clock_after_the_end_of_service() -> None:
    e = employee()
    lid = leave(e, date(2020, 1, 1))
    end(e, date(2021, 1, 1))  # ends while on CLTN: the leave runs to the end of service
    with pytest.raises(ValidationFailed) as err:
        e.end_leave(ENV, lid, ended_on=date(2021, 2, 1), decree_number="SK", decree_date=date(2021, 2, 1))
    assert problems(err) == [("ended_on", "after the end of service (2021-01-01)")]
    with pytest.raises(ValidationFailed) as err:
        e.suspend(
            ENV, started_on=date(2021, 1, 1), reason="r", decree_number="SK", decree_date=date(2021, 1, 1)
        )
    assert problems(err) == [
        ("started_on", "on or after the end of service (2021-01-01)"),
        ("started_on", f"CLTN {lid} from 2020-01-01 has not ended"),
    ]
    with pytest.raises(AlreadyEnded) as again:
        end(e, date(2021, 1, 1))
    assert (
        again.value.detail == f"the service already ended on 2021-01-01 ({e.clock_state()['end']['end_id']})"
    )
    # The leave may close on the last day: the end of service itself.
    e.end_leave(ENV, lid, ended_on=date(2021, 1, 1), decree_number="SK", decree_date=date(2021, 1, 1))


def test_the_end_of_service_may_not_cut_into_recorded_periods() -> None:
    e = employee()
    lid = leave(e, date(2015, 1, 1), date(2016, 1, 1))
    sid = suspension(e, date(2018, 1, 1), date(2018, 2, 1))
    with pytest.raises(ValidationFailed) as err:
        end(e, date(2015, 6, 1))
    assert problems(err) == [
        ("ended_on", f"before the end of CLTN {lid} (2016-01-01)"),
        ("ended_on", f"on or before the start of suspension {sid} (2018-01-01)"),
    ]
    with pytest.raises(ValidationFailed) as err:
        end(e, date(2009, 12, 1))
    assert problems(err)[0] == ("ended_on", "before the employee's service start date")
    with pytest.raises(ValidationFailed) as err:
        e.end_service(
            ENV,
            reason=ServiceEndReason.PENSIUN_BUP,
            ended_on=date(2026, 3, 3),
            decree_number="SK",
            decree_date=date(2026, 3, 3),
        )
    assert problems(err) == [("ended_on", "in the future"), ("decree_date", "in the future")]


def test_only_a_pppk_leaves_at_the_end_of_the_work_agreement() -> None:
    with pytest.raises(ValidationFailed) as err:
        end(employee("PNS"), date(2025, 1, 1), ServiceEndReason.PERJANJIAN_KERJA_BERAKHIR)
    assert problems(err) == [("reason", "only a PPPK's service ends with the work agreement")]
    e = employee("PPPK")
    end(e, date(2025, 1, 1), ServiceEndReason.PERJANJIAN_KERJA_BERAKHIR)
    assert e.clock_state()["end"]["reason"] == "PERJANJIAN_KERJA_BERAKHIR"


# ------------------------------------------------------------------ after the end; retirement age


def test_an_award_dated_after_the_end_of_service_is_flagged() -> None:
    e = employee()
    end_id = end(e, date(2025, 1, 1))
    assert award(e, AwardType.PIAGAM_INOVASI, date(2025, 1, 1))["ineligibility"] == [
        {
            "reason": "diberikan setelah masa dinas berakhir pada 2025-01-01 "
            "(decree dated on or after the end of service on 2025-01-01)",
            "event_ids": [end_id],
        }
    ]
    assert award(e, AwardType.PIAGAM_INOVASI, date(2024, 12, 31))["eligible"] is True


def test_counted_service_stops_at_the_end_of_service() -> None:
    e = employee()
    end(e, date(2019, 6, 1))
    assert [i["reason"] for i in award(e, on=date(2021, 1, 1))["ineligibility"]] == [  # type: ignore[union-attr]
        (
            "diberikan setelah masa dinas berakhir pada 2019-06-01 "
            "(decree dated on or after the end of service on 2019-06-01)"
        ),
        "masa kerja 9 tahun, kurang dari 10 tahun (service 9 years, 10 required)",
    ]


def test_appraisals_awards_and_training_after_the_end_of_service_are_flagged() -> None:
    e = employee()
    end(e, date(2025, 7, 1))
    kept = e.record_appraisal(
        ENV,
        period=parse_period("2025-01..2025-06"),
        hasil_kerja=Rating.SESUAI_EKSPEKTASI,
        perilaku_kerja=Rating.SESUAI_EKSPEKTASI,
        appraiser=OTHER,
        appraiser_known=True,
    )
    late = e.record_appraisal(
        ENV,
        period=parse_period("2025-07..2025-12"),
        hasil_kerja=Rating.SESUAI_EKSPEKTASI,
        perilaku_kerja=Rating.SESUAI_EKSPEKTASI,
        appraiser=OTHER,
        appraiser_known=True,
    )
    trained = e.complete_training(
        ENV, title="t", hours_jp=Decimal(4), completed_on=date(2025, 7, 1), provider="p"
    )
    e.complete_training(ENV, title="t", hours_jp=Decimal(4), completed_on=date(2025, 6, 30), provider="p")
    awarded = award(e, AwardType.INSENTIF, date(2025, 8, 1))["award_id"]
    after = "on or after the end of service on 2025-07-01"
    assert kept not in {f["event_id"] for f in e.service_flags(date(2026, 3, 2))}
    assert e.service_flags(date(2026, 3, 2)) == [
        {"flag": "AFTER_SERVICE_END", "event_id": late, "reason": f"appraisal {after}"},
        {"flag": "AFTER_SERVICE_END", "event_id": awarded, "reason": f"award {after}"},
        {"flag": "AFTER_SERVICE_END", "event_id": trained, "reason": f"training {after}"},
    ]


@pytest.mark.parametrize(
    ("position", "category", "age"),
    [
        ("Pengadministrasi Umum", PostCategory.ADMINISTRASI_DAN_FUNGSIONAL, 58),
        ("Perawat Ahli Muda", PostCategory.ADMINISTRASI_DAN_FUNGSIONAL, 58),
        ("Sekretaris Dinas Kesehatan", PostCategory.ADMINISTRASI_DAN_FUNGSIONAL, 58),
        ("Kepala Subbagian Umum Badan Kepegawaian", PostCategory.ADMINISTRASI_DAN_FUNGSIONAL, 58),
        ("Dokter Ahli Madya", PostCategory.JPT_DAN_AHLI_MADYA, 60),
        ("Kepala  Dinas Kesehatan", PostCategory.JPT_DAN_AHLI_MADYA, 60),
        ("Sekretaris Daerah", PostCategory.JPT_DAN_AHLI_MADYA, 60),
        ("KEPALA BADAN Kepegawaian dan Pengembangan SDM", PostCategory.JPT_DAN_AHLI_MADYA, 60),
        ("Staf Ahli Wali Kota", PostCategory.JPT_DAN_AHLI_MADYA, 60),
        ("Sekretaris DPRD", PostCategory.JPT_DAN_AHLI_MADYA, 60),
        ("Inspektur Kota Binjai", PostCategory.JPT_DAN_AHLI_MADYA, 60),
        ("Inspektur Pembantu Wilayah I", PostCategory.ADMINISTRASI_DAN_FUNGSIONAL, 58),
        ("Asisten Pemerintahan dan Kesejahteraan Rakyat", PostCategory.JPT_DAN_AHLI_MADYA, 60),
        ("Kepala Satuan Polisi Pamong Praja", PostCategory.JPT_DAN_AHLI_MADYA, 60),
        ("Kepala Pelaksana BPBD", PostCategory.JPT_DAN_AHLI_MADYA, 60),
        ("Direktur RSUD Dr. R.M. Djoelham", PostCategory.JPT_DAN_AHLI_MADYA, 60),
        ("Camat Binjai Kota", PostCategory.ADMINISTRASI_DAN_FUNGSIONAL, 58),
        ("Perencana Ahli Utama", PostCategory.AHLI_UTAMA, 65),
        ("Peneliti Ahli Utamanya", PostCategory.ADMINISTRASI_DAN_FUNGSIONAL, 58),
    ],
)
def test_the_post_category_is_read_from_the_position_text(
    position: str, category: PostCategory, age: int
) -> None:
    rule = RETIREMENT_RULES.in_force(date(2026, 3, 2))
    assert (rule.category(position), rule.ages[rule.category(position)]) == (category, age)


def test_the_retirement_age_gives_the_birthday_and_the_first_day_of_the_next_month() -> None:
    rule = RETIREMENT_RULES.in_force(date(2026, 3, 2))
    r = rule.of(date(1961, 4, 19), "Pengadministrasi Umum")
    assert (r.age, r.reached_on, r.pension_from, r.rule_version) == (
        58,
        date(2019, 4, 19),
        date(2019, 5, 1),
        "bup/2017.1",
    )
    december = rule.of(date(1966, 12, 1), "Kepala Dinas Pendidikan")
    assert (december.reached_on, december.pension_from) == (date(2026, 12, 1), date(2027, 1, 1))
    leap = rule.of(date(1960, 2, 29), "Analis")
    assert (leap.reached_on, leap.pension_from) == (date(2018, 3, 1), date(2018, 4, 1))
    assert RETIREMENT_RULES.find(date(2017, 3, 29)) is None


def test_past_the_retirement_age_without_an_end_of_service_is_flagged() -> None:
    e = employee(nip=OLD, position="Pengadministrasi Umum")
    flag = {
        "flag": "PAST_BUP",
        "event_id": None,
        "reason": "melewati BUP 58 tahun pada 2019-04-19, belum ada pemberhentian (reached the "
        "retirement age of 58 on 2019-04-19; no end of service is recorded)",
    }
    assert e.service_flags(date(2019, 4, 30)) == []
    assert e.service_flags(date(2019, 5, 1)) == [flag]
    end(e, date(2019, 5, 1), ServiceEndReason.PENSIUN_BUP)
    assert e.service_flags(date(2026, 3, 2)) == []

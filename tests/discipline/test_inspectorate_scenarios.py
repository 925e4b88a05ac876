"""Inspectorate scenario table: decisions built through the application service, each with the
verdict and the failing checks an inspector expects (issue 6; docs/INSPECTORATE.md).

Every scenario has its own employee, so scenarios cannot influence each other; the table covers
each of the eight checks failing alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from unittest.mock import patch

import pytest

from ledger.application import KinerjaLedger
from ledger.discipline.inspection import inspect_sanction, verify_sanction
from ledger.discipline.model import CHECK_NAMES, CONSISTENT, INCONSISTENT
from ledger.domain.employee import Employee
from ledger.errors import FieldError
from tests.conftest import STORES, FakeClock, make_settings
from tests.factories import HR, NIP_SARI, nip_for, seed_agency, seed_employee

# Decision dates sit before the test clock's "today" (2026-03-02 WIB).
DECIDED = "2026-02-20"


class Case:
    """One employee with an appraisal for January 2026 (the default evidence), and helpers to
    record decisions about them."""

    counter = 0

    def __init__(self, app: KinerjaLedger, nip: str | None = None, **register: Any) -> None:
        Case.counter += 1
        self.i = Case.counter
        self.app = app
        self.nip = nip or nip_for(100 + self.i)
        app.register_employee(
            HR,
            nip=self.nip,
            name=f"Pegawai {self.i}",
            agency="DINKES",
            position="Pengadministrasi Umum",
            grade="II/c",
            employment_type="PNS",
            **register,
        )
        self.employee_id = str(Employee.create_id(self.nip))
        self.appraisal = self.appraise("2026-01..2026-01")
        self.decrees = 0

    def appraise(self, period: str) -> str:
        return self.app.record_appraisal(
            HR,
            self.nip,
            period=period,
            hasil_kerja="SESUAI_EKSPEKTASI",
            perilaku_kerja="DI_BAWAH_EKSPEKTASI",
            appraiser_nip=NIP_SARI,
        ).event_id

    def impose(self, **over: Any) -> str:
        self.decrees += 1
        kwargs: dict[str, Any] = {
            "violation": {"description": "Meninggalkan tugas tanpa izin atasan", "level": "RINGAN"},
            "penalty": "TEGURAN_TERTULIS",
            "decided_by_role": "KEPALA_OPD",
            "decided_by_name": "Kepala Dinas Kesehatan",
            "decree_number": f"800/{self.i}.{self.decrees}/SK-HD/2026",
            "decided_on": DECIDED,
            "summoned_on": "2026-02-10",
            "examined_on": "2026-02-13",
            "bap_number": f"BAP/{self.i}/2026",
            "evidence": [self.appraisal],
        }
        kwargs.update(over)
        return self.app.impose_sanction(HR, self.nip, **kwargs).event_id

    def appeal(
        self, sanction_id: str, kind: str, outcome: str | None = None, new_penalty: str | None = None
    ) -> str:
        appeal_id = self.app.file_appeal(HR, self.nip, sanction_id, kind=kind, filed_on="2026-02-24").event_id
        if outcome is not None:
            self.app.decide_appeal(
                HR,
                self.nip,
                sanction_id,
                appeal_id,
                outcome=outcome,
                decided_on="2026-02-27",
                decree_number=f"{kind}/{self.i}/2026",
                new_penalty=new_penalty,
            )
        return appeal_id


def seed_world(app: KinerjaLedger) -> None:
    seed_agency(app)
    seed_employee(app, NIP_SARI, name="Sari Dewi")


SEDANG_ABSENCE = {
    "description": "Tidak masuk kerja tanpa alasan yang sah",
    "level": "SEDANG",
    "absence_days": 12,
}
SEKDA = {"decided_by_role": "SEKDA", "decided_by_name": "Sekretaris Daerah Kota Binjai"}
PPK = {"decided_by_role": "PPK", "decided_by_name": "Wali Kota Binjai"}
BERAT = {"description": "Menyalahgunakan wewenang", "level": "BERAT"}


def dismissal(c: Case, **over: Any) -> str:
    return c.impose(violation=BERAT, penalty="PEMBERHENTIAN", **PPK, **over)


# ---------------------------------------------------------------------------------- builders


def ok_ringan(c: Case) -> str:
    return c.impose()


def ok_sedang_absence(c: Case) -> str:
    return c.impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_6", **SEKDA)


def ok_berat_by_ppk(c: Case) -> str:
    return c.impose(violation=BERAT, penalty="PENURUNAN_JABATAN", **PPK)


def ok_heaviest_of_several(c: Case) -> str:
    return c.impose(
        other_violations=[{"description": "Tidak melaporkan harta kekayaan", "level": "SEDANG"}],
        penalty="POTONGAN_TUKIN_9",
        **SEKDA,
    )


def ok_absence_with_heavier_violation(c: Case) -> str:
    return c.impose(
        violation={"description": "Tidak masuk kerja", "level": "RINGAN", "absence_days": 5},
        other_violations=[BERAT],
        penalty="PEMBEBASAN_JABATAN",
        **PPK,
    )


def ok_consecutive_absence_dismissal(c: Case) -> str:
    violation = {
        "description": "Tidak masuk kerja",
        "level": "BERAT",
        "absence_days": 10,
        "consecutive_absence_days": 10,
    }
    return c.impose(violation=violation, penalty="PEMBERHENTIAN", **PPK)


def ok_imported_history(c: Case) -> str:
    # Recorded today, effective in 2025: history imported before the decision counts.
    older = c.appraise("2025-01..2025-03")
    return c.impose(
        decided_on="2025-06-10",
        summoned_on=["2025-05-20", "2025-05-23"],
        examined_on="2025-05-27",
        evidence=[older],
    )


def fail1_penalty_above_level(c: Case) -> str:
    return c.impose(penalty="POTONGAN_TUKIN_6", **SEKDA)


def fail1_penalty_below_level(c: Case) -> str:
    return c.impose(violation=BERAT, penalty="TEGURAN_LISAN")


def fail2_absence_table(c: Case) -> str:
    return c.impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_9", **SEKDA)


def fail2_below_first_band(c: Case) -> str:
    violation = {"description": "Tidak masuk kerja", "level": "RINGAN", "absence_days": 2}
    return c.impose(violation=violation, penalty="TEGURAN_LISAN", decided_by_role="ATASAN_LANGSUNG")


def fail2_consecutive_absence_not_dismissed(c: Case) -> str:
    violation = {
        "description": "Tidak masuk kerja",
        "level": "BERAT",
        "absence_days": 22,
        "consecutive_absence_days": 10,
    }
    return c.impose(violation=violation, penalty="PENURUNAN_JABATAN", **PPK)


def fail3_unknown_event(c: Case) -> str:
    return c.impose(evidence=[c.appraisal, f"{c.employee_id}:99"])


def fail3_other_employees_record(c: Case) -> str:
    return c.impose(evidence=[f"{Employee.create_id(NIP_SARI)}:1"])


def fail3_effective_after_decision(c: Case) -> str:
    training = c.app.record_training(
        HR, c.nip, title="Orientasi", hours_jp=4, completed_on="2026-02-25", provider="BKPSDM"
    ).event_id
    return c.impose(evidence=[c.appraisal, training])


def fail3_recorded_after_sanction(c: Case) -> str:
    # Cites the event that will follow the sanction; recording it later must not cure the decision.
    later = f"{c.employee_id}:{c.app.employee(c.nip).version + 2}"
    sanction_id = c.impose(evidence=[later])
    recorded = c.app.record_training(
        HR, c.nip, title="Orientasi", hours_jp=4, completed_on="2026-02-01", provider="BKPSDM"
    )
    assert recorded.event_id == later
    return sanction_id


def fail4_no_summons(c: Case) -> str:
    return c.impose(summoned_on=None)


def fail4_no_examination_nor_bap(c: Case) -> str:
    return c.impose(examined_on=None, bap_number=None)


def fail4_examined_after_decision(c: Case) -> str:
    return c.impose(examined_on="2026-02-22")


def fail4_summons_after_examination(c: Case) -> str:
    return c.impose(summoned_on=["2026-02-10", "2026-02-14"])


def fail4_decided_after_recording(c: Case) -> str:
    # A decision date after the recording day is refused now (422); one stored before that bound
    # is still judged by check 4, so it is written here as it was then, without the bound.
    bounded = Employee.sanction_problems

    def unbounded(*args: Any) -> list[FieldError]:
        return [p for p in bounded(*args) if p != FieldError("decided_on", "in the future")]

    with patch.object(Employee, "sanction_problems", staticmethod(unbounded)):
        return c.impose(decided_on="2026-03-10")


def fail5_kepala_opd_sedang(c: Case) -> str:
    return c.impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_6")


def fail5_sekda_berat(c: Case) -> str:
    return c.impose(violation=BERAT, penalty="PEMBERHENTIAN", **SEKDA)


def fail6_same_examination(c: Case) -> str:
    c.impose()
    # The same BAP, spelled differently, on another decree.
    return c.impose(bap_number=f" bap/{c.i}/2026")


def ok6_first_of_a_repeated_examination(c: Case) -> str:
    first = c.impose()
    c.impose()
    return first


def ok6_same_examination_after_annulment(c: Case) -> str:
    first = c.impose()
    c.appeal(first, "KEBERATAN", "ANNULLED")
    return c.impose()


def fail7_keberatan_against_dismissal(c: Case) -> str:
    sanction_id = dismissal(c)
    c.appeal(sanction_id, "KEBERATAN")
    return sanction_id


def fail7_banding_against_ringan(c: Case) -> str:
    sanction_id = c.impose()
    c.appeal(sanction_id, "BANDING", "UPHELD")
    return sanction_id


def ok7_banding_annuls_dismissal(c: Case) -> str:
    sanction_id = dismissal(c)
    c.appeal(sanction_id, "BANDING", "ANNULLED")
    return sanction_id


def ok7_keberatan_modified_within_level(c: Case) -> str:
    violation = {"description": "Tidak melaporkan harta kekayaan", "level": "SEDANG"}
    sanction_id = c.impose(violation=violation, penalty="POTONGAN_TUKIN_12", **SEKDA)
    c.appeal(sanction_id, "KEBERATAN", "MODIFIED", "POTONGAN_TUKIN_6")
    return sanction_id


def ok7_keberatan_upheld(c: Case) -> str:
    sanction_id = c.impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_6", **SEKDA)
    c.appeal(sanction_id, "KEBERATAN", "UPHELD")
    return sanction_id


def fail7_modified_below_absence_table(c: Case) -> str:
    sanction_id = c.impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_6", **SEKDA)
    c.appeal(sanction_id, "KEBERATAN", "MODIFIED", "TEGURAN_LISAN")
    return sanction_id


def fail7_decided_after_annulment(c: Case) -> str:
    sanction_id = c.impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_6", **SEKDA)
    first = c.app.file_appeal(HR, c.nip, sanction_id, kind="KEBERATAN", filed_on="2026-02-23").event_id
    c.appeal(sanction_id, "KEBERATAN", "ANNULLED")
    c.app.decide_appeal(
        HR, c.nip, sanction_id, first, outcome="UPHELD", decided_on="2026-02-28", decree_number="KB/late"
    )
    return sanction_id


def fail8_before_service_start(c: Case) -> str:
    return c.impose(evidence=[])


def fail8_after_dismissal(c: Case) -> str:
    dismissal(
        c, decided_on="2026-02-02", summoned_on="2026-01-20", examined_on="2026-01-27", bap_number="BAP/X"
    )
    return c.impose()


def ok8_dismissal_annulled_before(c: Case) -> str:
    first = dismissal(
        c, decided_on="2026-02-02", summoned_on="2026-01-20", examined_on="2026-01-27", bap_number="BAP/X"
    )
    c.appeal(first, "BANDING", "ANNULLED")
    return c.impose()


def multi_fail(c: Case) -> str:
    return c.impose(penalty="PEMBERHENTIAN", summoned_on=None, examined_on=None, bap_number=None)


@dataclass(frozen=True)
class Scenario:
    build: Callable[[Case], str]
    failing: frozenset[int]
    register: tuple[tuple[str, Any], ...] = ()
    penalty_after: str | None = None
    # Of the returned sanction (a scenario may also record and annul an earlier one).
    lifecycle: str = "IMPOSED"

    @property
    def name(self) -> str:
        return self.build.__name__

    @property
    def annulled(self) -> bool:
        return self.lifecycle == "ANNULLED"

    @property
    def verdict(self) -> str:
        return INCONSISTENT if self.failing else CONSISTENT


def S(build: Callable[[Case], str], *failing: int, **kw: Any) -> Scenario:
    return Scenario(build, frozenset(failing), **kw)


SCENARIOS = [
    S(ok_ringan),
    S(ok_sedang_absence),
    S(ok_berat_by_ppk),
    S(ok_heaviest_of_several),
    S(ok_absence_with_heavier_violation),
    S(ok_consecutive_absence_dismissal),
    S(ok_imported_history),
    S(fail1_penalty_above_level, 1),
    S(fail1_penalty_below_level, 1),
    S(fail2_absence_table, 2),
    S(fail2_below_first_band, 2),
    S(fail2_consecutive_absence_not_dismissed, 2),
    S(fail3_unknown_event, 3),
    S(fail3_other_employees_record, 3),
    S(fail3_effective_after_decision, 3),
    S(fail3_recorded_after_sanction, 3),
    S(fail4_no_summons, 4),
    S(fail4_no_examination_nor_bap, 4),
    S(fail4_examined_after_decision, 4),
    S(fail4_summons_after_examination, 4),
    S(fail4_decided_after_recording, 4),
    S(fail5_kepala_opd_sedang, 5),
    S(fail5_sekda_berat, 5),
    S(fail6_same_examination, 6),
    S(ok6_first_of_a_repeated_examination),
    S(ok6_same_examination_after_annulment),
    S(fail7_keberatan_against_dismissal, 7),
    S(fail7_banding_against_ringan, 7),
    S(ok7_banding_annuls_dismissal, penalty_after="PEMBERHENTIAN", lifecycle="ANNULLED"),
    S(ok7_keberatan_modified_within_level, penalty_after="POTONGAN_TUKIN_6", lifecycle="MODIFIED"),
    S(ok7_keberatan_upheld),
    S(fail7_modified_below_absence_table, 7, penalty_after="TEGURAN_LISAN", lifecycle="MODIFIED"),
    S(fail7_decided_after_annulment, 7, lifecycle="ANNULLED"),
    S(fail8_before_service_start, 8, register=(("service_start_date", "2026-02-25"),)),
    S(fail8_after_dismissal, 8),
    S(ok8_dismissal_annulled_before),
    S(multi_fail, 1, 4, 5),
]


@pytest.fixture(scope="module", params=STORES)
def verified(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, dict[str, Any]]]:
    """Builds every scenario in one ledger and verifies each decision."""
    settings = make_settings(str(request.param), tmp_path_factory.mktemp("scenarios"), request)
    app = KinerjaLedger(settings, clock=FakeClock())
    try:
        seed_world(app)
        ids = {s.name: s.build(Case(app, **dict(s.register))) for s in SCENARIOS}
        results = {name: inspect_sanction(app, sanction_id) for name, sanction_id in ids.items()}
        # The plain verdict and the inspection agree.
        for name, sanction_id in ids.items():
            assert verify_sanction(app, sanction_id).as_dict().items() <= results[name].items()
        yield results
    finally:
        app.close()


def test_the_table_covers_every_check_failing_alone() -> None:
    assert len(SCENARIOS) == 37
    alone = {next(iter(s.failing)) for s in SCENARIOS if len(s.failing) == 1}
    assert alone == set(range(1, 9))
    assert len({s.name for s in SCENARIOS}) == len(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_verdict(verified: dict[str, dict[str, Any]], scenario: Scenario) -> None:
    result = verified[scenario.name]
    failing = {c["number"] for c in result["checks"] if not c["passed"]}
    assert (result["verdict"], failing) == (scenario.verdict, set(scenario.failing)), [
        c["detail"]["en"] for c in result["checks"] if not c["passed"]
    ]
    assert [c["name"] for c in result["checks"]] == list(CHECK_NAMES)
    assert result["failed_checks"] == [CHECK_NAMES[n - 1] for n in sorted(scenario.failing)]
    for check in result["checks"]:
        assert check["detail"]["id"].strip() and check["detail"]["en"].strip()
        assert check["detail"]["id"] != check["detail"]["en"]
    assert result["rule_versions"] == {
        "discipline": "disiplin/2021.1",
        "authority": "kewenangan/default-kota.1",
    }
    if scenario.penalty_after is not None:
        assert result["penalty_after_appeals"] == scenario.penalty_after
    else:
        assert result["penalty_after_appeals"] == result["penalty"]
    assert result["annulled"] is scenario.annulled
    assert result["lifecycle"] == scenario.lifecycle


def test_details_name_what_is_wrong(verified: dict[str, dict[str, Any]]) -> None:
    def detail(name: str, number: int) -> str:
        check = verified[name]["checks"][number - 1]
        return f"{check['detail']['id']} | {check['detail']['en']}"

    assert "POTONGAN_TUKIN_6" in detail("fail2_absence_table", 2)
    assert "belongs to another record" in detail("fail3_other_employees_record", 3)
    assert "milik catatan lain" in detail("fail3_other_employees_record", 3)
    assert ":99 is not among the events recorded before this sanction" in detail("fail3_unknown_event", 3)
    assert "after the decision date" in detail("fail3_effective_after_decision", 3)
    assert "not among the events recorded before" in detail("fail3_recorded_after_sanction", 3)
    assert "No summons date is recorded" in detail("fail4_no_summons", 4)
    assert "after the recording date 2026-03-02 (WIB)" in detail("fail4_decided_after_recording", 4)
    assert "KEPALA_OPD may not impose a SEDANG penalty" in detail("fail5_kepala_opd_sedang", 5)
    assert "already grounds sanction" in detail("fail6_same_examination", 6)
    assert "does not lie against PEMBERHENTIAN" in detail("fail7_keberatan_against_dismissal", 7)
    assert "re-verified" in detail("fail7_modified_below_absence_table", 7)
    assert "dismissed from 2026-02-02" in detail("fail8_after_dismissal", 8)
    assert "2026-02-25" in detail("fail8_before_service_start", 8)
    assert "Tidak berlaku" in detail("ok_ringan", 2)


def test_statuses_follow_appeals(verified: dict[str, dict[str, Any]]) -> None:
    annulled = verified["ok7_banding_annuls_dismissal"]
    assert (annulled["lifecycle"], annulled["status"]) == ("ANNULLED", "ANNULLED")
    modified = verified["ok7_keberatan_modified_within_level"]
    assert modified["lifecycle"] == "MODIFIED" and modified["modified"] is True
    assert (modified["current_penalty"], modified["in_force_until"]) == ("POTONGAN_TUKIN_6", "2026-08-20")
    assert modified["status"] == "IN_FORCE"
    dismissed = verified["ok_consecutive_absence_dismissal"]
    assert (dismissed["in_force_until"], dismissed["status"]) == (None, "IN_FORCE")


# Module-scoped fixtures open the store themselves (not through the `store` fixture).
pytestmark = pytest.mark.store

"""Stored events that must decode for ever: one recorded event of every kind, frozen on disk.

tests/data/known_answers/stored_events.json holds, for each of the 28 event classes, one event
exactly as the recorder stored it (topic, state bytes, originator id and version) plus its
canonical audit leaf and leaf hash. Stored data outlives the code: a renamed event class, a
payload field renamed or re-encoded, a changed stream id or leaf layout would leave every
deployed ledger unreadable or its audit log unverifiable, and no other test would notice
because they all write and read with the same (changed) code. Never regenerate the fixture to
make these tests pass (see the README beside it).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from ledger.application import CommandContext, CommandResult, KinerjaLedger
from ledger.audit.encoding import encode_leaf, event_leaf_hash
from ledger.domain.agency import Agency
from ledger.domain.complaint import Complaint
from ledger.domain.employee import Employee
from ledger.domain.envelope import Actor, LedgerEvent
from ledger.domain.program import Program
from ledger.domain.service_unit import ServiceUnit
from projections.audit import AuditLog, AuditProjection
from projections.runner import ProjectionRunner
from tests.conftest import FakeClock
from tests.factories import NIP_BUDI, NIP_SARI
from tests.paths import DATA, ROOT

FIXTURE = DATA / "known_answers" / "stored_events.json"
DOMAIN = ROOT / "ledger" / "domain"
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # the FakeClock's start: 09:00 WIB
HR_ACTOR = Actor("hr-test", "hr")
CITIZEN = Actor("citizen", "citizen")


class History:
    """Runs the fixed command sequence; each command one minute after the previous one."""

    def __init__(self, app: KinerjaLedger, clock: FakeClock) -> None:
        self.app = app
        self.clock = clock
        self.n = 0

    def ctx(self, actor: Actor = HR_ACTOR) -> CommandContext:
        self.n += 1
        self.clock.now = START.replace(minute=self.n)
        return CommandContext(actor, correlation_id=f"known-answer-{self.n:02d}")

    def run(self, command: Callable[..., CommandResult], *args: Any, **kwargs: Any) -> CommandResult:
        actor = kwargs.pop("actor", HR_ACTOR)
        return command(self.ctx(actor), *args, **kwargs)


def build_history(app: KinerjaLedger, clock: FakeClock) -> None:
    """Every event class on every aggregate, through the application's own commands."""
    h = History(app, clock)
    h.run(app.register_agency, code="DINKES", name="Dinas Kesehatan")
    h.run(app.register_agency, code="DISDUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil")
    h.run(app.rate_agency, "DINKES", year=2025, predikat_organisasi="BAIK")
    h.run(app.register_service_unit, code="PKM-SUKAMAJU", name="Puskesmas Sukamaju", agency="DINKES")
    h.run(app.register_service_unit, code="PKM-MEKARSARI", name="Puskesmas Mekarsari", agency="DINKES")
    h.run(
        app.register_employee,
        nip=NIP_BUDI,
        name="Budi Santoso",
        agency="DINKES",
        position="Perawat Ahli Pertama",
        grade="III/b",
        employment_type="PNS",
    )
    h.run(
        app.register_employee,
        nip=NIP_SARI,
        name="Sari Dewi",
        agency="DINKES",
        position="Kepala Puskesmas",
        grade="IV/a",
        employment_type="PNS",
        service_start_date="2005-01-03",
    )
    h.run(
        app.transfer_employee,
        NIP_BUDI,
        agency="DINKES",
        position="Perawat Ahli Muda",
        effective_date="2025-01-02",
        grade="III/c",
    )
    h.run(app.assign_to_service_unit, NIP_BUDI, service_unit="PKM-SUKAMAJU", officer_code="PRW-01")
    h.run(app.assign_to_service_unit, NIP_BUDI, service_unit="PKM-MEKARSARI", officer_code="PRW-07")
    appraisal = h.run(
        app.record_appraisal,
        NIP_BUDI,
        period="2025",
        hasil_kerja="DI_ATAS_EKSPEKTASI",
        perilaku_kerja="SESUAI_EKSPEKTASI",
        appraiser_nip=NIP_SARI,
    )
    h.run(
        app.correct_appraisal,
        NIP_BUDI,
        appraisal.event_id,
        reason="Perilaku kerja salah input",
        perilaku_kerja="DI_ATAS_EKSPEKTASI",
    )
    h.run(
        app.submit_survey,
        service_unit="PKM-MEKARSARI",
        answers={"U1": 4, "U2": 3, "U3": 4, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 2, "U9": 3},
        officer_code="PRW-07",
        comment="Pelayanan ramah — antrean lama",
        actor=CITIZEN,
    )
    award = h.run(
        app.grant_award,
        NIP_BUDI,
        award_type="SATYALANCANA_KARYA_SATYA_10",
        reason="Sepuluh tahun pengabdian",
        decree_number="KEPPRES 12/TK/2026",
        decree_date="2026-01-15",
    )
    h.run(
        app.revoke_award,
        NIP_BUDI,
        award.event_id,
        reason="Keputusan dibatalkan",
        decree_number="KEPPRES 20/TK/2026",
        decree_date="2026-02-01",
    )
    h.run(
        app.record_training,
        NIP_BUDI,
        title="Pelatihan Kegawatdaruratan",
        hours_jp="12.5",
        completed_on="2026-01-10",
        provider="Bapelkes Provinsi",
    )
    sanction = h.run(
        app.impose_sanction,
        NIP_BUDI,
        violation={
            "description": "Tidak masuk kerja tanpa alasan sah",
            "level": "SEDANG",
            "absence_days": 18,
        },
        penalty="POTONGAN_TUKIN_12",
        decided_by_role="PPK",
        decided_by_nip=NIP_SARI,
        decided_by_name="Sari Dewi",
        decree_number="800/15/BKPSDM/2026",
        decided_on="2026-01-20",
        effective_date="2026-02-01",
        summoned_on=["2026-01-06", "2026-01-13"],
        examined_on="2026-01-15",
        bap_number="BAP/03/2026",
        evidence=[appraisal.event_id],
    )
    appeal = h.run(app.file_appeal, NIP_BUDI, sanction.event_id, kind="KEBERATAN", filed_on="2026-01-27")
    h.run(
        app.decide_appeal,
        NIP_BUDI,
        sanction.event_id,
        appeal.event_id,
        outcome="MODIFIED",
        decided_on="2026-02-10",
        decree_number="800/22/BKPSDM/2026",
        new_penalty="POTONGAN_TUKIN_6",
    )
    h.run(
        app.revoke_sanction,
        NIP_BUDI,
        sanction.event_id,
        reason="Peninjauan kembali",
        decree_number="800/30/BKPSDM/2026",
        decided_on="2026-02-20",
    )
    h.run(
        app.launch_program,
        code="PRG-STUNTING",
        name="Percepatan Penurunan Stunting",
        agencies=["DINKES", "DISDUKCAPIL"],
    )
    h.run(app.add_program_participant, "PRG-STUNTING", nip=NIP_BUDI, role="Tenaga kesehatan")
    h.run(
        app.record_program_outcome,
        "PRG-STUNTING",
        indicator="Prevalensi stunting (%)",
        target="14",
        achieved="15.2",
        period="2025",
    )
    # Appended for Employee.LegacyAppraisalRecorded (PP 46/2011, 2019): earlier records keep
    # their positions and bytes.
    h.run(
        app.record_appraisal,
        NIP_BUDI,
        period="2019",
        nilai_skp="87.35",
        nilai_perilaku="90.10",
        appraiser_nip=NIP_SARI,
    )
    # The service clock (appended later: the events above keep their positions and bytes).
    leave = h.run(
        app.start_leave,
        NIP_BUDI,
        leave_type="CLTN",
        started_on="2023-01-02",
        reason="Mengikuti suami tugas belajar",
        decree_number="800/5/BKPSDM/2022",
        decree_date="2022-12-15",
    )
    h.run(
        app.end_leave,
        NIP_BUDI,
        leave.event_id,
        ended_on="2024-01-02",
        decree_number="800/7/BKPSDM/2023",
        decree_date="2023-12-20",
    )
    suspension = h.run(
        app.suspend_employee,
        NIP_BUDI,
        started_on="2024-03-01",
        reason="Ditahan karena menjadi tersangka tindak pidana",
        decree_number="800/9/BKPSDM/2024",
        decree_date="2024-02-26",
    )
    h.run(
        app.end_suspension,
        NIP_BUDI,
        suspension.event_id,
        ended_on="2024-06-01",
        decree_number="800/11/BKPSDM/2024",
        decree_date="2024-05-28",
    )
    h.run(
        app.end_service,
        NIP_SARI,
        reason="MENGUNDURKAN_DIRI",
        ended_on="2026-02-01",
        decree_number="800/3/BKPSDM/2026",
        decree_date="2026-01-20",
    )
    # A burst of surveys naming Budi (appended later, like the service clock): five more within
    # the hour of the first, then HR's review of the burst it makes.
    for _ in range(5):
        h.run(
            app.submit_survey,
            service_unit="PKM-MEKARSARI",
            answers={"U1": 4, "U2": 4, "U3": 4, "U4": 4, "U5": 4, "U6": 4, "U7": 4, "U8": 4, "U9": 4},
            officer_code="PRW-07",
            actor=CITIZEN,
        )
    (burst,) = app.employee(NIP_BUDI).survey_bursts()
    h.run(
        app.review_survey_burst,
        NIP_BUDI,
        burst.burst_id,
        decision="COUNT",
        reason="Antrean vaksinasi pagi: responden nyata",
    )
    # The performance management cycle (appended: earlier records keep their positions).
    plan = h.run(
        app.plan_skp,
        NIP_BUDI,
        year=2026,
        items=[SKP_ITEM],
        appraiser_nip=NIP_SARI,
        behaviour_expectations={"BERORIENTASI_PELAYANAN": "Ramah kepada pasien"},
    )
    skp_id = plan.extra["skp_id"]
    h.run(app.revise_skp, NIP_BUDI, skp_id, items=[SKP_REVISED], appraiser_nip=NIP_SARI, reason="Target naik")
    h.run(
        app.report_realisation,
        NIP_BUDI,
        skp_id,
        item=1,
        indicator=1,
        period="2026-01",
        value="37.5",
        evidence_ref="https://e-kinerja.binjaikota.go.id/b/7",
    )
    h.run(
        app.hold_dialogue,
        NIP_BUDI,
        held_on="2026-02-20",
        summary="Capaian Januari",
        agreed_actions="Sweeping posyandu",
    )
    h.run(
        app.give_behaviour_feedback,
        NIP_BUDI,
        value="KOLABORATIF",
        rating="DI_ATAS_EKSPEKTASI",
        source="SUPERVISOR",
        note="Sigap membantu",
    )

    # A complaint and its first response, and the follow-up of the first survey's comment. The
    # tracking code comes from a fixed byte source here (the OS's in service).
    app.random_bytes = lambda n: bytes(range(1, n + 1))
    complaint = h.run(
        app.submit_complaint,
        service_unit="PKM-MEKARSARI",
        officer_code="PRW-07",
        category="PERILAKU_PETUGAS",
        text="Petugas membentak pasien lansia",
        contact="0812-0000-0000",
        lapor_ticket="LAP-2026/1",
        actor=CITIZEN,
    )
    h.run(
        app.update_complaint,
        complaint.extra["complaint_id"],
        status="RESPONDED",
        response="Petugas telah ditegur; mohon maaf",
    )
    h.run(app.follow_up_comment, f"{UNIT_MEKARSARI}:3", response="Loket kedua dibuka pukul 08.00")


SKP_ITEM = {
    "rhk": "Meningkatnya cakupan imunisasi",
    "supports": "Meningkatnya derajat kesehatan",
    "indicators": [{"aspect": "KUANTITAS", "name": "Balita diimunisasi", "target": 400, "unit": "anak"}],
}
SKP_REVISED = {
    "rhk": "Meningkatnya cakupan imunisasi",
    "supports": None,
    "indicators": [{"aspect": "KUANTITAS", "name": "Balita diimunisasi", "target": "450.5", "unit": "anak"}],
}


# ------------------------------------------------------------------------------ expected values
# Written by hand from the commands above (not read back from the fixture), so a decoder that
# silently maps a field to a different value fails here too.

AGENCY_DINKES = UUID("1105c616-b584-5b86-97e4-2ac96cb90aab")
UNIT_SUKAMAJU = UUID("7ea755b7-8fc7-5ec0-8f1e-843155d3e0bc")
UNIT_MEKARSARI = UUID("15de2599-d0cb-5417-bd60-6f291178c2c8")
BUDI = UUID("bfb7441e-b89b-5478-97a5-dc0085c960b2")
SARI = UUID("7994c58c-1712-5901-9a73-09d78605ecf3")
PROGRAM = UUID("cabc5a08-5bc2-5509-abc3-760bfabad691")
COMPLAINT = UUID("5772e50d-7cc2-5946-8a52-cea686a18451")  # tracking code 0410-6105-0R3GG
ANSWERS = {"U1": 4, "U2": 3, "U3": 4, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 2, "U9": 3}
TODAY = date(2026, 3, 2)


def env(
    n: int,
    effective: date,
    *,
    actor: Actor = HR_ACTOR,
    rule_version: str | None = None,
    decree_number: str | None = None,
    decree_date: date | None = None,
) -> dict[str, Any]:
    at = datetime(2026, 3, 2, 2, n, tzinfo=UTC)
    return {
        "timestamp": at,
        "recorded_at": at,
        "effective_date": effective,
        "recorded_by": actor.as_dict(),
        "correlation_id": f"known-answer-{n:02d}",
        "rule_version": rule_version,
        "decree_number": decree_number,
        "decree_date": decree_date,
    }


EXPECTED: dict[str, tuple[type[LedgerEvent], UUID, int, dict[str, Any]]] = {
    "Agency.AgencyRegistered": (
        Agency.AgencyRegistered,
        AGENCY_DINKES,
        1,
        {
            **env(1, TODAY),
            "originator_topic": "ledger.domain.agency:Agency",
            "code": "DINKES",
            "name": "Dinas Kesehatan",
        },
    ),
    "Agency.OrganisationPerformanceRated": (
        Agency.OrganisationPerformanceRated,
        AGENCY_DINKES,
        2,
        {**env(3, date(2025, 12, 31)), "year": 2025, "predikat_organisasi": "BAIK"},
    ),
    "ServiceUnit.ServiceUnitRegistered": (
        ServiceUnit.ServiceUnitRegistered,
        UNIT_SUKAMAJU,
        1,
        {
            **env(4, TODAY),
            "originator_topic": "ledger.domain.service_unit:ServiceUnit",
            "code": "PKM-SUKAMAJU",
            "name": "Puskesmas Sukamaju",
            "agency": "DINKES",
        },
    ),
    "Employee.EmployeeRegistered": (
        Employee.EmployeeRegistered,
        BUDI,
        1,
        {
            **env(6, date(2010, 1, 1)),
            "originator_topic": "ledger.domain.employee:Employee",
            "nip": "198503152010011002",
            "name": "Budi Santoso",
            "agency": "DINKES",
            "position": "Perawat Ahli Pertama",
            "grade": "III/b",
            "employment_type": "PNS",
            "service_start_date": date(2010, 1, 1),
        },
    ),
    "Employee.EmployeeTransferred": (
        Employee.EmployeeTransferred,
        BUDI,
        2,
        {
            **env(8, date(2025, 1, 2)),
            "from_agency": "DINKES",
            "agency": "DINKES",
            "position": "Perawat Ahli Muda",
            "grade": "III/c",
        },
    ),
    "Employee.AssignedToServiceUnit": (
        Employee.AssignedToServiceUnit,
        BUDI,
        3,
        {**env(9, TODAY), "service_unit": "PKM-SUKAMAJU", "officer_code": "PRW-01"},
    ),
    "ServiceUnit.OfficerCodeAssigned": (
        ServiceUnit.OfficerCodeAssigned,
        UNIT_SUKAMAJU,
        2,
        {**env(9, TODAY), "officer_code": "PRW-01", "employee_id": "bfb7441e-b89b-5478-97a5-dc0085c960b2"},
    ),
    "ServiceUnit.OfficerCodeReleased": (
        ServiceUnit.OfficerCodeReleased,
        UNIT_SUKAMAJU,
        3,
        {**env(10, TODAY), "officer_code": "PRW-01"},
    ),
    "Employee.AppraisalRecorded": (
        Employee.AppraisalRecorded,
        BUDI,
        5,
        {
            **env(11, date(2025, 12, 31), rule_version="predikat/2022.1"),
            "period": "2025",
            "hasil_kerja": "DI_ATAS_EKSPEKTASI",
            "perilaku_kerja": "SESUAI_EKSPEKTASI",
            "predikat": "BAIK",
            "appraiser_nip": "197905122005012001",
        },
    ),
    "Employee.AppraisalCorrected": (
        Employee.AppraisalCorrected,
        BUDI,
        6,
        {
            **env(12, date(2025, 12, 31), rule_version="predikat/2022.1"),
            "appraisal_id": "bfb7441e-b89b-5478-97a5-dc0085c960b2:5",
            "hasil_kerja": "DI_ATAS_EKSPEKTASI",
            "perilaku_kerja": "DI_ATAS_EKSPEKTASI",
            "predikat": "SANGAT_BAIK",
            "reason": "Perilaku kerja salah input",
        },
    ),
    "ServiceUnit.SurveyResponseReceived": (
        ServiceUnit.SurveyResponseReceived,
        UNIT_MEKARSARI,
        3,
        {
            **env(13, TODAY, actor=CITIZEN, rule_version="skm/2017.1"),
            "answers": ANSWERS,
            "comment": "Pelayanan ramah — antrean lama",
            "officer_code": "PRW-07",
            "officer_feedback_event_id": "bfb7441e-b89b-5478-97a5-dc0085c960b2:7",
        },
    ),
    "Employee.FeedbackReceived": (
        Employee.FeedbackReceived,
        BUDI,
        7,
        {
            **env(13, TODAY, actor=CITIZEN, rule_version="skm/2017.1"),
            "source": "CITIZEN",
            "score": None,
            "answers": ANSWERS,
            "comment": "Pelayanan ramah — antrean lama",
            "service_unit": "PKM-MEKARSARI",
            "survey_event_id": "15de2599-d0cb-5417-bd60-6f291178c2c8:3",
        },
    ),
    "Employee.AwardGranted": (
        Employee.AwardGranted,
        BUDI,
        8,
        {
            **env(
                14,
                date(2026, 1, 15),
                rule_version="penghargaan/2010.1",
                decree_number="KEPPRES 12/TK/2026",
                decree_date=date(2026, 1, 15),
            ),
            "award_type": "SATYALANCANA_KARYA_SATYA_10",
            "reason": "Sepuluh tahun pengabdian",
            "eligible": True,
            "ineligibility": [],
        },
    ),
    "Employee.AwardRevoked": (
        Employee.AwardRevoked,
        BUDI,
        9,
        {
            **env(15, date(2026, 2, 1), decree_number="KEPPRES 20/TK/2026", decree_date=date(2026, 2, 1)),
            "award_id": "bfb7441e-b89b-5478-97a5-dc0085c960b2:8",
            "reason": "Keputusan dibatalkan",
        },
    ),
    "Employee.TrainingCompleted": (
        Employee.TrainingCompleted,
        BUDI,
        10,
        {
            **env(16, date(2026, 1, 10), rule_version="kompetensi/2020.1"),
            "title": "Pelatihan Kegawatdaruratan",
            "hours_jp": "12.5",
            "provider": "Bapelkes Provinsi",
        },
    ),
    "Employee.SanctionImposed": (
        Employee.SanctionImposed,
        BUDI,
        11,
        {
            **env(
                17,
                date(2026, 2, 1),
                rule_version="disiplin/2021.1",
                decree_number="800/15/BKPSDM/2026",
                decree_date=date(2026, 1, 20),
            ),
            "violations": [
                {"description": "Tidak masuk kerja tanpa alasan sah", "level": "SEDANG", "absence_days": 18}
            ],
            "level": "SEDANG",
            "penalty": "POTONGAN_TUKIN_12",
            "decided_by_role": "PPK",
            "decided_by_nip": "197905122005012001",
            "decided_by_name": "Sari Dewi",
            "decided_on": date(2026, 1, 20),
            "summoned_on": [date(2026, 1, 6), date(2026, 1, 13)],
            "examined_on": date(2026, 1, 15),
            "bap_number": "BAP/03/2026",
            "evidence": ["bfb7441e-b89b-5478-97a5-dc0085c960b2:5"],
            "in_force_until": date(2027, 2, 1),
        },
    ),
    "Employee.SanctionAppealFiled": (
        Employee.SanctionAppealFiled,
        BUDI,
        12,
        {
            **env(18, date(2026, 1, 27)),
            "sanction_id": "bfb7441e-b89b-5478-97a5-dc0085c960b2:11",
            "kind": "KEBERATAN",
            "filed_on": date(2026, 1, 27),
        },
    ),
    "Employee.SanctionAppealDecided": (
        Employee.SanctionAppealDecided,
        BUDI,
        13,
        {
            **env(
                19,
                date(2026, 2, 10),
                rule_version="disiplin/2021.1",
                decree_number="800/22/BKPSDM/2026",
                decree_date=date(2026, 2, 10),
            ),
            "sanction_id": "bfb7441e-b89b-5478-97a5-dc0085c960b2:11",
            "appeal_id": "bfb7441e-b89b-5478-97a5-dc0085c960b2:12",
            "outcome": "MODIFIED",
            "decided_on": date(2026, 2, 10),
            "new_penalty": "POTONGAN_TUKIN_6",
            "new_level": "SEDANG",
            "new_in_force_until": date(2026, 8, 1),
        },
    ),
    "Employee.SanctionRevoked": (
        Employee.SanctionRevoked,
        BUDI,
        14,
        {
            **env(20, date(2026, 2, 20), decree_number="800/30/BKPSDM/2026", decree_date=date(2026, 2, 20)),
            "sanction_id": "bfb7441e-b89b-5478-97a5-dc0085c960b2:11",
            "reason": "Peninjauan kembali",
        },
    ),
    "Program.ProgramLaunched": (
        Program.ProgramLaunched,
        PROGRAM,
        1,
        {
            **env(21, TODAY),
            "originator_topic": "ledger.domain.program:Program",
            "code": "PRG-STUNTING",
            "name": "Percepatan Penurunan Stunting",
            "agencies": ["DINKES", "DISDUKCAPIL"],
        },
    ),
    "Program.ProgramParticipantAdded": (
        Program.ProgramParticipantAdded,
        PROGRAM,
        2,
        {**env(22, TODAY), "nip": "198503152010011002", "agency": "DINKES", "role": "Tenaga kesehatan"},
    ),
    "Employee.CollaborationJoined": (
        Employee.CollaborationJoined,
        BUDI,
        15,
        {**env(22, TODAY), "program": "PRG-STUNTING", "role": "Tenaga kesehatan"},
    ),
    "Program.ProgramOutcomeRecorded": (
        Program.ProgramOutcomeRecorded,
        PROGRAM,
        3,
        {
            **env(23, date(2025, 12, 31)),
            "indicator": "Prevalensi stunting (%)",
            "target": "14",
            "achieved": "15.2",
            "period": "2025",
        },
    ),
    "Employee.LegacyAppraisalRecorded": (
        Employee.LegacyAppraisalRecorded,
        BUDI,
        16,
        {
            **env(24, date(2019, 12, 31), rule_version="prestasi/2014.1"),
            "period": "2019",
            "nilai_skp": "87.35",
            "nilai_perilaku": "90.1",
            "ide_baru": None,
            "nilai": "88.45",  # 60% x 87.35 + 40% x 90.10 (PP 46/2011)
            "predikat": "BAIK",
            "appraiser_nip": "197905122005012001",
        },
    ),
    "Employee.LeaveStarted": (
        Employee.LeaveStarted,
        BUDI,
        17,
        {
            **env(25, date(2023, 1, 2), decree_number="800/5/BKPSDM/2022", decree_date=date(2022, 12, 15)),
            "leave_type": "CLTN",
            "started_on": date(2023, 1, 2),
            "reason": "Mengikuti suami tugas belajar",
        },
    ),
    "Employee.LeaveEnded": (
        Employee.LeaveEnded,
        BUDI,
        18,
        {
            **env(26, date(2024, 1, 2), decree_number="800/7/BKPSDM/2023", decree_date=date(2023, 12, 20)),
            "leave_id": "bfb7441e-b89b-5478-97a5-dc0085c960b2:17",
            "ended_on": date(2024, 1, 2),
        },
    ),
    "Employee.SuspensionStarted": (
        Employee.SuspensionStarted,
        BUDI,
        19,
        {
            **env(27, date(2024, 3, 1), decree_number="800/9/BKPSDM/2024", decree_date=date(2024, 2, 26)),
            "started_on": date(2024, 3, 1),
            "reason": "Ditahan karena menjadi tersangka tindak pidana",
        },
    ),
    "Employee.SuspensionEnded": (
        Employee.SuspensionEnded,
        BUDI,
        20,
        {
            **env(28, date(2024, 6, 1), decree_number="800/11/BKPSDM/2024", decree_date=date(2024, 5, 28)),
            "suspension_id": "bfb7441e-b89b-5478-97a5-dc0085c960b2:19",
            "ended_on": date(2024, 6, 1),
        },
    ),
    "Employee.ServiceEnded": (
        Employee.ServiceEnded,
        SARI,
        2,
        {
            **env(29, date(2026, 2, 1), decree_number="800/3/BKPSDM/2026", decree_date=date(2026, 1, 20)),
            "reason": "MENGUNDURKAN_DIRI",
            "ended_on": date(2026, 2, 1),
        },
    ),
    "Employee.SurveyBurstReviewed": (
        Employee.SurveyBurstReviewed,
        BUDI,
        26,
        {
            **env(35, date(2026, 3, 2)),
            # Budi's record of the first survey naming him (version 7): the burst's first.
            "burst_id": "bfb7441e-b89b-5478-97a5-dc0085c960b2:7",
            "decision": "COUNT",
            "reason": "Antrean vaksinasi pagi: responden nyata",
        },
    ),
    "Employee.SkpPlanned": (
        Employee.SkpPlanned,
        BUDI,
        27,
        {
            **env(36, TODAY),
            "year": 2026,
            "period": "2026",
            "items": [{**SKP_ITEM, "indicators": [{**SKP_ITEM["indicators"][0], "target": "400"}]}],  # type: ignore[index]
            "behaviour_expectations": {"BERORIENTASI_PELAYANAN": "Ramah kepada pasien"},
            "appraiser_nip": "197905122005012001",
        },
    ),
    "Employee.SkpRevised": (
        Employee.SkpRevised,
        BUDI,
        28,
        {
            **env(37, TODAY),
            "skp_id": f"{BUDI}:27",
            "items": [SKP_REVISED],
            "behaviour_expectations": {"BERORIENTASI_PELAYANAN": "Ramah kepada pasien"},
            "appraiser_nip": "197905122005012001",
            "reason": "Target naik",
        },
    ),
    "Employee.RealisationReported": (
        Employee.RealisationReported,
        BUDI,
        29,
        {
            **env(38, date(2026, 1, 31)),
            "skp_id": f"{BUDI}:27",
            "item": 1,
            "indicator": 1,
            "aspect": "KUANTITAS",
            "indicator_name": "Balita diimunisasi",
            "period": "2026-01",
            "value": "37.5",
            "evidence_ref": "https://e-kinerja.binjaikota.go.id/b/7",
            "supersedes": None,
        },
    ),
    "Employee.PerformanceDialogueHeld": (
        Employee.PerformanceDialogueHeld,
        BUDI,
        30,
        {
            **env(39, date(2026, 2, 20)),
            "held_on": date(2026, 2, 20),
            "summary": "Capaian Januari",
            "agreed_actions": "Sweeping posyandu",
            "skp_id": f"{BUDI}:27",
        },
    ),
    "Employee.BehaviourFeedbackGiven": (
        Employee.BehaviourFeedbackGiven,
        BUDI,
        31,
        {
            **env(40, TODAY),
            "value": "KOLABORATIF",
            "rating": "DI_ATAS_EKSPEKTASI",
            "source": "SUPERVISOR",
            "note": "Sigap membantu",
            "skp_id": f"{BUDI}:27",
        },
    ),
    "Complaint.ComplaintReceived": (
        Complaint.ComplaintReceived,
        COMPLAINT,
        1,
        {
            **env(41, TODAY, actor=CITIZEN),
            "originator_topic": "ledger.domain.complaint:Complaint",
            "tracking_code": "0410-6105-0R3GG",
            "service_unit": "PKM-MEKARSARI",
            "agency": "DINKES",
            "officer_code": "PRW-07",
            "officer_nip": "198503152010011002",
            "category": "PERILAKU_PETUGAS",
            "text": "Petugas membentak pasien lansia",
            "contact": "0812-0000-0000",
            "lapor_ticket": "LAP-2026/1",
        },
    ),
    "Complaint.ComplaintUpdated": (
        Complaint.ComplaintUpdated,
        COMPLAINT,
        2,
        {**env(42, TODAY), "status": "RESPONDED", "response": "Petugas telah ditegur; mohon maaf"},
    ),
    "ServiceUnit.CommentFollowedUp": (
        ServiceUnit.CommentFollowedUp,
        UNIT_MEKARSARI,
        9,
        {
            **env(43, TODAY),
            "comment_id": "15de2599-d0cb-5417-bd60-6f291178c2c8:3",
            "response": "Loket kedua dibuka pukul 08.00",
        },
    ),
}

# Leaf index (log position in the history) of each record: pins the log order too.
LEAF_INDEX = {
    "Agency.AgencyRegistered": 0,
    "Agency.OrganisationPerformanceRated": 2,
    "ServiceUnit.ServiceUnitRegistered": 3,
    "Employee.EmployeeRegistered": 5,
    "Employee.EmployeeTransferred": 7,
    "Employee.AssignedToServiceUnit": 8,
    "ServiceUnit.OfficerCodeAssigned": 9,
    "ServiceUnit.OfficerCodeReleased": 12,
    "Employee.AppraisalRecorded": 13,
    "Employee.AppraisalCorrected": 14,
    "ServiceUnit.SurveyResponseReceived": 15,
    "Employee.FeedbackReceived": 16,
    "Employee.AwardGranted": 17,
    "Employee.AwardRevoked": 18,
    "Employee.TrainingCompleted": 19,
    "Employee.SanctionImposed": 20,
    "Employee.SanctionAppealFiled": 21,
    "Employee.SanctionAppealDecided": 22,
    "Employee.SanctionRevoked": 23,
    "Program.ProgramLaunched": 24,
    "Program.ProgramParticipantAdded": 25,
    "Employee.CollaborationJoined": 26,
    "Program.ProgramOutcomeRecorded": 27,
    "Employee.LegacyAppraisalRecorded": 28,
    "Employee.LeaveStarted": 29,
    "Employee.LeaveEnded": 30,
    "Employee.SuspensionStarted": 31,
    "Employee.SuspensionEnded": 32,
    "Employee.ServiceEnded": 33,
    "Employee.SurveyBurstReviewed": 44,
    "Employee.SkpPlanned": 45,
    "Employee.SkpRevised": 46,
    "Employee.RealisationReported": 47,
    "Employee.PerformanceDialogueHeld": 48,
    "Employee.BehaviourFeedbackGiven": 49,
    "Complaint.ComplaintReceived": 50,
    "Complaint.ComplaintUpdated": 51,
    "ServiceUnit.CommentFollowedUp": 52,
}


def load_fixture() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return records


RECORDS = load_fixture()
KINDS = [r["kind"] for r in RECORDS]


def stored(record: dict[str, Any]) -> StoredEvent:
    return StoredEvent(
        originator_id=UUID(record["originator_id"]),
        originator_version=record["originator_version"],
        topic=record["topic"],
        state=record["state"].encode("utf-8"),
    )


def every_event_class() -> dict[str, type[LedgerEvent]]:
    """Each event class declared in ledger/domain/*.py, as `Aggregate.EventClass`."""
    declared = {
        name
        for path in DOMAIN.glob("*.py")
        for name in re.findall(r"^\s*class (\w+)\(.*Event.*\):", path.read_text(), flags=re.M)
    } - {"Event", "LedgerEvent"}
    found: dict[str, type[LedgerEvent]] = {}
    for aggregate in (Agency, ServiceUnit, Employee, Program, Complaint):
        for name, value in vars(aggregate).items():
            if name in declared and isinstance(value, type) and issubclass(value, LedgerEvent):
                found[f"{aggregate.__name__}.{name}"] = value
    assert {k.split(".")[1] for k in found} == declared, "an event class outside the five aggregates"
    return found


# ------------------------------------------------------------------------------------- tests


def test_the_fixture_holds_one_record_of_every_event_class() -> None:
    assert sorted(KINDS) == sorted(every_event_class()) == sorted(EXPECTED)
    assert len(KINDS) == len(set(KINDS)) == 38
    for record in RECORDS:
        cls, originator, version, _ = EXPECTED[record["kind"]]
        assert record["topic"] == f"{cls.__module__}:{cls.__qualname__}"
        assert (UUID(record["originator_id"]), record["originator_version"]) == (originator, version)
        assert record["leaf_index"] == LEAF_INDEX[record["kind"]]


@pytest.mark.parametrize("kind", KINDS)
def test_each_stored_record_decodes_into_its_class_and_values(app: KinerjaLedger, kind: str) -> None:
    record = RECORDS[KINDS.index(kind)]
    cls, originator, version, fields = EXPECTED[kind]
    event = app.mapper.to_domain_event(stored(record))
    assert type(event) is cls
    assert vars(event) == {"originator_id": originator, "originator_version": version, **fields}
    assert isinstance(event, LedgerEvent)
    assert event.event_id == f"{originator}:{version}"


def replay(app: KinerjaLedger, clock: FakeClock) -> list[Any]:
    build_history(app, clock)
    return list(app.recorder.select_notifications(0, 1000))


def test_the_same_commands_store_byte_identical_records(app: KinerjaLedger, clock: FakeClock) -> None:
    log = replay(app, clock)
    assert len(log) == 53
    for record in RECORDS:
        n = log[record["leaf_index"]]
        assert (str(n.originator_id), n.originator_version, n.topic) == (
            record["originator_id"],
            record["originator_version"],
            record["topic"],
        ), record["kind"]
        assert bytes(n.state) == record["state"].encode("utf-8"), record["kind"]
        entry = next(
            e
            for e in app.stream(UUID(record["originator_id"]))
            if e.originator_version == n.originator_version
        )
        assert (entry.topic, entry.state) == (record["topic"], record["state"].encode("utf-8"))


@pytest.mark.parametrize("kind", KINDS)
def test_leaf_encoding_known_answer(kind: str) -> None:
    record = RECORDS[KINDS.index(kind)]
    index, oid, version = record["leaf_index"], UUID(record["originator_id"]), record["originator_version"]
    topic, state = record["topic"], record["state"].encode("utf-8")
    leaf = encode_leaf(index, oid, version, topic, state)
    assert leaf.hex() == record["leaf"]
    assert event_leaf_hash(index, oid, version, topic, state).hex() == record["leaf_hash"]
    # The layout, spelt out independently of encode_leaf: u64 index, 16 raw id bytes, u64
    # version, u32 topic length, topic, u32 state length, state; hash = SHA-256(0x00 || leaf).
    raw_topic = topic.encode("utf-8")
    assert leaf == (
        index.to_bytes(8, "big")
        + oid.bytes
        + version.to_bytes(8, "big")
        + len(raw_topic).to_bytes(4, "big")
        + raw_topic
        + len(state).to_bytes(4, "big")
        + state
    )
    assert hashlib.sha256(b"\x00" + leaf).hexdigest() == record["leaf_hash"]


def test_audit_projection_writes_the_known_leaves(app: KinerjaLedger, clock: FakeClock) -> None:
    build_history(app, clock)
    ProjectionRunner(app, [AuditProjection()]).run_once()
    leaves = {int(r["leaf_index"]): r for r in AuditLog(app).leaf_rows(0, 1000)}
    assert sorted(leaves) == list(range(53))
    for record in RECORDS:
        row = leaves[record["leaf_index"]]
        assert (row["originator_id"], int(row["originator_version"])) == (
            record["originator_id"],
            record["originator_version"],
        )
        assert (row["leaf_hash"], row["chain_hash"]) == (record["leaf_hash"], record["chain_hash"]), record[
            "kind"
        ]

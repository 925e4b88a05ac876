"""Role x route matrix: the expected status of every role on every route (docs/API.md, roles).

Each row prepares what its route needs (fresh ids per cell, so every allowed cell can succeed)
and checks every role; a refused cell must also leave the event log untouched.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from api.ratelimit import RateLimit, RateLimiter
from ledger.application import CommandContext, KinerjaLedger
from ledger.domain.envelope import Actor
from tests.api_support import (
    APPRAISER_NIP,
    OTHER_NIP,
    SUBJECT,
    VALID_SURVEY,
    Api,
    shared_api,
)
from tests.conftest import STORES
from tests.factories import HR, nip_for

E = f"/v1/employees/{SUBJECT}"

# role name -> (token role, sub, agency); None = no token at all
ROLES: dict[str, tuple[str, str | None, str | None] | None] = {
    "anonymous": None,
    "hr": ("hr", "hr-1", None),
    "admin": ("admin", "admin-1", None),
    "appraiser": ("appraiser", APPRAISER_NIP, "DINKES"),  # Budi's agency
    "appraiser_other": ("appraiser", OTHER_NIP, "DISDIK"),
    "auditor": ("auditor", "bpk-1", None),
    "inspector": ("inspector", "inspektorat-1", None),
    "employee_self": ("employee", SUBJECT, None),
    "employee_other": ("employee", OTHER_NIP, None),
}


def expect(ok: int, *allowed: str) -> dict[str, int]:
    return {role: ok if role in allowed else (401 if role == "anonymous" else 403) for role in ROLES}


HR_WRITE = expect(201, "hr", "admin")
APPRAISE = expect(201, "hr", "admin", "appraiser")
PERSONAL_READ = expect(200, "hr", "admin", "auditor", "inspector", "employee_self")
ACCESS_LOG = expect(200, "auditor", "inspector", "employee_self")
STAFF_READ = expect(200, "hr", "admin", "auditor", "inspector")
EMPLOYEE_LIST = expect(200, "hr", "admin", "auditor", "inspector", "appraiser")
PUBLIC_WRITE = dict.fromkeys(ROLES, 201)
PUBLIC_READ = dict.fromkeys(ROLES, 200)

Prepare = Callable[[Api, dict[str, Any], int], tuple[str, Any]]


@dataclass(frozen=True)
class Row:
    method: str
    template: str
    prepare: Prepare
    expected: dict[str, int]


def _sanction(ledger: KinerjaLedger) -> str:
    result = ledger.impose_sanction(
        HR,
        SUBJECT,
        violation={"description": "terlambat", "level": "RINGAN"},
        penalty="TEGURAN_LISAN",
        decided_by_role="ATASAN_LANGSUNG",
        decided_by_name="dr. Sari",
        decree_number="800/12/2026",
        decided_on="2026-02-20",
    )
    return str(result.extra["sanction_id"])


def _appeal(ledger: KinerjaLedger) -> tuple[str, str]:
    sanction = _sanction(ledger)
    appeal = ledger.file_appeal(HR, SUBJECT, sanction, kind="KEBERATAN", filed_on="2026-02-25")
    return sanction, str(appeal.extra["appeal_id"])


_PROGRAMS = itertools.count(1)


def _program(ledger: KinerjaLedger, i: int) -> str:
    code = f"PRG-{next(_PROGRAMS)}"
    ledger.launch_program(HR, code=code, name="Sekolah Sehat", agencies=["DINKES", "DISDIK"])
    return code


_FRESH = itertools.count(1000)


def _fresh(ledger: KinerjaLedger) -> str:
    """A new employee (service from 2012-01-01) for a service-clock cell."""
    nip = nip_for(next(_FRESH))
    ledger.register_employee(
        HR, nip=nip, name="Pegawai", agency="DINKES", position="Analis", grade="III/a", employment_type="PNS"
    )
    return nip


CLOCK = {
    "started_on": "2020-01-01",
    "reason": "ikut suami",
    "decree_number": "SK-1",
    "decree_date": "2019-12-01",
}
CLOCK_END = {"ended_on": "2021-01-01", "decree_number": "SK-2", "decree_date": "2020-12-20"}


def _on_leave(ledger: KinerjaLedger) -> str:
    nip = _fresh(ledger)
    leave = ledger.start_leave(HR, nip, leave_type="CLTN", **CLOCK)
    return f"/v1/employees/{nip}/leaves/{leave.extra['leave_id']}/end"


def _suspended(ledger: KinerjaLedger) -> str:
    nip = _fresh(ledger)
    suspension = ledger.suspend_employee(HR, nip, **CLOCK)
    return f"/v1/employees/{nip}/suspensions/{suspension.extra['suspension_id']}/end"


_UNITS = itertools.count(1)


def _burst(ledger: KinerjaLedger) -> str:
    """A fresh officer named in six surveys at once (a burst), and the path to review it."""
    nip = _fresh(ledger)
    unit = f"PKM-BURST-{next(_UNITS)}"
    ledger.register_service_unit(HR, code=unit, name="Puskesmas", agency="DINKES")
    ledger.assign_to_service_unit(HR, nip, service_unit=unit, officer_code="B-1")
    for _ in range(6):
        ledger.submit_survey(
            HR, service_unit=unit, officer_code="B-1", answers={f"U{k}": 4 for k in range(1, 10)}
        )
    first = ledger.employee(nip).survey_bursts()[0].burst_id
    return f"/v1/employees/{nip}/survey-bursts/{first}/review"


SKP_ITEM = {
    "rhk": "Imunisasi",
    "indicators": [{"aspect": "KUANTITAS", "name": "Balita", "target": 10, "unit": "anak"}],
}
SKP_BODY = {"year": 2026, "items": [SKP_ITEM], "appraiser_nip": APPRAISER_NIP}


def _planned(ledger: KinerjaLedger) -> str:
    """A fresh employee with a 2026 plan, and the path to revise it."""
    nip = _fresh(ledger)
    skp_id = ledger.plan_skp(HR, nip, **SKP_BODY).extra["skp_id"]
    return f"/v1/employees/{nip}/skp/{skp_id}/revisions"


def _subject_plan(ledger: KinerjaLedger) -> str:
    """The subject's 2026 plan (made once), and the path to report on it."""
    found = next(iter(ledger.employee(SUBJECT).skp_state()["plans"]), None)
    skp_id = found or ledger.plan_skp(HR, SUBJECT, **SKP_BODY).extra["skp_id"]
    return f"{E}/skp/{skp_id}/realisations"


CITIZEN = CommandContext(Actor("", "citizen"))
COMPLAINT = {"service_unit": "PUSKESMAS-BINJAI", "category": "PELAYANAN", "text": "antrean tidak tertib"}


def _complaint(api: Api) -> str:
    """A fresh complaint (submitted through the ledger), its id."""
    return str(api.ledger.submit_complaint(CITIZEN, **COMPLAINT).extra["complaint_id"])


def _comment(api: Api) -> str:
    """A fresh survey comment, its id."""
    answers = {f"U{i}": 3 for i in range(1, 10)}
    result = api.ledger.submit_survey(
        CITIZEN, service_unit="PUSKESMAS-BINJAI", answers=answers, comment="sempit"
    )
    return result.event_id


def _public_write(api: Api, path: str, body: Any) -> tuple[str, Any]:
    """This matrix is about roles, not the per-address rate limit (its own tests): every cell of
    the public writes starts with a fresh allowance."""
    api.app.state.public_limiter = RateLimiter(RateLimit(burst=1000, per_minute=1000))
    return path, body


def _read(api: Api, path: str) -> tuple[str, None]:
    """A read-model route: bring the projections up to date first."""
    api.catch_up()
    return path, None


SANCTION_BODY = {
    "violation": {"description": "tidak masuk kerja", "level": "RINGAN", "absence_days": 3},
    "penalty": "TEGURAN_LISAN",
    "decided_by_role": "ATASAN_LANGSUNG",
    "decided_by_name": "dr. Sari",
    "decree_number": "800/13/2026",
    "decided_on": "2026-02-27",
}

ROWS: list[Row] = [
    Row(
        "POST",
        "/v1/agencies",
        lambda a, w, i: ("/v1/agencies", {"code": f"AG-{i}", "name": "Badan"}),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/agencies/{code}/performance",
        lambda a, w, i: (
            "/v1/agencies/DINKES/performance",
            {"year": 2017 + i, "predikat_organisasi": "BAIK"},
        ),
        HR_WRITE,
    ),
    Row("GET", "/v1/agencies/{code}", lambda a, w, i: ("/v1/agencies/DINKES", None), STAFF_READ),
    Row(
        "POST",
        "/v1/service-units",
        lambda a, w, i: ("/v1/service-units", {"code": f"SU-{i}", "name": "Loket", "agency": "DINKES"}),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/employees",
        lambda a, w, i: (
            "/v1/employees",
            {
                "nip": nip_for(500 + i),
                "name": "Pegawai Baru",
                "agency": "DINKES",
                "position": "Analis",
                "grade": "III/a",
                "employment_type": "PPPK",
            },
        ),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/transfers",
        lambda a, w, i: (
            f"{E}/transfers",
            {"agency": "DINKES", "position": f"Perawat {i}", "effective_date": "2026-03-01"},
        ),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/assignments",
        lambda a, w, i: (
            f"{E}/assignments",
            {"service_unit": "PUSKESMAS-BINJAI", "officer_code": f"PKM-{10 + i}"},
        ),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/appraisals",
        lambda a, w, i: (
            f"{E}/appraisals",
            {
                "period": f"2024-{i + 1:02d}..2024-{i + 1:02d}",
                "hasil_kerja": "SESUAI_EKSPEKTASI",
                "perilaku_kerja": "DI_ATAS_EKSPEKTASI",
                "appraiser_nip": APPRAISER_NIP,
            },
        ),
        APPRAISE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/appraisals/{id}/corrections",
        lambda a, w, i: (
            f"{E}/appraisals/{w['appraisal_id']}/corrections",
            {"hasil_kerja": "DI_ATAS_EKSPEKTASI", "reason": f"koreksi {i}"},
        ),
        APPRAISE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/feedback",
        lambda a, w, i: (f"{E}/feedback", {"source": "SUPERVISOR", "score": 3, "comment": "rajin"}),
        APPRAISE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/awards",
        lambda a, w, i: (
            f"{E}/awards",
            {
                "award_type": "SERTIFIKAT_PENGHARGAAN",
                "reason": "teladan",
                "decree_number": f"SK-{i}",
                "decree_date": "2026-02-01",
            },
        ),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/awards/{id}/revocations",
        lambda a, w, i: (
            f"{E}/awards/"
            + a.ledger.grant_award(
                HR, SUBJECT, award_type="INSENTIF", reason="x", decree_number="SK-A", decree_date="2026-02-01"
            ).extra["award_id"]
            + "/revocations",
            {"reason": "keliru", "decree_number": "SK-R"},
        ),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/trainings",
        lambda a, w, i: (
            f"{E}/trainings",
            {"title": "Diklat", "hours_jp": 4.5, "completed_on": "2026-02-02", "provider": "BPSDM"},
        ),
        HR_WRITE,
    ),
    Row("POST", "/v1/employees/{nip}/sanctions", lambda a, w, i: (f"{E}/sanctions", SANCTION_BODY), HR_WRITE),
    Row(
        "POST",
        "/v1/employees/{nip}/leaves",
        lambda a, w, i: (f"/v1/employees/{_fresh(a.ledger)}/leaves", {"leave_type": "CLTN", **CLOCK}),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/leaves/{id}/end",
        lambda a, w, i: (_on_leave(a.ledger), CLOCK_END),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/suspensions",
        lambda a, w, i: (f"/v1/employees/{_fresh(a.ledger)}/suspensions", CLOCK),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/suspensions/{id}/end",
        lambda a, w, i: (_suspended(a.ledger), CLOCK_END),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/service-end",
        lambda a, w, i: (
            f"/v1/employees/{_fresh(a.ledger)}/service-end",
            {
                "reason": "MENGUNDURKAN_DIRI",
                "ended_on": "2026-01-01",
                "decree_number": "SK-3",
                "decree_date": "2025-12-20",
            },
        ),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/sanctions/{id}/revocations",
        lambda a, w, i: (
            f"{E}/sanctions/{_sanction(a.ledger)}/revocations",
            {"reason": "salah orang", "decree_number": "SK-X"},
        ),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/sanctions/{id}/appeals",
        lambda a, w, i: (
            f"{E}/sanctions/{_sanction(a.ledger)}/appeals",
            {"kind": "KEBERATAN", "filed_on": "2026-02-25"},
        ),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/sanctions/{id}/appeals/{appeal_id}/decision",
        lambda a, w, i: (
            "{}/sanctions/{}/appeals/{}/decision".format(E, *_appeal(a.ledger)),
            {"outcome": "UPHELD", "decided_on": "2026-03-01", "decree_number": "SK-B"},
        ),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/programs",
        lambda a, w, i: (
            "/v1/programs",
            {"code": f"PRG-N{i}", "name": "Sekolah Sehat", "agencies": ["DINKES", "DISDIK"]},
        ),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/programs/{code}/participants",
        lambda a, w, i: (
            f"/v1/programs/{_program(a.ledger, i)}/participants",
            {"nip": SUBJECT, "role": "anggota"},
        ),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/programs/{code}/outcomes",
        lambda a, w, i: (
            f"/v1/programs/{_program(a.ledger, i)}/outcomes",
            {"indicator": "siswa diperiksa", "target": 100, "achieved": 87.5, "period": "2026"},
        ),
        HR_WRITE,
    ),
    Row(
        "GET",
        "/v1/programs/{code}",
        lambda a, w, i: _read(a, f"/v1/programs/{_program(a.ledger, i)}"),
        STAFF_READ,
    ),
    Row("GET", "/v1/programs", lambda a, w, i: _read(a, "/v1/programs"), STAFF_READ),
    Row(
        "GET",
        "/v1/employees/{nip}/scorecard",
        lambda a, w, i: _read(a, f"{E}/scorecard?year=2025"),
        PERSONAL_READ,
    ),
    Row(
        "GET",
        "/v1/agencies/{code}/summary",
        lambda a, w, i: _read(a, "/v1/agencies/DINKES/summary?year=2025"),
        STAFF_READ,
    ),
    Row("GET", "/v1/rankings", lambda a, w, i: _read(a, "/v1/rankings?year=2025&agency=DINKES"), STAFF_READ),
    # An appraiser lists their own agency only: the DISDIK appraiser is refused DINKES.
    Row("GET", "/v1/employees", lambda a, w, i: _read(a, "/v1/employees?agency=DINKES"), EMPLOYEE_LIST),
    Row("GET", "/v1/awards", lambda a, w, i: _read(a, "/v1/awards?year=2026"), STAFF_READ),
    Row("GET", "/v1/survey-bursts", lambda a, w, i: _read(a, "/v1/survey-bursts?year=2026"), STAFF_READ),
    Row(
        "POST",
        "/v1/employees/{nip}/survey-bursts/{id}/review",
        lambda a, w, i: (_burst(a.ledger), {"decision": "COUNT", "reason": "antrean pagi yang ramai"}),
        HR_WRITE,
    ),
    Row(
        "GET",
        "/v1/registers/satyalancana",
        lambda a, w, i: _read(a, "/v1/registers/satyalancana?year=2026&agency=DINKES"),
        STAFF_READ,
    ),
    Row(
        "GET",
        "/v1/training/compliance",
        lambda a, w, i: _read(a, "/v1/training/compliance?year=2026&agency=DINKES"),
        STAFF_READ,
    ),
    Row("GET", "/v1/sanctions", lambda a, w, i: _read(a, "/v1/sanctions?verdict=INCONSISTENT"), STAFF_READ),
    Row(
        "GET",
        "/v1/sanctions/{id}/verification",
        lambda a, w, i: _read(a, f"/v1/sanctions/{_sanction(a.ledger)}/verification"),
        STAFF_READ,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/skp",
        lambda a, w, i: (f"/v1/employees/{_fresh(a.ledger)}/skp", SKP_BODY),
        APPRAISE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/skp/{skp_id}/revisions",
        lambda a, w, i: (
            _planned(a.ledger),
            {"items": [SKP_ITEM, SKP_ITEM], "reason": "tambah RHK", "appraiser_nip": APPRAISER_NIP},
        ),
        APPRAISE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/skp/{skp_id}/realisations",
        lambda a, w, i: (
            _subject_plan(a.ledger),
            {"item": 1, "indicator": 1, "period": "2026-01", "value": i},
        ),
        expect(201, "hr", "admin", "appraiser", "employee_self"),
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/dialogues",
        lambda a, w, i: (f"{E}/dialogues", {"held_on": "2026-03-01", "summary": f"dialog {i}"}),
        APPRAISE,
    ),
    Row(
        "POST",
        "/v1/employees/{nip}/behaviour-feedback",
        lambda a, w, i: (
            f"{E}/behaviour-feedback",
            {"value": "LOYAL", "rating": "SESUAI_EKSPEKTASI", "source": "SUPERVISOR"},
        ),
        APPRAISE,
    ),
    Row(
        "GET",
        "/v1/employees/{nip}/skp",
        lambda a, w, i: _read(a, f"{E}/skp?year=2026"),
        expect(200, "hr", "admin", "auditor", "inspector", "employee_self", "appraiser"),
    ),
    Row("GET", "/v1/agencies/{code}/skp", lambda a, w, i: _read(a, "/v1/agencies/DINKES/skp"), STAFF_READ),
    Row("GET", "/v1/appraisals", lambda a, w, i: _read(a, "/v1/appraisals?year=2025"), STAFF_READ),
    Row(
        "GET",
        "/v1/appraisals/{id}/verification",
        lambda a, w, i: _read(a, f"/v1/appraisals/{w['appraisal_id']}/verification"),
        STAFF_READ,
    ),
    Row("GET", "/v1/public/agencies", lambda a, w, i: _read(a, "/v1/public/agencies"), PUBLIC_READ),
    Row("GET", "/v1/public/service-units", lambda a, w, i: _read(a, "/v1/public/service-units"), PUBLIC_READ),
    Row("GET", "/v1/employees/{nip}", lambda a, w, i: (E, None), PERSONAL_READ),
    Row("GET", "/v1/employees/{nip}/events", lambda a, w, i: (f"{E}/events", None), PERSONAL_READ),
    Row("GET", "/v1/employees/{nip}/access-log", lambda a, w, i: (f"{E}/access-log", None), ACCESS_LOG),
    Row(
        "POST",
        "/v1/public/surveys",
        lambda a, w, i: _public_write(a, "/v1/public/surveys", VALID_SURVEY),
        PUBLIC_WRITE,
    ),
    Row(
        "POST",
        "/v1/public/complaints",
        lambda a, w, i: _public_write(a, "/v1/public/complaints", COMPLAINT),
        PUBLIC_WRITE,
    ),
    Row(
        "GET",
        "/v1/public/complaints/{tracking_code}",
        lambda a, w, i: _read(
            a,
            f"/v1/public/complaints/{a.ledger.submit_complaint(CITIZEN, **COMPLAINT).extra['tracking_code']}",
        ),
        PUBLIC_READ,
    ),
    Row(
        "GET",
        "/v1/public/agencies/{code}/complaints",
        lambda a, w, i: _read(a, "/v1/public/agencies/DINKES/complaints"),
        PUBLIC_READ,
    ),
    Row("GET", "/v1/public-input", lambda a, w, i: _read(a, "/v1/public-input"), STAFF_READ),
    Row(
        "POST",
        "/v1/complaints/{id}/updates",
        lambda a, w, i: (
            f"/v1/complaints/{_complaint(a)}/updates",
            {"status": "IN_PROGRESS", "response": "ok"},
        ),
        HR_WRITE,
    ),
    Row(
        "POST",
        "/v1/comments/{id}/follow-up",
        lambda a, w, i: (f"/v1/comments/{_comment(a)}/follow-up", {"response": "terima kasih"}),
        HR_WRITE,
    ),
    Row("GET", "/healthz", lambda a, w, i: ("/healthz", None), PUBLIC_READ),
    Row("GET", "/metrics", lambda a, w, i: ("/metrics", None), PUBLIC_READ),
]


@pytest.fixture(scope="module", params=STORES)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Api, dict[str, Any]]]:
    """One seeded store for the whole matrix: every cell uses fresh ids, so cells do not interact."""
    with shared_api(request.param, tmp_path_factory.mktemp("matrix"), request) as shared:
        yield shared


def headers_for(api: Api, role: str) -> dict[str, str]:
    spec = ROLES[role]
    if spec is None:
        return {}
    kind, sub, agency = spec
    return api.auth(kind, sub=sub, agency=agency)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.method} {r.template}" for r in ROWS])
def test_role_route_matrix(world: tuple[Api, dict[str, Any]], row: Row) -> None:
    api, seeded = world
    got: dict[str, int] = {}
    wrote_when_refused: list[str] = []
    for i, role in enumerate(ROLES):
        path, body = row.prepare(api, seeded, i)
        head = api.head()
        response = api.client.request(row.method, path, json=body, headers=headers_for(api, role))
        got[role] = response.status_code
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json"
            if api.head() != head:
                wrote_when_refused.append(role)
    assert got == row.expected
    assert wrote_when_refused == []


def test_matrix_covers_every_route(world: tuple[Api, dict[str, Any]]) -> None:
    """Every route of the OpenAPI document has a row here, except /v1/audit/* (the audit-proof
    routes belong to the audit trail's issue and are tested with it)."""
    api = world[0]
    documented = {
        (method.upper(), path)
        for path, operations in api.app.openapi()["paths"].items()
        for method in operations
    }
    covered = {(r.method, r.template) for r in ROWS}
    missing = {op for op in documented - covered if not op[1].startswith("/v1/audit/")}
    assert missing == set()
    assert covered <= documented


def test_appraiser_cannot_reach_unknown_or_foreign_employees_and_learns_nothing(
    world: tuple[Api, dict[str, Any]],
) -> None:
    api = world[0]
    head = api.head()
    body = {
        "period": "2024",
        "hasil_kerja": "SESUAI_EKSPEKTASI",
        "perilaku_kerja": "SESUAI_EKSPEKTASI",
        "appraiser_nip": APPRAISER_NIP,
    }
    auth = api.auth("appraiser", sub=APPRAISER_NIP, agency="DINKES")
    foreign = api.client.post(f"/v1/employees/{OTHER_NIP}/appraisals", json=body, headers=auth)
    unknown = api.client.post("/v1/employees/199912312020121001/appraisals", json=body, headers=auth)
    assert foreign.status_code == unknown.status_code == 403
    assert foreign.json()["detail"] == unknown.json()["detail"]
    assert api.head() == head


def test_appraiser_follows_the_employee_across_a_transfer(world: tuple[Api, dict[str, Any]]) -> None:
    api = world[0]
    nip = nip_for(900)
    api.ledger.register_employee(
        HR,
        nip=nip,
        name="Pegawai Mutasi",
        agency="DINKES",
        position="Perawat",
        grade="III/a",
        employment_type="PNS",
    )
    api.ledger.transfer_employee(HR, nip, agency="DISDIK", position="Guru", effective_date="2026-03-01")
    body = {"source": "SUPERVISOR", "score": 4}
    path = f"/v1/employees/{nip}/feedback"
    old = api.client.post(path, json=body, headers=api.auth("appraiser", APPRAISER_NIP, "DINKES"))
    new = api.client.post(path, json=body, headers=api.auth("appraiser", OTHER_NIP, "DISDIK"))
    assert (old.status_code, new.status_code) == (403, 201)


def test_employee_gets_403_for_others_whether_or_not_they_exist(world: tuple[Api, dict[str, Any]]) -> None:
    api = world[0]
    auth = api.auth("employee", sub=SUBJECT)
    for nip in (OTHER_NIP, "199912312020121001"):
        for suffix in ("", "/events", "/access-log", "/scorecard"):
            r = api.client.get(f"/v1/employees/{nip}{suffix}", headers=auth)
            assert r.status_code == 403, (nip, suffix)
    # and the staff roles see the difference
    assert api.get("/v1/employees/199912312020121001", role="auditor").status_code == 404


# Module-scoped fixtures open the store themselves (not through the `store` fixture).
pytestmark = pytest.mark.store

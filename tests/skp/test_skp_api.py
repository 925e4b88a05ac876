"""The SKP cycle through the HTTP API: one employee's year from plan to annual appraisal, the
progress read model against a hand computation, the appraisal's basis check, roles, refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ledger.application import KinerjaLedger
from tests.api_support import APPRAISER_NIP, OTHER_NIP, SUBJECT, Api, make_api, seed_world
from tests.conftest import FakeClock, make_settings

pytestmark = pytest.mark.store

E = f"/v1/employees/{SUBJECT}"
PLAN: dict[str, Any] = {
    "year": 2026,
    "items": [
        {
            "rhk": "Meningkatnya cakupan imunisasi dasar lengkap",
            "supports": "Meningkatnya derajat kesehatan masyarakat",
            "indicators": [
                {"aspect": "KUANTITAS", "name": "Balita diimunisasi", "target": 100, "unit": "anak"}
            ],
        },
        {
            "rhk": "Tersusunnya laporan bulanan puskesmas",
            "indicators": [{"aspect": "WAKTU", "name": "Laporan selesai", "target": 5, "unit": "hari kerja"}],
        },
    ],
    "behaviour_expectations": {"BERORIENTASI_PELAYANAN": "Ramah kepada orang tua balita"},
}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 1, 12, 2, 0, tzinfo=UTC))


@pytest.fixture
def api(store: str, tmp_path: Path, request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[Api]:
    ledger = KinerjaLedger(make_settings(store, tmp_path, request), clock=clock)
    try:
        seed_world(ledger)
        yield make_api(ledger)
    finally:
        ledger.close()


def at(clock: FakeClock, day: str) -> None:
    clock.now = datetime.fromisoformat(f"{day}T02:00:00+00:00")


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    return body


def test_a_year_of_the_cycle(api: Api, clock: FakeClock) -> None:
    plan = created(api.post(f"{E}/skp", PLAN, role="appraiser"))
    skp_id = plan["skp_id"]
    assert plan == {
        "event_id": skp_id,
        "position": plan["position"],
        "version": plan["version"],
        "skp_id": skp_id,
    }

    def report(
        role: str, item: int, indicator: int, period: str, value: float, **extra: Any
    ) -> dict[str, Any]:
        body = {"item": item, "indicator": indicator, "period": period, "value": value, **extra}
        return created(api.post(f"{E}/skp/{skp_id}/realisations", body, role=role))

    at(clock, "2026-02-16")
    q1 = report("employee", 1, 1, "2026-Q1", 25, evidence_ref="https://e-kinerja.binjaikota.go.id/b/1")
    at(clock, "2026-03-02")
    revised_items = [
        {
            **PLAN["items"][0],
            "indicators": [
                {"aspect": "KUANTITAS", "name": "Balita diimunisasi", "target": 120, "unit": "anak"},
                {"aspect": "KUALITAS", "name": "Cakupan tepat sasaran", "target": 90, "unit": "%"},
            ],
        },
        PLAN["items"][1],
    ]
    revision = created(
        api.post(
            f"{E}/skp/{skp_id}/revisions",
            {"items": revised_items, "reason": "target imunisasi dinaikkan", "appraiser_nip": APPRAISER_NIP},
        )
    )
    assert revision["skp_id"] == skp_id
    at(clock, "2026-04-06")
    report("employee", 1, 2, "2026-Q1", 80)
    report("appraiser", 2, 1, "2026-Q1", 6, evidence_ref="ND 800/12/PKM/2026")
    dialogue_1 = created(
        api.post(
            f"{E}/dialogues", {"held_on": "2026-04-06", "summary": "Triwulan I", "agreed_actions": "Sweeping"}
        )
    )
    at(clock, "2026-07-06")
    report("employee", 1, 1, "2026-Q2", 30)
    report("employee", 1, 2, "2026-Q2", 85)
    report("employee", 2, 1, "2026-Q2", 5)
    at(clock, "2026-10-05")
    report("employee", 1, 1, "2026-Q3", 20)
    first_q3 = report("employee", 1, 2, "2026-Q3", 88)
    again = report("employee", 1, 2, "2026-Q3", 92)
    assert again["supersedes"] == first_q3["realisation_id"]
    report("employee", 2, 1, "2026-Q3", 4)
    dialogue_2 = created(
        api.post(f"{E}/dialogues", {"held_on": "2026-10-05", "summary": "Triwulan III"}, role="appraiser")
    )
    feedback = created(
        api.post(
            f"{E}/behaviour-feedback",
            {"value": "AKUNTABEL", "rating": "DI_ATAS_EKSPEKTASI"},
            role="appraiser",
        )
    )
    peer = api.client.post(
        f"{E}/behaviour-feedback",
        json={"value": "KOLABORATIF", "rating": "SESUAI_EKSPEKTASI", "note": "Membantu posyandu"},
        headers=api.auth("employee", sub=APPRAISER_NIP),
    )
    created(peer)
    at(clock, "2027-01-08")
    report("employee", 1, 1, "2026-Q4", 30)
    report("employee", 1, 2, "2026-Q4", 88)
    report("employee", 2, 1, "2026-Q4", 5)
    appraisal = created(
        api.post(
            f"{E}/appraisals",
            {
                "period": "2026",
                "hasil_kerja": "SESUAI_EKSPEKTASI",
                "perilaku_kerja": "DI_ATAS_EKSPEKTASI",
                "appraiser_nip": APPRAISER_NIP,
            },
            role="appraiser",
        )
    )
    api.catch_up()

    progress = api.get(f"{E}/skp", role="employee", year=2026)
    assert progress.status_code == 200
    body = progress.json()
    (only,) = body["plans"]
    # By hand: KUANTITAS sums 25+30+20+30 = 105 of 120 = 0.875; KUALITAS takes Q4's 88 of 90 =
    # 0.97777.. -> 0.9778; WAKTU takes Q4's 5 days against 5 (lower is better) = 1; the plan's
    # share is (0.875 + 0.9778 + 1) / 3 = 0.95093.. -> 0.9509.
    indicators = [
        (i["item"], j["indicator"], j["realised"], j["achieved"])
        for i in only["items"]
        for j in i["indicators"]
    ]
    assert indicators == [(1, 1, "105", "0.875"), (1, 2, "88", "0.9778"), (2, 1, "5", "1")]
    assert only["share_achieved"] == "0.9509"
    assert only["revisions"] == [revision["revision_id"]]
    assert only["rule_version"] == "skp/2022.1"
    assert only["set_aside"] == []
    assert only["items"][0]["indicators"][0]["reports"][0] == {
        "realisation_id": q1["realisation_id"],
        "period": "2026-Q1",
        "value": "25",
        "evidence_ref": "https://e-kinerja.binjaikota.go.id/b/1",
    }
    assert [r["period"] for r in only["items"][0]["indicators"][1]["reports"]] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    assert body["dialogues"] == [
        {"dialogue_id": dialogue_1["dialogue_id"], "held_on": "2026-04-06", "skp_id": skp_id},
        {"dialogue_id": dialogue_2["dialogue_id"], "held_on": "2026-10-05", "skp_id": skp_id},
    ]
    assert body["last_dialogue"] == body["dialogues"][-1]
    assert body["behaviour_feedback"] == {
        "AKUNTABEL": {"SUPERVISOR": {"DI_ATAS_EKSPEKTASI": 1}},
        "KOLABORATIF": {"PEER": {"SESUAI_EKSPEKTASI": 1}},
    }
    assert feedback["feedback_id"] == feedback["event_id"]

    # Of DINKES's two staff in service on 31 December 2026, Budi has a plan, a Q4 realisation and
    # a dialogue since 3 October.
    agency = api.get("/v1/agencies/DINKES/skp", year=2026)
    assert agency.json() == {
        "code": "DINKES",
        "year": 2026,
        "on": "2026-12-31",
        "quarter": "2026-Q4",
        "dialogue_window": {"from": "2026-10-03", "to": "2026-12-31"},
        "staff_in_service": 2,
        "with_plan": 1,
        "with_realisation_this_quarter": 1,
        "with_dialogue_90_days": 1,
        "share_with_plan": "0.5",
        "share_with_realisation_this_quarter": "0.5",
        "share_with_dialogue_90_days": "0.5",
    }

    # The appraisal rests on the plan; Andi's (no plan) is flagged.
    unplanned = created(
        api.post(
            f"/v1/employees/{OTHER_NIP}/appraisals",
            {
                "period": "2026",
                "hasil_kerja": "SESUAI_EKSPEKTASI",
                "perilaku_kerja": "SESUAI_EKSPEKTASI",
                "appraiser_nip": APPRAISER_NIP,
            },
        )
    )
    api.catch_up()
    register = api.get("/v1/appraisals", role="inspector", year=2026).json()
    realisation_ids = sorted(
        r["realisation_id"] for i in only["items"] for j in i["indicators"] for r in j["reports"]
    )
    assert register["items"] == [
        {
            "appraisal_id": appraisal["appraisal_id"],
            "nip": SUBJECT,
            "agency": "DINKES",
            "period": "2026",
            "predikat": "BAIK",
            "appraiser_nip": APPRAISER_NIP,
            "verdict": "CONSISTENT",
            "failed_checks": [],
            "checks": [
                {
                    "check": "basis",
                    "passed": True,
                    "reason": "an approved SKP plan with 13 realisation(s) within 2026",
                    "event_ids": [skp_id, *sorted([*realisation_ids, first_q3["realisation_id"]])],
                }
            ],
        },
        {
            "appraisal_id": unplanned["appraisal_id"],
            "nip": OTHER_NIP,
            "agency": "DISDIK",
            "period": "2026",
            "predikat": "BAIK",
            "appraiser_nip": APPRAISER_NIP,
            "verdict": "INCONSISTENT",
            "failed_checks": ["basis"],
            "checks": [
                {
                    "check": "basis",
                    "passed": False,
                    "reason": "no SKP plan for 2026 was recorded before the appraisal",
                    "event_ids": [],
                }
            ],
        },
    ]
    flagged = api.get("/v1/appraisals", role="auditor", year=2026, verdict="INCONSISTENT").json()["items"]
    assert [i["nip"] for i in flagged] == [OTHER_NIP]
    one = api.get(f"/v1/appraisals/{unplanned['appraisal_id']}/verification", role="inspector")
    assert one.json() == register["items"][1]


def test_idempotency_and_if_match_on_the_cycle(api: Api, clock: FakeClock) -> None:
    first = api.post(f"{E}/skp", PLAN, role="appraiser", **{"Idempotency-Key": "skp-2026"})
    created(first)
    head = api.head()
    again = api.post(f"{E}/skp", PLAN, role="appraiser", **{"Idempotency-Key": "skp-2026"})
    assert (again.status_code, again.json(), again.headers["Idempotent-Replayed"]) == (
        201,
        first.json(),
        "true",
    )
    other = api.post(f"{E}/skp", {**PLAN, "year": 2027}, role="appraiser", **{"Idempotency-Key": "skp-2026"})
    assert (other.status_code, other.json()["detail"]) == (
        422,
        "this Idempotency-Key was already used for a different request",
    )
    assert api.head() == head
    skp_id, version = first.json()["skp_id"], first.json()["version"]
    body = {"item": 1, "indicator": 1, "period": "2026-01", "value": 3}
    stale = api.post(
        f"{E}/skp/{skp_id}/realisations", body, role="employee", **{"If-Match": f'"{version - 1}"'}
    )
    assert (stale.status_code, stale.json()["detail"]) == (
        412,
        f"If-Match expected version {version - 1}, current is {version}",
    )
    assert api.head() == head
    ok = api.post(f"{E}/skp/{skp_id}/realisations", body, role="employee", **{"If-Match": f'"{version}"'})
    assert (ok.status_code, ok.headers["ETag"]) == (201, f'"{version + 1}"')

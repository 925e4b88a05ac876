"""The service clock over HTTP (both stores): the CPNS start, PNS-only awards, CLTN, suspension
and the end of service with their exact refusals, and the figures that count only employees in
service (docs/SERVICE.md)."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.application import KinerjaLedger
from projections import queries
from tests.api_support import Api, make_api
from tests.factories import HR, NIP_BUDI, NIP_SARI, nip_for, seed_basic

E = f"/v1/employees/{NIP_BUDI}"
PPPK = nip_for(7, tmt=2019)  # born 1988-01-01, TMT 2019-01
OLD = "196104191993042119"  # born 1961-04-19: past the BUP of 58 since 2019-05-01
CLTN = {
    "leave_type": "CLTN",
    "started_on": "2020-01-01",
    "reason": "Mengikuti suami",
    "decree_number": "SK-1",
    "decree_date": "2019-12-01",
}


@pytest.fixture
def api(app: KinerjaLedger) -> Api:
    seed_basic(app)
    return make_api(app)


def problem(response: Any) -> tuple[int, list[dict[str, str]]]:
    assert response.headers["content-type"] == "application/problem+json"
    return response.status_code, response.json().get("errors", [])


def register(api: Api, nip: str, employment_type: str = "PNS", position: str = "Analis", **extra: str) -> Any:
    body = {"nip": nip, "name": "Pegawai", "agency": "DINKES", "position": position, "grade": "III/a"}
    return api.post("/v1/employees", {**body, "employment_type": employment_type, **extra})


def test_a_service_start_before_the_tmt_month_is_a_422_naming_the_field(api: Api) -> None:
    head = api.head()
    r = register(api, nip_for(1), service_start_date="2011-12-31")  # TMT 2012-01
    assert problem(r) == (
        422,
        [{"field": "service_start_date", "reason": "before the TMT month in the NIP (2012-01-01)"}],
    )
    assert api.head() == head
    assert register(api, nip_for(1), service_start_date="2012-01-01").status_code == 201


def test_a_pppks_satyalancana_and_special_promotion_are_recorded_and_flagged(api: Api) -> None:
    assert register(api, PPPK, "PPPK").status_code == 201
    award = {"reason": "r", "decree_number": "SK-9", "decree_date": "2026-01-15"}
    slks = api.post(f"/v1/employees/{PPPK}/awards", {**award, "award_type": "SATYALANCANA_KARYA_SATYA_10"})
    assert slks.status_code == 201
    assert (slks.json()["eligible"], [i["reason"] for i in slks.json()["ineligibility"]]) == (
        False,
        [
            (
                "Satyalancana Karya Satya hanya untuk PNS; pegawai ini PPPK "
                "(Satyalancana Karya Satya is for PNS only; this employee is PPPK)"
            ),
            "masa kerja 7 tahun, kurang dari 10 tahun (service 7 years, 10 required)",
        ],
    )
    kpi = api.post(f"/v1/employees/{PPPK}/awards", {**award, "award_type": "KENAIKAN_PANGKAT_ISTIMEWA"})
    assert kpi.json()["ineligibility"] == [
        {
            "reason": "kenaikan pangkat istimewa memerlukan pangkat; PPPK tidak berpangkat "
            "(a special promotion needs a pangkat: PNS only; this employee is PPPK)",
            "event_ids": [f"{api.ledger.employee(PPPK).id}:1"],
        }
    ]


def test_cltn_suspension_and_the_end_of_service(api: Api) -> None:
    leave = api.post(f"{E}/leaves", CLTN)
    assert leave.status_code == 201
    leave_id = leave.json()["leave_id"]
    head = api.head()
    overlapping = api.post(
        f"{E}/suspensions",
        {"started_on": "2020-06-01", "reason": "r", "decree_number": "SK-2", "decree_date": "2026-03-03"},
    )
    assert problem(overlapping) == (
        422,
        [
            {"field": "decree_date", "reason": "in the future"},
            {"field": "started_on", "reason": f"CLTN {leave_id} from 2020-01-01 has not ended"},
        ],
    )
    wrong_kind = api.post(
        f"{E}/suspensions/{leave_id}/end",
        {"ended_on": "2021-01-01", "decree_number": "SK", "decree_date": "2021-01-01"},
    )
    assert (wrong_kind.status_code, wrong_kind.json()["detail"]) == (
        404,
        f"unknown suspension {leave_id} for this employee",
    )
    early = api.post(
        f"{E}/leaves/{leave_id}/end",
        {"ended_on": "2020-01-01", "decree_number": "SK", "decree_date": "2020-01-01"},
    )
    assert problem(early) == (422, [{"field": "ended_on", "reason": "must be after the start (2020-01-01)"}])
    assert api.head() == head
    back = {"ended_on": "2021-01-01", "decree_number": "SK-3", "decree_date": "2020-12-20"}
    assert api.post(f"{E}/leaves/{leave_id}/end", back).status_code == 201
    again = api.post(f"{E}/leaves/{leave_id}/end", back)
    assert (again.status_code, again.json()["detail"]) == (
        409,
        f"leave {leave_id} has already ended (2021-01-01)",
    )

    suspension = api.post(
        f"{E}/suspensions",
        {"started_on": "2022-01-01", "reason": "r", "decree_number": "S", "decree_date": "2022-01-01"},
    )
    assert suspension.status_code == 201
    end = {
        "reason": "PERJANJIAN_KERJA_BERAKHIR",
        "ended_on": "2021-06-01",
        "decree_number": "SK-4",
        "decree_date": "2021-06-01",
    }
    head = api.head()
    refused = api.post(f"{E}/service-end", end)
    assert problem(refused) == (
        422,
        [
            {
                "field": "ended_on",
                "reason": f"on or before the start of suspension {suspension.json()['suspension_id']} (2022-01-01)",
            },
            {"field": "reason", "reason": "only a PPPK's service ends with the work agreement"},
        ],
    )
    assert api.head() == head
    ended = api.post(f"{E}/service-end", {**end, "reason": "MENINGGAL_DUNIA", "ended_on": "2026-02-01"})
    assert ended.status_code == 201
    twice = api.post(f"{E}/service-end", {**end, "reason": "MENINGGAL_DUNIA", "ended_on": "2026-02-01"})
    assert (twice.status_code, twice.json()["detail"]) == (
        409,
        f"the service already ended on 2026-02-01 ({ended.json()['service_end_id']})",
    )
    trained = api.post(
        f"{E}/trainings",
        {"title": "Diklat", "hours_jp": 4, "completed_on": "2026-02-02", "provider": "BPSDM"},
    )
    assert trained.status_code == 201  # recorded, and flagged

    api.catch_up()  # projections are total: every new event kind goes through every read model
    assert not api.runner.errors, api.runner.errors
    summary = queries.employee_summary(api.ledger, NIP_BUDI)
    assert summary is not None
    assert summary["flags"] == [
        {
            "flag": "AFTER_SERVICE_END",
            "event_id": trained.json()["training_id"],
            "reason": "training on or after the end of service on 2026-02-01",
        }
    ]
    record = api.get(E).json()
    assert record["status"] == "ENDED"
    service = record["service"]
    assert service["end"] == {
        "end_id": ended.json()["service_end_id"],
        "reason": "MENINGGAL_DUNIA",
        "ended_on": "2026-02-01",
        "decree_number": "SK-4",
        "decree_date": "2021-06-01",
    }
    assert [(p["kind"], p["started_on"], p["ended_on"]) for p in service["leaves"]] == [
        ("CLTN", "2020-01-01", "2021-01-01")
    ]
    assert [(p["kind"], p["started_on"], p["ended_on"]) for p in service["suspensions"]] == [
        ("SUSPENSION", "2022-01-01", None)
    ]
    assert service["flags"] == [
        {
            "flag": "AFTER_SERVICE_END",
            "event_id": trained.json()["training_id"],
            "reason": "training on or after the end of service on 2026-02-01",
        }
    ]
    assert service["retirement"] == {
        "category": "ADMINISTRASI_DAN_FUNGSIONAL",
        "age": 58,
        "reached_on": "2043-03-15",
        "pension_from": "2043-04-01",
        "rule_version": "bup/2017.1",
    }


def test_past_the_retirement_age_is_flagged_on_the_record_and_the_summary(api: Api) -> None:
    assert register(api, OLD, position="Kepala Dinas Kesehatan").status_code == 201
    service = api.get(f"/v1/employees/{OLD}").json()["service"]
    assert service["flags"] == [
        {
            "flag": "PAST_BUP",
            "event_id": None,
            "reason": "melewati BUP 60 tahun pada 2021-04-19, belum ada pemberhentian (reached the "
            "retirement age of 60 on 2021-04-19; no end of service is recorded)",
        }
    ]
    api.catch_up()
    summary = queries.employee_summary(api.ledger, OLD)
    assert summary is not None
    assert (summary["retirement_age"], summary["pension_from"], summary["past_bup"]) == (
        60,
        "2021-05-01",
        True,
    )
    api.ledger.end_service(
        HR, OLD, reason="PENSIUN_BUP", ended_on="2021-05-01", decree_number="SK-P", decree_date="2021-03-01"
    )
    api.catch_up()
    summary = queries.employee_summary(api.ledger, OLD)
    assert summary is not None
    assert (summary["service_ended_on"], summary["service_end_reason"], summary["past_bup"]) == (
        "2021-05-01",
        "PENSIUN_BUP",
        False,
    )


def test_figures_count_only_employees_in_service_and_pppk_apart(api: Api) -> None:
    ledger = api.ledger
    assert register(api, PPPK, "PPPK").status_code == 201
    leaver = nip_for(2)
    assert register(api, leaver).status_code == 201
    for nip, jp in ((NIP_BUDI, 20), (NIP_SARI, 8), (PPPK, 4), (leaver, 30)):
        ledger.record_training(
            HR, nip, title="Diklat", hours_jp=jp, completed_on="2025-03-01", provider="BPSDM"
        )
        ledger.record_appraisal(
            HR,
            nip,
            period="2025",
            hasil_kerja="SESUAI_EKSPEKTASI",
            perilaku_kerja="SESUAI_EKSPEKTASI",
            appraiser_nip=NIP_SARI if nip != NIP_SARI else NIP_BUDI,
        )
    ledger.end_service(
        HR,
        leaver,
        reason="MENGUNDURKAN_DIRI",
        ended_on="2025-12-31",
        decree_number="SK",
        decree_date="2025-12-01",
    )
    api.catch_up()
    compliance = api.get("/v1/training/compliance", year=2025, agency="DINKES").json()
    assert compliance["agencies"] == [
        {
            "agency": "DINKES",
            "name": "Dinas Kesehatan",
            "employees": 3,
            "pns": 2,
            "compliant": 1,
            "non_compliant": 1,
            "rate_pct": "50.00",
            "pppk": 1,
            "jp_total": "32",
        }
    ]
    assert [
        (p["nip"], p["employment_type"], p["jp"], p["compliant"]) for p in compliance["employees"]
    ] == sorted([(NIP_BUDI, "PNS", "20", True), (NIP_SARI, "PNS", "8", False), (PPPK, "PPPK", "4", None)])
    assert compliance["note"] == queries.PPPK_NOTE
    summary = api.get("/v1/agencies/DINKES/summary", year=2025).json()
    assert (summary["employees"], summary["appraised"]) == (3, 3)
    ranking = api.get("/v1/rankings", year=2025, agency="DINKES").json()
    assert leaver not in [r["nip"] for r in ranking["items"]] and ranking["total"] == 3
    assert queries.scorecard(ledger, leaver, 2025)["rank_in_agency"] is None  # type: ignore[index]
    public = queries.public_agencies(ledger, 2025)["agencies"][0]["figures"]
    assert public["employees"] == {
        "value": None,
        "suppressed": True,
        "reason": "fewer than 5 people or responses (k = 5)",
    }

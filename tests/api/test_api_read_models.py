"""Routes over the read models: scorecard, registers, agency summary, programs, the public
portal's data, and what a list read leaves in the access logs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api import access_log
from ledger.application import CommandContext
from ledger.domain.employee import Employee
from ledger.domain.envelope import Actor
from tests.api_support import APPRAISER_NIP, OTHER_NIP, SUBJECT, VALID_SURVEY, Api, shared_api
from tests.conftest import STORES
from tests.factories import HR

E = f"/v1/employees/{SUBJECT}"
CITIZEN = CommandContext(Actor("citizen", "citizen"))


@pytest.fixture(scope="module", params=STORES)
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One store for the module: the tests add nothing the others count on."""
    with shared_api(request.param, tmp_path_factory.mktemp("read-models"), request) as (api, _):
        ledger = api.ledger
        ledger.record_training(
            HR, SUBJECT, title="Diklat K3", hours_jp=8, completed_on="2026-02-01", provider="BPSDM"
        )
        ledger.grant_award(
            HR,
            SUBJECT,
            award_type="PIAGAM_INOVASI",
            reason="aplikasi antrean",
            decree_number="SK-1",
            decree_date="2026-02-01",
        )
        ledger.impose_sanction(
            HR,
            APPRAISER_NIP,
            violation={"description": "tidak masuk 3 hari", "level": "RINGAN", "absence_days": 3},
            penalty="TEGURAN_LISAN",
            decided_by_role="ATASAN_LANGSUNG",
            decided_by_name="Kepala Puskesmas",
            decree_number="800/7/2026",
            decided_on="2026-02-20",
        )
        ledger.launch_program(HR, code="SEKOLAH-SEHAT", name="Sekolah Sehat", agencies=["DINKES", "DISDIK"])
        ledger.add_program_participant(HR, "SEKOLAH-SEHAT", nip=SUBJECT, role="koordinator")
        for _ in range(5):
            ledger.submit_survey(CITIZEN, **VALID_SURVEY, officer_code="PKM-07")
        api.catch_up()
        yield api


def readers_of(api: Api, nip: str) -> set[tuple[str, str]]:
    entries = api.get(f"/v1/employees/{nip}/access-log", role="auditor").json()["entries"]
    return {(e["reader_role"], e["route"]) for e in entries}


def last_access_id(api: Api) -> int:
    with api.ledger.sql.transaction(write=False) as tx:
        return int(tx.scalar(f"SELECT COALESCE(MAX(id), 0) FROM {access_log.TABLE}"))


def reads_since(api: Api, nip: str, after: int) -> list[tuple[str, str, int]]:
    """Who read `nip`'s record, in order, after access-log entry `after` (the module shares a store)."""
    return [
        (e["reader_role"], e["route"], e["status"])
        for e in access_log.entries(api.ledger, nip, after=after, limit=100)
    ]


def test_scorecard(api: Api) -> None:
    card = api.get(f"{E}/scorecard", role="employee", year=2026).json()
    assert card["nip"] == SUBJECT and card["year"] == 2026
    components = {c["component"]: c for c in card["components"]}
    assert components["training"]["detail"]["jp"] == "8"
    # Budi's stream: registered, assigned, appraised (2025), then the 2026 facts scored here:
    # training v4, award v5, collaboration v6 and five officer-named surveys v7-v11.
    budi = Employee.create_id(SUBJECT)
    assert {c["component"]: set(c["event_ids"]) for c in card["components"]} == {
        "predikat": set(),  # no 2026 appraisal
        "citizen_satisfaction": {f"{budi}:{v}" for v in range(7, 12)},
        "training": {f"{budi}:4"},
        "collaboration": {f"{budi}:6"},
        "awards": {f"{budi}:5"},
        "sanctions": set(),
    }
    assert sorted(card["event_ids"]) == sorted(f"{budi}:{v}" for v in range(4, 12))
    latest = api.get(f"{E}/scorecard").json()
    assert latest["year"] == 2026  # the latest scored year by default
    assert api.get(f"{E}/scorecard", year=1999).status_code == 404
    assert api.get("/v1/employees/199912312020121001/scorecard").status_code == 404
    assert api.get(f"{E}/scorecard", year=1800).status_code == 422


def test_registers_and_their_access_log_entries(api: Api) -> None:
    mark = last_access_id(api)
    ranking = api.get("/v1/rankings", year=2025, agency="DINKES").json()
    assert [i["nip"] for i in ranking["items"]] == [SUBJECT]
    awards = api.get("/v1/awards", year=2026).json()["items"]
    assert [(a["nip"], a["award_type"], a["eligible"]) for a in awards] == [(SUBJECT, "PIAGAM_INOVASI", True)]
    training = api.get("/v1/training/compliance", year=2026, agency="DINKES").json()
    assert {e["nip"]: e["jp"] for e in training["employees"]} == {SUBJECT: "8", APPRAISER_NIP: "0"}
    assert api.get("/v1/rankings").status_code == 422  # year is required

    # Sari's reprimand cites no summons, examination or BAP: only the procedure check fails.
    inconsistent = api.get("/v1/sanctions", role="inspector", verdict="INCONSISTENT").json()["items"]
    consistent = api.get("/v1/sanctions", role="inspector", verdict="CONSISTENT").json()["items"]
    assert ([s["nip"] for s in inconsistent], consistent) == ([APPRAISER_NIP], [])
    sanction_id = inconsistent[0]["sanction_id"]
    verification = api.get(f"/v1/sanctions/{sanction_id}/verification", role="inspector").json()
    assert verification["verdict"] == "INCONSISTENT"
    assert verification["failed_checks"] == ["procedure_dates"]
    assert [(c["number"], c["name"], c["passed"]) for c in verification["checks"]] == [
        (1, "penalty_matches_level", True),
        (2, "absence_table", True),
        (3, "evidence", True),
        (4, "procedure_dates", False),
        (5, "official_authorised", True),
        (6, "one_penalty_per_examination", True),
        (7, "appeals", True),
        (8, "in_service", True),
    ]
    assert api.get("/v1/sanctions", role="inspector", verdict="MAYBE").status_code == 422

    # Each listed employee's access log shows the list read; unlisted ones see nothing of it.
    assert reads_since(api, SUBJECT, mark) == [
        ("hr", "/v1/rankings", 200),
        ("hr", "/v1/awards", 200),
        ("hr", "/v1/training/compliance", 200),
    ]
    assert reads_since(api, APPRAISER_NIP, mark) == [
        ("hr", "/v1/training/compliance", 200),  # DINKES lists her with 0 JP
        ("inspector", "/v1/sanctions", 200),
        ("inspector", "/v1/sanctions/{id}/verification", 200),
    ]
    assert reads_since(api, OTHER_NIP, mark) == []


def test_agency_summary_and_programs(api: Api) -> None:
    summary = api.get("/v1/agencies/DINKES/summary", year=2026).json()
    assert summary["agency"] == "DINKES"
    assert summary["units"][0]["service_unit"] == "PUSKESMAS-BINJAI"
    assert api.get("/v1/agencies/NOPE/summary").status_code == 404
    assert api.get("/v1/agencies/DINKES/summary", year=1990).status_code == 404
    programs = api.get("/v1/programs").json()["items"]
    assert [(p["code"], p["participants"]) for p in programs] == [("SEKOLAH-SEHAT", 1)]
    program = api.get("/v1/programs/SEKOLAH-SEHAT", role="auditor").json()
    assert [p["nip"] for p in program["participants_list"]] == [SUBJECT]
    assert ("auditor", "/v1/programs/{code}") in readers_of(api, SUBJECT)


def test_public_routes_show_no_personal_data(api: Api) -> None:
    units = api.client.get("/v1/public/service-units")
    agencies = api.client.get("/v1/public/agencies")
    assert units.status_code == agencies.status_code == 200
    assert [u["code"] for u in units.json()["service_units"]] == ["PUSKESMAS-BINJAI"]
    for body in (units.text, agencies.text):
        for personal in (SUBJECT, APPRAISER_NIP, OTHER_NIP, "Budi", "Sari", "Andi", "PKM-07"):
            assert personal not in body
    # k = 5: two people in DISDIK/DINKES are never published as counts.
    figures = {a["code"]: a["figures"] for a in agencies.json()["agencies"]}
    assert figures["DINKES"]["employees"] == {
        "value": None,
        "suppressed": True,
        "reason": "fewer than 5 people or responses (k = 5)",
    }
    # Five surveys, every answer 3, are enough for DINKES's IKM: 3.00 -> 75.00, mutu C.
    published = {
        name: figure["value"]
        for name, figure in figures["DINKES"].items()
        if not figure["suppressed"] and figure["value"] is not None
    }
    assert published == {"ikm.respondents": 5, "ikm.value": "3.00", "ikm.converted": "75.00", "ikm.mutu": "C"}
    assert all(f["suppressed"] or f["value"] is None for f in figures["DISDIK"].values())


def test_public_survey_validation(api: Api) -> None:
    head = api.head()
    r = api.client.post("/v1/public/surveys", json={**VALID_SURVEY, "service_unit": "NOPE"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "service_unit"
    r = api.client.post("/v1/public/surveys", json={**VALID_SURVEY, "officer_code": "PKM-99"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "officer_code"
    r = api.client.post("/v1/public/surveys", json={**VALID_SURVEY, "answers": {"U1": 5}})
    assert r.status_code == 422
    assert [(e["field"], e["reason"]) for e in r.json()["errors"]] == [
        ("answers.U1", "Input should be less than or equal to 4")
    ] + [(f"answers.U{i}", "required") for i in range(2, 10)]
    assert api.head() == head
    r = api.client.post(
        "/v1/public/surveys", json={**VALID_SURVEY, "officer_code": "PKM-07", "comment": "ramah"}
    )
    assert r.status_code == 201
    assert api.head() == head + 2  # on the unit and, as citizen feedback, on the officer


# Module-scoped fixtures open the store themselves (not through the `store` fixture).
pytestmark = pytest.mark.store

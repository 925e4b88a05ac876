"""Every input is bounded (issue 12): decision and completion dates never after the recording day
(WIB), effective dates at most one year after it, no date before 1950, programme targets and
outcomes 0 to 10^12 with at most 4 decimal places. Out of bounds is an exact 422 naming the field,
and nothing is written; at the bound it is accepted. The test clock's day is 2026-03-02 WIB."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ledger.application import KinerjaLedger
from ledger.errors import FieldError, ValidationFailed
from tests.api_support import SUBJECT, Api, make_api, seed_world, shared_api
from tests.conftest import STORES
from tests.factories import HR

EMPLOYEE = f"/v1/employees/{SUBJECT}"
SANCTION = {
    "violation": {"description": "Terlambat masuk kerja", "level": "RINGAN"},
    "penalty": "TEGURAN_LISAN",
    "decided_by_role": "KEPALA_OPD",
    "decided_by_name": "Kepala Dinas Kesehatan",
    "decree_number": "800/1/SK-HD/2026",
    "decided_on": "2026-02-20",
}
TUKIN_12 = {
    **SANCTION,
    "violation": {"description": "Tidak masuk kerja tanpa alasan yang sah", "level": "SEDANG"},
    "penalty": "POTONGAN_TUKIN_12",
}
AHEAD = "at most one year after the recording date (on or before 2027-03-02)"


@pytest.fixture(scope="module", params=STORES)
def refusing(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """Shared by the refusals: each is checked to write nothing."""
    with shared_api(request.param, tmp_path_factory.mktemp("bounds"), request) as (shared, _):
        shared.post(f"{EMPLOYEE}/sanctions", SANCTION)
        shared.post("/v1/programs", {"code": "PRG", "name": "Program", "agencies": ["DINKES", "DISDIK"]})
        yield shared


def sanction_id(api: Api) -> str:
    return str(api.get(EMPLOYEE).json()["sanctions"][0]["sanction_id"])


def award_id(api: Api) -> str:
    body = {"award_type": "SATYALANCANA_KARYA_SATYA_10", "reason": "Sepuluh tahun", "decree_number": "A/1"}
    return str(api.post(f"{EMPLOYEE}/awards", {**body, "decree_date": "2026-02-01"}).json()["award_id"])


def refused(api: Api, path: str, body: Any) -> list[dict[str, str]]:
    before = api.head()
    r = api.post(path, body)
    assert (r.status_code, r.headers["content-type"]) == (422, "application/problem+json"), r.text
    assert api.head() == before
    return list(r.json()["errors"])


def test_a_sanction_decided_on_9999_12_31_is_refused_and_the_record_still_reads(refusing: Api) -> None:
    # Before: accepted (201); the employee's GET then answered 500 (ringan_end overflowed) and
    # three projections failed at that position forever.
    sanctions = f"{EMPLOYEE}/sanctions"
    assert refused(refusing, sanctions, {**SANCTION, "decided_on": "9999-12-31"}) == [
        {"field": "decided_on", "reason": "in the future"}
    ]
    assert refused(refusing, sanctions, {**SANCTION, "decided_on": "2026-03-03"}) == [
        {"field": "decided_on", "reason": "in the future"}
    ]
    assert refusing.get(EMPLOYEE).status_code == 200


def test_a_tukin_12_sanction_effective_in_9999_is_a_422_never_a_500(refusing: Api) -> None:
    # Before: 500 (its end, in year 10000, overflowed while the event was being built).
    sanctions = f"{EMPLOYEE}/sanctions"
    assert refused(refusing, sanctions, {**TUKIN_12, "effective_date": "9999-12-31"}) == [
        {"field": "effective_date", "reason": AHEAD}
    ]
    assert refused(refusing, sanctions, {**TUKIN_12, "effective_date": "2027-03-03"}) == [
        {"field": "effective_date", "reason": AHEAD}
    ]


def test_summons_and_examination_are_never_after_today(refusing: Api) -> None:
    body = {**SANCTION, "summoned_on": ["2026-02-10", "2026-03-03"], "examined_on": "2026-03-03"}
    assert refused(refusing, f"{EMPLOYEE}/sanctions", body) == [
        {"field": "summoned_on[1]", "reason": "in the future"},
        {"field": "examined_on", "reason": "in the future"},
    ]


def test_no_date_before_1950(refusing: Api) -> None:
    before_1950 = [{"field": "decided_on", "reason": "must be on or after 1950-01-01"}]
    assert refused(refusing, f"{EMPLOYEE}/sanctions", {**SANCTION, "decided_on": "1949-12-31"}) == before_1950
    # The ledger's own boundary says the same to a caller without the HTTP schema (CLI, import).
    with pytest.raises(ValidationFailed) as err:
        refusing.ledger.impose_sanction(HR, SUBJECT, **{**SANCTION, "decided_on": "1949-12-31"})
    assert err.value.errors == [FieldError("decided_on", "must be on or after 1950-01-01")]


def test_revocations_are_never_dated_after_today(refusing: Api) -> None:
    # Before: both accepted (201), while awards, trainings and appeals refused a future date.
    sid = sanction_id(refusing)
    revoke = {"reason": "Keliru", "decree_number": "R/1", "decided_on": "2026-03-03"}
    assert refused(refusing, f"{EMPLOYEE}/sanctions/{sid}/revocations", revoke) == [
        {"field": "decided_on", "reason": "in the future"}
    ]


def test_an_award_revocation_is_never_dated_after_today(app: KinerjaLedger) -> None:
    api = make_api(app)
    seed_world(app)
    aid = award_id(api)
    revoke = {"reason": "Keliru", "decree_number": "R/2", "decree_date": "2026-03-03"}
    assert refused(api, f"{EMPLOYEE}/awards/{aid}/revocations", revoke) == [
        {"field": "decree_date", "reason": "in the future"}
    ]
    ok = api.post(f"{EMPLOYEE}/awards/{aid}/revocations", {**revoke, "decree_date": "2026-03-02"})
    assert ok.status_code == 201, ok.text


def test_a_transfer_takes_effect_at_most_a_year_ahead(app: KinerjaLedger) -> None:
    # Before: any future effective date was accepted.
    api = make_api(app)
    seed_world(app)
    transfer = {"agency": "DISDIK", "position": "Guru Ahli Pertama", "effective_date": "2027-03-03"}
    assert refused(api, f"{EMPLOYEE}/transfers", transfer) == [{"field": "effective_date", "reason": AHEAD}]
    ok = api.post(f"{EMPLOYEE}/transfers", {**transfer, "effective_date": "2027-03-02"})
    assert ok.status_code == 201, ok.text
    tukin = api.post(f"/v1/employees/{SUBJECT}/sanctions", {**TUKIN_12, "effective_date": "2027-03-02"})
    assert tukin.status_code == 201, tukin.text
    api.catch_up()
    assert api.get(EMPLOYEE).status_code == 200
    assert [(s.name, s.error) for s in api.runner.status() if s.error] == []


@pytest.mark.parametrize(
    ("over", "errors"),
    [
        ({"achieved": 1e30}, [("achieved", "Input should be less than or equal to 1000000000000")]),
        ({"target": -1}, [("target", "Input should be greater than or equal to 0")]),
        ({"achieved": 1.00001}, [("achieved", "Input should be a multiple of 0.0001")]),
        ({"period": "2026-04..2026-06"}, [("period", "has not started yet")]),
    ],
)
def test_programme_outcomes_are_bounded(
    refusing: Api, over: dict[str, Any], errors: list[tuple[str, str]]
) -> None:
    # Before: 1e30 was accepted and the programs projection failed on it for ever (quantize).
    body = {"indicator": "Cakupan", "target": 10, "achieved": 5, "period": "2025", **over}
    assert refused(refusing, "/v1/programs/PRG/outcomes", body) == [
        {"field": f, "reason": r} for f, r in errors
    ]


@pytest.mark.parametrize(
    ("over", "error"),
    [
        ({"achieved": "1e30"}, FieldError("achieved", "must be between 0 and 1000000000000")),
        ({"target": "-0.5"}, FieldError("target", "must be between 0 and 1000000000000")),
        ({"achieved": "1.00001"}, FieldError("achieved", "at most 4 decimal places")),
    ],
)
def test_the_ledger_bounds_outcomes_for_every_caller(
    refusing: Api, over: dict[str, Any], error: FieldError
) -> None:
    body = {"indicator": "Cakupan", "target": "10", "achieved": "5", "period": "2025", **over}
    with pytest.raises(ValidationFailed) as err:
        refusing.ledger.record_program_outcome(HR, "PRG", **body)
    assert err.value.errors == [error]


def test_outcomes_at_the_bounds_are_accepted(app: KinerjaLedger) -> None:
    api = make_api(app)
    seed_world(app)
    api.post("/v1/programs", {"code": "PRG", "name": "Program", "agencies": ["DINKES", "DISDIK"]})
    body = {"indicator": "Cakupan", "target": 0.0001, "achieved": 1e12, "period": "2026-03..2026-03"}
    r = api.post("/v1/programs/PRG/outcomes", body)
    assert r.status_code == 201, r.text
    api.catch_up()
    outcome = api.get("/v1/programs/PRG").json()["outcomes_list"][0]
    assert (outcome["target"], outcome["achieved"], outcome["achievement_pct"]) == (
        "0.0001",
        "1000000000000.0",
        "1000000000000000000.00",
    )


pytestmark = pytest.mark.store  # the shared app opens a store: not part of make test-fast

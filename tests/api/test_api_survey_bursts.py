"""Sixty surveys naming one officer in a minute (the attack the review found): accepted, but held
out of the officer's score as a burst until HR reviews it; COUNT lets them in, EXCLUDE keeps
them out; the register lists the burst with its status."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.ratelimit import RateLimit
from ledger.application import KinerjaLedger
from projections.registry import default_projections
from projections.runner import ProjectionRunner
from tests.api_support import SUBJECT, Api, seed_world
from tests.conftest import FakeClock, make_settings

SURVEY = {
    "service_unit": "PUSKESMAS-BINJAI",
    "officer_code": "PKM-07",
    "answers": {f"U{i}": 4 for i in range(1, 10)},
}
CARD = f"/v1/employees/{SUBJECT}/scorecard"


@pytest.fixture
def api(store: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Api]:
    ledger = KinerjaLedger(make_settings(store, tmp_path, request), clock=FakeClock())
    try:
        seed_world(ledger)
        app = create_app(ledger=ledger, public_rate=RateLimit(burst=1000, per_minute=1000))
        yield Api(TestClient(app), app, ledger, ProjectionRunner(ledger, default_projections()))
    finally:
        ledger.close()


def surveys(api: Api, n: int) -> None:
    for _ in range(n):
        assert api.client.post("/v1/public/surveys", json=SURVEY).status_code == 201


def satisfaction(api: Api) -> dict[str, Any]:
    api.catch_up()
    card = api.get(CARD, year=2026)
    assert card.status_code == 200, card.text
    (component,) = [c for c in card.json()["components"] if c["component"] == "citizen_satisfaction"]
    return dict(component)


def register(api: Api, **params: Any) -> list[dict[str, Any]]:
    api.catch_up()
    r = api.get("/v1/survey-bursts", year=2026, **params)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def test_sixty_surveys_in_a_minute_are_held_until_reviewed(api: Api) -> None:
    surveys(api, 60)
    (burst,) = register(api)
    assert {k: burst[k] for k in ("nip", "name", "agency", "surveys", "status", "review_id")} == {
        "nip": SUBJECT,
        "name": "Budi Santoso",
        "agency": "DINKES",
        "surveys": 60,
        "status": "PENDING_REVIEW",
        "review_id": None,
    }
    assert burst["event_ids"][0] == burst["burst_id"] and len(burst["event_ids"]) == 60
    held = satisfaction(api)
    assert (held["applicable"], held["detail"]["held_in_bursts"]) == (
        False,
        [{"burst_id": burst["burst_id"], "surveys": 60, "status": "PENDING_REVIEW", "review_id": None}],
    )

    review = api.post(
        f"/v1/employees/{SUBJECT}/survey-bursts/{burst['burst_id']}/review",
        {"decision": "COUNT", "reason": "hari pelayanan keliling"},
    )
    assert review.status_code == 201, review.text
    assert review.json()["burst_id"] == burst["burst_id"]
    counted = satisfaction(api)
    assert (
        counted["applicable"],
        counted["detail"]["respondents"],
        "held_in_bursts" in counted["detail"],
    ) == (
        True,
        60,
        False,
    )
    assert [(b["status"], b["review_id"]) for b in register(api)] == [("COUNT", review.json()["review_id"])]
    assert register(api, status="PENDING_REVIEW") == []

    again = api.post(
        f"/v1/employees/{SUBJECT}/survey-bursts/{burst['burst_id']}/review",
        {"decision": "EXCLUDE", "reason": "x"},
    )
    assert (again.status_code, again.json()["detail"]) == (
        409,
        f"the burst starting with {burst['burst_id']} is already reviewed",
    )


def test_excluded_surveys_stay_out(api: Api) -> None:
    surveys(api, 6)
    (burst,) = register(api)
    r = api.post(
        f"/v1/employees/{SUBJECT}/survey-bursts/{burst['burst_id']}/review",
        {"decision": "EXCLUDE", "reason": "skrip"},
    )
    assert r.status_code == 201
    held = satisfaction(api)
    assert (held["applicable"], [b["status"] for b in held["detail"]["held_in_bursts"]]) == (
        False,
        ["EXCLUDE"],
    )


def test_five_in_the_hour_are_no_burst_and_count(api: Api) -> None:
    surveys(api, 5)
    assert register(api) == []
    counted = satisfaction(api)
    assert (counted["applicable"], counted["detail"]["respondents"]) == (True, 5)


def test_reviewing_what_is_not_a_burst_is_404(api: Api) -> None:
    surveys(api, 5)
    first = api.ledger.employee(SUBJECT)
    some_event = f"{first.id}:1"
    r = api.post(
        f"/v1/employees/{SUBJECT}/survey-bursts/{some_event}/review", {"decision": "COUNT", "reason": "x"}
    )
    assert (r.status_code, r.json()["detail"]) == (
        404,
        f"no burst of surveys naming this officer starts with {some_event}",
    )

"""Public writes are rate-limited per client address: a burst, then a sustained rate; 429 with
Retry-After beyond, nothing written, and other clients unaffected."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.ratelimit import MAX_CLIENTS, RateLimit, RateLimiter
from ledger.application import KinerjaLedger
from ledger.config import Settings
from tests.api_support import seed_world
from tests.conftest import FakeClock, make_settings

SURVEY = {"service_unit": "PUSKESMAS-BINJAI", "answers": {f"U{i}": 3 for i in range(1, 10)}}


class Ticker:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_the_sustained_rate() -> None:
    clock = Ticker()
    limiter = RateLimiter(RateLimit(burst=3, per_minute=6), clock)  # one write every 10 s
    assert [limiter.take("a") for _ in range(4)] == [None, None, None, 10.0]
    clock.now += 9.9
    assert limiter.take("a") == 1.0  # a tenth of a second left: Retry-After is whole seconds, at least 1
    clock.now += 0.1
    assert limiter.take("a") is None
    assert limiter.take("a") == 10.0
    assert limiter.take("b") is None  # another client has its own bucket
    clock.now += 3600
    assert [limiter.take("a") for _ in range(4)] == [None, None, None, 10.0]  # refilled to the burst, no more


def test_the_number_of_clients_remembered_is_bounded() -> None:
    limiter = RateLimiter(RateLimit(burst=1, per_minute=1), Ticker())
    for i in range(MAX_CLIENTS + 5):
        limiter.take(str(i))
    assert len(limiter._buckets) == MAX_CLIENTS
    assert limiter.take("0") is None  # forgotten first: the least recently seen


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, RateLimit(10, 10.0)),
        ({"LEDGER_PUBLIC_BURST": "3", "LEDGER_PUBLIC_PER_MINUTE": "0.5"}, RateLimit(3, 0.5)),
    ],
)
def test_settings_from_the_environment(env: dict[str, str], expected: RateLimit) -> None:
    assert RateLimit.from_settings(Settings.from_env(env)) == expected


@pytest.mark.parametrize(("burst", "per_minute"), [(0, 1.0), (1, 0.0), (1, -1.0), (1, 2e6)])
def test_nonsense_settings_are_refused(burst: int, per_minute: float) -> None:
    with pytest.raises(ValueError, match="LEDGER_PUBLIC_BURST must be >= 1"):
        RateLimit(burst, per_minute)


@pytest.fixture
def service(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[TestClient, KinerjaLedger]]:
    ledger = KinerjaLedger(make_settings("sqlite", tmp_path, request), clock=FakeClock())
    try:
        seed_world(ledger)
        yield TestClient(create_app(ledger=ledger)), ledger  # the default limit: 10 at once
    finally:
        ledger.close()


def post(client: TestClient, address: str) -> Any:
    client.headers["x-forwarded-for"] = address  # ignored: the limit keys on the peer address
    return client.post("/v1/public/surveys", json=SURVEY)


@pytest.mark.store
def test_the_eleventh_survey_from_one_client_is_429(service: tuple[TestClient, KinerjaLedger]) -> None:
    client, ledger = service
    assert [post(client, "x").status_code for _ in range(10)] == [201] * 10
    before = ledger.recorder.max_notification_id()
    r = post(client, "y")
    assert r.status_code == 429
    assert r.headers["retry-after"] == "6"
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert (body["type"], body["detail"], body["errors"]) == (
        "tag:kinerja-ledger,2026:problem/rate-limited",
        "too many submissions from this address; try again later",
        [],
    )
    assert ledger.recorder.max_notification_id() == before


@pytest.mark.store
def test_other_routes_are_not_limited(service: tuple[TestClient, KinerjaLedger]) -> None:
    client, _ = service
    for _ in range(10):
        post(client, "x")
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/healthz").status_code == 200

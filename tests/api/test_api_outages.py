"""Unavailability produced for real, not by monkeypatching: read-model views that no projection
runner has built yet, a PostgreSQL database that refuses connections, and a store whose write
lock another connection holds. Each is a 503 problem with Retry-After, never a 500 and never a
request that hangs."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from api import access_log
from api.problems import PROBLEM_JSON, TYPE_PREFIX
from ledger.application import KinerjaLedger
from ledger.config import Settings, sqlite_path
from tests.api_support import SUBJECT, Api, make_api, seed_world
from tests.conftest import ADMIN_URL, STORES, FakeClock

# Routes served only from read-model views (the scorecard after an event-store lookup of Budi).
READ_MODEL_ROUTES = [
    "/v1/programs",
    "/v1/rankings?year=2025",
    "/v1/agencies/DINKES/summary",
    f"/v1/employees/{SUBJECT}/scorecard",
    "/v1/public/agencies",
    "/v1/public/service-units",
]
NEW_AGENCY = {"code": "BAPPEDA", "name": "Badan Perencanaan Pembangunan Daerah"}
# A hang guard, not a timing assertion: with the timeouts shortened below a failing request
# answers in about ten seconds (the recorder retries ten times), with the defaults in minutes.
DEADLINE_S = 90.0
SHORT_TIMEOUTS = {"SQLITE_LOCK_TIMEOUT": "1", "POSTGRES_CONNECT_TIMEOUT": "1", "POSTGRES_LOCK_TIMEOUT": "1"}


def assert_503(response: httpx.Response, slug: str, retry_after: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["type"] == TYPE_PREFIX + slug
    assert response.headers["retry-after"] == retry_after


def bounded(call: Callable[[], httpx.Response]) -> httpx.Response:
    """The call's answer, or a failure if it has not come by the deadline."""
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(call).result(timeout=DEADLINE_S)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def test_a_read_model_not_built_yet_is_503_then_200_once_built(app: KinerjaLedger) -> None:
    api = make_api(app)  # no worker and no in-process runner: the rm_* views do not exist
    seed_world(app)
    for path in READ_MODEL_ROUTES:
        assert_503(api.client.get(path, headers=api.hr), "read-model-unavailable", "5")
    # The refused scorecard read is in Budi's access log with the status it was answered with.
    logged = access_log.entries(app, SUBJECT, after=0, limit=10)
    assert [(e["route"], e["status"]) for e in logged] == [("/v1/employees/{nip}/scorecard", 503)]

    api.catch_up()
    statuses = {path: api.client.get(path, headers=api.hr).status_code for path in READ_MODEL_ROUTES}
    assert statuses == dict.fromkeys(READ_MODEL_ROUTES, 200)


@pytest.mark.skipif("postgres" not in STORES, reason="PostgreSQL run only")
def test_a_broken_view_on_postgres_is_an_internal_error_not_a_missing_read_model(
    pg_settings: Settings,
) -> None:
    """Only a missing relation means "not built yet": another SQL error is a defect to log."""
    ledger = KinerjaLedger(pg_settings, clock=FakeClock())
    try:
        api = make_api(ledger)
        api.catch_up()
        with ledger.sql.transaction() as tx:
            tx.execute("DROP VIEW rm_programs_programs")
            tx.execute("CREATE VIEW rm_programs_programs AS SELECT 1 AS not_code")
        r = api.client.get("/v1/programs", headers=api.hr)
        assert (r.status_code, r.json()["type"]) == (500, TYPE_PREFIX + "internal-error")
        assert "retry-after" not in r.headers
    finally:
        ledger.close()


@pytest.fixture
def own_database() -> Iterator[str]:
    """A database of this test alone: taking it offline disturbs no other test on the server."""
    if "postgres" not in STORES:
        pytest.skip("PostgreSQL run only")
    name = f"kl_outage_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def served(settings: Settings) -> Iterator[Api]:
    ledger = KinerjaLedger(settings, clock=FakeClock(), env=SHORT_TIMEOUTS)
    try:
        seed_world(ledger)
        api = make_api(ledger)
        api.catch_up()
        yield api
    finally:
        ledger.close()


@pytest.fixture
def pg_api(own_database: str, tmp_path: Path) -> Iterator[Api]:
    yield from served(Settings(own_database, tmp_path, "kinerja-ledger/test"))


def set_connections(url: str, allowed: bool) -> None:
    """Open or close the database to every new connection and end the open ones."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )


def each_route(api: Api) -> dict[str, Callable[[], httpx.Response]]:
    return {
        "health": lambda: api.client.get("/healthz"),
        "event store read": lambda: api.client.get(f"/v1/employees/{SUBJECT}", headers=api.hr),
        "read model": lambda: api.client.get("/v1/programs", headers=api.hr),
        "command": lambda: api.client.post("/v1/agencies", json=NEW_AGENCY, headers=api.hr),
    }


def wait_until_healthy(api: Api) -> None:
    for _ in range(30):
        if bounded(lambda: api.client.get("/healthz")).status_code == 200:
            return
    pytest.fail("the API did not recover after the store came back")


def test_postgres_refusing_connections_is_503_and_the_api_recovers(pg_api: Api, own_database: str) -> None:
    assert pg_api.client.get("/v1/programs", headers=pg_api.hr).status_code == 200
    set_connections(own_database, allowed=False)
    try:
        for name, call in each_route(pg_api).items():
            response = bounded(call)
            # Not read-model-unavailable: the views exist, the database does not answer.
            assert (name, response.status_code) == (name, 503), response.text
            assert_503(response, "store-unavailable", "1")
    finally:
        set_connections(own_database, allowed=True)
    wait_until_healthy(pg_api)
    # The refused command wrote nothing: the same agency registers now.
    assert pg_api.client.post("/v1/agencies", json=NEW_AGENCY, headers=pg_api.hr).status_code == 201


@pytest.fixture
def sqlite_api(tmp_path: Path) -> Iterator[Api]:
    if "sqlite" not in STORES:
        pytest.skip("SQLite run only")
    yield from served(Settings(f"sqlite:///{tmp_path / 'ledger.db'}", tmp_path, "kinerja-ledger/test"))


def test_sqlite_locked_by_another_writer_is_503_for_writes_and_reads_go_on(sqlite_api: Api) -> None:
    path = sqlite_path(sqlite_api.ledger.settings.database_url)
    blocker = sqlite3.connect(path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # holds the write lock until rolled back
        routes = each_route(sqlite_api)
        answers: dict[str, Any] = {name: bounded(call) for name, call in routes.items()}
        # WAL readers are not blocked by a writer; whatever must write (a command, the access
        # log entry of a personal read) waits out the busy timeout and is refused.
        assert {name: r.status_code for name, r in answers.items()} == {
            "health": 200,
            "event store read": 503,
            "read model": 200,
            "command": 503,
        }
        for name in ("event store read", "command"):
            assert_503(answers[name], "store-unavailable", "1")
    finally:
        blocker.rollback()
        blocker.close()
    assert sqlite_api.client.post("/v1/agencies", json=NEW_AGENCY, headers=sqlite_api.hr).status_code == 201

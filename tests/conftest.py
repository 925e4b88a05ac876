"""Shared fixtures. The store is a parameter: LEDGER_TEST_STORES=sqlite,postgres.

PostgreSQL tests use a fresh database created for the session and dropped after it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings as hypothesis_settings

from ledger.application import CommandContext, KinerjaLedger
from ledger.config import Settings
from ledger.domain.envelope import Actor

STORES = [s.strip() for s in os.environ.get("LEDGER_TEST_STORES", "sqlite").split(",") if s.strip()]
ADMIN_URL = os.environ.get("LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NO_STORE = os.environ.get("LEDGER_TEST_NO_STORE") == "1"  # make test-fast
REQUIRE_POSTGRES = os.environ.get("LEDGER_REQUIRE_POSTGRES") == "1" or "postgres" in STORES
# Tests marked `slow` (minutes each) run only when asked: LEDGER_TEST_SLOW=1 (`make test-slow`).
RUN_SLOW = os.environ.get("LEDGER_TEST_SLOW") == "1"


# CI must be reproducible: the same examples on every run (exploration happens on developer runs).
# `.ci/run` selects the profile explicitly; a bare CI variable (set by most CI services) does too.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True, database=None)
hypothesis_settings.register_profile("dev", deadline=None)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)


# A test that takes any of these fixtures (directly or through another) uses a real store.
STORE_FIXTURES = frozenset({"store", "settings", "app", "pg_settings", "postgres_url"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs a store `store`, so `make test-fast` (-m "not store") runs the
    rest: rules, aggregates, values, the pure audit and discipline code; skip `slow` unless asked."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & STORE_FIXTURES or "store" in item.keywords:
            item.add_marker(pytest.mark.store)
        if "slow" in item.keywords and not RUN_SLOW:
            item.add_marker(pytest.mark.skip(reason="slow: set LEDGER_TEST_SLOW=1 (make test-slow)"))


class FakeClock:
    """A controllable clock so tests can ask "what did we know at T"."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def _admin() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    try:
        admin = _admin()
    except psycopg.OperationalError as exc:
        if REQUIRE_POSTGRES:
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    name = f"kl_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def reset_postgres(url: str) -> None:
    """Give each test an empty database: tables, views, triggers and functions all go."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def make_settings(store: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    if NO_STORE:
        pytest.fail("this test opens a store: give it the `store` marker (make test-fast runs none)")
    if store == "sqlite":
        return Settings(f"sqlite:///{tmp_path / 'ledger.db'}", tmp_path, "kinerja-ledger/test")
    url = request.getfixturevalue("postgres_url")
    reset_postgres(url)
    return Settings(url, tmp_path, "kinerja-ledger/test")


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(store: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    return make_settings(store, tmp_path, request)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(settings: Settings, clock: FakeClock) -> Iterator[KinerjaLedger]:
    ledger = KinerjaLedger(settings, clock=clock)
    try:
        yield ledger
    finally:
        ledger.close()


@pytest.fixture
def pg_settings(tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """PostgreSQL whatever the store parameter (for tests that need its concurrency)."""
    return make_settings("postgres", tmp_path, request)


HR = CommandContext(Actor("hr-test", "hr"))


def hr(**kwargs: object) -> CommandContext:
    return CommandContext(Actor("hr-test", "hr"), **kwargs)  # type: ignore[arg-type]

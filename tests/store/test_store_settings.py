"""Store configuration: SQLite WAL + busy timeout by default; PostgreSQL never uses DB functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.application import KinerjaLedger
from ledger.config import Settings, postgres_env, sqlite_path


def test_default_is_a_sqlite_file_under_var(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for key in ("LEDGER_DATABASE_URL", "LEDGER_DATA_DIR", "LEDGER_LOG_ORIGIN"):
        monkeypatch.delenv(key, raising=False)
    settings = Settings.from_env()
    assert settings.database_url == "sqlite:///var/ledger.db"
    assert settings.log_origin == "kinerja-ledger/local"
    app = KinerjaLedger(settings)
    try:
        with app.sql.transaction(write=False) as tx:
            assert tx.scalar("PRAGMA journal_mode") == "wal"
            # A writer waits 15 s for the file lock before the API answers 503.
            assert tx.scalar("PRAGMA busy_timeout") == 15_000
    finally:
        app.close()
    assert (tmp_path / "var" / "ledger.db").exists()


def test_sqlite_url_forms() -> None:
    assert sqlite_path("sqlite:///var/x.db") == Path("var/x.db")
    assert sqlite_path("sqlite:////tmp/x.db") == Path("/tmp/x.db")
    with pytest.raises(ValueError, match=r"^LEDGER_DATABASE_URL must be sqlite:///PATH or postgresql://"):
        sqlite_path("sqlite://x.db")


def test_postgres_env_never_enables_db_functions() -> None:
    env = postgres_env("postgresql://kl:secret@db.local:6543/ledger")
    assert env["POSTGRES_ENABLE_DB_FUNCTIONS"] == "n"
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_DBNAME"]) == (
        "db.local",
        "6543",
        "ledger",
    )
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == ("kl", "secret")
    # Seconds a writer waits for the events-table lock; the pool waits as long for a connection.
    assert (env["POSTGRES_LOCK_TIMEOUT"], env["POSTGRES_CONNECT_TIMEOUT"]) == ("10", "2")


def test_the_connect_timeout_comes_from_the_url_within_bounds() -> None:
    """It bounds a request's wait while the store is down (about ten times it: docs/RELIABILITY.md)."""
    base = "postgresql://kl@db.local/ledger"
    assert [postgres_env(f"{base}?connect_timeout={n}")["POSTGRES_CONNECT_TIMEOUT"] for n in (1, 3, 60)] == [
        "1",
        "3",
        "60",
    ]
    for bad in ("0", "61", "1.5", "-1", "x"):
        with pytest.raises(ValueError) as refused:
            postgres_env(f"{base}?connect_timeout={bad}")
        assert (
            str(refused.value) == "connect_timeout in LEDGER_DATABASE_URL must be whole seconds from 1 to 60"
        )


def test_environment_cannot_switch_db_functions_on(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    if not settings.is_postgres:
        pytest.skip("PostgreSQL setting")
    monkeypatch.setenv("POSTGRES_ENABLE_DB_FUNCTIONS", "y")
    app = KinerjaLedger(settings)
    try:
        assert app.factory.datastore.enable_db_functions is False  # type: ignore[attr-defined]
    finally:
        app.close()


def test_lock_timeouts_can_be_shortened_per_application(settings: Settings) -> None:
    """The outage tests rely on this: `env` overrides the store's timeouts for one Application."""
    app = KinerjaLedger(settings, env={"SQLITE_LOCK_TIMEOUT": "1", "POSTGRES_LOCK_TIMEOUT": "2"})
    try:
        if settings.is_postgres:
            assert app.factory.datastore.lock_timeout == 2  # type: ignore[attr-defined]
        else:
            with app.sql.transaction(write=False) as tx:
                assert tx.scalar("PRAGMA busy_timeout") == 1_000
    finally:
        app.close()


@pytest.mark.parametrize(
    ("url", "libpq"),
    [
        ("postgresql://u@h:5432/db?pool_size=4&max_overflow=8", "postgresql://u@h:5432/db"),
        (
            "postgresql://u:p@h/db?pool_size=4&connect_timeout=2&sslmode=require",
            "postgresql://u:p@h/db?connect_timeout=2&sslmode=require",
        ),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
    ],
)
def test_a_direct_connection_gets_the_url_without_the_pools_parameters(url: str, libpq: str) -> None:
    # libpq refuses unknown parameters: the worker's LISTEN connection would fall back to polling.
    assert Settings(url, Path("/tmp"), "o").libpq_url == libpq

"""Configuration from the environment (the settings are listed in README.md).
No configuration at all means SQLite."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, unquote, urlencode, urlparse

APP_NAME = "KinerjaLedger"
DEFAULT_LOG_ORIGIN = "kinerja-ledger/local"
# SQLite: seconds a writer waits for the file lock; PostgreSQL: seconds to wait for the
# events-table lock before giving up (a stuck writer must not hang every request).
SQLITE_BUSY_TIMEOUT_S = 15
POSTGRES_LOCK_TIMEOUT_S = 10
# PostgreSQL: seconds the pool waits for a connection (a new one, or a free one under load). The
# library tries a failing statement ten times, so an unreachable store answers 503 after about ten
# times this (docs/RELIABILITY.md); `?connect_timeout=N` on LEDGER_DATABASE_URL (1..60) overrides
# it, and libpq reads the same parameter for the connections opened directly.
POSTGRES_CONNECT_TIMEOUT_S = 2  # an outage answers 503 in about 22 s, not 100
# Query parameters of LEDGER_DATABASE_URL read by the connection pool, not by libpq.
POOL_URL_PARAMETERS = ("pool_size", "max_overflow")


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    log_origin: str

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("LEDGER_DATA_DIR") or "./var")
        url = env.get("LEDGER_DATABASE_URL") or f"sqlite:///{data_dir / 'ledger.db'}"
        origin = env.get("LEDGER_LOG_ORIGIN") or DEFAULT_LOG_ORIGIN
        return cls(database_url=url, data_dir=data_dir, log_origin=origin)

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def libpq_url(self) -> str:
        """The PostgreSQL URL for a connection opened directly (the worker's LISTEN): without the
        pool's own parameters, which libpq refuses as unknown."""
        parts = urlparse(self.database_url)
        kept = [(k, v) for k, v in parse_qsl(parts.query) if k not in POOL_URL_PARAMETERS]
        return parts._replace(query=urlencode(kept)).geturl()

    def eventsourcing_env(self) -> dict[str, str]:
        """The library's environment for this store."""
        if self.is_postgres:
            return postgres_env(self.database_url)
        return sqlite_env(sqlite_path(self.database_url))


def sqlite_path(url: str) -> Path:
    """`sqlite:///relative/file.db` or `sqlite:////absolute/file.db` (SQLAlchemy's form)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or len(url) == len(prefix):
        raise ValueError("LEDGER_DATABASE_URL must be sqlite:///PATH or postgresql://...")
    return Path(url[len(prefix) :])


def sqlite_env(path: Path) -> dict[str, str]:
    # Personal data: a new store is readable by its owner only. SQLite gives the -wal and -shm
    # files the mode of the database file, so creating that file 0600 first covers all three.
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": str(SQLITE_BUSY_TIMEOUT_S),
        "APPLICATION_RECORDER_TOPIC": "ledger.persistence:LedgerSQLiteRecorder",
        "CREATE_TABLE": "y",
    }


def postgres_env(url: str) -> dict[str, str]:
    parts = urlparse(url)
    if not parts.hostname or not parts.path.strip("/"):
        raise ValueError("LEDGER_DATABASE_URL must be postgresql://USER@HOST:PORT/DB")
    query = parse_qs(parts.query)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(parts.path.strip("/")),
        "POSTGRES_HOST": parts.hostname,
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_LOCK_TIMEOUT": str(POSTGRES_LOCK_TIMEOUT_S),
        "POSTGRES_POOL_SIZE": query.get("pool_size", ["4"])[0],
        "POSTGRES_MAX_OVERFLOW": query.get("max_overflow", ["8"])[0],
        "POSTGRES_CONNECT_TIMEOUT": str(_connect_timeout(query.get("connect_timeout", [""])[0])),
        # Never the DB-function insert: it drops the table lock, and a tailing reader (the
        # audit log) could then skip an event committed out of notification order.
        "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
        "APPLICATION_RECORDER_TOPIC": "ledger.persistence:LedgerPostgresRecorder",
        "CREATE_TABLE": "y",
    }


def _connect_timeout(text: str) -> int:
    if not text:
        return POSTGRES_CONNECT_TIMEOUT_S
    if not text.isdigit() or not 1 <= int(text) <= 60:
        raise ValueError("connect_timeout in LEDGER_DATABASE_URL must be whole seconds from 1 to 60")
    return int(text)

"""Configuration: one typed settings object read from LEDGER_* environment variables and secret
files (docs/CONFIGURATION.md lists every setting). No configuration at all means SQLite in ./var."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, parse_qsl, unquote, urlencode, urlparse

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "KinerjaLedger"
DEFAULT_LOG_ORIGIN = "kinerja-ledger/local"
ENV_PREFIX = "LEDGER_"
# A directory of secret files, one per setting, named like its variable (LEDGER_DATABASE_URL):
# how docker and systemd hand out credentials without putting them in the environment.
SECRETS_DIR_VARIABLE = "LEDGER_SECRETS_DIR"
# Small-group suppression of public figures: nothing derived from fewer than k people is published.
# k may be raised, never lowered below 5 (the privacy floor the public portal promises).
MIN_SUPPRESSION_K = 5
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


class ConfigurationError(ValueError):
    """A setting outside its type or bounds, named by its variable (never echoing the value,
    which may be a password)."""

    def __init__(self, error: ValidationError) -> None:
        self.problems = [
            f"{ENV_PREFIX}{str(e['loc'][0]).upper() if e['loc'] else '?'}: {e['msg']}" for e in error.errors()
        ]
        super().__init__("; ".join(self.problems))


class Settings(BaseSettings):
    """Every setting of the service, the CLI and the worker. Each field's description is its
    meaning in docs/CONFIGURATION.md (a test holds the two together)."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")

    database_url: str = Field(
        "",
        repr=False,  # it may hold the database password
        description="`sqlite:///relative/path.db`, `sqlite:////absolute/path.db` or "
        "`postgresql://USER:PASSWORD@HOST:PORT/DB`; empty means `sqlite:///<data dir>/ledger.db`. "
        "On PostgreSQL `?connect_timeout=N` (seconds, 1-60, default 2) bounds the wait for a "
        "connection: with the store down a request answers 503 after about 10 x N + 2 s",
    )
    data_dir: Path = Field(
        Path("./var"), description="signing key, token secret, authority table, the default SQLite file"
    )
    log_origin: str = Field(
        DEFAULT_LOG_ORIGIN, min_length=1, max_length=200, description="origin line of signed checkpoints"
    )
    host: str = Field("127.0.0.1", min_length=1, description="address `ledger serve` listens on")
    port: int = Field(8000, ge=1, le=65535, description="TCP port `ledger serve` listens on")
    api_workers: int = Field(
        1,
        ge=1,
        le=64,
        description="API processes `ledger serve` starts (`--workers`); more than 1 needs PostgreSQL",
    )
    log_format: Literal["text", "json"] = Field(
        "text", description="`text` (one readable line per record) or `json` (one JSON object per line)"
    )
    request_timeout: float = Field(
        10.0,
        ge=0.1,
        le=600,
        description="seconds a client has to send a whole request (head and body) before `serve` "
        "answers 408 and closes the connection (`--request-timeout`)",
    )
    public_burst: int = Field(
        10, ge=1, description="public writes (surveys, complaints) one client address may make at once"
    )
    public_per_minute: float = Field(
        10.0,
        gt=0,
        le=1_000_000,
        description="then public writes per minute per client address; beyond, 429 with `Retry-After`",
    )
    verify_workers: int = Field(
        0,
        ge=0,
        le=64,
        description="processes `ledger audit verify` uses on an export of 64 MB or more: 0 means one "
        "per core, 1 the single sequential pass",
    )
    suppression_k: int = Field(
        MIN_SUPPRESSION_K,
        ge=MIN_SUPPRESSION_K,
        le=1000,
        description="public figures derived from fewer than k people or responses are suppressed "
        "(at least 5); after a change run `ledger projections rebuild agencies`",
    )

    def __init__(
        self,
        database_url: str | None = None,
        data_dir: Path | str | None = None,
        log_origin: str | None = None,
        **values: Any,
    ) -> None:
        # Positional store, data dir and origin: the form tests and benchmarks build a store with.
        given: dict[str, Any] = {"database_url": database_url, "data_dir": data_dir, "log_origin": log_origin}
        values.update({k: v for k, v in given.items() if v is not None})
        super().__init__(**values)

    @model_validator(mode="before")
    @classmethod
    def _default_database(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("database_url"):
            data_dir = Path(data.get("data_dir") or "./var")
            data = {**data, "database_url": f"sqlite:///{data_dir / 'ledger.db'}"}
        return data

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """The process's settings (environment, then secret files in LEDGER_SECRETS_DIR, then
        defaults); with `environ`, from that mapping alone."""
        try:
            if environ is None:
                secrets = os.environ.get(SECRETS_DIR_VARIABLE)
                return cls(_secrets_dir=secrets) if secrets else cls()
            prefix = ENV_PREFIX.lower()
            values = {
                key.lower()[len(prefix) :]: value
                for key, value in environ.items()
                if key.lower().startswith(prefix) and key.lower()[len(prefix) :] in cls.model_fields
            }
            return cls.model_validate(values)
        except ValidationError as e:
            raise ConfigurationError(e) from None

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

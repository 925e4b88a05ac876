"""docker-compose.yml and the Dockerfile, checked without Docker (it does not run on these
machines): every service's command exists in the CLI with the options it passes, every variable
it sets is one the application reads, the required ones are set, the database URL parses, and
each long-running service has a healthcheck that probes something real."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import typer
import yaml

from api.cli import app as cli_app
from api.routers.ops import router as ops_router
from ledger.config import Settings, postgres_env
from tests.paths import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, Any] = COMPOSE["services"]
APP_SERVICES = ("guards", "api", "worker")
REQUIRED_ENV = {"LEDGER_DATABASE_URL", "LEDGER_DATA_DIR"}
HEALTH_ROUTES = {getattr(r, "path", None) for r in ops_router.routes}


def env_read_by_the_application() -> set[str]:
    names: set[str] = set()
    for package in ("ledger", "projections", "api"):
        for path in (ROOT / package).rglob("*.py"):
            names.update(re.findall(r"\b(LEDGER_[A-Z_]+)\b", path.read_text(encoding="utf-8")))
    return names


def substitute(value: str) -> str:
    """Compose's ${VAR:?message} and ${VAR:-default}, with every required secret given."""
    return re.sub(
        r"\$\{([A-Z_]+)(?::[?-]([^}]*))?\}",
        lambda m: {"LEDGER_DB_PASSWORD": "s3cret"}.get(m.group(1), m.group(2) or ""),
        value,
    )


def resolve(argv: list[str]) -> tuple[Any, list[str]]:
    """The CLI command `argv` (after `ledger`) runs, and the options it passes."""
    command: Any = typer.main.get_command(cli_app)  # typer's own click: no click.Group to test
    options: list[str] = []
    for token in argv:
        if token.startswith("-"):
            options.append(token.split("=", 1)[0])
        elif token in getattr(command, "commands", {}):
            command = command.commands[token]
    return command, options


def test_the_services() -> None:
    assert sorted(SERVICES) == ["api", "db", "guards", "worker"]
    assert SERVICES["db"]["image"] == "postgres:15"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_each_command_exists_in_the_cli_with_its_options(name: str) -> None:
    argv = SERVICES[name]["command"]
    assert argv[0] == "ledger"
    command, options = resolve(argv[1:])
    path = [t for t in argv[1:] if not t.startswith("-") and not t[:1].isdigit() and t != "0.0.0.0"]
    assert command.name == path[-1], (name, argv)
    known = {opt for param in command.params for opt in getattr(param, "opts", [])}
    assert set(options) <= known, (name, set(options) - known)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_each_variable_is_read_by_the_application_and_the_required_ones_are_set(name: str) -> None:
    environment = SERVICES[name]["environment"]
    assert set(environment) <= env_read_by_the_application(), set(environment) - env_read_by_the_application()
    assert set(environment) >= REQUIRED_ENV
    settings = Settings.from_env({k: substitute(str(v)) for k, v in environment.items()})
    assert settings.is_postgres
    assert postgres_env(settings.database_url) | {"POSTGRES_PASSWORD": "hidden"} == {
        **postgres_env(settings.database_url),
        "POSTGRES_HOST": "db",
        "POSTGRES_PORT": "5432",
        "POSTGRES_DBNAME": "ledger",
        "POSTGRES_USER": "ledger",
        "POSTGRES_PASSWORD": "hidden",
    }
    assert postgres_env(settings.database_url)["POSTGRES_PASSWORD"] == "s3cret"


def test_the_database_password_is_required_not_defaulted() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "${LEDGER_DB_PASSWORD:?" in text
    assert "LEDGER_DB_PASSWORD:-" not in text


def test_the_key_volume_is_shared_by_every_ledger_process() -> None:
    for name in APP_SERVICES:
        assert SERVICES[name]["volumes"] == ["ledger-keys:/data"]
        assert SERVICES[name]["environment"]["LEDGER_DATA_DIR"] == "/data"
    assert set(COMPOSE["volumes"]) == {"ledger-db", "ledger-keys"}


def test_healthchecks_probe_something_real() -> None:
    assert SERVICES["db"]["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    api_probe = " ".join(SERVICES["api"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in api_probe
    assert "/healthz" in HEALTH_ROUTES
    worker_probe = SERVICES["worker"]["healthcheck"]["test"]
    command, options = resolve(worker_probe[2:])
    assert (worker_probe[:2], command.name, options) == (["CMD", "ledger"], "status", ["--json"])
    assert SERVICES["guards"]["healthcheck"] == {"disable": True}


def test_start_order() -> None:
    for name in ("api", "worker"):
        assert SERVICES[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "guards": {"condition": "service_completed_successfully"},
        }
    assert SERVICES["guards"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert SERVICES["guards"]["restart"] == "no"


def test_the_api_listens_on_the_port_published_to_localhost_only() -> None:
    argv = SERVICES["api"]["command"]
    assert argv[argv.index("--port") + 1] == "8000"
    assert SERVICES["api"]["ports"] == ["127.0.0.1:8000:8000"]


# ------------------------------------------------------------------ the Dockerfile

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instructions() -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [
        (line.split(" ", 1)[0], line.split(" ", 1)[1] if " " in line else "")
        for line in joined.splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_the_image_runs_the_service_as_a_user_with_a_healthcheck() -> None:
    steps = instructions()
    cmd = json.loads(dict(steps)["CMD"])
    command, options = resolve(cmd[1:])
    assert (cmd[0], command.name, options) == ("ledger", "serve", ["--host", "--port"])
    assert dict(steps)["USER"] == "ledger"
    assert "http://127.0.0.1:8000/healthz" in dict(steps)["HEALTHCHECK"]
    assert dict(steps)["FROM"] == "python:3.11-slim"


def test_the_image_copies_what_exists_and_installs_the_pinned_versions() -> None:
    for verb, argument in instructions():
        if verb == "COPY":
            *sources, _ = argument.split()
            for source in sources:
                assert (ROOT / source).exists(), source
    run = dict(instructions())["RUN"]
    assert run.startswith("pip install -c constraints.txt . ")

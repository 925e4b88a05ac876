"""`ledger token issue`: the secret is created on first use with mode 0600, and the printed
token is accepted by the server with the claims asked for."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.auth import Role, decode_token, load_secret, secret_path
from api.cli import app as cli
from api.main import create_app
from ledger.application import KinerjaLedger
from tests.api_support import SUBJECT, seed_world


def issue(data_dir: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["token", "issue", *args], env={"LEDGER_DATA_DIR": str(data_dir)})
    return result.exit_code, result.output.strip()


def test_token_issue_creates_the_secret_and_prints_an_accepted_token(app: KinerjaLedger) -> None:
    data_dir = app.settings.data_dir
    secret_path(data_dir).unlink(missing_ok=True)
    code, token = issue(data_dir, "--role", "employee", "--sub", SUBJECT, "--ttl", "120")
    assert code == 0, token
    assert stat.S_IMODE(secret_path(data_dir).stat().st_mode) == 0o600
    principal = decode_token(load_secret(data_dir), token)
    assert (principal.sub, principal.role, principal.agency) == (SUBJECT, Role.EMPLOYEE, None)

    seed_world(app)
    client = TestClient(create_app(ledger=app))
    r = client.get(f"/v1/employees/{SUBJECT}", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    code, appraiser = issue(
        data_dir, "--role", "appraiser", "--sub", "198001012005011001", "--agency", "DINKES"
    )
    assert code == 0
    assert decode_token(load_secret(data_dir), appraiser).agency == "DINKES"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "citizen", "--sub", "x"], "'citizen' is not one of"),
        (["--role", "employee", "--sub", "budi"], "NIP"),
        (["--role", "appraiser", "--sub", "x"], "--agency"),
        (["--role", "hr", "--sub", "x", "--agency", "dinkes kota"], "agency code"),
        (["--role", "hr", "--sub", "x", "--ttl", "0"], "ttl"),
    ],
)
def test_token_issue_refuses_claims_the_server_would_refuse(
    tmp_path: Path, args: list[str], message: str
) -> None:
    code, output = issue(tmp_path, *args)
    assert code == 2
    assert message in output


def test_a_readable_secret_is_tightened(tmp_path: Path) -> None:
    load_secret(tmp_path)
    secret_path(tmp_path).chmod(0o644)
    load_secret(tmp_path)
    assert stat.S_IMODE(secret_path(tmp_path).stat().st_mode) == 0o600

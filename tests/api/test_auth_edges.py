"""Authorisation decided by api/auth.py, called directly: every refusal with its status and detail.

The route dependencies `require(...)` and `employee_writer(...)` are built when the routers are
imported, so these tests build their own and call them with a real starlette Request on a real
ledger. Written against surviving mutants of api/auth.py (docs/TESTING.md).
"""

from __future__ import annotations

import base64
import logging
import os
import stat
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from starlette.requests import Request

from api.auth import (
    ALGORITHM,
    ISSUER,
    MAX_TTL_S,
    WRITERS,
    Principal,
    Role,
    decode_token,
    issue_token,
    load_secret,
    secret_path,
)
from api.dependencies import Authorised, access_log_reader, employee_writer, personal_reader, require
from api.problems import ApiProblem
from ledger.application import KinerjaLedger
from tests.factories import NIP_BUDI, NIP_SARI, seed_basic

SECRET = b"k" * 32
APPRAISAL_ROLES = frozenset({Role.HR, Role.ADMIN, Role.APPRAISER})


def request_for(nip: str, ledger: KinerjaLedger | None = None) -> Request:
    app = FastAPI()
    app.state.ledger = ledger
    return Request({"type": "http", "method": "GET", "path": "/", "path_params": {"nip": nip}, "app": app})


def refusal(call: Callable[[], object]) -> tuple[int, str, str]:
    with pytest.raises(ApiProblem) as raised:
        call()
    return raised.value.status, raised.value.slug, raised.value.detail


# --------------------------------------------------------------------------- tokens


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "hr", "sub": ""}, "sub must be 1-128 printable characters"),
        ({"role": "hr", "sub": "x" * 129}, "sub must be 1-128 printable characters"),
        ({"role": "hr", "sub": "a\tb"}, "sub must be 1-128 printable characters"),
        (
            {"role": "employee", "sub": "19850315201001100"},
            "an employee token's sub must be the employee's NIP",
        ),
        (
            {"role": "appraiser", "sub": NIP_SARI},
            "an appraiser token needs --agency (appraisers write only within their agency)",
        ),
        ({"role": "hr", "sub": "hr-1", "agency": "dinkes"}, "agency must be an agency code such as DINKES"),
        ({"role": "hr", "sub": "hr-1", "ttl_s": 0}, f"ttl must be between 1 and {MAX_TTL_S} seconds"),
        (
            {"role": "hr", "sub": "hr-1", "ttl_s": MAX_TTL_S + 1},
            f"ttl must be between 1 and {MAX_TTL_S} seconds",
        ),
    ],
)
def test_issue_token_refusals_are_exact(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        issue_token(SECRET, **kwargs)
    assert str(raised.value) == message


def test_issue_token_refuses_an_unknown_role() -> None:
    with pytest.raises(ValueError, match=r"^'clerk' is not a valid Role$"):
        issue_token(SECRET, role="clerk", sub="x")


@pytest.mark.parametrize("ttl", [1, MAX_TTL_S])
def test_issued_claims_are_exactly_these(ttl: int) -> None:
    before = int(time.time())
    token = issue_token(SECRET, role="appraiser", sub=NIP_SARI, agency="DINKES", ttl_s=ttl)
    after = int(time.time())
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False}, issuer=ISSUER)
    assert set(claims) == {"iss", "sub", "role", "iat", "exp", "jti", "agency"}
    assert (claims["iss"], claims["sub"], claims["role"], claims["agency"]) == (
        ISSUER,
        NIP_SARI,
        "appraiser",
        "DINKES",
    )
    assert before <= claims["iat"] <= after
    assert claims["exp"] - claims["iat"] == ttl
    assert len(claims["jti"]) == 32
    # without an agency the claim is absent, not null
    hr = jwt.decode(issue_token(SECRET, role="hr", sub="hr-1"), SECRET, algorithms=["HS256"], issuer=ISSUER)
    assert "agency" not in hr
    assert hr["exp"] - hr["iat"] == 3600


def forge(**claims: Any) -> str:
    """A token signed with SECRET; a claim given as None is left out."""
    now = int(time.time())
    base: dict[str, Any] = {"iss": ISSUER, "sub": "hr-1", "role": "hr", "iat": now, "exp": now + 600}
    merged = {k: v for k, v in {**base, **claims}.items() if v is not None}
    return jwt.encode(merged, SECRET, algorithm=ALGORITHM)


@pytest.mark.parametrize(
    ("token", "detail"),
    [
        (forge(exp=int(time.time()) - 3600), "the token has expired"),
        (jwt.encode({"sub": "x", "role": "hr"}, SECRET, algorithm=ALGORITHM), "the token is not valid"),
        (forge(iss="someone-else"), "the token is not valid"),
        (
            jwt.encode({"iss": ISSUER, "sub": "x", "role": "hr", "iat": 1, "exp": 2**40}, b"o" * 32),
            "the token is not valid",
        ),
        # exp and iat are required: a token without them would never expire or has no issue time
        (forge(exp=None), "the token is not valid"),
        (forge(iat=None), "the token is not valid"),
        (forge(role="clerk"), "the token carries an unknown role"),
        (forge(role="None"), "the token carries an unknown role"),
        (forge(role=None), "the token carries an unknown role"),
        (forge(sub=""), "the token has no subject"),
        (forge(agency="dinkes"), "the token carries a malformed agency"),
        (forge(agency=7), "the token carries a malformed agency"),
    ],
)
def test_decode_token_refusals_are_401_with_exact_detail(token: str, detail: str) -> None:
    with pytest.raises(ApiProblem) as raised:
        decode_token(SECRET, token)
    problem = raised.value
    assert (problem.status, problem.slug, problem.detail) == (401, "unauthenticated", detail)
    assert problem.headers == {"WWW-Authenticate": 'Bearer realm="ledger"'}


def test_decode_token_allows_thirty_seconds_of_clock_skew_and_no_more() -> None:
    now = int(time.time())
    assert decode_token(SECRET, forge(exp=now - 20)) == Principal("hr-1", Role.HR)
    with pytest.raises(ApiProblem, match=r"^the token has expired$"):
        decode_token(SECRET, forge(exp=now - 60))


def test_decode_token_reads_role_and_agency() -> None:
    assert decode_token(SECRET, forge(role="appraiser", sub=NIP_SARI, agency="DINKES")) == Principal(
        NIP_SARI, Role.APPRAISER, "DINKES"
    )


# --------------------------------------------------------------------------- the secret


def test_load_secret_creates_a_private_32_byte_secret_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = load_secret(data_dir)
    assert len(first) == 32
    assert stat.S_IMODE(secret_path(data_dir).stat().st_mode) == 0o600
    assert load_secret(data_dir) == first
    assert os.listdir(data_dir) == ["token-secret"]  # the temporary file is gone


def test_a_new_secret_is_born_private_and_written_as_one_base64_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kinerja.api"):
        secret = load_secret(tmp_path)
    # created 0600 from the start: nothing had to be tightened afterwards
    assert caplog.records == []
    assert secret_path(tmp_path).read_text() == base64.b64encode(secret).decode() + "\n"


def test_a_loose_secret_is_tightened_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = secret_path(tmp_path)
    path.write_text(base64.b64encode(SECRET).decode() + "\n")
    path.chmod(0o640)
    with caplog.at_level(logging.WARNING, logger="kinerja.api"):
        load_secret(tmp_path)
    assert [r.getMessage() for r in caplog.records] == [
        "token secret was readable by others (mode 640); restricting it to 0600"
    ]


def test_load_secret_creates_missing_parents_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "a" / "b"
    assert len(load_secret(data_dir)) == 32
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_a_sub_of_exactly_128_characters_is_accepted() -> None:
    token = issue_token(SECRET, role="hr", sub="x" * 128)
    assert decode_token(SECRET, token) == Principal("x" * 128, Role.HR)


def test_load_secret_refuses_a_short_secret(tmp_path: Path) -> None:
    path = secret_path(tmp_path)
    path.write_text(base64.b64encode(b"s" * 31).decode() + "\n")
    path.chmod(0o600)
    with pytest.raises(ValueError) as raised:
        load_secret(tmp_path)
    assert str(raised.value) == f"{path} holds a secret shorter than 32 bytes"
    path.write_text(base64.b64encode(b"s" * 32).decode() + "\n")
    assert load_secret(tmp_path) == b"s" * 32


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o610])
def test_any_group_or_other_bit_is_removed(tmp_path: Path, mode: int) -> None:
    path = secret_path(tmp_path)
    path.write_text(base64.b64encode(SECRET).decode() + "\n")
    path.chmod(mode)
    assert load_secret(tmp_path) == SECRET
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --------------------------------------------------------------------------- dependencies


def test_require_lets_listed_roles_through_and_names_the_others() -> None:
    check = require(WRITERS, "register agencies").dependency
    hr, admin = Principal("hr-1", Role.HR), Principal("admin-1", Role.ADMIN)
    assert check(hr) is hr
    assert check(admin) is admin
    assert refusal(lambda: check(Principal("a-1", Role.AUDITOR))) == (
        403,
        "forbidden",
        "role auditor may not register agencies",
    )


@pytest.mark.parametrize("role", [Role.HR, Role.ADMIN, Role.AUDITOR, Role.INSPECTOR])
def test_staff_read_any_personal_record(role: Role) -> None:
    principal = Principal("staff", role)
    assert personal_reader(request_for(NIP_BUDI), principal) is principal


def test_personal_reader_refusals() -> None:
    budi = Principal(NIP_BUDI, Role.EMPLOYEE)
    assert personal_reader(request_for(NIP_BUDI), budi) is budi
    assert refusal(lambda: personal_reader(request_for(NIP_SARI), budi)) == (
        403,
        "forbidden",
        "an employee may read only their own record",
    )
    appraiser = Principal(NIP_SARI, Role.APPRAISER, "DINKES")
    assert refusal(lambda: personal_reader(request_for(NIP_BUDI), appraiser)) == (
        403,
        "forbidden",
        "role appraiser may not read personal records",
    )
    # the appraiser's own NIP does not make them "self": only an employee token is
    assert refusal(lambda: personal_reader(request_for(NIP_SARI), appraiser))[2] == (
        "role appraiser may not read personal records"
    )


def test_access_log_reader_refusals() -> None:
    budi = Principal(NIP_BUDI, Role.EMPLOYEE)
    assert access_log_reader(request_for(NIP_BUDI), budi) is budi
    for role in (Role.AUDITOR, Role.INSPECTOR):
        reader = Principal("r", role)
        assert access_log_reader(request_for(NIP_BUDI), reader) is reader
    assert refusal(lambda: access_log_reader(request_for(NIP_SARI), budi)) == (
        403,
        "forbidden",
        "an employee may read only their own access log",
    )
    for role in (Role.HR, Role.ADMIN, Role.APPRAISER):
        assert refusal(partial(access_log_reader, request_for(NIP_BUDI), Principal("x", role))) == (
            403,
            "forbidden",
            f"role {role.value} may not read access logs",
        )


def test_employee_writer_outside_the_roles_is_refused_first(app: KinerjaLedger) -> None:
    check = employee_writer(APPRAISAL_ROLES, "record appraisals").dependency
    assert refusal(lambda: check(request_for(NIP_BUDI, app), Principal("i", Role.INSPECTOR))) == (
        403,
        "forbidden",
        "role inspector may not record appraisals",
    )


def test_employee_writer_lets_hr_and_admin_write_without_a_version_check(app: KinerjaLedger) -> None:
    check = employee_writer(APPRAISAL_ROLES, "record appraisals").dependency
    for role in (Role.HR, Role.ADMIN):
        principal = Principal("staff", role)
        # no employee exists: HR and admin are not looked up, existence is the command's business
        assert check(request_for(NIP_BUDI, app), principal) == Authorised(principal, None)


def test_employee_writer_holds_an_appraiser_to_their_agency(app: KinerjaLedger) -> None:
    seed_basic(app)
    check = employee_writer(APPRAISAL_ROLES, "record appraisals").dependency
    version = app.employee(NIP_BUDI).version
    own = Principal(NIP_SARI, Role.APPRAISER, "DINKES")
    assert check(request_for(NIP_BUDI, app), own) == Authorised(own, version)
    other = Principal(NIP_SARI, Role.APPRAISER, "DISDIK")
    unknown = "199001012015011001"
    for nip, principal in [(NIP_BUDI, other), (unknown, own), ("not-a-nip", own)]:
        assert refusal(partial(check, request_for(nip, app), principal)) == (
            403,
            "forbidden",
            f"no employee of agency {principal.agency} has this NIP",
        )
    agencyless = Principal(NIP_SARI, Role.APPRAISER, None)
    assert refusal(lambda: check(request_for(NIP_BUDI, app), agencyless)) == (
        403,
        "forbidden",
        "this appraiser token carries no agency",
    )

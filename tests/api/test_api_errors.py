"""Every 4xx is RFC 9457 problem+json naming the offending fields, and a rejected request writes
nothing. Bad input is never a 500."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest

from api.auth import ISSUER, load_secret
from tests.api_support import APPRAISER_NIP, SUBJECT, Api, shared_api
from tests.conftest import STORES

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "errors"}
APPRAISALS = f"/v1/employees/{SUBJECT}/appraisals"
GOOD_APPRAISAL = {
    "period": "2026-01..2026-02",
    "hasil_kerja": "DI_ATAS_EKSPEKTASI",
    "perilaku_kerja": "SESUAI_EKSPEKTASI",
    "appraiser_nip": APPRAISER_NIP,
}


@pytest.fixture(scope="module", params=STORES)
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """Shared by the module: every request here is refused (or only reads), which the tests check."""
    with shared_api(request.param, tmp_path_factory.mktemp("errors"), request) as (shared, _):
        yield shared


def assert_problem(response: Any, status: int, *fields: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"].startswith("tag:kinerja-ledger,2026:problem/")
    assert body["instance"].startswith("/")
    named = {e["field"] for e in body["errors"]}
    for field in fields:
        assert field in named, (field, body["errors"])
    return body


def test_malformed_json_is_400_and_writes_nothing(api: Api) -> None:
    before = api.head()
    r = api.client.post(
        APPRAISALS, content=b'{"period": "2026"', headers={**api.hr, "content-type": "application/json"}
    )
    assert_problem(r, 400, "body")
    assert api.head() == before


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({**GOOD_APPRAISAL, "period": 2026}, ["period"]),  # wrong type
        ({**GOOD_APPRAISAL, "hasil_kerja": "LUAR_BIASA"}, ["hasil_kerja"]),  # unknown enum value
        ({k: v for k, v in GOOD_APPRAISAL.items() if k != "appraiser_nip"}, ["appraiser_nip"]),  # missing
        ({**GOOD_APPRAISAL, "bonus": 1}, ["bonus"]),  # unknown field
        ({**GOOD_APPRAISAL, "period": "2026-03..2026-01"}, ["period"]),  # impossible period (ledger)
        ({**GOOD_APPRAISAL, "appraiser_nip": "198503152010011003"}, ["appraiser_nip"]),  # unknown NIP
        ([GOOD_APPRAISAL], ["body"]),  # not an object
    ],
)
def test_invalid_commands_are_422_naming_fields(api: Api, body: Any, fields: list[str]) -> None:
    before = api.head()
    assert_problem(api.post(APPRAISALS, body), 422, *fields)
    assert api.head() == before


def test_nested_and_list_fields_are_named(api: Api) -> None:
    body = {
        "violation": {"description": "absent", "level": "PARAH"},
        "other_violations": [{"description": "late", "level": "RINGAN", "absence_days": "3"}],
        "penalty": "TEGURAN_LISAN",
        "decided_by_role": "KEPALA_OPD",
        "decided_by_name": "Kepala Dinas",
        "decree_number": "800/1/2026",
        "decided_on": "2026-02-30",
        "evidence": ["not-an-event-id"],
    }
    r = api.post(f"/v1/employees/{SUBJECT}/sanctions", body)
    assert_problem(r, 422, "violation.level", "other_violations[0].absence_days", "decided_on", "evidence[0]")


def test_missing_body_and_wrong_type_everywhere(api: Api) -> None:
    assert_problem(api.client.post("/v1/agencies", headers=api.hr), 422, "body")
    assert_problem(api.post("/v1/agencies", {"code": "dinkes lower", "name": "x"}), 422, "code")
    assert_problem(
        api.post(f"/v1/employees/{SUBJECT}/feedback", {"source": "PEER", "score": "3"}), 422, "score"
    )
    assert_problem(
        api.post(f"/v1/employees/{SUBJECT}/feedback", {"source": "CITIZEN", "score": 3}), 422, "source"
    )
    assert_problem(
        api.post(
            f"/v1/employees/{SUBJECT}/trainings",
            {"title": "t", "hours_jp": "NaN", "completed_on": "2026-01-01", "provider": "p"},
        ),
        422,
        "hours_jp",
    )
    # Business validation in the ledger answers in the same shape.
    r = api.post(
        "/v1/employees",
        {
            "nip": "199001012015011001",
            "name": "X",
            "agency": "NOPE",
            "position": "p",
            "grade": "g",
            "employment_type": "PNS",
        },
    )
    assert_problem(r, 422, "agency")


def test_oversized_bodies_are_413_before_parsing(api: Api) -> None:
    before = api.head()
    huge = b'{"code": "BIG", "name": "' + b"x" * 70_000 + b'"}'
    r = api.client.post("/v1/agencies", content=huge, headers={**api.hr, "content-type": "application/json"})
    assert_problem(r, 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"code": "BIG", "name": "'
        for _ in range(20):
            yield b"x" * 4096
        yield b'"}'

    r = api.client.post(
        "/v1/agencies", content=chunks(), headers={**api.hr, "content-type": "application/json"}
    )
    assert "content-length" not in r.request.headers
    assert_problem(r, 413)

    def lying() -> Iterator[bytes]:  # a small declared length must not let a big body through
        yield b"{" + b" " * 70_000 + b"}"

    r = api.client.post(
        "/v1/agencies", content=lying(), headers={**api.hr, "content-type": "application/json"}
    )
    assert_problem(r, 413)
    assert api.head() == before
    # Just under the limit is parsed (and then judged on its content).
    r = api.client.post(
        "/v1/agencies",
        content=b'{"code": "BIG", "name": "' + b"x" * 60_000 + b'"}',
        headers={**api.hr, "content-type": "application/json"},
    )
    assert_problem(r, 422, "name")


def test_non_json_body_is_415(api: Api) -> None:
    r = api.client.post(
        "/v1/agencies",
        content=b"code=X",
        headers={**api.hr, "content-type": "application/x-www-form-urlencoded"},
    )
    assert_problem(r, 415)


def test_unknown_records_are_404(api: Api) -> None:
    api.catch_up()
    unknown = "199912312020121001"
    assert_problem(api.get(f"/v1/employees/{unknown}"), 404)
    assert_problem(api.get(f"/v1/employees/{unknown}/events"), 404)
    assert_problem(api.post(f"/v1/employees/{unknown}/appraisals", GOOD_APPRAISAL), 404)
    assert_problem(api.get("/v1/agencies/NOPE"), 404)
    assert_problem(api.get("/v1/programs/NOPE"), 404)
    fake_id = "00000000-0000-5000-8000-000000000000:2"
    assert_problem(
        api.post(
            f"{APPRAISALS}/{fake_id}/corrections", {"reason": "typo", "hasil_kerja": "SESUAI_EKSPEKTASI"}
        ),
        404,
    )
    assert_problem(api.client.get("/v1/nothing-here", headers=api.hr), 404)


def test_malformed_path_and_query_values_are_422(api: Api) -> None:
    assert_problem(api.get("/v1/employees/12345"), 422, "nip")
    assert_problem(api.get(f"/v1/employees/{SUBJECT}", as_of="2026-03-01T09:00:00"), 422, "as_of")
    assert_problem(api.get(f"/v1/employees/{SUBJECT}", as_of="yesterday"), 422, "as_of")
    assert_problem(api.get(f"/v1/employees/{SUBJECT}", effective_on="2026-02-30"), 422, "effective_on")
    assert_problem(api.get(f"/v1/employees/{SUBJECT}/access-log", role="auditor", limit=0), 422, "limit")


def test_malformed_if_match_is_400(api: Api) -> None:
    before = api.head()
    r = api.post(APPRAISALS, GOOD_APPRAISAL, **{"If-Match": "3"})
    assert_problem(r, 400, "If-Match")
    r = api.post(APPRAISALS, GOOD_APPRAISAL, **{"If-Match": 'W/"3"'})
    assert_problem(r, 400, "If-Match")
    assert api.head() == before


def test_method_not_allowed_keeps_allow_header(api: Api) -> None:
    r = api.client.delete(f"/v1/employees/{SUBJECT}", headers=api.hr)
    assert_problem(r, 405)
    assert "GET" in r.headers["allow"]


def _forge(secret: bytes, **claims: Any) -> str:
    now = int(time.time())
    base = {"iss": ISSUER, "sub": "hr-1", "role": "hr", "iat": now, "exp": now + 60}
    return jwt.encode({**base, **claims}, secret, algorithm="HS256")


def test_bad_tokens_are_401(api: Api) -> None:
    secret = load_secret(api.ledger.settings.data_dir)
    path = f"/v1/employees/{SUBJECT}"
    cases = {
        "missing": None,
        "garbage": "not.a.jwt",
        "expired": _forge(secret, exp=int(time.time()) - 3600, iat=int(time.time()) - 7200),
        "other key": _forge(b"k" * 32),
        "unknown role": _forge(secret, role="citizen"),
        "no subject": jwt.encode(
            {"iss": ISSUER, "role": "hr", "iat": 1, "exp": int(time.time()) + 60}, secret
        ),
        "alg none": jwt.encode(
            {"iss": ISSUER, "sub": "x", "role": "hr", "iat": 1, "exp": 2**40}, None, algorithm="none"
        ),
    }
    for name, token in cases.items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = api.client.get(path, headers=headers)
        assert_problem(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer"), name
    r = api.client.get(path, headers={"Authorization": "Basic aHI6aHI="})
    assert_problem(r, 401)


def test_conflicts_are_409(api: Api) -> None:
    r = api.post("/v1/agencies", {"code": "DINKES", "name": "again"})
    assert_problem(r, 409)
    r = api.post(APPRAISALS, {**GOOD_APPRAISAL, "period": "2025"})
    assert_problem(r, 409)


def test_an_internal_error_is_a_problem_and_logs_no_personal_data(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    message = f"exploded while reading {SUBJECT} " + "Budi Santoso"

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError(message)

    monkeypatch.setattr(api.ledger, "employee", boom)
    with caplog.at_level(logging.INFO):
        r = api.get(f"/v1/employees/{SUBJECT}")
    body = assert_problem_5xx(r)
    assert SUBJECT not in body["detail"]
    logged = "\n".join(rec.getMessage() for rec in caplog.records if rec.name.startswith("kinerja"))
    assert "RuntimeError" in logged
    assert "/v1/employees/{nip}" in logged
    assert SUBJECT not in logged
    assert "Budi" not in logged
    assert api.token("hr") not in logged


def assert_problem_5xx(response: Any) -> dict[str, Any]:
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_KEYS
    return body


def test_request_log_lines_use_route_templates(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="kinerja.api.access"):
        api.get(f"/v1/employees/{SUBJECT}", as_of="2026-03-02T09:00:00+07:00")
        api.post(APPRAISALS, {**GOOD_APPRAISAL, "period": "1800"})
        api.client.post(
            APPRAISALS, content=b"x" * 70_000, headers={**api.hr, "content-type": "application/json"}
        )
    lines = [rec.getMessage() for rec in caplog.records if rec.name == "kinerja.api.access"]
    assert len(lines) == 3
    assert all("/v1/employees/{nip}" in line for line in lines)
    assert not any(SUBJECT in line for line in lines)


# Module-scoped fixtures open the store themselves (not through the `store` fixture).
pytestmark = pytest.mark.store

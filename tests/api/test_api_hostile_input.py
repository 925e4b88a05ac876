"""Hostile bodies and what every answer carries: malformed JSON named as such (deep nesting,
invalid UTF-8, huge numbers, repeated keys), bidirectional controls refused in text, security
headers on every response, a 409 that does not echo what was sent, a store only its owner reads."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ledger.application import KinerjaLedger
from ledger.config import Settings
from tests.api_support import SUBJECT, Api, shared_api
from tests.conftest import STORES
from tests.factories import HR, seed_agency

TRAININGS = f"/v1/employees/{SUBJECT}/trainings"
TRAINING = {"title": "Pelatihan", "hours_jp": 8, "completed_on": "2026-01-10", "provider": "BPSDM"}


@pytest.fixture(scope="module", params=STORES)
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with shared_api(request.param, tmp_path_factory.mktemp("hostile"), request) as (shared, _):
        yield shared


def post_raw(api: Api, body: bytes) -> Any:
    return api.client.post(TRAININGS, content=body, headers={**api.hr, "content-type": "application/json"})


def malformed(reason: str) -> dict[str, Any]:
    return {
        "type": "tag:kinerja-ledger,2026:problem/malformed-json",
        "title": "Bad Request",
        "status": 400,
        "detail": "the request body is not valid JSON",
        "instance": TRAININGS,
        "errors": [{"field": "body", "reason": reason}],
    }


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[" * 10_000 + b"]" * 10_000, "nested deeper than 32 levels"),
        (b'{"a":' * 40 + b"1" + b"}" * 40, "nested deeper than 32 levels"),
        (b'{"title": "\xff\xfe"}', "invalid UTF-8"),
        (b'{"hours_jp": ' + b"9" * 4300 + b"0}", "a number with too many digits"),
        (b'{"title": "a", "title": "b"}', "duplicate key 'title'"),
        (b'{"x": {"k": 1, "k": 2}}', "duplicate key 'k'"),
        (b'{"title": "a"', "malformed JSON"),
    ],
    ids=["deep-10000", "deep-40", "utf-8", "4301-digits", "duplicate", "nested-duplicate", "truncated"],
)
def test_malformed_bodies_are_400_naming_the_body(api: Api, body: bytes, reason: str) -> None:
    before = api.head()
    r = post_raw(api, body)
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    got = r.json()
    assert got.pop("request_id") == r.headers["x-request-id"]
    assert got == malformed(reason)
    assert api.head() == before


def test_a_document_32_levels_deep_and_4300_digits_pass_the_json_check(api: Api) -> None:
    # They reach validation (422 on their fields), not the malformed-JSON refusal.
    deep = post_raw(api, json.dumps({**TRAINING, "title": _nested(31)}).encode())
    assert deep.status_code == 422
    assert [e["field"] for e in deep.json()["errors"]] == ["title"]
    digits = post_raw(api, json.dumps({**TRAINING, "hours_jp": int("9" * 4300)}).encode())
    assert digits.status_code == 422
    assert [e["field"] for e in digits.json()["errors"]] == ["hours_jp"]


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth - 1):
        value = [value]
    return value


@pytest.mark.parametrize(
    "ch", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_bidirectional_controls_are_refused_in_text(api: Api, ch: str) -> None:
    before = api.head()
    r = api.post(TRAININGS, {**TRAINING, "title": f"Pelatihan{ch}gpj.exe"})
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"field": "title", "reason": "bidirectional control characters are not allowed"}
    ]
    assert api.head() == before


@pytest.mark.parametrize("ch", ["\u2029", "\u202f", "\u2065", "\u206a", "\u200f"])
def test_neighbours_of_the_bidi_ranges_are_kept(api: Api, ch: str) -> None:
    r = api.post(TRAININGS, {**TRAINING, "title": f"Pelatihan {ch}dasar"})
    assert r.status_code == 201, r.text


SECURITY = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", f"/v1/employees/{SUBJECT}", 200),
        ("get", "/v1/employees/199001012015011999", 404),
        ("get", "/healthz", 200),
        ("post", TRAININGS, 201),
    ],
)
def test_every_response_carries_the_security_headers(api: Api, method: str, path: str, status: int) -> None:
    r = api.post(path, TRAINING) if method == "post" else api.client.get(path, headers=api.hr)
    assert r.status_code == status
    assert {k: r.headers.get(k) for k in SECURITY} == SECURITY


def test_a_refusal_before_routing_carries_them_too(api: Api) -> None:
    r = post_raw(api, b'{"a": 1, "a": 2}')
    assert r.status_code == 400
    assert {k: r.headers.get(k) for k in SECURITY} == SECURITY


def test_a_duplicate_registration_does_not_echo_the_nip(api: Api) -> None:
    body = {"nip": SUBJECT, "name": "Lagi", "agency": "DINKES", "position": "Staf", "grade": "II/a",
            "employment_type": "PNS"}  # fmt: skip
    r = api.post("/v1/employees", body)
    assert r.status_code == 409
    assert r.json()["detail"] == "this NIP is already registered"
    assert SUBJECT not in r.text.replace(r.json()["instance"], "")


# ------------------------------------------------------------------ the SQLite store's files


def test_a_new_sqlite_store_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "fresh" / "var"
    settings = Settings(f"sqlite:///{data / 'ledger.db'}", data, "test/perm")
    app = KinerjaLedger(settings)
    try:
        seed_agency(app)  # a write, so the WAL and shared-memory files exist
        app.register_agency(HR, code="DISDIK", name="Dinas Pendidikan")
        modes = {
            p.name: stat.S_IMODE(p.stat().st_mode) for p in sorted(data.iterdir()) if "ledger.db" in p.name
        }
    finally:
        app.close()
    assert modes == {"ledger.db": 0o600, "ledger.db-shm": 0o600, "ledger.db-wal": 0o600}
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "moment", ["9999-12-31T23:59:59-12:00", "9999-12-31T23:00:00Z", "0001-01-01T00:00:00+14:00"]
)
def test_an_instant_outside_the_representable_range_is_422(api: Api, moment: str) -> None:
    r = api.client.get(f"/v1/employees/{SUBJECT}", params={"as_of": moment}, headers=api.hr)
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "field": "as_of",
            "reason": "outside the representable range (years 1-9999 in UTC and WIB) (e.g. 2026-03-02T09:00:00+07:00)",
        }
    ]


def test_the_last_representable_instant_is_accepted(api: Api) -> None:
    r = api.client.get(f"/v1/employees/{SUBJECT}", params={"as_of": "9999-12-31T16:59:59Z"}, headers=api.hr)
    assert r.status_code == 200, r.text


pytestmark = pytest.mark.store  # the shared app opens a store: not part of make test-fast

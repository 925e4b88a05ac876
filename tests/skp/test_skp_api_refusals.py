"""The SKP routes refuse bad input with exact problem+json bodies and write nothing; roles as
documented (docs/API.md, performance cycle)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_support import APPRAISER_NIP, OTHER_NIP, SUBJECT, Api, shared_api
from tests.conftest import STORES

pytestmark = pytest.mark.store

E = f"/v1/employees/{SUBJECT}"
ITEM = {"rhk": "R", "indicators": [{"aspect": "KUANTITAS", "name": "n", "target": 10, "unit": "u"}]}
PATTERN = "String should match pattern '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$'"


@pytest.fixture(scope="module", params=STORES)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Api, str]]:
    with shared_api(request.param, tmp_path_factory.mktemp("skp-refusals"), request) as (api, _):
        plan = api.post(f"{E}/skp", {"year": 2026, "items": [ITEM], "appraiser_nip": APPRAISER_NIP})
        assert plan.status_code == 201
        api.catch_up()
        yield api, plan.json()["skp_id"]


def problem(api: Api, response: Any, before: int) -> tuple[int, dict[str, Any]]:
    """Status and body without the request id; and nothing was written."""
    assert response.headers["content-type"] == "application/problem+json"
    assert api.head() == before
    body = dict(response.json())
    body.pop("request_id")
    return response.status_code, body


def invalid(path: str, *errors: tuple[str, str]) -> tuple[int, dict[str, Any]]:
    return 422, {
        "type": "tag:kinerja-ledger,2026:problem/validation-failed",
        "title": "Unprocessable Entity",
        "status": 422,
        "detail": "; ".join(f"{f}: {r}" for f, r in errors),
        "instance": path,
        "errors": [{"field": f, "reason": r} for f, r in errors],
    }


def refused(status: int, slug: str, title: str, detail: str, path: str) -> tuple[int, dict[str, Any]]:
    return status, {
        "type": f"tag:kinerja-ledger,2026:problem/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": path,
        "errors": [],
    }


def cases(skp_id: str) -> list[tuple[str, str, dict[str, Any], tuple[int, dict[str, Any]]]]:
    real = f"{E}/skp/{skp_id}/realisations"
    unknown = f"{E}/skp/{skp_id[:-1]}9/realisations"
    other = f"/v1/employees/{OTHER_NIP}/skp/{skp_id}/realisations"
    return [
        (
            "hr",
            f"{E}/skp",
            {"year": 2026, "items": [ITEM]},
            invalid(f"{E}/skp", ("appraiser_nip", "required: the appraiser who approved the plan")),
        ),
        (
            "hr",
            f"{E}/skp",
            {"year": 2021, "items": [], "appraiser_nip": "1"},
            invalid(
                f"{E}/skp",
                ("year", "Input should be greater than or equal to 2022"),
                ("items", "List should have at least 1 item after validation, not 0"),
                ("appraiser_nip", "String should match pattern '^[0-9]{18}$'"),
            ),
        ),
        (
            "appraiser",
            f"{E}/skp",
            {
                "year": 2026,
                "items": [
                    {
                        "rhk": "R",
                        "indicators": [
                            {"aspect": "KUANTITAS", "name": "n", "target": 0, "unit": "u", "x": 1}
                        ],
                    }
                ],
            },
            invalid(
                f"{E}/skp",
                ("items[0].indicators[0].target", "Input should be greater than 0"),
                ("items[0].indicators[0].x", "unknown field"),
            ),
        ),
        (
            "appraiser",
            f"{E}/skp",
            {"year": 2026, "items": [ITEM], "appraiser_nip": OTHER_NIP},
            invalid(f"{E}/skp", ("appraiser_nip", "an appraiser approves as themselves: give your own NIP")),
        ),
        (
            "hr",
            f"{E}/skp",
            {"year": 2026, "items": [ITEM], "appraiser_nip": APPRAISER_NIP},
            refused(
                409,
                "conflict",
                "Conflict",
                f"an SKP plan for 2026 exists ({skp_id}); record a revision",
                f"{E}/skp",
            ),
        ),
        (
            "employee",
            real,
            {"item": 2, "indicator": 1, "period": "2026-Q2", "value": 1},
            invalid(real, ("item", "the plan has 1 RHK item(s)"), ("period", "has not started yet")),
        ),
        (
            "employee",
            real,
            {"item": 1, "indicator": 1, "period": "2026-Q5", "value": -1},
            invalid(real, ("period", PATTERN), ("value", "Input should be greater than or equal to 0")),
        ),
        (
            "employee",
            real,
            {"item": 1, "indicator": 1, "period": "2026-01", "value": 1, "evidence_ref": "a\u202eb"},
            invalid(real, ("evidence_ref", "bidirectional control characters are not allowed")),
        ),
        (
            "hr",
            unknown,
            {"item": 1, "indicator": 1, "period": "2026-01", "value": 1},
            refused(
                404, "not-found", "Not Found", f"unknown SKP plan {skp_id[:-1]}9 for this employee", unknown
            ),
        ),
        (
            "employee",
            other,
            {"item": 1, "indicator": 1, "period": "2026-01", "value": 1},
            refused(
                403,
                "forbidden",
                "Forbidden",
                "an employee may report realisations only on their own record",
                other,
            ),
        ),
        (
            "appraiser",
            f"{E}/dialogues",
            {"held_on": "2026-03-03", "summary": "x"},
            invalid(f"{E}/dialogues", ("held_on", "in the future")),
        ),
        (
            "employee",
            f"{E}/dialogues",
            {"held_on": "2026-03-01", "summary": "x"},
            refused(
                403,
                "forbidden",
                "Forbidden",
                "role employee may not record performance dialogues",
                f"{E}/dialogues",
            ),
        ),
        (
            "hr",
            f"{E}/behaviour-feedback",
            {"value": "LOYAL", "rating": "SESUAI_EKSPEKTASI"},
            invalid(f"{E}/behaviour-feedback", ("source", "required: SUPERVISOR or PEER")),
        ),
        (
            "appraiser",
            f"{E}/behaviour-feedback",
            {"value": "LOYAL", "rating": "SESUAI_EKSPEKTASI", "source": "PEER"},
            invalid(
                f"{E}/behaviour-feedback", ("source", "a token of role appraiser gives SUPERVISOR feedback")
            ),
        ),
        (
            "employee",
            f"{E}/behaviour-feedback",
            {"value": "LOYAL", "rating": "SESUAI_EKSPEKTASI"},
            refused(
                403,
                "forbidden",
                "Forbidden",
                "nobody may give behaviour feedback on their own record",
                f"{E}/behaviour-feedback",
            ),
        ),
    ]


@pytest.mark.parametrize("n", range(15))
def test_refusals(world: tuple[Api, str], n: int) -> None:
    api, skp_id = world
    role, path, body, expected = cases(skp_id)[n]
    before = api.head()
    assert problem(api, api.post(path, body, role=role), before) == expected


def test_a_peer_is_an_employee_of_the_same_agency(world: tuple[Api, str]) -> None:
    api, _ = world
    before = api.head()
    body = {"value": "LOYAL", "rating": "SESUAI_EKSPEKTASI"}
    other_agency = api.client.post(
        f"{E}/behaviour-feedback", json=body, headers=api.auth("employee", sub=OTHER_NIP)
    )
    unknown = api.client.post(
        f"{E}/behaviour-feedback", json=body, headers=api.auth("employee", sub="199901012020011001")
    )
    expected = refused(
        403,
        "forbidden",
        "Forbidden",
        "an employee gives feedback only to colleagues of their own agency",
        f"{E}/behaviour-feedback",
    )
    assert problem(api, other_agency, before) == expected
    assert problem(api, unknown, before) == expected


def test_who_reads_an_skp(world: tuple[Api, str]) -> None:
    api, _ = world
    path = f"{E}/skp"
    readers = {
        "hr": api.auth("hr"),
        "auditor": api.auth("auditor"),
        "inspector": api.auth("inspector"),
        "self": api.auth("employee"),
        "appraiser": api.auth("appraiser"),
    }
    for who, headers in readers.items():
        assert api.client.get(path, params={"year": 2026}, headers=headers).status_code == 200, who
    outsider = api.client.get(path, headers=api.auth("appraiser", agency="DISDIK"))
    colleague = api.client.get(path, headers=api.auth("employee", sub=APPRAISER_NIP))
    assert (outsider.status_code, outsider.json()["detail"]) == (
        403,
        "no employee of agency DISDIK has this NIP",
    )
    assert (colleague.status_code, colleague.json()["detail"]) == (
        403,
        "an employee may read only their own record",
    )
    register = api.get("/v1/appraisals", role="employee", year=2026)
    assert (register.status_code, register.json()["detail"]) == (
        403,
        "role employee may not read the appraisal register",
    )

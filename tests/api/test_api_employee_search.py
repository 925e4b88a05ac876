"""GET /v1/employees (both stores): search by NIP prefix or a part of the name, the status on a
day from the service clock, the agency filter, who may list, and the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.application import KinerjaLedger
from ledger.values import Decree, Text
from ledger.vocabulary import LeaveType, ServiceEndReason
from tests.api_support import Api, make_api
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_agency, seed_employee

# (nip, name, agency); NIP_BUDI and NIP_SARI come from seed_employee.
PEOPLE = [
    ("198801012012011001", "Siti Ángela Nasution", "DINKES"),
    ("198801012012012002", "Rahmat  Hidayat", "DISDIK"),
    ("198801012012011003", "Dewi Lestari", "DISDIK"),
    ("198801012012012004", "Hendra 50%_Sitepu", "DINKES"),
]
ON_LEAVE, SUSPENDED, ENDED = PEOPLE[0][0], PEOPLE[1][0], PEOPLE[2][0]


@pytest.fixture
def api(app: KinerjaLedger) -> Api:
    seed_agency(app)
    seed_agency(app, "DISDIK", "Dinas Pendidikan")
    seed_employee(app, NIP_BUDI)
    seed_employee(app, NIP_SARI, name="Sari Dewi")
    for nip, name, agency in PEOPLE:
        seed_employee(app, nip, agency=agency, name=name)
    decree = {"decree_number": Decree("SK-1"), "decree_date": date(2026, 1, 5)}
    app.start_leave(
        HR, ON_LEAVE, leave_type=LeaveType.CLTN, started_on=date(2026, 1, 10), reason=Text("x"), **decree
    )
    app.suspend_employee(HR, SUSPENDED, started_on=date(2026, 2, 1), reason=Text("x"), **decree)
    app.end_service(HR, ENDED, reason=ServiceEndReason.PENSIUN_DINI, ended_on=date(2026, 2, 1), **decree)
    api = make_api(app)
    api.catch_up()
    return api


def _list(api: Api, role: str = "hr", **params: Any) -> dict[str, Any]:
    answer = api.get("/v1/employees", role=role, **params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _row(nip: str, name: str, agency: str, status: str = "ACTIVE") -> dict[str, Any]:
    return {
        "nip": nip,
        "name": name,
        "agency": agency,
        "position": "Perawat Ahli Pertama",
        "grade": "III/b",
        "employment_type": "PNS",
        "service_unit": None,
        "status": status,
    }


BUDI = _row(NIP_BUDI, "Budi Santoso", "DINKES")
SARI = _row(NIP_SARI, "Sari Dewi", "DINKES")
SITI = _row(*PEOPLE[0], "ON_LEAVE")
RAHMAT = _row(*PEOPLE[1], "SUSPENDED")
DEWI = _row(*PEOPLE[2], "ENDED")
HENDRA = _row(*PEOPLE[3])


def test_the_whole_list_by_nip_with_the_status_of_today(api: Api) -> None:
    assert _list(api) == {
        "q": None,
        "agency": None,
        "status": None,
        "on": "2026-03-02",
        "items": [SARI, BUDI, SITI, DEWI, RAHMAT, HENDRA],
        "next": None,
    }


def test_search_by_nip_prefix_and_by_a_part_of_the_name(api: Api) -> None:
    assert _list(api, q="1988010120120")["items"] == [SITI, DEWI, RAHMAT, HENDRA]
    assert _list(api, q="198801012012011003")["items"] == [DEWI]
    assert _list(api, q="1985")["items"] == [BUDI]
    assert _list(api, q="2")["items"] == []  # a NIP prefix, never a name part
    # Case-insensitive, inside a word, any Unicode letter, spaces collapsed.
    assert _list(api, q="dewi")["items"] == [SARI, DEWI]
    assert _list(api, q="ángela NASUTION")["items"] == [SITI]
    assert _list(api, q="rahmat hidayat")["items"] == [RAHMAT]
    assert _list(api, q="  SAN ")["items"] == [BUDI]
    # LIKE's wildcards are plain characters in a search.
    assert _list(api, q="50%_")["items"] == [HENDRA]
    assert _list(api, q="%")["items"] == [HENDRA]
    assert _list(api, q="_")["items"] == [HENDRA]


def test_filters_by_agency_and_by_status_on_a_day(api: Api) -> None:
    assert _list(api, agency="DISDIK")["items"] == [DEWI, RAHMAT]
    assert _list(api, status="ON_LEAVE")["items"] == [SITI]
    assert _list(api, status="SUSPENDED")["items"] == [RAHMAT]
    assert _list(api, status="ENDED")["items"] == [DEWI]
    assert _list(api, status="ACTIVE", agency="DINKES")["items"] == [SARI, BUDI, HENDRA]
    before = _list(api, status="ACTIVE", on="2026-01-09")
    assert (before["on"], [i["nip"] for i in before["items"]]) == (
        "2026-01-09",
        [NIP_SARI, NIP_BUDI, ON_LEAVE, ENDED, SUSPENDED, PEOPLE[3][0]],
    )
    assert _list(api, q="dewi", status="ENDED", agency="DISDIK")["items"] == [DEWI]


def test_pages_walk_every_row_once(api: Api) -> None:
    seen: list[str] = []
    page = _list(api, limit=4)
    seen += [i["nip"] for i in page["items"]]
    page = _list(api, limit=4, after=page["next"])
    seen += [i["nip"] for i in page["items"]]
    assert page["next"] is None
    assert seen == [i["nip"] for i in _list(api)["items"]]
    # The cursor is bound to its filters.
    first = _list(api, limit=1, agency="DINKES")
    refused = api.get("/v1/employees", limit=1, agency="DISDIK", after=first["next"])
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "after")


def test_who_may_list(api: Api, app: KinerjaLedger) -> None:
    for role in ("auditor", "inspector"):
        assert len(_list(api, role=role)["items"]) == 6
    refused = api.get("/v1/employees", role="employee")
    assert (refused.status_code, refused.json()["detail"]) == (403, "role employee may not list employees")
    assert api.client.get("/v1/employees").status_code == 401
    # An appraiser (of DINKES in the test tokens) sees their own agency only.
    assert _list(api, role="appraiser")["items"] == [SARI, BUDI, SITI, HENDRA]
    assert _list(api, role="appraiser", agency="DINKES")["agency"] == "DINKES"
    other = api.get("/v1/employees", role="appraiser", agency="DISDIK")
    assert (other.status_code, other.json()["detail"]) == (
        403,
        "an appraiser may list only the employees of their own agency",
    )


def test_bounds_on_the_query(api: Api) -> None:
    for params, field in (
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"q": "1" * 19}, "q"),
        ({"q": "a\u202eb"}, "q"),
        ({"q": "a\tb"}, "q"),
        ({"status": "RETIRED"}, "status"),
        ({"agency": "not a code"}, "agency"),
        ({"on": "2026-02-30"}, "on"),
        ({"limit": 0}, "limit"),
    ):
        refused = api.get("/v1/employees", **params)
        assert refused.status_code == 422, (params, refused.text)
        assert [e["field"] for e in refused.json()["errors"]] == [field], params


def test_each_listed_employee_gets_an_access_log_entry(api: Api) -> None:
    _list(api, q="dewi")
    for nip, listed in ((NIP_SARI, True), (ENDED, True), (NIP_BUDI, False)):
        log = api.get(f"/v1/employees/{nip}/access-log", role="auditor").json()["entries"]
        assert [e["route"] for e in log if e["route"] == "/v1/employees"] == (
            ["/v1/employees"] if listed else []
        )

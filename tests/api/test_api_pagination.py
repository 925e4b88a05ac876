"""One pagination style for every list route (`limit`, opaque `after`, answered with `next`),
walked over the demo city on both stores: every row once, in order, and cursors that are refused
when they do not belong to the list."""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.cli import demo
from api.cli.demo.city import UNITS
from api.pagination import MAX_CURSOR, MAX_LIMIT, Cursor
from api.problems import ApiProblem
from ledger.application import CommandContext, KinerjaLedger
from ledger.domain.envelope import Actor
from ledger.values import Code
from projections import queries
from projections.paging import page_of
from tests.api_support import Api, make_api
from tests.conftest import STORES, make_settings
from tests.contract_support import load_demo


@pytest.fixture(scope="module", params=STORES)
def city(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    clock = demo.SimulatedClock()
    ledger = KinerjaLedger(
        make_settings(str(request.param), tmp_path_factory.mktemp("pages"), request), clock=clock
    )
    try:
        load_demo(ledger, clock)
        _bursts(ledger, clock)
        api = make_api(ledger)
        api.catch_up()
        yield api
    finally:
        ledger.close()


def _bursts(ledger: KinerjaLedger, clock: demo.SimulatedClock) -> None:
    """Bursts for the register: six surveys in six seconds naming an officer, on four days."""
    citizen = CommandContext(Actor("", "citizen"))
    (code, officer), *_ = [(c, sorted(o)[0]) for c, *_ in UNITS if (o := ledger.service_unit(c).officers)]
    for day in (2, 9, 16, 23):
        clock.now = datetime(2025, 6, day, 3, 0, tzinfo=UTC)
        for _ in range(6):
            clock.now += timedelta(seconds=1)
            ledger.submit_survey(
                citizen,
                service_unit=Code(code),
                answers={f"U{i}": 3 for i in range(1, 10)},
                officer_code=Code(officer),
            )


# (role, path, filters, the list's field, the field(s) identifying a row)
LISTS: list[tuple[str, str, dict[str, Any], str, tuple[str, ...]]] = [
    ("hr", "/v1/rankings", {"year": 2025}, "items", ("nip",)),
    ("hr", "/v1/rankings", {"year": 2025, "agency": "DINKES"}, "items", ("nip",)),
    ("hr", "/v1/awards", {}, "items", ("award_id",)),
    ("hr", "/v1/awards", {"year": 2024}, "items", ("award_id",)),
    ("hr", "/v1/registers/satyalancana", {"year": 2025}, "items", ("nip", "years")),
    ("hr", "/v1/training/compliance", {"year": 2025, "agency": "DINKES"}, "employees", ("nip",)),
    ("inspector", "/v1/sanctions", {}, "items", ("sanction_id",)),
    ("inspector", "/v1/appraisals", {"year": 2025}, "items", ("appraisal_id",)),
    ("hr", "/v1/survey-bursts", {"year": 2025}, "items", ("burst_id",)),
    ("hr", "/v1/programs", {}, "items", ("code",)),
    ("hr", "/v1/employees", {}, "items", ("nip",)),
    ("auditor", "/v1/employees", {"status": "ENDED"}, "items", ("nip",)),
    ("hr", "/v1/public-input", {}, "items", ("id",)),
    ("inspector", "/v1/public-input", {"kind": "complaint"}, "items", ("id",)),
]


def test_the_demo_city_has_complaints_answered_and_not(city: Api) -> None:
    items = city.get("/v1/public-input", kind="complaint", limit=MAX_LIMIT).json()["items"]
    fates = sorted(Counter(i["status"] for i in items).items())
    assert fates == [("CLOSED", 27), ("IN_PROGRESS", 2), ("RECEIVED", 2), ("REJECTED", 1), ("RESPONDED", 6)]


def _walk(api: Api, role: str, path: str, filters: dict[str, Any], field: str, limit: int) -> list[Any]:
    rows: list[Any] = []
    after: str | None = None
    for _ in range(1000):
        params = {**filters, "limit": limit, **({"after": after} if after else {})}
        answer = api.get(path, role=role, **params)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert len(page[field]) <= limit
        rows += page[field]
        after = page["next"]
        if after is None:
            return rows
        assert len(page[field]) == limit  # only the last page is short
    raise AssertionError("the pages never ended")


@pytest.mark.parametrize(("role", "path", "filters", "field", "ident"), LISTS)
def test_walking_the_pages_gives_every_row_once_in_order(
    city: Api, role: str, path: str, filters: dict[str, Any], field: str, ident: tuple[str, ...]
) -> None:
    whole = city.get(path, role=role, **filters, limit=MAX_LIMIT).json()
    assert whole["next"] is None
    assert len(whole[field]) >= 3, f"the demo city should give {path} a few rows to page through"
    for limit in (1, 2, 7):
        walked = _walk(city, role, path, filters, field, limit)
        assert walked == whole[field]
    keys = [tuple(row[k] for k in ident) for row in whole[field]]
    assert len(keys) == len(set(keys))


def test_a_rankings_page_read_alone_is_the_page_of_the_whole_ranking(city: Api) -> None:
    """rankings_page reads only its page (ranks and `total` in SQL); it must give the rows, ranks
    and next key that paging the whole ranking gives, for every page, also after a key that is no
    row of the list (the ranking changed between two pages)."""
    ledger = city.ledger
    checked_ties = 0
    for year in (2023, 2024, 2025):
        for agency in (None, "DINKES", "DISDIK"):
            whole = queries.rankings(ledger, year, agency)
            items = whole["items"]
            ranks = [i["rank"] for i in items]
            checked_ties += len(ranks) - len(set(ranks))
            for limit in (1, 2, 3, 7, 500):
                after: tuple[Any, ...] | None = None
                for _ in range(len(items) + 2):
                    head, page = queries.rankings_page(ledger, year, agency, limit=limit, after=after)
                    expected = page_of(items, lambda i: (i["rank"], i["nip"]), limit, after)
                    assert (head["total"], page) == (whole["total"], expected), (
                        year, agency, limit, after,
                    )  # fmt: skip
                    if page.next_key is None:
                        break
                    after = page.next_key
            nips = [*sorted({i["nip"] for i in items})[:5], "0", "999999999999999999"]
            for rank in (0, 1, 2, *ranks[1::7], len(items), len(items) + 1):
                for nip in nips:
                    _, page = queries.rankings_page(ledger, year, agency, limit=5, after=(rank, nip))
                    expected = page_of(items, lambda i: (i["rank"], i["nip"]), 5, (rank, nip))
                    assert page == expected, (year, agency, rank, nip)
    assert checked_ties > 0  # the demo city's rankings hold ties, so shared ranks were compared


def test_access_log_pages_the_same_way(city: Api) -> None:
    nip = city.get("/v1/rankings", year=2025, limit=1).json()["items"][0]["nip"]
    for _ in range(4):
        city.get(f"/v1/employees/{nip}")
    path = f"/v1/employees/{nip}/access-log"
    first = city.get(path, role="auditor", limit=2).json()
    second = city.get(path, role="auditor", limit=2, after=first["next"]).json()
    ids = [e["id"] for e in first["entries"] + second["entries"]]
    assert ids == sorted(ids) and len(set(ids)) == 4
    other = city.get("/v1/rankings", year=2025, limit=2).json()["items"][1]["nip"]
    foreign = city.get(f"/v1/employees/{other}/access-log", role="auditor", after=first["next"])
    assert _refused(foreign) == [("after", CURSOR_REASON)]


CURSOR_REASON = "not a cursor of this list with these filters (use `next` of the previous page)"


def _refused(answer: Any) -> list[tuple[str, str]]:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    return [(e["field"], e["reason"]) for e in answer.json()["errors"]]


def test_limit_bounds(city: Api) -> None:
    for limit in (0, -1, MAX_LIMIT + 1):
        assert [f for f, _ in _refused(city.get("/v1/programs", limit=limit))] == ["limit"]
    whole = city.get("/v1/rankings", year=2025, limit=MAX_LIMIT).json()
    assert (len(whole["items"]), whole["next"]) == (whole["total"], None)


def test_forged_and_foreign_cursors_are_422_on_after(city: Api) -> None:
    genuine = city.get("/v1/rankings", year=2025, limit=2).json()["next"]
    head, _, check = genuine.partition(".")
    payload = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    forged_payload = json.dumps([payload[0], [1, "199001012015011001"]], separators=(",", ":")).encode()
    forged = base64.urlsafe_b64encode(forged_payload).rstrip(b"=").decode() + "." + check
    for after in (
        forged,  # another key under the genuine check
        genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),  # an altered check
        head,  # no check at all
        "x" * 10,
        "....",
    ):
        assert _refused(city.get("/v1/rankings", year=2025, after=after)) == [("after", CURSOR_REASON)], after
    # The same cursor with other filters, or on another list, is foreign.
    assert _refused(city.get("/v1/rankings", year=2024, after=genuine)) == [("after", CURSOR_REASON)]
    assert _refused(city.get("/v1/awards", after=genuine)) == [("after", CURSOR_REASON)]
    # Shape: length, characters.
    assert [f for f, _ in _refused(city.get("/v1/programs", after="a" * (MAX_CURSOR + 1)))] == ["after"]
    assert [f for f, _ in _refused(city.get("/v1/programs", after="a b"))] == ["after"]
    assert [f for f, _ in _refused(city.get("/v1/programs", after=""))] == ["after"]


keys = st.lists(st.one_of(st.integers(-(2**62), 2**62), st.text(max_size=40)), min_size=1, max_size=4)


@given(key=keys, other=keys)
def test_a_cursor_decodes_to_its_key_and_only_in_its_list(key: list[Any], other: list[Any]) -> None:
    shape = tuple(type(v) for v in key)
    mine = Cursor("list", {"year": 2025}, shape)
    token = mine.encode(tuple(key))
    assert mine.decode(token) == tuple(key)
    for foreign in (Cursor("list", {"year": 2024}, shape), Cursor("other", {"year": 2025}, shape)):
        with pytest.raises(ApiProblem):
            foreign.decode(token)
    if tuple(type(v) for v in other) != shape:
        with pytest.raises(ApiProblem):
            mine.decode(Cursor("list", {"year": 2025}, tuple(type(v) for v in other)).encode(tuple(other)))


pytestmark = pytest.mark.store

"""Exports of the register and list routes: CSV and XLSX with the JSON's columns, chosen by
`?format=` or Accept, never cached, a page at a time, no contact details."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from api.exports import XLSX_TYPE, _cell
from tests.api_support import SUBJECT, Api, shared_api
from tests.conftest import STORES

RANKING_COLUMNS = ["rank", "nip", "name", "agency", "score", "predikat", "formula_version"]


@pytest.fixture(scope="module", params=STORES)
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Api, dict[str, Any]]]:
    with shared_api(request.param, Path(tmp_path_factory.mktemp("exports")), request) as (a, seeded):
        a.catch_up()
        yield a, seeded


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8"))))


@pytest.mark.store
def test_csv_has_the_json_columns_and_rows(api: tuple[Api, dict[str, Any]]) -> None:
    a, _ = api
    as_json = a.get("/v1/rankings", year=2025).json()
    r = a.get("/v1/rankings", year=2025, format="csv")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="rankings.csv"'
    assert r.headers["cache-control"] == "no-store"
    rows = _rows(r.content)
    assert rows[0] == RANKING_COLUMNS == list(as_json["items"][0])
    assert rows[1:] == [[_cell(item[c]) for c in RANKING_COLUMNS] for item in as_json["items"]]
    assert r.content.endswith(b"\r\n")


@pytest.mark.store
def test_accept_chooses_the_format_and_json_stays_the_default(api: tuple[Api, dict[str, Any]]) -> None:
    a, _ = api
    by_accept = a.client.get("/v1/rankings?year=2025", headers={**a.hr, "Accept": "text/csv"})
    by_query = a.get("/v1/rankings", year=2025, format="csv")
    assert (by_accept.headers["content-type"], by_accept.content) == (
        by_query.headers["content-type"],
        by_query.content,
    )
    plain = a.client.get("/v1/rankings?year=2025", headers={**a.hr, "Accept": "application/json, text/csv"})
    assert plain.headers["content-type"] == "application/json"
    forced = a.client.get("/v1/rankings?year=2025&format=json", headers={**a.hr, "Accept": "text/csv"})
    assert forced.headers["content-type"] == "application/json"


@pytest.mark.store
def test_xlsx_holds_the_same_table(api: tuple[Api, dict[str, Any]]) -> None:
    a, _ = api
    csv_rows = _rows(a.get("/v1/rankings", year=2025, format="csv").content)
    r = a.get("/v1/rankings", year=2025, format="xlsx")
    assert r.headers["content-type"] == XLSX_TYPE
    assert r.headers["cache-control"] == "no-store"
    sheet = load_workbook(io.BytesIO(r.content), read_only=True)["rankings"]
    cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == csv_rows


@pytest.mark.store
def test_nested_objects_become_dotted_columns(api: tuple[Api, dict[str, Any]]) -> None:
    a, _ = api
    rows = _rows(a.get("/v1/training/compliance", year=2025, agency="DINKES", format="csv").content)
    as_json = a.get("/v1/training/compliance", year=2025, agency="DINKES").json()
    assert rows[0] == list(as_json["employees"][0])
    assert [r[0] for r in rows[1:]] == [e["nip"] for e in as_json["employees"]]
    # Without an agency the rows are the agencies.
    agencies = _rows(a.get("/v1/training/compliance", year=2025, format="csv").content)
    assert agencies[0][0] == "agency" and [r[0] for r in agencies[1:]] == ["DINKES", "DISDIK"]


@pytest.mark.store
def test_a_page_at_a_time_with_the_next_page_linked(api: tuple[Api, dict[str, Any]]) -> None:
    a, _ = api
    path = "/v1/training/compliance"
    first = a.get(path, year=2025, agency="DINKES", limit=1, format="csv")
    following = a.get(path, year=2025, agency="DINKES", limit=1).json()["next"]
    assert following is not None and len(_rows(first.content)) == 2
    assert first.headers["link"] == (
        f'<http://testserver{path}?year=2025&agency=DINKES&limit=1&format=csv&after={following}>; rel="next"'
    )
    last = a.get(path, year=2025, agency="DINKES", limit=1, after=following, format="csv")
    assert "link" not in last.headers and len(_rows(last.content)) == 2


@pytest.mark.store
def test_every_list_route_exports(api: tuple[Api, dict[str, Any]]) -> None:
    a, _ = api
    for path, params, role in [
        ("/v1/employees", {}, "hr"),
        ("/v1/awards", {}, "hr"),
        ("/v1/survey-bursts", {"year": 2026}, "hr"),
        ("/v1/registers/satyalancana", {"year": 2025}, "hr"),
        ("/v1/sanctions", {}, "inspector"),
        ("/v1/appraisals", {"year": 2025}, "inspector"),
        ("/v1/programs", {}, "hr"),
        (f"/v1/employees/{SUBJECT}/access-log", {}, "auditor"),
    ]:
        r = a.get(path, role=role, **params, format="csv")
        assert (path, r.status_code, r.headers["content-type"]) == (path, 200, "text/csv; charset=utf-8")
        assert r.headers["cache-control"] == "no-store"
        assert _rows(r.content)[0], path  # a header row even when the list is empty


@pytest.mark.store
def test_an_export_is_refused_like_the_json(api: tuple[Api, dict[str, Any]]) -> None:
    a, _ = api
    assert a.get("/v1/rankings", role="employee", year=2025, format="csv").status_code == 403
    bad = a.get("/v1/rankings", year=2025, format="pdf")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "format"


def test_spreadsheet_formulas_are_kept_as_text() -> None:
    assert [_cell(v) for v in ["=1+1", "+62 811", "@SUM(A1)", "-5", "-x", None, True, [1], {"a": 1}]] == [
        "'=1+1",
        "'+62 811",
        "'@SUM(A1)",
        "-5",
        "'-x",
        "",
        "true",
        "[1]",
        '{"a":1}',
    ]


def test_contact_columns_never_leave() -> None:
    from pydantic import BaseModel

    from api.exports import columns_of

    class Reporter(BaseModel):
        name: str
        contact: str

    class Complaint(BaseModel):
        id: str
        contact: str | None
        reporter: Reporter
        complainant_contact: str

    assert columns_of(Complaint) == ["id", "reporter.name"]

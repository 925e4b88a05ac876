"""The portal's pages over HTTP on the demo city (both stores): no personal data on public pages,
no reference to another host, the CSP, CSRF on every form, the honeypot and the rate limit, the
staff session cookie, the access log of staff reads, the export download."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import access_log
from api.auth import issue_token, load_secret
from api.main import create_app
from api.ratelimit import RateLimit
from ledger.audit.verify import run as verify_export
from ledger.values import SKP_FIRST_YEAR
from projections import queries
from tests.api_support import Api, make_api
from tests.conftest import STORES
from tests.portal.support import (
    LOOSE,
    active_nips,
    complaint_contacts,
    demo_ledger,
    foreign_references,
    personal_data,
    referenced_urls,
)

pytestmark = pytest.mark.store

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
ANSWERS = {f"U{i}": "3" for i in range(1, 10)}


@pytest.fixture(scope="module", params=STORES)
def city(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Api]:
    ledger = demo_ledger(str(request.param), tmp_path_factory.mktemp("portal-pages"), request)
    try:
        api = make_api(ledger)
        api.app.state.public_limiter.limit = LOOSE
        api.catch_up()
        yield api
    finally:
        ledger.close()


def client(api: Api) -> TestClient:
    """A fresh browser-like client (its own cookies) on the module's app."""
    return TestClient(api.app)


def csrf_token(c: TestClient, path: str) -> str:
    r = c.get(path)
    assert r.status_code == 200, r.text
    found = CSRF.search(r.text)
    assert found, path
    return found.group(1)


def unit_code(api: Api) -> str:
    return str(queries.public_service_units(api.ledger)["service_units"][0]["code"])


def public_pages(api: Api) -> list[str]:
    years = queries.public_years(api.ledger)
    unit = unit_code(api)
    return [
        "/",
        *[f"/?tahun={y}" for y in years],
        "/survei",
        f"/survei?unit={unit}",
        f"/survei/terima-kasih?unit={unit}",
        "/jejak-audit",
        "/masuk",
        "/pengaduan",
        "/pengaduan/status",
    ]


def signed_in(api: Api, role: str, sub: str | None = None) -> TestClient:
    c = client(api)
    token = issue_token(load_secret(api.ledger.settings.data_dir), role=role, sub=sub or f"{role}-1")
    r = c.post("/masuk", data={"csrf_token": csrf_token(c, "/masuk"), "token": token, "next": "/staf"},
               follow_redirects=False)  # fmt: skip
    assert (r.status_code, r.headers.get("location")) == (303, "/staf"), r.text
    return c


# ------------------------------------------------------------------------------ public pages


@pytest.mark.parametrize("lang", ["id", "en"])
def test_public_pages_show_no_nip_no_name_of_any_employee(city: Api, lang: str) -> None:
    nips, names = personal_data(city.ledger)
    contacts = complaint_contacts(city.ledger)
    assert len(nips) > 50 and len(names) > 50 and len(contacts) > 3
    c = client(city)
    c.cookies.set("kl_lang", lang)
    for path in public_pages(city):
        r = c.get(path)
        assert r.status_code == 200, path
        html = r.text
        assert [n for n in nips if n in html] == [], path
        assert [n for n in names if n in html] == [], path
        assert [n for n in contacts if n in html] == [], path


def test_public_figures_show_suppressed_cells_with_their_reason(city: Api) -> None:
    html = client(city).get("/?tahun=2025").text
    assert (
        "data tidak ditampilkan <small>(kurang dari 5 orang atau jawaban (k = 5), untuk melindungi data pribadi)"
        in html
    )
    # The published figures of a unit are those of the read model, cell by cell.
    unit = next(u for u in queries.public_service_units(city.ledger, 2025)["service_units"] if u["figures"])
    row = re.search(rf'<tr data-unit="{unit["code"]}">(.*?)</tr>', html, re.S)
    assert row
    figures = unit["figures"]
    shown = (
        figures["ikm_converted"]["value"]
        if not figures["ikm_converted"]["suppressed"]
        else "data tidak ditampilkan"
    )
    assert f'<td class="ikm">{shown}' in row.group(1)


def test_the_survey_page_carries_the_official_wording(city: Api) -> None:
    html = client(city).get("/survei").text
    assert (
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"
        in html
    )
    assert "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?" in html
    for answer in (
        "Tidak ada",
        "Ada tetapi tidak berfungsi",
        "Berfungsi kurang maksimal",
        "Dikelola dengan baik",
    ):
        assert f"<span>{answer}</span>" in html
    assert html.count('type="radio"') == 36
    assert "PermenPANRB 14/2017 Lampiran, contoh kuesioner Survei Kepuasan Masyarakat" in html


def _staff_pages(city: Api) -> list[tuple[str, str]]:
    nip = sorted(personal_data(city.ledger)[0])[0]
    return [
        ("hr", "/staf"),
        ("hr", "/staf/pegawai?q=a"),
        ("hr", f"/staf/pegawai/{nip}"),
        ("hr", f"/staf/pegawai/{nip}/skp"),
        ("inspector", "/staf/sanksi?verdict=INCONSISTENT"),
        ("auditor", "/staf/audit"),
    ]


def test_no_page_references_another_host(city: Api) -> None:
    c = client(city)
    pages = {path: c.get(path).text for path in [*public_pages(city), "/docs"]}
    for role, path in _staff_pages(city):
        pages[path] = signed_in(city, role).get(path).text
    for path, html in pages.items():
        assert referenced_urls(html), path
        assert foreign_references(html) == [], path
    css = c.get("/static/portal/portal.css").text
    assert "url(" not in css and "@import" not in css


def test_html_pages_have_a_csp_and_no_inline_script_or_style(city: Api) -> None:
    c = client(city)
    for path in public_pages(city):
        r = c.get(path)
        csp = r.headers["content-security-policy"]
        assert csp == (
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'"
        ), path
        assert (
            "<script" not in r.text and " style=" not in r.text and not re.search(r"\son[a-z]+=", r.text)
        ), path
    docs = c.get("/docs")
    assert "script-src 'self';" in docs.headers["content-security-policy"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", docs.text, re.S)
    assert [(attrs.strip(), body) for attrs, body in scripts] == [
        ('src="/static/swagger/swagger-ui-bundle.js"', ""),
        ('src="/static/portal/docs-init.js"', ""),
    ]
    assert c.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert c.get("/static/swagger/index.html").status_code == 404


# ------------------------------------------------------------------------------ the survey form


def survey(c: TestClient, token: str | None, unit: str, **fields: str) -> Any:
    data = {"service_unit": unit, **ANSWERS, **fields}
    if token is not None:
        data["csrf_token"] = token
    return c.post("/survei", data=data, follow_redirects=False)


def test_a_survey_form_is_recorded_like_the_api_survey(city: Api) -> None:
    c, unit = client(city), unit_code(city)
    before = city.head()
    r = survey(c, csrf_token(c, "/survei"), unit, comment="Antrian cepat")
    assert (r.status_code, r.headers["location"]) == (303, f"/survei/terima-kasih?unit={unit}")
    assert city.head() == before + 1
    assert "Terima kasih" in c.get(r.headers["location"]).text


def test_a_missing_element_is_named_beside_its_field_and_nothing_is_written(city: Api) -> None:
    c, unit = client(city), unit_code(city)
    before = city.head()
    data = {k: v for k, v in ANSWERS.items() if k != "U3"}
    r = c.post("/survei", data={"service_unit": unit, "csrf_token": csrf_token(c, "/survei"), **data})
    assert r.status_code == 422
    assert re.findall(r'<p class="error" id="e-([A-Za-z0-9_]+)">([^<]*)</p>', r.text) == [
        ("U3", "Pilih satu jawaban untuk pertanyaan ini.")
    ]
    assert city.head() == before


def test_an_unknown_officer_code_is_refused_beside_its_field(city: Api) -> None:
    c, unit = client(city), unit_code(city)
    before = city.head()
    r = survey(c, csrf_token(c, "/survei"), unit, officer_code="ZZ-999")
    assert r.status_code == 422
    assert re.findall(r'<p class="error" id="e-([a-z_A-Z0-9]+)">', r.text) == ["officer_code"]
    assert "Kode petugas tidak dikenal di unit ini." in r.text
    assert "ZZ-999" in r.text  # kept in the field for the citizen to correct
    assert city.head() == before


@pytest.mark.parametrize("token", [None, "", "0" * 64])
def test_a_form_post_without_or_with_a_wrong_csrf_token_is_refused(city: Api, token: str | None) -> None:
    c, unit = client(city), unit_code(city)
    csrf_token(c, "/survei")  # the cookie is there; the field is missing or wrong
    before = city.head()
    r = survey(c, token, unit)
    assert r.status_code == 403
    assert "Formulir kedaluwarsa atau tidak berasal dari situs ini." in r.text
    assert city.head() == before


def test_a_token_from_another_client_is_refused(city: Api) -> None:
    first, second, unit = client(city), client(city), unit_code(city)
    token = csrf_token(first, "/survei")
    csrf_token(second, "/survei")
    before = city.head()
    assert survey(second, token, unit).status_code == 403
    assert city.head() == before


def test_the_honeypot_thanks_a_bot_and_records_nothing(city: Api) -> None:
    c, unit = client(city), unit_code(city)
    before = city.head()
    r = survey(c, csrf_token(c, "/survei"), unit, website="http://spam.example")
    assert (r.status_code, r.headers["location"]) == (303, "/survei/terima-kasih")
    assert city.head() == before


def test_the_public_rate_limit_applies_to_the_form(city: Api) -> None:
    app = create_app(ledger=city.ledger, public_rate=RateLimit(burst=1, per_minute=1))
    c, unit = TestClient(app), unit_code(city)
    before = city.head()
    assert survey(c, csrf_token(c, "/survei"), unit).status_code == 303
    r = survey(c, csrf_token(c, "/survei"), unit)
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) >= 1
    assert "Terlalu banyak kiriman dari alamat ini." in r.text
    assert city.head() == before + 1


def test_a_form_body_to_the_json_api_is_still_415(city: Api) -> None:
    r = client(city).post("/v1/public/surveys", data={"service_unit": "X"})
    assert r.status_code == 415


# ------------------------------------------------------------------------------ staff


def test_staff_pages_need_a_session(city: Api) -> None:
    r = client(city).get("/staf/sanksi", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/masuk?lanjut=/staf/sanksi")


def test_sign_in_sets_an_httponly_strict_session_cookie(city: Api) -> None:
    c = client(city)
    token = issue_token(load_secret(city.ledger.settings.data_dir), role="auditor", sub="auditor-1")
    r = c.post("/masuk", data={"csrf_token": csrf_token(c, "/masuk"), "token": token}, follow_redirects=False)
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("kl_session="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite", "path", "max-age"} <= attributes
    assert "samesite=strict" in cookie.lower()


@pytest.mark.parametrize("token", ["", "not-a-token"])
def test_a_bad_token_does_not_sign_in(city: Api, token: str) -> None:
    c = client(city)
    r = c.post("/masuk", data={"csrf_token": csrf_token(c, "/masuk"), "token": token}, follow_redirects=False)
    assert r.status_code == 401
    assert "kl_session" not in r.headers.get("set-cookie", "")


def test_sign_in_without_csrf_is_refused(city: Api) -> None:
    c = client(city)
    csrf_token(c, "/masuk")
    token = issue_token(load_secret(city.ledger.settings.data_dir), role="hr", sub="hr-1")
    r = c.post("/masuk", data={"token": token}, follow_redirects=False)
    assert r.status_code == 403
    assert "kl_session" not in r.headers.get("set-cookie", "")


def test_an_employee_token_opens_no_staff_page(city: Api) -> None:
    nip = sorted(personal_data(city.ledger)[0])[0]
    c = client(city)
    token = issue_token(load_secret(city.ledger.settings.data_dir), role="employee", sub=nip)
    r = c.post("/masuk", data={"csrf_token": csrf_token(c, "/masuk"), "token": token}, follow_redirects=False)
    assert r.status_code == 403


def test_roles_see_only_their_pages(city: Api) -> None:
    assert signed_in(city, "hr").get("/staf/audit").status_code == 403
    assert signed_in(city, "auditor").get("/staf/audit").status_code == 200
    inspector = signed_in(city, "inspector")
    nip = sorted(personal_data(city.ledger)[0])[0]
    r = inspector.post(f"/staf/pegawai/{nip}/penilaian", data={"csrf_token": csrf_token(inspector, "/staf")})
    assert r.status_code == 403


def test_an_employee_page_is_an_access_logged_read(city: Api) -> None:
    nip = sorted(personal_data(city.ledger)[0])[1]
    c = signed_in(city, "hr", "hr-portal-reader")
    r = c.get(f"/staf/pegawai/{nip}")
    assert r.status_code == 200
    assert f"NIP {nip}" in r.text
    entries = access_log.entries(city.ledger, nip, after=0, limit=100)
    assert [
        (e["reader_sub"], e["route"], e["status"]) for e in entries if e["reader_sub"] == "hr-portal-reader"
    ] == [("hr-portal-reader", "/staf/pegawai/{nip}", 200)]


def test_an_appraisal_form_needs_its_csrf_token_and_records_once(city: Api) -> None:
    subject, appraiser = active_nips(city.ledger)[-2:]
    c = signed_in(city, "hr")
    year = city.ledger.today().year
    form = {"period": f"{year}-01..{year}-01", "appraiser_nip": appraiser, "hasil_kerja": "SESUAI_EKSPEKTASI",
            "perilaku_kerja": "SESUAI_EKSPEKTASI"}  # fmt: skip
    before = city.head()
    assert c.post(f"/staf/pegawai/{subject}/penilaian", data=form).status_code == 403
    assert (
        c.post(f"/staf/pegawai/{subject}/penilaian", data={**form, "csrf_token": "f" * 64}).status_code == 403
    )
    assert city.head() == before
    token = csrf_token(c, f"/staf/pegawai/{subject}")
    r = c.post(
        f"/staf/pegawai/{subject}/penilaian", data={**form, "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303
    assert city.head() == before + 1
    again = c.post(f"/staf/pegawai/{subject}/penilaian", data={**form, "csrf_token": token})
    assert again.status_code == 422  # the same period twice: refused beside the period field
    assert re.findall(r'<p class="error" id="e-([a-z_]+)">', again.text) == ["period"]
    assert city.head() == before + 1


def test_a_csrf_token_from_before_sign_in_is_void_after_it(city: Api) -> None:
    c = client(city)
    before_sign_in = csrf_token(c, "/masuk")
    token = issue_token(load_secret(city.ledger.settings.data_dir), role="hr", sub="hr-1")
    c.post("/masuk", data={"csrf_token": before_sign_in, "token": token}, follow_redirects=False)
    r = c.post("/keluar", data={"csrf_token": before_sign_in}, follow_redirects=False)
    assert r.status_code == 403
    r = c.post("/keluar", data={"csrf_token": csrf_token(c, "/staf")}, follow_redirects=False)
    assert r.status_code == 303
    assert c.get("/staf", follow_redirects=False).status_code == 303  # signed out


def test_the_auditor_downloads_an_export_that_verifies_offline(city: Api, tmp_path: Path) -> None:
    r = signed_in(city, "auditor").get("/staf/audit/ekspor")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    assert sorted(archive.namelist()) == [
        "export/checkpoint", "export/events.ndjson", "export/log.vkey", "export/manifest.json"
    ]  # fmt: skip
    archive.extractall(tmp_path)
    key = client(city).get("/v1/audit/key").text.strip()
    report, status = verify_export(tmp_path / "export", key, [])
    assert status == 0, report
    assert report["key"]["pinned"] is True


def test_the_skp_progress_page_shows_the_read_model(city: Api) -> None:
    """A plan and a realisation recorded through the API; the page shows what
    GET /v1/employees/{nip}/skp answers, indicator by indicator."""
    subject, appraiser = active_nips(city.ledger)[:2]
    year = city.ledger.today().year
    plan = {
        "year": year,
        "appraiser_nip": appraiser,
        "items": [
            {
                "rhk": "Meningkatnya cakupan imunisasi dasar lengkap",
                "indicators": [
                    {"aspect": "KUANTITAS", "name": "Balita diimunisasi", "target": 100, "unit": "anak"}
                ],
            }
        ],
    }
    r = city.post(f"/v1/employees/{subject}/skp", plan)
    assert r.status_code == 201, r.text
    skp_id = r.json()["skp_id"]
    body = {"item": 1, "indicator": 1, "period": f"{year}-Q1", "value": 25}
    assert city.post(f"/v1/employees/{subject}/skp/{skp_id}/realisations", body).status_code == 201
    city.catch_up()
    expected = city.get(f"/v1/employees/{subject}/skp", year=year).json()
    (only,) = expected["plans"]
    (indicator,) = only["items"][0]["indicators"]
    html = signed_in(city, "inspector").get(f"/staf/pegawai/{subject}/skp").text
    assert re.findall(r'<td class="realised">([^<]*)</td>', html) == [indicator["realised"]] == ["25"]
    assert re.findall(r'<td class="achieved">([^<]*)</td>', html) == ["25.0 %"]
    assert re.findall(r'<span class="share">([^<]*)</span>', html) == ["25.0 %"]
    assert "Meningkatnya cakupan imunisasi dasar lengkap" in html
    # The demo records plans from 2022 (docs/SKP.md): the year before has none.
    empty = signed_in(city, "hr").get(f"/staf/pegawai/{subject}/skp?tahun={SKP_FIRST_YEAR - 1}").text
    assert 'id="no-plan"' in empty


def test_the_search_page_lists_what_the_json_search_answers(city: Api) -> None:
    nip = active_nips(city.ledger)[0]
    word = city.ledger.employee(nip).name.split()[0]
    expected = city.get("/v1/employees", q=word, limit=50).json()
    assert nip in [e["nip"] for e in expected["items"]]
    html = signed_in(city, "hr", "hr-searcher").get("/staf/pegawai", params={"q": word}).text
    listed = re.findall(r'<td><a href="/staf/pegawai/(\d{18})">', html)
    assert listed == [e["nip"] for e in expected["items"]]
    # Each listed employee's record was read: the access log has the search page for them.
    entries = access_log.entries(city.ledger, nip, after=0, limit=1000)
    assert [(e["route"], e["status"]) for e in entries if e["reader_sub"] == "hr-searcher"] == [
        ("/staf/pegawai", 200)
    ]
    by_prefix = (
        signed_in(city, "auditor").get("/staf/pegawai", params={"q": nip[:8], "status": "ACTIVE"}).text
    )
    assert nip in re.findall(r'<td><a href="/staf/pegawai/(\d{18})">', by_prefix)


def test_a_bad_search_is_refused_beside_the_field(city: Api) -> None:
    r = signed_in(city, "hr").get("/staf/pegawai", params={"q": "1" * 19})
    assert r.status_code == 422
    assert re.findall(r'<p class="error" id="e-q" role="alert">([^<]*)</p>', r.text) == [
        "a NIP prefix has at most 18 digits"
    ]


# ------------------------------------------------------------------------------ complaints


def test_a_complaint_is_filed_and_looked_up_without_its_contact(city: Api) -> None:
    c, unit = client(city), unit_code(city)
    contact = "0812-7777-4242"
    before = city.head()
    r = c.post(
        "/pengaduan",
        data={"csrf_token": csrf_token(c, "/pengaduan"), "service_unit": unit, "category": "WAKTU",
              "text": "Antrian terlalu lama", "contact": contact},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    assert city.head() == before + 1
    code = re.search(r'<strong id="tracking-code">([^<]+)</strong>', r.text)
    assert code
    city.catch_up()
    found = c.get("/pengaduan/status", params={"kode": code.group(1)})
    assert found.status_code == 200
    assert re.search(r'<dd id="complaint-status">([^<]*)</dd>', found.text).group(1) == "Diterima"  # type: ignore[union-attr]
    for path in [*public_pages(city), "/pengaduan", f"/pengaduan/status?kode={code.group(1)}"]:
        html = c.get(path).text
        assert contact not in html and "Antrian terlalu lama" not in html, path


def test_a_complaint_without_text_is_refused_beside_the_field(city: Api) -> None:
    c, unit = client(city), unit_code(city)
    before = city.head()
    r = c.post(
        "/pengaduan",
        data={"csrf_token": csrf_token(c, "/pengaduan"), "service_unit": unit, "category": "BIAYA"},
    )
    assert r.status_code == 422
    assert re.findall(r'<p class="error" id="e-([a-z_]+)">', r.text) == ["text"]
    assert city.head() == before


def test_a_mistyped_tracking_code_is_refused(city: Api) -> None:
    r = client(city).get("/pengaduan/status", params={"kode": "AAAA-AAAA-AAAA0"})
    assert r.status_code in {404, 422}
    assert 'id="e-kode"' in r.text


def test_complaint_form_needs_csrf(city: Api) -> None:
    c, unit = client(city), unit_code(city)
    csrf_token(c, "/pengaduan")
    before = city.head()
    r = c.post("/pengaduan", data={"service_unit": unit, "category": "BIAYA", "text": "x"})
    assert r.status_code == 403
    assert city.head() == before

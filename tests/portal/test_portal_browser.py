"""The portal in a real browser (Debian's Chromium through Playwright): a citizen's survey, HR
recording an appraisal, an inspector's filter, the offline API docs, a phone-width page. Every
request the browser makes must go to the test server itself."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from api.auth import issue_token, load_secret
from ledger.application import KinerjaLedger
from ledger.history import employee_view
from projections import queries
from projections.discipline.verdicts import verdict_register
from tests.api_support import make_api
from tests.conftest import STORES
from tests.portal.support import (
    ARTIFACTS,
    SCREENSHOT,
    LiveServer,
    active_nips,
    chromium,
    demo_ledger,
    live_server,
)

pytestmark = pytest.mark.store


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[LiveServer, KinerjaLedger]]:
    ledger = demo_ledger(STORES[0], tmp_path_factory.mktemp("portal-browser"), request)
    try:
        make_api(ledger).catch_up()
        with live_server(ledger) as server:
            yield server, ledger
    finally:
        ledger.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(
    browser: Any, site: tuple[LiveServer, KinerjaLedger], request: pytest.FixtureRequest
) -> Iterator[Any]:
    server, _ = site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        yield tab
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}-last.png"))
        context.close()
    foreign = [u for u in seen if not u.startswith(server.origin + "/")]
    assert seen and foreign == [], foreign


def shot(tab: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(tab: Any, server: LiveServer, ledger: KinerjaLedger, role: str) -> None:
    token = issue_token(load_secret(ledger.settings.data_dir), role=role, sub=f"{role}-portal")
    tab.goto(server.origin + "/masuk")
    tab.get_by_label("Token").fill(token)
    tab.get_by_role("button", name="Masuk").click()
    tab.wait_for_url(server.origin + "/staf")


def test_citizen_fills_the_survey_and_the_unit_figure_follows(
    page: Any, site: tuple[LiveServer, KinerjaLedger]
) -> None:
    """The ledger's day is in a year no survey has rated yet: four surveys through the API keep the
    unit's figure suppressed (k = 5); the citizen's survey is the fifth and the figure appears."""
    server, ledger = site
    year = ledger.today().year
    unit = queries.public_service_units(ledger)["service_units"][0]["code"]
    answers = {f"U{i}": 3 for i in range(1, 10)}
    for _ in range(4):
        r = httpx.post(server.origin + "/v1/public/surveys", json={"service_unit": unit, "answers": answers})
        assert r.status_code == 201, r.text
    cell = f"tr[data-unit='{unit}'] td.respondents"

    def figure() -> str:
        page.goto(server.origin + f"/?tahun={year}")
        return str(page.locator(cell).inner_text()) if page.locator(cell).count() else ""

    assert wait_for(figure, lambda text: text.startswith("data tidak ditampilkan")).startswith(
        "data tidak ditampilkan (kurang dari 5 orang atau jawaban (k = 5)"
    )
    page.goto(server.origin + f"/survei?unit={unit}")
    assert page.locator("#service_unit").input_value() == unit
    for i in (1, 2, 4, 5, 6, 7, 8, 9):
        page.locator(f"input[name='U{i}'][value='4']").check()
    page.get_by_role("button", name="Kirim penilaian").click()
    error = page.locator("#f-U3 .error")
    assert error.inner_text() == "Pilih satu jawaban untuk pertanyaan ini."
    assert page.locator("#f-U3").get_attribute("aria-describedby") == "e-U3"
    assert page.locator(".question .error").count() == 1  # only the missing element
    shot(page, "survey-missing-element")
    assert page.locator("input[name='U1'][value='4']").is_checked()  # the other answers are kept
    page.locator("input[name='U3'][value='3']").check()
    page.get_by_role("button", name="Kirim penilaian").click()
    assert page.locator("h1").inner_text() == "Terima kasih"
    shot(page, "survey-thanks")
    assert wait_for(figure, lambda text: text == "5") == "5"


def test_citizen_files_a_complaint_and_looks_it_up(page: Any, site: tuple[LiveServer, KinerjaLedger]) -> None:
    server, ledger = site
    unit = queries.public_service_units(ledger)["service_units"][1]
    page.goto(server.origin + "/pengaduan")
    page.get_by_label("Unit layanan yang Anda adukan").select_option(unit["code"])
    page.get_by_label("Kategori").select_option("WAKTU")
    page.get_by_label("Isi pengaduan").fill("Antrian di loket terlalu lama")
    page.get_by_label("Kontak (opsional)").fill("0812-0000-1111")
    page.get_by_role("button", name="Kirim pengaduan").click()
    code = page.locator("#tracking-code").inner_text()
    shot(page, "complaint-received")
    page.get_by_role("link", name="Lihat status pengaduan").click()

    def status() -> str:
        page.reload()
        found = page.locator("#complaint-status")
        return str(found.inner_text()) if found.count() else ""

    assert wait_for(status, lambda text: text == "Diterima") == "Diterima"
    assert unit["name"] in page.locator("#complaint").inner_text()
    assert "0812-0000-1111" not in page.content()
    page.get_by_label("Kode pelacakan").fill(code.lower())
    page.get_by_role("button", name="Lihat", exact=True).click()
    assert page.locator("#complaint-status").inner_text() == "Diterima"
    shot(page, "complaint-status")


def wait_for(read: Callable[[], str], done: Callable[[str], bool], seconds: float = 30) -> str:
    """Poll `read` until `done` (the projection runner catches up in the background)."""
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.3)


def _appraisable(ledger: KinerjaLedger) -> tuple[str, str]:
    """An employee in service with no appraisal in the ledger day's year, and another as appraiser."""
    nips = active_nips(ledger)
    for nip in nips:
        view = employee_view(ledger.employee(nip), ledger.today())
        if not any(a["period"].startswith(str(ledger.today().year)) for a in view["appraisals"]):
            return nip, next(n for n in nips if n != nip)
    raise AssertionError("no appraisable employee in the demo")


def test_hr_signs_in_finds_an_employee_and_records_an_appraisal(
    page: Any, site: tuple[LiveServer, KinerjaLedger]
) -> None:
    server, ledger = site
    nip, appraiser = _appraisable(ledger)
    sign_in(page, server, ledger, "hr")
    cookie = next(c for c in page.context.cookies() if c["name"] == "kl_session")
    assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Strict")
    # Find by a part of the name, as HR would: the result list links to the record.
    name = ledger.employee(nip).name
    part = name.split()[-1] if len(name.split()) > 1 else name
    page.get_by_label("Cari NIP atau nama").fill(part.lower())
    page.get_by_role("button", name="Cari", exact=True).click()
    page.wait_for_url(server.origin + "/staf/pegawai?q=*")
    shot(page, "hr-search")
    page.locator(f"#results a[href='/staf/pegawai/{nip}']").click()
    page.wait_for_url(server.origin + f"/staf/pegawai/{nip}")
    assert nip in page.locator("h1").inner_text()
    page.get_by_label("Periode (YYYY atau YYYY-MM..YYYY-MM)").fill(
        f"{ledger.today().year}-01..{ledger.today().year}-01"
    )
    page.get_by_label("NIP penilai").fill(appraiser)
    page.get_by_label("Hasil kerja").select_option("DI_ATAS_EKSPEKTASI")
    page.get_by_label("Perilaku kerja").select_option("SESUAI_EKSPEKTASI")
    page.get_by_role("button", name="Simpan penilaian").click()
    flash = page.locator(".flash")
    assert flash.inner_text().startswith("Penilaian tersimpan")
    shot(page, "hr-appraisal-recorded")
    appraisals = employee_view(ledger.employee(nip), ledger.today())["appraisals"]
    recorded = [a for a in appraisals if a["period"] == f"{ledger.today().year}-01..{ledger.today().year}-01"]
    assert [(a["hasil_kerja"], a["perilaku_kerja"], a["appraiser_nip"]) for a in recorded] == [
        ("DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI", appraiser)
    ]
    assert flash.locator("code").inner_text() == recorded[0]["appraisal_id"]


def test_inspector_filters_inconsistent_sanctions(page: Any, site: tuple[LiveServer, KinerjaLedger]) -> None:
    server, ledger = site
    expected = verdict_register(ledger, verdict="INCONSISTENT", agency=None, on=ledger.today())
    assert expected
    sign_in(page, server, ledger, "inspector")
    page.goto(server.origin + "/staf/sanksi")
    page.get_by_label("Putusan pemeriksaan").select_option("INCONSISTENT")
    page.get_by_role("button", name="Saring").click()
    page.wait_for_url(server.origin + "/staf/sanksi?verdict=INCONSISTENT")
    cards = page.locator("article.sanction")
    assert cards.count() == len(expected)
    assert {cards.nth(i).get_attribute("data-verdict") for i in range(cards.count())} == {"INCONSISTENT"}
    failed = page.locator("article.sanction li strong.verdict-INCONSISTENT")
    assert failed.count() == sum(len(s["failed_checks"]) for s in expected)
    shot(page, "inspector-inconsistent")


def test_the_portal_home_page_and_its_screenshot(page: Any, site: tuple[LiveServer, KinerjaLedger]) -> None:
    server, _ = site
    page.goto(server.origin + "/?tahun=2025")
    assert page.locator("h1").inner_text() == "Kinerja dan pelayanan ASN Kota Binjai"
    assert page.locator("figure.chart svg").count() == 2
    assert page.get_by_text("data tidak ditampilkan").count() > 0
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    shot(page, "portal-home")
    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text() == "Performance and service of Kota Binjai's civil servants"
    page.get_by_role("link", name="Bahasa Indonesia").click()
    assert page.locator("html").get_attribute("lang") == "id"


def test_a_phone_width_screen_needs_no_sideways_scrolling(
    browser: Any, site: tuple[LiveServer, KinerjaLedger]
) -> None:
    server, _ = site
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    try:
        for path in ("/", "/survei", "/jejak-audit"):
            tab.goto(server.origin + path)
            assert tab.evaluate("document.documentElement.scrollWidth") <= 360, path
        shot(tab, "phone-survey")
    finally:
        context.close()


def test_keyboard_reaches_the_skip_link_and_the_survey(
    page: Any, site: tuple[LiveServer, KinerjaLedger]
) -> None:
    server, _ = site
    page.goto(server.origin + "/survei")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Langsung ke isi"
    page.keyboard.press("Enter")
    assert page.url.endswith("#isi")


def test_api_docs_work_offline(page: Any, site: tuple[LiveServer, KinerjaLedger]) -> None:
    server, _ = site
    page.goto(server.origin + "/docs")
    title = page.locator(".swagger-ui .info .title")
    # Swagger UI parses a 1.5 MB bundle and the whole OpenAPI document: on a loaded CI machine
    # that takes longer than the other pages' default wait.
    title.wait_for(timeout=90_000)
    assert title.inner_text().startswith("Kinerja Ledger")
    shot(page, "api-docs")


def test_the_checkpoint_page_explains_and_shows_the_latest(
    page: Any, site: tuple[LiveServer, KinerjaLedger]
) -> None:
    server, _ = site
    page.goto(server.origin + "/jejak-audit")
    assert page.get_by_role("heading", name="Apa yang dibuktikannya?").count() == 1
    size = int(page.locator("#cp-size").inner_text())
    note = page.locator("pre.note-text").inner_text()
    assert f"\n{size}\n" in note
    shot(page, "checkpoint")


def _complain(server: LiveServer, ledger: KinerjaLedger, category: str, text: str, contact: str) -> Any:
    """A citizen's complaint about the first service unit, filed through the public API."""
    unit = queries.public_service_units(ledger)["service_units"][0]
    body = {"service_unit": unit["code"], "category": category, "text": text, "contact": contact}
    answer = httpx.post(server.origin + "/v1/public/complaints", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def _find_on_follow_up_pages(tab: Any, server: LiveServer, query: str, item_id: str) -> Any:
    """The item's card, walking the follow-up list's pages (oldest first) as HR would."""
    tab.goto(server.origin + f"/staf/masukan?{query}")
    while True:
        card = tab.locator(f"article.input-item[data-id='{item_id}']")
        if card.count():
            return card
        following = tab.get_by_role("link", name="Halaman berikutnya")
        if not following.count():
            raise AssertionError(f"{item_id} is not in the follow-up list ({query})")
        following.click()


def test_hr_answers_a_complaint_from_the_follow_up_list(
    page: Any, site: tuple[LiveServer, KinerjaLedger]
) -> None:
    server, ledger = site
    filed = _complain(server, ledger, "SARANA", "Kursi ruang tunggu rusak", "0812-3333-4444")
    complaint_id, code = filed["complaint_id"], filed["tracking_code"]
    sign_in(page, server, ledger, "hr")
    page.get_by_role("link", name="Tindak lanjut masukan dan pengaduan warga").click()
    page.wait_for_url(server.origin + "/staf/masukan?jenis=complaint&status=RECEIVED")

    shown = wait_for(lambda: "1" if _reload_all(page, server, complaint_id) else "0", lambda n: n == "1")
    assert shown == "1"
    card = _find_on_follow_up_pages(page, server, "jenis=complaint&status=RECEIVED", complaint_id)
    assert card.locator("dd.contact").inner_text() == "0812-3333-4444"  # HR sees the contact
    # A move the lifecycle does not allow is refused beside the complaint, nothing written.
    card.get_by_label("Status baru").select_option("CLOSED")
    card.get_by_label("Tanggapan untuk warga").fill("Ditutup.")
    card.get_by_role("button", name="Kirim tanggapan").click()
    card = page.locator(f"article.input-item[data-id='{complaint_id}']")
    assert "cannot become CLOSED" in card.get_by_role("alert").inner_text()
    shot(page, "hr-follow-up-refused")
    card.get_by_label("Status baru").select_option("IN_PROGRESS")
    card.get_by_label("Tanggapan untuk warga").fill("Kursi sedang kami ganti.")
    card.get_by_role("button", name="Kirim tanggapan").click()
    assert page.locator(".flash code").inner_text() == complaint_id
    shot(page, "hr-follow-up-recorded")

    def citizen_sees() -> str:
        return str(httpx.get(server.origin + f"/v1/public/complaints/{code}").json()["status"])

    assert wait_for(citizen_sees, lambda s: s == "IN_PROGRESS") == "IN_PROGRESS"
    answer = httpx.get(server.origin + f"/v1/public/complaints/{code}").json()
    assert [(r["status"], r["response"]) for r in answer["responses"]] == [
        ("IN_PROGRESS", "Kursi sedang kami ganti.")
    ]


def _reload_all(tab: Any, server: LiveServer, item_id: str) -> bool:
    """True once the follow-up read model lists the item on some page (it catches up in the
    background)."""
    try:
        _find_on_follow_up_pages(tab, server, "jenis=complaint&status=RECEIVED", item_id)
    except AssertionError:
        return False
    return True


def test_an_auditor_reads_the_follow_up_list_without_contacts(
    page: Any, site: tuple[LiveServer, KinerjaLedger]
) -> None:
    server, ledger = site
    filed = _complain(server, ledger, "BIAYA", "Diminta biaya tambahan", "0812-5555-6666")
    sign_in(page, server, ledger, "auditor")
    assert (
        wait_for(lambda: "1" if _reload_all(page, server, filed["complaint_id"]) else "0", lambda n: n == "1")
        == "1"
    )
    card = page.locator(f"article.input-item[data-id='{filed['complaint_id']}']")
    assert card.locator("dd").filter(has_text="ada (hanya untuk BKPSDM)").count() == 1
    assert "0812-5555-6666" not in page.content()
    assert card.locator("form").count() == 0  # only HR answers

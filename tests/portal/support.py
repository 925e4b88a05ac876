"""The portal's test setup: the demo city in a store, the app served by uvicorn on a loopback port,
and Debian's Chromium driven by Playwright (never a browser Playwright downloads)."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from api.cli import demo
from api.main import create_app
from api.ratelimit import RateLimit
from ledger.application import KinerjaLedger
from ledger.domain.complaint import Complaint
from ledger.domain.employee import Employee
from ledger.history import employee_view
from tests.conftest import make_settings
from tests.contract_support import load_demo
from tests.paths import ROOT

_REGISTERED = f"{Employee.EmployeeRegistered.__module__}:{Employee.EmployeeRegistered.__qualname__}"
CHROMIUM = Path(os.environ.get("LEDGER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REQUIRE_BROWSER = os.environ.get("LEDGER_REQUIRE_BROWSER") == "1"
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOT = ROOT / "docs" / "img" / "portal.png"
# The generous limit of the browser scenarios (the limit itself is tested apart).
LOOSE = RateLimit(burst=1000, per_minute=1000)


def demo_ledger(store: str, tmp_path: Path, request: pytest.FixtureRequest) -> KinerjaLedger:
    """The contract tests' demo city; the clock stays at its last moment (late 2025), so what a
    test records falls in the demo's last year."""
    clock = demo.SimulatedClock()
    ledger = KinerjaLedger(make_settings(store, tmp_path, request), clock=clock)
    load_demo(ledger, clock)
    return ledger


def personal_data(ledger: KinerjaLedger) -> tuple[set[str], set[str]]:
    """Every NIP and every employee's name in the store, read from the events themselves."""
    nips, names = set(), set()
    start = 0
    while batch := ledger.recorder.select_notifications(
        start, 1000, topics=[_REGISTERED], inclusive_of_start=False
    ):
        for notification in batch:
            event = ledger.mapper.to_domain_event(notification)
            assert isinstance(event, Employee.EmployeeRegistered)
            nips.add(event.nip)
            names.add(event.name)
        start = batch[-1].id
    return nips, names


def complaint_contacts(ledger: KinerjaLedger) -> set[str]:
    """Every contact a citizen left with a complaint (personal data: HR only)."""
    topic = f"{Complaint.ComplaintReceived.__module__}:{Complaint.ComplaintReceived.__qualname__}"
    out: set[str] = set()
    start = 0
    while batch := ledger.recorder.select_notifications(
        start, 1000, topics=[topic], inclusive_of_start=False
    ):
        for notification in batch:
            event = ledger.mapper.to_domain_event(notification)
            assert isinstance(event, Complaint.ComplaintReceived)
            if event.contact:
                out.add(event.contact)
        start = batch[-1].id
    return out


def active_nips(ledger: KinerjaLedger) -> list[str]:
    """The employees in service on the ledger's day, by NIP."""
    day = ledger.today()
    return [
        n
        for n in sorted(personal_data(ledger)[0])
        if employee_view(ledger.employee(n), day)["status"] == "ACTIVE"
    ]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src", "action", "srcset", "poster", "data", "formaction"} and value:
                self.urls.append(value)


def referenced_urls(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def foreign_references(html: str) -> list[str]:
    """URLs in the page that could reach another host: anything but a same-origin path or fragment
    (`//host` and `scheme:` both can). The SVG namespace is a name, not a request."""
    out = [
        u
        for u in referenced_urls(html)
        if not (u.startswith("/") and not u.startswith("//")) and not u.startswith("#")
    ]
    loose = re.findall(r"""(?:https?:)?//[A-Za-z0-9.\-]+""", html.replace("http://www.w3.org/2000/svg", ""))
    return out + loose


@dataclass
class LiveServer:
    app: FastAPI
    server: uvicorn.Server
    thread: threading.Thread
    origin: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(ledger: KinerjaLedger, rate: RateLimit = LOOSE) -> Iterator[LiveServer]:
    """The app with its in-process projection runner, served on a loopback port."""
    app = create_app(ledger=ledger, run_projections=True, public_rate=rate)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(app, server, thread, f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def browser_missing_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -c constraints.txt -e '.[dev]')"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium, or a skip (a failure with LEDGER_REQUIRE_BROWSER=1)."""
    missing = browser_missing_reason()
    if missing is not None:
        if REQUIRE_BROWSER:
            pytest.fail(f"LEDGER_REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()

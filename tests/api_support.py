"""Helpers for the HTTP API tests: an app on the test's ledger, tokens per role, seed data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.auth import issue_token, load_secret
from api.main import create_app
from ledger.application import KinerjaLedger
from projections.registry import default_projections
from projections.runner import ProjectionRunner
from tests.conftest import FakeClock, make_settings
from tests.factories import HR, NIP_ANDI, NIP_BUDI, NIP_SARI

# Budi (DINKES) is the subject of most tests; Sari (DINKES) appraises him; Andi works at DISDIK.
SUBJECT = NIP_BUDI
APPRAISER_NIP = NIP_SARI
OTHER_NIP = NIP_ANDI


@dataclass
class Api:
    client: TestClient
    app: FastAPI
    ledger: KinerjaLedger
    runner: ProjectionRunner
    _ready: bool = False

    def catch_up(self) -> None:
        """Bring every read model up to the end of the log (the service does this in the background)."""
        if not self._ready:
            self.runner.setup()
            self._ready = True
        self.runner.run_once()

    def token(self, role: str, sub: str | None = None, agency: str | None = None) -> str:
        sub = sub or {"employee": SUBJECT, "appraiser": APPRAISER_NIP}.get(role, f"{role}-1")
        if role == "appraiser" and agency is None:
            agency = "DINKES"
        return issue_token(load_secret(self.ledger.settings.data_dir), role=role, sub=sub, agency=agency)

    def auth(
        self, role: str, sub: str | None = None, agency: str | None = None, **extra: str
    ) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, sub, agency)}", **extra}

    @property
    def hr(self) -> dict[str, str]:
        return self.auth("hr")

    def head(self) -> int:
        return int(self.ledger.recorder.max_notification_id() or 0)

    def post(self, path: str, body: Any, role: str = "hr", **headers: str) -> Any:
        return self.client.post(path, json=body, headers={**self.auth(role), **headers})

    def get(self, path: str, role: str = "hr", **params: Any) -> Any:
        return self.client.get(path, params=params, headers=self.auth(role))


def make_api(ledger: KinerjaLedger) -> Api:
    app = create_app(ledger=ledger)
    runner = ProjectionRunner(ledger, default_projections())
    return Api(TestClient(app, raise_server_exceptions=True), app, ledger, runner)


@contextmanager
def shared_api(
    store: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[Api, dict[str, Any]]]:
    """A seeded store and app shared by a module's tests (for tests that write nothing, or that
    only write with fresh ids): one store reset instead of one per test."""
    ledger = KinerjaLedger(make_settings(store, tmp_path, request), clock=FakeClock())
    try:
        seeded = seed_world(ledger)
        yield make_api(ledger), seeded
    finally:
        ledger.close()


def seed_world(ledger: KinerjaLedger) -> dict[str, Any]:
    """Two agencies, a unit with an officer, three employees, an appraisal: enough for every route."""
    ledger.register_agency(HR, code="DINKES", name="Dinas Kesehatan")
    ledger.register_agency(HR, code="DISDIK", name="Dinas Pendidikan")
    ledger.register_service_unit(HR, code="PUSKESMAS-BINJAI", name="Puskesmas Binjai Kota", agency="DINKES")
    common = {"position": "Perawat Ahli Pertama", "grade": "III/b", "employment_type": "PNS"}
    ledger.register_employee(HR, nip=SUBJECT, name="Budi Santoso", agency="DINKES", **common)
    ledger.register_employee(HR, nip=APPRAISER_NIP, name="Sari Dewi", agency="DINKES", **common)
    ledger.register_employee(HR, nip=OTHER_NIP, name="Andi Pratama", agency="DISDIK", **common)
    ledger.assign_to_service_unit(HR, SUBJECT, service_unit="PUSKESMAS-BINJAI", officer_code="PKM-07")
    appraisal = ledger.record_appraisal(
        HR,
        SUBJECT,
        period="2025",
        hasil_kerja="SESUAI_EKSPEKTASI",
        perilaku_kerja="SESUAI_EKSPEKTASI",
        appraiser_nip=APPRAISER_NIP,
    )
    return {"appraisal_id": appraisal.extra["appraisal_id"]}


CONFLICT_DETAIL = "another command changed this record first; reload and retry"


def assert_lost_race(response: Any, if_match: int | None) -> None:
    """A command that lost a race on one record. Without If-Match only the write can refuse it
    (409). With If-Match, it depends on whether it read the record before the winner committed
    (its write is refused: 409) or after (its If-Match is: 412); the race decides, so either
    exact answer is right, and nothing else is."""
    body = response.json()
    answer = (response.status_code, body["type"].rsplit("/", 1)[1], body["detail"])
    refused_write = (409, "conflict", CONFLICT_DETAIL)
    if if_match is None:
        assert answer == refused_write, answer
        return
    stale = (412, "precondition-failed", f"If-Match expected version {if_match}, current is {if_match + 1}")
    assert answer in {refused_write, stale}, answer


VALID_SURVEY = {
    "service_unit": "PUSKESMAS-BINJAI",
    "answers": {f"U{i}": 3 for i in range(1, 10)},
}

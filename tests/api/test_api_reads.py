"""Employee reads (now, as_of, effective_on), the event stream with positions and hashes, the
access log and its append-only table, /healthz and /metrics."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime

import psycopg
import pytest
from eventsourcing.persistence import ProgrammingError

from api import access_log
from ledger.application import KinerjaLedger
from ledger.domain.employee import Employee
from tests.api_support import APPRAISER_NIP, OTHER_NIP, SUBJECT, VALID_SURVEY, Api, make_api, seed_world
from tests.conftest import FakeClock

RECORD = f"/v1/employees/{SUBJECT}"


@pytest.fixture
def api(app: KinerjaLedger) -> Api:
    return make_api(app)


def test_as_of_and_effective_on_views(api: Api, clock: FakeClock) -> None:
    ids = seed_world(api.ledger)
    clock.advance(days=1)
    before_correction = clock.now
    clock.advance(hours=2)
    r = api.post(
        f"{RECORD}/appraisals/{ids['appraisal_id']}/corrections",
        {
            "hasil_kerja": "DI_ATAS_EKSPEKTASI",
            "perilaku_kerja": "DI_ATAS_EKSPEKTASI",
            "reason": "salah input",
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["predikat"] == "SANGAT_BAIK"
    clock.advance(days=1)
    r = api.post(
        f"{RECORD}/transfers",
        {"agency": "DISDIK", "position": "Guru", "effective_date": "2026-04-01"},
    )
    assert r.status_code == 201, r.text

    now = api.get(RECORD).json()
    assert now["appraisals"][0]["predikat"] == "SANGAT_BAIK"
    assert now["agency"] == "DISDIK"
    assert now["as_of"] is None

    then = api.get(RECORD, as_of=before_correction.astimezone().isoformat())
    assert then.status_code == 200
    assert then.json()["appraisals"][0]["predikat"] == "BAIK"
    assert then.json()["agency"] == "DINKES"
    assert int(then.headers["etag"].strip('"')) < now["version"]
    # The same instant written in WIB means the same thing.
    wib = before_correction.astimezone(UTC).replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")
    assert api.get(RECORD, as_of=wib).json() == then.json() | {"as_of": wib}

    # Effective dates: the transfer is recorded now but takes effect on 1 April.
    march = api.get(RECORD, effective_on="2026-03-31").json()
    april = api.get(RECORD, effective_on="2026-04-01").json()
    assert (march["agency"], april["agency"]) == ("DINKES", "DISDIK")

    # Before the registration was recorded, the ledger knew nothing of Budi.
    assert api.get(RECORD, as_of="2020-01-01T00:00:00+07:00").status_code == 404
    both = api.get(RECORD, as_of="2026-03-02T09:00:00+07:00", effective_on="2026-03-02")
    assert both.status_code == 422


def test_events_carry_positions_and_state_hashes(api: Api) -> None:
    seed_world(api.ledger)
    body = api.get(f"{RECORD}/events").json()
    stored = api.ledger.stream(Employee.create_id(SUBJECT))
    assert [e["version"] for e in body["events"]] == [s.originator_version for s in stored]
    assert [e["position"] for e in body["events"]] == [s.position for s in stored]
    assert [e["state_sha256"] for e in body["events"]] == [
        hashlib.sha256(s.state).hexdigest() for s in stored
    ]
    positions = [e["position"] for e in body["events"]]
    assert positions == sorted(positions)
    first = body["events"][0]
    assert first["type"] == "EmployeeRegistered"
    assert first["event_id"] == f"{Employee.create_id(SUBJECT)}:1"
    assert first["recorded_by"] == {"sub": "hr-test", "role": "hr"}
    assert body["version"] == len(stored)


def test_access_log_records_every_attempt_and_is_listed(api: Api) -> None:
    seed_world(api.ledger)
    api.get(RECORD, role="hr")
    api.get(f"{RECORD}/events", role="auditor")
    api.get(RECORD, role="appraiser")  # denied: still recorded
    api.client.get(RECORD)  # unauthenticated: nobody to record
    api.client.get(RECORD, headers=api.auth("employee", sub=OTHER_NIP))  # another employee: 403, recorded
    mine = api.get(f"{RECORD}/access-log", role="employee")
    assert mine.status_code == 200
    entries = mine.json()["entries"]
    assert [(e["reader_role"], e["route"], e["status"]) for e in entries] == [
        ("hr", "/v1/employees/{nip}", 200),
        ("auditor", "/v1/employees/{nip}/events", 200),
        ("appraiser", "/v1/employees/{nip}", 403),
        ("employee", "/v1/employees/{nip}", 403),
    ]
    assert entries[-1]["reader_sub"] == OTHER_NIP
    # The listing itself is a read and shows up next time; nothing else was logged for Budi.
    again = api.get(f"{RECORD}/access-log", role="inspector").json()["entries"]
    assert again[-1]["route"] == "/v1/employees/{nip}/access-log"
    assert again[-1]["reader_role"] == "employee"
    # Nobody else's record was touched by these reads.
    assert api.get(f"/v1/employees/{APPRAISER_NIP}/access-log", role="auditor").json()["entries"] == []


def test_access_log_pages(api: Api) -> None:
    seed_world(api.ledger)
    for _ in range(5):
        api.get(RECORD)
    page = api.get(f"{RECORD}/access-log", role="auditor", limit=2).json()
    assert len(page["entries"]) == 2
    seen = page["entries"]
    while page["next"] is not None:
        page = api.get(f"{RECORD}/access-log", role="auditor", limit=2, after=page["next"]).json()
        seen += page["entries"]
    ids = [e["id"] for e in seen]
    assert ids == sorted(set(ids))
    # The five reads, then the listings made while paging (each listing is a read too).
    assert [e["route"] for e in seen[:5]] == ["/v1/employees/{nip}"] * 5
    assert {e["route"] for e in seen[5:]} == {"/v1/employees/{nip}/access-log"}


def test_access_log_is_append_only(api: Api, store: str) -> None:
    seed_world(api.ledger)
    api.get(RECORD)
    # SQLite's RAISE(ABORT) is an IntegrityError; PostgreSQL's RAISE EXCEPTION (P0001) arrives
    # re-raised by eventsourcing as its ProgrammingError.
    refused = sqlite3.IntegrityError if store == "sqlite" else ProgrammingError
    for op, statement in (
        ("UPDATE", f"UPDATE {access_log.TABLE} SET status = 500"),
        ("DELETE", f"DELETE FROM {access_log.TABLE}"),
    ):
        with (
            pytest.raises(refused, match=f"^access_log is append-only: {op} refused") as caught,
            api.ledger.sql.transaction() as tx,
        ):
            tx.execute(statement)
        if store == "postgres":
            assert isinstance(caught.value.__cause__, psycopg.errors.RaiseException)
    entries = api.get(f"{RECORD}/access-log", role="auditor").json()["entries"]
    assert [(e["route"], e["status"]) for e in entries] == [("/v1/employees/{nip}", 200)]


def test_reads_do_not_write_events(api: Api) -> None:
    seed_world(api.ledger)
    head = api.head()
    for role in ("hr", "auditor", "inspector", "employee"):
        api.get(RECORD, role=role)
        api.get(f"{RECORD}/events", role=role)
    assert api.head() == head


def test_healthz_and_metrics(api: Api) -> None:
    seed_world(api.ledger)
    health = api.client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {
        "status": "ok",
        "store": api.ledger.sql.dialect,
        "position": api.head(),
        "failed_projections": [],
    }
    api.get(RECORD)
    api.client.post("/v1/public/surveys", json={**VALID_SURVEY, "officer_code": "PKM-07"})
    api.client.post("/v1/public/surveys", json={**VALID_SURVEY, "service_unit": "NOPE"})
    text = api.client.get("/metrics").text
    assert 'ledger_http_requests_total{method="GET",route="/v1/employees/{nip}",status="200"} 1.0' in text
    assert 'ledger_http_requests_total{method="POST",route="/v1/public/surveys",status="422"} 1.0' in text
    assert (
        'ledger_http_request_duration_seconds_count{method="GET",route="/v1/employees/{nip}",status="200"} 1.0'
        in text
    )
    # A survey naming an officer is two events (on the unit and on the officer).
    assert "ledger_events_appended_total 2.0" in text
    assert f"ledger_event_log_head_position {float(api.head())}" in text
    assert SUBJECT not in text


def test_the_ledger_clock_stamps_the_access_log(api: Api, clock: FakeClock) -> None:
    seed_world(api.ledger)
    api.get(RECORD)
    entry = api.get(f"{RECORD}/access-log", role="auditor").json()["entries"][0]
    assert datetime.fromisoformat(entry["at"]) == clock.now

"""Citizens' comments and complaints over HTTP (both stores): a complaint's lifecycle, the
tracking-code look-up without personal data, the follow-up list (contact for HR only), comments
followed up, the public statistics with k = 5, the rate limit, and the contact never logged."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.ratelimit import RateLimit
from ledger.application import KinerjaLedger
from ledger.discipline.inspection import verify_sanction
from ledger.tracking import parse_code
from projections.public import REASON_SECONDARY, reason_small
from projections.registry import default_projections
from projections.runner import ProjectionRunner
from tests.api_support import SUBJECT, Api, seed_world
from tests.conftest import FakeClock, make_settings
from tests.factories import HR

CONTACT = "0812-7777-1234 / warga@example.org"
TICKET = "LAP-2026/00417"
COMPLAINT = {
    "service_unit": "PUSKESMAS-BINJAI",
    "officer_code": "PKM-07",
    "category": "PERILAKU_PETUGAS",
    "text": "Petugas loket membentak pasien lansia.",
    "contact": CONTACT,
    "lapor_ticket": TICKET,
}
EVENT_ID = re.compile(r"^[0-9a-f-]{36}:[0-9]+$")


@pytest.fixture
def api(store: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Api]:
    ledger = KinerjaLedger(make_settings(store, tmp_path, request), clock=FakeClock())
    try:
        seed_world(ledger)
        app = create_app(ledger=ledger, public_rate=RateLimit(burst=1000, per_minute=1000))
        yield Api(TestClient(app), app, ledger, ProjectionRunner(ledger, default_projections()))
    finally:
        ledger.close()


def clock(api: Api) -> FakeClock:
    c = api.ledger.clock
    assert isinstance(c, FakeClock)
    return c


def complain(api: Api, **changes: Any) -> dict[str, Any]:
    answer = api.client.post("/v1/public/complaints", json={**COMPLAINT, **changes})
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def update(api: Api, complaint_id: str, status: str, response: str, role: str = "hr") -> Any:
    return api.post(
        f"/v1/complaints/{complaint_id}/updates", {"status": status, "response": response}, role=role
    )


def lookup(api: Api, code: str) -> Any:
    api.catch_up()
    return api.client.get(f"/v1/public/complaints/{code}")


def test_a_complaint_goes_received_in_progress_responded_closed(api: Api) -> None:
    sent = complain(api)
    code = sent["tracking_code"]
    assert parse_code(code) == code and re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}", code)
    assert sent == {
        "event_id": sent["complaint_id"],
        "position": sent["position"],
        "version": 1,
        "complaint_id": sent["complaint_id"],
        "tracking_code": code,
    }
    assert EVENT_ID.fullmatch(sent["complaint_id"]) and sent["complaint_id"].endswith(":1")
    cid = sent["complaint_id"]
    steps = [
        ("IN_PROGRESS", "Sudah kami teruskan ke kepala puskesmas."),
        ("RESPONDED", "Petugas telah ditegur; mohon maaf atas pelayanan kami."),
        ("CLOSED", "Pengaduan ditutup."),
    ]
    for version, (status, response) in enumerate(steps, start=2):
        clock(api).now += timedelta(days=1)
        answer = update(api, cid, status, response)
        assert answer.status_code == 201, answer.text
        assert answer.json() == {
            "event_id": f"{cid[:-2]}:{version}",
            "position": answer.json()["position"],
            "version": version,
            "complaint_id": cid,
            "status": status,
        }
    # The whole public answer: status and responses, nothing personal.
    seen = lookup(api, code)
    assert seen.status_code == 200
    assert seen.json() == {
        "tracking_code": code,
        "service_unit": "PUSKESMAS-BINJAI",
        "service_unit_name": "Puskesmas Binjai Kota",
        "agency": "DINKES",
        "category": "PERILAKU_PETUGAS",
        "status": "CLOSED",
        "received_on": "2026-03-02",
        "responses": [
            {"status": "IN_PROGRESS", "response": steps[0][1], "on": "2026-03-03"},
            {"status": "RESPONDED", "response": steps[1][1], "on": "2026-03-04"},
            {"status": "CLOSED", "response": steps[2][1], "on": "2026-03-05"},
        ],
    }
    for secret in (CONTACT, TICKET, COMPLAINT["text"], "PKM-07", SUBJECT, "hr-1"):
        assert secret not in seen.text
    # Lower case, spaces, O for 0 and I or L for 1 are read as the receipt means them.
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert lookup(api, typed).json()["tracking_code"] == code


def test_illegal_moves_are_refused_and_write_nothing(api: Api) -> None:
    cid = complain(api)["complaint_id"]
    head = api.head()
    closed_early = update(api, cid, "CLOSED", "tutup")
    assert (closed_early.status_code, closed_early.json()["detail"]) == (
        409,
        "a RECEIVED complaint cannot become CLOSED (allowed: IN_PROGRESS, REJECTED, RESPONDED)",
    )
    received = update(api, cid, "RECEIVED", "ulang")
    assert (received.status_code, received.json()["errors"]) == (
        422,
        [{"field": "status", "reason": "RECEIVED is the status of a new complaint, never a change"}],
    )
    assert api.head() == head
    assert update(api, cid, "REJECTED", "Bukan kewenangan Pemerintah Kota Binjai.").status_code == 201
    final = update(api, cid, "IN_PROGRESS", "buka lagi")
    assert (final.status_code, final.json()["detail"]) == (
        409,
        "a REJECTED complaint cannot become IN_PROGRESS (allowed: none: it is final)",
    )
    # Only HR (or admin) moves a complaint; an unknown complaint is 404.
    assert update(api, cid, "IN_PROGRESS", "x", role="auditor").status_code == 403
    unknown = update(api, f"{cid[:-2]}:2", "IN_PROGRESS", "x")
    assert (unknown.status_code, unknown.json()["detail"]) == (404, f"unknown complaint {cid[:-2]}:2")
    employee_stream = api.ledger.employee(SUBJECT).id
    assert update(api, f"{employee_stream}:1", "IN_PROGRESS", "x").status_code == 404


def test_the_lookup_refuses_a_typo_and_knows_no_other_code(api: Api) -> None:
    code = complain(api)["tracking_code"]
    last = code[-1]
    typo = code[:-1] + ("2" if last != "2" else "3")
    refused = lookup(api, typo)
    assert (refused.status_code, refused.json()["errors"]) == (
        422,
        [
            {
                "field": "tracking_code",
                "reason": "the check character does not match: a character was mistyped",
            }
        ],
    )
    assert lookup(api, "UUUU-UUUU-UUUUU").status_code == 422
    assert lookup(api, "x" * 41).status_code == 422
    other = "0000-0000-0000" + "0"  # well-formed (the check of twelve zeros is 0), never issued
    assert (lookup(api, other).status_code, parse_code(other)) == (404, other)


def test_unknown_unit_or_officer_and_bad_fields_are_422(api: Api) -> None:
    head = api.head()
    for changes, field in (
        ({"service_unit": "NOPE"}, "service_unit"),
        ({"officer_code": "PKM-99"}, "officer_code"),
        ({"category": "KORUPSI"}, "category"),
        ({"text": ""}, "text"),
        ({"contact": "x" * 201}, "contact"),
        ({"lapor_ticket": "LAP 1"}, "lapor_ticket"),
        ({"text": "a\u202eb"}, "text"),
    ):
        answer = api.client.post("/v1/public/complaints", json={**COMPLAINT, **changes})
        assert answer.status_code == 422, (changes, answer.text)
        assert [e["field"] for e in answer.json()["errors"]] == [field]
        assert CONTACT not in answer.text  # details never echo what was sent
    assert api.head() == head


def _item(api: Api, sent: dict[str, Any], contact: str | None) -> dict[str, Any]:
    return {
        "kind": "complaint",
        "id": sent["complaint_id"],
        "received_at": "2026-03-02T02:00:00+00:00",
        "service_unit": "PUSKESMAS-BINJAI",
        "agency": "DINKES",
        "status": "RECEIVED",
        "text": COMPLAINT["text"],
        "category": "PERILAKU_PETUGAS",
        "officer_code": "PKM-07",
        "officer_nip": SUBJECT,
        "tracking_code": sent["tracking_code"],
        "lapor_ticket": TICKET,
        "has_contact": True,
        "contact": contact,
        "responses": [],
    }


def test_the_follow_up_list_shows_the_contact_to_hr_only(api: Api) -> None:
    sent = complain(api)
    api.catch_up()
    for role, contact in (("hr", CONTACT), ("auditor", None), ("inspector", None), ("admin", None)):
        answer = api.get("/v1/public-input", role=role)
        assert answer.status_code == 200
        assert answer.json() == {
            "kind": None,
            "status": None,
            "agency": None,
            "items": [_item(api, sent, contact)],
            "next": None,
        }
        if contact is None:
            assert CONTACT not in answer.text
    for role in ("employee", "appraiser"):
        assert api.get("/v1/public-input", role=role).status_code == 403
    assert api.get("/v1/public-input", status="CLOSED").json()["items"] == []
    assert api.get("/v1/public-input", kind="comment").json()["items"] == []


def test_comments_are_followed_up_once(api: Api) -> None:
    answers = {f"U{i}": 3 for i in range(1, 10)}
    with_comment = api.client.post(
        "/v1/public/surveys",
        json={"service_unit": "PUSKESMAS-BINJAI", "answers": answers, "comment": "antrian terlalu lama"},
    ).json()["survey_id"]
    without = api.client.post(
        "/v1/public/surveys", json={"service_unit": "PUSKESMAS-BINJAI", "answers": answers}
    ).json()["survey_id"]
    api.catch_up()
    listed = api.get("/v1/public-input", kind="comment", status="OPEN").json()["items"]
    assert [(i["id"], i["text"], i["status"], i["responses"]) for i in listed] == [
        (with_comment, "antrian terlalu lama", "OPEN", [])
    ]
    clock(api).now += timedelta(hours=5)
    done = api.post(f"/v1/comments/{with_comment}/follow-up", {"response": "Loket kedua dibuka pukul 08.00."})
    assert done.status_code == 201, done.text
    assert done.json()["comment_id"] == with_comment
    again = api.post(f"/v1/comments/{with_comment}/follow-up", {"response": "lagi"})
    assert (again.status_code, again.json()["detail"]) == (
        409,
        f"comment {with_comment} was already followed up",
    )
    none = api.post(f"/v1/comments/{without}/follow-up", {"response": "x"})
    assert none.status_code == 404
    assert (
        api.post(f"/v1/comments/{with_comment}/follow-up", {"response": "x"}, role="auditor").status_code
        == 403
    )
    api.catch_up()
    (item,) = api.get("/v1/public-input", kind="comment").json()["items"]
    assert (item["status"], item["responses"]) == (
        "FOLLOWED_UP",
        [
            {
                "status": "FOLLOWED_UP",
                "response": "Loket kedua dibuka pukul 08.00.",
                "at": "2026-03-02T07:00:00+00:00",
                "by": "hr-1",
            }
        ],
    )
    assert api.get("/v1/public-input", kind="comment", status="OPEN").json()["items"] == []


def test_public_statistics_suppress_fewer_than_five(api: Api) -> None:
    api.ledger.register_service_unit(HR, code="PKM-TIMUR", name="Puskesmas Timur", agency="DINKES")
    api.ledger.register_service_unit(HR, code="PKM-BARAT", name="Puskesmas Barat", agency="DINKES")
    # PUSKESMAS-BINJAI: 4 complaints (suppressed); PKM-TIMUR: 6, answered after 1..6 days;
    # PKM-BARAT: 5, none answered (with PUSKESMAS-BINJAI hidden, its count would follow from the
    # total: hidden too).
    plan = (
        [("PUSKESMAS-BINJAI", None)] * 4 + [("PKM-TIMUR", d) for d in range(1, 7)] + [("PKM-BARAT", None)] * 5
    )
    sent = []
    for unit, days in plan:
        sent.append((complain(api, service_unit=unit, officer_code=None)["complaint_id"], days))
    start = clock(api).now
    for cid, days in sent:
        if days is not None:
            clock(api).now = start + timedelta(days=days)
            assert update(api, cid, "RESPONDED", "Sudah ditindaklanjuti.").status_code == 201
    api.catch_up()
    answer = api.client.get("/v1/public/agencies/DINKES/complaints", params={"year": 2026})
    assert answer.status_code == 200
    small = {"value": None, "suppressed": True, "reason": reason_small()}
    secondary = {"value": None, "suppressed": True, "reason": REASON_SECONDARY}
    body = answer.json()
    assert {k: v for k, v in body.items() if k not in ("note", "units")} == {
        "agency": "DINKES",
        "name": "Dinas Kesehatan",
        "year": 2026,
        "k": 5,
        "figures": {
            "received": {"value": 15, "suppressed": False, "reason": None},
            "responded": {"value": 6, "suppressed": False, "reason": None},
            "median_days_to_response": {"value": "3.5", "suppressed": False, "reason": None},
        },
    }
    assert body["units"] == [
        {
            "code": "PKM-BARAT",
            "name": "Puskesmas Barat",
            "figures": {"received": secondary, "responded": small, "median_days_to_response": small},
        },
        {
            "code": "PKM-TIMUR",
            "name": "Puskesmas Timur",
            "figures": {
                "received": {"value": 6, "suppressed": False, "reason": None},
                # The other units' responded (0 and 0) would follow from the total: hidden too.
                "responded": secondary,
                "median_days_to_response": {"value": "3.5", "suppressed": False, "reason": None},
            },
        },
        {
            "code": "PUSKESMAS-BINJAI",
            "name": "Puskesmas Binjai Kota",
            "figures": {"received": small, "responded": small, "median_days_to_response": small},
        },
    ]
    empty = api.client.get("/v1/public/agencies/DISDIK/complaints", params={"year": 2026}).json()
    assert empty["figures"]["received"] == small and empty["units"] == []
    assert api.client.get("/v1/public/agencies/NOPE/complaints").status_code == 404
    assert CONTACT not in answer.text


def test_the_contact_is_never_logged(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sent = complain(api)
    api.catch_up()
    api.get("/v1/public-input")
    api.get("/v1/public-input", role="auditor")
    lookup(api, sent["tracking_code"])
    update(api, sent["complaint_id"], "RESPONDED", "Terima kasih.")
    assert caplog.records, "the request log was captured"
    assert CONTACT not in caplog.text
    assert "0812" not in caplog.text


def test_complaints_are_rate_limited_like_surveys(
    store: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    ledger = KinerjaLedger(make_settings(store, tmp_path, request), clock=FakeClock())
    try:
        seed_world(ledger)
        client = TestClient(create_app(ledger=ledger, public_rate=RateLimit(burst=2, per_minute=1)))
        codes = [client.post("/v1/public/complaints", json=COMPLAINT).status_code for _ in range(3)]
        assert codes == [201, 201, 429]
        limited = client.post("/v1/public/complaints", json=COMPLAINT)
        assert int(limited.headers["retry-after"]) > 0
    finally:
        ledger.close()


@pytest.mark.parametrize(
    ("officer_code", "passed"),
    [("PKM-07", True), (None, False)],
    ids=["complaint-naming-the-officer", "complaint-naming-no-one"],
)
def test_a_sanction_may_cite_a_complaint_as_evidence(
    api: Api, officer_code: str | None, passed: bool
) -> None:
    cid = complain(api, officer_code=officer_code)["complaint_id"]
    answer = api.post(
        f"/v1/employees/{SUBJECT}/sanctions",
        {
            "violation": {"description": "membentak pasien", "level": "RINGAN"},
            "penalty": "TEGURAN_LISAN",
            "decided_by_role": "ATASAN_LANGSUNG",
            "decided_by_name": "dr. Sari",
            "decree_number": "800/1/2026",
            "decided_on": "2026-03-02",
            "evidence": [cid],
        },
    )
    assert answer.status_code == 201, answer.text
    sanction_id = answer.json()["sanction_id"]
    # A complaint naming the officer (PKM-07 is the subject's badge) is evidence about them, like
    # an event of their own record; one that names no one is another record's event.
    expected = (
        (
            True,
            (
                "1 evidence event(s): all of this employee, recorded before the sanction, and in "
                "effect by the decision date 2026-03-02."
            ),
        )
        if passed
        else (False, f"{cid[0].upper()}{cid[1:]} belongs to another record, not this employee's.")
    )
    api.catch_up()
    verification = api.get(f"/v1/sanctions/{sanction_id}/verification", role="inspector").json()
    (evidence,) = [c for c in verification["checks"] if c["number"] == 3]
    assert (evidence["passed"], evidence["detail"]["en"]) == expected
    # The inspector's own replay from the event store (ledger inspect) reaches the same finding.
    checks = verify_sanction(api.ledger, sanction_id).as_dict()["checks"]
    (replayed,) = [c for c in checks if c["number"] == 3]
    assert (replayed["passed"], replayed["detail"]["en"]) == expected

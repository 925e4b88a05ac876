"""Idempotency-Key and If-Match over HTTP, including commands racing on one employee."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from ledger.application import KinerjaLedger
from ledger.domain.employee import Employee
from tests.api_support import APPRAISER_NIP, SUBJECT, Api, assert_lost_race, make_api, seed_world

TRAININGS = f"/v1/employees/{SUBJECT}/trainings"
TRAINING = {"title": "Pelatihan K3", "hours_jp": 8, "completed_on": "2026-02-10", "provider": "BPSDM"}


@pytest.fixture
def api(app: KinerjaLedger) -> Api:
    seed_world(app)
    return make_api(app)


def stream_versions(api: Api) -> list[int]:
    return [e.originator_version for e in api.ledger.stream(Employee.create_id(SUBJECT))]


def test_repeat_with_same_key_returns_first_answer_and_writes_nothing(api: Api) -> None:
    first = api.post(TRAININGS, TRAINING, **{"Idempotency-Key": "train-001"})
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    head = api.head()
    # Same body in another key order and spacing: the same request.
    reordered = dict(reversed(list(TRAINING.items())))
    again = api.post(TRAININGS, reordered, **{"Idempotency-Key": "train-001"})
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["etag"] == first.headers["etag"]
    assert api.head() == head


def test_same_key_with_another_body_is_422(api: Api) -> None:
    assert api.post(TRAININGS, TRAINING, **{"Idempotency-Key": "train-002"}).status_code == 201
    head = api.head()
    r = api.post(TRAININGS, {**TRAINING, "hours_jp": 9}, **{"Idempotency-Key": "train-002"})
    assert r.status_code == 422
    assert r.json()["type"].endswith("/idempotency-key-reused")
    # The same key and body on another employee's path, or from another caller, is another request.
    r = api.post(f"/v1/employees/{APPRAISER_NIP}/trainings", TRAINING, **{"Idempotency-Key": "train-002"})
    assert r.status_code == 422
    r = api.client.post(
        TRAININGS, json=TRAINING, headers={**api.auth("admin"), "Idempotency-Key": "train-002"}
    )
    assert r.status_code == 422
    assert api.head() == head


def test_a_refused_command_does_not_burn_its_key(api: Api) -> None:
    bad = api.post(TRAININGS, {**TRAINING, "completed_on": "2099-01-01"}, **{"Idempotency-Key": "train-003"})
    assert bad.status_code == 422
    good = api.post(TRAININGS, TRAINING, **{"Idempotency-Key": "train-003"})
    assert good.status_code == 201


def test_malformed_idempotency_key_is_422(api: Api) -> None:
    head = api.head()
    r = api.post(TRAININGS, TRAINING, **{"Idempotency-Key": "has spaces"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "Idempotency-Key"
    assert api.head() == head


def test_if_match_and_etag(api: Api) -> None:
    read = api.get(f"/v1/employees/{SUBJECT}")
    etag = read.headers["etag"]
    assert etag == f'"{read.json()["version"]}"'
    stale = f'"{read.json()["version"] - 1}"'
    head = api.head()
    r = api.post(TRAININGS, TRAINING, **{"If-Match": stale})
    assert r.status_code == 412
    assert r.headers["content-type"] == "application/problem+json"
    assert api.head() == head
    ok = api.post(TRAININGS, TRAINING, **{"If-Match": etag})
    assert ok.status_code == 201
    assert ok.headers["etag"] == f'"{read.json()["version"] + 1}"'
    # The previous ETag is now stale; the one the command returned is current.
    assert api.post(TRAININGS, TRAINING, **{"If-Match": etag}).status_code == 412
    assert api.post(TRAININGS, TRAINING, **{"If-Match": ok.headers["etag"]}).status_code == 201
    assert api.post(TRAININGS, TRAINING, **{"If-Match": "*"}).status_code == 201


def race(n: int, call: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def worker(i: int) -> None:
        barrier.wait()
        results[i] = call(i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_concurrent_commands_with_one_if_match_one_wins(api: Api) -> None:
    version = api.get(f"/v1/employees/{SUBJECT}").json()["version"]
    before = stream_versions(api)

    def appraise(i: int) -> Any:
        body = {
            "period": f"2026-0{i + 1}..2026-0{i + 1}",
            "hasil_kerja": "SESUAI_EKSPEKTASI",
            "perilaku_kerja": "SESUAI_EKSPEKTASI",
            "appraiser_nip": APPRAISER_NIP,
        }
        return api.post(f"/v1/employees/{SUBJECT}/appraisals", body, **{"If-Match": f'"{version}"'})

    results = race(2, appraise)
    assert sorted(r.status_code for r in results)[0] == 201, [r.text for r in results]
    assert_lost_race(next(r for r in results if r.status_code != 201), if_match=version)
    after = stream_versions(api)
    assert after == [*before, version + 1]  # exactly one new event, no gap, no duplicate
    winner = next(r for r in results if r.status_code == 201).json()
    record = api.get(f"/v1/employees/{SUBJECT}").json()
    assert winner["appraisal_id"] in {a["appraisal_id"] for a in record["appraisals"]}


def test_concurrent_commands_without_if_match_lose_nothing(api: Api) -> None:
    before = stream_versions(api)
    results = race(4, lambda i: api.post(TRAININGS, {**TRAINING, "title": f"Pelatihan {i}"}))
    won = [r.json() for r in results if r.status_code == 201]
    assert won, [r.text for r in results]  # the first to write cannot have lost
    for lost in (r for r in results if r.status_code != 201):
        assert_lost_race(lost, if_match=None)
    after = stream_versions(api)
    assert after == list(range(1, len(before) + len(won) + 1))
    record = api.get(f"/v1/employees/{SUBJECT}/events").json()
    titles = [e["payload"]["title"] for e in record["events"] if e["type"] == "TrainingCompleted"]
    assert sorted(titles) == sorted(f"Pelatihan {i}" for i, r in enumerate(results) if r.status_code == 201)


def test_concurrent_repeats_of_one_key_write_once(api: Api) -> None:
    before = stream_versions(api)
    results = race(3, lambda i: api.post(TRAININGS, TRAINING, **{"Idempotency-Key": "race-key-1"}))
    assert [r.status_code for r in results] == [201, 201, 201], [r.text for r in results]
    assert len({r.json()["event_id"] for r in results}) == 1
    assert sum(r.headers.get("idempotent-replayed") == "true" for r in results) == 2
    assert stream_versions(api) == [*before, len(before) + 1]

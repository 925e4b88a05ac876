"""api.commands.run_command: the headers of a 201, its replay, the correlation id, the wake-up of
the in-process runner, and an appraiser's write pinned to the version they were authorised on.

Written against surviving mutants of run_command (docs/TESTING.md).
"""

from __future__ import annotations

import pytest
from eventsourcing.persistence import StoredEvent
from fastapi.responses import JSONResponse
from starlette.requests import Request

from api.auth import Principal, Role
from api.commands import run_command
from api.dependencies import Authorised, CommandHeaders
from api.schemas.appraisals import AppraisalAccepted, AppraisalIn
from ledger.application import KinerjaLedger
from ledger.domain.employee import Employee
from ledger.errors import Conflict
from ledger.vocabulary import Rating
from tests.api_support import Api, make_api
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_basic


@pytest.fixture
def api(app: KinerjaLedger) -> Api:
    return make_api(app)


def test_a_creation_answers_location_etag_and_on_repeat_replayed(api: Api) -> None:
    body = {"code": "DINKES", "name": "Dinas Kesehatan"}
    first = api.post("/v1/agencies", body, **{"Idempotency-Key": "a-1", "X-Request-ID": "req-agency-1"})
    assert first.status_code == 201
    assert first.headers["location"] == "/v1/agencies/DINKES"
    assert first.headers["etag"] == '"1"'
    assert "idempotent-replayed" not in first.headers
    again = api.post("/v1/agencies", body, **{"Idempotency-Key": "a-1"})
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == "/v1/agencies/DINKES"


def test_the_request_id_is_the_events_correlation_id(api: Api) -> None:
    seed_basic(api.ledger)
    r = api.post(
        f"/v1/employees/{NIP_BUDI}/feedback",
        {"source": "PEER", "score": 3},
        **{"X-Request-ID": "req-feedback-7"},
    )
    assert r.status_code == 201
    last = api.ledger.stream(Employee.create_id(NIP_BUDI))[-1]
    event = api.ledger.mapper.to_domain_event(
        StoredEvent(last.originator_id, last.originator_version, last.topic, last.state)
    )
    assert isinstance(event, Employee.FeedbackReceived)
    assert event.correlation_id == "req-feedback-7"


def test_a_new_command_wakes_the_in_process_runner_and_a_replay_does_not(api: Api) -> None:
    api.app.state.projection_runner = api.runner
    wake = api.runner._wake
    body = {"code": "DINKES", "name": "Dinas Kesehatan"}
    wake.clear()
    assert api.post("/v1/agencies", body, **{"Idempotency-Key": "w-1"}).status_code == 201
    assert wake.is_set()
    wake.clear()
    assert api.post("/v1/agencies", body, **{"Idempotency-Key": "w-1"}).status_code == 201
    assert not wake.is_set()


def command_request(api: Api) -> Request:
    return Request(
        {
            "type": "http",
            "method": "POST",
            "path": f"/v1/employees/{NIP_BUDI}/appraisals",
            "headers": [],
            "app": api.app,
            "state": {"request_id": "req-appraise-1"},
        }
    )


BODY = AppraisalIn(
    period="2025",
    hasil_kerja=Rating.SESUAI_EKSPEKTASI,
    perilaku_kerja=Rating.SESUAI_EKSPEKTASI,
    appraiser_nip=NIP_SARI,
)


def appraise_as(api: Api, checked_version: int) -> JSONResponse:
    appraiser = Authorised(Principal(NIP_SARI, Role.APPRAISER, "DINKES"), checked_version)
    return run_command(
        command_request(api),
        appraiser,
        BODY,
        KinerjaLedger.record_appraisal,
        AppraisalAccepted,
        CommandHeaders(),
        path=(NIP_BUDI,),
    )


def test_an_appraiser_writes_only_on_the_version_they_were_authorised_on(api: Api) -> None:
    seed_basic(api.ledger)
    checked = api.ledger.employee(NIP_BUDI).version
    # the record moves on between the agency check and the write (e.g. a transfer)
    api.ledger.record_feedback(HR, NIP_BUDI, source="PEER", score=3)
    with pytest.raises(Conflict) as raised:
        appraise_as(api, checked)
    assert raised.value.detail == "the record changed while the request was being authorised; retry"
    assert len(api.ledger.employee(NIP_BUDI).appraisals) == 0
    response = appraise_as(api, checked + 1)
    assert response.status_code == 201

"""An appraiser acts for others only: nobody appraises, corrects or gives feedback on their own
record, and an appraiser names themselves as `appraiser_nip`. Each refusal writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_support import APPRAISER_NIP, OTHER_NIP, SUBJECT, Api, shared_api
from tests.conftest import STORES

APPRAISAL = {"hasil_kerja": "DI_ATAS_EKSPEKTASI", "perilaku_kerja": "SESUAI_EKSPEKTASI"}


@pytest.fixture(scope="module", params=STORES)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Api, Any]]:
    with shared_api(request.param, tmp_path_factory.mktemp("own"), request) as shared:
        yield shared


def forbidden(api: Api, response: Any, detail: str, before: int) -> None:
    assert response.status_code == 403, response.text
    assert response.json()["detail"] == detail
    assert api.head() == before


def as_appraiser(api: Api, sub: str = APPRAISER_NIP) -> dict[str, str]:
    return api.auth("appraiser", sub=sub, agency="DINKES")


def test_an_appraiser_cannot_appraise_their_own_record(world: tuple[Api, Any]) -> None:
    api, _ = world
    before = api.head()
    r = api.client.post(
        f"/v1/employees/{APPRAISER_NIP}/appraisals",
        json={"period": "2025-01..2025-03", **APPRAISAL, "appraiser_nip": APPRAISER_NIP},
        headers=as_appraiser(api),
    )
    forbidden(api, r, "nobody may record appraisals on their own record", before)


def test_nor_correct_it_nor_give_themselves_feedback(world: tuple[Api, Any]) -> None:
    api, seeded = world
    before = api.head()
    # Sari is appraised too in this test's own store: her appraisal id is irrelevant, the path
    # names her own record and that alone is refused.
    r = api.client.post(
        f"/v1/employees/{APPRAISER_NIP}/appraisals/{seeded['appraisal_id']}/corrections",
        json={"reason": "naik", "hasil_kerja": "DI_ATAS_EKSPEKTASI"},
        headers=as_appraiser(api),
    )
    forbidden(api, r, "nobody may record appraisals on their own record", before)
    for source in ("SUPERVISOR", "PEER"):
        r = api.client.post(
            f"/v1/employees/{APPRAISER_NIP}/feedback",
            json={"source": source, "score": 4},
            headers=as_appraiser(api),
        )
        forbidden(api, r, "nobody may record feedback on their own record", before)


def test_hr_acting_on_their_own_nip_is_refused_too(world: tuple[Api, Any]) -> None:
    api, _ = world
    before = api.head()
    r = api.client.post(
        f"/v1/employees/{SUBJECT}/feedback",
        json={"source": "SUPERVISOR", "score": 4},
        headers=api.auth("hr", sub=SUBJECT),
    )
    forbidden(api, r, "nobody may record feedback on their own record", before)


def test_an_appraiser_names_themselves(world: tuple[Api, Any]) -> None:
    api, _ = world
    before = api.head()
    r = api.client.post(
        f"/v1/employees/{SUBJECT}/appraisals",
        json={"period": "2025-01..2025-03", **APPRAISAL, "appraiser_nip": OTHER_NIP},
        headers=as_appraiser(api),
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"field": "appraiser_nip", "reason": "an appraiser records their own appraisals: give your own NIP"}
    ]
    assert api.head() == before
    r = api.client.post(
        f"/v1/employees/{SUBJECT}/appraisals",
        json={"period": "2025-01..2025-03", **APPRAISAL, "appraiser_nip": APPRAISER_NIP},
        headers=as_appraiser(api),
    )
    assert r.status_code == 201, r.text


def test_hr_records_what_an_appraiser_decided(world: tuple[Api, Any]) -> None:
    api, _ = world
    r = api.post(
        f"/v1/employees/{SUBJECT}/appraisals",
        {"period": "2025-04..2025-06", **APPRAISAL, "appraiser_nip": APPRAISER_NIP},
    )
    assert r.status_code == 201, r.text


pytestmark = pytest.mark.store  # the shared app opens a store: not part of make test-fast

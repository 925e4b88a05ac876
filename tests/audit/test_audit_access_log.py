"""GET /v1/audit/events shows employees' stored events (personal records), so each read of a page
is written to the access log of every employee whose events the page shows (UU 27/2022 Pasal 31-32), and to
no one else's: agency, service unit and program streams name no one."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.application import KinerjaLedger
from projections.audit.export import catch_up
from tests.api_support import Api, make_api
from tests.factories import HR, NIP_ANDI, NIP_BUDI, NIP_SARI, seed_basic, seed_employee

ROUTE = "/v1/audit/events"


@pytest.fixture
def api(app: KinerjaLedger) -> Api:
    """Leaves: 0 agency, 1 Budi v1, 2 Sari v1, 3 unit, 4 Budi v2, 5 Sari v2, 6 Budi v3."""
    seed_basic(app)
    app.register_service_unit(HR, code="PUSKESMAS-BINJAI", name="Puskesmas Binjai Kota", agency="DINKES")
    for nip in (NIP_BUDI, NIP_SARI, NIP_BUDI):
        app.record_training(HR, nip, title="Pelatihan", hours_jp=2, completed_on="2026-01-10", provider="LAN")
    catch_up(app)
    return make_api(app)


def page(api: Api, role: str, start: int, limit: int) -> list[dict[str, Any]]:
    response = api.get(ROUTE, role=role, **{"from": start, "limit": limit})
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()["entries"]
    return entries


def audit_reads(api: Api, nip: str, role: str = "auditor") -> list[dict[str, Any]]:
    response = api.get(f"/v1/employees/{nip}/access-log", role=role)
    assert response.status_code == 200, response.text
    return [e for e in response.json()["entries"] if e["route"] == ROUTE]


def subjects_logged(api: Api) -> list[str]:
    with api.ledger.sql.transaction(write=False) as tx:
        rows = tx.query("SELECT subject_nip FROM access_log WHERE route = ? ORDER BY id", (ROUTE,))
    return [str(r["subject_nip"]) for r in rows]


def test_an_auditors_page_is_in_the_access_log_of_each_employee_it_shows(api: Api) -> None:
    assert len(page(api, "auditor", 0, 100)) == 7
    # Budi sees the auditor's read in his own access log, with the route template.
    (read,) = audit_reads(api, NIP_BUDI, role="employee")
    assert {k: read[k] for k in ("reader_sub", "reader_role", "method", "route", "status")} == {
        "reader_sub": "auditor-1",
        "reader_role": "auditor",
        "method": "GET",
        "route": ROUTE,
        "status": 200,
    }
    assert [r["reader_sub"] for r in audit_reads(api, NIP_SARI)] == ["auditor-1"]
    # One entry per employee shown, none for the agency or the service unit.
    assert sorted(subjects_logged(api)) == sorted([NIP_BUDI, NIP_SARI])


def test_only_the_employees_on_the_page_are_logged(api: Api) -> None:
    seed_employee(api.ledger, NIP_ANDI, name="Andi Pratama")  # leaf 7, not on the pages below
    catch_up(api.ledger)
    # Budi v2 and Sari v2 without their first events: their NIPs come from the event store.
    assert [e["originator_version"] for e in page(api, "inspector", 4, 2)] == [2, 2]
    assert [r["reader_role"] for r in audit_reads(api, NIP_BUDI)] == ["inspector"]
    assert [r["reader_role"] for r in audit_reads(api, NIP_SARI)] == ["inspector"]
    assert audit_reads(api, NIP_ANDI) == []
    # The agency's registration alone, and the service unit's, name no one.
    page(api, "auditor", 0, 1)
    page(api, "auditor", 3, 1)
    # A refused caller is shown nothing, so no employee's log gets an entry.
    assert api.get(ROUTE, role="hr").status_code == 403
    assert sorted(subjects_logged(api)) == sorted([NIP_BUDI, NIP_SARI])
    page(api, "auditor", 7, 10)
    assert [r["reader_role"] for r in audit_reads(api, NIP_ANDI)] == ["auditor"]

"""Decimals are stored as plain digits ("20", "7.5"), never in exponent form, and the events
already stored in exponent form read as plain numbers everywhere.

tests/data/known_answers/old_forms.json is the stored log of a small history written by the code
before the fix (generate_old_forms.py beside it): two trainings of 20 JP stored as "2E+1", a
programme outcome with target "1E+3" and achieved "1.2E+3".
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from ledger.application import KinerjaLedger
from ledger.decimals import plain
from ledger.domain.employee import Employee
from ledger.history import employee_events, employee_view, event_view
from projections import queries
from tests.factories import HR, NIP_BUDI, seed_basic
from tests.paths import DATA
from tests.projection_support import catch_up

OLD_FORMS = DATA / "known_answers" / "old_forms.json"


def old_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(OLD_FORMS.read_text(encoding="utf-8"))
    return records


def load_old_forms(app: KinerjaLedger) -> None:
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=UUID(r["originator_id"]),
                originator_version=r["originator_version"],
                topic=r["topic"],
                state=r["state"].encode("utf-8"),
            )
            for r in old_records()
        ]
    )


def stored_payload(app: KinerjaLedger, event_id: str) -> dict[str, Any]:
    originator, version = event_id.rsplit(":", 1)
    for n in app.recorder.select_notifications(0, 1000):
        if str(n.originator_id) == originator and n.originator_version == int(version):
            payload: dict[str, Any] = json.loads(bytes(n.state))
            return payload
    raise AssertionError(f"no stored event {event_id}")


def test_the_old_form_is_kept_as_a_known_answer() -> None:
    states = [json.loads(r["state"]) for r in old_records()]
    assert [s["hours_jp"] for s in states if "hours_jp" in s] == ["2E+1", "2E+1"]
    assert [(s["target"], s["achieved"]) for s in states if "target" in s] == [("1E+3", "1.2E+3")]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal(20), "20"),
        (Decimal("2E+1"), "20"),
        (Decimal("20.0"), "20.0"),
        (Decimal("7.5"), "7.5"),
        (Decimal("1E-7"), "0.0000001"),
        (Decimal("1.2E+3"), "1200"),
        (Decimal("1E+12"), "1000000000000"),
    ],
)
def test_plain_never_writes_an_exponent(value: Decimal, text: str) -> None:
    assert plain(value) == text


def test_new_trainings_store_plain_digits(app: KinerjaLedger) -> None:
    # Caught before the fix: 20.0 (a JSON number) was stored as "2E+1", 12.50 as "12.5" (kept).
    seed_basic(app)
    twenty = app.record_training(
        HR, NIP_BUDI, title="A", hours_jp=20.0, completed_on="2026-01-10", provider="P"
    )
    half = app.record_training(
        HR, NIP_BUDI, title="B", hours_jp="7.50", completed_on="2026-01-11", provider="P"
    )
    hundred = app.record_training(
        HR, NIP_BUDI, title="C", hours_jp=100, completed_on="2026-01-12", provider="P"
    )
    assert [stored_payload(app, r.event_id)["hours_jp"] for r in (twenty, half, hundred)] == [
        "20",
        "7.5",
        "100",
    ]
    assert app.employee(NIP_BUDI).training_jp == {"2026": "127.5"}


def test_new_programme_outcomes_store_plain_digits(app: KinerjaLedger) -> None:
    # Caught before the fix: "1e3" was stored as "1E+3" and "12e2" as "1.2E+3". (A number as
    # small as 1e-07, once stored as "1E-7", has too many decimal places to be accepted now.)
    seed_basic(app)
    app.register_agency(HR, code="DISDUKCAPIL", name="Dukcapil")
    app.launch_program(HR, code="PRG", name="Program", agencies=["DINKES", "DISDUKCAPIL"])
    r = app.record_program_outcome(HR, "PRG", indicator="I", target="1e3", achieved="12e2", period="2025")
    payload = stored_payload(app, r.event_id)
    assert (payload["target"], payload["achieved"]) == ("1000", "1200")


def test_old_exponent_forms_read_as_plain_numbers_everywhere(app: KinerjaLedger) -> None:
    # Caught before the fix: the aggregate, the employee summary, the compliance list, the agency
    # summary, the scorecard, the event history and the programme outcomes showed "2E+1",
    # "4E+1", "1E+3" and "1.2E+3".
    load_old_forms(app)
    employee = app.employee(NIP_BUDI)
    assert isinstance(employee, Employee)
    assert employee.training_jp == {"2025": "40"}
    assert employee_view(employee)["training_jp"] == {"2025": "40"}
    trainings = [e for e in employee_events(app, NIP_BUDI) if isinstance(e, Employee.TrainingCompleted)]
    assert [e.hours_jp for e in trainings] == ["20", "20"]
    assert [event_view(e)["payload"]["hours_jp"] for e in trainings] == ["20", "20"]

    catch_up(app)
    summary = queries.employee_summary(app, NIP_BUDI)
    assert summary is not None and summary["training_jp"] == {"2025": "40"}
    compliance = queries.training_compliance(app, 2025, "DINKES")
    assert [(p["nip"], p["jp"], p["compliant"]) for p in compliance["employees"]] == [(NIP_BUDI, "40", True)]
    assert compliance["agencies"][0]["jp_total"] == "40"
    agency = queries.agency_summary(app, "DINKES", 2025)
    assert agency is not None and agency["training_jp_total"] == "40"
    card = queries.scorecard(app, NIP_BUDI, 2025)
    assert card is not None
    training = next(c for c in card["components"] if c["component"] == "training")
    assert (training["value"], training["detail"]) == ("1", {"jp": "40", "target_jp": "20"})
    outcome = queries.program(app, "PRG-STUNTING")
    assert outcome is not None
    assert [(o["target"], o["achieved"], o["achievement_pct"]) for o in outcome["outcomes_list"]] == [
        ("1000", "1200", "120.00")
    ]

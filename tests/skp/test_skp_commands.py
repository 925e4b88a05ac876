"""The SKP cycle through the application service: plans, revisions, realisations, dialogues and
BerAKHLAK feedback; refusals write nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.application import CommandContext, KinerjaLedger
from ledger.domain.envelope import Actor
from ledger.errors import AlreadyPlanned, AlreadyReported, NotFound, ValidationFailed
from tests.conftest import FakeClock
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_basic

ITEMS: list[dict[str, Any]] = [
    {
        "rhk": "Meningkatnya cakupan imunisasi dasar lengkap",
        "supports": "Meningkatnya derajat kesehatan masyarakat",
        "indicators": [
            {"aspect": "KUANTITAS", "name": "Balita diimunisasi", "target": 120, "unit": "anak"},
            {"aspect": "KUALITAS", "name": "Laporan tepat mutu", "target": "90", "unit": "%"},
        ],
    },
    {
        "rhk": "Tersusunnya laporan bulanan puskesmas",
        "indicators": [{"aspect": "WAKTU", "name": "Laporan selesai", "target": 5, "unit": "hari kerja"}],
    },
]


def stored(app: KinerjaLedger) -> list[tuple[object, ...]]:
    return [(n.id, n.state) for n in app.recorder.select_notifications(None, 10_000)]


def plan(app: KinerjaLedger, **extra: Any) -> str:
    fields: dict[str, Any] = {"year": 2026, "items": ITEMS, "appraiser_nip": NIP_SARI, **extra}
    return str(app.plan_skp(HR, NIP_BUDI, **fields).extra["skp_id"])


def errors(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[tuple[str, str]]:
    return [(e.field, e.reason) for e in exc.value.errors]


def test_plan_state_and_revision(app: KinerjaLedger) -> None:
    seed_basic(app)
    skp_id = plan(app, behaviour_expectations={"AKUNTABEL": "Laporan tepat waktu"})
    state = app.employee(NIP_BUDI).skp_plan(skp_id)
    assert state["period"] == "2026"
    assert state["items"][0]["indicators"][1] == {
        "aspect": "KUALITAS",
        "name": "Laporan tepat mutu",
        "target": "90",
        "unit": "%",
    }
    assert state["items"][1]["supports"] is None
    assert state["behaviour_expectations"] == {"AKUNTABEL": "Laporan tepat waktu"}
    result = app.revise_skp(HR, NIP_BUDI, skp_id, items=ITEMS[:1], appraiser_nip=NIP_SARI, reason="fokus")
    revised = app.employee(NIP_BUDI).skp_plan(skp_id)
    assert revised["revisions"] == [result.event_id]
    assert len(revised["items"]) == 1
    assert revised["behaviour_expectations"] == {"AKUNTABEL": "Laporan tepat waktu"}


def test_second_plan_for_the_year_is_a_conflict(app: KinerjaLedger) -> None:
    seed_basic(app)
    skp_id = plan(app)
    before = stored(app)
    with pytest.raises(AlreadyPlanned, match=f"an SKP plan for 2026 exists \\({skp_id}\\)"):
        plan(app, period="2026-07..2026-12")
    assert stored(app) == before


def test_contract_periods_within_a_year(app: KinerjaLedger) -> None:
    seed_basic(app)
    plan(app, period="2026-01..2026-06")
    plan(app, period="2026-07..2026-12")
    assert sorted(p["period"] for p in app.employee(NIP_BUDI).skp_state()["plans"].values()) == [
        "2026-01..2026-06",
        "2026-07..2026-12",
    ]


def test_plan_refusals_name_every_field(app: KinerjaLedger) -> None:
    seed_basic(app)
    before = stored(app)
    bad_items = [
        {"rhk": "", "indicators": [{"aspect": "X", "name": "n", "target": 0, "unit": "u", "extra": 1}]},
        {"rhk": "ok", "indicators": []},
        "nope",
    ]
    with pytest.raises(ValidationFailed) as exc:
        app.plan_skp(
            HR,
            NIP_BUDI,
            year=2021,
            items=bad_items,
            appraiser_nip=NIP_BUDI,
            behaviour_expectations={"JUJUR": "x", "LOYAL": 3},
        )
    assert errors(exc) == [
        ("year", "must be between 2022 and 2100"),
        ("items[0].rhk", "required"),
        ("items[0].indicators[0].aspect", "must be one of KUANTITAS, KUALITAS, WAKTU, BIAYA"),
        ("items[0].indicators[0].target", "must be above 0 and at most 1000000000000"),
        ("items[0].indicators[0].extra", "unknown field"),
        ("items[1].indicators", "at least one indicator"),
        ("items[2]", "must be an object {rhk, supports?, indicators}"),
        (
            "behaviour_expectations.JUJUR",
            (
                "unknown core value; one of ADAPTIF, AKUNTABEL, BERORIENTASI_PELAYANAN, HARMONIS, "
                "KOLABORATIF, KOMPETEN, LOYAL"
            ),
        ),
        ("behaviour_expectations.LOYAL", "must be a string"),
    ]
    with pytest.raises(ValidationFailed) as exc:
        app.plan_skp(HR, NIP_BUDI, year=2028, items=[], appraiser_nip=NIP_BUDI, period="2027-01..2027-03")
    assert errors(exc) == [
        ("year", "at most next year (2027)"),
        ("period", "must lie within the plan's year 2028"),
        ("items", "at least one RHK item"),
        ("appraiser_nip", "an employee cannot approve their own plan"),
    ]
    assert stored(app) == before


def test_realisations_supersede_and_refuse_overlaps(app: KinerjaLedger, clock: FakeClock) -> None:
    seed_basic(app)
    skp_id = plan(app)
    first = app.report_realisation(HR, NIP_BUDI, skp_id, item=1, indicator=1, period="2026-01", value=30)
    again = app.report_realisation(
        HR, NIP_BUDI, skp_id, item=1, indicator=1, period="2026-01", value="32.5", evidence_ref="LAP/01"
    )
    assert again.extra == {"skp_id": skp_id, "realisation_id": again.event_id, "supersedes": first.event_id}
    before = stored(app)
    with pytest.raises(AlreadyReported, match="2026-01 is already reported for item 1, indicator 1"):
        app.report_realisation(HR, NIP_BUDI, skp_id, item=1, indicator=1, period="2026-Q1", value=90)
    with pytest.raises(ValidationFailed) as exc:
        app.report_realisation(HR, NIP_BUDI, skp_id, item=3, indicator=1, period="2026-Q2", value=-1)
    assert errors(exc) == [("value", "must be between 0 and 1000000000000")]
    with pytest.raises(ValidationFailed) as exc:
        app.report_realisation(HR, NIP_BUDI, skp_id, item=3, indicator=1, period="2026-Q2", value=1)
    assert errors(exc) == [("item", "the plan has 2 RHK item(s)"), ("period", "has not started yet")]
    with pytest.raises(ValidationFailed) as exc:
        app.report_realisation(HR, NIP_BUDI, skp_id, item=2, indicator=2, period="2025-12", value=1)
    assert errors(exc) == [
        ("indicator", "RHK item 2 has 1 indicator(s)"),
        ("period", "outside the plan's period 2026"),
    ]
    with pytest.raises(ValidationFailed) as exc:
        app.report_realisation(HR, NIP_BUDI, skp_id, item=0, indicator=11, period="2026-Q5", value="x")
    assert errors(exc) == [
        ("item", "must be between 1 and 30"),
        ("indicator", "must be between 1 and 10"),
        ("period", "must be a month YYYY-MM or a quarter YYYY-Q1..YYYY-Q4"),
        ("value", "must be a number"),
    ]
    with pytest.raises(NotFound):
        app.report_realisation(
            HR, NIP_BUDI, skp_id[:-1] + "9", item=1, indicator=1, period="2026-01", value=1
        )
    assert stored(app) == before
    event = app.repository.get(app.employee(NIP_BUDI).id).skp_plan(skp_id)["realisations"][again.event_id]
    assert event["value"] == "32.5"
    assert event["evidence_ref"] == "LAP/01"


def test_dialogue_and_feedback(app: KinerjaLedger) -> None:
    seed_basic(app)
    skp_id = plan(app)
    held = app.hold_dialogue(
        HR, NIP_BUDI, held_on="2026-02-10", summary="Triwulan I", agreed_actions="Kejar target"
    )
    assert held.extra == {"dialogue_id": held.event_id, "skp_id": skp_id}
    early = app.hold_dialogue(HR, NIP_BUDI, held_on="2025-12-10", summary="Akhir tahun")
    assert early.extra["skp_id"] is None
    before = stored(app)
    with pytest.raises(ValidationFailed) as exc:
        app.hold_dialogue(HR, NIP_BUDI, held_on="1949-12-31", summary=" ")
    assert errors(exc) == [("held_on", "must be on or after 1950-01-01"), ("summary", "required")]
    with pytest.raises(ValidationFailed) as exc:
        app.hold_dialogue(HR, NIP_BUDI, held_on="2026-03-03", summary="x")
    assert errors(exc) == [("held_on", "in the future")]
    with pytest.raises(ValidationFailed) as exc:
        app.hold_dialogue(HR, NIP_BUDI, held_on="2009-12-31", summary="x")
    assert errors(exc) == [("held_on", "before the employee's service start")]
    me = CommandContext(Actor(NIP_BUDI, "employee"))
    with pytest.raises(ValidationFailed) as exc:
        app.give_behaviour_feedback(me, NIP_BUDI, value="LOYAL", rating="SESUAI_EKSPEKTASI", source="PEER")
    assert errors(exc) == [("source", "nobody gives feedback on their own behaviour")]
    with pytest.raises(ValidationFailed) as exc:
        app.give_behaviour_feedback(HR, NIP_BUDI, value="JUJUR", rating="BAIK", source="CITIZEN")
    assert errors(exc) == [
        (
            "value",
            "must be one of BERORIENTASI_PELAYANAN, AKUNTABEL, KOMPETEN, HARMONIS, LOYAL, ADAPTIF, KOLABORATIF",
        ),
        ("rating", "must be one of DI_ATAS_EKSPEKTASI, SESUAI_EKSPEKTASI, DI_BAWAH_EKSPEKTASI"),
    ]
    with pytest.raises(ValidationFailed) as exc:
        app.give_behaviour_feedback(HR, NIP_BUDI, value="LOYAL", rating="SESUAI_EKSPEKTASI", source="CITIZEN")
    assert errors(exc) == [("source", "must be SUPERVISOR or PEER")]
    assert stored(app) == before
    peer = CommandContext(Actor(NIP_SARI, "employee"))
    given = app.give_behaviour_feedback(
        peer, NIP_BUDI, value="KOLABORATIF", rating="DI_ATAS_EKSPEKTASI", source="PEER", note="Sigap"
    )
    assert app.employee(NIP_BUDI).skp_state()["feedback"] == {
        given.event_id: {
            "value": "KOLABORATIF",
            "rating": "DI_ATAS_EKSPEKTASI",
            "source": "PEER",
            "given_on": "2026-03-02",
        }
    }
    assert (
        app.employee(NIP_BUDI).skp_state()["dialogues"][held.event_id]["held_on"]
        == date(2026, 2, 10).isoformat()
    )

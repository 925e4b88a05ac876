"""Stream ids and event ids are stored and cited everywhere: their derivation may never change.

A stream id is uuid5(LEDGER_NAMESPACE, "<kind>:<key>"); any other namespace, separator or kind
spelling would give every NIP, agency, unit and programme a new empty stream and orphan the
stored one. An event id `<originator_id>:<originator_version>` is cited by evidence, scores,
corrections and revocations inside stored events. The values below were computed once and are
literals on purpose: recomputing them in the test would follow any change.
"""

from __future__ import annotations

from uuid import UUID

import pytest

from ledger.application import KinerjaLedger
from ledger.domain.agency import Agency
from ledger.domain.employee import Employee
from ledger.domain.envelope import event_id_of
from ledger.domain.program import Program
from ledger.domain.service_unit import ServiceUnit
from ledger.nip import LEDGER_NAMESPACE, stream_id
from ledger.values import EVENT_ID
from tests.factories import HR, NIP_BUDI, NIP_SARI

NAMESPACE = "6f1b3c2e-5d0a-5b7e-9c41-2a8e7d3f0b19"

# (kind as passed to stream_id, aggregate, key, stream id)
STREAMS = [
    ("employee", Employee, NIP_BUDI, "bfb7441e-b89b-5478-97a5-dc0085c960b2"),
    ("employee", Employee, NIP_SARI, "7994c58c-1712-5901-9a73-09d78605ecf3"),
    ("agency", Agency, "DINKES", "1105c616-b584-5b86-97e4-2ac96cb90aab"),
    ("agency", Agency, "DISDUKCAPIL", "5127922e-bce5-5a1b-b372-457af3f110fc"),
    ("service-unit", ServiceUnit, "PKM-SUKAMAJU", "7ea755b7-8fc7-5ec0-8f1e-843155d3e0bc"),
    ("service-unit", ServiceUnit, "PKM-MEKARSARI", "15de2599-d0cb-5417-bd60-6f291178c2c8"),
    ("program", Program, "PRG-STUNTING", "cabc5a08-5bc2-5509-abc3-760bfabad691"),
]


def test_the_namespace_is_pinned() -> None:
    assert str(LEDGER_NAMESPACE) == NAMESPACE


@pytest.mark.parametrize(("kind", "aggregate", "key", "expected"), STREAMS)
def test_stream_ids_are_pinned(kind: str, aggregate: type[Employee], key: str, expected: str) -> None:
    assert str(stream_id(kind, key)) == expected
    assert str(aggregate.create_id(key)) == expected


def test_event_id_format() -> None:
    budi = UUID("bfb7441e-b89b-5478-97a5-dc0085c960b2")
    assert event_id_of(budi, 1) == "bfb7441e-b89b-5478-97a5-dc0085c960b2:1"
    assert event_id_of(budi, 1234567890) == "bfb7441e-b89b-5478-97a5-dc0085c960b2:1234567890"
    assert EVENT_ID.match(event_id_of(budi, 7)) is not None


def test_commands_write_to_the_pinned_streams_and_answer_pinned_event_ids(app: KinerjaLedger) -> None:
    agency = app.register_agency(HR, code="DINKES", name="Dinas Kesehatan")
    assert agency.event_id == "1105c616-b584-5b86-97e4-2ac96cb90aab:1"
    app.register_agency(HR, code="DISDUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil")
    unit = app.register_service_unit(HR, code="PKM-SUKAMAJU", name="Puskesmas Sukamaju", agency="DINKES")
    assert unit.event_id == "7ea755b7-8fc7-5ec0-8f1e-843155d3e0bc:1"
    budi = app.register_employee(
        HR,
        nip=NIP_BUDI,
        name="Budi Santoso",
        agency="DINKES",
        position="Perawat",
        grade="III/b",
        employment_type="PNS",
    )
    assert budi.event_id == "bfb7441e-b89b-5478-97a5-dc0085c960b2:1"
    assert budi.extra["employee_id"] == "bfb7441e-b89b-5478-97a5-dc0085c960b2"
    training = app.record_training(
        HR, NIP_BUDI, title="Pelatihan", hours_jp=2, completed_on="2026-01-10", provider="LAN"
    )
    assert (training.event_id, training.version) == ("bfb7441e-b89b-5478-97a5-dc0085c960b2:2", 2)
    program = app.launch_program(HR, code="PRG-STUNTING", name="Stunting", agencies=["DINKES", "DISDUKCAPIL"])
    assert program.event_id == "cabc5a08-5bc2-5509-abc3-760bfabad691:1"
    stream = app.stream(UUID("bfb7441e-b89b-5478-97a5-dc0085c960b2"))
    assert [(e.originator_version, e.topic) for e in stream] == [
        (1, "ledger.domain.employee:Employee.EmployeeRegistered"),
        (2, "ledger.domain.employee:Employee.TrainingCompleted"),
    ]
    assert app.employee(NIP_BUDI).id == UUID("bfb7441e-b89b-5478-97a5-dc0085c960b2")
    assert str(app.stream_id_of("service-unit", "PKM-SUKAMAJU")) == "7ea755b7-8fc7-5ec0-8f1e-843155d3e0bc"

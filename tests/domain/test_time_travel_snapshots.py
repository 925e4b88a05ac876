"""Time travel from snapshots (ledger/history.py): for random streams (back-dated events recorded
late, corrections, sanctions with appeals and decisions that refer to earlier events, refused
commands, several events at one instant) and random versions, recorded moments and effective
days, the read that starts from a stored snapshot gives exactly what the full replay gives.

Snapshots are taken every 2-6 events here (the application's interval is far larger), through
each write path: one command at a time, group commit, and the batched import."""

from __future__ import annotations

import contextlib
import itertools
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from eventsourcing.domain import Snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import KinerjaLedger
from ledger.clock import wib_date
from ledger.config import Settings
from ledger.domain.employee import Employee
from ledger.domain.service_unit import ServiceUnit
from ledger.domain.timeline import Timeline
from ledger.errors import LedgerError
from ledger.history import PastState, Selection, _from_snapshot, employee_events, employee_view, read
from ledger.importing import import_file
from tests.conftest import FakeClock
from tests.domain.test_ledger_properties import COMMANDS, run
from tests.factories import HR, nip_for

_counter = itertools.count(5000)
PAUSE = st.sampled_from([timedelta(0), timedelta(microseconds=1), timedelta(minutes=7), timedelta(days=40)])


def ledger_snapshotting_every(interval: int, store: Settings, clock: FakeClock) -> KinerjaLedger:
    class Ledger(KinerjaLedger):
        snapshotting_intervals = {ServiceUnit: 200, Employee: interval}  # noqa: RUF012

    return Ledger(store, clock=clock)


def outcome(app: KinerjaLedger, nip: str, selection: Selection, on: date | None, snapshots: bool) -> Any:
    try:
        past: PastState = read(app, nip, selection, snapshots=snapshots)
    except LedgerError as exc:
        return type(exc).__name__, str(exc)
    return (
        past.employee.version,
        employee_view(past.employee, on),
        [e.event_id for e in past.events],
    )


def check_every_selection(app: KinerjaLedger, nip: str, data: st.DataObject, interval: int) -> None:
    events = employee_events(app, nip)
    stream = Employee.create_id(nip)
    if len(events) >= interval:
        # The snapshot path is taken at all (else the comparisons below prove nothing).
        assert _from_snapshot(app, stream, Selection()) is not None
    selections: list[tuple[Selection, date | None]] = [
        (Selection(version=v), None) for v in range(len(events) + 2)
    ]
    days = sorted({e.effective_date + timedelta(days=d) for e in events for d in (-1, 0, 1)})
    for day in data.draw(st.lists(st.sampled_from(days), min_size=1, max_size=12, unique=True)):
        selections.append((Selection(effective_on=day), day))
    moments = sorted({e.recorded_at + timedelta(microseconds=d) for e in events for d in (-1, 0, 1)})
    for moment in data.draw(st.lists(st.sampled_from(moments), min_size=1, max_size=12, unique=True)):
        selections.append((Selection(recorded_by=moment), wib_date(moment)))
    selections.append((Selection(), None))
    for selection, on in selections:
        fast = outcome(app, nip, selection, on, snapshots=True)
        full = outcome(app, nip, selection, on, snapshots=False)
        assert fast == full, selection


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    interval=st.integers(2, 6),
    grouped=st.booleans(),
    commands=st.lists(st.tuples(COMMANDS, PAUSE), min_size=1, max_size=30),
    data=st.data(),
)
def test_snapshot_read_equals_full_replay(
    settings: Settings,
    clock: FakeClock,
    interval: int,
    grouped: bool,
    commands: list[tuple[tuple[str, dict[str, Any]], timedelta]],
    data: st.DataObject,
) -> None:
    app = ledger_snapshotting_every(interval, settings, clock)
    try:
        if grouped:
            app.enable_group_commit()
        n = next(_counter)
        nip, appraiser = nip_for(2 * n), nip_for(2 * n + 1)
        for code, name in (("DINKES", "Dinas Kesehatan"), ("DISDIK", "Dinas Pendidikan")):
            if next(iter(app.events.get(app.stream_id_of("agency", code), limit=1)), None) is None:  # type: ignore[call-arg]
                app.register_agency(HR, code=code, name=name)
        for who in (nip, appraiser):
            app.register_employee(
                HR,
                nip=who,
                name="Pegawai",
                agency="DINKES",
                position="Staf",
                grade="III/a",
                employment_type="PNS",
            )
        for (name, args), pause in commands:
            clock.now += pause
            with contextlib.suppress(LedgerError):  # a refused command writes nothing
                run(app, nip, appraiser, name, args)
        check_every_selection(app, nip, data, interval)
    finally:
        app.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    interval=st.integers(2, 5),
    days=st.lists(st.integers(0, 3000), min_size=1, max_size=25),
    transfers=st.lists(st.integers(0, 3000), max_size=4),
    data=st.data(),
)
def test_snapshots_of_the_batched_import_serve_time_travel(
    settings: Settings,
    clock: FakeClock,
    tmp_path: Path,
    interval: int,
    days: list[int],
    transfers: list[int],
    data: st.DataObject,
) -> None:
    """Lines in any order of their dates: the trainings and transfers are recorded together but
    take effect on their own days, so the effective selection is rarely a prefix."""
    n = next(_counter)
    nip = nip_for(n)
    start = date(2015, 1, 1)
    lines: list[dict[str, object]] = [
        {"kind": "agency", "source_ref": f"opd-{n}-a", "code": f"OPD{n}", "name": "Perangkat Daerah"},
        {"kind": "agency", "source_ref": f"opd-{n}-b", "code": f"OPD{n}B", "name": "Perangkat Daerah B"},
        {
            "kind": "employee",
            "source_ref": f"peg-{n}",
            "nip": nip,
            "name": "Pegawai",
            "agency": f"OPD{n}",
            "position": "Analis",
            "grade": "III/a",
            "employment_type": "PNS",
        },
    ]
    for i, offset in enumerate(days):
        completed = (start + timedelta(days=offset)).isoformat()
        lines.append(
            {
                "kind": "training",
                "source_ref": f"diklat-{n}-{i}",
                "nip": nip,
                "title": "Diklat",
                "hours_jp": 2,
                "completed_on": completed,
                "provider": "BKN",
            }
        )
    for i, offset in enumerate(transfers):
        agency = f"OPD{n}B" if i % 2 == 0 else f"OPD{n}"
        lines.append(
            {
                "kind": "transfer",
                "source_ref": f"mutasi-{n}-{i}",
                "nip": nip,
                "agency": agency,
                "position": f"Analis {i}",
                "effective_date": (start + timedelta(days=offset)).isoformat(),
            }
        )
    ordered = data.draw(st.permutations(lines[3:]))
    source = tmp_path / f"history-{n}.ndjson"
    source.write_text("".join(json.dumps(line) + "\n" for line in [*lines[:3], *ordered]), encoding="utf-8")
    app = ledger_snapshotting_every(interval, settings, clock)
    try:
        report = import_file(app, source)
        assert report.imported >= 3, report.refused[:3]
        check_every_selection(app, nip, data, interval)
    finally:
        app.close()


def test_the_timeline_travels_in_snapshots(settings: Settings, clock: FakeClock) -> None:
    """A snapshot carries every version's effective date and recorded time; one taken before
    timelines were kept (none in its state) is not used, and the next snapshot has one again."""
    app = ledger_snapshotting_every(2, settings, clock)
    try:
        nip = nip_for(next(_counter))
        app.register_agency(HR, code="DINKES", name="Dinas Kesehatan")
        app.register_employee(
            HR, nip=nip, name="P", agency="DINKES", position="S", grade="III/a", employment_type="PNS"
        )
        first = clock.now
        clock.now += timedelta(hours=1)
        app.record_training(HR, nip, title="Latsar", hours_jp=24, completed_on="2024-06-10", provider="BPSDM")
        assert app.snapshots is not None
        stream = Employee.create_id(nip)
        (snapshot,) = app.snapshots.get(stream)
        effective = [date(2012, 1, 1).toordinal(), date(2024, 6, 10).toordinal()]  # the TMT of the NIP
        recorded = [_us(first), _us(clock.now)]
        assert snapshot.state["timeline"] == {
            "effective": [effective[0], effective[1] - effective[0]],
            "recorded": [recorded[0], recorded[1] - recorded[0]],
            "last": [effective[1], recorded[1]],
        }
        assert Timeline.of_state(snapshot.state, 2) == Timeline(effective, recorded)
        assert Timeline.of_state(snapshot.state, 3) is None
        assert _from_snapshot(app, stream, Selection(effective_on=date(2024, 6, 10))) is not None

        # Version 3 snapshotted as before timelines were kept: not used, the full replay is.
        app.record_feedback(HR, nip, source="PEER", score=4)
        older = Snapshot.take(app.employee(nip))
        del older.state["timeline"]
        app.snapshots.put([older])
        assert _from_snapshot(app, stream, Selection()) is None
        assert outcome(app, nip, Selection(), None, True) == outcome(app, nip, Selection(), None, False)
        # The next snapshot is loaded from it (no timeline), so it is folded again from the start.
        app.record_feedback(HR, nip, source="PEER", score=3)
        assert [s.originator_version for s in app.snapshots.get(stream)] == [2, 3, 4]
        newest = next(iter(app.snapshots.get(stream, desc=True, limit=1)))
        assert Timeline.of_state(newest.state, 4) is not None
        assert _from_snapshot(app, stream, Selection(effective_on=date(2024, 6, 10))) is not None
    finally:
        app.close()


def _us(moment: datetime) -> int:
    return (moment - datetime(1970, 1, 1, tzinfo=moment.tzinfo)) // timedelta(microseconds=1)

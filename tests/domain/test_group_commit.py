"""Group commit (ledger.group_commit): concurrent commands share one transaction, each answered
with its own positions after the commit; a command that collides with another of its group
fails alone, and nothing of it is written."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from eventsourcing.persistence import IntegrityError

from ledger.application import CommandResult, KinerjaLedger
from ledger.config import Settings
from ledger.domain.employee import Employee
from ledger.group_commit import GroupCommitter, _Command
from ledger.vocabulary import FeedbackSource
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_basic

NIP_OTHER = "199001152015031003"


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_concurrent_commands_share_one_transaction(settings: Settings) -> None:
    app = KinerjaLedger(settings)
    try:
        seed_basic(app)
        app.enable_group_commit()
        committer = app.committer
        assert committer is not None
        taken, release = threading.Event(), threading.Event()
        real_write = committer._write

        def write_first_slowly(group: list[_Command]) -> None:
            if not taken.is_set():
                taken.set()
                release.wait(10)  # meanwhile the next commands queue up
            real_write(group)

        committer._write = write_first_slowly  # type: ignore[method-assign]
        results: dict[str, CommandResult] = {}

        def training(nip: str) -> None:
            results[nip] = app.record_training(
                HR, nip, title="Diklat", hours_jp=2, completed_on="2026-01-05", provider="BPSDM"
            )

        def register() -> None:
            results["new"] = app.register_employee(
                HR,
                nip=NIP_OTHER,
                name="Joko",
                agency="DINKES",
                position="Perawat Ahli Pertama",
                grade="III/b",
                employment_type="PNS",
            )

        first = threading.Thread(target=training, args=(NIP_SARI,))
        first.start()
        taken.wait(10)
        others = [threading.Thread(target=training, args=(NIP_BUDI,)), threading.Thread(target=register)]
        for t in others:
            t.start()
        wait_for(lambda: len(committer._queue) == 2)
        release.set()
        for t in (first, *others):
            t.join(20)
        assert committer.groups == 2  # Sari's alone, then Budi's and the registration together
        assert results[NIP_SARI].position == 4
        assert sorted(r.position for r in results.values()) == [4, 5, 6]
        assert [s.originator_version for s in app.stream(Employee.create_id(NIP_BUDI))] == [1, 2]
    finally:
        app.close()


def test_a_colliding_command_fails_alone(settings: Settings) -> None:
    app = KinerjaLedger(settings)
    try:
        seed_basic(app)
        committer = GroupCommitter(app.recorder)
        budi = app.employee(NIP_BUDI)
        sari = app.employee(NIP_SARI)
        events = []
        for employee in (budi, sari):
            employee.receive_feedback(app.envelope(HR), source=FeedbackSource.PEER, score=3, comment=None)
            events.append([app.mapper.to_stored_event(e) for e in employee.collect_events()])
        again = app.employee(NIP_BUDI)  # the same version of Budi: collides with the first
        again.receive_feedback(app.envelope(HR), source=FeedbackSource.PEER, score=4, comment=None)
        events.append([app.mapper.to_stored_event(e) for e in again.collect_events()])
        group = [_Command(e, None) for e in events]
        committer._write(group)
        assert [c.ids for c in group[:2]] == [[4], [5]]
        assert isinstance(group[2].error, IntegrityError) and group[2].ids == []
        assert committer.groups == 1
        assert [s.originator_version for s in app.stream(Employee.create_id(NIP_BUDI))] == [1, 2]
        committer.close()
    finally:
        app.close()


def test_a_group_that_fails_as_a_whole_is_written_command_by_command(settings: Settings) -> None:
    """A command that collides with the store (not with its group) fails the group's write; the
    others are then written alone and succeed, and only it gets the error."""
    app = KinerjaLedger(settings)
    try:
        seed_basic(app)
        committer = GroupCommitter(app.recorder)
        stale = app.employee(NIP_BUDI)
        app.record_feedback(HR, NIP_BUDI, source="PEER", score=1)  # Budi moves to version 2
        stale.receive_feedback(app.envelope(HR), source=FeedbackSource.PEER, score=4, comment=None)
        sari = app.employee(NIP_SARI)
        sari.receive_feedback(app.envelope(HR), source=FeedbackSource.PEER, score=3, comment=None)
        group = [
            _Command([app.mapper.to_stored_event(e) for e in agg.collect_events()], None)
            for agg in (stale, sari)
        ]
        committer._write(group)
        assert isinstance(group[0].error, IntegrityError)
        assert group[1].error is None and group[1].ids == [app.recorder.max_notification_id()]
        assert committer.groups == 1
        committer.close()
        assert [s.originator_version for s in app.stream(Employee.create_id(NIP_BUDI))] == [1, 2]
        assert [s.originator_version for s in app.stream(Employee.create_id(NIP_SARI))] == [1, 2]
    finally:
        app.close()

"""Concurrent writers to one employee: one wins, the other gets a conflict; nothing lost or doubled.

Real threads on the parametrised store (CI runs it on PostgreSQL too).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from ledger.application import KinerjaLedger
from ledger.config import Settings
from ledger.domain.employee import Employee
from ledger.errors import Conflict
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_basic


def two_writers(app: KinerjaLedger, write: Callable[[int], None]) -> list[str]:
    """Both writers load Budi at the same version, then write; what each got."""
    barrier = threading.Barrier(2, timeout=10)
    real_get = app.repository.get
    loaded: set[str] = set()

    def get_then_wait(*args: Any, **kwargs: Any) -> Any:
        aggregate = real_get(*args, **kwargs)
        name = threading.current_thread().name
        if isinstance(aggregate, Employee) and name.startswith("writer") and name not in loaded:
            loaded.add(name)
            barrier.wait()  # both writers now hold the same version
        return aggregate

    app.repository.get = get_then_wait  # type: ignore[method-assign]
    outcomes: list[str] = []

    def run(n: int) -> None:
        try:
            write(n)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=run, args=(n,), name=f"writer-{n}") for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    app.repository.get = real_get  # type: ignore[method-assign]
    return sorted(outcomes)


def test_two_writers_one_wins(settings: Settings) -> None:
    """A command whose validity depends on the record's state: the second writer gets 409."""
    app = KinerjaLedger(settings)
    try:
        seed_basic(app)
        outcomes = two_writers(
            app,
            lambda n: app.record_appraisal(
                HR,
                NIP_BUDI,
                period=str(2024 + n),
                appraiser_nip=NIP_SARI,
                hasil_kerja="SESUAI_EKSPEKTASI",
                perilaku_kerja="SESUAI_EKSPEKTASI",
            ),
        )
        assert outcomes == ["conflict", "ok"]
        stream = app.stream(Employee.create_id(NIP_BUDI))
        assert [s.originator_version for s in stream] == [1, 2]
    finally:
        app.close()


def test_two_writers_of_an_append_only_command_both_win(settings: Settings) -> None:
    """A feedback does not depend on the record's version: the writer that lost the race is
    decided again on the new state and appended after the other, no 409."""
    app = KinerjaLedger(settings)
    try:
        seed_basic(app)
        outcomes = two_writers(
            app, lambda n: app.record_feedback(HR, NIP_BUDI, source="PEER", score=2 + n, comment=f"w{n}")
        )
        assert outcomes == ["ok", "ok"]
        stream = app.stream(Employee.create_id(NIP_BUDI))
        assert [s.originator_version for s in stream] == [1, 2, 3]
        comments = {
            app.mapper.to_domain_event(
                app.recorder.select_events(stream[0].originator_id, gt=v, limit=1)[0]
            ).comment
            for v in (1, 2)
        }  # type: ignore[attr-defined]
        assert comments == {"w0", "w1"}
    finally:
        app.close()


def test_many_writers_with_retries_lose_nothing(settings: Settings) -> None:
    app = KinerjaLedger(settings)
    try:
        seed_basic(app)
        per_thread, threads_n = 15, 6
        done: Counter[str] = Counter()
        lock = threading.Lock()

        def worker(n: int) -> None:
            for i in range(per_thread):
                while True:
                    try:
                        app.record_feedback(
                            HR, NIP_BUDI, source="PEER", score=1 + (n + i) % 4, comment=f"{n}-{i}"
                        )
                        break
                    except Conflict:
                        continue
                with lock:
                    done["ok"] += 1

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert done["ok"] == per_thread * threads_n
        stream = app.stream(Employee.create_id(NIP_BUDI))
        assert [s.originator_version for s in stream] == list(range(1, 2 + per_thread * threads_n))
        comments = [
            app.mapper.to_domain_event(s).comment
            for s in app.events.recorder.select_events(stream[0].originator_id, gt=1)
        ]  # type: ignore[attr-defined]
        assert len(comments) == len(set(comments)) == per_thread * threads_n
        positions = [s.position for s in stream]
        assert positions == sorted(positions)
    finally:
        app.close()

"""Concurrent writers to one employee: one wins, the other gets a conflict; nothing lost or doubled.

Real threads on the parametrised store (CI runs it on PostgreSQL too).
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from ledger.application import KinerjaLedger
from ledger.config import Settings
from ledger.domain.employee import Employee
from ledger.errors import Conflict
from tests.factories import HR, NIP_BUDI, seed_basic


def test_two_writers_one_wins(settings: Settings) -> None:
    app = KinerjaLedger(settings)
    try:
        seed_basic(app)
        barrier = threading.Barrier(2, timeout=10)
        real_get = app.repository.get

        def get_then_wait(*args: Any, **kwargs: Any) -> Any:
            aggregate = real_get(*args, **kwargs)
            if isinstance(aggregate, Employee) and threading.current_thread().name.startswith("writer"):
                barrier.wait()  # both writers now hold the same version
            return aggregate

        app.repository.get = get_then_wait  # type: ignore[method-assign]
        outcomes: list[str] = []

        def write(score: int) -> None:
            try:
                app.record_feedback(HR, NIP_BUDI, source="PEER", score=score)
                outcomes.append("ok")
            except Conflict:
                outcomes.append("conflict")

        threads = [threading.Thread(target=write, args=(s,), name=f"writer-{s}") for s in (2, 3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        app.repository.get = real_get  # type: ignore[method-assign]
        assert sorted(outcomes) == ["conflict", "ok"]
        stream = app.stream(Employee.create_id(NIP_BUDI))
        assert [s.originator_version for s in stream] == [1, 2]
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

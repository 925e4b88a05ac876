"""Position handling around generations: slots at different positions, switches that come
too late, and a restart in the middle of a version-bump rebuild."""

from __future__ import annotations

from ledger.application import KinerjaLedger
from projections.runner import ProjectionRunner, Slot
from tests.conftest import HR
from tests.factories import NIP_BUDI, seed_basic
from tests.projection_support import (
    Counter,
    Tally,
    active_generations,
    notification_ids,
    positions,
    snapshot,
    tally_positions,
)


def history(app: KinerjaLedger, trainings: int = 10) -> list[int]:
    seed_basic(app)
    more_trainings(app, trainings)
    return notification_ids(app)


def more_trainings(app: KinerjaLedger, n: int, start: int = 0) -> None:
    for k in range(start, start + n):
        app.record_training(
            HR, NIP_BUDI, title=f"Diklat {k}", hours_jp=2, completed_on="2025-06-01", provider="BPSDM"
        )


def counted(app: KinerjaLedger) -> list[int]:
    with app.sql.transaction(write=False) as tx:
        rows = tx.query("SELECT position FROM rm_counter_applied ORDER BY position")
    return [int(r["position"]) for r in rows]


def slot(runner: ProjectionRunner, name: str, generation: int) -> Slot:
    [found] = [s for s in runner.slots() if (s.name, s.generation) == (name, generation)]
    return found


def test_a_lagging_projection_catches_up_alone_then_shares_the_batches(app: KinerjaLedger) -> None:
    ids = history(app)
    ProjectionRunner(app, [Tally()], batch_size=2).run_once(max_batches=2)  # tally at ids[3]
    progress: list[tuple[str, int, int]] = []
    runner = ProjectionRunner(
        app,
        [Counter(), Tally()],
        batch_size=2,
        on_progress=lambda s, position, count: progress.append((s.name, position, count)),
    )
    # The counter (new, at 0) runs alone until it reaches the tally; from there on each batch
    # is one read and one transaction for both (so four batches take both to ids[7]), and
    # nothing is applied to the tally a second time.
    done = runner.run_once(max_batches=4)
    assert positions(app) == {("counter", 1): ids[7], ("tally", 1): ids[7]}
    done += runner.run_once()
    alone = [("counter", ids[1], 2), ("counter", ids[3], 2)]
    shared: list[tuple[str, int, int]] = []
    for start in range(4, len(ids), 2):
        batch = ids[start : start + 2]
        shared += [("counter", batch[-1], len(batch)), ("tally", batch[-1], len(batch))]
    assert progress == alone + shared
    assert done == len(ids) + (len(ids) - 4)
    assert counted(app) == ids
    assert tally_positions(app) == ids
    assert positions(app) == {("counter", 1): ids[-1], ("tally", 1): ids[-1]}


def test_a_switch_brings_a_lagging_old_generation_level_before_comparing(app: KinerjaLedger) -> None:
    ids = history(app)
    runner = ProjectionRunner(app, [Tally()], batch_size=2)
    runner.run_once(max_batches=2)  # generation 1 stops at ids[3]
    assert runner.start_rebuild("tally") == 2
    building = slot(runner, "tally", 2)
    runner.process_batch([building], runner._read(0, 1_000))
    report = runner.try_switch(building)
    assert report is not None
    assert (report.old_generation, report.new_generation, report.position) == (1, 2, ids[-1])
    # Generation 1 was brought to the same position first: the two agree row for row.
    assert [(d.table, d.only_old, d.only_new, d.comparable) for d in report.diffs] == [("seen", 0, 0, True)]
    assert active_generations(app) == {"tally": 2}
    assert positions(app) == {("tally", 2): ids[-1]}
    assert tally_positions(app) == ids


def test_a_switch_of_a_generation_that_is_already_active_does_nothing(app: KinerjaLedger) -> None:
    ids = history(app)
    a = ProjectionRunner(app, [Tally()], batch_size=4)
    a.run_once()
    a.start_rebuild("tally")
    late = slot(a, "tally", 2)  # a's view of generation 2, before b switches it in
    b = ProjectionRunner(app, [Tally()], batch_size=4)
    b.run_once()
    assert active_generations(app) == {"tally": 2}
    rows = snapshot(app, [Tally()])
    assert a.try_switch(late) is None
    assert "tally" not in a.reports
    assert active_generations(app) == {"tally": 2}
    assert positions(app) == {("tally", 2): ids[-1]}
    assert snapshot(app, [Tally()]) == rows


def test_a_switch_of_a_generation_dropped_meanwhile_does_nothing(app: KinerjaLedger) -> None:
    ids = history(app)
    a = ProjectionRunner(app, [Tally()], batch_size=4)
    a.run_once()
    a.start_rebuild("tally")
    dropped = slot(a, "tally", 2)
    assert ProjectionRunner(app, [Tally()]).start_rebuild("tally") == 3  # drops generation 2
    assert a.try_switch(dropped) is None
    assert active_generations(app) == {"tally": 1}
    assert positions(app) == {("tally", 1): ids[-1], ("tally", 3): 0}
    assert tally_positions(app) == ids


class TallyV2(Tally):
    version = 2


class TallyV3(Tally):
    version = 3


def test_a_restart_during_a_version_bump_resumes_the_rebuild(app: KinerjaLedger) -> None:
    ids = history(app)
    ProjectionRunner(app, [Tally()]).run_once()
    first = ProjectionRunner(app, [TallyV2()], batch_size=2)
    first.run_once(max_batches=2)
    assert positions(app) == {("tally", 1): ids[-1], ("tally", 2): ids[3]}
    more_trainings(app, 3, start=100)
    everything = notification_ids(app)

    # A restarted worker with the same code keeps generation 2 where it was...
    driven: set[tuple[str, int]] = set()
    restarted = ProjectionRunner(
        app,
        [TallyV2()],
        batch_size=2,
        on_progress=lambda s, position, count: driven.add((s.name, s.generation)),
    )
    restarted.setup()
    assert positions(app) == {("tally", 1): ids[-1], ("tally", 2): ids[3]}
    # ...and the old code's generation stays frozen (not even the new events reach it): the
    # new code never writes to tables an older version laid out.
    restarted.run_once(max_batches=1)
    assert positions(app) == {("tally", 1): ids[-1], ("tally", 2): ids[5]}
    restarted.run_once()
    assert driven == {("tally", 2)}
    assert active_generations(app) == {"tally": 2}
    assert positions(app) == {("tally", 2): everything[-1]}
    assert tally_positions(app) == everything
    [status] = restarted.status()
    assert (status.generation, status.version, status.active, status.lag) == (2, 2, True, 0)


def test_a_newer_version_replaces_an_unfinished_rebuild_of_an_older_one(app: KinerjaLedger) -> None:
    ids = history(app)
    ProjectionRunner(app, [Tally()]).run_once()
    ProjectionRunner(app, [TallyV2()], batch_size=2).run_once(max_batches=2)
    newer = ProjectionRunner(app, [TallyV3()], batch_size=2)
    newer.setup()
    assert positions(app) == {("tally", 1): ids[-1], ("tally", 3): 0}
    newer.run_once()
    assert active_generations(app) == {"tally": 3}
    assert positions(app) == {("tally", 3): ids[-1]}
    assert tally_positions(app) == ids

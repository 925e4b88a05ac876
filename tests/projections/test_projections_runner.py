"""The runner: exactly-once resumption at any crash point, blue/green rebuilds, status and lag."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import KinerjaLedger
from ledger.config import Settings
from ledger.errors import LedgerError
from ledger.sqlstore import Sql
from projections.base import POSITIONS_TABLE, REGISTRY_TABLE
from projections.runner import ProjectionRunner, StaleSlot
from tests.conftest import HR, FakeClock, reset_postgres
from tests.factories import nip_for
from tests.projection_support import (
    Counter,
    Tally,
    all_projections,
    assert_exactly_once_and_equal_to_rebuild,
    positions,
    snapshot,
)

NIPS = [nip_for(i) for i in range(4)]
# PostgreSQL examples cost about a second each (DDL of every generation): fewer there, same
# properties. Counted per store, so a run over both stores does not starve SQLite either.
CRASH_EXAMPLES = {"sqlite": 25, "postgres": 8}
STOP_EXAMPLES = {"sqlite": 10, "postgres": 4}
AGENCIES = ["DINKES", "DISDIK"]
PERIODS = ["2025", "2025-01..2025-06", "2025-07..2025-12", "2024"]
RATINGS = ["DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"]
AWARDS = ["PIAGAM_INOVASI", "SATYALANCANA_KARYA_SATYA_20", "INSENTIF", "KENAIKAN_PANGKAT_ISTIMEWA"]
PENALTIES = [
    ("RINGAN", "TEGURAN_TERTULIS", "ATASAN_LANGSUNG"),
    ("SEDANG", "POTONGAN_TUKIN_6", "SEKDA"),
    ("BERAT", "PENURUNAN_JABATAN", "PPK"),
    ("BERAT", "PEMBERHENTIAN", "PPK"),
]
OPS = [
    "register", "appraise", "correct", "train", "survey", "assign", "transfer", "award",
    "revoke_award", "sanction", "revoke_sanction", "appeal", "join", "outcome", "rate", "tick",
]  # fmt: skip


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing in the runner catches it."""


@contextmanager
def fresh_app(store: str, pg_url: str | None) -> Iterator[tuple[KinerjaLedger, FakeClock]]:
    clock = FakeClock(datetime(2025, 7, 1, 2, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as tmp:
        if store == "sqlite":
            s = Settings(f"sqlite:///{Path(tmp) / 'ledger.db'}", Path(tmp), "kinerja-ledger/test")
        else:
            assert pg_url is not None
            reset_postgres(pg_url)
            s = Settings(pg_url, Path(tmp), "kinerja-ledger/test")
        app = KinerjaLedger(s, clock=clock)
        try:
            yield app, clock
        finally:
            app.close()


def build_history(app: KinerjaLedger, clock: FakeClock, ops: list[tuple[str, int, int]]) -> None:
    """Apply generated operations through the application service; rejected ones are skipped."""
    app.register_agency(HR, code="DINKES", name="Dinas Kesehatan")
    app.register_agency(HR, code="DISDIK", name="Dinas Pendidikan")
    app.register_service_unit(HR, code="PKM-A", name="Puskesmas A", agency="DINKES")
    app.launch_program(HR, code="UKS", name="UKS", agencies=AGENCIES)
    ids: dict[str, list[str]] = {"appraisal": [], "award": [], "sanction": [], "appeal": []}
    for i in range(2):
        app.register_employee(
            HR, nip=NIPS[i], name=f"P{i}", agency="DINKES", position="Perawat", grade="III/a",
            employment_type="PNS",
        )  # fmt: skip
    for op, i, j in ops:
        nip = NIPS[i]
        try:
            if op == "register":
                app.register_employee(
                    HR, nip=nip, name=f"P{i}", agency=AGENCIES[i % 2], position="Staf", grade="III/b",
                    employment_type="PPPK" if j % 2 else "PNS",
                )  # fmt: skip
            elif op == "appraise":
                r = app.record_appraisal(
                    HR, nip, period=PERIODS[j], hasil_kerja=RATINGS[j % 3], perilaku_kerja=RATINGS[i % 3],
                    appraiser_nip=NIPS[(i + 1) % 4],
                )  # fmt: skip
                ids["appraisal"].append(f"{nip}|{r.event_id}")
            elif op == "correct":
                mine = [x.split("|")[1] for x in ids["appraisal"] if x.startswith(nip)]
                if mine:
                    app.correct_appraisal(HR, nip, mine[-1], reason="koreksi", hasil_kerja=RATINGS[j % 3])
            elif op == "train":
                app.record_training(
                    HR, nip, title="Diklat", hours_jp=4 * (j + 1) + 0.5 * (i % 2),
                    completed_on=f"2025-0{j + 1}-15", provider="BPSDM",
                )  # fmt: skip
            elif op == "survey":
                answers = {f"U{k}": 1 + (k + j) % 4 for k in range(1, 10)}
                app.submit_survey(
                    HR, service_unit="PKM-A", answers=answers, officer_code=f"O{i}" if j % 2 else None
                )
            elif op == "assign":
                app.assign_to_service_unit(HR, nip, service_unit="PKM-A", officer_code=f"O{i}")
            elif op == "transfer":
                employee = app.employee(nip)
                other = AGENCIES[1 - AGENCIES.index(employee.agency)]
                app.transfer_employee(
                    HR, nip, agency=other, position="Staf", effective_date=f"2025-0{j + 1}-01"
                )
            elif op == "award":
                r = app.grant_award(
                    HR, nip, award_type=AWARDS[j], reason="baik", decree_number=f"SK-{len(ids['award'])}",
                    decree_date=f"2025-0{j + 2}-10",
                )  # fmt: skip
                ids["award"].append(f"{nip}|{r.event_id}")
            elif op == "revoke_award":
                mine = [x.split("|")[1] for x in ids["award"] if x.startswith(nip)]
                if mine:
                    app.revoke_award(HR, nip, mine[0], reason="salah", decree_number="SK-R")
            elif op == "sanction":
                level, penalty, role = PENALTIES[j]
                r = app.impose_sanction(
                    HR, nip, violation={"description": "bolos", "level": level}, penalty=penalty,
                    decided_by_role=role, decided_by_name="Pejabat", decree_number=f"HD-{len(ids['sanction'])}",
                    decided_on=f"2025-0{j + 2}-01", summoned_on=f"2025-0{j + 1}-20", examined_on=f"2025-0{j + 1}-25",
                    bap_number=f"BAP-{len(ids['sanction'])}",
                )  # fmt: skip
                ids["sanction"].append(f"{nip}|{r.event_id}")
            elif op == "revoke_sanction":
                mine = [x.split("|")[1] for x in ids["sanction"] if x.startswith(nip)]
                if mine:
                    app.revoke_sanction(HR, nip, mine[-1], reason="dicabut", decree_number="HD-R")
            elif op == "appeal":
                mine = [x.split("|")[1] for x in ids["sanction"] if x.startswith(nip)]
                if mine:
                    kind = "BANDING" if j == 3 else "KEBERATAN"
                    a = app.file_appeal(HR, nip, mine[-1], kind=kind, filed_on="2025-06-01")
                    outcome = ["UPHELD", "ANNULLED", "MODIFIED", "MODIFIED"][j]
                    app.decide_appeal(
                        HR, nip, mine[-1], a.event_id, outcome=outcome, decided_on="2025-06-20",
                        decree_number="KEB-1", new_penalty="TEGURAN_LISAN" if outcome == "MODIFIED" else None,
                    )  # fmt: skip
            elif op == "join":
                app.add_program_participant(HR, "UKS", nip=nip, role="anggota")
            elif op == "outcome":
                app.record_program_outcome(
                    HR, "UKS", indicator="sekolah", target=10, achieved=j * 3, period="2025"
                )
            elif op == "rate":
                app.rate_agency(
                    HR,
                    AGENCIES[i % 2],
                    year=2025,
                    predikat_organisasi=["ISTIMEWA", "BAIK", "KURANG", "SANGAT_KURANG"][j],
                )
            elif op == "tick":
                clock.advance(days=15 * (j + 1))
        except LedgerError:
            pass


class CrashingSql:
    """An Sql cursor that dies at the n-th statement: a crash anywhere in the write path
    (inside process(), in finish_batch, at the tracking update, just before the commit)."""

    def __init__(self, inner: Sql, calls: list[int], n: float) -> None:
        self.inner, self.calls, self.n = inner, calls, n
        self.dialect = inner.dialect

    def _tick(self) -> None:
        self.calls[0] += 1
        if self.calls[0] > self.n:
            raise Crash

    def execute(self, statement: str, params: Any = ()) -> None:
        self._tick()
        self.inner.execute(statement, params)

    def executemany(self, statement: str, rows: Any) -> None:
        self._tick()
        self.inner.executemany(statement, rows)

    def query(self, statement: str, params: Any = ()) -> list[dict[str, Any]]:
        self._tick()
        return self.inner.query(statement, params)

    def one(self, statement: str, params: Any = ()) -> dict[str, Any] | None:
        rows = self.query(statement, params)
        return rows[0] if rows else None

    def scalar(self, statement: str, params: Any = ()) -> Any:
        row = self.one(statement, params)
        return next(iter(row.values())) if row else None


@contextmanager
def crash_at_statement(app: KinerjaLedger, n: int | None) -> Iterator[list[int]]:
    """Counts the write path's statements (plus one per commit) and raises Crash at statement
    n + 1; with n None it only counts. Yields the counter."""
    original = app.sql.transaction
    calls = [0]
    limit = n if n is not None else float("inf")

    @contextmanager
    def transaction(*, write: bool = True, **options: Any) -> Iterator[Any]:
        with original(write=write, **options) as tx:
            yield CrashingSql(tx, calls, limit) if write else tx
            if write:
                calls[0] += 1
                if calls[0] > limit:
                    raise Crash  # after every statement, before the commit

    app.sql.transaction = transaction  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        app.sql.transaction = original  # type: ignore[method-assign]


def schema_objects(app: KinerjaLedger) -> set[tuple[str, str]]:
    """Tables, views, indexes, triggers and functions of the database (kind, name)."""
    with app.sql.transaction(write=False) as tx:
        if tx.dialect == "sqlite":
            rows = tx.query("SELECT type AS kind, name FROM sqlite_master")
        else:
            rows = tx.query(
                "SELECT 'table' AS kind, tablename AS name FROM pg_tables WHERE schemaname = current_schema() "
                "UNION ALL SELECT 'view', viewname FROM pg_views WHERE schemaname = current_schema() "
                "UNION ALL SELECT 'index', indexname FROM pg_indexes WHERE schemaname = current_schema() "
                "UNION ALL SELECT 'trigger', tgname FROM pg_trigger WHERE NOT tgisinternal "
                "UNION ALL SELECT 'function', p.proname FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()"
            )
    return {(r["kind"], r["name"]) for r in rows}


def drop_created_since(app: KinerjaLedger, before: set[tuple[str, str]]) -> None:
    """Undo a projection run: drop every view, table and function created since `before`
    (indexes and triggers go with their tables)."""
    created = schema_objects(app) - before
    with app.sql.transaction() as tx:
        for kind in ("view", "table", "function"):
            for _, name in sorted(o for o in created if o[0] == kind):
                tx.execute(f"DROP {kind.upper()} IF EXISTS {name}")


def clean_run_statements(app: KinerjaLedger, batch_size: int) -> int:
    """How many statements a crash-free catch-up of this history issues; the projection state it
    built is dropped again, so the next runner starts from exactly the same database."""
    before = schema_objects(app)
    runner = ProjectionRunner(app, all_projections(), batch_size=batch_size)
    runner.setup()
    with crash_at_statement(app, None) as calls:
        runner.run_once()
    assert not runner.errors, runner.errors
    drop_created_since(app, before)
    assert schema_objects(app) == before
    return calls[0]


ops_strategy = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 3), st.integers(0, 3)), min_size=4, max_size=28
)


@pytest.fixture
def pg_url(store: str, request: pytest.FixtureRequest) -> str | None:
    return str(request.getfixturevalue("postgres_url")) if store == "postgres" else None


def test_any_crash_point_resumes_exactly_once(store: str, pg_url: str | None) -> None:
    """A runner dies at a statement drawn from those a clean run of the same history issues (so
    every example really crashes, anywhere from the first batch to the commit of the last);
    the next runner resumes with every event applied exactly once."""

    @settings(max_examples=CRASH_EXAMPLES[store], deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=ops_strategy, batch_size=st.sampled_from([1, 2, 5, 500]), data=st.data())
    def crash_anywhere(ops: list[tuple[str, int, int]], batch_size: int, data: st.DataObject) -> None:
        with fresh_app(store, pg_url) as (app, clock):
            build_history(app, clock, ops)
            count = clean_run_statements(app, batch_size)
            crash_point = data.draw(st.integers(0, count - 1), label="crash_point")
            dying = ProjectionRunner(app, all_projections(), batch_size=batch_size)
            dying.setup()
            with crash_at_statement(app, crash_point) as calls, pytest.raises(Crash):
                dying.run_once()
            assert calls[0] == crash_point + 1
            assert_exactly_once_and_equal_to_rebuild(app)

    crash_anywhere()


# Employee 0 serves at PKM-A; the clock moves into 2026, where the unit gets one survey (not
# enough to count, so nothing of 2026 is cited for him); then a dismissal effective in 2025, in
# force for good. Event 9 is the survey, event 10 the dismissal.
DISMISSED_AFTER_A_2026_SURVEY = [
    ("assign", 0, 0), ("tick", 0, 3), ("tick", 0, 3), ("tick", 0, 3), ("tick", 0, 3),
    ("survey", 0, 0), ("sanction", 0, 3),
]  # fmt: skip


def scorecard_years(app: KinerjaLedger, nip: str) -> list[tuple[int, str, list[str]]]:
    """(year, adjustments, cited events) of the employee's scorecards, and the same years ranked."""
    with app.sql.transaction(write=False) as tx:
        cards = tx.query(
            "SELECT year, adjustments FROM rm_scorecards_scorecards WHERE nip=? ORDER BY year", (nip,)
        )
        ranked = tx.query("SELECT year FROM rm_scorecards_rankings WHERE nip=? ORDER BY year", (nip,))
        components = tx.query(
            "SELECT year, component FROM rm_scorecards_components WHERE nip=? ORDER BY year, component",
            (nip,),
        )
    assert [r["year"] for r in ranked] == [r["year"] for r in cards]
    by_year: dict[int, list[str]] = {}
    for c in components:
        by_year.setdefault(c["year"], []).append(c["component"])
    return [(r["year"], r["adjustments"], by_year[r["year"]]) for r in cards]


COMPONENTS = ["awards", "citizen_satisfaction", "collaboration", "predikat", "sanctions", "training"]


@pytest.mark.parametrize("batch_size", [1, 2, 5, 500])
def test_a_dismissal_gives_later_years_no_scorecard_whatever_the_batches(
    store: str, pg_url: str | None, batch_size: int
) -> None:
    """A later year touched before the dismissal was processed (batch size 1) used to get no
    scorecard, one touched in the same batch (500) one citing only the dismissal: a fresh rebuild
    differed from the incremental state. The dismissal counts for 2025, the year it takes effect."""
    with fresh_app(store, pg_url) as (app, clock):
        build_history(app, clock, DISMISSED_AFTER_A_2026_SURVEY)
        ProjectionRunner(app, all_projections(), batch_size=batch_size).run_once()
        assert scorecard_years(app, NIPS[0]) == [(2025, "-15.00", COMPONENTS)]
        assert_exactly_once_and_equal_to_rebuild(app)
        assert scorecard_years(app, NIPS[0]) == [(2025, "-15.00", COMPONENTS)]


def test_a_crash_resumed_in_other_batches_equals_the_rebuild_after_a_dismissal(
    store: str, pg_url: str | None
) -> None:
    """The example the crash property found: the runner (batch size 2) dies in its second batch;
    the next one (batch size 50) resumes at event 3 and so gets the 2026 survey (event 50) and the
    dismissal (event 51) in one batch, which a rebuild from event 1 splits."""
    padding = [("train", 1, 0)] * 41  # employee 1's trainings: the survey becomes event 50
    with fresh_app(store, pg_url) as (app, clock):
        build_history(
            app, clock, [DISMISSED_AFTER_A_2026_SURVEY[0], *padding, *DISMISSED_AFTER_A_2026_SURVEY[1:]]
        )
        notifications = app.recorder.select_notifications(None, 100)
        assert [(n.id, n.topic.rsplit(".", 1)[-1]) for n in notifications[49:]] == [
            (50, "SurveyResponseReceived"),
            (51, "SanctionImposed"),
        ]
        first_batch = ProjectionRunner(app, all_projections(), batch_size=2)
        first_batch.setup()
        with crash_at_statement(app, None) as calls:
            first_batch.run_once(max_batches=1)
        dying = ProjectionRunner(app, all_projections(), batch_size=2)
        with crash_at_statement(app, calls[0]), pytest.raises(Crash):
            dying.run_once()  # the second batch dies at its first statement
        assert positions(app)[("scorecards", 1)] == 2
        assert_exactly_once_and_equal_to_rebuild(app)
        assert scorecard_years(app, NIPS[0]) == [(2025, "-15.00", COMPONENTS)]


def test_a_dismissal_counts_in_a_later_year_with_an_event_of_its_own(store: str, pg_url: str | None) -> None:
    """Joining a programme in 2026 gives that year a scorecard, and the dismissal counts in it."""
    with fresh_app(store, pg_url) as (app, clock):
        build_history(app, clock, [*DISMISSED_AFTER_A_2026_SURVEY, ("join", 0, 0)])
        ProjectionRunner(app, all_projections(), batch_size=1).run_once()
        assert scorecard_years(app, NIPS[0]) == [(2025, "-15.00", COMPONENTS), (2026, "-15.00", COMPONENTS)]
        assert_exactly_once_and_equal_to_rebuild(app)
        assert scorecard_years(app, NIPS[0]) == [(2025, "-15.00", COMPONENTS), (2026, "-15.00", COMPONENTS)]


def test_a_penalty_with_an_end_gives_every_year_it_is_in_force_a_scorecard(
    store: str, pg_url: str | None
) -> None:
    """Penurunan jabatan for 12 months from 2025 runs into 2026: both years have a scorecard."""
    with fresh_app(store, pg_url) as (app, clock):
        build_history(app, clock, [("sanction", 0, 2)])
        ProjectionRunner(app, all_projections(), batch_size=1).run_once()
        assert scorecard_years(app, NIPS[0]) == [(2025, "-15.00", COMPONENTS), (2026, "-15.00", COMPONENTS)]
        assert_exactly_once_and_equal_to_rebuild(app)


def test_stop_between_batches_then_more_events(store: str, pg_url: str | None) -> None:
    """Stopped cleanly after k batches; more events arrive; a new runner finishes the job."""

    @settings(max_examples=STOP_EXAMPLES[store], deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=ops_strategy, stop_after=st.integers(0, 12), more=ops_strategy)
    def stop_then_more(
        ops: list[tuple[str, int, int]], stop_after: int, more: list[tuple[str, int, int]]
    ) -> None:
        with fresh_app(store, pg_url) as (app, clock):
            build_history(app, clock, ops)
            ProjectionRunner(app, all_projections(), batch_size=3).run_once(max_batches=stop_after)
            clock.advance(days=1)
            for op, i, j in more:
                build_history_step(app, clock, op, i, j)
            assert_exactly_once_and_equal_to_rebuild(app)

    stop_then_more()


def build_history_step(app: KinerjaLedger, clock: FakeClock, op: str, i: int, j: int) -> None:
    """One more operation after the base history exists (reuses build_history's interpretation)."""
    try:
        if op == "register":
            app.register_employee(
                HR, nip=NIPS[i], name=f"P{i}", agency=AGENCIES[i % 2], position="Staf", grade="III/b",
                employment_type="PNS",
            )  # fmt: skip
        elif op == "train":
            app.record_training(
                HR, NIPS[i], title="Diklat", hours_jp=j + 1, completed_on="2025-08-01", provider="X"
            )
        elif op == "survey":
            app.submit_survey(
                HR, service_unit="PKM-A", answers={f"U{k}": 1 + (k * j) % 4 for k in range(1, 10)}
            )
        elif op == "appraise":
            app.record_appraisal(
                HR, NIPS[i], period=PERIODS[j], hasil_kerja=RATINGS[j % 3], perilaku_kerja=RATINGS[0],
                appraiser_nip=NIPS[(i + 1) % 4],
            )  # fmt: skip
        elif op == "transfer":
            app.transfer_employee(
                HR, NIPS[i], agency=AGENCIES[j % 2], position="Staf", effective_date="2025-03-01"
            )
        elif op == "tick":
            clock.advance(days=j + 1)
    except LedgerError:
        pass


def test_blue_green_rebuild_keeps_serving_and_reports_differences(
    app: KinerjaLedger, clock: FakeClock
) -> None:
    build_history(app, clock, [("train", 0, 1), ("survey", 1, 2), ("appraise", 0, 0), ("award", 1, 0)])
    runner = ProjectionRunner(app, all_projections(), batch_size=4)
    runner.run_once()
    before = snapshot(app, list(runner.projections.values()))
    # Tamper with the active generation behind the runner's back: the rebuild must report it.
    with app.sql.transaction() as tx:
        active = tx.scalar(f"SELECT active_generation FROM {REGISTRY_TABLE} WHERE name='employees'")
        tx.execute(f"UPDATE pj_employees_employees_g{active} SET grade='X/x' WHERE nip=?", (NIPS[0],))
    report = runner.rebuild("employees")
    assert report.old_generation == active and report.new_generation == active + 1
    diff = next(d for d in report.diffs if d.table == "employees")
    assert (diff.only_old, diff.only_new) == (1, 1)
    assert diff.sample_old[0]["grade"] == "X/x" and diff.sample_new[0]["grade"] == "III/a"
    # Readers (the views) now see the rebuilt rows, and the old generation is gone.
    assert snapshot(app, list(runner.projections.values())) == before
    with app.sql.transaction(write=False) as tx:
        gens = tx.query(f"SELECT generation FROM {POSITIONS_TABLE} WHERE name='employees'")
    assert [g["generation"] for g in gens] == [active + 1]


def test_version_bump_rebuilds_in_the_background(app: KinerjaLedger, clock: FakeClock) -> None:
    build_history(app, clock, [("train", 0, 1)])
    ProjectionRunner(app, [Tally()]).run_once()

    class TallyV2(Tally):
        version = 2

    runner = ProjectionRunner(app, [TallyV2()])
    status = {(s.generation, s.active): s for s in runner.status()}
    assert status[(1, True)].version == 1 and status[(2, False)].position == 0
    runner.run_once()
    [only] = runner.status()
    assert (only.generation, only.version, only.active, only.lag) == (2, 2, True, 0)


def test_status_reports_position_and_lag(app: KinerjaLedger, clock: FakeClock) -> None:
    build_history(app, clock, [])
    runner = ProjectionRunner(app, [Tally()], batch_size=2)
    total = runner.count_after(0)
    [s] = runner.status()
    assert (s.position, s.lag) == (0, total)
    runner.run_once(max_batches=1)
    [s] = runner.status()
    assert s.lag == total - 2 and s.position == app.recorder.select_notifications(None, 2)[-1].id
    runner.run_once()
    [s] = runner.status()
    assert s.lag == 0 and s.position == runner.max_position()


def test_a_failing_projection_does_not_stop_the_others(app: KinerjaLedger, clock: FakeClock) -> None:
    build_history(app, clock, [("train", 0, 1)])

    class Broken(Tally):
        name = "broken"

        def process(self, *args: Any) -> None:
            raise RuntimeError("bug in a read model")

    runner = ProjectionRunner(app, [Broken(), Tally()], batch_size=3)
    runner.run_once()
    status = {s.name: s for s in runner.status()}
    assert status["tally"].lag == 0
    assert status["broken"].position == 0 and "bug in a read model" in (runner.errors["broken"])


def test_two_runners_never_apply_a_batch_twice(app: KinerjaLedger, clock: FakeClock) -> None:
    build_history(app, clock, [("train", i % 4, i % 4) for i in range(12)])
    a = ProjectionRunner(app, [Tally()], batch_size=2)
    b = ProjectionRunner(app, [Tally()], batch_size=2)
    stale = b.slots()  # b read the position before a moved it
    a.run_once(max_batches=1)
    events = b._read(stale[0].position, 2)
    tracked, rows = positions(app), snapshot(app, [Tally()])
    with pytest.raises(StaleSlot, match=r"^tally g1$"):
        b.process_batch(stale, events)
    # The refused batch left nothing behind: not in the store, not in b's idea of its slot.
    assert positions(app) == tracked
    assert snapshot(app, [Tally()]) == rows
    assert stale[0].position == 0
    b.run_once()
    a.run_once()
    assert_exactly_once_and_equal_to_rebuild(app)


def test_a_stale_batch_is_refused_even_without_a_unique_key(app: KinerjaLedger, clock: FakeClock) -> None:
    """Only the compare-and-set on the tracking row stops the repeat here: the counter's table has
    no key that a second application would violate."""
    build_history(app, clock, [("train", i % 4, i % 4) for i in range(6)])
    a = ProjectionRunner(app, [Counter()], batch_size=3)
    b = ProjectionRunner(app, [Counter()], batch_size=3)
    stale = b.slots()
    a.run_once(max_batches=1)
    first = app.recorder.select_notifications(None, 3)
    assert positions(app) == {("counter", 1): first[-1].id}
    with pytest.raises(StaleSlot, match=r"^counter g1$"):
        b.process_batch(stale, b._read(0, 3))
    with app.sql.transaction(write=False) as tx:
        applied = [
            r["position"] for r in tx.query("SELECT position FROM rm_counter_applied ORDER BY position")
        ]
    assert applied == [n.id for n in first]
    assert positions(app) == {("counter", 1): first[-1].id}
    b.run_once()
    with app.sql.transaction(write=False) as tx:
        applied = [
            r["position"] for r in tx.query("SELECT position FROM rm_counter_applied ORDER BY position")
        ]
    assert applied == [n.id for n in app.recorder.select_notifications(None, 100_000)]


def test_background_runner_wakes_on_new_events(app: KinerjaLedger, clock: FakeClock) -> None:
    """On PostgreSQL a NOTIFY wakes it long before its timeout; on SQLite it polls."""
    import time

    runner = ProjectionRunner(app, [Tally()], notify_timeout=30.0, poll_interval=0.2)
    runner.start()
    try:
        time.sleep(0.5)  # let it catch up (nothing yet) and start waiting
        app.register_agency(HR, code="DINKES", name="Dinas Kesehatan")
        head = app.recorder.max_notification_id()
        deadline = time.monotonic() + 10
        while runner.status()[0].position != head:
            assert time.monotonic() < deadline, "the runner did not wake up"
            time.sleep(0.05)
        if app.sql.dialect == "postgres":
            assert runner._listen_conn is not None  # woken by LISTEN/NOTIFY, not by the 30 s timeout
    finally:
        runner.stop()

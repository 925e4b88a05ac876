"""A projection that fails is shown as failed, where it stopped and why, by every process:
`ledger projections status` (table and --json), /healthz and /metrics read the failure the runner
recorded in the store, never "active"; it is cleared once the projection moves past it (issue 12).

A test-only projection fails on one chosen event; it is registered with the runner and, through
the registry the CLI reads, with the CLI."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

import pytest
from eventsourcing.persistence import Notification

from ledger.application import KinerjaLedger
from ledger.domain.envelope import LedgerEvent
from ledger.sqlstore import Sql
from projections.base import Projection, Tables
from projections.registry import default_projections
from projections.runner import ProjectionRunner
from tests.api_support import make_api
from tests.cli.test_cli_projections import ledger_cli, table_rows
from tests.factories import NIP_BUDI, seed_basic

ERROR = f"OverflowError: date value out of range for {NIP_BUDI}"
SHOWN = "OverflowError: date value out of range for <nip>"  # no NIP leaves through /healthz


class Boom(Projection):
    """Counts events; fails on the event at `fail_at` while `broken`, in process or in finish_batch."""

    name = "boom"
    tables: ClassVar[Mapping[str, str]] = {"seen": "position BIGINT NOT NULL PRIMARY KEY"}

    def __init__(self, fail_at: int, *, in_finish: bool = False) -> None:
        self.fail_at = fail_at
        self.in_finish = in_finish
        self.broken = True
        self.batch: list[int] = []

    def start_batch(self, tx: Sql, tables: Tables) -> None:
        self.batch = []

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        if self.broken and not self.in_finish and notification.id == self.fail_at:
            raise OverflowError(f"date value out of range for {NIP_BUDI}")
        self.batch.append(notification.id)
        tx.execute(f"INSERT INTO {tables['seen']} (position) VALUES (?)", (notification.id,))

    def finish_batch(self, tx: Sql, tables: Tables) -> None:
        if self.broken and self.in_finish and self.fail_at in self.batch:
            raise OverflowError(f"date value out of range for {NIP_BUDI}")


@pytest.fixture
def with_boom(monkeypatch: pytest.MonkeyPatch) -> Boom:
    boom = Boom(fail_at=2)
    monkeypatch.setattr("api.cli.projections.default_projections", lambda: [*default_projections(), boom])
    return boom


def positions_and_ids(app: KinerjaLedger) -> list[tuple[int, str]]:
    notes = app.recorder.select_notifications(0, 100)
    return [(n.id, app.mapper.to_domain_event(n).event_id) for n in notes]


def boom_status(app: KinerjaLedger) -> dict[str, Any]:
    result = ledger_cli(app, "projections", "status", "--json")
    assert result.exit_code == 0, result.output
    rows = [r for r in json.loads(result.stdout)["projections"] if r["name"] == "boom"]
    assert len(rows) == 1
    return dict(rows[0])


def test_a_failed_projection_is_shown_failed_everywhere_until_it_moves_past(
    app: KinerjaLedger, with_boom: Boom
) -> None:
    seed_basic(app)  # three events: the agency, Budi, Sari
    _, (second, second_id), (third, _) = positions_and_ids(app)
    with_boom.fail_at = second
    runner = ProjectionRunner(app, [*default_projections(), with_boom], failure_backoff=0.0)
    runner.run_once()

    # The CLI is another ledger (another connection): it reads what the runner recorded.
    assert boom_status(app) == {
        "name": "boom",
        "generation": 1,
        "version": 1,
        "code_version": 1,
        "position": 0,  # the batch [first, second, third] is applied whole or not at all
        "lag": 3,
        "active": True,
        "state": "failed",
        "error": SHOWN,
        "failed_position": second,
        "failed_event_id": second_id,
    }
    others = {
        r["name"]: r["state"]
        for r in json.loads(ledger_cli(app, "projections", "status", "--json").stdout)["projections"]
        if r["name"] != "boom"
    }
    assert set(others.values()) == {"active"}
    table = ledger_cli(app, "projections", "status")
    assert [r for r in table_rows(table.stdout) if r[0] == "boom"] == [
        ["boom", "1", "1", "0", "3", f"failed at position {second}, event {second_id}: {SHOWN}"]
    ]

    api = make_api(app)
    health = api.client.get("/healthz")
    assert (health.status_code, health.json()) == (
        200,
        {
            "status": "degraded",
            "store": app.sql.dialect,
            "position": third,
            "failed_projections": [
                {"name": "boom", "generation": 1, "position": second, "event_id": second_id, "error": SHOWN}
            ],
        },
    )
    metrics = api.client.get("/metrics").text
    assert 'ledger_projection_failed{error="OverflowError",projection="boom"} 1.0' in metrics
    assert f'ledger_projection_failed_position{{projection="boom"}} {float(second)}' in metrics
    assert 'ledger_projection_failed{error="",projection="employees"} 0.0' in metrics
    assert NIP_BUDI not in health.text + metrics

    # Tried again, still failing: the same failure, recorded once.
    runner.run_once()
    assert boom_status(app)["failed_position"] == second

    # Repaired: it moves past the position and the failure is gone everywhere.
    with_boom.broken = False
    runner.run_once()
    status = boom_status(app)
    assert (status["state"], status["error"], status["failed_position"], status["position"]) == (
        "active",
        None,
        None,
        third,
    )
    assert api.client.get("/healthz").json() == {
        "status": "ok",
        "store": app.sql.dialect,
        "position": third,
        "failed_projections": [],
    }
    metrics = api.client.get("/metrics").text
    assert 'ledger_projection_failed{error="",projection="boom"} 0.0' in metrics
    assert "ledger_projection_failed_position{" not in metrics


def test_a_batch_that_fails_as_a_whole_names_its_first_position(app: KinerjaLedger) -> None:
    seed_basic(app)
    _, (second, _), (third, _) = positions_and_ids(app)
    boom = Boom(fail_at=third, in_finish=True)
    runner = ProjectionRunner(app, [boom], batch_size=2)
    runner.run_once()  # [first, second] applied; [third] fails in finish_batch
    (status,) = runner.status()
    assert (status.state, status.position, status.failed_position, status.failed_event_id, status.error) == (
        "failed",
        second,
        third,
        None,
        "OverflowError: date value out of range for <nip>",
    )


def test_a_rebuild_that_replaces_a_failed_generation_drops_its_failure(app: KinerjaLedger) -> None:
    seed_basic(app)
    _, (second, second_id), (third, _) = positions_and_ids(app)
    boom = Boom(fail_at=second)
    runner = ProjectionRunner(app, [boom], failure_backoff=0.0)
    runner.run_once()
    assert [(s.generation, s.state, s.failed_event_id) for s in runner.status()] == [(1, "failed", second_id)]
    boom.broken = False
    runner.rebuild("boom")
    assert [(s.generation, s.state, s.position, s.error) for s in runner.status()] == [
        (2, "active", third, None)
    ]


def test_cli_rebuild_of_a_projection_that_fails_ends_cleanly(app: KinerjaLedger, with_boom: Boom) -> None:
    # The error on stderr, exit 1, no traceback: the operator sees why, scripts see the status.
    seed_basic(app)
    result = ledger_cli(app, "projections", "rebuild", "boom")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.splitlines()[-1] == f"error: rebuilding boom failed: {ERROR}"


def test_cli_rebuild_of_an_unknown_projection_says_so_on_stderr(app: KinerjaLedger) -> None:
    result = ledger_cli(app, "projections", "rebuild", "nope")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "unknown projection 'nope'; known: agencies, appraisal_verification, audit, awards, "
    )

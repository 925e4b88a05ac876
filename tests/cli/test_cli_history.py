"""`ledger history NIP --effective-on DATE`: the record as it had taken effect on a date (a
backdated fact counts from its effective date), set against `--as-of` (what the ledger knew
at a moment); and the exact refusals of bad options."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import KinerjaLedger
from tests.conftest import FakeClock
from tests.factories import HR, NIP_BUDI, seed_basic

UNKNOWN_NIP = "199001012015031001"


def history(app: KinerjaLedger, *args: str) -> Result:
    env = {
        "LEDGER_DATABASE_URL": app.settings.database_url,
        "LEDGER_DATA_DIR": str(app.settings.data_dir),
        "COLUMNS": "200",
    }
    result = CliRunner().invoke(cli, ["history", *args], env=env)
    # A traceback also exits non-zero: only a deliberate exit (or none) is accepted.
    assert result.exception is None or type(result.exception) is SystemExit, repr(result.exception)
    return result


def as_json(app: KinerjaLedger, *args: str) -> dict[str, Any]:
    result = history(app, *args, "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def versions(data: dict[str, Any]) -> list[int]:
    return [e["version"] for e in data["events"]]


def build(app: KinerjaLedger, clock: FakeClock) -> datetime:
    """Budi: v1 registered; v2 training effective 2024-06-10; v3 training effective 2026-02-01;
    v4 a transfer recorded last but effective 2026-01-15. Returns a moment between v3 and v4."""
    seed_basic(app)
    app.register_agency(HR, code="DISDIK", name="Dinas Pendidikan")
    clock.advance(hours=1)
    app.record_training(
        HR, NIP_BUDI, title="Latsar", hours_jp=24, completed_on="2024-06-10", provider="BPSDM"
    )
    clock.advance(days=1)
    app.record_training(HR, NIP_BUDI, title="K3", hours_jp=8, completed_on="2026-02-01", provider="Dinkes")
    between = clock.advance(hours=1)
    clock.advance(days=1)
    app.transfer_employee(HR, NIP_BUDI, agency="DISDIK", position="Guru", effective_date="2026-01-15")
    return between


@pytest.fixture
def between(app: KinerjaLedger, clock: FakeClock) -> datetime:
    return build(app, clock)


def test_effective_on_excludes_what_takes_effect_later(app: KinerjaLedger, between: datetime) -> None:
    before = as_json(app, NIP_BUDI, "--effective-on", "2026-01-14")
    assert versions(before) == [1, 2]
    assert (before["state"]["version"], before["state"]["agency"]) == (2, "DINKES")
    assert before["state"]["training_jp"] == {"2024": "24"}

    # The transfer counts from its effective date itself, though it was recorded last.
    on = as_json(app, NIP_BUDI, "--effective-on", "2026-01-15")
    assert versions(on) == [1, 2, 4]
    assert (on["state"]["version"], on["state"]["agency"], on["state"]["position"]) == (4, "DISDIK", "Guru")
    assert on["state"]["training_jp"] == {"2024": "24"}  # the K3 course is not yet effective

    later = as_json(app, NIP_BUDI, "--effective-on", "2026-02-01")
    assert versions(later) == [1, 2, 3, 4]
    assert later["state"]["training_jp"] == {"2024": "24", "2026": "8"}

    # The registration is the base of every view, even before the service start date.
    first = as_json(app, NIP_BUDI, "--effective-on", "2000-01-01")
    assert versions(first) == [1]
    assert (first["state"]["agency"], first["state"]["training_jp"]) == ("DINKES", {})


def test_effective_on_and_as_of_answer_different_questions(app: KinerjaLedger, between: datetime) -> None:
    known = as_json(app, NIP_BUDI, "--as-of", between.isoformat())
    assert versions(known) == [1, 2, 3]  # recorded by then; the transfer was not
    assert known["state"]["agency"] == "DINKES"
    assert known["state"]["training_jp"] == {"2024": "24", "2026": "8"}
    effective = as_json(app, NIP_BUDI, "--effective-on", "2026-01-15")
    assert versions(effective) == [1, 2, 4]
    assert versions(as_json(app, NIP_BUDI)) == [1, 2, 3, 4]


def test_effective_on_prints_the_state_and_the_events_it_was_built_from(
    app: KinerjaLedger, between: datetime
) -> None:
    result = history(app, NIP_BUDI, "--effective-on", "2026-01-15")
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert lines[0] == f"NIP {NIP_BUDI} (version 4)"
    summary = {
        cells[0]: cells[1]
        for cells in (
            [c.strip() for c in line.strip("│").split("│")] for line in lines[2:11] if line.startswith("│")
        )
    }
    assert summary == {
        "name": "Budi Santoso",
        "agency": "DISDIK",
        "position": "Guru",
        "grade": "III/b",
        "employment_type": "PNS",
        "service_start_date": "2010-01-01",
        "status": "ACTIVE",
        "training_jp": "2024: 24",
    }
    cells = [[c.strip() for c in line.strip("│").split("│")] for line in lines[15:] if line.startswith("│")]
    # Each event's first line (its later lines continue the details); recorded times in WIB.
    rows = [row[:5] for row in cells if row[0]]
    assert rows == [
        ["1", "EmployeeRegistered", "2010-01-01", "2026-03-02 09:00:00+07:00", "hr:hr-test"],
        ["2", "TrainingCompleted", "2024-06-10", "2026-03-02 10:00:00+07:00", "hr:hr-test"],
        ["4", "EmployeeTransferred", "2026-01-15", "2026-03-04 11:00:00+07:00", "hr:hr-test"],
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--effective-on", "2026-02-30"],
            "Invalid value for --effective-on: impossible date: day is out of range for month",
        ),
        (["--effective-on", "15-01-2026"], "Invalid value for --effective-on: expected a date as YYYY-MM-DD"),
        (
            ["--effective-on", "2026-01-15", "--as-of", "2026-03-03T00:00:00Z"],
            "Invalid value: give --as-of or --effective-on, not both",
        ),
        (
            ["--as-of", "2026-01-01T00:00:00"],
            "Invalid value for --as-of: an RFC 3339 timestamp with a date, time and offset is required",
        ),
    ],
    ids=["impossible-date", "not-iso", "both", "naive-time"],
)
def test_bad_options_are_usage_errors(app: KinerjaLedger, args: list[str], message: str) -> None:
    seed_basic(app)
    result = history(app, NIP_BUDI, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"│ {message}" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_or_not_yet_recorded_employee_exits_1_with_the_reason_on_stderr(
    app: KinerjaLedger, between: datetime
) -> None:
    unknown = history(app, UNKNOWN_NIP, "--effective-on", "2026-01-15", "--json")
    assert (unknown.exit_code, unknown.stdout) == (1, "")  # nothing a JSON reader would choke on
    assert unknown.stderr == f"unknown employee NIP {UNKNOWN_NIP}\n"
    early = history(app, NIP_BUDI, "--as-of", "2020-01-01T00:00:00Z", "--json")
    assert (early.exit_code, early.stdout) == (1, "")
    assert early.stderr == f"employee NIP {NIP_BUDI} was not yet recorded then\n"

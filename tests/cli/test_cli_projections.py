"""`ledger projections status` (table and --json) and the report `ledger projections rebuild`
prints: checked value by value, and a real difference (a wrong row written into the active
generation) named by the rebuild."""

from __future__ import annotations

import json
from typing import Any

from click.testing import Result
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import KinerjaLedger
from projections.registry import default_projections
from projections.runner import ProjectionRunner
from tests.factories import NIP_BUDI, seed_basic

NAMES = sorted(p.name for p in default_projections())
# The code's version of each projection: bumped when its rows change meaning (2: plain-digit
# decimals, penalty levels, REVOKED, IKM with 2 decimals, skor/2026.1; the fact tables hold
# appraisals before 2022; 3: the facts keep when each survey naming an officer came, and bursts;
# scorecards 3: a dismissal gives a scorecard only to the year it takes effect; skp and
# appraisal_verification are new with the performance management cycle; employees 3: the name
# search key and the leave and suspension periods).
VERSIONS = {
    "agencies": 5,
    "appraisal_verification": 1,
    "audit": 1,
    "awards": 1,
    "employees": 3,
    "programs": 2,
    "public_input": 1,
    "sanctions": 2,
    "sanctions_verification": 3,
    "satyalancana": 1,
    "scorecards": 6,
    "skp": 1,
}


def ledger_cli(app: KinerjaLedger, *args: str) -> Result:
    env = {
        "LEDGER_DATABASE_URL": app.settings.database_url,
        "LEDGER_DATA_DIR": str(app.settings.data_dir),
        "LEDGER_LOG_ORIGIN": app.settings.log_origin,
        "COLUMNS": "300",
    }
    result = CliRunner().invoke(cli, list(args), env=env)
    # A traceback also exits non-zero: only a deliberate exit (or none) is accepted.
    assert result.exception is None or type(result.exception) is SystemExit, repr(result.exception)
    return result


def catch_up(app: KinerjaLedger) -> None:
    runner = ProjectionRunner(app, default_projections())
    runner.setup()
    runner.run_once()


def table_rows(output: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.strip("│").split("│")]
        for line in output.splitlines()
        if line.startswith("│")
    ]


def status_json(app: KinerjaLedger) -> dict[str, Any]:
    result = ledger_cli(app, "projections", "status", "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# Projections whose tables or rows changed since their first version (the runner rebuilds them).
def expected_status(
    position: int, lag: int, generations: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    generations = generations or {}
    return [
        {
            "name": name,
            "generation": generations.get(name, 1),
            "version": VERSIONS[name],
            "code_version": VERSIONS[name],
            "position": position,
            "lag": lag,
            "active": True,
            "state": "active",
            "error": None,
            "failed_position": None,
            "failed_event_id": None,
        }
        for name in NAMES
    ]


def test_status_before_and_after_a_catch_up(app: KinerjaLedger) -> None:
    seed_basic(app)
    before = ledger_cli(app, "projections", "status")
    assert before.exit_code == 0, before.output
    assert before.stdout.splitlines()[0].strip() == "projections (log at position 3)"
    header = next(line for line in before.stdout.splitlines() if line.startswith("┃"))
    assert [c.strip() for c in header.strip("┃").split("┃")] == [
        "name",
        "generation",
        "version",
        "position",
        "lag",
        "state",
    ]
    assert table_rows(before.stdout) == [
        [name, "1", str(VERSIONS[name]), "0", "3", "active"] for name in NAMES
    ]
    assert status_json(app) == {"log_position": 3, "projections": expected_status(0, 3)}

    catch_up(app)
    after = ledger_cli(app, "projections", "status")
    assert after.exit_code == 0, after.output
    assert table_rows(after.stdout) == [
        [name, "1", str(VERSIONS[name]), "3", "0", "active"] for name in NAMES
    ]
    assert status_json(app) == {"log_position": 3, "projections": expected_status(3, 0)}


def test_rebuild_names_a_row_that_differs_from_the_old_generation(app: KinerjaLedger) -> None:
    seed_basic(app)
    catch_up(app)
    employee_id = str(app.employee(NIP_BUDI).id)
    with app.sql.transaction() as tx:  # a wrong row in the active generation (as a bug would leave)
        tx.execute("UPDATE pj_employees_employees_g1 SET name = ? WHERE nip = ?", ("Budi Keliru", NIP_BUDI))

    result = ledger_cli(app, "projections", "rebuild", "employees")
    assert result.exit_code == 0, result.output
    report = [line for line in result.stdout.splitlines() if not line.startswith("employees ━")]
    prefix = f'{{"nip": "{NIP_BUDI}", "employee_id": "{employee_id}", "name": '
    assert report[:2] == [
        "employees: generation g2 active at position 3 (replaced g1); 2 rows differ from the old tables",
        "  employees: 1 only in old, 1 only in new",
    ]
    assert report[2].startswith(f'    - {prefix}"Budi Keliru", "agency": "DINKES"'), report[2]
    assert report[3].startswith(f'    + {prefix}"Budi Santoso", "agency": "DINKES"'), report[3]
    assert len(report) == 4

    assert status_json(app) == {"log_position": 3, "projections": expected_status(3, 0, {"employees": 2})}
    with app.sql.transaction(write=False) as tx:
        assert (
            tx.scalar("SELECT name FROM rm_employees_employees WHERE nip = ?", (NIP_BUDI,)) == "Budi Santoso"
        )


def test_rebuild_of_everything_that_agrees_reports_no_difference(app: KinerjaLedger) -> None:
    seed_basic(app)
    catch_up(app)
    result = ledger_cli(app, "projections", "rebuild")
    assert result.exit_code == 0, result.output
    report = [line for line in result.stdout.splitlines() if ": generation " in line]
    assert report == [
        f"{name}: generation g2 active at position 3 (replaced g1); 0 rows differ from the old tables"
        for name in NAMES
    ]
    assert status_json(app) == {
        "log_position": 3,
        "projections": expected_status(3, 0, dict.fromkeys(NAMES, 2)),
    }


def test_rebuild_of_an_unknown_projection_exits_2_and_lists_the_known_ones(app: KinerjaLedger) -> None:
    result = ledger_cli(app, "projections", "rebuild", "nope")
    assert result.exit_code == 2
    assert result.output == f"unknown projection 'nope'; known: {', '.join(NAMES)}\n"

"""The command line's conventions: --version, enumerations as choices in --help, a filter that
names nothing exits 1, history readable (nested details, WIB times with their offset), long ids
shortened in tables (whole in --json), worker progress lines."""

from __future__ import annotations

import json
import logging
from importlib.metadata import version
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from api.cli import app as cli
from api.cli.render import nested, short_id, wib
from ledger.application import KinerjaLedger
from tests.factories import HR, NIP_BUDI, seed_basic


def run(app: KinerjaLedger | None, *args: str) -> Result:
    env = {"COLUMNS": "250"}
    if app is not None:
        env |= {
            "LEDGER_DATABASE_URL": app.settings.database_url,
            "LEDGER_DATA_DIR": str(app.settings.data_dir),
        }
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exception is None or type(result.exception) is SystemExit, repr(result.exception)
    return result


def test_version() -> None:
    result = run(None, "--version")
    assert (result.exit_code, result.stdout) == (0, f"ledger (Kinerja Ledger) {version('kinerja-ledger')}\n")


def test_roles_and_verdicts_are_choices_shown_in_help() -> None:
    assert "<hr|appraiser|auditor|inspector|employee|admin>" in run(None, "token", "issue", "--help").stdout
    assert "<consistent|inconsistent>" in run(None, "inspect", "sanctions", "--help").stdout
    refused = run(None, "token", "issue", "--role", "boss", "--sub", "x")
    assert refused.exit_code == 2
    assert (
        "'boss' is not one of 'hr', 'appraiser', 'auditor', 'inspector', 'employee', 'admin'"
        in refused.stderr
    )


@pytest.mark.parametrize(
    "args",
    [
        ("registers", "satyalancana", "--year", "2025", "--agency", "NOSUCH"),
        ("registers", "satyalancana", "--year", "2025", "--agency", "NOSUCH", "--json"),
        ("inspect", "sanctions", "--agency", "NOSUCH"),
        ("inspect", "sanctions", "--agency", "NOSUCH", "--json"),
    ],
)
def test_an_unknown_agency_is_exit_1_not_an_empty_table(app: KinerjaLedger, args: tuple[str, ...]) -> None:
    seed_basic(app)
    result = run(app, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "error: no agency NOSUCH is registered (--agency)\n",
    )
    # The same filter naming a registered agency answers (exit 0).
    assert (
        run(
            app,
            *args[: -2 if args[-1] == "--json" else -1],
            *(["DINKES", "--json"] if args[-1] == "--json" else ["DINKES"]),
        ).exit_code
        == 0
    )


def test_an_unknown_nip_is_exit_1(app: KinerjaLedger) -> None:
    seed_basic(app)
    result = run(app, "history", "199001012015031001")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "unknown employee NIP 199001012015031001\n",
    )


def test_history_shows_details_nested_and_times_in_wib(app: KinerjaLedger) -> None:
    seed_basic(app)
    app.impose_sanction(
        HR,
        NIP_BUDI,
        violation={"description": "tidak masuk kerja", "level": "RINGAN", "absence_days": 3},
        penalty="TEGURAN_LISAN",
        decided_by_role="KEPALA_OPD",
        decided_by_name="Kepala Dinas Kesehatan",
        decree_number="800/1/2026",
        decided_on="2026-02-20",
    )
    data: dict[str, Any] = json.loads(run(app, "history", NIP_BUDI, "--json").stdout)
    sanction = data["events"][-1]
    text = run(app, "history", NIP_BUDI).stdout
    # The FakeClock's 2026-03-02 09:00 WIB (02:00 UTC), shown with its offset; JSON keeps UTC.
    assert sanction["recorded_at"].endswith("+00:00")
    assert wib(sanction["recorded_at"]) in text and wib(sanction["recorded_at"]).endswith("+07:00")
    for line in nested(sanction["payload"]):
        assert line.rstrip() in text  # every detail, none cut off
    assert "violations:" in text and "    level: RINGAN" in text


def test_nested_and_short_forms() -> None:
    assert nested({"a": 1, "b": {"c": None, "d": [1, {"e": True, "f": "x"}]}, "g": []}) == [
        "a: 1",
        "b:",
        "  c: -",
        "  d:",
        "    - 1",
        "    - e: yes",
        "      f: x",
        "g: []",
    ]
    assert short_id("bfb7441e-b89b-5478-97a5-dc0085c960b2:3") == "bfb7441e…:3"
    assert short_id("PKM-07") == "PKM-07"
    assert wib("2026-03-02T02:00:00+00:00") == "2026-03-02 09:00:00+07:00"


def test_the_inspectorate_table_shortens_ids_and_json_keeps_them(app: KinerjaLedger) -> None:
    seed_basic(app)
    imposed = app.impose_sanction(
        HR,
        NIP_BUDI,
        violation={"description": "tidak masuk kerja", "level": "RINGAN", "absence_days": 3},
        penalty="TEGURAN_LISAN",
        decided_by_role="KEPALA_OPD",
        decided_by_name="Kepala Dinas Kesehatan",
        decree_number="800/1/2026",
        decided_on="2026-02-20",
    )
    sanction_id = imposed.extra["sanction_id"]
    table = run(app, "inspect", "sanctions").stdout
    assert short_id(sanction_id) in table and sanction_id not in table
    assert [r["sanction_id"] for r in json.loads(run(app, "inspect", "sanctions", "--json").stdout)] == [
        sanction_id
    ]


def test_the_worker_logs_its_progress(app: KinerjaLedger, caplog: pytest.LogCaptureFixture) -> None:
    from api.cli.projections import _ProgressLog

    seed_basic(app)
    progress = _ProgressLog(app, every=0)
    slot: Any = SimpleNamespace(name="employees")  # the one attribute the callback reads
    with caplog.at_level(logging.INFO, logger="ledger.worker"):
        progress(slot, 1, 1)
    head = app.recorder.max_notification_id()
    assert caplog.messages == [f"catching up: employees at position 1 of {head} (lag {head - 1})"]
    quiet = _ProgressLog(app, every=3600)
    with caplog.at_level(logging.INFO, logger="ledger.worker"):
        quiet(slot, 2, 1)
    assert len(caplog.messages) == 1  # at most one line per interval

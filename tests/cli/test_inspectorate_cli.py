"""`ledger inspect sanctions`: table, filters, CSV, and clear errors for bad options."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from ledger.application import KinerjaLedger
from tests.discipline.test_inspectorate_scenarios import SEKDA, Case, seed_world
from tests.factories import HR


def env(app: KinerjaLedger) -> dict[str, str]:
    return {"LEDGER_DATABASE_URL": app.settings.database_url, "LEDGER_DATA_DIR": str(app.settings.data_dir)}


def build(app: KinerjaLedger) -> tuple[str, str, str]:
    seed_world(app)
    app.register_agency(HR, code="DISDIK", name="Dinas Pendidikan")
    ok = Case(app).impose()
    wrong = Case(app).impose(penalty="POTONGAN_TUKIN_6", summoned_on=None, **SEKDA)
    other = Case(app)
    app.transfer_employee(HR, other.nip, agency="DISDIK", position="Guru", effective_date="2026-02-01")
    elsewhere = other.impose()
    return ok, wrong, elsewhere


def test_inspect_sanctions_table_filters_and_csv(app: KinerjaLedger, tmp_path: Path) -> None:
    from api.cli import app as cli
    from api.cli.render import short_id

    ok, wrong, elsewhere = build(app)
    runner = CliRunner()
    out = tmp_path / "register.csv"
    result = runner.invoke(
        cli,
        ["inspect", "sanctions", "--csv", str(out), "--on", "2026-02-20"],
        env={**env(app), "COLUMNS": "300"},
    )
    assert result.exit_code == 0, result.output
    for sanction_id in (ok, wrong, elsewhere):  # shortened in the table (whole in --json and CSV)
        assert short_id(sanction_id) in result.output and sanction_id not in result.output
    assert "INCONSISTENT" in result.output and "penalty_matches_level, procedure_dates" in result.output
    assert result.stdout.splitlines()[-1] == f"CSV: {out} (3 rows)"
    with out.open(encoding="utf-8") as f:
        rows = {r["sanction_id"]: r for r in csv.DictReader(f)}
    assert set(rows) == {ok, wrong, elsewhere}
    bad = rows[wrong]
    assert (bad["verdict"], bad["failed_checks"], bad["status"]) == (
        "INCONSISTENT",
        "penalty_matches_level;procedure_dates",
        "IN_FORCE",
    )
    assert bad["details_en"].startswith("1. Penalty POTONGAN_TUKIN_6 is of level SEDANG")
    assert "4. Tanggal pemanggilan tidak dicatat" in bad["details_id"]
    assert rows[ok]["failed_checks"] == "" and rows[ok]["details_en"] == ""
    assert (rows[elsewhere]["agency"], rows[ok]["authority_table"]) == ("DISDIK", "kewenangan/default-kota.1")

    only_bad = runner.invoke(
        cli, ["inspect", "sanctions", "--verdict", "inconsistent", "--json"], env=env(app)
    )
    assert only_bad.exit_code == 0, only_bad.output
    assert [r["sanction_id"] for r in json.loads(only_bad.output)] == [wrong]

    disdik = runner.invoke(cli, ["inspect", "sanctions", "--agency", "DISDIK", "--json"], env=env(app))
    assert [r["sanction_id"] for r in json.loads(disdik.output)] == [elsewhere]


def test_inspect_sanctions_rejects_bad_options(app: KinerjaLedger) -> None:
    from api.cli.inspect import app as inspect_app

    runner = CliRunner()
    for args, message in (
        (
            ["sanctions", "--verdict", "MAYBE"],
            "'--verdict': Value error, 'MAYBE' is not one of 'consistent', 'inconsistent'.",
        ),
        (["sanctions", "--agency", "no such!"], "--agency: must be an agency code, e.g. DINKES"),
        (["sanctions", "--on", "2026-02-30"], "--on: impossible date: day is out of range for month"),
    ):
        result = runner.invoke(inspect_app, args, env={**env(app), "COLUMNS": "300"})
        assert result.exit_code == 2, result.output
        assert type(result.exception) is SystemExit  # a usage error, not a crash
        assert f"│ Invalid value for {message}" in result.stderr

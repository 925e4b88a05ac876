"""Bitemporal reads: as of a version, as of a recorded time, as of an effective date."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import KinerjaLedger
from ledger.config import Settings
from ledger.errors import NotFound
from ledger.history import as_of_effective, as_of_recorded, as_of_version, current, employee_view
from tests.conftest import FakeClock
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_basic

RATINGS = {
    "hasil_kerja": "SESUAI_EKSPEKTASI",
    "perilaku_kerja": "SESUAI_EKSPEKTASI",
    "appraiser_nip": NIP_SARI,
}


def test_what_did_we_know_then(app: KinerjaLedger, clock: FakeClock) -> None:
    seed_basic(app)
    before_anything = clock.now
    clock.advance(days=1)
    appraisal = app.record_appraisal(HR, NIP_BUDI, period="2025", **RATINGS)
    after_appraisal = clock.now
    clock.advance(days=1)
    app.correct_appraisal(HR, NIP_BUDI, appraisal.event_id, hasil_kerja="DI_ATAS_EKSPEKTASI", reason="typo")

    then = as_of_recorded(app, NIP_BUDI, after_appraisal).employee
    assert then.appraisals[appraisal.event_id]["predikat"] == "BAIK"
    assert then.appraisals[appraisal.event_id]["hasil_kerja"] == "SESUAI_EKSPEKTASI"
    now = current(app, NIP_BUDI).employee
    assert now.appraisals[appraisal.event_id]["hasil_kerja"] == "DI_ATAS_EKSPEKTASI"
    assert as_of_recorded(app, NIP_BUDI, before_anything).employee.appraisals == {}
    with pytest.raises(NotFound):
        as_of_recorded(app, NIP_BUDI, before_anything.replace(year=2020))


def test_effective_date_view_includes_backdated_facts(app: KinerjaLedger, clock: FakeClock) -> None:
    seed_basic(app)
    registered_at = clock.now
    clock.advance(hours=1)
    # Recorded today (2026), effective in 2024: the effective view sees it in 2025.
    app.record_training(
        HR, NIP_BUDI, title="Latsar", hours_jp=24, completed_on="2024-06-10", provider="BPSDM"
    )
    app.record_training(HR, NIP_BUDI, title="K3", hours_jp=8, completed_on="2026-02-01", provider="Dinkes")
    mid_2025 = as_of_effective(app, NIP_BUDI, date(2025, 6, 30)).employee
    assert mid_2025.training_jp == {"2024": "24"}
    assert as_of_effective(app, NIP_BUDI, date(2026, 3, 1)).employee.training_jp == {
        "2024": "24",
        "2026": "8",
    }
    # ... yet before they were recorded, the ledger knew of neither.
    assert as_of_recorded(app, NIP_BUDI, registered_at).employee.training_jp == {}


def test_version_view_equals_prefix(app: KinerjaLedger) -> None:
    seed_basic(app)
    app.record_feedback(HR, NIP_BUDI, source="PEER", score=3)
    app.record_feedback(HR, NIP_BUDI, source="SUPERVISOR", score=4)
    v2 = as_of_version(app, NIP_BUDI, 2).employee
    assert v2.version == 2 and v2.feedback_count == {"PEER": 1}
    assert employee_view(app.employee(NIP_BUDI, version=2)) == employee_view(v2)


def test_cli_history_as_of(settings: Settings, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    app = KinerjaLedger(settings, clock=clock)
    seed_basic(app)
    first = app.record_appraisal(HR, NIP_BUDI, period="2025", **RATINGS)
    moment = clock.now
    clock.advance(hours=2)
    app.correct_appraisal(HR, NIP_BUDI, first.event_id, hasil_kerja="DI_BAWAH_EKSPEKTASI", reason="audit")
    app.close()
    monkeypatch.setenv("LEDGER_DATABASE_URL", settings.database_url)
    runner = CliRunner()
    out = runner.invoke(cli, ["history", NIP_BUDI, "--as-of", moment.isoformat(), "--json"])
    assert out.exit_code == 0, out.output
    state = json.loads(out.output)["state"]
    assert state["appraisals"][0]["predikat"] == "BAIK"
    out = runner.invoke(cli, ["history", NIP_BUDI, "--json"])
    assert json.loads(out.output)["state"]["appraisals"][0]["predikat"] == "BUTUH_PERBAIKAN"
    bad = runner.invoke(cli, ["history", NIP_BUDI, "--as-of", "2026-01-01T00:00:00"], env={"COLUMNS": "200"})
    assert bad.exit_code == 2  # a usage error, not a crash (which would exit 1)
    assert type(bad.exception) is SystemExit
    assert (
        "│ Invalid value for --as-of: an RFC 3339 timestamp with a date, time and offset is required"
        in bad.stderr
    )
    table = runner.invoke(cli, ["history", NIP_BUDI], env={"COLUMNS": "200"})
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].strip() == f"NIP {NIP_BUDI} (version 3)"
    cells = [
        [c.strip() for c in line.split("│")[1:3]]
        for line in table.stdout.splitlines()
        if line.startswith("│")
    ]
    assert [c for c in cells if c[0].isdigit()] == [
        ["1", "EmployeeRegistered"],
        ["2", "AppraisalRecorded"],
        ["3", "AppraisalCorrected"],
    ]

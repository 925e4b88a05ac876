"""`ledger demo` (deterministic synthetic data) then `ledger projections rebuild|status`."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from api.cli import demo
from ledger.application import KinerjaLedger
from ledger.config import Settings
from projections import queries
from projections.appraisal_basis import appraisal_register
from projections.registry import default_projections
from projections.skp_progress import agency_progress
from tests.conftest import HR

runner = CliRunner()


def test_plan_is_deterministic_and_ordered() -> None:
    a = demo.plan(employees=80, years=2, seed=5, last_year=2024)
    b = demo.plan(employees=80, years=2, seed=5, last_year=2024)
    c = demo.plan(employees=80, years=2, seed=6, last_year=2024)
    assert [(s.at, s.label) for s in a.steps] == [(s.at, s.label) for s in b.steps]
    assert [p.nip for p in a.people] == [p.nip for p in b.people]
    assert [p.nip for p in a.people] != [p.nip for p in c.people]
    assert [s.at for s in a.steps] == sorted(s.at for s in a.steps)
    assert len(a.people) == 80 and a.years == [2023, 2024] and a.history_from == 2005
    assert {p.employment_type for p in a.people} == {"PNS", "PPPK"}
    assert len({a.agency for a in a.people}) == len(demo.AGENCIES) == 33


def test_demo_then_rebuild_from_the_cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LEDGER_DATA_DIR", str(settings.data_dir))
    loaded = runner.invoke(
        cli, ["demo", "--employees", "100", "--years", "1", "--seed", "3"], env={"COLUMNS": "600"}
    )
    assert loaded.exit_code == 0, loaded.output
    summary = re.fullmatch(
        r"loaded 100 employees over 2006-2025: 2434 commands in [0-9.]+ s \((.*)\)",
        loaded.stdout.splitlines()[-1],
    )
    assert summary is not None, loaded.stdout
    # The performance management cycle (plans, revisions, realisation, dialogues, BerAKHLAK
    # feedback) is planned last: every other count is what it was before it.
    assert summary.group(1) == (
        "agency 33, appraisal 927, assign 8, award 190, award-revocation 1, behaviour-feedback 17, "
        "comment-follow-up 54, complaint 24, complaint-update 48, correction 4, dialogue 73, "
        "employee 100, feedback 7, leave 1, leave-end 1, outcome 4, participant 8, program 4, "
        "promotion 253, rating 33, realisation 270, sanction 16, sanction-revocation 2, "
        "service-end 41, skp 53, skp-revision 6, survey 141, suspension 1, suspension-end 1, "
        "training 97, transfer 1, unit 15"
    )
    app = KinerjaLedger(settings)
    try:
        head = app.recorder.max_notification_id()
        again = runner.invoke(cli, ["demo", "--if-empty", "--employees", "70"])
        assert again.exit_code == 0
        assert again.stdout == "the store already has events: demo data not loaded (--if-empty)\n"
        assert app.recorder.max_notification_id() == head

        rebuilt = runner.invoke(cli, ["projections", "rebuild"], env={"COLUMNS": "300"})
        assert rebuilt.exit_code == 0, rebuilt.output
        names = sorted(p.name for p in default_projections())
        assert [line for line in rebuilt.stdout.splitlines() if ": generation " in line] == [
            f"{name}: generation g2 active at position {head} (replaced g1); 0 rows differ from the old tables"
            for name in names
        ]
        status = runner.invoke(cli, ["projections", "status", "--json"])
        assert status.exit_code == 0, status.output
        report = json.loads(status.output)
        assert report["log_position"] == head
        assert [(p["name"], p["position"], p["lag"]) for p in report["projections"]] == [
            (name, head, 0) for name in names
        ]
        assert runner.invoke(cli, ["projections", "rebuild", "nope"]).exit_code == 2

        # The data is what the demo promises.
        year = max(queries.public_years(app))
        assert year == 2025
        units = {u["code"]: u for u in queries.public_service_units(app, year)["service_units"]}
        assert units[demo.SMALL_UNIT]["figures"]["respondents"]["suppressed"] is True
        assert units["DUKCAPIL-ADMINDUK"]["figures"]["respondents"] == {
            "value": 15,
            "suppressed": False,
            "reason": None,
        }
        awards = queries.award_register(app, year=year)
        assert [(a["award_type"], a["revoked"]) for a in awards if a["revoked"]] == [
            ("PRIORITAS_PENGEMBANGAN_KOMPETENSI", True)
        ]
        statuses = Counter(s["status"] for s in queries.decision_register(app))
        assert sorted(statuses.items()) == [("IMPOSED", 14), ("REVOKED", 2)]
        assert len(queries.programs(app)) == len(demo.PROGRAMS)
        ranking = queries.rankings(app, year, "DINKES")
        assert ranking["total"] == 4 and ranking["items"][0]["rank"] == 1
        # Citizens' input is followed up at realistic rates: most complaints answered within
        # days, some rejected, some never; most comments answered.
        complaints = queries.public_input(app, kind="complaint", limit=1000).items
        fates = Counter(c["status"] for c in complaints)
        answered = [c for c in complaints if any(r["status"] == "RESPONDED" for r in c["responses"])]
        assert len(complaints) == 24 and len(answered) >= 0.7 * len(complaints)
        assert sorted(fates.items()) == [("CLOSED", 16), ("REJECTED", 1), ("RESPONDED", 7)]
        days = sorted(
            (
                date.fromisoformat(next(r["at"] for r in c["responses"] if r["status"] == "RESPONDED")[:10])
                - date.fromisoformat(c["received_at"][:10])
            ).days
            for c in answered
        )
        assert days[len(days) // 2] <= 5
        comments = queries.public_input(app, kind="comment", limit=1000).items
        followed = [c for c in comments if c["status"] == "FOLLOWED_UP"]
        assert len(followed) == 54 and len(followed) >= 0.6 * len(comments)
        # Most annual appraisals rest on a plan with realisation; some are flagged (docs/SKP.md).
        verdicts = Counter(a["verdict"] for a in appraisal_register(app, year=year))
        assert verdicts["CONSISTENT"] > verdicts["INCONSISTENT"] > 0, verdicts
        figures = agency_progress(app, "DINKES", year, app.today())
        assert figures["staff_in_service"] > figures["with_plan"] > 0, figures
    finally:
        app.close()


def test_worker_once_catches_up(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LEDGER_DATA_DIR", str(settings.data_dir))
    app = KinerjaLedger(settings)
    try:
        app.register_agency(HR, code="DINKES", name="Dinas Kesehatan")
        result = runner.invoke(cli, ["worker", "--once"])
        assert result.exit_code == 0, result.output
        names = sorted(p.name for p in default_projections())
        assert result.stdout == f"caught up: {len(names)} event applications\n"  # one event, each projection
        status = json.loads(runner.invoke(cli, ["projections", "status", "--json"]).output)
        assert [(p["name"], p["position"], p["lag"]) for p in status["projections"]] == [
            (name, 1, 0) for name in names
        ]
    finally:
        app.close()

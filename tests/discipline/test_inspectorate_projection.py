"""The read model `sanctions_verification`: it agrees with the direct verification, follows appeals
and revocations, filters the register, and a rebuild writes the same rows."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.application import KinerjaLedger
from ledger.discipline.inspection import inspect_sanction, verify_all
from ledger.discipline.model import CHECK_NAMES
from ledger.errors import NotFound, ValidationFailed
from projections.base import view_name
from projections.discipline.verdicts import (
    NAME,
    SanctionsVerification,
    sanction_verification,
    verdict_register,
)
from projections.runner import ProjectionRunner
from tests.discipline.test_inspectorate_scenarios import (
    PPK,
    SCENARIOS,
    SEDANG_ABSENCE,
    SEKDA,
    Case,
    dismissal,
    seed_world,
)
from tests.factories import HR


@pytest.fixture(autouse=True)
def _no_stale_views(app: KinerjaLedger) -> None:
    """The PostgreSQL test database is emptied with TRUNCATE between tests, which keeps the views of
    an earlier test's generations; the runner would then fail to recreate generation 1 under them."""
    with app.sql.transaction() as tx:
        for logical in SanctionsVerification.tables:
            tx.execute(f"DROP VIEW IF EXISTS {view_name(NAME, logical)}")


def runner(app: KinerjaLedger, batch_size: int = 500) -> ProjectionRunner:
    return ProjectionRunner(app, [SanctionsVerification()], batch_size=batch_size)


def without_position(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "position"} for r in rows]


def test_read_model_agrees_with_the_ledger_and_rebuilds_the_same(app: KinerjaLedger) -> None:
    seed_world(app)
    for s in SCENARIOS:
        s.build(Case(app, **dict(s.register)))
    # One event per batch: the rows must not depend on how the log was cut into batches.
    r = runner(app, batch_size=1)
    r.run_once()
    direct = sorted(without_position(verify_all(app)), key=lambda d: (d["decided_on"], d["sanction_id"]))
    register = verdict_register(app)
    # 37 scenarios; five of them record an earlier decree of the same employee as well.
    assert len(register) == len(direct) == len(SCENARIOS) + 5 == 42
    assert register == direct
    assert {d["verdict"] for d in register} == {"CONSISTENT", "INCONSISTENT"}

    report = runner(app).rebuild(NAME)
    assert report.differing_rows == 0, report.diffs
    assert verdict_register(app) == register

    inconsistent = verdict_register(app, verdict="INCONSISTENT")
    # One row per inconsistent scenario, plus the second decree of the repeated examination
    # (that scenario returns the first), which fails check 6.
    expected = [tuple(CHECK_NAMES[n - 1] for n in sorted(s.failing)) for s in SCENARIOS if s.failing]
    expected.append(("one_penalty_per_examination",))
    assert sorted(tuple(d["failed_checks"]) for d in inconsistent) == sorted(expected)
    assert inconsistent == [d for d in register if d["verdict"] == "INCONSISTENT"]
    assert len(verdict_register(app, verdict="CONSISTENT")) == len(register) - len(inconsistent)


def test_register_filters_by_the_agency_at_the_decision(app: KinerjaLedger) -> None:
    seed_world(app)
    app.register_agency(HR, code="DISDIK", name="Dinas Pendidikan")
    c = Case(app)
    before = c.impose()
    app.transfer_employee(HR, c.nip, agency="DISDIK", position="Guru", effective_date="2026-02-21")
    after = c.impose(decided_on="2026-02-26", examined_on="2026-02-25", summoned_on="2026-02-24")
    runner(app).run_once()
    assert [d["sanction_id"] for d in verdict_register(app, agency="DINKES")] == [before]
    assert [d["sanction_id"] for d in verdict_register(app, agency="DISDIK")] == [after]
    assert verdict_register(app, agency="DISHUB") == []
    with pytest.raises(ValidationFailed) as bad_verdict:
        verdict_register(app, verdict="MAYBE")
    assert [(e.field, e.reason) for e in bad_verdict.value.errors] == [
        ("verdict", "must be one of CONSISTENT, INCONSISTENT")
    ]
    with pytest.raises(ValidationFailed) as bad_agency:
        verdict_register(app, agency="not a code!")
    assert [(e.field, e.reason) for e in bad_agency.value.errors] == [("agency", "must be an agency code")]


def test_rows_follow_appeals_and_revocations(app: KinerjaLedger) -> None:
    seed_world(app)
    c = Case(app)
    dismissed = dismissal(c)
    other = Case(app)
    tukin = other.impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_6", **SEKDA)
    r = runner(app, batch_size=1)
    r.run_once()

    def row(sanction_id: str, on: date | None = None) -> dict[str, Any]:
        return next(d for d in verdict_register(app, on=on) if d["sanction_id"] == sanction_id)

    assert row(dismissed)["verdict"] == "CONSISTENT"
    # A KEBERATAN cannot lie against a dismissal: the verdict turns when the appeal is processed.
    appeal = app.file_appeal(HR, c.nip, dismissed, kind="KEBERATAN", filed_on="2026-02-24")
    r.run_once()
    assert (row(dismissed)["verdict"], row(dismissed)["failed_checks"]) == ("INCONSISTENT", ["appeals"])
    app.decide_appeal(
        HR,
        c.nip,
        dismissed,
        appeal.event_id,
        outcome="ANNULLED",
        decided_on="2026-02-27",
        decree_number="K/1",
    )
    r.run_once()
    annulled = row(dismissed)
    assert (annulled["status"], annulled["annulled"]) == ("ANNULLED", True)
    assert annulled["appeals"][0]["outcome"] == "ANNULLED"

    app.revoke_sanction(
        HR, other.nip, tukin, reason="Salah hitung", decree_number="R/1", decided_on="2026-03-01"
    )
    r.run_once()
    assert row(tukin, date(2026, 2, 28))["status"] == "IN_FORCE"
    revoked = row(tukin, date(2026, 3, 1))
    assert (revoked["lifecycle"], revoked["status"], revoked["in_force_until"]) == (
        "REVOKED",
        "REVOKED",
        "2026-03-01",
    )
    # A revocation is no appeal: the verdict stands.
    assert revoked["verdict"] == "CONSISTENT"
    assert without_position([inspect_sanction(app, tukin, on=date(2026, 3, 1))]) == [revoked]


def test_a_row_shows_the_log_as_it_stood_at_its_position(app: KinerjaLedger) -> None:
    seed_world(app)
    c = Case(app)
    sanction_id = c.impose(violation={"description": "x", "level": "BERAT"}, penalty="PEMBERHENTIAN", **PPK)
    c.appeal(sanction_id, "KEBERATAN")
    r = runner(app, batch_size=1)
    sanction_position = inspect_sanction(app, sanction_id)["position"]
    r.run_once(max_batches=sanction_position)
    early = verdict_register(app)
    assert [(d["verdict"], d["appeals"]) for d in early] == [("CONSISTENT", [])]
    r.run_once()
    assert verdict_register(app)[0]["verdict"] == "INCONSISTENT"


def test_single_verification_is_current_without_the_read_model(app: KinerjaLedger) -> None:
    seed_world(app)
    c = Case(app)
    sanction_id = c.impose(penalty="POTONGAN_TUKIN_6", **SEKDA)
    result = sanction_verification(app, sanction_id)
    assert (result["verdict"], result["failed_checks"]) == ("INCONSISTENT", ["penalty_matches_level"])
    assert result == inspect_sanction(app, sanction_id)
    for unknown in (f"{c.employee_id}:99", f"{c.employee_id}:1", "not-an-id", c.appraisal):
        with pytest.raises(NotFound) as missing:
            sanction_verification(app, unknown)
        assert missing.value.detail == f"unknown sanction {unknown}"

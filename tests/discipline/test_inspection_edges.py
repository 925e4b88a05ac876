"""Which authority table judges a decision, how far the log is read, and the configured-table file.

Written against surviving mutants of ledger/inspection.py (docs/TESTING.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest

from ledger.application import KinerjaLedger
from ledger.discipline.authority import AUTHORITY_FILE, load_authority_tables, rules_on
from ledger.discipline.inspection import inspect_sanction, sanction_ids, verify_all, verify_sanction
from ledger.discipline.lifecycle import Standing, sanction_lifecycle
from ledger.rules import AUTHORITY_TABLES
from ledger.vocabulary import DecidingRole, Level
from tests.discipline.test_inspectorate_scenarios import SEDANG_ABSENCE, SEKDA, Case, seed_world
from tests.factories import HR, nip_for, seed_agency

# From 2026-01-01 a Sekda may impose only ringan penalties: the sedang decision below then fails.
SEKDA_RINGAN_ONLY = {
    "version": "kewenangan/test.1",
    "legal_basis": "Keputusan (contoh)",
    "effective_from": "2026-01-01",
    "grants": {"PPK": ["RINGAN", "SEDANG", "BERAT"], "SEKDA": ["RINGAN"]},
}


def sekda_sedang_decision(app: KinerjaLedger) -> str:
    seed_world(app)
    return Case(app).impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_6", **SEKDA)


def configure(app: KinerjaLedger, *tables: Mapping[str, object]) -> None:
    (app.settings.data_dir / AUTHORITY_FILE).write_text(json.dumps(list(tables)), encoding="utf-8")


def test_the_configured_table_judges_unless_a_history_is_given(app: KinerjaLedger) -> None:
    sid = sekda_sedang_decision(app)
    assert verify_sanction(app, sid).verdict == "CONSISTENT"
    configure(app, SEKDA_RINGAN_ONLY)

    configured = verify_sanction(app, sid)
    assert (configured.verdict, configured.failed) == ("INCONSISTENT", ["official_authorised"])
    assert configured.rule_versions["authority"] == "kewenangan/test.1"
    [row] = verify_all(app)
    assert (row["sanction_id"], row["verdict"], row["failed_checks"]) == (
        sid,
        "INCONSISTENT",
        ["official_authorised"],
    )
    assert row["rule_versions"]["authority"] == "kewenangan/test.1"

    shown = inspect_sanction(app, sid)
    assert (shown["verdict"], shown["rule_versions"]["authority"]) == ("INCONSISTENT", "kewenangan/test.1")

    # an explicit history wins over the file
    shown = inspect_sanction(app, sid, authority=AUTHORITY_TABLES)
    assert (shown["verdict"], shown["rule_versions"]["authority"]) == (
        "CONSISTENT",
        "kewenangan/default-kota.1",
    )
    given = verify_sanction(app, sid, authority=AUTHORITY_TABLES)
    assert (given.verdict, given.rule_versions["authority"]) == ("CONSISTENT", "kewenangan/default-kota.1")
    [row] = verify_all(app, authority=AUTHORITY_TABLES)
    assert (row["verdict"], row["rule_versions"]["authority"]) == ("CONSISTENT", "kewenangan/default-kota.1")


def test_upto_judges_with_the_log_as_it_stood(app: KinerjaLedger) -> None:
    seed_world(app)
    case = Case(app)
    sid = case.impose()
    [row] = verify_all(app)
    sanction_position = row["position"]
    case.appeal(sid, "KEBERATAN", outcome="ANNULLED")
    now = verify_sanction(app, sid)
    then = verify_sanction(app, sid, upto=sanction_position)
    assert (now.annulled, len(now.appeals)) == (True, 1)
    assert (then.annulled, then.appeals) == (False, ())
    shown_now = inspect_sanction(app, sid)
    shown_then = inspect_sanction(app, sid, upto=sanction_position)
    assert (shown_now["annulled"], shown_then["annulled"]) == (True, False)


def test_evidence_citing_the_decision_itself_is_not_evidence(app: KinerjaLedger) -> None:
    # Evidence ids are only checked for form when recorded, so a decision can cite the id its own
    # event is about to get; it was not recorded before the decision and must not count.
    seed_world(app)
    case = Case(app)
    own = f"{case.employee_id}:{app.employee(case.nip).version + 1}"
    sid = case.impose(evidence=[own])
    assert sid == own
    verdict = verify_sanction(app, sid)
    assert verdict.failed == ["evidence"]
    # compared without case: the report capitalises its first letter, also when that is an id's
    detail = f"{own} is not among the events recorded before this sanction."
    assert verdict.checks[2].detail_en.lower() == detail.lower()


def test_the_prior_record_replays_every_event_before_the_decision(app: KinerjaLedger) -> None:
    # The second event of the stream (a transfer) decides the agency the verdict reports.
    seed_world(app)
    seed_agency(app, "DISDIK", "Dinas Pendidikan")
    nip = nip_for(900)
    app.register_employee(
        HR, nip=nip, name="Pegawai", agency="DINKES", position="Staf", grade="II/c", employment_type="PNS"
    )
    app.transfer_employee(HR, nip, agency="DISDIK", position="Staf", effective_date="2026-01-05")
    sid = app.impose_sanction(
        HR,
        nip,
        violation={"description": "Meninggalkan tugas tanpa izin atasan", "level": "RINGAN"},
        penalty="TEGURAN_TERTULIS",
        decided_by_role="KEPALA_OPD",
        decided_by_name="Kepala Dinas Pendidikan",
        decree_number="800/1/SK-HD/2026",
        decided_on="2026-02-20",
    ).event_id
    assert verify_sanction(app, sid).agency == "DISDIK"


def test_sanction_ids_pages_without_skipping(app: KinerjaLedger) -> None:
    seed_world(app)
    case = Case(app)
    first, second = case.impose(), case.impose()
    # back to back in the log: a page of one ends exactly before the next sanction
    assert int(second.rsplit(":", 1)[1]) == int(first.rsplit(":", 1)[1]) + 1
    assert list(sanction_ids(app, batch=1)) == [first, second]
    assert list(sanction_ids(app, batch=2)) == [first, second]


def test_load_authority_tables_reads_every_field(tmp_path: Path) -> None:
    path = tmp_path / AUTHORITY_FILE
    without_basis = {k: v for k, v in SEKDA_RINGAN_ONLY.items() if k != "legal_basis"}
    path.write_text(json.dumps([SEKDA_RINGAN_ONLY, {**without_basis, "version": "v2"}]), encoding="utf-8")
    first, second = load_authority_tables(path)
    assert (first.version, first.legal_basis, first.effective_from) == (
        "kewenangan/test.1",
        "Keputusan (contoh)",
        date(2026, 1, 1),
    )
    assert first.grants == {
        DecidingRole.PPK: frozenset({Level.RINGAN, Level.SEDANG, Level.BERAT}),
        DecidingRole.SEKDA: frozenset({Level.RINGAN}),
    }
    assert (second.version, second.legal_basis) == ("v2", "")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{}", "{path}: expected a JSON list of authority table versions"),
        (
            '[{"version": "x", "extra": 1}]',
            "{path}[0]: expected {{version, legal_basis, effective_from, grants}}",
        ),
        ('[{"version": "x", "effective_from": "2026-01-01"}]', "{path}[0]: 'grants'"),
        (
            '[{"version": "x", "effective_from": "2026-01-01", "grants": {"MAYOR": []}}]',
            "{path}[0]: 'MAYOR' is not a valid DecidingRole",
        ),
    ],
)
def test_load_authority_tables_refusals_name_the_place(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / AUTHORITY_FILE
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        load_authority_tables(path)
    assert str(raised.value) == message.format(path=path)


def test_rules_on_defaults_to_the_built_in_authority_table() -> None:
    discipline, table = rules_on(date(2026, 2, 20))
    assert discipline is not None and discipline.version == "disiplin/2021.1"
    assert table is not None and table.version == "kewenangan/default-kota.1"


SANCTION = {
    "effective_date": "2026-01-01",
    "in_force_until": "2026-07-01",
    "penalty": "POTONGAN_TUKIN_6",
    "level": "SEDANG",
    "status": "REVOKED",
    "revoked_on": "2026-07-01",
}


def test_a_revocation_on_the_natural_end_day_does_not_end_the_penalty_early() -> None:
    # no appeals key at all: the entry of a sanction nobody appealed
    lifecycle = sanction_lifecycle(SANCTION, date(2026, 8, 1))
    # It ran its course, but it was revoked: the status says so (never ENDED after a revocation).
    assert (lifecycle["in_force_until"], lifecycle["ended_by_revocation"], lifecycle["status"]) == (
        "2026-07-01",
        False,
        Standing.REVOKED,
    )
    assert sanction_lifecycle(SANCTION, date(2026, 6, 30))["status"] == Standing.IN_FORCE
    assert lifecycle["modified"] is False
    early = sanction_lifecycle({**SANCTION, "revoked_on": "2026-06-30"}, date(2026, 8, 1))
    assert (early["in_force_until"], early["ended_by_revocation"]) == ("2026-06-30", True)


def test_a_revocation_date_counts_only_for_a_revoked_sanction() -> None:
    kept = sanction_lifecycle({**SANCTION, "status": "IMPOSED", "revoked_on": "2026-03-01"}, date(2026, 4, 1))
    assert (kept["revoked_on"], kept["in_force_until"], kept["status"]) == (None, "2026-07-01", "IN_FORCE")

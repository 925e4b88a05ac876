"""The discipline checks when no rule version was in force on the decision date.

Written against surviving mutants of ledger/verification.py (docs/TESTING.md).
"""

from __future__ import annotations

from datetime import date

from ledger.application import KinerjaLedger
from ledger.discipline.checks import judge_decision
from ledger.discipline.inspection import verify_sanction
from ledger.discipline.model import Check
from ledger.rules import AUTHORITY_TABLES, DISCIPLINE_RULES
from tests.discipline.test_inspectorate_scenarios import Case, seed_world

DECIDED = "2026-02-20"


def test_checks_without_a_rule_in_force_fail_and_say_which_rule(app: KinerjaLedger) -> None:
    seed_world(app)
    decision = verify_sanction(app, Case(app).impose()).decision
    on = decision.decided_on
    assert on == date.fromisoformat(DECIDED)

    found = judge_decision(decision, None, {}, None, None)
    assert (found.nip, found.agency) == ("", "")
    assert found.rule_versions == {"discipline": None, "authority": None}
    rule = ("aturan disiplin", "discipline rule")
    table = ("tabel kewenangan", "authority table")

    def missing(number: int, name: str, what: tuple[str, str]) -> Check:
        return Check(
            number,
            name,
            False,
            f"Tidak ada versi {what[0]} yang berlaku pada tanggal keputusan {on}.",
            f"No version of the {what[1]} was in force on the decision date {on}.",
        )

    assert found.checks[0] == missing(1, "penalty_matches_level", rule)
    assert found.checks[1] == missing(2, "absence_table", rule)
    assert found.checks[4] == missing(5, "official_authorised", table)

    # with the authority table but no discipline rule, check 5 names the rule that is missing
    table_only = judge_decision(decision, None, {}, None, AUTHORITY_TABLES.in_force(on))
    assert table_only.checks[4] == missing(5, "official_authorised", rule)
    assert table_only.rule_versions == {"discipline": None, "authority": "kewenangan/default-kota.1"}
    both = judge_decision(decision, None, {}, DISCIPLINE_RULES.in_force(on), AUTHORITY_TABLES.in_force(on))
    assert [c.passed for c in (both.checks[0], both.checks[1], both.checks[4])] == [True, True, True]

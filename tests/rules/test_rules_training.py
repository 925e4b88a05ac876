"""Pengembangan kompetensi: PP 17/2020 Pasal 203 ayat (4), at least 20 JP a calendar year.

Every value is written out independently of ledger/rules/training.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledger.application import KinerjaLedger
from ledger.domain.envelope import LedgerEvent
from ledger.errors import ValidationFailed
from ledger.rules import TRAINING_RULES
from tests.factories import HR, NIP_BUDI, seed_basic

RULE = TRAINING_RULES.in_force(date(2026, 1, 1))


def test_the_rule_in_force() -> None:
    assert RULE.version == "kompetensi/2020.1"
    assert RULE.legal_basis == "PP 17/2020 Pasal 203 ayat (4) (paling sedikit 20 JP setahun)"
    assert RULE.effective_from == date(2020, 3, 31)
    assert TRAINING_RULES.find(date(2020, 3, 30)) is None


# PP 17/2020 Pasal 203 ayat (4): 20 JP a year; one JP is 45 minutes. The per-record bounds are
# the ledger's own plausibility limits (the longest diklat runs a few hundred JP).
def test_the_table_is_as_written() -> None:
    assert RULE.minimum_jp_per_year == 20
    assert RULE.minutes_per_jp == 45
    assert (RULE.min_jp_per_record, RULE.max_jp_per_record) == (Decimal("0.5"), Decimal(1000))


@pytest.mark.parametrize(
    ("jp", "compliant"),
    [("0", False), ("19.5", False), ("19.99", False), ("20", True), ("20.0", True), ("20.5", True)],
)
def test_twenty_jp_edge(jp: str, compliant: bool) -> None:
    assert RULE.compliant(Decimal(jp)) is compliant


@pytest.mark.parametrize(
    ("hours", "accepted"),
    [("0.4", False), ("0.49", False), ("0.5", True), ("1000", True), ("1000.01", False), ("1000.5", False)],
)
def test_one_record_bounds(app: KinerjaLedger, hours: str, accepted: bool) -> None:
    seed_basic(app)

    def record() -> str:
        return app.record_training(
            HR, NIP_BUDI, title="Diklat", hours_jp=hours, completed_on="2025-06-02", provider="LAN"
        ).event_id

    if accepted:
        eid = record()
        assert app.employee(NIP_BUDI).training_jp == {"2025": hours}
        assert eid == f"{app.employee(NIP_BUDI).id}:2"
    else:
        with pytest.raises(ValidationFailed) as err:
            record()
        assert [(e.field, e.reason) for e in err.value.errors] == [
            ("hours_jp", "must be between 0.5 and 1000 JP")
        ]


@pytest.mark.parametrize(
    ("completed", "version"), [("2020-03-30", None), ("2020-03-31", "kompetensi/2020.1")]
)
def test_training_before_the_rule_is_recorded_without_a_rule_version(
    app: KinerjaLedger, completed: str, version: str | None
) -> None:
    seed_basic(app)
    result = app.record_training(
        HR, NIP_BUDI, title="Diklat", hours_jp=8, completed_on=completed, provider="LAN"
    )
    [event] = [e for e in app.events.get(app.employee(NIP_BUDI).id) if e.originator_version == result.version]
    assert isinstance(event, LedgerEvent)
    assert event.rule_version == version

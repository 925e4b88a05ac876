"""Each decision is judged by the rule versions in force on its decision date, also when it is
verified again after a new version took effect; the authority table is per-deployment data."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ledger.application import KinerjaLedger
from ledger.discipline import authority
from ledger.discipline.authority import AUTHORITY_FILE, authority_tables
from ledger.discipline.inspection import verify_sanction
from ledger.rules import DISCIPLINE_RULES, RuleHistory
from ledger.rules.discipline import AbsenceBand
from ledger.vocabulary import PenaltyCode
from tests.conftest import FakeClock
from tests.discipline.test_inspectorate_scenarios import SEDANG_ABSENCE, SEKDA, Case, seed_world

BINJAI_2 = {
    "version": "kewenangan/binjai.2",
    "legal_basis": "Keputusan Wali Kota (contoh): Sekda hanya hukuman ringan",
    "effective_from": "2026-03-01",
    "grants": {
        "PPK": ["RINGAN", "SEDANG", "BERAT"],
        "SEKDA": ["RINGAN"],
        "KEPALA_OPD": ["RINGAN"],
        "ATASAN_LANGSUNG": ["RINGAN"],
    },
}


def test_new_authority_version_applies_from_its_date_only(app: KinerjaLedger, clock: FakeClock) -> None:
    seed_world(app)
    c = Case(app)
    before = c.impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_6", **SEKDA)
    first = verify_sanction(app, before)
    assert first.verdict == "CONSISTENT"
    assert first.rule_versions["authority"] == "kewenangan/default-kota.1"

    (app.settings.data_dir / AUTHORITY_FILE).write_text(json.dumps([BINJAI_2]), encoding="utf-8")
    again = verify_sanction(app, before)
    assert again.as_dict() == first.as_dict()

    clock.advance(days=2)
    after = c.impose(
        violation=SEDANG_ABSENCE,
        penalty="POTONGAN_TUKIN_6",
        decided_on="2026-03-03",
        summoned_on="2026-02-26",
        examined_on="2026-03-02",
        bap_number="BAP/after",
        **SEKDA,
    )
    later = verify_sanction(app, after)
    assert later.rule_versions["authority"] == "kewenangan/binjai.2"
    assert later.failed == ["official_authorised"]
    assert "kewenangan/binjai.2" in later.checks[4].detail_en


def test_new_discipline_version_does_not_rejudge_old_decisions(
    app: KinerjaLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_world(app)
    c = Case(app)
    sid = c.impose(violation=SEDANG_ABSENCE, penalty="POTONGAN_TUKIN_6", **SEKDA)
    first = verify_sanction(app, sid).as_dict()
    assert first["verdict"] == "CONSISTENT"
    # A hypothetical stricter absence table from 2026-02-21 (the day after the decision).
    current = DISCIPLINE_RULES.in_force(date(2026, 2, 20))
    stricter = replace(
        current,
        version="disiplin/2026.1",
        effective_from=date(2026, 2, 21),
        absence_bands=tuple(
            AbsenceBand(b.min_days, b.max_days, PenaltyCode.POTONGAN_TUKIN_12)
            if b.penalty is PenaltyCode.POTONGAN_TUKIN_6
            else b
            for b in current.absence_bands
        ),
    )
    monkeypatch.setattr(authority, "DISCIPLINE_RULES", RuleHistory((*DISCIPLINE_RULES.versions, stricter)))
    assert verify_sanction(app, sid).as_dict() == first
    newer = c.impose(
        violation=SEDANG_ABSENCE,
        penalty="POTONGAN_TUKIN_6",
        decided_on="2026-02-25",
        bap_number="B/2",
        **SEKDA,
    )
    judged = verify_sanction(app, newer)
    assert (judged.rule_versions["discipline"], judged.failed) == ("disiplin/2026.1", ["absence_table"])


def test_authority_file_is_validated(tmp_path: Path) -> None:
    assert [t.version for t in authority_tables(tmp_path).versions] == [
        "kewenangan/pp53-kota.1",
        "kewenangan/default-kota.1",
    ]
    built_in = authority_tables(None).find(date(2026, 1, 1))
    assert built_in is not None and built_in.version == "kewenangan/default-kota.1"
    path = tmp_path / AUTHORITY_FILE
    path.write_text(json.dumps([BINJAI_2]), encoding="utf-8")
    tables = authority_tables(tmp_path)
    assert tables.in_force(date(2026, 2, 28)).version == "kewenangan/default-kota.1"
    assert tables.in_force(date(2026, 3, 1)).version == "kewenangan/binjai.2"
    for bad, message in [
        ("not json", "cannot read"),
        (json.dumps({"version": "x"}), "JSON list"),
        (json.dumps([{**BINJAI_2, "grants": {"CAMAT": ["RINGAN"]}}]), "CAMAT"),
        (json.dumps([{**BINJAI_2, "effective_from": "2026-02-30"}]), r"\[0\]"),
        (json.dumps([{**BINJAI_2, "extra": 1}]), "expected"),
        (json.dumps([{**BINJAI_2, "version": "kewenangan/default-kota.1"}]), "already defined"),
    ]:
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(ValueError, match=message):
            authority_tables(tmp_path)

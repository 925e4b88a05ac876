"""The shipped sample history (tests/data/import/binjai_30_years.ndjson, synthetic): 30 years of
50 employees of Kota Binjai go through `ledger import` whole, a re-run changes nothing, and the
facts land where the read models look for them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ledger.application import KinerjaLedger
from ledger.importing import import_file
from projections import queries
from projections.discipline.verdicts import verdict_register
from tests.paths import ROOT
from tests.projection_support import catch_up

DATA = ROOT / "tests" / "data" / "import"
HISTORY = DATA / "binjai_30_years.ndjson"
BY_KIND = {
    "agency": 11,
    "appeal": 3,
    "appeal_decision": 3,
    "appraisal": 502,
    "award": 48,
    "employee": 50,
    "leave": 1,
    "leave_end": 1,
    "sanction": 9,
    "sanction_revocation": 1,
    "service_end": 5,
    "service_unit": 6,
    "suspension": 1,
    "suspension_end": 1,
    "training": 690,
    "transfer": 12,
}
LINES = 1344
ABSENT_2019 = "198306152008032001"  # the 2019 absence sanction (binjai-hukdis-5)
SLKS_20 = "198112282005041001"  # 20 years on 2025-04-01, granted on 17 August


def head(app: KinerjaLedger) -> int:
    return int(app.recorder.max_notification_id() or 0)


def event_id_of(app: KinerjaLedger, source_ref: str) -> str:
    found = app.ledger_recorder.find_idempotency(f"import:{source_ref}")
    assert found is not None, source_ref
    return str(found[1]["event_id"])


def test_the_generator_writes_the_shipped_file(tmp_path: Path) -> None:
    """The file is the generator's output, byte for byte (a fixed seed, no clock)."""
    copy = tmp_path / "make.py"
    copy.write_text((DATA / "make_binjai_30_years.py").read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run([sys.executable, str(copy)], check=True, cwd=ROOT, capture_output=True)
    assert (tmp_path / "binjai_30_years.ndjson").read_bytes() == HISTORY.read_bytes()


def test_thirty_years_of_binjai_import_whole_once(app: KinerjaLedger) -> None:
    dry = import_file(app, HISTORY, dry_run=True)
    assert dry.as_dict() == {
        "dry_run": True,
        "lines": LINES,
        "imported": LINES,
        "already_imported": 0,
        "refused": 0,
        "by_kind": BY_KIND,
        "errors": [],
    }
    assert head(app) == 0  # the dry run wrote nothing

    real = import_file(app, HISTORY)
    assert real.as_dict() == {**dry.as_dict(), "dry_run": False}
    written = head(app)
    assert written == LINES  # one event per line

    again = import_file(app, HISTORY)
    assert (again.lines, again.imported, again.already, again.refused, again.by_kind) == (
        LINES,
        0,
        LINES,
        [],
        {},
    )
    assert head(app) == written

    catch_up(app)
    # A 2019 absence of 12 days under PP 53/2010: pernyataan tidak puas, verified consistent.
    sanction_id = event_id_of(app, "binjai-hukdis-5")
    (verdict,) = [v for v in verdict_register(app) if v["sanction_id"] == sanction_id]
    assert (verdict["nip"], verdict["decided_on"], verdict["penalty"]) == (
        ABSENT_2019,
        "2019-07-15",
        "PERNYATAAN_TIDAK_PUAS",
    )
    assert (verdict["verdict"], verdict["failed_checks"], verdict["rule_versions"]) == (
        "CONSISTENT",
        [],
        {"discipline": "disiplin/2010.1", "authority": "kewenangan/pp53-kota.1"},
    )
    # The keberatan of 2017 lowered a sedang penalty to a ringan one; the 2020 one annulled it.
    modified = [v for v in verdict_register(app) if v["sanction_id"] == event_id_of(app, "binjai-hukdis-4")]
    assert [(v["penalty_after_appeals"], v["lifecycle"]) for v in modified] == [
        ("PERNYATAAN_TIDAK_PUAS", "MODIFIED")
    ]

    # The Satyalancana Karya Satya 20 of 2025 in the register of candidates.
    (row,) = [i for i in queries.satyalancana_register(app, 2025)["items"] if i["nip"] == SLKS_20]
    assert row == {
        "nip": SLKS_20,
        "name": "Hendra Nasution",
        "agency": "BKPSDM",
        "employment_type": "PNS",
        "service_start_date": "2005-04-01",
        "years": 20,
        "award_type": "SATYALANCANA_KARYA_SATYA_20",
        "reached_on": "2025-04-01",
        "days_not_counted": 0,
        "not_counted_ids": [],
        "service_ended_on": None,
        "eligible": True,
        "ineligibility": [],
        "rule_version": "penghargaan/2010.1",
        "granted": True,
        "award": {
            "award_id": event_id_of(app, "binjai-slks20-16"),
            "decree_date": "2025-08-17",
            "eligible": True,
        },
    }
    # The CLTN of 2011-2013 (732 days) moves the 20 years of the bidan to 2 March 2025.
    cltn = [i for i in queries.satyalancana_register(app, 2025)["items"] if i["days_not_counted"]]
    assert [(i["service_start_date"], i["reached_on"], i["not_counted_ids"]) for i in cltn] == [
        ("2003-03-01", "2025-03-02", [event_id_of(app, "binjai-cltn-1")])
    ]

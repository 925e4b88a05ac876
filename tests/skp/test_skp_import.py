"""`ledger import` of the performance management cycle: an e-Kinerja extract of plans,
revisions, realisations, dialogues and BerAKHLAK feedback, resumable by source_ref."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ledger.application import KinerjaLedger
from ledger.importing import import_file
from tests.factories import NIP_BUDI, NIP_SARI, seed_basic

ITEM = {
    "rhk": "Meningkatnya cakupan imunisasi",
    "indicators": [{"aspect": "KUANTITAS", "name": "Balita diimunisasi", "target": 400, "unit": "anak"}],
}


def lines(*facts: dict[str, Any]) -> list[str]:
    return [json.dumps(f) for f in facts]


def test_the_cycle_imports_and_a_re_run_is_a_no_op(app: KinerjaLedger, tmp_path: Path) -> None:
    seed_basic(app)
    path = tmp_path / "ekinerja.ndjson"
    facts = [
        {
            "kind": "skp",
            "source_ref": "skp-1",
            "nip": NIP_BUDI,
            "year": 2025,
            "items": [ITEM],
            "appraiser_nip": NIP_SARI,
        },
        {
            "kind": "skp_revision",
            "source_ref": "skp-1-r1",
            "nip": NIP_BUDI,
            "skp_ref": "skp-1",
            "items": [ITEM, {**ITEM, "rhk": "Laporan"}],
            "appraiser_nip": NIP_SARI,
            "reason": "RHK tambahan",
        },
        {
            "kind": "realisation",
            "source_ref": "real-1",
            "nip": NIP_BUDI,
            "skp_ref": "skp-1",
            "item": 2,
            "indicator": 1,
            "period": "2025-Q3",
            "value": 120,
            "evidence_ref": "800/45/PKM/2025",
        },
        {
            "kind": "dialogue",
            "source_ref": "dk-1",
            "nip": NIP_BUDI,
            "held_on": "2025-07-14",
            "summary": "Triwulan II",
        },
        {
            "kind": "behaviour_feedback",
            "source_ref": "fb-1",
            "nip": NIP_BUDI,
            "value": "AKUNTABEL",
            "rating": "SESUAI_EKSPEKTASI",
            "source": "SUPERVISOR",
        },
        {
            "kind": "realisation",
            "source_ref": "real-2",
            "nip": NIP_BUDI,
            "skp_ref": "skp-9",
            "item": 1,
            "indicator": 1,
            "period": "2025-01",
            "value": 1,
        },
    ]
    path.write_text("\n".join(lines(*facts)) + "\n")
    dry = import_file(app, path, dry_run=True)
    assert (dry.imported, [(e.line, e.detail) for e in dry.refused]) == (
        5,
        [(6, "skp_ref: no earlier line or earlier import has this source_ref")],
    )
    assert app.employee(NIP_BUDI).skp_state()["plans"] == {}
    report = import_file(app, path)
    assert report.as_dict()["by_kind"] == {
        "behaviour_feedback": 1,
        "dialogue": 1,
        "realisation": 1,
        "skp": 1,
        "skp_revision": 1,
    }
    (plan,) = app.employee(NIP_BUDI).skp_state()["plans"].values()
    assert (len(plan["items"]), len(plan["revisions"]), len(plan["realisations"])) == (2, 1, 1)
    again = import_file(app, path)
    assert (again.imported, again.already, len(again.refused)) == (0, 5, 1)

"""Wrote old_forms.json once, with the code as it was before decimals were stored as plain digits
(commit 5a2489c). It refuses to overwrite it: see README.md beside it.

Until then `TrainingCompleted.hours_jp` was `str(Decimal(hours).normalize())`, so 20 JP was
stored as "2E+1", and `ProgramOutcomeRecorded.target/achieved` was `str(Decimal(value))`, so a
target given as "1e3" was stored as "1E+3". Those events are in deployed ledgers for ever; the
file keeps the whole stored log of a small history that holds them, so a test can load it into a
fresh store and check that every output reads them as plain numbers. Run from the repository
root: `.venv/bin/python tests/data/known_answers/generate_old_forms.py` (it cannot reproduce the
old form with today's code: that is the point of keeping the file).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from ledger.application import KinerjaLedger  # noqa: E402
from ledger.config import Settings  # noqa: E402
from tests.conftest import FakeClock  # noqa: E402
from tests.domain.test_known_answers_events import History  # noqa: E402
from tests.factories import NIP_BUDI  # noqa: E402

FIXTURE = Path(__file__).with_name("old_forms.json")


def build_old_forms(app: KinerjaLedger, clock: FakeClock) -> None:
    h = History(app, clock)
    h.run(app.register_agency, code="DINKES", name="Dinas Kesehatan")
    h.run(app.register_agency, code="DISDUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil")
    h.run(
        app.register_employee,
        nip=NIP_BUDI,
        name="Budi Santoso",
        agency="DINKES",
        position="Perawat Ahli Pertama",
        grade="III/b",
        employment_type="PNS",
    )
    for title, completed_on in (("Pelatihan Dasar", "2025-03-10"), ("Pelatihan Lanjutan", "2025-06-10")):
        h.run(
            app.record_training,
            NIP_BUDI,
            title=title,
            hours_jp=20.0,  # as the HTTP API passes a JSON number
            completed_on=completed_on,
            provider="Bapelkes Provinsi",
        )
    h.run(
        app.launch_program,
        code="PRG-STUNTING",
        name="Percepatan Penurunan Stunting",
        agencies=["DINKES", "DISDUKCAPIL"],
    )
    h.run(app.add_program_participant, "PRG-STUNTING", nip=NIP_BUDI, role="Tenaga kesehatan")
    h.run(
        app.record_program_outcome,
        "PRG-STUNTING",
        indicator="Balita ditimbang",
        target="1e3",
        achieved="1.2e3",
        period="2025",
    )


def records(app: KinerjaLedger) -> list[dict[str, Any]]:
    return [
        {
            "kind": n.topic.split(":", 1)[1],
            "originator_id": str(n.originator_id),
            "originator_version": n.originator_version,
            "topic": n.topic,
            "state": bytes(n.state).decode("utf-8"),
        }
        for n in app.recorder.select_notifications(0, 1000)
    ]


def main() -> int:
    if FIXTURE.exists():
        print(f"{FIXTURE} exists: stored data must keep decoding, never regenerate it", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        clock = FakeClock()
        settings = Settings(f"sqlite:///{Path(tmp) / 'ledger.db'}", Path(tmp), "kinerja-ledger/known-answers")
        app = KinerjaLedger(settings, clock=clock)
        try:
            build_old_forms(app, clock)
            data = records(app)
        finally:
            app.close()
    FIXTURE.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(data)} records to {FIXTURE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Wrote stored_events.json once. It refuses to overwrite it: see README.md beside it.

Run from the repository root: `.venv/bin/python tests/data/known_answers/generate.py`.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any
from uuid import UUID

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from ledger.application import KinerjaLedger  # noqa: E402
from ledger.audit.encoding import encode_leaf, event_leaf_hash  # noqa: E402
from ledger.config import Settings  # noqa: E402
from projections.audit import AuditLog, AuditProjection  # noqa: E402
from projections.runner import ProjectionRunner  # noqa: E402
from tests.conftest import FakeClock  # noqa: E402
from tests.domain.test_known_answers_events import FIXTURE, build_history  # noqa: E402


def records(app: KinerjaLedger) -> list[dict[str, Any]]:
    """The first stored event of each topic, in log order, with its audit leaf."""
    ProjectionRunner(app, [AuditProjection()]).run_once()
    leaves = {int(r["leaf_index"]): r for r in AuditLog(app).leaf_rows(0, 1000)}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, n in enumerate(app.recorder.select_notifications(0, 1000)):
        if n.topic in seen:
            continue
        seen.add(n.topic)
        state = bytes(n.state)
        oid = UUID(str(n.originator_id))
        text = state.decode("utf-8")
        assert text.encode("utf-8") == state
        leaf = encode_leaf(index, oid, n.originator_version, n.topic, state)
        assert (
            event_leaf_hash(index, oid, n.originator_version, n.topic, state).hex()
            == (leaves[index]["leaf_hash"])
        )
        out.append(
            {
                "kind": n.topic.split(":", 1)[1],
                "leaf_index": index,
                "originator_id": str(n.originator_id),
                "originator_version": n.originator_version,
                "topic": n.topic,
                "state": text,
                "leaf": leaf.hex(),
                "leaf_hash": leaves[index]["leaf_hash"],
                "chain_hash": leaves[index]["chain_hash"],
            }
        )
    return out


def main() -> int:
    if FIXTURE.exists():
        print(f"{FIXTURE} exists: stored data must keep decoding, never regenerate it", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        clock = FakeClock()
        settings = Settings(f"sqlite:///{Path(tmp) / 'ledger.db'}", Path(tmp), "kinerja-ledger/known-answers")
        app = KinerjaLedger(settings, clock=clock)
        try:
            build_history(app, clock)
            data = records(app)
        finally:
            app.close()
    FIXTURE.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(data)} records to {FIXTURE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

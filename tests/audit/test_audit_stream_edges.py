"""A one-employee export tampered in transit or in the store: every failure the offline verifier
reports, whole (kind, message, leaf, position, event, stream, version, authentication).

The stream-export tests check where each failure points; these pin the full report, which is
what an auditor reads. Written against surviving mutants of ledger/audit/verify.py's
single-stream scan (docs/TESTING.md).
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from ledger.application import KinerjaLedger
from ledger.audit.verify import EXIT_FAILED, PROOF_FIELD
from projections.audit.export import export_stream
from tests.audit.test_audit_stream_export import BUDI, _export_of, altered, lines, prepare, verify
from tests.audit.test_audit_tamper import events_table, insider
from tests.factories import NIP_BUDI, NIP_SARI

SARI = "7994c58c-1712-5901-9a73-09d78605ecf3"
AUTH = "checkpoint of the export (size 11)"
# prepare(): Budi's versions 1..5 are at leaves 1, 3, 5, 7, 9 and positions 2, 4, 6, 8, 10.


def at(leaf: int, version: int, **more: Any) -> dict[str, Any]:
    """The location fields of a failure about Budi's `version` at `leaf`."""
    return {
        "leaf_index": leaf,
        "position": leaf + 1,
        "event_id": f"{BUDI}:{version}",
        "stream": BUDI,
        "version": version,
        **more,
    }


def chain(leaf: int, version: int) -> dict[str, Any]:
    return {
        "kind": "stream-chain",
        "message": f"stream {BUDI} version {version}: chain hash does not match the previous link and this event",
        **at(leaf, version),
    }


def not_included(leaf: int, version: int) -> dict[str, Any]:
    return {
        "kind": "inclusion-proof",
        "message": f"leaf {leaf}: the inclusion proof does not place event {BUDI}:{version} at this leaf of "
        "the checkpoint's tree (size 11), so it is not shown to be in the signed log",
        **at(leaf, version),
    }


def test_leaf_indexes_out_of_order_with_positions_in_order(app: KinerjaLedger, tmp_path: Path) -> None:
    setup = prepare(app, tmp_path)
    rows = lines(setup.export)
    rows[1]["leaf_index"], rows[2]["leaf_index"] = rows[2]["leaf_index"], rows[1]["leaf_index"]
    report, status = verify(setup, altered(setup, tmp_path, "leafswap", rows))
    assert status == EXIT_FAILED

    def mismatch(leaf: int, version: int, position: int) -> dict[str, Any]:
        return {
            "kind": "leaf-mismatch",
            "message": f"leaf {leaf}: stored event {BUDI}:{version} at position {position} does not hash to "
            "the published leaf hash",
            **at(leaf, version, position=position, authenticated_by=None),
        }

    def moved(failure: dict[str, Any], position: int) -> dict[str, Any]:
        return {**failure, "position": position}

    assert report["failures"] == [
        mismatch(5, 2, 4),
        moved(not_included(5, 2), 4),
        moved(chain(5, 2), 4),
        {"kind": "leaf-order", "message": "leaf index 3 does not follow leaf 5", **at(3, 3, position=6)},
        mismatch(3, 3, 6),
        moved(not_included(3, 3), 6),
        moved(chain(3, 3), 6),
    ]


def test_a_forged_proof_is_reported_whole(app: KinerjaLedger, tmp_path: Path) -> None:
    setup = prepare(app, tmp_path)
    rows = lines(setup.export)
    rows[3][PROOF_FIELD][0] = base64.b64encode(b"\x00" * 32).decode()
    report, _ = verify(setup, altered(setup, tmp_path, "proof", rows))
    assert report["failures"] == [not_included(7, 4)]
    assert report["stream"]["inclusion_proofs_verified"] == 4


def test_a_foreign_event_is_reported_whole(app: KinerjaLedger, tmp_path: Path) -> None:
    setup = prepare(app, tmp_path)
    sari = next(r for r in lines(_export_of(app, tmp_path, NIP_SARI)) if r["originator_version"] == 2)
    mixed = sorted([*lines(setup.export), sari], key=lambda r: r["leaf_index"])
    report, _ = verify(setup, altered(setup, tmp_path, "mixed", mixed))
    assert report["failures"] == [
        {
            "kind": "stream-scope",
            "message": f"leaf 4: event {SARI}:2 is not an event of the exported stream {BUDI}",
            "leaf_index": 4,
            "position": 5,
            "event_id": f"{SARI}:2",
            "stream": SARI,
            "version": 2,
        }
    ]


def test_a_changed_state_is_reported_whole(app: KinerjaLedger, tmp_path: Path) -> None:
    setup = prepare(app, tmp_path)
    rows = lines(setup.export)
    rows[2]["state"] = base64.b64encode(b"{}").decode()
    report, _ = verify(setup, altered(setup, tmp_path, "changed", rows))
    assert report["failures"] == [
        {
            "kind": "leaf-mismatch",
            "message": f"leaf 5: stored event {BUDI}:3 at position 6 does not hash to the published leaf hash",
            **at(5, 3, authenticated_by=AUTH),
        },
        chain(5, 3),
    ]
    assert report["stream"]["inclusion_proofs_verified"] == 4


def test_a_cut_or_empty_export_is_reported_against_its_manifest(app: KinerjaLedger, tmp_path: Path) -> None:
    setup = prepare(app, tmp_path)
    report, _ = verify(setup, altered(setup, tmp_path, "cut", lines(setup.export)[:-1]))
    assert report["failures"] == [
        {
            "kind": "stream-head",
            "message": f"stream {BUDI}: the export ends at version 4, but its manifest declares version 5 the "
            "stream's latest as of the checkpoint (size 11)",
            "stream": BUDI,
            "version": 5,
        }
    ]
    report, _ = verify(setup, altered(setup, tmp_path, "empty", []))
    assert report["failures"] == [
        {"kind": "stream-head", "message": f"the export holds no event of stream {BUDI}", "stream": BUDI}
    ]


def test_an_event_deleted_from_the_store_is_reported_whole(app: KinerjaLedger, tmp_path: Path) -> None:
    setup = prepare(app, tmp_path)
    with insider(app, events_table(app)) as tx:
        tx.execute(
            f"DELETE FROM {events_table(app)} WHERE notification_id = ?", (setup.leaves[3]["position"],)
        )
    export_stream(app, tmp_path / "after", NIP_BUDI)
    report, _ = verify(setup, tmp_path / "after")
    assert report["failures"] == [
        {
            "kind": "leaf-missing",
            "message": f"leaf 5: the store no longer holds the event the log recorded at position 6 ({BUDI}:3)",
            **at(5, 3, authenticated_by=AUTH),
        }
    ]
    # only the deleted version is reported: the scan goes on from its published link
    assert report["stream"]["last_version"] == 5

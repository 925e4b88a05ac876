"""One employee's history exported alone (`ledger audit export --nip`) and checked offline:
every shown event is in the signed log at its leaf (RFC 9162 inclusion proof against the signed
checkpoint), and its versions 1..n are complete, in order and chained. Tampering in the store
(by an insider) or in the exported files (in transit) fails and names the version and the leaf.
"""

from __future__ import annotations

import base64
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import KinerjaLedger
from ledger.audit.encoding import GENESIS_CHAIN, chain_hash, event_leaf_hash
from ledger.audit.merkle import verify_inclusion
from ledger.audit.note import generate_signer, open_note, parse_checkpoint, parse_verifier_key
from ledger.audit.verify import (
    CHECKPOINT_FILE,
    EVENTS_FILE,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNUSABLE,
    MANIFEST_FILE,
    PROOF_FIELD,
    STREAM_EXPORT_FORMAT,
    run,
)
from ledger.domain.employee import Employee
from projections.audit import AuditLog
from projections.audit.export import ExportRefused, export_stream
from tests.audit.test_audit_tamper import events_table, insider, train
from tests.factories import NIP_BUDI, NIP_SARI, nip_for, seed_basic, seed_employee

BUDI_ID = Employee.create_id(NIP_BUDI)
BUDI = str(BUDI_ID)


@dataclass
class Setup:
    key: Path
    export: Path  # Budi's export, untouched
    leaves: dict[int, dict[str, Any]]  # Budi's leaves by version: leaf_index, position, hashes

    def leaf(self, version: int) -> int:
        return int(self.leaves[version]["leaf_index"])


def prepare(app: KinerjaLedger, tmp: Path) -> Setup:
    """Budi's versions 1..5 at leaves 1, 3, 5, 7, 9 (Sari's in between); the log has 11 leaves."""
    seed_basic(app)
    for i in range(4):
        train(app, NIP_BUDI, 1, start=i)
        train(app, NIP_SARI, 1, start=i)
    export_stream(app, tmp / "budi", NIP_BUDI)
    audit = AuditLog(app)
    key = tmp / "log.vkey"
    key.write_text(audit.verifier_key() + "\n")
    rows = [r for r in audit.leaf_rows(0, 100) if r["originator_id"] == BUDI]
    leaves = {int(r["originator_version"]): r for r in rows}
    assert [int(r["leaf_index"]) for r in rows] == [1, 3, 5, 7, 9]
    return Setup(key, tmp / "budi", leaves)


def verify(setup: Setup, export: Path, key: str | None = None) -> tuple[dict[str, Any], int]:
    return run(export, key or str(setup.key), [])


def lines(export: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (export / EVENTS_FILE).read_text().splitlines()]


def altered(setup: Setup, tmp: Path, name: str, rows: list[dict[str, Any]], base: Path | None = None) -> Path:
    """A copy of Budi's export (or of `base`) with `rows` as its events (tampered in transit)."""
    copy = tmp / name
    shutil.copytree(base or setup.export, copy)
    (copy / EVENTS_FILE).write_text("".join(json.dumps(r) + "\n" for r in rows))
    return copy


def failures(report: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in report["failures"] if f["kind"] == kind]


def located(failure: dict[str, Any]) -> tuple[str, int | None, int | None]:
    return failure["kind"], failure.get("leaf_index"), failure.get("version")


def test_a_clean_stream_export_verifies_and_holds_only_that_stream(
    app: KinerjaLedger, tmp_path: Path
) -> None:
    setup = prepare(app, tmp_path)
    report, status = verify(setup, setup.export)
    assert status == EXIT_OK and report["ok"], report["failures"]
    assert report["scope"] == "stream" and report["checkpoint"]["signature"] == "valid"
    assert report["stream"] == {
        "originator_id": BUDI,
        "nip": NIP_BUDI,
        "declared_latest_version": 5,
        "last_version": 5,
        "inclusion_proofs_verified": 5,
    }
    assert report["leaves"]["count"] == 5 and report["warnings"] == []
    assert report["streams"] == {"count": 1, "failing": 0}
    manifest = json.loads((setup.export / MANIFEST_FILE).read_text())
    assert manifest["format"] == STREAM_EXPORT_FORMAT and manifest["size"] == 11
    assert manifest["stream"]["latest_version"] == 5 and manifest["stream"]["latest_leaf_index"] == 9
    rows = lines(setup.export)
    assert {r["originator_id"] for r in rows} == {BUDI}  # no one else's data
    assert [r["originator_version"] for r in rows] == [1, 2, 3, 4, 5]
    # Each proof verifies with the RFC 9162 verifier alone, against the signed root.
    note = (setup.export / CHECKPOINT_FILE).read_text()
    checkpoint = parse_checkpoint(open_note(note, [parse_verifier_key(setup.key.read_text().strip())])[0])
    for r in rows:
        leaf = event_leaf_hash(
            r["leaf_index"], BUDI_ID, r["originator_version"], r["topic"], base64.b64decode(r["state"])
        )
        proof = [base64.b64decode(p) for p in r[PROOF_FIELD]]
        assert verify_inclusion(leaf, r["leaf_index"], checkpoint.size, proof, checkpoint.root)


def test_one_changed_byte_names_the_version_and_the_leaf(app: KinerjaLedger, tmp_path: Path) -> None:
    setup = prepare(app, tmp_path)
    # In transit: one byte of version 4's state.
    rows = lines(setup.export)
    state = bytearray(base64.b64decode(rows[3]["state"]))
    state[state.index(b"BKPSDM") + 5] ^= 0x01
    rows[3]["state"] = base64.b64encode(bytes(state)).decode()
    report, status = verify(setup, altered(setup, tmp_path, "transit", rows))
    assert status == EXIT_FAILED
    first = report["first_failure"]
    assert located(first) == ("leaf-mismatch", setup.leaf(4), 4)
    assert first["authenticated_by"] == "checkpoint of the export (size 11)"
    assert [located(f) for f in failures(report, "stream-chain")] == [("stream-chain", setup.leaf(4), 4)]
    assert not failures(report, "inclusion-proof")  # the published hash is proven; the bytes are not it

    # In the store, by an insider: version 3, then a fresh export.
    t = events_table(app)
    position = setup.leaves[3]["position"]
    with insider(app, t) as tx:
        stored = bytes(tx.scalar(f"SELECT state FROM {t} WHERE notification_id = ?", (position,)))
        tx.execute(
            f"UPDATE {t} SET state = ? WHERE notification_id = ?",
            (stored.replace(b"BKPSDM", b"BKPSDN"), position),
        )
    export_stream(app, tmp_path / "after", NIP_BUDI)
    report, status = verify(setup, tmp_path / "after")
    assert status == EXIT_FAILED
    first = report["first_failure"]
    assert located(first) == ("leaf-mismatch", setup.leaf(3), 3)
    assert first["position"] == position
    assert first["authenticated_by"] == "checkpoint of the export (size 11)"
    assert report["leaves"]["mismatched"] == 1


def test_a_dropped_middle_version_is_named(app: KinerjaLedger, tmp_path: Path) -> None:
    setup = prepare(app, tmp_path)
    rows = lines(setup.export)
    del rows[2]  # version 3, left out of the file
    report, status = verify(setup, altered(setup, tmp_path, "transit", rows))
    assert status == EXIT_FAILED
    first = report["first_failure"]
    assert located(first) == ("stream-version", setup.leaf(4), 3)
    assert "version 3 is missing" in first["message"]
    assert not failures(report, "inclusion-proof")  # every event shown is genuine: only one is absent

    # Deleted from the store: the log still has the leaf, the export shows it without an event.
    with insider(app, events_table(app)) as tx:
        tx.execute(
            f"DELETE FROM {events_table(app)} WHERE notification_id = ?", (setup.leaves[3]["position"],)
        )
    export_stream(app, tmp_path / "after", NIP_BUDI)
    report, status = verify(setup, tmp_path / "after")
    assert status == EXIT_FAILED
    first = report["first_failure"]
    assert located(first) == ("leaf-missing", setup.leaf(3), 3)
    assert first["event_id"] == f"{BUDI}:3"
    assert first["authenticated_by"] == "checkpoint of the export (size 11)"
    assert [f["kind"] for f in report["failures"]] == ["leaf-missing"]
    assert report["streams"] == {"count": 1, "failing": 1} and report["leaves"]["missing"] == 1


def test_swapped_versions_are_named(app: KinerjaLedger, tmp_path: Path) -> None:
    setup = prepare(app, tmp_path)
    rows = lines(setup.export)
    rows[1], rows[2] = rows[2], rows[1]  # versions 2 and 3 reordered in the file
    report, status = verify(setup, altered(setup, tmp_path, "transit", rows))
    assert status == EXIT_FAILED
    assert located(report["first_failure"]) == ("leaf-order", setup.leaf(2), 2)
    assert [located(f) for f in failures(report, "stream-version")] == [("stream-version", setup.leaf(3), 2)]

    # In the store: the two events trade places (notification ids), then a fresh export.
    a, b = setup.leaves[2]["position"], setup.leaves[3]["position"]
    t = events_table(app)
    with insider(app, t) as tx:
        for old, new in ((a, -1), (b, a), (-1, b)):
            tx.execute(f"UPDATE {t} SET notification_id = ? WHERE notification_id = ?", (new, old))
    export_stream(app, tmp_path / "after", NIP_BUDI)
    report, status = verify(setup, tmp_path / "after")
    assert status == EXIT_FAILED
    first = report["first_failure"]
    assert (first["kind"], first["leaf_index"]) == ("leaf-mismatch", setup.leaf(2))
    assert "the log recorded" in first["message"] and f"{BUDI}:2" in first["message"]
    assert {f["leaf_index"] for f in failures(report, "leaf-mismatch")} == {setup.leaf(2), setup.leaf(3)}
    assert [f["authenticated_by"] for f in failures(report, "leaf-mismatch")] == [
        "checkpoint of the export (size 11)"
    ] * 2
    assert [f["version"] for f in failures(report, "stream-version")] == [2]


def test_a_forged_inclusion_proof_is_named(app: KinerjaLedger, tmp_path: Path) -> None:
    setup = prepare(app, tmp_path)
    rows = lines(setup.export)
    rows[3][PROOF_FIELD][0] = base64.b64encode(b"\x00" * 32).decode()
    report, status = verify(setup, altered(setup, tmp_path, "proof", rows))
    assert status == EXIT_FAILED
    assert [located(f) for f in report["failures"]] == [("inclusion-proof", setup.leaf(4), 4)]

    # A proof that is genuine, but for another leaf.
    rows = lines(setup.export)
    rows[1][PROOF_FIELD] = rows[2][PROOF_FIELD]
    report, _ = verify(setup, altered(setup, tmp_path, "borrowed", rows))
    assert [located(f) for f in report["failures"]] == [("inclusion-proof", setup.leaf(2), 2)]

    # A forger rewrites version 2 and every hash after it consistently: the chain is intact and
    # each leaf hash matches its bytes, but no proof can put the forged leaf under the signed root.
    rows = lines(setup.export)
    rows[1]["state"] = base64.b64encode(b'{"forged": true}').decode()
    chain = GENESIS_CHAIN
    for r in rows:
        leaf = event_leaf_hash(
            r["leaf_index"], BUDI_ID, r["originator_version"], r["topic"], base64.b64decode(r["state"])
        )
        chain = chain_hash(chain, leaf)
        r["leaf_hash"], r["chain_hash"] = leaf.hex(), chain.hex()
    report, status = verify(setup, altered(setup, tmp_path, "forged", rows))
    assert status == EXIT_FAILED
    assert [located(f) for f in report["failures"]] == [("inclusion-proof", setup.leaf(2), 2)]
    assert report["stream"]["inclusion_proofs_verified"] == 4


def test_a_wrong_key_fails_and_authenticates_nothing(app: KinerjaLedger, tmp_path: Path) -> None:
    setup = prepare(app, tmp_path)
    _, other = generate_signer(app.settings.log_origin)
    report, status = verify(setup, setup.export, key=other)
    assert status == EXIT_FAILED
    assert report["first_failure"]["kind"] == "signature"
    assert report["checkpoint"]["signature"].startswith("invalid")
    assert "differs from the pinned key" in report["warnings"][0]
    rows = lines(setup.export)
    rows[0]["state"] = base64.b64encode(b"{}").decode()
    report, _ = verify(setup, altered(setup, tmp_path, "changed", rows), key=other)
    assert failures(report, "leaf-mismatch")[0]["authenticated_by"] is None
    # Without --key the export's own key is used, and the report says that proves nothing.
    report, status = run(setup.export, None, [])
    assert (
        status == EXIT_OK
        and report["key"]["pinned"] is False
        and "pin the log's key" in report["warnings"][0]
    )


def test_a_later_export_verifies_and_a_cut_tail_or_foreign_line_is_named(
    app: KinerjaLedger, tmp_path: Path
) -> None:
    setup = prepare(app, tmp_path)
    train(app, NIP_BUDI, 2, start=10)
    seed_employee(app, nip_for(7), name="Rina")
    later = tmp_path / "later"
    summary = export_stream(app, later, NIP_BUDI)
    assert summary.size == 14 and summary.stream is not None and summary.stream["latest_version"] == 7
    report, status = verify(setup, later)
    assert status == EXIT_OK, report["failures"]
    assert report["checkpoint"]["size"] == 14 and report["stream"]["last_version"] == 7
    before, after = lines(setup.export), lines(later)
    for old, new in zip(before, after[:5], strict=True):  # versions 1..5 unchanged, same leaves
        assert {k: old[k] for k in old if k != PROOF_FIELD} == {k: new[k] for k in new if k != PROOF_FIELD}
    report, status = verify(setup, setup.export)  # the earlier export still verifies on its own
    assert status == EXIT_OK

    # The newest version cut off: everything shown is genuine, but the export does not end where
    # its manifest says the stream stood at the checkpoint.
    report, status = verify(setup, altered(setup, tmp_path, "cut", after[:-1], base=later))
    assert status == EXIT_FAILED
    first = report["first_failure"]
    assert (first["kind"], first["version"]) == ("stream-head", 7)

    # Another employee's event slipped in.
    sari = next(r for r in lines(_export_of(app, tmp_path, NIP_SARI)) if r["originator_version"] == 2)
    mixed = sorted([*before, sari], key=lambda r: r["leaf_index"])
    report, status = verify(setup, altered(setup, tmp_path, "mixed", mixed))
    assert status == EXIT_FAILED
    assert located(report["first_failure"]) == ("stream-scope", sari["leaf_index"], 2)


def _export_of(app: KinerjaLedger, tmp: Path, nip: str) -> Path:
    out = tmp / f"export-{nip}"
    export_stream(app, out, nip)
    return out


def test_cli_export_and_verify_one_employee(
    app: KinerjaLedger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup = prepare(app, tmp_path)
    monkeypatch.setenv("LEDGER_DATABASE_URL", app.settings.database_url)
    monkeypatch.setenv("LEDGER_DATA_DIR", str(app.settings.data_dir))
    monkeypatch.setenv("LEDGER_LOG_ORIGIN", app.settings.log_origin)
    runner = CliRunner()
    out = tmp_path / "cli"
    result = runner.invoke(cli, ["audit", "export", "--out", str(out), "--nip", NIP_SARI])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["scope"] == "stream" and summary["stream"]["latest_version"] == 5
    ok = runner.invoke(cli, ["audit", "verify", str(out), "--key", str(setup.key)])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["stream"]["nip"] == NIP_SARI

    rows = lines(out)
    del rows[1]
    (out / EVENTS_FILE).write_text("".join(json.dumps(r) + "\n" for r in rows))
    bad = runner.invoke(cli, ["audit", "verify", str(out), "--key", str(setup.key)])
    assert bad.exit_code == 1
    assert "FAILED: stream" in bad.stderr and "version 2 is missing" in bad.stderr

    refused = [
        ["audit", "export", "--out", str(out), "--nip", NIP_SARI],  # never overwrites an export
        ["audit", "export", "--out", str(tmp_path / "x"), "--nip", "123"],  # not a NIP
        ["audit", "export", "--out", str(tmp_path / "y"), "--nip", nip_for(3)],  # no such employee
        ["audit", "verify", str(setup.export), "--key", str(setup.key), "--previous", str(setup.key)],
    ]
    for args in refused:
        assert runner.invoke(cli, args).exit_code == EXIT_UNUSABLE, args
    assert not (tmp_path / "y").exists()
    with pytest.raises(ExportRefused, match="no event of this employee"):
        export_stream(app, tmp_path / "z", nip_for(3))

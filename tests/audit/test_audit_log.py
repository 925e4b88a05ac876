"""The audit projection: dense leaf indexes over gappy notification ids, identical leaves after a
rebuild however the log is cut into batches, O(log n) proofs from stored subtree hashes, stream
chains, and signing that never contradicts a checkpoint already signed."""

from __future__ import annotations

import base64
import math
import uuid
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from ledger.application import KinerjaLedger
from ledger.audit.encoding import GENESIS_CHAIN, chain_hash
from ledger.audit.merkle import root_from_leaf_hashes, verify_inclusion
from ledger.audit.note import open_note, parse_checkpoint
from ledger.domain.employee import Employee
from projections.audit import (
    CHECKPOINTS_TABLE,
    NAME,
    AuditIntegrityError,
    AuditLog,
    AuditProjection,
    Tree,
    physical_tables,
    record_checkpoint,
)
from projections.audit.export import catch_up
from projections.runner import ProjectionRunner
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_basic


def train(app: KinerjaLedger, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        nip = NIP_BUDI if i % 2 else NIP_SARI
        app.record_training(
            HR, nip, title=f"Pelatihan {i}", hours_jp=3, completed_on="2026-01-10", provider="LAN"
        )


def rows(app: KinerjaLedger, table: str, order: str) -> list[dict[str, Any]]:
    with app.sql.transaction(write=False) as tx:
        return tx.query(f"SELECT * FROM {table} ORDER BY {order}")


def test_leaf_indexes_stay_dense_across_rolled_back_inserts(app: KinerjaLedger) -> None:
    seed_basic(app)
    budi = Employee.create_id(NIP_BUDI)
    for _ in range(3):
        # A version conflict: a fresh event plus a second version 1 of Budi, in one insert.
        # The whole insert rolls back; PostgreSQL's sequence keeps the ids it handed out.
        with pytest.raises(IntegrityError):
            app.recorder.insert_events(
                [StoredEvent(uuid.uuid4(), 1, "x:Y", b"{}"), StoredEvent(budi, 1, "x:Y", b"{}")]
            )
        if app.sql.dialect == "sqlite":
            # SQLite rolls its AUTOINCREMENT counter back with the insert; a gap still arises when
            # ids were handed out and lost (e.g. a restore), so make one the same way.
            with app.sql.transaction() as tx:
                tx.execute(
                    "UPDATE sqlite_sequence SET seq = seq + 2 WHERE name = ?",
                    (app.recorder.events_table_name,),
                )  # type: ignore[attr-defined]
        train(app, 2)
    catch_up(app)
    positions = [n.id for n in app.recorder.select_notifications(0, 100)]
    assert len(positions) == 9 and positions[-1] > 9 + 4  # the notification ids have gaps
    leaves = AuditLog(app).leaf_rows(0, 100)
    assert [int(r["leaf_index"]) for r in leaves] == list(range(9))
    assert [int(r["position"]) for r in leaves] == positions


def test_rebuild_reproduces_every_leaf_and_node_whatever_the_batches(app: KinerjaLedger) -> None:
    seed_basic(app)
    train(app, 20)
    ProjectionRunner(app, [AuditProjection()], batch_size=1).run_once()  # one event per batch
    first = AuditLog(app).ensure_checkpoint()
    g1 = physical_tables(1)
    leaves, nodes = rows(app, g1["leaves"], "leaf_index"), rows(app, g1["nodes"], "level, idx")
    assert len(leaves) == 23 and len(nodes) == 23 - bin(23).count("1")  # a binary counter's carries
    report = ProjectionRunner(app, [AuditProjection()], batch_size=7).rebuild(NAME)
    assert report.new_generation == 2 and report.differing_rows == 0
    g2 = physical_tables(2)
    assert rows(app, g2["leaves"], "leaf_index") == leaves
    assert rows(app, g2["nodes"], "level, idx") == nodes
    assert AuditLog(app).ensure_checkpoint() == first  # nothing new to sign, same note
    train(app, 1, start=50)
    catch_up(app)
    assert AuditLog(app).ensure_checkpoint().size == 24  # the rebuilt tree extends what was signed


def test_proofs_read_o_log_n_stored_hashes(app: KinerjaLedger, monkeypatch: pytest.MonkeyPatch) -> None:
    seed_basic(app)
    train(app, 42)
    catch_up(app)
    audit = AuditLog(app)
    signed = audit.ensure_checkpoint()
    checkpoint = parse_checkpoint(open_note(signed.note, [audit.signer.verifier()])[0])
    leaves = [bytes.fromhex(r["leaf_hash"]) for r in audit.leaf_rows(0, 100)]
    assert checkpoint.size == 45 and root_from_leaf_hashes(leaves) == checkpoint.root
    lookups: list[tuple[int, int]] = []
    original = Tree.complete

    def counting(self: Tree, start: int, end: int) -> bytes:
        lookups.append((start, end))
        return original(self, start, end)

    monkeypatch.setattr(Tree, "complete", counting)
    bound = 4 * math.ceil(math.log2(45))  # proof elements plus the roots returned with them
    for index in (0, 17, 44):
        lookups.clear()
        body = audit.inclusion(index, 45)
        assert len(lookups) <= bound, lookups
        proof = [base64.b64decode(p) for p in body["proof"]]
        assert verify_inclusion(leaves[index], index, 45, proof, checkpoint.root)
    lookups.clear()
    audit.consistency(13, 45)
    assert len(lookups) <= bound


def test_stream_chain_links_each_version_of_an_employee(app: KinerjaLedger) -> None:
    seed_basic(app)
    train(app, 6)
    catch_up(app)
    hashes = AuditLog(app).stream_hashes(Employee.create_id(NIP_BUDI))
    assert sorted(hashes) == [1, 2, 3, 4]
    chain = GENESIS_CHAIN
    for version in sorted(hashes):
        chain = chain_hash(chain, bytes.fromhex(hashes[version]["leaf_hash"]))
        assert hashes[version]["chain_hash"] == chain.hex()
    assert [h["leaf_index"] for _, h in sorted(hashes.items())] == [1, 4, 6, 8]


def test_never_signs_two_roots_for_a_size_nor_a_contradicting_tree(app: KinerjaLedger) -> None:
    seed_basic(app)
    train(app, 4)
    catch_up(app)
    audit = AuditLog(app)
    signed = audit.ensure_checkpoint()
    assert signed.size == 7 and audit.ensure_checkpoint() == signed
    train(app, 1, start=10)
    catch_up(app)
    with app.sql.transaction() as tx:  # someone slipped in a checkpoint for size 8 with another root
        tx.execute(
            f"INSERT INTO {CHECKPOINTS_TABLE} (size, root, note) VALUES (?,?,?)", (8, "ab" * 32, "forged")
        )
    with pytest.raises(AuditIntegrityError, match="second, different root for size 8"):
        audit.ensure_checkpoint()
    with app.sql.transaction() as tx:  # and one for a size the log has not reached
        tx.execute(
            f"INSERT INTO {CHECKPOINTS_TABLE} (size, root, note) VALUES (?,?,?)", (30, "cd" * 32, "forged")
        )
    with app.sql.transaction() as tx:
        tree = Tree(tx, physical_tables(1)["leaves"], physical_tables(1)["nodes"])
        assert tree.size() == 8
        with pytest.raises(AuditIntegrityError, match="leaves were removed"):
            record_checkpoint(tx, audit.signer, app.settings.log_origin, tree, 5)
    with app.sql.transaction(write=False) as tx:
        assert [r["size"] for r in tx.query(f"SELECT size FROM {CHECKPOINTS_TABLE} ORDER BY size")] == [
            7,
            8,
            30,
        ]


def test_the_projection_will_not_grow_past_a_contradicting_checkpoint(app: KinerjaLedger) -> None:
    seed_basic(app)
    train(app, 4)
    catch_up(app)
    with app.sql.transaction() as tx:
        tx.execute(
            f"INSERT INTO {CHECKPOINTS_TABLE} (size, root, note) VALUES (?,?,?)", (9, "ab" * 32, "forged")
        )
    train(app, 3, start=10)
    errors = catch_up(app)
    assert "AuditIntegrityError" in errors[NAME]
    with app.sql.transaction(write=False) as tx:
        assert Tree.active(tx).size() == 7  # the batch that would have reached size 9 was refused


def test_refuses_to_sign_over_an_altered_tree(app: KinerjaLedger) -> None:
    seed_basic(app)
    train(app, 10)
    catch_up(app)
    audit = AuditLog(app)
    assert audit.ensure_checkpoint().size == 13
    nodes = physical_tables(1)["nodes"]
    with app.sql.transaction() as tx:
        if tx.dialect == "postgres":
            tx.execute(f"DROP TRIGGER ledger_append_only ON {nodes}")
        else:
            tx.execute(f"DROP TRIGGER ledger_append_only_update_{nodes}")
        tx.execute(f"UPDATE {nodes} SET hash = ? WHERE level = 3 AND idx = 0", ("00" * 32,))
    train(app, 1, start=20)
    catch_up(app)
    with pytest.raises(AuditIntegrityError, match="no longer reproduces the checkpoint signed for size 13"):
        audit.ensure_checkpoint()

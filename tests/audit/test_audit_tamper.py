"""Tampering with the stored events, as an insider with full database rights would, is caught
by `ledger audit verify` against a checkpoint the auditor kept from before the tampering.

Each test: build a history, keep a signed checkpoint (and an export), drop the append-only
triggers, change the event table with SQL, export again (what the auditor now receives) and
verify with `--previous` the kept checkpoint. The verifier must fail and name the leaf (and
the stream) where the data allows it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import KinerjaLedger
from ledger.audit.verify import EXIT_FAILED, run
from ledger.sqlstore import Sql
from projections.audit import CHECKPOINTS_TABLE, GUARD, NAME, AuditLog, AuditProjection, install_guards
from projections.audit.export import catch_up, export_log
from projections.runner import ProjectionRunner
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_basic


def events_table(app: KinerjaLedger) -> str:
    return str(app.recorder.events_table_name)  # type: ignore[attr-defined]


def train(app: KinerjaLedger, nip: str, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        app.record_training(
            HR, nip, title=f"Pelatihan {i}", hours_jp=4 + i, completed_on="2026-01-10", provider="BKPSDM"
        )


@dataclass
class Kept:
    """What a careful auditor has from before the tampering."""

    key: Path
    small: Path  # an early checkpoint
    checkpoint: Path  # the checkpoint just before tampering
    export: Path  # an export just before tampering
    leaves: list[dict[str, Any]]  # the log as it stood, for the test's expectations


def prepare(app: KinerjaLedger, tmp: Path) -> Kept:
    """13 events: 3 registrations, then trainings alternating Budi and Sari; two checkpoints kept."""
    seed_basic(app)
    train(app, NIP_BUDI, 3)
    train(app, NIP_SARI, 3)
    catch_up(app)
    audit = AuditLog(app)
    small = tmp / "checkpoint-9"
    small.write_text(audit.ensure_checkpoint().note)
    for i in range(2):
        train(app, NIP_BUDI, 1, start=10 + i)
        train(app, NIP_SARI, 1, start=10 + i)
    export_log(app, tmp / "before")
    kept_checkpoint = tmp / "checkpoint-13"
    kept_checkpoint.write_text(audit.ensure_checkpoint().note)
    key = tmp / "log.vkey"
    key.write_text(audit.verifier_key() + "\n")
    leaves = audit.leaf_rows(0, 1000)
    assert [int(r["leaf_index"]) for r in leaves] == list(range(13))
    return Kept(key, small, kept_checkpoint, tmp / "before", leaves)


@contextmanager
def insider(app: KinerjaLedger, *tables: str) -> Iterator[Sql]:
    """A transaction of someone who can drop the append-only triggers (owner or superuser)."""
    with app.sql.transaction() as tx:
        for table in tables:
            if tx.dialect == "postgres":
                tx.execute(f"DROP TRIGGER IF EXISTS {GUARD} ON {table}")
            else:
                for op in ("update", "delete"):
                    tx.execute(f"DROP TRIGGER IF EXISTS {GUARD}_{op}_{table}")
        yield tx


def verify(kept: Kept, export: Path, *previous: Path) -> tuple[dict[str, Any], int]:
    return run(export, str(kept.key), list(previous or [kept.checkpoint]))


def failures(report: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in report["failures"] if f["kind"] == kind]


def leaf_of(kept: Kept, index: int) -> dict[str, Any]:
    return kept.leaves[index]


def test_untampered_export_verifies_against_every_kept_checkpoint(app: KinerjaLedger, tmp_path: Path) -> None:
    kept = prepare(app, tmp_path)
    train(app, NIP_BUDI, 2, start=20)
    export_log(app, tmp_path / "later")
    report, status = verify(kept, tmp_path / "later", kept.small, kept.checkpoint, kept.export)
    assert status == 0, report["failures"]
    assert report["ok"] and report["first_failure"] is None
    assert report["checkpoint"]["size"] == 15 and report["checkpoint"]["signature"] == "valid"
    assert report["leaves"] == {"count": 15, "mismatched": 0, "missing": 0, "unlogged_events": 0}
    assert report["streams"] == {"count": 3, "failing": 0}
    assert [p["consistent"] for p in report["previous"]] == [True, True, True]


def test_guards_refuse_update_and_delete(app: KinerjaLedger, tmp_path: Path) -> None:
    prepare(app, tmp_path)
    assert install_guards(app)
    columns = {
        events_table(app): "topic",
        CHECKPOINTS_TABLE: "note",
        "pj_audit_leaves_g1": "leaf_hash",
        "pj_audit_nodes_g1": "hash",
    }
    for table, column in columns.items():
        for statement in (f"UPDATE {table} SET {column} = {column}", f"DELETE FROM {table}"):
            with pytest.raises(Exception, match="append-only"), app.sql.transaction() as tx:
                tx.execute(statement)
    with app.sql.transaction(write=False) as tx:
        assert tx.scalar(f"SELECT COUNT(*) FROM {events_table(app)}") == 13
        assert tx.scalar(f"SELECT COUNT(*) FROM {CHECKPOINTS_TABLE}") == 2


def test_one_changed_byte_names_the_leaf_and_the_stream_version(app: KinerjaLedger, tmp_path: Path) -> None:
    kept = prepare(app, tmp_path)
    target = leaf_of(kept, 7)
    with insider(app, events_table(app)) as tx:
        state = bytes(
            tx.scalar(
                f"SELECT state FROM {events_table(app)} WHERE notification_id = ?", (target["position"],)
            )
        )
        assert state.count(b"BKPSDM") == 1
        tx.execute(
            f"UPDATE {events_table(app)} SET state = ? WHERE notification_id = ?",
            (state.replace(b"BKPSDM", b"BKPSDN"), target["position"]),
        )
    export_log(app, tmp_path / "after")
    report, status = verify(kept, tmp_path / "after")
    assert status == EXIT_FAILED and not report["ok"]
    first = report["first_failure"]
    assert (first["kind"], first["leaf_index"], first["position"]) == ("leaf-mismatch", 7, target["position"])
    assert first["authenticated_by"].startswith(str(kept.checkpoint))
    assert first["event_id"] == f"{target['originator_id']}:{target['originator_version']}"
    chain = failures(report, "stream-chain")
    assert [(f["stream"], f["version"]) for f in chain] == [
        (target["originator_id"], target["originator_version"])
    ]
    assert report["checkpoint"]["root_matches"] is False
    assert report["previous"][0]["consistent"] is False
    assert report["leaves"]["mismatched"] == 1


def test_deleted_event_names_the_leaf_and_the_missing_version(app: KinerjaLedger, tmp_path: Path) -> None:
    kept = prepare(app, tmp_path)
    target = leaf_of(kept, 5)
    with insider(app, events_table(app)) as tx:
        tx.execute(f"DELETE FROM {events_table(app)} WHERE notification_id = ?", (target["position"],))
    export_log(app, tmp_path / "after")
    report, status = verify(kept, tmp_path / "after")
    assert status == EXIT_FAILED
    first = report["first_failure"]
    assert (first["kind"], first["leaf_index"]) == ("leaf-missing", 5)
    assert first["event_id"] == f"{target['originator_id']}:{target['originator_version']}"
    assert first["authenticated_by"] is not None
    versions = failures(report, "stream-version")
    assert [(f["stream"], f["version"]) for f in versions] == [
        (target["originator_id"], target["originator_version"])
    ]
    assert report["leaves"]["missing"] == 1


def test_swapped_events_name_the_first_leaf_and_the_stream(app: KinerjaLedger, tmp_path: Path) -> None:
    kept = prepare(app, tmp_path)
    budi = [r for r in kept.leaves if r["originator_id"] == kept.leaves[1]["originator_id"]]
    a, b = budi[1], budi[2]  # two consecutive versions of Budi's record
    assert int(a["originator_version"]) + 1 == int(b["originator_version"])
    with insider(app, events_table(app)) as tx:
        t = events_table(app)
        tx.execute(f"UPDATE {t} SET notification_id = ? WHERE notification_id = ?", (-1, a["position"]))
        tx.execute(
            f"UPDATE {t} SET notification_id = ? WHERE notification_id = ?", (a["position"], b["position"])
        )
        tx.execute(f"UPDATE {t} SET notification_id = ? WHERE notification_id = ?", (b["position"], -1))
    export_log(app, tmp_path / "after")
    report, status = verify(kept, tmp_path / "after")
    assert status == EXIT_FAILED
    first = report["first_failure"]
    assert (first["kind"], first["leaf_index"]) == ("leaf-mismatch", int(a["leaf_index"]))
    mismatched = {f["leaf_index"] for f in failures(report, "leaf-mismatch")}
    assert mismatched == {int(a["leaf_index"]), int(b["leaf_index"])}
    assert {f["stream"] for f in failures(report, "stream-version")} == {a["originator_id"]}


def test_truncated_tail_with_forged_event_names_the_first_lost_leaf(
    app: KinerjaLedger, tmp_path: Path
) -> None:
    kept = prepare(app, tmp_path)
    tail = kept.leaves[-3:]
    t = events_table(app)
    with insider(app, t) as tx:
        row = tx.one(
            f"SELECT originator_id, originator_version, topic, state FROM {t} WHERE notification_id = ?",
            (tail[0]["position"],),
        )
        assert row is not None
        tx.execute(f"DELETE FROM {t} WHERE notification_id >= ?", (tail[0]["position"],))
        forged = bytes(row["state"]).replace(b"BKPSDM", b"LAN-RI")
        tx.execute(
            f"INSERT INTO {t} (originator_id, originator_version, topic, state) VALUES (?,?,?,?)",
            (row["originator_id"], row["originator_version"], row["topic"], forged),
        )
    export_log(app, tmp_path / "after")  # the log takes the forged event as a new leaf 13
    report, status = verify(kept, tmp_path / "after")
    assert status == EXIT_FAILED
    assert report["checkpoint"]["size"] == 14
    first = report["first_failure"]
    assert (first["kind"], first["leaf_index"]) == ("leaf-missing", 10)
    assert [f["leaf_index"] for f in failures(report, "leaf-missing")] == [10, 11, 12]
    chain = failures(report, "stream-chain")
    assert [(f["leaf_index"], f["stream"]) for f in chain] == [(13, tail[0]["originator_id"])]


def test_rewritten_audit_log_is_bounded_by_checkpoints_and_located_by_a_kept_export(
    app: KinerjaLedger, tmp_path: Path
) -> None:
    """An insider who also rebuilds the audit log from the altered events, after deleting the
    signed checkpoints, leaves an export that is consistent with itself. Only what the auditor
    kept can tell: a checkpoint bounds the altered leaf, an earlier export locates it."""
    kept = prepare(app, tmp_path)
    target = leaf_of(kept, 10)
    t = events_table(app)
    with insider(app, t) as tx:
        state = bytes(tx.scalar(f"SELECT state FROM {t} WHERE notification_id = ?", (target["position"],)))
        tx.execute(
            f"UPDATE {t} SET state = ? WHERE notification_id = ?",
            (state.replace(b"BKPSDM", b"BKPSDN"), target["position"]),
        )
    runner = ProjectionRunner(app, [AuditProjection()])
    with pytest.raises(RuntimeError, match="AuditIntegrityError"):
        runner.rebuild(NAME)  # the signed checkpoint makes the rebuild refuse the altered history
    with insider(app, CHECKPOINTS_TABLE) as tx:
        tx.execute(f"DELETE FROM {CHECKPOINTS_TABLE}")
    ProjectionRunner(app, [AuditProjection()]).rebuild(NAME)
    export_log(app, tmp_path / "after")

    _, status = run(tmp_path / "after", str(kept.key), [])
    assert status == 0, "consistent with itself: nothing to see without kept material"

    report, status = verify(kept, tmp_path / "after", kept.small, kept.checkpoint)
    assert status == EXIT_FAILED
    assert [p["consistent"] for p in report["previous"]] == [True, False]
    first = report["first_failure"]
    assert first["kind"] == "equivocation"  # the insider used the log's key: two roots for size 13
    assert first["located_between"] == [9, 13]
    assert [f["located_between"] for f in failures(report, "previous-inconsistent")] == [[9, 13]]
    assert not failures(report, "leaf-mismatch")

    report, status = verify(kept, tmp_path / "after", kept.export)
    assert status == EXIT_FAILED
    first = report["first_failure"]
    assert (first["kind"], first["leaf_index"]) == ("previous-export-mismatch", 10)
    assert first["event_id"] == f"{target['originator_id']}:{target['originator_version']}"


def test_cli_export_and_verify(app: KinerjaLedger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = prepare(app, tmp_path)
    monkeypatch.setenv("LEDGER_DATABASE_URL", app.settings.database_url)
    monkeypatch.setenv("LEDGER_DATA_DIR", str(app.settings.data_dir))
    monkeypatch.setenv("LEDGER_LOG_ORIGIN", app.settings.log_origin)
    runner = CliRunner()
    out = tmp_path / "cli-export"
    result = runner.invoke(cli, ["audit", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["size"] == 13
    again = runner.invoke(cli, ["audit", "export", "--out", str(out)])
    assert again.exit_code == 2  # never overwrites an export
    assert type(again.exception) is SystemExit
    assert again.stderr == f"{out} already holds an export; choose a new directory\n"
    ok = runner.invoke(
        cli, ["audit", "verify", str(out), "--key", str(kept.key), "--previous", str(kept.small)]
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["ok"] is True

    lines = (out / "events.ndjson").read_text().splitlines(keepends=True)
    lines[1], lines[2] = lines[2], lines[1]  # an export reordered in transit
    (out / "events.ndjson").write_text("".join(lines))
    bad = runner.invoke(cli, ["audit", "verify", str(out), "--key", str(kept.key)])
    assert bad.exit_code == EXIT_FAILED
    assert type(bad.exception) is SystemExit
    report = json.loads(bad.stdout)
    assert (report["first_failure"]["kind"], report["first_failure"]["leaf_index"]) == ("leaf-order", 1)
    assert bad.stderr == f"FAILED: {report['first_failure']['message']}\n"

    nowhere = tmp_path / "nowhere"
    unusable = runner.invoke(cli, ["audit", "verify", str(nowhere), "--key", str(kept.key)])
    assert unusable.exit_code == 2
    assert type(unusable.exception) is SystemExit
    assert json.loads(unusable.stdout) == {
        "ok": False,
        "export": str(nowhere),
        "error": f"{nowhere} is not a directory",
    }
    assert unusable.stderr == f"FAILED: {nowhere} is not a directory\n"

"""`ledger audit key | checkpoint | install-guards`: what each prints, checked against an
independent recomputation from the stored events, and what each does to the store."""

from __future__ import annotations

import base64
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import Result
from eventsourcing.persistence import ProgrammingError
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import KinerjaLedger
from ledger.audit.encoding import event_leaf_hash
from ledger.audit.merkle import EMPTY_ROOT, MerkleAccumulator, verify_consistency
from ledger.audit.note import (
    generate_signer,
    open_note,
    parse_checkpoint,
    parse_signer_key,
    parse_verifier_key,
)
from ledger.audit.verify import EXIT_FAILED
from projections.audit import CHECKPOINTS_TABLE, KEY_FILE, AuditLog
from tests.factories import HR, NIP_BUDI, seed_basic

SIGNATURE_LINE = re.compile(r"^\u2014 kinerja-ledger/test [A-Za-z0-9+/]+={0,2}$")


def env(app: KinerjaLedger, **overrides: str) -> dict[str, str]:
    s = app.settings
    base = {
        "LEDGER_DATABASE_URL": s.database_url,
        "LEDGER_DATA_DIR": str(s.data_dir),
        "LEDGER_LOG_ORIGIN": s.log_origin,
    }
    return {**base, **overrides}


def invoke(app: KinerjaLedger, *args: str, **overrides: str) -> Result:
    result = CliRunner().invoke(cli, ["audit", *args], env=env(app, **overrides))
    # A traceback also exits non-zero: only a deliberate exit (or none) is accepted.
    assert result.exception is None or type(result.exception) is SystemExit, repr(result.exception)
    return result


def events_table(app: KinerjaLedger) -> str:
    return str(app.recorder.events_table_name)  # type: ignore[attr-defined]


def recomputed_root(app: KinerjaLedger) -> tuple[int, bytes]:
    """The tree over every stored event, from the raw rows (not from the audit projection)."""
    tree = MerkleAccumulator()
    with app.sql.transaction(write=False) as tx:
        rows = tx.query(
            f"SELECT originator_id, originator_version, topic, state FROM {events_table(app)} "
            "ORDER BY notification_id"
        )
    for i, row in enumerate(rows):
        oid = row["originator_id"]
        raw = oid.bytes if hasattr(oid, "bytes") else bytes.fromhex(str(oid).replace("-", ""))
        tree.append(
            event_leaf_hash(i, raw, int(row["originator_version"]), row["topic"], bytes(row["state"]))
        )
    return len(rows), tree.root()


def test_audit_key_prints_the_key_of_the_signer_in_the_data_dir(app: KinerjaLedger) -> None:
    first = invoke(app, "key")
    assert first.exit_code == 0, first.output
    assert first.stderr == ""
    printed = first.stdout
    assert printed.endswith("\n") and printed.count("\n") == 1
    key_file = Path(app.settings.data_dir) / KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600  # created on first use, private
    signer = parse_signer_key(key_file.read_text().strip())
    assert printed == signer.verifier().key_string() + "\n"
    verifier = parse_verifier_key(printed.strip())
    assert verifier.name == "kinerja-ledger/test"
    assert invoke(app, "key").stdout == printed  # the same key every time


def test_audit_key_refuses_a_key_for_another_log(app: KinerjaLedger) -> None:
    assert invoke(app, "key").exit_code == 0
    key_file = Path(app.settings.data_dir) / KEY_FILE
    result = invoke(app, "key", LEDGER_LOG_ORIGIN="kinerja-ledger/other")
    assert result.exit_code == EXIT_FAILED
    assert result.stdout == ""
    assert result.stderr == (
        f"audit log: the audit key in {key_file} signs for log 'kinerja-ledger/test' but "
        "LEDGER_LOG_ORIGIN is 'kinerja-ledger/other'; a log keeps its origin for life\n"
    )
    key_file.write_text("PRIVATE+KEY+garbage\n")
    result = invoke(app, "key")
    assert result.exit_code == EXIT_FAILED
    assert result.stderr == (
        f"audit log: {key_file} does not hold a signer key: signer key must be PRIVATE+KEY+name+keyid+key\n"
    )


def test_audit_checkpoint_signs_the_tree_of_the_stored_events(app: KinerjaLedger) -> None:
    seed_basic(app)
    result = invoke(app, "checkpoint")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    key = parse_verifier_key(invoke(app, "key").stdout.strip())
    size, root = recomputed_root(app)
    assert size == 3
    lines = result.stdout.split("\n")
    assert lines[:4] == ["kinerja-ledger/test", "3", base64.b64encode(root).decode(), ""]
    assert SIGNATURE_LINE.match(lines[4]), lines[4]
    assert lines[5:] == [""]  # the note ends with one newline, printed as is
    text, signers = open_note(result.stdout, [key])
    assert signers == ["kinerja-ledger/test"]
    first = parse_checkpoint(text)

    # Nothing new: the same signed note. New events: a larger checkpoint consistent with it.
    assert invoke(app, "checkpoint").stdout == result.stdout
    app.record_feedback(HR, NIP_BUDI, source="PEER", score=4)
    app.record_feedback(HR, NIP_BUDI, source="SUPERVISOR", score=3)
    later = invoke(app, "checkpoint")
    assert later.exit_code == 0, later.output
    second = parse_checkpoint(open_note(later.stdout, [key])[0])
    assert (second.size, second.root) == recomputed_root(app)
    assert second.size == 5
    proof = AuditLog(app).consistency(first.size, second.size)
    hashes = [base64.b64decode(h) for h in proof["proof"]]
    assert verify_consistency(first.size, second.size, first.root, second.root, hashes)
    with app.sql.transaction(write=False) as tx:
        assert [r["size"] for r in tx.query(f"SELECT size FROM {CHECKPOINTS_TABLE} ORDER BY size")] == [3, 5]


def test_audit_checkpoint_of_an_empty_log(app: KinerjaLedger) -> None:
    result = invoke(app, "checkpoint")
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n")[:4] == [
        "kinerja-ledger/test",
        "0",
        base64.b64encode(EMPTY_ROOT).decode(),
        "",
    ]


def test_audit_checkpoint_refuses_to_sign_with_a_key_for_another_log(app: KinerjaLedger) -> None:
    seed_basic(app)
    assert invoke(app, "checkpoint").exit_code == 0
    app.record_feedback(HR, NIP_BUDI, source="PEER", score=4)  # the next checkpoint needs a signature
    key_file = Path(app.settings.data_dir) / KEY_FILE
    secret, _ = generate_signer("kinerja-ledger/other")
    key_file.write_text(secret + "\n")
    result = invoke(app, "checkpoint")
    assert result.exit_code == EXIT_FAILED
    assert result.stdout == ""
    assert result.stderr == (
        f"audit log: the audit key in {key_file} signs for log 'kinerja-ledger/other' but "
        "LEDGER_LOG_ORIGIN is 'kinerja-ledger/test'; a log keeps its origin for life\n"
    )
    with app.sql.transaction(write=False) as tx:
        assert tx.scalar(f"SELECT COUNT(*) FROM {CHECKPOINTS_TABLE}") == 1  # nothing signed


def _refused(app: KinerjaLedger, store: str, statement: str) -> None:
    # PostgreSQL's InsufficientPrivilege arrives wrapped by the eventsourcing connection.
    error = sqlite3.IntegrityError if store == "sqlite" else ProgrammingError
    with pytest.raises(error, match="append-only"), app.sql.transaction() as tx:
        tx.execute(statement)


def test_install_guards_makes_the_events_and_checkpoints_append_only(app: KinerjaLedger, store: str) -> None:
    seed_basic(app)
    table = events_table(app)
    # Before: nothing stops an UPDATE (a no-op one, so the data stays as it is).
    with app.sql.transaction() as tx:
        tx.execute(f"UPDATE {table} SET topic = topic")

    result = invoke(app, "install-guards")
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == ("append-only triggers are in place\n", "")

    _refused(app, store, f"UPDATE {table} SET topic = topic")
    _refused(app, store, f"DELETE FROM {table} WHERE originator_version = 1")
    assert invoke(app, "checkpoint").exit_code == 0  # a row for the row triggers to refuse
    _refused(app, store, f"UPDATE {CHECKPOINTS_TABLE} SET note = note")
    _refused(app, store, f"DELETE FROM {CHECKPOINTS_TABLE}")
    # Appending still works, and the events are all there.
    app.record_feedback(HR, NIP_BUDI, source="PEER", score=4)
    with app.sql.transaction(write=False) as tx:
        assert tx.scalar(f"SELECT COUNT(*) FROM {table}") == 4

    again = invoke(app, "install-guards")  # idempotent
    assert (again.exit_code, again.stdout) == (0, "append-only triggers are in place\n")

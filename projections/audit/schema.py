"""The audit tables' schema, and the append-only guards on the event, checkpoint and audit tables."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from ledger.application import KinerjaLedger
from ledger.sqlstore import Sql

log = logging.getLogger("ledger.audit")


NAME = "audit"


class AuditIntegrityError(RuntimeError):
    """The log would contradict a checkpoint already signed: refused, never signed."""


class AuditNotReady(RuntimeError):
    """The audit projection has not been set up on this store yet."""


CHECKPOINTS_TABLE = "ledger_audit_checkpoints"


GUARD = "ledger_append_only"


_SCHEMA_LOCK_KEY = 7_300_412_020  # serialises our DDL between processes on PostgreSQL


def _events_table(app: KinerjaLedger) -> str:
    return str(app.recorder.events_table_name)  # type: ignore[attr-defined]


def table_exists(tx: Sql, table: str) -> bool:
    if tx.dialect == "postgres":
        return bool(tx.scalar("SELECT to_regclass(?) IS NOT NULL AS present", (table,)))
    return int(tx.scalar("SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name=?", (table,))) == 1


def ensure_checkpoint_table(tx: Sql) -> None:
    """Create the checkpoint table if missing (DDL only when it is missing)."""
    if table_exists(tx, CHECKPOINTS_TABLE):
        return
    bigint = "BIGINT" if tx.dialect == "postgres" else "INTEGER"
    if tx.dialect == "postgres":
        tx.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK_KEY,))
    tx.execute(
        f"CREATE TABLE IF NOT EXISTS {CHECKPOINTS_TABLE} (size {bigint} NOT NULL PRIMARY KEY, "
        "root TEXT NOT NULL, note TEXT NOT NULL)"
    )
    guard(tx, [CHECKPOINTS_TABLE])


def guard(tx: Sql, tables: Sequence[str]) -> None:
    """Triggers refusing UPDATE and DELETE on `tables` (idempotent, DDL only when missing)."""
    tables = [t for t in tables if table_exists(tx, t)]
    if not tables:
        return
    if tx.dialect == "postgres":
        marks = ",".join("to_regclass(?)" for _ in tables)
        guarded = tx.scalar(
            f"SELECT COUNT(*) FROM pg_trigger WHERE tgname = ? AND tgrelid IN ({marks})", (GUARD, *tables)
        )
        if guarded == len(tables):
            return
        tx.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK_KEY,))
        if tx.scalar("SELECT COUNT(*) FROM pg_proc WHERE proname = ?", (GUARD,)) == 0:
            tx.execute(
                f"CREATE OR REPLACE FUNCTION {GUARD}() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN "
                "RAISE EXCEPTION 'ledger: %% on %% refused: the ledger and its audit log are append-only', "
                "TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $body$"
            )
        for table in tables:
            present = tx.scalar(
                "SELECT COUNT(*) FROM pg_trigger WHERE tgname = ? AND tgrelid = to_regclass(?)",
                (GUARD, table),
            )
            if not present:
                tx.execute(
                    f"CREATE TRIGGER {GUARD} BEFORE UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {GUARD}()"
                )
        return
    for table in tables:
        for op in ("UPDATE", "DELETE"):
            tx.execute(
                f"CREATE TRIGGER IF NOT EXISTS {GUARD}_{op.lower()}_{table} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'ledger: {op} on {table} refused: append-only'); END"
            )


def install_guards(app: KinerjaLedger) -> bool:
    """At start-up: checkpoint table plus append-only triggers on the event table, the checkpoint
    table and every audit table present. Idempotent; False (with a warning) when the service's
    database role may not create them, as when an owner role installed them beforehand."""
    try:
        with app.sql.transaction() as tx:
            ensure_checkpoint_table(tx)
            tables = [_events_table(app), CHECKPOINTS_TABLE, *_audit_tables(tx)]
            guard(tx, tables)
    except Exception as exc:  # a missing privilege must not stop the service: it is defence in depth
        log.warning("could not install the append-only triggers: %s: %s", type(exc).__name__, exc)
        return False
    return True


def _audit_tables(tx: Sql) -> list[str]:
    prefix = f"pj_{NAME}_"
    if tx.dialect == "postgres":
        rows = tx.query(
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() "
            "AND starts_with(tablename, ?)",
            (prefix,),
        )
    else:
        rows = tx.query(
            "SELECT name FROM sqlite_master WHERE type='table' AND substr(name, 1, ?) = ?",
            (len(prefix), prefix),
        )
    return sorted(str(r["name"]) for r in rows)

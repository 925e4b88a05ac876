"""Where a projection failed, kept in the store so that every process sees it.

The runner records a failure when it cannot apply an event (or a batch) to a projection: the
notification position and the event id it stopped at, and the error. ``ledger projections
status``, ``/healthz`` and ``/metrics`` read it here, whichever process runs the projections (the
embedded runner of ``ledger serve`` or a separate ``ledger worker``), so a failed projection is
shown as failed, never as active. The row goes in the same transaction as the batch that moves
the projection past that position, and with the generation when a rebuild drops it.

The error text is the exception's type and message, cut to ERROR_MAX characters, with runs of 18
digits (a NIP) masked: /healthz is public.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ledger.sqlstore import Sql, SqlStore
from projections.base import REGISTRY_TABLE

FAILURES_TABLE = "ledger_projection_failures"
ERROR_MAX = 500
_NIP_LIKE = re.compile(r"(?<![0-9])[0-9]{18}(?![0-9])")


def failures_sql(bigint: str) -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {FAILURES_TABLE} ("
        "name TEXT NOT NULL, generation INTEGER NOT NULL, "
        f"position {bigint} NOT NULL, event_id TEXT, error TEXT NOT NULL, "
        "PRIMARY KEY (name, generation))"
    )


@dataclass(frozen=True)
class Failure:
    """A projection's generation stopped at `position` (the notification it could not apply;
    `event_id` names its event, None when the batch failed as a whole, e.g. in finish_batch)."""

    name: str
    generation: int
    position: int
    event_id: str | None
    error: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "generation": self.generation,
            "position": self.position,
            "event_id": self.event_id,
            "error": self.error,
        }


def error_text(exc: BaseException) -> str:
    text = _NIP_LIKE.sub("<nip>", f"{type(exc).__name__}: {exc}")
    return text if len(text) <= ERROR_MAX else text[: ERROR_MAX - 1] + "…"


def record_failure(tx: Sql, failure: Failure) -> None:
    tx.execute(
        f"DELETE FROM {FAILURES_TABLE} WHERE name=? AND generation=?", (failure.name, failure.generation)
    )
    tx.execute(
        f"INSERT INTO {FAILURES_TABLE} (name, generation, position, event_id, error) VALUES (?,?,?,?,?)",
        (failure.name, failure.generation, failure.position, failure.event_id, failure.error),
    )


def clear_failure(tx: Sql, name: str, generation: int, up_to: int | None = None) -> None:
    """Forget the failure once the generation has applied position `up_to` (or always)."""
    if up_to is None:
        tx.execute(f"DELETE FROM {FAILURES_TABLE} WHERE name=? AND generation=?", (name, generation))
    else:
        tx.execute(
            f"DELETE FROM {FAILURES_TABLE} WHERE name=? AND generation=? AND position<=?",
            (name, generation, up_to),
        )


def read_failures(sql: SqlStore, *, active_only: bool = False) -> list[Failure]:
    """Every recorded failure (of the active generations only, when asked); none before the
    runner has created its bookkeeping tables."""
    with sql.transaction(write=False) as tx:
        if sql.dialect == "postgres":
            exists = tx.scalar("SELECT to_regclass(?) IS NOT NULL AS present", (FAILURES_TABLE,))
        else:
            exists = tx.scalar(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (FAILURES_TABLE,)
            )
        if not exists:
            return []
        query = f"SELECT f.name, f.generation, f.position, f.event_id, f.error FROM {FAILURES_TABLE} f"
        if active_only:
            query += f" JOIN {REGISTRY_TABLE} r ON r.name = f.name AND r.active_generation = f.generation"
        rows = tx.query(query + " ORDER BY f.name, f.generation")
    return [
        Failure(str(r["name"]), int(r["generation"]), int(r["position"]), r["event_id"], str(r["error"]))
        for r in rows
    ]

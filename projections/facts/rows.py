"""Writing read-model rows: canonical JSON and inserts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ledger.sqlstore import Sql


def dumps(value: Any) -> str:
    """Canonical JSON for stored rows (sorted keys: equal content, equal text)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def insert(tx: Sql, table: str, row: Mapping[str, Any]) -> None:
    tx.execute(
        f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
    )


def insert_many(tx: Sql, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        cols = list(rows[0])
        tx.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [tuple(r[c] for c in cols) for r in rows],
        )

"""A read inside a pipelined batch transaction gets its own rows (ledger/sqlstore.py).

Seen in the projection runner on PostgreSQL: after a statement had been executed often enough
for psycopg to prepare it, a read following an executemany of inserts in the same pipeline was
handed an insert's result ("the last operation didn't produce records"); the runner then fell
back to applying every batch statement by statement, with the same rows but several times
slower. On SQLite there is no pipeline; the test runs there too and must simply pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.application import KinerjaLedger
from tests.conftest import make_settings

pytestmark = pytest.mark.store


def test_reads_between_batched_inserts_in_a_pipeline_see_their_own_rows(
    store: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    app = KinerjaLedger(make_settings(store, tmp_path, request))
    try:
        with app.sql.transaction() as tx:
            tx.execute("CREATE TABLE t_pipe (k INTEGER NOT NULL, v TEXT)")
        with app.sql.transaction(pipeline=True) as tx:
            for i in range(12):  # past psycopg's prepare threshold (5 executions)
                rows = tx.query("SELECT k FROM t_pipe WHERE k IN (?, ?)", (1, 2))
                assert sorted(r["k"] for r in rows) == [1] * (i * 2) + [2] * (i * 2)
                tx.execute("DELETE FROM t_pipe WHERE k = ?", (i + 100,))
                tx.executemany("INSERT INTO t_pipe (k, v) VALUES (?, ?)", [(j, "x") for j in range(45)])
                tx.executemany("INSERT INTO t_pipe (k, v) VALUES (?, ?)", [(j, "y") for j in range(270)])
    finally:
        app.close()

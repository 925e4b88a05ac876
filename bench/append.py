"""Append throughput: ledger commands vs raw inserts of the same bytes, side by side in one run.

    .venv/bin/python -m bench.append --commands 2000 [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres]

Each ledger command loads the employee (replaying its stream), validates, and appends one event
in its own transaction. The baseline inserts the very same stored bytes with the raw driver, one
transaction per insert, into a table of the same shape: the ratio is the price of the ledger.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg

from ledger.application import CommandContext, KinerjaLedger
from ledger.config import Settings
from ledger.domain.envelope import Actor

HR = CommandContext(Actor("bench", "hr"))
EMPLOYEES = 50


def nip(i: int) -> str:
    return f"198801{1 + i % 28:02d}201201{1 + i % 2}{i:03d}"


def seed(app: KinerjaLedger) -> None:
    app.register_agency(HR, code="DINKES", name="Dinas Kesehatan")
    for i in range(EMPLOYEES):
        app.register_employee(
            HR,
            nip=nip(i),
            name=f"Pegawai {i}",
            agency="DINKES",
            position="Staf",
            grade="III/a",
            employment_type="PNS",
        )


def run_commands(app: KinerjaLedger, n: int) -> float:
    start = time.perf_counter()
    for i in range(n):
        app.record_training(
            HR,
            nip(i % EMPLOYEES),
            title=f"Diklat {i}",
            hours_jp=2,
            completed_on="2026-01-05",
            provider="BPSDM",
        )
    return time.perf_counter() - start


def stored_rows(app: KinerjaLedger, n: int) -> list[tuple[bytes, int, str, bytes]]:
    notes = app.recorder.select_notifications(None, n + EMPLOYEES + 10)
    return [(uuid.uuid4().bytes, 1, x.topic, x.state) for x in notes][-n:]


def raw_sqlite(path: Path, rows: list[tuple[bytes, int, str, bytes]]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE TABLE raw (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "oid BLOB, v INTEGER, topic TEXT, state BLOB, UNIQUE(oid, v))"
    )
    start = time.perf_counter()
    for row in rows:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO raw (oid, v, topic, state) VALUES (?,?,?,?)", row)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def raw_postgres(url: str, rows: list[tuple[bytes, int, str, bytes]]) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE raw (id bigserial PRIMARY KEY, "
            "oid uuid, v bigint, topic text, state bytea, UNIQUE(oid, v))"
        )
        start = time.perf_counter()
        for oid, v, topic, state in rows:
            with conn.transaction():
                conn.execute(
                    "INSERT INTO raw (oid, v, topic, state) VALUES (%s,%s,%s,%s)",
                    (uuid.UUID(bytes=oid), v, topic, state),
                )
        return time.perf_counter() - start


def measure(
    label: str, settings: Settings, raw: Callable[[list[tuple[bytes, int, str, bytes]]], float], n: int
) -> str:
    app = KinerjaLedger(settings)
    try:
        seed(app)
        ledger_s = run_commands(app, n)
        rows = stored_rows(app, n)
    finally:
        app.close()
    raw_s = raw(rows)
    return f"| {label} | {n} | {n / ledger_s:,.0f} | {n / raw_s:,.0f} | {ledger_s / raw_s:.1f}x |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commands", type=int, default=2000)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()
    lines = [
        "| store | commands | ledger commands/s | raw inserts/s | ledger time / raw time |",
        "|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(f"sqlite:///{tmp}/ledger.db", Path(tmp), "bench")
        lines.append(
            measure(
                "SQLite (WAL)", settings, lambda rows: raw_sqlite(Path(tmp) / "raw.db", rows), args.commands
            )
        )
        name = f"kl_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.postgres_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{args.postgres_url.rsplit('/', 1)[0]}/{name}"
        try:
            lines.append(
                measure(
                    "PostgreSQL",
                    Settings(url, Path(tmp), "bench"),
                    lambda rows: raw_postgres(url, rows),
                    args.commands,
                )
            )
        finally:
            with psycopg.connect(args.postgres_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""B2: `ledger import` of the generated city into a fresh PostgreSQL store vs COPY of the rows it
stored.

The figure: events stored per second by `ledger.importing.import_file` (the CLI's code path,
every line through the domain rules) into an empty database. The baseline, in the same database
right after: `COPY` of the very rows the import stored (originator, version, topic, state) into a
table of the event table's shape.
"""

from __future__ import annotations

import time

import psycopg

from bench.harness import Context, Measure, Result
from ledger.application import KinerjaLedger
from ledger.importing import import_file

ID = "B2"
TITLE = "bulk import (ledger import) on PostgreSQL"


def copy_rate(url: str, table: str) -> float:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            f"SELECT originator_id, originator_version, topic, state FROM {table} ORDER BY notification_id"
        ).fetchall()
        conn.execute(
            "CREATE TABLE copied_events (notification_id bigserial PRIMARY KEY, originator_id uuid NOT NULL, "
            "originator_version bigint NOT NULL, topic text NOT NULL, state bytea NOT NULL, "
            "UNIQUE (originator_id, originator_version))"
        )
        conn.commit()
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY copied_events (originator_id, originator_version, topic, state) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        conn.commit()
        return len(rows) / (time.perf_counter() - started)


def run(ctx: Context) -> list[Result]:
    events = int(ctx.size("import_events"))
    path = ctx.city_file(events)
    rates, baselines = [], []
    for repeat in range(ctx.heavy_repeats):
        # The last repeat's store is the run's PostgreSQL city store when it holds the same city
        # (B3 and B4 then need not import it again: minutes at 1,000,000 events).
        last = repeat == ctx.heavy_repeats - 1
        fresh = ctx.city_store_to_fill("postgres", events) if last else ctx.empty_store("postgres")
        with fresh as settings:
            ledger = KinerjaLedger(settings)
            try:
                started = time.perf_counter()
                report = import_file(ledger, path)
                elapsed = time.perf_counter() - started
                stored = ledger.recorder.max_notification_id() or 0
                table = ledger.ledger_recorder.events_table_name
            finally:
                ledger.close()
            if report.refused or report.imported != stored:
                raise RuntimeError(f"import refused lines or stored other counts: {report.as_dict()}")
            rates.append(stored / elapsed)
            baselines.append(copy_rate(settings.database_url, table))
            ctx.log(f"run {repeat + 1}: {rates[-1]:,.0f} events/s; COPY {baselines[-1]:,.0f} rows/s")
    figure = Measure(tuple(rates), "events/s")
    return [
        Result(
            id=ID,
            name=f"import, postgres, {events:,} lines",
            figure=figure,
            baseline=Measure(tuple(baselines), "rows/s"),
            baseline_name="COPY of the stored rows",
            target="≥ 50,000 events/s",
            met=figure.median >= 50_000,
        )
    ]

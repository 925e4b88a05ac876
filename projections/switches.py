"""What each switch of a projection to a new generation found, kept in the store.

A rebuild (``ledger projections rebuild``) builds a new generation next to the active one and
switches it in when caught up, comparing the two first. A running worker drives that generation
too, and may be the one that switches it in: the comparison is then made in the worker's
process. Recording it in the same transaction as the switch lets the rebuilding process report
it all the same, instead of failing with "taken over" although its rebuild went through.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from ledger.sqlstore import Sql

SWITCHES_TABLE = "ledger_projection_switches"


@dataclass
class TableDiff:
    table: str
    only_old: int
    only_new: int
    sample_old: list[dict[str, Any]] = field(default_factory=list)
    sample_new: list[dict[str, Any]] = field(default_factory=list)
    comparable: bool = True


@dataclass
class SwitchReport:
    name: str
    old_generation: int | None
    new_generation: int
    position: int
    diffs: list[TableDiff]

    @property
    def differing_rows(self) -> int:
        return sum(d.only_old + d.only_new for d in self.diffs)


def switches_sql(bigint: str) -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {SWITCHES_TABLE} ("
        "name TEXT NOT NULL, generation INTEGER NOT NULL, old_generation INTEGER, "
        f"position {bigint} NOT NULL, diffs TEXT NOT NULL, PRIMARY KEY (name, generation))"
    )


def record_switch(tx: Sql, report: SwitchReport) -> None:
    tx.execute(
        f"DELETE FROM {SWITCHES_TABLE} WHERE name=? AND generation=?", (report.name, report.new_generation)
    )
    tx.execute(
        f"INSERT INTO {SWITCHES_TABLE} (name, generation, old_generation, position, diffs) "
        "VALUES (?,?,?,?,?)",
        (
            report.name,
            report.new_generation,
            report.old_generation,
            report.position,
            json.dumps([asdict(d) for d in report.diffs], default=str, sort_keys=True),
        ),
    )


def find_switch(tx: Sql, name: str, generation: int) -> SwitchReport | None:
    row = tx.one(f"SELECT * FROM {SWITCHES_TABLE} WHERE name=? AND generation=?", (name, generation))
    if row is None:
        return None
    old = row["old_generation"]
    return SwitchReport(
        name,
        int(old) if old is not None else None,
        generation,
        int(row["position"]),
        [TableDiff(**d) for d in json.loads(row["diffs"])],
    )

"""Who may impose which level: the authority table history, the city default plus any versions a
government configured in `<LEDGER_DATA_DIR>/authority-table.json`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ledger.rules import AUTHORITY_TABLES, DISCIPLINE_RULES, AuthorityTable, DisciplineRule, RuleHistory
from ledger.vocabulary import DecidingRole, Level

AUTHORITY_FILE = "authority-table.json"


def load_authority_tables(path: Path) -> list[AuthorityTable]:
    """Authority table versions from a JSON list of
    `{version, legal_basis, effective_from: YYYY-MM-DD, grants: {ROLE: [LEVEL, ...]}}`."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read the authority table: {exc}") from None
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a JSON list of authority table versions")
    tables = []
    for i, item in enumerate(raw):
        where = f"{path}[{i}]"
        if not isinstance(item, dict) or set(item) - {"version", "legal_basis", "effective_from", "grants"}:
            raise ValueError(f"{where}: expected {{version, legal_basis, effective_from, grants}}")
        try:
            grants = {
                DecidingRole(role): frozenset(Level(level) for level in levels)
                for role, levels in dict(item["grants"]).items()
            }
            table = AuthorityTable(
                version=str(item["version"]),
                legal_basis=str(item.get("legal_basis") or ""),
                effective_from=date.fromisoformat(str(item["effective_from"])),
                grants=grants,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{where}: {exc}") from None
        tables.append(table)
    return tables


def authority_tables(data_dir: Path | None) -> RuleHistory[AuthorityTable]:
    """The built-in versions plus the configured ones; a configured version never replaces the
    past: each decision is still judged by the version in force on its own date."""
    versions = list(AUTHORITY_TABLES.versions)
    path = data_dir / AUTHORITY_FILE if data_dir is not None else None
    if path is not None and path.exists():
        known = {t.version for t in versions}
        for table in load_authority_tables(path):
            if table.version in known:
                raise ValueError(f"{path}: version {table.version} is already defined")
            known.add(table.version)
            versions.append(table)
    return RuleHistory(tuple(versions))


def rules_on(
    day: date, authority: RuleHistory[AuthorityTable] | None = None
) -> tuple[DisciplineRule | None, AuthorityTable | None]:
    """The discipline rule and authority table in force on `day` (None where none was)."""
    history = authority if authority is not None else AUTHORITY_TABLES
    return DISCIPLINE_RULES.find(day), history.find(day)

"""How the command line shows values in tables: ids shortened, times in WIB with their offset,
nested details as indented lines. `--json` always carries the full values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ledger.clock import WIB

SHORT_ID = 8  # hex digits kept of a stream id: enough to tell a table's rows apart


def short_id(event_id: str) -> str:
    """`bfb7441e-b89b-5478-97a5-dc0085c960b2:3` -> `bfb7441e…:3` (the full id is in --json)."""
    stream, sep, version = event_id.partition(":")
    if len(stream) <= SHORT_ID:
        return event_id
    return f"{stream[:SHORT_ID]}…{sep}{version}"


def wib(timestamp: str) -> str:
    """An RFC 3339 time shown in WIB with its offset: `2026-03-02 09:00:00+07:00`."""
    moment = datetime.fromisoformat(timestamp).astimezone(WIB)
    return moment.isoformat(sep=" ", timespec="seconds")


def nested(value: Any, indent: int = 0) -> list[str]:
    """A payload as `key: value` lines, nested objects and lists indented under their key."""
    pad = "  " * indent
    if isinstance(value, dict):
        lines: list[str] = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines += nested(item, indent + 1)
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return lines
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict | list) and item:
                inner = nested(item, indent + 1)
                lines.append(f"{pad}- {inner[0].strip()}")
                lines += inner[1:]
            else:
                lines.append(f"{pad}- {_scalar(item)}")
        return lines
    return [f"{pad}{_scalar(value)}"]


def _scalar(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    return str(value)

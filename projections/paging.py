"""Keyset pages over read-model lists: each list is ordered by a unique key, and a page is the
rows whose key comes after the last row of the previous page. Unlike an offset, a key does not
skip or repeat rows when rows are added between two pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Key = tuple[str | int, ...]
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_key: Key | None  # the last item's key when more rows follow, else None


def page_of(items: Sequence[T], key: Callable[[T], Key], limit: int, after: Key | None) -> Page[T]:
    """The page of `items` (sorted here by `key`, which must be unique) after the key `after`."""
    ordered = sorted(items, key=key)
    rest = ordered if after is None else [i for i in ordered if key(i) > after]
    return Page(rest[:limit], key(rest[limit - 1]) if len(rest) > limit else None)


def keyset(columns: Sequence[str], after: Key | None) -> tuple[str, list[Any]]:
    """A SQL condition selecting the rows whose `columns` (ascending, together unique) come
    after `after`, as a row-value comparison (SQLite 3.15+ and PostgreSQL); TRUE without `after`."""
    if after is None:
        return "1=1", []
    if len(after) != len(columns):
        raise ValueError(f"a key of {len(columns)} values was expected")
    return f"({', '.join(columns)}) > ({', '.join('?' for _ in columns)})", list(after)


def page_rows(rows: list[T], key: Callable[[T], Key], limit: int) -> Page[T]:
    """A page from rows read with `LIMIT limit + 1` in key order."""
    return Page(rows[:limit], key(rows[limit - 1]) if len(rows) > limit else None)

"""The one pagination style of every list route: `limit` (1..MAX_LIMIT) and an opaque `after`
cursor, answered with `next` (null on the last page). The audit log keeps its leaf-index `from`,
as transparency logs do.

A cursor carries the sort key of the last row it follows, a check over that key and the list it
belongs to (route and filters). It is not a secret and grants nothing: the rows it leads to are
rows the caller may list anyway. A cursor that does not decode, was altered, or belongs to another
list or other filters is a 422 on `after`. Written here because no maintained library pairs
keyset cursors with FastAPI's problem answers; the keyset itself is projections.paging."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from api.problems import ApiProblem
from projections.paging import Key, Page

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_CURSOR = 512
_VERSION = 1
_CHECK_BYTES = 9

LimitQuery = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"rows per page, 1..{MAX_LIMIT} (default {DEFAULT_LIMIT})")
]
AfterQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=MAX_CURSOR,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="the `next` of the previous page (opaque); omit for the first page",
    ),
]
T = TypeVar("T")


class Paged(BaseModel):
    """A page of a list: pass `next` as `after` for the following page."""

    next: str | None = Field(description="cursor of the next page (use as `after`); null on the last page")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scope(name: str, filters: Mapping[str, object]) -> bytes:
    return json.dumps([name, sorted((k, v) for k, v in filters.items())], separators=(",", ":")).encode()


def _check(scope: bytes, payload: bytes) -> bytes:
    return hashlib.sha256(scope + b"\0" + payload).digest()[:_CHECK_BYTES]


class Cursor:
    """The cursor codec of one list: its name, the filters it was asked with, the key's types."""

    def __init__(self, name: str, filters: Mapping[str, object], shape: tuple[type, ...]) -> None:
        self.scope = _scope(name, filters)
        self.shape = shape

    def encode(self, key: Key) -> str:
        payload = json.dumps([_VERSION, list(key)], separators=(",", ":"), ensure_ascii=False).encode()
        return f"{_b64(payload)}.{_b64(_check(self.scope, payload))}"

    def decode(self, token: str | None) -> Key | None:
        if token is None:
            return None
        reason = "not a cursor of this list with these filters (use `next` of the previous page)"
        try:
            head, _, tail = token.partition(".")
            payload, check = _unb64(head), _unb64(tail)
            if check != _check(self.scope, payload):
                raise ValueError
            version, key = json.loads(payload)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise ApiProblem.invalid("after", reason) from None
        if version != _VERSION or not isinstance(key, list) or len(key) != len(self.shape):
            raise ApiProblem.invalid("after", reason)
        for value, kind in zip(key, self.shape, strict=True):
            if type(value) is not kind:
                raise ApiProblem.invalid("after", reason)
        return tuple(key)

    def next(self, page: Page[Any]) -> str | None:
        return None if page.next_key is None else self.encode(page.next_key)

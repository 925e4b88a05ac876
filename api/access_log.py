"""The access log: who read whose personal record, when, through which route, with what result.

Kept in an append-only table beside the ledger (not as ledger events, so a read never takes the
event store's write lock). UPDATE and DELETE are refused by triggers on both stores. Every
attempt by an authenticated caller is recorded, denied ones included: a data subject should see
that someone tried (UU 27/2022 Pasal 31-32).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Coroutine, Iterable
from datetime import UTC, datetime
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from api.auth import Principal
from api.problems import status_of
from ledger.application import KinerjaLedger
from ledger.sqlstore import SqlStore
from ledger.values import NIP_PATTERN

TABLE = "access_log"
MAX_PAGE = 1000
_NIP = re.compile(NIP_PATTERN)
log = logging.getLogger("kinerja.api")


def ensure_table(sql: SqlStore) -> None:
    """Create the table, its index and the append-only triggers (idempotent)."""
    with sql.transaction() as tx:
        if sql.dialect == "postgres":
            # Serialise concurrent starters: CREATE ... IF NOT EXISTS is not race-free on PostgreSQL.
            tx.execute("SELECT pg_advisory_xact_lock(7402551)")
            tx.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} ("
                "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                "accessed_at TEXT NOT NULL, subject_nip TEXT NOT NULL, reader_sub TEXT NOT NULL, "
                "reader_role TEXT NOT NULL, method TEXT NOT NULL, route TEXT NOT NULL, "
                "status INTEGER NOT NULL, request_id TEXT NOT NULL)"
            )
            tx.execute(
                "CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger "
                "LANGUAGE plpgsql AS $body$ BEGIN "
                "RAISE EXCEPTION 'access_log is append-only: % refused', TG_OP; END $body$".replace("%", "%%")
            )
            tx.execute(
                "CREATE OR REPLACE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON "
                f"{TABLE} FOR EACH ROW EXECUTE FUNCTION access_log_append_only()"
            )
        else:
            tx.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} ("
                "id INTEGER PRIMARY KEY AUTOINCREMENT, "
                "accessed_at TEXT NOT NULL, subject_nip TEXT NOT NULL, reader_sub TEXT NOT NULL, "
                "reader_role TEXT NOT NULL, method TEXT NOT NULL, route TEXT NOT NULL, "
                "status INTEGER NOT NULL, request_id TEXT NOT NULL)"
            )
            for op in ("UPDATE", "DELETE"):
                tx.execute(
                    f"CREATE TRIGGER IF NOT EXISTS access_log_no_{op.lower()} BEFORE {op} ON {TABLE} "
                    f"BEGIN SELECT RAISE(ABORT, 'access_log is append-only: {op} refused'); END"
                )
        tx.execute(f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_subject ON {TABLE} (subject_nip, id)")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record(
    ledger: KinerjaLedger,
    principal: Principal,
    subjects: Iterable[str],
    *,
    method: str,
    route: str,
    status: int,
    request_id: str,
) -> None:
    at = _utc(ledger.clock())
    rows = [
        (at, nip, principal.sub, principal.role.value, method, route, status, request_id)
        for nip in dict.fromkeys(subjects)
    ]
    if not rows:
        return
    with ledger.sql.transaction() as tx:
        tx.executemany(
            f"INSERT INTO {TABLE} (accessed_at, subject_nip, reader_sub, reader_role, method, route, "
            "status, request_id) VALUES (?,?,?,?,?,?,?,?)",
            rows,
        )


def entries(ledger: KinerjaLedger, nip: str, *, after: int, limit: int) -> list[dict[str, Any]]:
    with ledger.sql.transaction(write=False) as tx:
        rows = tx.query(
            f"SELECT id, accessed_at, reader_sub, reader_role, method, route, status FROM {TABLE} "
            "WHERE subject_nip = ? AND id > ? ORDER BY id LIMIT ?",
            (nip, after, limit),
        )
    return [
        {
            "id": int(r["id"]),
            "at": r["accessed_at"],
            "reader_sub": r["reader_sub"],
            "reader_role": r["reader_role"],
            "method": r["method"],
            "route": r["route"],
            "status": int(r["status"]),
        }
        for r in rows
    ]


def read_subjects(request: Request, nips: Iterable[str]) -> None:
    """Called by a read endpoint whose subjects are not (only) the NIP in its path."""
    current: list[str] = getattr(request.state, "read_subjects", [])
    request.state.read_subjects = current + [n for n in nips if n]


class PersonalReadRoute(APIRoute):
    """A route that reads personal records: every attempt is written to the access log, with
    its final status, before the answer leaves (no trail, no data)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        template = self.path_format

        async def logged(request: Request) -> Response:
            try:
                response = await handler(request)
            except Exception as exc:
                await _log(request, template, status_of(exc))
                raise
            await _log(request, template, response.status_code)
            return response

        return logged


async def _log(request: Request, template: str, status: int) -> None:
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:
        return  # unauthenticated: there is no "who" to record, and nothing was read
    subjects: list[str] = list(getattr(request.state, "read_subjects", []))
    nip = str(request.path_params.get("nip", ""))
    if _NIP.fullmatch(nip):
        subjects.insert(0, nip)
    await run_in_threadpool(
        record,
        request.app.state.ledger,
        principal,
        subjects,
        method=request.method,
        route=template,
        status=status,
        request_id=request.state.request_id,
    )

"""/v1/audit: the signed checkpoint, the verifier key, RFC 9162 proofs (public) and the log's
entries with their raw stored bytes (auditor, inspector). See docs/AUDIT.md.

The entries are employees' stored events, i.e. personal records: every read of a page goes to
the access log of each employee whose events it shows."""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from api.access_log import PersonalReadRoute, read_subjects
from api.auth import Principal, Role
from api.dependencies import get_ledger, require
from api.openapi import problems
from api.problems import ApiProblem
from ledger.application import KinerjaLedger
from ledger.domain.employee import Employee
from projections.audit import AuditIntegrityError, AuditLog, AuditNotReady, SignedCheckpoint

router = APIRouter(prefix="/v1/audit", tags=["audit"])
reads = APIRouter(prefix="/v1/audit", tags=["audit"], route_class=PersonalReadRoute)
log = logging.getLogger("kinerja.api")

AUDIT_READERS = frozenset({Role.AUDITOR, Role.INSPECTOR})
Auditor = Annotated[Principal, require(AUDIT_READERS, "read the audit log")]
MAX_PAGE = 1000
INTEGRITY: dict[int | str, dict[str, Any]] = {
    500: {"description": "The stored log contradicts a checkpoint already signed: nothing is signed"}
}
TEXT: dict[int | str, dict[str, Any]] = {200: {"content": {"text/plain": {"schema": {"type": "string"}}}}}


class InclusionProof(BaseModel):
    index: int = Field(description="leaf index")
    size: int = Field(description="tree size the proof is for")
    leaf_hash: str = Field(description="base64 RFC 9162 leaf hash of the leaf")
    event_id: str = Field(description="the event the log recorded at this leaf")
    position: int = Field(description="notification id of that event")
    root: str = Field(description="base64 root of the tree of `size` leaves")
    proof: list[str] = Field(description="base64 hashes, RFC 9162 2.1.3 order (deepest first)")


class ConsistencyProof(BaseModel):
    from_: int = Field(alias="from", description="older tree size")
    to: int = Field(description="newer tree size")
    from_root: str = Field(description="base64 root of the older tree")
    to_root: str = Field(description="base64 root of the newer tree")
    proof: list[str] = Field(description="base64 hashes, RFC 9162 2.1.4")


class LogEntry(BaseModel):
    leaf_index: int
    position: int = Field(description="notification id")
    leaf_hash: str = Field(description="hex RFC 9162 leaf hash as the log recorded it")
    chain_hash: str = Field(description="hex hash chain of the event's stream up to this event")
    event_id: str | None = Field(
        description="`<originator_id>:<version>` of the stored event (null: missing)"
    )
    originator_id: str | None
    originator_version: int | None
    topic: str | None
    state: str | None = Field(description="base64 of the raw stored bytes")
    logged_event_id: str | None = Field(
        default=None, description="only when the store no longer holds the event the log recorded here"
    )


class LogPage(BaseModel):
    size: int = Field(description="leaves in the log (the latest checkpoint's size)")
    from_: int = Field(alias="from")
    entries: list[LogEntry]
    next: int | None = Field(description="`from` of the next page, or null at the end")


def _audit(request: Request) -> AuditLog:
    audit = getattr(request.app.state, "audit_log", None)
    if audit is None:
        audit = request.app.state.audit_log = AuditLog(get_ledger(request))
    return audit


def _checkpoint(audit: AuditLog) -> SignedCheckpoint:
    try:
        return audit.ensure_checkpoint()
    except AuditNotReady:
        raise ApiProblem(
            503,
            "store-unavailable",
            "the audit log is not built yet; retry shortly",
            headers={"Retry-After": "5"},
        ) from None
    except AuditIntegrityError as exc:
        # The stored log contradicts a checkpoint already signed: sign nothing, serve nothing
        # that could be taken for current, and say so loudly.
        log.error("audit log refuses to sign: %s", exc)
        raise ApiProblem(
            500, "internal-error", f"the audit log refuses to sign a checkpoint: {exc}"
        ) from None


@router.get("/checkpoint", response_class=PlainTextResponse, responses={**TEXT, **problems(503), **INTEGRITY})
def checkpoint(request: Request) -> PlainTextResponse:
    """The latest signed checkpoint over every event the audit log has processed: a C2SP
    signed note whose text is `origin`, tree size and base64 root (tlog-checkpoint). Keep it:
    a later export must be consistent with it."""
    note = _checkpoint(_audit(request)).note
    return PlainTextResponse(note, media_type="text/plain; charset=utf-8")


@router.get("/key", response_class=PlainTextResponse, responses=TEXT)
def key(request: Request) -> PlainTextResponse:
    """The log's Ed25519 verifier key in the C2SP vkey form `name+keyid+base64`."""
    return PlainTextResponse(_audit(request).verifier_key() + "\n", media_type="text/plain; charset=utf-8")


@router.get("/proof/inclusion", response_model=InclusionProof, responses=problems(422, 503))
def inclusion(
    request: Request,
    index: Annotated[int, Query(ge=0, description="leaf index")],
    size: Annotated[int, Query(ge=1, description="tree size (at most the latest checkpoint's)")],
) -> InclusionProof:
    """RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves."""
    audit = _audit(request)
    latest = _checkpoint(audit)
    if size > latest.size:
        raise ApiProblem.invalid("size", f"must be at most {latest.size}, the latest checkpoint's size")
    if index >= size:
        raise ApiProblem.invalid("index", f"must be less than size ({size})")
    return InclusionProof(**audit.inclusion(index, size))


@router.get(
    "/proof/consistency",
    response_model=ConsistencyProof,
    response_model_by_alias=True,
    responses=problems(422, 503),
)
def consistency(
    request: Request,
    from_: Annotated[int, Query(alias="from", ge=1, description="older tree size")],
    to: Annotated[int, Query(ge=1, description="newer tree size (at most the latest checkpoint's)")],
) -> ConsistencyProof:
    """RFC 9162 consistency proof that the tree of `from` leaves is a prefix of the tree of `to`."""
    audit = _audit(request)
    latest = _checkpoint(audit)
    if to > latest.size:
        raise ApiProblem.invalid("to", f"must be at most {latest.size}, the latest checkpoint's size")
    if from_ > to:
        raise ApiProblem.invalid("from", f"must be at most to ({to})")
    return ConsistencyProof.model_validate(audit.consistency(from_, to))


@reads.get(
    "/events", response_model=LogPage, response_model_by_alias=True, responses=problems(401, 403, 422, 503)
)
def events(
    request: Request,
    principal: Auditor,
    from_: Annotated[int, Query(alias="from", ge=0, description="first leaf index (inclusive)")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="entries per page")] = 100,
) -> LogPage:
    """A page of the global log from leaf `from`: each entry with its leaf hash, chain hash,
    event id, position and the raw stored bytes (base64), as the offline verifier reads them.
    The read is recorded in the access log of every employee whose events the page shows."""
    audit = _audit(request)
    size = _checkpoint(audit).size
    entries = audit.entries(from_, min(limit, max(size - from_, 0))) if from_ < size else []
    read_subjects(request, employees_shown(get_ledger(request), entries))
    following = from_ + len(entries)
    return LogPage.model_validate(
        {
            "size": size,
            "from": from_,
            "entries": entries,
            "next": following if following < size else None,
        }
    )


def employees_shown(ledger: KinerjaLedger, entries: Sequence[dict[str, Any]]) -> list[str]:
    """NIPs of the employees whose stored events `entries` show, in order of first appearance.

    A stream is an employee's when its version 1 is Employee.EmployeeRegistered, which carries the
    NIP (agency, service unit and program streams name no one). Version 1 is decoded from the page
    when the page holds it, else read from the event store: one read per such stream and page.
    """
    firsts: dict[str, dict[str, Any] | None] = {}
    for e in entries:
        oid = e.get("originator_id")
        if oid is None:
            continue  # the store no longer holds the event: nothing of it is shown
        if e.get("originator_version") == 1:
            firsts[oid] = e
        else:
            firsts.setdefault(oid, None)
    nips = []
    for oid, first in firsts.items():
        stream = UUID(oid)
        try:
            if first is not None:
                stored = StoredEvent(stream, 1, first["topic"], base64.b64decode(first["state"]))
                registered: object = ledger.mapper.to_domain_event(stored)
            else:
                registered = next(iter(ledger.events.get(stream, lte=1)), None)
        except Exception as exc:  # an undecodable first event must not hide the page from auditors
            log.warning("access log: cannot read the first event of stream %s: %s", oid, type(exc).__name__)
            continue
        if not isinstance(registered, Employee.EmployeeRegistered):
            continue
        if Employee.create_id(registered.nip) != stream:
            log.warning("access log: the first event of stream %s names another employee's NIP", oid)
            continue
        nips.append(registered.nip)
    return nips

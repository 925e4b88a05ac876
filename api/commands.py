"""Running a command: Idempotency-Key, If-Match, the caller as actor, the 201 answer."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.auth import Authorised, Principal, get_ledger
from api.schemas.common import Request as CommandBody
from ledger.application import CommandContext, CommandResult
from ledger.domain.envelope import Actor
from ledger.errors import Conflict, PreconditionFailed

IDEMPOTENCY_PATTERN = r"^[A-Za-z0-9._:\-]{1,128}$"
IF_MATCH_PATTERN = r'^(\*|"[0-9]{1,15}")$'
CITIZEN = Actor(sub="citizen", role="citizen")

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=IDEMPOTENCY_PATTERN,
        description="Repeat a command safely: the same key and body return the first answer and "
        "write nothing; the same key with another body is 422. 1-128 of A-Z a-z 0-9 . _ : -",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        pattern=IF_MATCH_PATTERN,
        description='Optimistic concurrency: the record\'s version as a quoted string, e.g. "3" (the '
        "ETag of a read or of the previous command). A different current version is 412; a malformed "
        "value is 400.",
    ),
]


@dataclass(frozen=True)
class CommandHeaders:
    """The HTTP guarantees a command was asked for: Idempotency-Key and If-Match."""

    idempotency_key: str | None = None
    if_match: str | None = None


def _command_headers(idempotency_key: IdempotencyKey = None, if_match: IfMatch = None) -> CommandHeaders:
    return CommandHeaders(idempotency_key, if_match)


def _create_headers(idempotency_key: IdempotencyKey = None) -> CommandHeaders:
    # A creation has no version yet, so it takes no If-Match.
    return CommandHeaders(idempotency_key)


Headers = Annotated[CommandHeaders, Depends(_command_headers)]
CreateHeaders = Annotated[CommandHeaders, Depends(_create_headers)]


def expected_version(if_match: str | None) -> int | None:
    if if_match is None or if_match == "*":
        return None  # `*` only asks that the record exists, which every command checks anyway
    return int(if_match.strip('"'))


def fingerprint(request: Request, body: BaseModel | None, sub: str) -> str:
    """sha256 of method, path, canonical JSON body and the caller: what makes a repeat a repeat."""
    canonical = json.dumps(
        body.model_dump(mode="json", exclude_unset=True) if body is not None else None,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    material = "\n".join([request.method, request.url.path, canonical, sub])
    return hashlib.sha256(material.encode()).hexdigest()


def run_command(
    request: Request,
    actor: Principal | Authorised | None,
    body: BaseModel | None,
    command: Callable[..., CommandResult],
    answer: type[BaseModel],
    headers: CommandHeaders,
    *,
    path: tuple[str, ...] = (),
    location: str | None = None,
) -> JSONResponse:
    """Run `command` (a KinerjaLedger method) with the path's ids and the body's fields, and answer
    201, or the first answer on an idempotent repeat."""
    ledger = get_ledger(request)
    checked_version = actor.checked_version if isinstance(actor, Authorised) else None
    principal = actor.principal if isinstance(actor, Authorised) else actor
    who = Actor(principal.sub, principal.role.value) if principal else CITIZEN
    idempotency_key = headers.idempotency_key
    wanted = expected_version(headers.if_match)
    ctx = CommandContext(
        actor=who,
        correlation_id=request.state.request_id,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint(request, body, who.sub) if idempotency_key else None,
        # An appraiser was authorised on one version of the record: write on that version only.
        expected_version=wanted if wanted is not None else checked_version,
    )
    try:
        fields = body.command_fields() if isinstance(body, CommandBody) else {}
        result = command(ledger, ctx, *path, **fields)
    except PreconditionFailed:
        if wanted is None:
            raise Conflict("the record changed while the request was being authorised; retry") from None
        raise
    request.app.state.metrics.events_appended(result)
    runner = getattr(request.app.state, "projection_runner", None)
    if runner is not None and not result.replayed:
        runner.wake()  # the in-process read models need not wait for their next poll
    content = answer.model_validate(result.as_dict()).model_dump(mode="json")
    response_headers = {"ETag": f'"{result.version}"'}
    if result.replayed:
        response_headers["Idempotent-Replayed"] = "true"
    if location:
        response_headers["Location"] = location
    return JSONResponse(content, status_code=201, headers=response_headers)

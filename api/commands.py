"""Running a command: Idempotency-Key, If-Match, the caller as actor, the 201 answer."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.auth import Principal
from api.dependencies import Authorised, CommandHeaders, expected_version, get_ledger
from api.schemas.common import Request as CommandBody
from ledger.application import CommandContext, CommandResult
from ledger.domain.envelope import Actor
from ledger.errors import Conflict, PreconditionFailed

CITIZEN = Actor(sub="citizen", role="citizen")


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

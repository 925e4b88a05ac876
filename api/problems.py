"""RFC 9457 problem details: every 4xx (and 5xx) answer of the API is `application/problem+json`.

Each problem has a `type` from the catalogue below (documented in docs/API.md), the HTTP `title`,
a human `detail`, the `instance` (the request path) and, for input errors, `errors: [{field,
reason}]` naming the offending fields. Details never echo the submitted values back.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, ProgrammingError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ledger.errors import (
    Conflict,
    FieldError,
    IdempotencyMismatch,
    LedgerError,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "tag:kinerja-ledger,2026:problem/"
log = logging.getLogger("kinerja.api")


class ProblemField(BaseModel):
    field: str = Field(
        description="the offending field: body path (`violation.level`), query, path or header"
    )
    reason: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(description="problem type URI (see docs/API.md)")
    title: str
    status: int
    detail: str
    instance: str = Field(description="the request path")
    errors: list[ProblemField] = Field(default_factory=list)
    request_id: str | None = None


# (status, slug) of every problem type the API answers with.
TYPES: dict[str, int] = {
    "malformed-json": 400,
    "malformed-header": 400,
    "unauthenticated": 401,
    "forbidden": 403,
    "not-found": 404,
    "method-not-allowed": 405,
    "conflict": 409,
    "precondition-failed": 412,
    "body-too-large": 413,
    "unsupported-media-type": 415,
    "validation-failed": 422,
    "idempotency-key-reused": 422,
    "store-unavailable": 503,
    "read-model-unavailable": 503,
    "internal-error": 500,
}


class ApiProblem(Exception):
    """Raised by the API layer (auth, headers, query parsing) for a problem answer."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers or {}

    @classmethod
    def invalid(cls, field: str, reason: str) -> ApiProblem:
        return cls(422, "validation-failed", f"{field}: {reason}", [FieldError(field, reason)])


def problem_body(
    status: int,
    slug: str,
    detail: str,
    instance: str,
    errors: Iterable[FieldError] = (),
    request_id: str | None = None,
) -> dict[str, Any]:
    return {
        "type": TYPE_PREFIX + slug,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
        "errors": [{"field": e.field, "reason": e.reason} for e in errors],
        "request_id": request_id,
    }


def problem_response(
    request: Request | None,
    status: int,
    slug: str,
    detail: str,
    errors: Iterable[FieldError] = (),
    headers: dict[str, str] | None = None,
    *,
    instance: str | None = None,
    request_id: str | None = None,
) -> JSONResponse:
    if request is not None:
        instance = instance or request.url.path
        request_id = request_id or getattr(request.state, "request_id", None)
    return JSONResponse(
        problem_body(status, slug, detail, instance or "", errors, request_id),
        status_code=status,
        headers=headers,
        media_type=PROBLEM_JSON,
    )


LEDGER_STATUS: list[tuple[type[LedgerError], int, str]] = [
    (IdempotencyMismatch, 422, "idempotency-key-reused"),
    (ValidationFailed, 422, "validation-failed"),
    (NotFound, 404, "not-found"),
    (Conflict, 409, "conflict"),
    (PreconditionFailed, 412, "precondition-failed"),
]


def ledger_status(exc: LedgerError) -> tuple[int, str]:
    for kind, status, slug in LEDGER_STATUS:
        if isinstance(exc, kind):
            return status, slug
    return 422, "validation-failed"


def status_of(exc: BaseException) -> int:
    """The status an exception will be answered with (for the access log and metrics)."""
    if isinstance(exc, ApiProblem):
        return exc.status
    if isinstance(exc, LedgerError):
        return ledger_status(exc)[0]
    if isinstance(exc, RequestValidationError):
        return 400 if _is_json_error(exc) else 422
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code
    if isinstance(exc, STORE_ERRORS) or is_missing_read_model(exc):
        return 503
    return 500


STORE_ERRORS = (OperationalError, InterfaceError, psycopg.OperationalError, sqlite3.OperationalError)


def _is_json_error(exc: RequestValidationError) -> bool:
    return any(e.get("type") == "json_invalid" for e in exc.errors())


def field_name(loc: Sequence[Any]) -> str:
    """('body', 'violation', 'level') -> 'violation.level'; ('body', 'evidence', 0) -> 'evidence[0]'."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        where = parts.pop(0)
        if not parts:
            return str(where)
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


HEADER_NAMES = {"if-match": "If-Match", "idempotency-key": "Idempotency-Key", "x-request-id": "X-Request-ID"}


def validation_fields(exc: RequestValidationError) -> list[FieldError]:
    fields: list[FieldError] = []
    for error in exc.errors():
        loc = tuple(error.get("loc", ()))
        name = field_name(loc)
        if loc and loc[0] == "header":
            name = HEADER_NAMES.get(name.lower(), name)
        kind = error.get("type", "")
        if kind == "missing":
            reason = "required"
        elif kind == "extra_forbidden":
            reason = "unknown field"
        else:
            reason = str(error.get("msg", "invalid"))
            # Pydantic phrases these as "Value error, ..." / "Assertion failed, ...".
            for prefix in ("Value error, ", "Assertion failed, "):
                reason = reason.removeprefix(prefix)
        fields.append(FieldError(name, reason))
    return fields


def install(app: FastAPI) -> None:
    """Register the exception handlers that turn every error into problem+json."""

    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(request, exc.status, exc.slug, exc.detail, exc.errors, exc.headers)

    @app.exception_handler(LedgerError)
    async def _ledger(request: Request, exc: LedgerError) -> JSONResponse:
        status, slug = ledger_status(exc)
        return problem_response(request, status, slug, exc.detail, exc.errors)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        if _is_json_error(exc):
            return problem_response(
                request,
                400,
                "malformed-json",
                "the request body is not valid JSON",
                [FieldError("body", "malformed JSON")],
            )
        fields = validation_fields(exc)
        malformed_headers = [
            FieldError(f.field, 'must be a quoted version number such as "3", or *')
            for f in fields
            if f.field == "If-Match"
        ]
        if malformed_headers:
            # A malformed If-Match is a syntax error of the request, not of its content (400).
            return problem_response(
                request,
                400,
                "malformed-header",
                'If-Match must be a quoted version number, e.g. "3", or *',
                malformed_headers,
            )
        detail = "; ".join(f"{f.field}: {f.reason}" for f in fields) or "invalid request"
        return problem_response(request, 422, "validation-failed", detail, fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = {
            401: "unauthenticated",
            403: "forbidden",
            404: "not-found",
            405: "method-not-allowed",
            413: "body-too-large",
            415: "unsupported-media-type",
        }.get(exc.status_code, "validation-failed" if exc.status_code < 500 else "internal-error")
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = "no such route"
        return problem_response(request, exc.status_code, slug, detail, headers=dict(exc.headers or {}))

    for kind in STORE_ERRORS:

        @app.exception_handler(kind)
        async def _store(request: Request, exc: Exception) -> JSONResponse:
            if is_missing_read_model(exc):
                return _read_model_missing(request)
            # The message may quote SQL parameters (a NIP): log the class only.
            log.warning("store unavailable: %s", type(exc).__name__)
            return problem_response(
                request,
                503,
                "store-unavailable",
                "the ledger store is busy or unreachable; retry shortly",
                headers={"Retry-After": "1"},
            )

    @app.exception_handler(psycopg.errors.UndefinedTable)
    async def _undefined(request: Request, exc: Exception) -> JSONResponse:
        return _read_model_missing(request)

    # eventsourcing re-raises psycopg's UndefinedTable as its own ProgrammingError.
    @app.exception_handler(ProgrammingError)
    async def _programming(request: Request, exc: Exception) -> JSONResponse:
        if is_missing_read_model(exc):
            return _read_model_missing(request)
        raise exc  # a genuine programming error: the last-resort 500 logs it


def is_missing_read_model(exc: BaseException) -> bool:
    """A read model's view does not exist yet (no projection runner has set it up).

    The driver's error may arrive wrapped by eventsourcing, so the whole chain is examined."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, psycopg.errors.UndefinedTable) or (
            isinstance(current, sqlite3.OperationalError | OperationalError)
            and "no such table" in str(current)
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


def _read_model_missing(request: Request) -> JSONResponse:
    log.warning("read model not built yet for %s", getattr(request.scope.get("route"), "path", "?"))
    return problem_response(
        request,
        503,
        "read-model-unavailable",
        "this read model is not built yet: start `ledger worker` (or `ledger serve` on SQLite)",
        headers={"Retry-After": "5"},
    )

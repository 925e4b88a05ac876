"""What portal forms share: reading a posted form, the CSRF check, the public rate limit, and
turning validation failures (pydantic's or the domain's) into messages beside the fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response

from api.dependencies import public_write
from api.portal import csrf
from api.portal.rendering import error_page
from api.problems import ApiProblem
from ledger.errors import FieldError

MAX_FIELD_CHARS = 4000  # a form field longer than any accepted value is refused as it is


async def read_form(request: Request) -> dict[str, str]:
    """The posted fields (text only; the last value of a repeated name)."""
    async with request.form(max_files=0, max_fields=64) as form:
        return {key: value for key, value in form.items() if isinstance(value, str)}


def refused(request: Request, fields: Mapping[str, str], *, public: bool) -> Response | None:
    """The answer to a post that must not go further: a bad CSRF token (403) or, on the public
    forms, one submission too many for this client (429 with Retry-After)."""
    if not csrf.valid(request, fields.get(csrf.FIELD)):
        return error_page(request, 403, "error.csrf")
    if public:
        try:
            public_write(request)
        except ApiProblem as problem:
            return error_page(request, problem.status, "error.rate", problem.headers)
    return None


def pydantic_errors(exc: ValidationError) -> list[FieldError]:
    return [
        FieldError(".".join(str(part) for part in error["loc"]), str(error["type"])) for error in exc.errors()
    ]


def messages(errors: list[FieldError], key_for: Callable[[FieldError], str]) -> dict[str, str]:
    """field -> message key, the first error of each field."""
    out: dict[str, str] = {}
    for error in errors:
        out.setdefault(error.field, key_for(error))
    return out


def blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value

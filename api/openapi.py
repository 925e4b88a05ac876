"""The OpenAPI document: FastAPI's, with every error answer described as problem+json."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.problems import PROBLEM_JSON, Problem, ProblemField

# Why each status can happen (the same words everywhere in the document).
REASONS = {
    400: "Malformed JSON body or malformed header",
    401: "Missing, invalid or expired bearer token",
    403: "The token's role (or agency, or subject) may not do this",
    404: "Unknown NIP, code or id",
    409: "Duplicate registration, repeated period, or a concurrent write won",
    412: "If-Match does not match the record's current version",
    413: "Request body larger than the limit",
    415: "Request body is not application/json",
    422: "Validation failed; `errors` names each offending field",
    429: "Too many public submissions from this address; retry after Retry-After seconds",
    503: "The store is busy or unreachable; retry (see Retry-After)",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for error statuses (their content is set by `install`)."""
    return {code: {"description": REASONS[code]} for code in codes}


READ = problems(401, 403, 404, 422)
COMMAND = problems(400, 401, 403, 404, 409, 412, 413, 415, 422)
CREATE = problems(400, 401, 403, 409, 413, 415, 422)
LIST = problems(401, 403, 422)


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        schemas["ProblemField"] = ProblemField.model_json_schema()
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        problem.pop("$defs", None)
        schemas["Problem"] = problem
        ref = {"$ref": "#/components/schemas/Problem"}
        for operations in doc.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses.setdefault("503", {"description": REASONS[503]})
                if "201" in responses:
                    headers = responses["201"].setdefault("headers", {})
                    headers["ETag"] = {
                        "description": 'the version of the record the command wrote, e.g. "4" '
                        "(use it as If-Match of the next command)",
                        "schema": {"type": "string"},
                    }
                    headers["Idempotent-Replayed"] = {
                        "description": "`true` when this is the stored answer to a repeated Idempotency-Key",
                        "schema": {"type": "string", "enum": ["true"]},
                        "required": False,
                    }
                for code, response in responses.items():
                    if code.isdigit() and int(code) >= 400:
                        response["content"] = {PROBLEM_JSON: {"schema": ref}}
                        if response.get("description") in ("Validation Error", "", None):
                            response["description"] = REASONS.get(int(code), HTTPStatus(int(code)).phrase)
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]

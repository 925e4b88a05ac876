"""ASGI middleware: request ids, metrics and the request log (by route template, never a raw
path), a last-resort 500, and the body checks (size before any parsing, chunked bodies too; then
one well-formed JSON document)."""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Sequence
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import PROBLEM_JSON, problem_body
from ledger.errors import FieldError

access_log = logging.getLogger("kinerja.api.access")
error_log = logging.getLogger("kinerja.api")

DEFAULT_MAX_BODY_BYTES = 64 * 1024
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{8,64}$")


def route_template(scope: Scope) -> str:
    """The matched route's template (`/v1/employees/{nip}`), or `unmatched`."""
    route = scope.get("route")
    if route is not None and hasattr(route, "path"):
        return str(route.path)
    # Not routed (e.g. refused by the body limit before routing): match the path ourselves.
    path = scope.get("path", "")
    for regex, template in _route_table(scope.get("app")):
        if regex.match(path):
            return template
    return "unmatched"


def _route_table(app: Any) -> list[tuple[re.Pattern[str], str]]:
    state = getattr(app, "state", None)
    table: list[tuple[re.Pattern[str], str]] | None = getattr(state, "route_table", None)
    if table is not None:
        return table
    table = []

    def walk(routes: list[Any]) -> None:
        for route in routes:
            included = getattr(route, "original_router", None)  # FastAPI's included routers
            if included is not None:
                walk(list(included.routes))
            elif hasattr(route, "path_regex") and hasattr(route, "path"):
                table.append((route.path_regex, str(route.path)))

    walk(list(getattr(app, "routes", [])))
    if state is not None:
        state.route_table = table
    return table


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


async def send_problem(
    send: Send,
    scope: Scope,
    status: int,
    slug: str,
    detail: str,
    extra_headers: list[tuple[bytes, bytes]] | None = None,
    errors: Sequence[FieldError] = (),
) -> None:
    state: dict[str, Any] = scope.setdefault("state", {})
    body = json.dumps(
        problem_body(status, slug, detail, scope.get("path", ""), errors, state.get("request_id"))
    ).encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        *(extra_headers or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


# On every response. Most answers carry personal data (a record, a score, a sanction): nothing is
# cached unless a route says otherwise; no page of this service may be framed or sniffed.
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
)
# Data (JSON, text) may load nothing; an HTML page states its own policy, and one that does not
# gets the portal's: this service's stylesheet and images only, no script.
DATA_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
HTML_CSP = (
    b"content-security-policy",
    (
        b"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
        b"frame-ancestors 'none'"
    ),
)


def security_headers(present: Sequence[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    given = {name.lower(): value for name, value in present}
    extra = [(name, value) for name, value in SECURITY_HEADERS if name not in given]
    if b"content-security-policy" not in given:
        html = given.get(b"content-type", b"").startswith(b"text/html")
        extra.append(HTML_CSP if html else DATA_CSP)
    return extra


class RequestContext:
    """Outermost: assigns the request id, times the request, records metrics and one log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, b"x-request-id")
        request_id = given if given and _REQUEST_ID.match(given) else str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = int(message["status"])
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", request_id.encode()),
                    *security_headers(message["headers"]),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
            if not response_started:
                status = 499  # the client went away before an answer (nginx's convention)
        except Exception as exc:
            # Messages may quote a NIP or a name: log the class and the code location only.
            frames = "".join(traceback.format_tb(exc.__traceback__))
            error_log.error(
                "unhandled %s in %s %s (request %s)\n%s",
                type(exc).__name__,
                scope["method"],
                route_template(scope),
                request_id,
                frames,
            )
            status = 500
            if not response_started:
                await send_problem(
                    send_wrapper, scope, 500, "internal-error", "an internal error occurred; it was logged"
                )
        finally:
            elapsed = time.perf_counter() - started
            template = route_template(scope)
            metrics = getattr(getattr(scope.get("app"), "state", None), "metrics", None)
            if metrics is not None:
                metrics.observe(scope["method"], template, status, elapsed)
            access_log.info(
                "%s %s %s %d %.1fms", request_id, scope["method"], template, status, elapsed * 1000
            )


class BodyLimit:
    """Refuse bodies over `max_bytes` (413) before anything parses them, and non-JSON bodies (415).

    A declared Content-Length over the limit is refused without reading; a chunked body is
    counted as it arrives and refused as soon as it passes the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        close = [(b"connection", b"close")]
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await send_problem(
                    send, scope, 400, "malformed-header", "Content-Length is not a number", close
                )
                return
            if int(declared) > self.max_bytes:
                await self._too_large(send, scope)
                return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away: nothing to answer
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.max_bytes:
                await self._too_large(send, scope)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body and _is_portal_form(scope):
            await self.app(scope, _replay(body, receive), send)
            return
        if body and not _is_json(_header(scope, b"content-type")):
            await send_problem(
                send, scope, 415, "unsupported-media-type", "send the body as application/json"
            )
            return
        problem = json_problem(body) if body else None
        if problem is not None:
            await send_problem(
                send,
                scope,
                400,
                "malformed-json",
                "the request body is not valid JSON",
                errors=[FieldError("body", problem)],
            )
            return
        await self.app(scope, _replay(body, receive), send)

    async def _too_large(self, send: Send, scope: Scope) -> None:
        await send_problem(
            send,
            scope,
            413,
            "body-too-large",
            f"the request body exceeds {self.max_bytes} bytes",
            [(b"connection", b"close")],
        )


def _replay(body: bytes, receive: Receive) -> Receive:
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _is_portal_form(scope: Scope) -> bool:
    """An HTML form posted to a portal page (outside /v1): url-encoded, not JSON."""
    if str(scope.get("path", "")).startswith("/v1/"):
        return False
    media = (_header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()
    return media == "application/x-www-form-urlencoded"


MAX_JSON_DEPTH = 32  # the deepest accepted body (a sanction's violations) is three levels


def json_problem(body: bytes) -> str | None:
    """Why `body` is not one JSON document the API can take, if it is not.

    Checked here, on the raw bytes, because the framework's parser lets a repeated key overwrite
    the first silently and reports a deep or huge document as an empty validation failure."""
    try:
        document = json.loads(body.decode("utf-8"), object_pairs_hook=_unique_keys)
    except UnicodeDecodeError:
        return "invalid UTF-8"
    except RecursionError:
        return f"nested deeper than {MAX_JSON_DEPTH} levels"
    except _DuplicateKey as exc:
        return f"duplicate key {exc.key!r}"
    except json.JSONDecodeError:
        return "malformed JSON"
    except ValueError:  # int() past sys.get_int_max_str_digits()
        return "a number with too many digits"
    if _depth(document) > MAX_JSON_DEPTH:
        return f"nested deeper than {MAX_JSON_DEPTH} levels"
    return None


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _depth(value: Any) -> int:
    depth, level = 0, [value]
    while level:
        depth += 1
        children: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                children.extend(item.values())
            elif isinstance(item, list):
                children.extend(item)
        if not children:
            return depth
        level = children
    return depth


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))

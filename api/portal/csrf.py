"""CSRF protection for every portal form: a signed double-submit token.

A random value lives in an HttpOnly, SameSite=Strict cookie; each form carries
HMAC-SHA256(server secret, cookie value | session cookie) in a hidden field, and a POST is
accepted only when the field matches the cookie it came with. Written here (about 30 lines)
rather than taken from a library: starlette-csrf checks a request header only, which a plain
HTML form without scripts cannot send (the portal runs no script), and fastapi-csrf-protect
brings its own settings loader and exception types for what is one HMAC comparison. Signing with
the server's secret means a cookie planted by a sibling host cannot be paired with a forged
field; binding the session cookie means a token from before a sign-in is void after it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

COOKIE = "kl_csrf"
FIELD = "csrf_token"
SESSION_COOKIE = "kl_session"


def _secret(request: Request) -> bytes:
    secret: bytes = request.app.state.token_secret
    return secret


def _sign(request: Request, nonce: str) -> str:
    material = f"csrf|{nonce}|{request.cookies.get(SESSION_COOKIE, '')}".encode()
    return hmac.new(_secret(request), material, hashlib.sha256).hexdigest()


def nonce_for(request: Request) -> str:
    """The request's CSRF nonce: the cookie's, or a new one (set on the response by `remember`)."""
    current = request.cookies.get(COOKIE, "")
    if len(current) == 43 and current.replace("-", "").replace("_", "").isalnum():
        return current
    fresh: str | None = getattr(request.state, "csrf_nonce", None)
    if fresh is None:
        fresh = secrets.token_urlsafe(32)
        request.state.csrf_nonce = fresh
    return fresh


def token(request: Request) -> str:
    return _sign(request, nonce_for(request))


def remember(request: Request, response: Response) -> None:
    """Set the nonce cookie when this request created one."""
    fresh = getattr(request.state, "csrf_nonce", None)
    if fresh is not None:
        response.set_cookie(
            COOKIE, fresh, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/"
        )


def valid(request: Request, submitted: object) -> bool:
    nonce = request.cookies.get(COOKIE)
    if not nonce or not isinstance(submitted, str) or not submitted:
        return False
    return hmac.compare_digest(submitted, _sign(request, nonce))

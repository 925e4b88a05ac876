"""Staff sign-in for the portal: the bearer token from `ledger token issue` kept in an HttpOnly,
SameSite=Strict session cookie, checked like a bearer header on every request."""

from __future__ import annotations

import time

import jwt
from starlette.requests import Request
from starlette.responses import Response

from api.auth import STAFF_READERS, Principal, decode_token
from api.portal.csrf import SESSION_COOKIE
from api.problems import ApiProblem

PORTAL_ROLES = STAFF_READERS  # HR, admin, auditor, inspector


def principal(request: Request) -> Principal | None:
    """The signed-in staff member, or None. Also what the access log records as the reader."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 4096:
        return None
    try:
        who = decode_token(request.app.state.token_secret, token)
    except ApiProblem:
        return None
    request.state.principal = who
    request.state.portal_principal = who
    return who


def sign_in(request: Request, response: Response, token: str) -> Principal:
    """Check the token (ApiProblem 401 if bad) and set it as the session cookie until it expires."""
    who = decode_token(request.app.state.token_secret, token)
    expires = int(jwt.decode(token, options={"verify_signature": False}).get("exp", 0))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max(expires - int(time.time()), 1),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return who


def sign_out(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")

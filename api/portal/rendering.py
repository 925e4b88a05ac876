"""Rendering a portal page: the Jinja2 environment, the words of the reader's language, the CSRF
token of the forms and the page's Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from api.portal import csrf, i18n

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True

# Pages load only this service's own stylesheet and images: no script at all, no inline style.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    lang = i18n.language(request)

    def t(key: str) -> str:
        return i18n.translate(lang, key)

    def reason(text: str | None) -> str:
        return i18n.reason(lang, text)

    full = {
        "lang": lang,
        "t": t,
        "reason": reason,
        "csrf_field": csrf.FIELD,
        "csrf_token": csrf.token(request),
        "principal": getattr(request.state, "portal_principal", None),
        "here": request.url.path,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, name, full, status_code=status)
    response.headers["content-security-policy"] = PAGE_CSP
    csrf.remember(request, response)
    return response


def error_page(
    request: Request, status: int, message_key: str, headers: dict[str, str] | None = None
) -> HTMLResponse:
    response = page(request, "error.html", {"message_key": message_key}, status=status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response

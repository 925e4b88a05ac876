"""`/docs`: Swagger UI from the pinned `swagger-ui-py` package's copy of its assets, served by this
service, so the API documentation works on a network without the internet."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

from api.portal.rendering import HERE

router = APIRouter(include_in_schema=False)

SWAGGER_DIR = Path(str(files("swagger_ui") / "static"))
# The two files the page loads; nothing else of the package is served.
ASSETS = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
}
# Swagger UI sets inline styles from its scripts, so this page alone allows them; scripts still
# come only from this service.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@router.get("/docs", response_class=HTMLResponse)
def docs() -> HTMLResponse:
    html = (HERE / "templates" / "docs.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers={"content-security-policy": DOCS_CSP})


@router.get("/static/swagger/{name}")
def swagger_asset(name: str) -> FileResponse:
    media = ASSETS.get(name)
    if media is None:
        raise HTTPException(404)
    return FileResponse(
        SWAGGER_DIR / name, media_type=media, headers={"cache-control": "public, max-age=86400"}
    )

"""The web portal: public pages for citizens, staff pages behind a session, and the offline API
docs, rendered on the server (Jinja2) by the same app as the JSON API."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.portal import docs, public_input_pages, public_pages, staff_pages
from api.portal.rendering import HERE


def install(app: FastAPI) -> None:
    app.mount("/static/portal", StaticFiles(directory=HERE / "static"), name="portal-static")
    app.include_router(docs.router)
    app.include_router(public_pages.router)
    app.include_router(staff_pages.router)
    app.include_router(public_input_pages.router)

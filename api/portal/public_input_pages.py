"""HR's follow-up list of citizens' input: survey comments and complaints (the complaint's contact
for HR only), with the forms that answer them. The list calls the JSON route GET /v1/public-input
itself and the forms run the same commands as POST /v1/comments/{id}/follow-up and POST
/v1/complaints/{id}/updates, so the page has no rule of its own."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from api.access_log import PersonalReadRoute
from api.auth import STAFF_READERS, WRITERS, Principal
from api.commands import run_command
from api.dependencies import Authorised, CommandHeaders
from api.portal import forms
from api.portal.rendering import page
from api.portal.staff_pages import staff_principal
from api.problems import ApiProblem
from api.routers.public_input import InputStatus, public_input
from api.schemas.public_input import ComplaintUpdateAccepted, ComplaintUpdateIn, FollowUpAccepted, FollowUpIn
from ledger.application import KinerjaLedger
from ledger.errors import Conflict, NotFound, ValidationFailed

router = APIRouter(include_in_schema=False, route_class=PersonalReadRoute)

Kind = Literal["complaint", "comment"]
KINDS: tuple[Kind, ...] = get_args(Kind)
STATUSES: tuple[InputStatus, ...] = get_args(InputStatus)
# The moves HR can pick; the complaint's own lifecycle refuses the ones its status does not allow.
COMPLAINT_MOVES = ("IN_PROGRESS", "RESPONDED", "CLOSED", "REJECTED")
PAGE_SIZE = 50


def _list_page(
    request: Request,
    who: Principal,
    kind: Kind | None,
    status: InputStatus | None,
    after: str | None,
    *,
    problem: tuple[str, int, str] | None = None,
    saved: str | None = None,
) -> Response:
    result, error = None, None
    try:
        listed = public_input(
            request,
            who,
            kind=kind,
            status=status,
            agency=None,
            limit=PAGE_SIZE,
            after=after,
        )
        result = listed.model_dump(mode="json") if isinstance(listed, BaseModel) else None
    except ApiProblem as refused:
        error = "; ".join(e.reason for e in refused.errors) or refused.detail
    filters = {k: v for k, v in (("jenis", kind), ("status", status)) if v}
    return page(
        request,
        "staff_public_input.html",
        {
            "kind": kind,
            "status": status,
            "kinds": KINDS,
            "statuses": STATUSES,
            "moves": COMPLAINT_MOVES,
            "result": result,
            "error": error,
            "problem": problem,
            "saved": saved,
            "can_write": who.role in WRITERS,
            "next_query": urlencode({**filters, "after": result["next"]})
            if result and result["next"]
            else None,
        },
        status=422 if error else (problem[1] if problem else 200),
    )


@router.get("/staf/masukan", response_class=Response)
def follow_up_list(
    request: Request,
    jenis: Annotated[str | None, Query(max_length=16)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    after: Annotated[str | None, Query(max_length=512)] = None,
    tersimpan: Annotated[str | None, Query(max_length=120)] = None,
) -> Response:
    who = staff_principal(request, STAFF_READERS)
    if isinstance(who, Response):
        return who
    kind = next((k for k in KINDS if k == jenis), None)
    chosen = next((s for s in STATUSES if s == status), None)
    return _list_page(request, who, kind, chosen, after, saved=tersimpan)


def _answer(
    request: Request, who: Principal, kind: str, item_id: str, fields: dict[str, str]
) -> tuple[int, str] | None:
    """Run the follow-up command: None when it was recorded, else the status and the reason."""
    body: dict[str, Any] = {"response": forms.blank_to_none(fields.get("response"))}
    try:
        if kind == "complaint":
            body["status"] = forms.blank_to_none(fields.get("status"))
            run_command(
                request,
                Authorised(who),
                ComplaintUpdateIn.model_validate(body),
                KinerjaLedger.update_complaint,
                ComplaintUpdateAccepted,
                CommandHeaders(),
                path=(item_id,),
            )
        else:
            run_command(
                request,
                Authorised(who),
                FollowUpIn.model_validate(body),
                KinerjaLedger.follow_up_comment,
                FollowUpAccepted,
                CommandHeaders(),
                path=(item_id,),
            )
    except ValidationError as exc:
        return 422, "; ".join(f"{e.field}: {e.reason}" for e in forms.pydantic_errors(exc))
    except ValidationFailed as exc:
        return 422, exc.detail
    except NotFound as exc:
        return 404, exc.detail
    except Conflict as exc:
        return 409, exc.detail
    return None


@router.post("/staf/masukan/{kind}/{item_id}", response_class=Response)
async def follow_up(request: Request, kind: str, item_id: str) -> Response:
    who = staff_principal(request, WRITERS)
    if isinstance(who, Response):
        return who
    fields = await forms.read_form(request)
    refusal = forms.refused(request, fields, public=False)
    if refusal is not None:
        return refusal
    if kind not in KINDS:
        return page(request, "error.html", {"message_key": "error.not_found"}, status=404)
    problem = await run_in_threadpool(_answer, request, who, kind, item_id, fields)
    back_kind = next((k for k in KINDS if k == fields.get("jenis")), None)
    back_status = next((s for s in STATUSES if s == fields.get("filter_status")), None)
    if problem is not None:
        return await run_in_threadpool(
            lambda: _list_page(request, who, back_kind, back_status, None, problem=(item_id, *problem))
        )
    query = {k: v for k, v in (("jenis", back_kind), ("status", back_status), ("tersimpan", item_id)) if v}
    return RedirectResponse(f"/staf/masukan?{urlencode(query)}", status_code=303)

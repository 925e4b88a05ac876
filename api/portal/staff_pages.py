"""Staff pages behind the session cookie: HR (an employee's record, scorecard with cited events,
history with its corrections, recording an appraisal), inspectors (the sanction register by
verdict with every check) and auditors (the log, checkpoints, an export download).

Reads call the same functions as the JSON routes, and every page that shows personal data goes
through the access log (PersonalReadRoute), as the JSON reads do."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from api.access_log import PersonalReadRoute, read_subjects
from api.auth import SANCTION_READERS, STAFF_READERS, WRITERS, Principal, Role
from api.commands import run_command
from api.dependencies import Authorised, CommandHeaders, get_ledger
from api.portal import forms, session
from api.portal.rendering import error_page, page
from api.problems import ApiProblem
from api.routers.audit import employees_shown
from api.routers.employees import list_employees
from api.schemas.appraisals import AppraisalAccepted, AppraisalIn
from ledger.application import KinerjaLedger
from ledger.errors import Conflict, FieldError, NotFound, ValidationFailed
from ledger.history import employee_events, employee_view, event_view
from ledger.nip import is_valid_nip
from ledger.vocabulary import Rating
from projections import queries
from projections.audit import AuditIntegrityError, AuditNotReady
from projections.audit.checkpoints import recent_checkpoints
from projections.audit.export import export_log
from projections.audit.log import AuditLog
from projections.discipline.verdicts import verdict_register
from projections.skp_progress import employee_progress

router = APIRouter(include_in_schema=False, route_class=PersonalReadRoute)

AUDIT_READERS = frozenset({Role.AUDITOR, Role.INSPECTOR})
LOG_PAGE = 50
YearParam = Annotated[int | None, Query(ge=1950, le=2100)]


def staff_principal(request: Request, roles: frozenset[Role]) -> Principal | Response:
    who = session.principal(request)
    if who is None:
        return RedirectResponse(f"/masuk?lanjut={quote(request.url.path)}", status_code=303)
    if who.role not in roles:
        return error_page(request, 403, "error.forbidden")
    return who


# ------------------------------------------------------------------------------ sign-in


@router.get("/masuk", response_class=Response)
def login_form(request: Request, lanjut: Annotated[str, Query(max_length=200)] = "/staf") -> Response:
    return page(request, "login.html", {"next": lanjut, "failed": False})


def _local(target: str) -> str:
    return (
        target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/staf"
    )


@router.post("/masuk", response_class=Response)
async def login(request: Request) -> Response:
    fields = await forms.read_form(request)
    refusal = forms.refused(request, fields, public=False)
    if refusal is not None:
        return refusal
    response = RedirectResponse(_local(fields.get("next", "/staf")), status_code=303)
    try:
        who = session.sign_in(request, response, fields.get("token", "").strip())
    except ApiProblem:
        return page(request, "login.html", {"next": fields.get("next", "/staf"), "failed": True}, status=401)
    if who.role not in session.PORTAL_ROLES:
        return error_page(request, 403, "error.forbidden")
    return response


@router.post("/keluar", response_class=Response)
async def logout(request: Request) -> Response:
    fields = await forms.read_form(request)
    refusal = forms.refused(request, fields, public=False)
    if refusal is not None:
        return refusal
    response = RedirectResponse("/", status_code=303)
    session.sign_out(response)
    return response


@router.get("/staf", response_class=Response)
def staff_home(request: Request) -> Response:
    who = staff_principal(request, STAFF_READERS)
    if isinstance(who, Response):
        return who
    return page(request, "staff_home.html", {"can_audit": who.role in AUDIT_READERS})


# ------------------------------------------------------------------------------ search

Status = Literal["ACTIVE", "ON_LEAVE", "SUSPENDED", "DISMISSED", "ENDED"]
STATUSES: tuple[Status, ...] = get_args(Status)
SEARCH_PAGE = 50


@router.get("/staf/pegawai", response_class=Response)
def search_page(
    request: Request,
    q: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    after: Annotated[str | None, Query(max_length=512)] = None,
) -> Response:
    """Employees by NIP prefix or part of the name: the JSON route GET /v1/employees itself is
    called, with its checks of `q` and its cursor, and each listed employee is access-logged."""
    who = staff_principal(request, STAFF_READERS)
    if isinstance(who, Response):
        return who
    chosen = next((s for s in STATUSES if s == status), None)
    result, error = None, None
    if q is not None or chosen is not None:
        try:
            listed = list_employees(
                request,
                who,
                q=q or None,
                agency=None,
                status=chosen,
                on=None,
                limit=SEARCH_PAGE,
                after=after,
                fmt="json",
            )
            assert isinstance(listed, BaseModel)  # fmt="json": the model itself, never a file
            result = listed.model_dump(mode="json")
        except ApiProblem as problem:
            error = "; ".join(e.reason for e in problem.errors) or problem.detail
    return page(
        request,
        "staff_search.html",
        {"q": q, "status": chosen, "statuses": STATUSES, "result": result, "error": error},
        status=422 if error else 200,
    )


# ------------------------------------------------------------------------------ HR


def _employee_page(
    request: Request,
    nip: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    saved: str | None = None,
    status: int = 200,
) -> Response:
    ledger = get_ledger(request)
    try:
        employee = ledger.employee(nip)
    except NotFound:
        return error_page(request, 404, "error.not_found")
    record = employee_view(employee, ledger.today())
    history = [event_view(e) for e in employee_events(ledger, nip)]
    corrected_by: dict[str, list[str]] = {}
    for event in history:
        if event["type"] == "AppraisalCorrected":
            corrected_by.setdefault(str(event["payload"].get("appraisal_id")), []).append(event["event_id"])
    years = queries.scorecard_years(ledger, nip)
    card = queries.scorecard(ledger, nip, years[-1]) if years else None
    who = request.state.portal_principal
    return page(
        request,
        "staff_employee.html",
        {
            "record": record,
            "history": list(reversed(history)),
            "corrected_by": corrected_by,
            "card": card,
            "can_write": who.role in WRITERS,
            "ratings": [r.value for r in Rating],
            "values": values or {"appraiser_nip": ""},
            "errors": errors or {},
            "saved": saved,
        },
        status=status,
    )


@router.get("/staf/pegawai/{nip}", response_class=Response)
def employee_page(
    request: Request, nip: str, tersimpan: Annotated[str | None, Query(max_length=80)] = None
) -> Response:
    who = staff_principal(request, STAFF_READERS)
    if isinstance(who, Response):
        return who
    if not is_valid_nip(nip):
        return error_page(request, 404, "error.not_found")
    return _employee_page(request, nip, saved=tersimpan)


def _record_appraisal(
    request: Request, who: Principal, nip: str, body: dict[str, Any]
) -> tuple[str | None, list[FieldError]]:
    """The same command as POST /v1/employees/{nip}/appraisals: (appraisal id, problems)."""
    try:
        appraisal = AppraisalIn.model_validate(body)
    except ValidationError as exc:
        return None, forms.pydantic_errors(exc)
    try:
        answer = run_command(
            request,
            Authorised(who),
            appraisal,
            KinerjaLedger.record_appraisal,
            AppraisalAccepted,
            CommandHeaders(),
            path=(nip,),
        )
    except ValidationFailed as exc:
        return None, exc.errors or [FieldError("period", exc.detail)]
    except Conflict as exc:
        return None, [FieldError("period", exc.detail)]
    content = AppraisalAccepted.model_validate_json(bytes(answer.body))
    return content.appraisal_id, []


@router.post("/staf/pegawai/{nip}/penilaian", response_class=Response)
async def record_appraisal(request: Request, nip: str) -> Response:
    who = staff_principal(request, WRITERS)
    if isinstance(who, Response):
        return who
    fields = await forms.read_form(request)
    refusal = forms.refused(request, fields, public=False)
    if refusal is not None:
        return refusal
    if not is_valid_nip(nip):
        return error_page(request, 404, "error.not_found")
    if who.sub == nip:
        return error_page(request, 403, "error.forbidden")
    body = {
        name: forms.blank_to_none(fields.get(name))
        for name in ("period", "appraiser_nip", "hasil_kerja", "perilaku_kerja")
    }
    appraisal_id, problems = await run_in_threadpool(_record_appraisal, request, who, nip, body)
    if problems:
        errors = {e.field: e.reason for e in problems}
        kept = {k: v for k, v in fields.items() if k in body}
        return await run_in_threadpool(
            lambda: _employee_page(request, nip, values=kept, errors=errors, status=422)
        )
    return RedirectResponse(
        f"/staf/pegawai/{nip}?tersimpan={quote(appraisal_id or '')}#penilaian", status_code=303
    )


@router.get("/staf/pegawai/{nip}/skp", response_class=Response)
def skp_page(
    request: Request, nip: str, tahun: Annotated[int | None, Query(ge=1950, le=2100)] = None
) -> Response:
    """SKP progress: the plans of the year with realisation against target per indicator, the
    share achieved, dialogues and BerAKHLAK feedback (what GET /v1/employees/{nip}/skp answers)."""
    who = staff_principal(request, STAFF_READERS)
    if isinstance(who, Response):
        return who
    ledger = get_ledger(request)
    if not is_valid_nip(nip):
        return error_page(request, 404, "error.not_found")
    try:
        employee = ledger.employee(nip)
    except NotFound:
        return error_page(request, 404, "error.not_found")
    year = tahun or ledger.today().year
    return page(
        request,
        "staff_skp.html",
        {"nip": nip, "name": employee.name, "year": year, "progress": employee_progress(ledger, nip, year)},
    )


# ------------------------------------------------------------------------------ inspector


@router.get("/staf/sanksi", response_class=Response)
def sanctions_page(request: Request, verdict: Annotated[str | None, Query(max_length=16)] = None) -> Response:
    who = staff_principal(request, SANCTION_READERS)
    if isinstance(who, Response):
        return who
    chosen = verdict if verdict in {"CONSISTENT", "INCONSISTENT"} else None
    ledger = get_ledger(request)
    items = verdict_register(ledger, verdict=chosen, agency=None, on=ledger.today())
    read_subjects(request, (item["nip"] for item in items))
    return page(request, "staff_sanctions.html", {"items": items, "verdict": chosen})


# ------------------------------------------------------------------------------ auditor


@router.get("/staf/audit", response_class=Response)
def audit_page(request: Request, dari: Annotated[int, Query(ge=0, le=2**62)] = 0) -> Response:
    who = staff_principal(request, AUDIT_READERS)
    if isinstance(who, Response):
        return who
    ledger = get_ledger(request)
    audit = AuditLog(ledger)
    try:
        size = audit.ensure_checkpoint().size
    except (AuditNotReady, AuditIntegrityError):
        return error_page(request, 503, "error.unavailable", {"Retry-After": "5"})
    entries = audit.entries(dari, min(LOG_PAGE, max(size - dari, 0))) if dari < size else []
    read_subjects(request, employees_shown(ledger, entries))
    with ledger.sql.transaction(write=False) as tx:
        checkpoints = recent_checkpoints(tx, 10)
    following = dari + len(entries)
    return page(
        request,
        "staff_audit.html",
        {
            "entries": entries,
            "size": size,
            "next": following if following < size else None,
            "checkpoints": checkpoints,
        },
    )


def _export_zip(ledger: KinerjaLedger) -> bytes:
    with tempfile.TemporaryDirectory(prefix="kl-export-") as tmp:
        out = Path(tmp) / "export"
        export_log(ledger, out)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(out.rglob("*")):
                if path.is_file():
                    archive.write(path, f"export/{path.relative_to(out)}")
        return buffer.getvalue()


@router.get("/staf/audit/ekspor", response_class=Response)
def audit_export(request: Request) -> Response:
    """The whole log as `ledger audit export` writes it, zipped: verify it offline with
    `ledger audit verify`."""
    who = staff_principal(request, AUDIT_READERS)
    if isinstance(who, Response):
        return who
    try:
        data = _export_zip(get_ledger(request))
    except (AuditNotReady, AuditIntegrityError):
        return error_page(request, 503, "error.unavailable", {"Retry-After": "5"})
    return Response(
        data,
        media_type="application/zip",
        headers={"content-disposition": 'attachment; filename="kinerja-ledger-export.zip"'},
    )

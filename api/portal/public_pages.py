"""The public portal (no login): figures per agency and service unit, the SKM survey, the signed
checkpoint explained. Every figure comes from the public read model, already suppressed (k = 5)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from api.commands import run_command
from api.dependencies import CommandHeaders, get_ledger
from api.portal import forms, i18n
from api.portal.charts import bar_chart
from api.portal.rendering import page
from api.problems import ApiProblem
from api.routers.public_input import complaint_statistics, complaint_status
from api.schemas.public import SurveyAccepted, SurveyIn
from api.schemas.public_input import ComplaintAccepted, ComplaintIn
from ledger.application import KinerjaLedger
from ledger.errors import FieldError, NotFound, ValidationFailed
from ledger.rules.satisfaction import SATISFACTION_RULES
from ledger.vocabulary import ComplaintCategory
from projections import queries
from projections.audit import AuditIntegrityError, AuditNotReady
from projections.audit.log import AuditLog

router = APIRouter(include_in_schema=False)

HONEYPOT = "website"  # hidden from people by CSS; a bot that fills every field fills it
PREDIKAT = ("SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG")
YearParam = Annotated[int | None, Query(alias="tahun", ge=1950, le=2100)]


def _decimal(figure: dict[str, Any] | None) -> Decimal | None:
    if not figure or figure.get("suppressed") or figure.get("value") is None:
        return None
    try:
        return Decimal(str(figure["value"]))
    except InvalidOperation:
        return None


def _text(lang: str, figure: dict[str, Any] | None, suffix: str = "") -> str:
    if figure is None:
        return i18n.translate(lang, "no_data")
    if figure.get("suppressed"):
        return i18n.translate(lang, "suppressed")
    return f"{figure['value']}{suffix}"


def _percent(figure: dict[str, Any] | None) -> dict[str, Any] | None:
    """A share 0-1 as a published figure of percent with one decimal."""
    value = _decimal(figure)
    if figure is None or value is None:
        return figure
    return {**figure, "value": f"{(value * 100).quantize(Decimal('0.1'))}"}


def _home_figures(ledger: KinerjaLedger, year: int | None) -> dict[str, Any]:
    years = queries.public_years(ledger)
    chosen = year if year in years else (years[-1] if years else None)
    agencies = queries.public_agencies(ledger, chosen) if chosen else {"agencies": []}
    units = queries.public_service_units(ledger, chosen) if chosen else {"service_units": []}
    return {"years": years, "year": chosen, "agencies": agencies["agencies"], "units": units["service_units"]}


def _latest_checkpoint(ledger: KinerjaLedger) -> Any:
    try:
        return AuditLog(ledger).ensure_checkpoint()
    except (AuditNotReady, AuditIntegrityError):
        return None


@router.get("/", response_class=Response)
def home(request: Request, tahun: YearParam = None) -> Response:
    ledger = get_ledger(request)
    lang = i18n.language(request)
    data = _home_figures(ledger, tahun)
    rule = SATISFACTION_RULES.in_force(ledger.today())
    bands = tuple((b.min_converted, b.mutu) for b in rule.bands[:-1])
    unit_chart = bar_chart(
        i18n.translate(lang, "home.units.chart"),
        [
            (
                u["name"],
                _decimal((u["figures"] or {}).get("ikm_converted")),
                _text(lang, (u["figures"] or {}).get("ikm_converted")),
            )
            for u in data["units"]
        ],
        low=Decimal(25),
        high=Decimal(100),
        rules=bands,
    )
    for agency in data["agencies"]:
        agency["training_percent"] = _percent(agency["figures"].get("training.compliance_rate"))
        # The same answer as GET /v1/public/agencies/{code}/complaints (k = 5 inside).
        if data["year"] is not None:
            agency["complaints"] = complaint_statistics(request, agency["code"], data["year"]).figures
    training_chart = bar_chart(
        i18n.translate(lang, "home.training.chart"),
        [
            (a["name"], _decimal(a["training_percent"]), _text(lang, a["training_percent"], " %"))
            for a in data["agencies"]
        ],
        low=Decimal(0),
        high=Decimal(100),
    )
    return page(
        request,
        "home.html",
        {
            **data,
            "unit_chart": unit_chart,
            "training_chart": training_chart,
            "predikat": PREDIKAT,
            "checkpoint": _latest_checkpoint(ledger),
        },
    )


@router.get("/bahasa", response_class=Response)
def switch_language(request: Request, ke: str = "id", kembali: str = "/") -> Response:
    """Remember the reader's language and go back to the page they were on (this site only)."""
    target = (
        kembali if kembali.startswith("/") and not kembali.startswith("//") and "\\" not in kembali else "/"
    )
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        i18n.COOKIE, ke if ke in i18n.LANGUAGES else "id", max_age=365 * 86400, samesite="lax", path="/"
    )
    return response


# ------------------------------------------------------------------------------- survey


def _questions(lang: str, ledger: KinerjaLedger) -> list[dict[str, Any]]:
    rule = SATISFACTION_RULES.in_force(ledger.today())
    out = []
    for number, q in enumerate(rule.questions, start=1):
        english = i18n.SKM_ENGLISH[q.element]
        out.append(
            {
                "number": number,
                "element": q.element,
                "unsur": q.unsur,
                "question": q.question,
                "answers": list(enumerate(q.answers, start=rule.min_score)),
                "english": english if lang == "en" else None,
            }
        )
    return out


def _survey_page(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    ledger = get_ledger(request)
    lang = i18n.language(request)
    rule = SATISFACTION_RULES.in_force(ledger.today())
    units = queries.public_service_units(ledger)["service_units"]
    questions = _questions(lang, ledger)
    labels = {
        "service_unit": i18n.translate(lang, "survey.unit"),
        "officer_code": i18n.translate(lang, "survey.officer"),
        "comment": i18n.translate(lang, "survey.comment"),
        **{q["element"]: f"{i18n.translate(lang, 'survey.unsur')} {q['number']}" for q in questions},
    }
    return page(
        request,
        "survey.html",
        {
            "labels": labels,
            "units": units,
            "questions": questions,
            "source": rule.questionnaire_source,
            "values": values,
            "errors": errors,
            "honeypot": HONEYPOT,
        },
        status=status,
    )


@router.get("/survei", response_class=Response)
def survey_form(request: Request, unit: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    return _survey_page(request, {"service_unit": unit or ""}, {})


def _survey_message(error: FieldError) -> str:
    field, reason = error.field, error.reason
    if field.startswith("answers"):
        return "error.choose_answer"
    if field == "service_unit":
        if reason in {"missing", "string_type"}:
            return "error.choose_unit"
        return "error.bad_code" if reason == "string_pattern_mismatch" else "error.unknown_unit"
    if field == "officer_code":
        return "error.bad_code" if reason == "string_pattern_mismatch" else "error.unknown_officer"
    if field == "comment":
        return "error.text"
    return "error.invalid"


def _survey_body(fields: dict[str, str], elements: tuple[str, ...]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for element in elements:
        value = fields.get(element)
        if value:
            answers[element] = int(value) if value in {"1", "2", "3", "4"} else value
    body: dict[str, Any] = {"service_unit": fields.get("service_unit") or None, "answers": answers}
    for name in ("officer_code", "comment"):
        value = forms.blank_to_none(fields.get(name))
        if value is not None:
            body[name] = value.strip() if name == "officer_code" else value
    return body


def _submit_survey(request: Request, body: dict[str, Any]) -> list[FieldError]:
    """Run the same command as POST /v1/public/surveys; the problems, if it was refused."""
    try:
        survey = SurveyIn.model_validate(body)
    except ValidationError as exc:
        return forms.pydantic_errors(exc)
    try:
        run_command(request, None, survey, KinerjaLedger.submit_survey, SurveyAccepted, CommandHeaders())
    except ValidationFailed as exc:
        return exc.errors or [FieldError("service_unit", exc.detail)]
    return []


@router.post("/survei", response_class=Response)
async def survey_submit(request: Request) -> Response:
    fields = await forms.read_form(request)
    refusal = forms.refused(request, fields, public=True)
    if refusal is not None:
        return refusal
    unit = fields.get("service_unit", "")
    if fields.get(HONEYPOT):
        # A bot: it is thanked like anyone and nothing is recorded.
        return RedirectResponse("/survei/terima-kasih", status_code=303)
    rule = SATISFACTION_RULES.in_force(get_ledger(request).today())
    problems = await run_in_threadpool(_submit_survey, request, _survey_body(fields, rule.elements))
    if problems:
        errors = forms.messages(problems, _survey_message)
        # "answers" alone (no element answered) is shown beside every question.
        if "answers" in errors:
            for element in rule.elements:
                errors.setdefault(f"answers.{element}", "error.choose_answer")
        errors = {k.removeprefix("answers."): v for k, v in errors.items()}
        kept = {
            k: v
            for k, v in fields.items()
            if k in {"service_unit", "officer_code", "comment", *rule.elements}
        }
        return await run_in_threadpool(_survey_page, request, kept, errors, 422)
    return RedirectResponse(f"/survei/terima-kasih?unit={quote(unit)}", status_code=303)


@router.get("/survei/terima-kasih", response_class=Response)
def survey_thanks(request: Request, unit: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    units = queries.public_service_units(get_ledger(request))["service_units"]
    name = next((u["name"] for u in units if u["code"] == unit), None)
    return page(request, "survey_thanks.html", {"unit_name": name})


# --------------------------------------------------------------------------- checkpoint


@router.get("/jejak-audit", response_class=Response)
def checkpoint_page(request: Request) -> Response:
    ledger = get_ledger(request)
    signed = _latest_checkpoint(ledger)
    key = AuditLog(ledger).verifier_key() if signed is not None else None
    return page(
        request,
        "checkpoint.html",
        {"checkpoint": signed, "root_hex": signed.root.hex() if signed else None, "key": key},
    )


# --------------------------------------------------------------------------- complaints

CATEGORIES = tuple(c.value for c in ComplaintCategory)
COMPLAINT_FIELDS = frozenset({"service_unit", "officer_code", "category", "text", "contact", "lapor_ticket"})


def _complaint_page(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200, **extra: Any
) -> Response:
    units = queries.public_service_units(get_ledger(request))["service_units"]
    return page(
        request,
        "complaint.html",
        {
            "units": units,
            "categories": CATEGORIES,
            "values": values,
            "errors": errors,
            "honeypot": HONEYPOT,
            **extra,
        },
        status=status,
    )


@router.get("/pengaduan", response_class=Response)
def complaint_form(request: Request, unit: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    return _complaint_page(request, {"service_unit": unit or ""}, {})


def _complaint_message(error: FieldError) -> str:
    if error.field == "text":
        return "error.complaint_text" if error.reason == "missing" else "error.text"
    if error.field == "category":
        return "error.choose_category"
    if error.field == "contact":
        return "error.text"
    if error.field == "lapor_ticket":
        return "error.ticket"
    return _survey_message(error)


def _submit_complaint(request: Request, body: dict[str, Any]) -> tuple[str | None, list[FieldError]]:
    """The same command as POST /v1/public/complaints: (tracking code, problems)."""
    try:
        complaint = ComplaintIn.model_validate(body)
    except ValidationError as exc:
        return None, forms.pydantic_errors(exc)
    try:
        answer = run_command(
            request, None, complaint, KinerjaLedger.submit_complaint, ComplaintAccepted, CommandHeaders()
        )
    except ValidationFailed as exc:
        return None, exc.errors or [FieldError("service_unit", exc.detail)]
    return ComplaintAccepted.model_validate_json(bytes(answer.body)).tracking_code, []


@router.post("/pengaduan", response_class=Response)
async def complaint_submit(request: Request) -> Response:
    fields = await forms.read_form(request)
    refusal = forms.refused(request, fields, public=True)
    if refusal is not None:
        return refusal
    if fields.get(HONEYPOT):
        return page(request, "complaint_received.html", {"tracking_code": None})
    body: dict[str, Any] = {
        "service_unit": fields.get("service_unit") or None,
        "category": fields.get("category") or None,
        "text": forms.blank_to_none(fields.get("text")),
    }
    for name in ("officer_code", "contact", "lapor_ticket"):
        value = forms.blank_to_none(fields.get(name))
        if value is not None:
            body[name] = value.strip()
    code, problems = await run_in_threadpool(_submit_complaint, request, body)
    if problems:
        kept = {
            k: v
            for k, v in fields.items()
            if k in {"service_unit", "officer_code", "category", "text", "contact", "lapor_ticket"}
        }
        errors = forms.messages(problems, _complaint_message)
        return await run_in_threadpool(_complaint_page, request, kept, errors, 422)
    # The code is shown once, on this page (not in a URL a proxy or the history would keep).
    return page(request, "complaint_received.html", {"tracking_code": code}, status=201)


@router.get("/pengaduan/status", response_class=Response)
def complaint_lookup(request: Request, kode: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    """The citizen's look-up: GET /v1/public/complaints/{code} itself is called."""
    found, error = None, None
    if kode:
        try:
            found = complaint_status(request, kode).model_dump(mode="json")
        except ApiProblem:
            error = "error.tracking_code"
        except NotFound:
            error = "error.tracking_unknown"
    status = 200 if found or not kode else (422 if error == "error.tracking_code" else 404)
    return page(
        request, "complaint_status.html", {"kode": kode, "found": found, "error": error}, status=status
    )

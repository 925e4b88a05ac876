"""/v1/employees: registration, transfers and assignments, and the reads of an employee's record."""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal

from eventsourcing.persistence import StoredEvent
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from api import access_log
from api.access_log import PersonalReadRoute, read_subjects
from api.auth import STAFF_READERS, Principal, Role, forbidden
from api.commands import run_command
from api.dependencies import (
    CreateHeaders,
    Headers,
    HrOnly,
    LogReader,
    Reader,
    Registrar,
    get_ledger,
    require,
)
from api.exports import EXPORT_CONTENT, LIST_EXPORTS, FormatQuery, exported
from api.openapi import COMMAND, CREATE, READ
from api.pagination import DEFAULT_LIMIT, AfterQuery, Cursor, LimitQuery
from api.problems import ApiProblem
from api.routers.params import (
    AsOfQuery,
    EffectiveOnQuery,
    NipPath,
    YearQuery,
    parse_as_of,
    parse_day,
    parse_effective_on,
)
from api.schemas.common import Accepted
from api.schemas.employees import (
    AccessLog,
    AssignmentIn,
    EmployeeAccepted,
    EmployeeEvents,
    EmployeeIn,
    EmployeeList,
    EmployeeRecord,
    TransferIn,
)
from api.schemas.scores import Scorecard
from ledger.application import KinerjaLedger
from ledger.clock import wib_date
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.errors import NotFound
from ledger.history import as_of_effective, as_of_recorded, employee_view, event_view
from ledger.values import CODE_PATTERN, refused_character
from projections import queries
from projections.audit import AuditLog
from projections.paging import page_rows

router = APIRouter(prefix="/v1", tags=["employees"])
reads = APIRouter(prefix="/v1", tags=["employee records"], route_class=PersonalReadRoute)


# ------------------------------------------------------------------------------ commands


@router.post("/employees", status_code=201, response_model=EmployeeAccepted, responses=CREATE)
def register_employee(
    request: Request, body: EmployeeIn, principal: Registrar, headers: CreateHeaders
) -> JSONResponse:
    """Register an employee (HR). The NIP is validated structurally; the agency must exist."""
    return run_command(
        request,
        principal,
        body,
        KinerjaLedger.register_employee,
        EmployeeAccepted,
        headers=headers,
        location=f"/v1/employees/{body.nip}",
    )


@router.post("/employees/{nip}/transfers", status_code=201, response_model=Accepted, responses=COMMAND)
def transfer_employee(
    request: Request,
    nip: NipPath,
    body: TransferIn,
    actor: HrOnly,
    headers: Headers,
) -> JSONResponse:
    """Transfer to another agency, position or grade (HR)."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.transfer_employee,
        Accepted,
        headers=headers,
        path=(nip,),
    )


@router.post("/employees/{nip}/assignments", status_code=201, response_model=Accepted, responses=COMMAND)
def assign_to_service_unit(
    request: Request,
    nip: NipPath,
    body: AssignmentIn,
    actor: HrOnly,
    headers: Headers,
) -> JSONResponse:
    """Assign a front-line officer to a service unit with a public officer code (HR)."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.assign_to_service_unit,
        Accepted,
        headers=headers,
        path=(nip,),
    )


# --------------------------------------------------------------------------------- reads

ETAG_HEADER = {
    "ETag": {
        "description": 'the record\'s version, e.g. "7" (use it in If-Match)',
        "schema": {"type": "string"},
    }
}


def _ok(content: object, version: int) -> JSONResponse:
    return JSONResponse(content, headers={"ETag": f'"{version}"'})


EMPLOYEE_LIST_READERS = STAFF_READERS | {Role.APPRAISER}
StatusQuery = Annotated[
    Literal["ACTIVE", "ON_LEAVE", "SUSPENDED", "DISMISSED", "ENDED"] | None,
    Query(description="only employees with this status on the day `on`"),
]
SearchQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        description="digits: a NIP prefix; otherwise a part of the name (case-insensitive)",
    ),
]
OnQuery = Annotated[
    str | None,
    Query(
        description="YYYY-MM-DD: the day the status is given for (default: today, WIB)",
        json_schema_extra={"format": "date"},
        max_length=10,
    ),
]


@reads.get("/employees", response_model=EmployeeList, responses=LIST_EXPORTS)
def list_employees(
    request: Request,
    principal: Annotated[Principal, require(EMPLOYEE_LIST_READERS, "list employees")],
    q: SearchQuery = None,
    agency: Annotated[str | None, Query(pattern=CODE_PATTERN, description="agency code")] = None,
    status: StatusQuery = None,
    on: OnQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    after: AfterQuery = None,
    fmt: FormatQuery = None,
) -> EmployeeList | Response:
    """Search and list employees by NIP (HR, auditor, inspector; an appraiser within their own
    agency): `q` all digits is a NIP prefix, otherwise a part of the name, case-insensitive."""
    if principal.role is Role.APPRAISER:
        if agency is not None and agency != principal.agency:
            raise forbidden("an appraiser may list only the employees of their own agency")
        agency = principal.agency
    if q is not None:
        q = q.strip()
        bad = refused_character(q) or (
            "control characters are not allowed" if "\n" in q or "\t" in q else None
        )
        if bad is not None or not q:
            raise ApiProblem.invalid("q", bad or "must not be blank")
        if q.isdigit() and len(q) > 18:
            raise ApiProblem.invalid("q", "a NIP prefix has at most 18 digits")
    ledger = get_ledger(request)
    day = ledger.today() if on is None else parse_day(on, "on")
    filters = {"q": q, "agency": agency, "status": status, "on": day.isoformat()}
    cursor = Cursor("employees", filters, (str,))
    page = queries.employees(
        ledger, day, q=q, agency=agency, status=status, limit=limit, after=cursor.decode(after)
    )
    result = EmployeeList.model_validate({**filters, "items": page.items, "next": cursor.next(page)})
    read_subjects(request, (item.nip for item in result.items))
    return exported(request, result, "items", "employees", fmt)


@reads.get(
    "/employees/{nip}",
    response_model=EmployeeRecord,
    responses={**READ, 200: {"headers": ETAG_HEADER}},
)
def get_employee(
    request: Request,
    nip: NipPath,
    principal: Reader,
    as_of: AsOfQuery = None,
    effective_on: EffectiveOnQuery = None,
) -> JSONResponse:
    """An employee's record now, as the ledger knew it at `as_of`, or as it had taken effect on
    `effective_on` (HR, auditor, inspector, or the employee themselves)."""
    ledger = get_ledger(request)
    if as_of is not None and effective_on is not None:
        raise ApiProblem.invalid("effective_on", "give as_of or effective_on, not both")
    if as_of is not None:
        moment = parse_as_of(as_of)
        employee, day = as_of_recorded(ledger, nip, moment).employee, wib_date(moment)
    elif effective_on is not None:
        day = parse_effective_on(effective_on)
        employee = as_of_effective(ledger, nip, day).employee
    else:
        employee, day = ledger.employee(nip), ledger.today()
    view = employee_view(employee, day)
    record = EmployeeRecord.model_validate({**view, "as_of": as_of, "effective_on": effective_on})
    return _ok(record.model_dump(mode="json"), employee.version)


@reads.get(
    "/employees/{nip}/events",
    response_model=EmployeeEvents,
    responses={**READ, 200: {"headers": ETAG_HEADER}},
)
def get_employee_events(
    request: Request, nip: NipPath, principal: Reader, as_of: AsOfQuery = None
) -> JSONResponse:
    """The employee's event stream in order, with global positions, the SHA-256 of each stored
    event and, once the audit log has them, leaf index, leaf hash and chain hash (optionally only
    the events recorded at or before `as_of`)."""
    ledger = get_ledger(request)
    moment = parse_as_of(as_of) if as_of is not None else None
    employee_id = Employee.create_id(nip)
    entries = ledger.stream(employee_id)
    if not entries:
        raise NotFound(f"unknown employee NIP {nip}")
    hashes = AuditLog(ledger).stream_hashes(employee_id)
    events = []
    for entry in entries:
        stored = StoredEvent(
            originator_id=entry.originator_id,
            originator_version=entry.originator_version,
            topic=entry.topic,
            state=entry.state,
        )
        event = ledger.mapper.to_domain_event(stored)
        assert isinstance(event, LedgerEvent)
        if moment is not None and event.recorded_at > moment:
            continue
        events.append(
            {
                **event_view(event),
                "position": entry.position,
                "topic": entry.topic,
                "state_sha256": hashlib.sha256(entry.state).hexdigest(),
                **hashes.get(entry.originator_version, {}),
            }
        )
    if not events:
        raise NotFound(f"employee NIP {nip} was not yet recorded then")
    version = events[-1]["version"]
    body = EmployeeEvents.model_validate(
        {"nip": nip, "employee_id": str(employee_id), "version": version, "events": events}
    )
    return _ok(body.model_dump(mode="json"), version)


@reads.get("/employees/{nip}/access-log", response_model=AccessLog, responses=READ | EXPORT_CONTENT)
def get_access_log(
    request: Request,
    nip: NipPath,
    principal: LogReader,
    limit: LimitQuery = DEFAULT_LIMIT,
    after: AfterQuery = None,
    fmt: FormatQuery = None,
) -> AccessLog | Response:
    """Who read this employee's record, when, through which route and with what result
    (the employee themselves, auditors, inspectors), oldest first. Denied attempts are listed too."""
    ledger = get_ledger(request)
    cursor = Cursor("access-log", {"nip": nip}, (int,))
    key = cursor.decode(after)
    if not ledger_has_employee(request, nip):
        raise NotFound(f"unknown employee NIP {nip}")
    rows = access_log.entries(ledger, nip, after=0 if key is None else int(key[0]), limit=limit + 1)
    page = page_rows(rows, lambda r: (r["id"],), limit)
    result = AccessLog.model_validate({"nip": nip, "entries": page.items, "next": cursor.next(page)})
    return exported(request, result, "entries", "access-log", fmt)


def ledger_has_employee(request: Request, nip: str) -> bool:
    ledger = get_ledger(request)
    return next(iter(ledger.events.get(Employee.create_id(nip), limit=1)), None) is not None


@reads.get("/employees/{nip}/scorecard", response_model=Scorecard, responses=READ)
def get_scorecard(request: Request, nip: NipPath, principal: Reader, year: YearQuery = None) -> Scorecard:
    """The yearly score with its components, weights, points and the ids of the events it was
    computed from (HR, auditor, inspector, or the employee themselves). Default year: the latest
    scored one. Served from the scorecards read model."""
    ledger = get_ledger(request)
    if not ledger_has_employee(request, nip):
        raise NotFound(f"unknown employee NIP {nip}")
    if year is None:
        years = queries.scorecard_years(ledger, nip)
        if not years:
            raise NotFound("no scorecard has been computed for this employee yet")
        year = years[-1]
    card = queries.scorecard(ledger, nip, year)
    if card is None:
        raise NotFound(f"no scorecard for {year}")
    return Scorecard.model_validate(card)

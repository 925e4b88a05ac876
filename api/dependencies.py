"""FastAPI dependencies: the ledger of the process, the authenticated caller and what their role
may do, and the HTTP guarantees of a command (Idempotency-Key, If-Match)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import (
    ACCESS_LOG_READERS,
    APPRAISAL_WRITERS,
    STAFF_READERS,
    WRITERS,
    Principal,
    Role,
    decode_token,
    forbidden,
    unauthenticated,
)
from api.problems import ApiProblem
from ledger.application import KinerjaLedger
from ledger.domain.employee import Employee
from ledger.errors import NotFound
from ledger.nip import is_valid_nip

IDEMPOTENCY_PATTERN = r"^[A-Za-z0-9._:\-]{1,128}$"
IF_MATCH_PATTERN = r'^(\*|"[0-9]{1,15}")$'

bearer = HTTPBearer(auto_error=False, description="a token printed by `ledger token issue`")


def get_ledger(request: Request) -> KinerjaLedger:
    ledger: KinerjaLedger = request.app.state.ledger
    return ledger


def authenticated(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    if credentials is None:
        raise unauthenticated("this route needs 'Authorization: Bearer <token>'")
    principal = decode_token(request.app.state.token_secret, credentials.credentials)
    request.state.principal = principal
    return principal


AuthenticatedPrincipal = Annotated[Principal, Depends(authenticated)]


def require(roles: frozenset[Role], what: str) -> Any:
    """Dependency: the caller's role must be one of `roles`."""

    def dependency(principal: AuthenticatedPrincipal) -> Principal:
        if principal.role not in roles:
            raise forbidden(f"role {principal.role.value} may not {what}")
        return principal

    return Depends(dependency)


def _path_nip(request: Request) -> str:
    return str(request.path_params.get("nip", ""))


def personal_reader(request: Request, principal: AuthenticatedPrincipal) -> Principal:
    """HR, admin, auditor, inspector, or the employee themselves. Authorisation is decided
    before existence, so another employee's NIP is 403 whether it exists or not."""
    nip = _path_nip(request)
    if principal.is_self(nip) or principal.role in STAFF_READERS:
        return principal
    if principal.role is Role.EMPLOYEE:
        raise forbidden("an employee may read only their own record")
    raise forbidden(f"role {principal.role.value} may not read personal records")


def access_log_reader(request: Request, principal: AuthenticatedPrincipal) -> Principal:
    """The data subject, auditors and inspectors (UU 27/2022 Pasal 31-32: a data subject may see
    how their data was processed)."""
    nip = _path_nip(request)
    if principal.is_self(nip) or principal.role in ACCESS_LOG_READERS:
        return principal
    if principal.role is Role.EMPLOYEE:
        raise forbidden("an employee may read only their own access log")
    raise forbidden(f"role {principal.role.value} may not read access logs")


@dataclass(frozen=True)
class Authorised:
    """A writer allowed to act on the employee in the path; for an appraiser, the employee's
    version the agency check was made on (so a concurrent transfer cannot slip in between)."""

    principal: Principal
    checked_version: int | None = None


def employee_writer(
    roles: frozenset[Role],
    what: str,
    *,
    on_others_only: bool = False,
    employees: Literal["self", "peer"] | None = None,
) -> Any:
    """Dependency for commands on /employees/{nip}/...: `roles` may write; an appraiser only
    when the employee's current agency is the token's agency. With `on_others_only`, nobody
    acts on their own record (an appraisal, its correction, feedback are about somebody else).
    `employees` lets an employee token write too: on their own record ("self"), or on a
    colleague's of the same agency ("peer")."""

    def dependency(request: Request, principal: AuthenticatedPrincipal) -> Authorised:
        nip = _path_nip(request)
        if principal.role is Role.EMPLOYEE and employees is not None:
            return _employee_writer(request, principal, nip, employees, what)
        if principal.role not in roles:
            raise forbidden(f"role {principal.role.value} may not {what}")
        if on_others_only and principal.sub == nip:
            raise forbidden(f"nobody may {what} on their own record")
        if principal.role is not Role.APPRAISER:
            return Authorised(principal)
        if not principal.agency:
            raise forbidden("this appraiser token carries no agency")
        employee = _employee_or_none(request, nip)
        # Unknown and other-agency NIPs answer alike: an appraiser learns nothing outside
        # their own agency.
        if employee is None or employee.agency != principal.agency:
            raise forbidden(f"no employee of agency {principal.agency} has this NIP")
        return Authorised(principal, employee.version)

    return Depends(dependency)


def _employee_or_none(request: Request, nip: str) -> Employee | None:
    try:
        return get_ledger(request).employee(nip) if is_valid_nip(nip) else None
    except NotFound:
        return None


def _employee_writer(
    request: Request, principal: Principal, nip: str, employees: Literal["self", "peer"], what: str
) -> Authorised:
    if employees == "self":
        if principal.sub != nip:
            raise forbidden(f"an employee may {what} only on their own record")
        return Authorised(principal)
    if principal.sub == nip:
        raise forbidden(f"nobody may {what} on their own record")
    colleague = _employee_or_none(request, principal.sub)
    employee = _employee_or_none(request, nip)
    # A peer is an employee of the same agency; other NIPs, known or not, answer alike.
    if colleague is None or employee is None or employee.agency != colleague.agency:
        raise forbidden("an employee gives feedback only to colleagues of their own agency")
    return Authorised(principal, employee.version)


def agency_reader(request: Request, principal: AuthenticatedPrincipal) -> Principal:
    """Personal readers (HR, admin, auditor, inspector, the employee themselves) and an
    appraiser of the employee's current agency (an SKP is read by the one who approves it)."""
    nip = _path_nip(request)
    if principal.role is Role.APPRAISER:
        employee = _employee_or_none(request, nip)
        if principal.agency and employee is not None and employee.agency == principal.agency:
            return principal
        raise forbidden(f"no employee of agency {principal.agency} has this NIP")
    return personal_reader(request, principal)


# ------------------------------------------------------------------ command headers

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=IDEMPOTENCY_PATTERN,
        description="Repeat a command safely: the same key and body return the first answer and "
        "write nothing; the same key with another body is 422. 1-128 of A-Z a-z 0-9 . _ : -",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        pattern=IF_MATCH_PATTERN,
        description='Optimistic concurrency: the record\'s version as a quoted string, e.g. "3" (the '
        "ETag of a read or of the previous command). A different current version is 412; a malformed "
        "value is 400.",
    ),
]


@dataclass(frozen=True)
class CommandHeaders:
    """The HTTP guarantees a command was asked for: Idempotency-Key and If-Match."""

    idempotency_key: str | None = None
    if_match: str | None = None


def _command_headers(idempotency_key: IdempotencyKey = None, if_match: IfMatch = None) -> CommandHeaders:
    return CommandHeaders(idempotency_key, if_match)


def _create_headers(idempotency_key: IdempotencyKey = None) -> CommandHeaders:
    # A creation has no version yet, so it takes no If-Match.
    return CommandHeaders(idempotency_key)


Headers = Annotated[CommandHeaders, Depends(_command_headers)]
CreateHeaders = Annotated[CommandHeaders, Depends(_create_headers)]


def expected_version(if_match: str | None) -> int | None:
    if if_match is None or if_match == "*":
        return None  # `*` only asks that the record exists, which every command checks anyway
    return int(if_match.strip('"'))


# ------------------------------------------------------------------ who may act on a record

HrOnly = Annotated[Authorised, employee_writer(WRITERS, "change employee records")]
Appraisers = Annotated[
    Authorised, employee_writer(APPRAISAL_WRITERS, "record appraisals", on_others_only=True)
]
FeedbackGivers = Annotated[
    Authorised, employee_writer(APPRAISAL_WRITERS, "record feedback", on_others_only=True)
]
SkpPlanners = Annotated[
    Authorised, employee_writer(APPRAISAL_WRITERS, "record SKP plans", on_others_only=True)
]
RealisationReporters = Annotated[
    Authorised, employee_writer(APPRAISAL_WRITERS, "report realisations", employees="self")
]
DialogueHolders = Annotated[
    Authorised, employee_writer(APPRAISAL_WRITERS, "record performance dialogues", on_others_only=True)
]
BehaviourFeedbackGivers = Annotated[
    Authorised,
    employee_writer(APPRAISAL_WRITERS, "give behaviour feedback", on_others_only=True, employees="peer"),
]
SkpReader = Annotated[Principal, Depends(agency_reader)]
Registrar = Annotated[Principal, require(WRITERS, "register employees")]
Reader = Annotated[Principal, Depends(personal_reader)]
LogReader = Annotated[Principal, Depends(access_log_reader)]


# ------------------------------------------------------------------ public writes


def public_write(request: Request) -> None:
    """One public write for this client, or 429 with Retry-After."""
    client = request.client.host if request.client else "unknown"
    wait = request.app.state.public_limiter.take(client)
    if wait is not None:
        raise ApiProblem(
            429,
            "rate-limited",
            "too many submissions from this address; try again later",
            headers={"Retry-After": str(int(wait))},
        )


PublicWrite = Depends(public_write)

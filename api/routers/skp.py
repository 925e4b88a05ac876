"""The performance management cycle on /v1/employees/{nip}: SKP plans and revisions,
realisations, dialogues, BerAKHLAK feedback, and the employee's SKP progress (docs/SKP.md)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.access_log import PersonalReadRoute
from api.auth import Role
from api.commands import run_command
from api.dependencies import (
    Authorised,
    BehaviourFeedbackGivers,
    DialogueHolders,
    Headers,
    RealisationReporters,
    SkpPlanners,
    SkpReader,
    get_ledger,
)
from api.openapi import COMMAND, READ
from api.problems import ApiProblem
from api.routers.params import EventIdPath, NipPath, YearQuery
from api.schemas.skp import (
    BehaviourFeedbackAccepted,
    BehaviourFeedbackIn,
    DialogueAccepted,
    DialogueIn,
    RealisationAccepted,
    RealisationIn,
    RevisionAccepted,
    SkpAccepted,
    SkpIn,
    SkpProgress,
    SkpRevisionIn,
)
from ledger.application import KinerjaLedger
from ledger.errors import NotFound
from projections.skp_progress import employee_progress

router = APIRouter(prefix="/v1", tags=["performance cycle"])
reads = APIRouter(prefix="/v1", tags=["performance cycle"], route_class=PersonalReadRoute)


def _with_approver(body: SkpIn | SkpRevisionIn, actor: Authorised) -> BaseModel:
    """An appraiser approves as themselves; HR names the appraiser who approved."""
    principal = actor.principal
    if principal.role is Role.APPRAISER:
        if body.appraiser_nip is not None and body.appraiser_nip != principal.sub:
            raise ApiProblem.invalid(
                "appraiser_nip", "an appraiser approves as themselves: give your own NIP"
            )
        return body.model_copy(update={"appraiser_nip": principal.sub})
    if body.appraiser_nip is None:
        raise ApiProblem.invalid("appraiser_nip", "required: the appraiser who approved the plan")
    return body


@router.post("/employees/{nip}/skp", status_code=201, response_model=SkpAccepted, responses=COMMAND)
def plan_skp(
    request: Request, nip: NipPath, body: SkpIn, actor: SkpPlanners, headers: Headers
) -> JSONResponse:
    """Record the SKP plan of a year (a PPPK: of a contract period within it) as the appraiser
    approved it: RHK items with indicators, and the BerAKHLAK expectations (HR, or an appraiser
    of the employee's agency). One plan per period: change it with a revision."""
    approved = _with_approver(body, actor)
    return run_command(
        request, actor, approved, KinerjaLedger.plan_skp, SkpAccepted, headers=headers, path=(nip,)
    )


@router.post(
    "/employees/{nip}/skp/{skp_id}/revisions",
    status_code=201,
    response_model=RevisionAccepted,
    responses=COMMAND,
)
def revise_skp(
    request: Request,
    nip: NipPath,
    skp_id: EventIdPath,
    body: SkpRevisionIn,
    actor: SkpPlanners,
    headers: Headers,
) -> JSONResponse:
    """A revision of the plan (a new event with its reason; the plan as first approved stays in
    the history): the items replace the plan's, approved again."""
    approved = _with_approver(body, actor)
    return run_command(
        request,
        actor,
        approved,
        KinerjaLedger.revise_skp,
        RevisionAccepted,
        headers=headers,
        path=(nip, skp_id),
    )


@router.post(
    "/employees/{nip}/skp/{skp_id}/realisations",
    status_code=201,
    response_model=RealisationAccepted,
    responses=COMMAND,
)
def report_realisation(
    request: Request,
    nip: NipPath,
    skp_id: EventIdPath,
    body: RealisationIn,
    actor: RealisationReporters,
    headers: Headers,
) -> JSONResponse:
    """What was realised on one indicator in a month or quarter, with a reference to the evidence
    (the employee themselves, an appraiser of their agency, HR). A second report of the same
    period replaces the first and names it."""
    return run_command(
        request,
        actor,
        body,
        KinerjaLedger.report_realisation,
        RealisationAccepted,
        headers=headers,
        path=(nip, skp_id),
    )


@router.post(
    "/employees/{nip}/dialogues", status_code=201, response_model=DialogueAccepted, responses=COMMAND
)
def hold_dialogue(
    request: Request, nip: NipPath, body: DialogueIn, actor: DialogueHolders, headers: Headers
) -> JSONResponse:
    """A performance dialogue (dialog kinerja) held with the employee (an appraiser of their
    agency, HR)."""
    return run_command(
        request, actor, body, KinerjaLedger.hold_dialogue, DialogueAccepted, headers=headers, path=(nip,)
    )


@router.post(
    "/employees/{nip}/behaviour-feedback",
    status_code=201,
    response_model=BehaviourFeedbackAccepted,
    responses=COMMAND,
)
def give_behaviour_feedback(
    request: Request,
    nip: NipPath,
    body: BehaviourFeedbackIn,
    actor: BehaviourFeedbackGivers,
    headers: Headers,
) -> JSONResponse:
    """Feedback on one BerAKHLAK core value: SUPERVISOR from an appraiser of the employee's
    agency, PEER from an employee of the same agency, either from HR (who names the source).
    Nobody gives it on their own behaviour."""
    role = actor.principal.role
    implied = {Role.APPRAISER: "SUPERVISOR", Role.EMPLOYEE: "PEER"}.get(role)
    if implied is not None and body.source not in (None, implied):
        raise ApiProblem.invalid("source", f"a token of role {role.value} gives {implied} feedback")
    source = implied or body.source
    if source is None:
        raise ApiProblem.invalid("source", "required: SUPERVISOR or PEER")
    return run_command(
        request,
        actor,
        body.model_copy(update={"source": source}),
        KinerjaLedger.give_behaviour_feedback,
        BehaviourFeedbackAccepted,
        headers=headers,
        path=(nip,),
    )


@reads.get("/employees/{nip}/skp", response_model=SkpProgress, responses=READ)
def get_skp(request: Request, nip: NipPath, principal: SkpReader, year: YearQuery = None) -> SkpProgress:
    """The employee's SKP plans of the year (default: this year) with realisation against target
    per indicator and the share achieved, the dialogues and the BerAKHLAK feedback (HR, auditor,
    inspector, the employee themselves, an appraiser of their agency). Served from the `skp`
    read model."""
    ledger = get_ledger(request)
    if next(iter(ledger.events.get(ledger.stream_id_of("employee", nip), limit=1)), None) is None:
        raise NotFound(f"unknown employee NIP {nip}")
    return SkpProgress.model_validate(employee_progress(ledger, nip, year or ledger.today().year))

"""Every projection is total over what the API accepts (issue 12): hypothesis draws sequences of
commands with extreme but valid values (dates at their bounds, the longest texts and lists, the
largest numbers, every enum member), runs those the ledger accepts, then runs every projection
over the log: none may fail, and every employee's record still reads.

A command the ledger refuses (a LedgerError: 4xx) is simply not part of the sequence; any other
exception while running one is a failure too (it would be a 500)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import values
from ledger.application import KinerjaLedger
from ledger.clock import WIB
from ledger.errors import LedgerError
from ledger.rules import AWARD_RULES, DISCIPLINE_RULES
from ledger.rules.appraisal import APPRAISAL_RULES, fields_of
from ledger.vocabulary import (
    AppealKind,
    AppealOutcome,
    AwardType,
    CoreValue,
    DecidingRole,
    FeedbackSource,
    Level,
    PenaltyCode,
    PredikatOrganisasi,
    Rating,
    ServiceEndReason,
    SkpAspect,
)
from projections.registry import default_projections
from projections.runner import ProjectionRunner
from tests.api_support import make_api
from tests.conftest import FakeClock, make_settings
from tests.factories import HR

# Days the ledger may run on: an ordinary one, a 29 February (next year has none), a year's end.
TODAYS = [date(2026, 3, 2), date(2028, 2, 29), date(2026, 12, 31)]
AGENCIES = ["A" * 32, "DINKES"]
UNIT = "U" * 32
# Born 1932, TMT January 1950: service from the first day the ledger knows. Born 2000, TMT 2024.
NIPS = ["193201011950011001", "200001012024012999"]
OFFICER = "O" * 32


def text(n: int) -> str:
    return ("Ñama panjang \u00e9 " * n)[:n]


LONG = {
    "name": text(values.NAME_MAX),
    "title": text(values.TITLE_MAX),
    "text": text(values.TEXT_MAX),
    "description": text(values.DESCRIPTION_MAX),
    "decree": text(values.DECREE_MAX),
    "grade": text(values.GRADE_MAX),
    "role": text(values.ROLE_MAX),
}


class World:
    """The ledger under test and what its accepted commands created."""

    def __init__(self, app: KinerjaLedger, today: date) -> None:
        self.app = app
        self.today = today
        self.ids: dict[str, list[Any]] = {
            k: [] for k in ("appraisal", "award", "sanction", "appeal", "leave", "suspension", "skp")
        }
        self.programs: list[str] = []

    def run(self, command: str, /, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(self.app, command)(HR, *args, **kwargs)
        except LedgerError:
            return None


def dates(today: date, *, latest: date | None = None, rules: Any = None) -> st.SearchStrategy[date]:
    """Dates from FIRST_DATE to `latest` (today), the bounds themselves drawn often, and the first
    day of each version of `rules` (a fact before the first is refused)."""
    last = latest or today
    edges = [values.FIRST_DATE, last, today, last - timedelta(days=1)]
    if rules is not None:
        edges += [r.effective_from for r in rules.versions]
    return st.one_of(st.sampled_from(edges), st.sampled_from(edges), st.dates(values.FIRST_DATE, last))


def amounts(*edges: object) -> st.SearchStrategy[Any]:
    """Targets and outcomes: mostly at the edges (the smallest target with the largest outcome
    makes the largest percentage), else anywhere in range."""
    return st.one_of(
        st.sampled_from(edges),
        st.sampled_from(edges),
        st.decimals(0, values.AMOUNT_MAX, places=values.AMOUNT_PLACES, allow_nan=False, allow_infinity=False),
    )


SMALLEST = f"0.{'0' * (values.AMOUNT_PLACES - 1)}1"


def step(draw: Callable[..., Any], w: World) -> None:
    today = w.today
    ahead = values.latest_effective(today)
    nip = draw(st.sampled_from(NIPS))
    kind = draw(
        st.sampled_from(
            [
                "transfer", "appraisal", "correction", "feedback", "award", "award_revocation",
                "training", "sanction", "sanction_revocation", "appeal", "appeal_decision",
                "program", "participant", "outcome", "survey", "rating", "leave", "leave_end",
                "suspension", "suspension_end", "service_end", "skp", "skp_revision", "realisation",
                "dialogue", "behaviour_feedback",
            ]
        )
    )  # fmt: skip
    if kind == "transfer":
        w.run(
            "transfer_employee", nip, agency=draw(st.sampled_from(AGENCIES)), position=LONG["name"],
            effective_date=draw(dates(today, latest=ahead)), grade=LONG["grade"],
        )  # fmt: skip
    elif kind == "appraisal":
        first = APPRAISAL_RULES.versions[0].effective_from.year
        year = draw(
            st.one_of(st.sampled_from([first, today.year]), st.integers(values.FIRST_YEAR, today.year))
        )
        months = draw(st.sampled_from([None, (1, 1), (1, 12), (12, 12), (today.month, today.month)]))
        period = str(year) if months is None else f"{year}-{months[0]:02d}..{year}-{months[1]:02d}"
        end = date(year, 12, 31)
        rule = APPRAISAL_RULES.find(end)
        wanted = fields_of(rule) if rule else ("hasil_kerja", "perilaku_kerja")
        given = {
            "hasil_kerja": draw(st.sampled_from(list(Rating))),
            "perilaku_kerja": draw(st.sampled_from(list(Rating))),
            "nilai_skp": draw(st.sampled_from(["0", "100", "120", "50.25", "0.01"])),
            "nilai_perilaku": draw(st.sampled_from(["0", "100", "99.99"])),
            "ide_baru": draw(st.booleans()),
        }
        other = NIPS[1 - NIPS.index(nip)]
        r = w.run(
            "record_appraisal", nip, period=period, appraiser_nip=other,
            **{k: v for k, v in given.items() if k in wanted},
        )  # fmt: skip
        if r is not None:
            w.ids["appraisal"].append((nip, r.event_id))
    elif kind == "correction" and w.ids["appraisal"]:
        who, aid = draw(st.sampled_from(w.ids["appraisal"]))
        w.run(
            "correct_appraisal", who, aid, reason=LONG["text"],
            hasil_kerja=draw(st.sampled_from(list(Rating))), perilaku_kerja=draw(st.sampled_from(list(Rating))),
        )  # fmt: skip
    elif kind == "feedback":
        w.run(
            "record_feedback", nip, source=draw(st.sampled_from([FeedbackSource.SUPERVISOR, FeedbackSource.PEER])),
            score=draw(st.sampled_from([values.SCORE_MIN, values.SCORE_MAX])), comment=LONG["text"],
        )  # fmt: skip
    elif kind == "award":
        r = w.run(
            "grant_award", nip, award_type=draw(st.sampled_from(list(AwardType))), reason=LONG["text"],
            decree_number=LONG["decree"], decree_date=draw(dates(today, rules=AWARD_RULES)),
        )  # fmt: skip
        if r is not None:
            w.ids["award"].append((nip, r.event_id))
    elif kind == "award_revocation" and w.ids["award"]:
        who, aid = draw(st.sampled_from(w.ids["award"]))
        w.run(
            "revoke_award", who, aid, reason=LONG["text"], decree_number=LONG["decree"],
            decree_date=draw(st.one_of(st.none(), dates(today))),
        )  # fmt: skip
    elif kind == "training":
        w.run(
            "record_training", nip, title=LONG["title"], provider=LONG["name"],
            hours_jp=draw(st.sampled_from(["0.5", "1000", "999.99", "20"])), completed_on=draw(dates(today)),
        )  # fmt: skip
    elif kind == "sanction":
        decided = draw(dates(today, rules=DISCIPLINE_RULES))
        violation = {
            "description": LONG["description"],
            "level": draw(st.sampled_from(list(Level))),
            "absence_days": draw(st.sampled_from([0, values.ABSENCE_DAYS_MAX])),
            "consecutive_absence_days": draw(st.sampled_from([0, values.ABSENCE_DAYS_MAX])),
        }
        r = w.run(
            "impose_sanction", nip, violation=violation,
            other_violations=[{"description": LONG["description"], "level": "BERAT"}] * values.MAX_VIOLATIONS,
            penalty=draw(st.sampled_from(list(PenaltyCode))), decided_by_role=draw(st.sampled_from(list(DecidingRole))),
            decided_by_name=LONG["name"], decree_number=LONG["decree"], decided_on=decided,
            effective_date=draw(st.one_of(st.none(), st.sampled_from([decided, ahead]))),
            summoned_on=[draw(dates(today))] * values.MAX_SUMMONS, examined_on=draw(dates(today)),
            bap_number=LONG["decree"], evidence=[f"{'0' * 8}-0000-0000-0000-{'0' * 12}:1"] * values.MAX_EVIDENCE,
        )  # fmt: skip
        if r is not None:
            w.ids["sanction"].append((nip, r.event_id))
    elif kind == "sanction_revocation" and w.ids["sanction"]:
        who, sid = draw(st.sampled_from(w.ids["sanction"]))
        w.run(
            "revoke_sanction", who, sid, reason=LONG["text"], decree_number=LONG["decree"],
            decided_on=draw(st.one_of(st.none(), dates(today))),
        )  # fmt: skip
    elif kind == "appeal" and w.ids["sanction"]:
        who, sid = draw(st.sampled_from(w.ids["sanction"]))
        r = w.run(
            "file_appeal", who, sid, kind=draw(st.sampled_from(list(AppealKind))), filed_on=draw(dates(today))
        )
        if r is not None:
            w.ids["appeal"].append((who, sid, r.event_id))
    elif kind == "appeal_decision" and w.ids["appeal"]:
        who, sid, aid = draw(st.sampled_from(w.ids["appeal"]))
        w.run(
            "decide_appeal", who, sid, aid, outcome=draw(st.sampled_from(list(AppealOutcome))),
            decided_on=draw(dates(today, rules=DISCIPLINE_RULES)), decree_number=LONG["decree"],
            new_penalty=draw(st.one_of(st.none(), st.sampled_from(list(PenaltyCode)))),
        )  # fmt: skip
    elif kind == "program":
        code = f"P{len(w.programs)}".ljust(32, "X")
        agencies = [*AGENCIES, *(AGENCIES[0] for _ in range(values.MAX_PROGRAM_AGENCIES - 2))]
        if w.run("launch_program", code=code, name=LONG["title"], agencies=agencies) is not None:
            w.programs.append(code)
    elif kind == "participant" and w.programs:
        w.run("add_program_participant", draw(st.sampled_from(w.programs)), nip=nip, role=LONG["role"])
    elif kind == "outcome" and w.programs:
        w.run(
            "record_program_outcome", draw(st.sampled_from(w.programs)), indicator=LONG["title"],
            target=draw(amounts(SMALLEST, 0, values.AMOUNT_MAX)),
            achieved=draw(amounts(values.AMOUNT_MAX, float(values.AMOUNT_MAX), 0)),
            period=draw(st.sampled_from([str(values.FIRST_YEAR), str(today.year), f"{today.year}-01..{today.year}-12"])),
        )  # fmt: skip
    elif kind in ("skp", "skp_revision"):
        indicator = {
            "aspect": draw(st.sampled_from(list(SkpAspect))), "name": LONG["title"],
            "target": draw(amounts(SMALLEST, values.AMOUNT_MAX)), "unit": text(values.UNIT_MAX),
        }  # fmt: skip
        item = {
            "rhk": text(values.RHK_MAX),
            "supports": text(values.RHK_MAX),
            "indicators": [indicator] * values.MAX_SKP_INDICATORS,
        }
        items = [item] * draw(st.sampled_from([1, values.MAX_SKP_ITEMS]))
        expectations = {v.value: LONG["text"] for v in CoreValue}
        other = NIPS[1 - NIPS.index(nip)]
        if kind == "skp":
            year = draw(st.sampled_from([values.SKP_FIRST_YEAR, today.year, today.year + 1]))
            r = w.run(
                "plan_skp", nip, year=year, items=items, appraiser_nip=other, behaviour_expectations=expectations,
                period=draw(st.sampled_from([None, f"{year}-12..{year}-12"])),
            )  # fmt: skip
            if r is not None:
                w.ids["skp"].append((nip, r.event_id, year))
        elif w.ids["skp"]:
            who, sid, _ = draw(st.sampled_from(w.ids["skp"]))
            w.run(
                "revise_skp",
                who,
                sid,
                items=items,
                appraiser_nip=NIPS[1 - NIPS.index(who)],
                reason=LONG["text"],
            )
    elif kind == "realisation" and w.ids["skp"]:
        who, sid, year = draw(st.sampled_from(w.ids["skp"]))
        w.run(
            "report_realisation", who, sid, item=draw(st.sampled_from([1, values.MAX_SKP_ITEMS])),
            indicator=draw(st.sampled_from([1, values.MAX_SKP_INDICATORS])),
            period=draw(st.sampled_from([f"{year}-01", f"{year}-12", f"{year}-Q4", f"{today.year}-{today.month:02d}"])),
            value=draw(amounts(0, values.AMOUNT_MAX, SMALLEST)), evidence_ref=text(values.EVIDENCE_REF_MAX),
        )  # fmt: skip
    elif kind == "dialogue":
        w.run(
            "hold_dialogue",
            nip,
            held_on=draw(dates(today)),
            summary=LONG["text"],
            agreed_actions=LONG["text"],
        )
    elif kind == "behaviour_feedback":
        w.run(
            "give_behaviour_feedback", nip, value=draw(st.sampled_from(list(CoreValue))),
            rating=draw(st.sampled_from(list(Rating))), source=draw(st.sampled_from(["SUPERVISOR", "PEER"])),
            note=LONG["text"],
        )  # fmt: skip
    elif kind == "survey":
        w.run(
            "submit_survey", service_unit=UNIT, officer_code=draw(st.sampled_from([None, OFFICER])),
            answers={f"U{i}": draw(st.sampled_from([values.SCORE_MIN, values.SCORE_MAX])) for i in range(1, 10)},
            comment=LONG["text"],
        )  # fmt: skip
    elif kind == "rating":
        w.run(
            "rate_agency", draw(st.sampled_from(AGENCIES)),
            year=draw(st.sampled_from([values.FIRST_YEAR, today.year, today.year + 1])),
            predikat_organisasi=draw(st.sampled_from(list(PredikatOrganisasi))),
        )  # fmt: skip
    elif kind in ("leave", "suspension"):
        started = draw(dates(today))
        decree = {"reason": LONG["text"], "decree_number": LONG["decree"], "decree_date": draw(dates(today))}
        if kind == "leave":
            r = w.run("start_leave", nip, leave_type="CLTN", started_on=started, **decree)
        else:
            r = w.run("suspend_employee", nip, started_on=started, **decree)
        if r is not None:
            w.ids[kind].append((nip, r.event_id, started))
    elif kind in ("leave_end", "suspension_end") and w.ids[kind[: -len("_end")]]:
        who, pid, started = draw(st.sampled_from(w.ids[kind[: -len("_end")]]))
        command = "end_leave" if kind == "leave_end" else "end_suspension"
        ended = draw(st.sampled_from([started + timedelta(days=1), today]))
        w.run(command, who, pid, ended_on=ended, decree_number=LONG["decree"], decree_date=draw(dates(today)))
    elif kind == "service_end":
        w.run(
            "end_service", nip, reason=draw(st.sampled_from(list(ServiceEndReason))), ended_on=draw(dates(today)),
            decree_number=LONG["decree"], decree_date=draw(dates(today)),
        )  # fmt: skip


def seed(w: World) -> None:
    app = w.app
    for code in AGENCIES:
        app.register_agency(HR, code=code, name=LONG["name"])
    app.register_service_unit(HR, code=UNIT, name=LONG["name"], agency=AGENCIES[0])
    for nip, kind in zip(NIPS, ["PNS", "PPPK"], strict=True):
        app.register_employee(
            HR, nip=nip, name=LONG["name"], agency=AGENCIES[0], position=LONG["name"],
            grade=LONG["grade"], employment_type=kind,
        )  # fmt: skip
    app.assign_to_service_unit(HR, NIPS[0], service_unit=UNIT, officer_code=OFFICER)
    code = "P" * 32
    app.launch_program(HR, code=code, name=LONG["title"], agencies=AGENCIES)
    w.programs.append(code)


@pytest.mark.store
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), today=st.sampled_from(TODAYS))
def test_every_projection_is_total_over_accepted_commands(
    request: pytest.FixtureRequest, data: st.DataObject, today: date
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        noon = datetime(today.year, today.month, today.day, 12, tzinfo=WIB).astimezone(UTC)
        app = KinerjaLedger(make_settings("sqlite", Path(tmp), request), clock=FakeClock(noon))
        try:
            w = World(app, today)
            seed(w)
            for _ in range(data.draw(st.integers(1, 30), label="steps")):
                step(data.draw, w)
            runner = ProjectionRunner(app, default_projections())
            runner.run_once()
            assert runner.errors == {}
            assert [(s.name, s.state) for s in runner.status() if s.state != "active"] == []
            api = make_api(app)
            for nip in NIPS:
                for path in ("", "/events"):
                    r = api.get(f"/v1/employees/{nip}{path}")
                    assert r.status_code == 200, (path, r.text)
            for code in w.programs:
                assert api.get(f"/v1/programs/{code}").status_code == 200
        finally:
            app.close()

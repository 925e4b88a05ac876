"""The order of the demo's plan: each part of the city planned in turn from the one seeded RNG, then
every step sorted by its moment. The order of the calls is the order of the draws: changing it
changes every event id of the demo (and the contract snapshots built from it)."""

from __future__ import annotations

from datetime import date

from api.cli.demo import appraisals, awards, city, discipline, public, public_input, service, skp, staff
from api.cli.demo.steps import Plan, Planner
from ledger.clock import WIB, utc_now


def plan(employees: int = 2000, years: int = 3, seed: int = 2026, last_year: int | None = None) -> Plan:
    """Every command of the demo, dated; nothing is written here."""
    now = utc_now()
    last = last_year if last_year is not None else now.astimezone(WIB).year - 1
    pl = Planner(employees, years, seed, last, now)
    city.organisation(pl)
    staff.staff(pl)
    service.service_clock(pl)
    discipline.sanctions(pl)
    public.assign_officers(pl)
    public.launch_programmes(pl)
    staff.transfers(pl)
    staff.register(pl)
    detail(pl)
    awards.satyalancana(pl)
    appraisals.appraisals(pl)
    skp.cycle(pl)  # last: the draws of everything above are unchanged by it
    pl.steps.sort()
    # Never record in the future: a step due later than now is recorded now (it keeps its dates).
    for s in pl.steps:
        s.at = min(s.at, pl.now)
    return Plan(pl.steps, pl.people, pl.years, pl.history_start.year, pl.heads)


def detail(pl: Planner) -> None:
    """The detailed years, one after the other: ratings, training, feedback, surveys, programme
    outcomes and awards."""
    survey_scale = max(10, pl.employees // 20)
    units_from = date(pl.years[0], 1, 2)
    input_rng = public_input.rng_of(pl)
    for year in pl.years:
        city.ratings(pl, year)  # predikat organisasi: PermenPANRB 6/2022
        if year >= 2020:  # 20 JP a year: PP 17/2020, from 2020-03-31
            awards.trainings(pl, year)
        appraisals.feedback(pl, year)
        if year >= 2017:  # IKM: PermenPANRB 14/2017
            public.surveys(pl, year, survey_scale, units_from)
            public_input.complaints(pl, input_rng, year, survey_scale, units_from)
        public.outcomes(pl, year)
        awards.awards(pl, year)
    public_input.follow_up_comments(pl, input_rng)

"""Public service and programmes of the detailed years: the officers of the service units, citizen
surveys (a third name the officer who served them; one unit with fewer than five a year), the
inter-agency programmes with their participants and yearly outcomes."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from api.cli.demo.city import PROGRAM_INDICATORS, PROGRAMS, SMALL_UNIT, UNITS
from api.cli.demo.people import Person
from api.cli.demo.steps import Planner, cmd
from ledger.application import CommandContext, KinerjaLedger
from ledger.domain.envelope import Actor
from ledger.rules.satisfaction import ELEMENTS
from ledger.values import Code, Text


def _answers(rng: random.Random, quality: float) -> dict[str, int]:
    """Nine answers 1..4 around a unit's (and officer's) quality."""
    out = {}
    for element in ELEMENTS:
        x = quality + rng.gauss(0, 0.18)
        out[element] = 4 if x > 0.72 else 3 if x > 0.4 else 2 if x > 0.15 else 1
    return out


def assign_officers(pl: Planner) -> None:
    """Three to eight steady staff of the unit's agency serve at each unit, from the first detailed year."""
    rng = pl.rng
    first = pl.years[0]
    for code, _, agency, _ in UNITS:
        pool = [p for p in pl.by_agency[agency] if p.officer is None and pl.steady(p)]
        chosen = rng.sample(pool, min(len(pool), rng.randint(3, 8)))
        pl.officers[code] = chosen
        for k, p in enumerate(chosen, 1):
            p.officer = (code, f"{code[:3]}{k:02d}")
            pl.at(
                date(first, 1, 3),
                "assign",
                cmd("assign_to_service_unit", p.nip, service_unit=code, officer_code=p.officer[1]),
            )


def launch_programmes(pl: Planner) -> None:
    """The programmes are launched in the first detailed year, with steady members of their agencies."""
    rng = pl.rng
    first = pl.years[0]
    for code, name, agencies in PROGRAMS:
        pl.at(date(first, 2, 10), "program", cmd("launch_program", code=code, name=name, agencies=agencies))
        pool = [p for a in agencies for p in pl.by_agency[a] if pl.steady(p)]
        members = rng.sample(pool, min(len(pool), max(3, pl.employees // 150)))
        pl.members[code] = members
        for p in members:
            role = rng.choice(["koordinator", "anggota", "anggota", "fasilitator"])
            pl.at(
                date(first, 2, 20) + timedelta(days=rng.randint(0, 200)),
                "participant",
                cmd("add_program_participant", code, nip=p.nip, role=role),
            )


def outcomes(pl: Planner, year: int) -> None:
    """Each programme's indicator at the end of the year, 60% to 115% of its target."""
    for code, _, _ in PROGRAMS:
        indicator, target = PROGRAM_INDICATORS[code]
        achieved = round(target * pl.rng.uniform(0.6, 1.15))
        pl.at(
            date(year, 12, 20),
            "outcome",
            cmd(
                "record_program_outcome",
                code,
                indicator=indicator,
                target=target,
                achieved=achieved,
                period=str(year),
            ),
        )


def surveys(pl: Planner, year: int, scale: int, units_from: date) -> None:
    """Citizen surveys: a third name the officer who served them."""
    rng = pl.rng
    for code, _, _, quality in UNITS:
        n = rng.randint(2, 4) if code == SMALL_UNIT else rng.randint(scale // 2, scale * 3 // 2)
        for _ in range(n):
            # Not before the units and their officers exist (registered in the first days).
            day = max(date(year, rng.randint(1, 12), rng.randint(1, 28)), units_from + timedelta(days=2))
            officers = pl.officers[code]
            officer = rng.choice(officers) if officers and rng.random() < 0.33 else None
            q = (quality + officer.quality) / 2 if officer else quality
            answers = _answers(rng, q)
            comment = rng.choice(
                [None, None, None, "antrian terlalu lama", "petugas ramah", "mohon tambah kursi"]
            )
            key = None
            if comment:
                key = f"comment:{len(pl.comments)}"
                pl.comments.append((key, day))

            def survey(
                app: KinerjaLedger,
                ctx: CommandContext,
                ids: dict[str, Any],
                c: str = code,
                o: Person | None = officer,
                a: dict[str, int] = answers,
                m: str | None = comment,
                k: str | None = key,
            ) -> object:
                citizen = CommandContext(Actor("", "citizen"), correlation_id=ctx.correlation_id)
                result = app.submit_survey(
                    citizen,
                    service_unit=Code(c),
                    answers=a,
                    officer_code=Code(o.officer[1]) if o and o.officer else None,
                    comment=Text(m) if m else None,
                )
                if k is not None:
                    ids[k] = result.event_id
                return result

            pl.at(day, "survey", survey, rng.randint(8, 15))

"""The demo's plan as dated steps, and the planner's state that every part of the city draws from.

One `Planner` holds the one seeded RNG, the steps planned so far and who is who (heads, secretaries,
officers, programme members). The modules of this package each plan one part of the city into it;
`schedule.plan` calls them in a fixed order, so the draws, and hence the commands, are the same for
the same seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from api.cli.demo import people as ppl
from api.cli.demo.people import Person
from ledger.application import CommandContext, KinerjaLedger
from ledger.clock import WIB

HISTORY_YEARS = 20  # the service history reaches this many calendar years back

Run = Callable[[KinerjaLedger, CommandContext, dict[str, Any]], object]


@dataclass(order=True)
class Step:
    at: datetime
    seq: int
    label: str = field(compare=False)
    run: Run = field(compare=False)


@dataclass(frozen=True)
class Ref:
    """The id another step stored under `key` (an appraisal, a sanction, a leave...)."""

    key: str


def cmd(method: str, /, *args: Any, store: str | None = None, **kwargs: Any) -> Run:
    """A step that calls one ledger command; `Ref` arguments are read from the ids stored so far."""

    def run(app: KinerjaLedger, ctx: CommandContext, ids: dict[str, Any]) -> object:
        given = [ids[a.key] if isinstance(a, Ref) else a for a in args]
        named = {k: ids[v.key] if isinstance(v, Ref) else v for k, v in kwargs.items()}
        result = getattr(app, method)(ctx, *given, **named)
        if store is not None:
            ids[store] = result.event_id
        return result

    return run


def moment(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WIB).astimezone(UTC)


@dataclass
class Plan:
    steps: list[Step]
    people: list[Person]
    years: list[int]  # the years in full detail
    history_from: int = 0  # the first year of the service history
    heads: dict[str, list[tuple[date, Person]]] = field(default_factory=dict)


class Planner:
    def __init__(self, employees: int, years: int, seed: int, last: int, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.employees = employees
        self.now = now
        self.last = last
        self.years = list(range(last - years + 1, last + 1))
        self.history_start = date(last - HISTORY_YEARS + 1, 1, 2)
        # Dated facts of the history end here: the demo never dates anything after it.
        self.cutoff = date(last + 1, 1, 1)
        # Nobody reaches the BUP in the two years after it (nobody is left past the BUP).
        self.quiet = (self.cutoff, ppl.add_years(self.cutoff, 2))
        self.steps: list[Step] = []
        self.people: list[Person] = []
        self.by_agency: dict[str, list[Person]] = {}
        self.heads: dict[str, list[tuple[date, Person]]] = {}
        self.secretaries: dict[str, Person] = {}
        self.taken: set[str] = set()
        self.serial = 0
        self.officers: dict[str, list[Person]] = {}
        self.members: dict[str, list[Person]] = {}
        self.comments: list[tuple[str, date]] = []  # the ids key of each survey with a comment, its day

    def at(self, day: date, label: str, run: Run, hour: int = 9, minute: int | None = None) -> None:
        m = self.rng.randint(0, 59) if minute is None else minute
        self.steps.append(Step(moment(day, hour, m), len(self.steps), label, run))

    # ------------------------------------------------------------------------ who is who

    def head_on(self, agency: str, day: date) -> Person:
        current = self.heads[agency][0][1]
        for since, person in self.heads[agency]:
            if since <= day:
                current = person
        return current

    def superior_on(self, agency: str, day: date) -> Person:
        """The atasan langsung of the staff: the secretary, or the head once the secretary is head."""
        head, secretary = self.head_on(agency, day), self.secretaries[agency]
        return head if head is secretary else secretary

    def appraiser_for(self, person: Person, day: date) -> Person:
        agency = person.post_on(day).agency
        for candidate in (self.head_on(agency, day), self.head_on("SETDA", day), self.head_on("BKPSDM", day)):
            if candidate is not person:
                return candidate
        raise AssertionError("no appraiser")

    def staff_pool(self, pns_only: bool = True) -> list[Person]:
        return [
            p
            for p in self.people
            if not p.special and p.role == "staff" and (p.employment_type == "PNS" or not pns_only)
        ]

    def steady(self, p: Person) -> bool:
        """In service all through the detailed years, registered before them, never singled out."""
        first = date(self.years[0], 1, 1)
        return not p.special and p.registered_on < first and p.serving(first, date(self.last, 12, 31))

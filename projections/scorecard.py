"""Yearly scorecards and rankings (docs/READ_MODELS.md): projection ``scorecards``.

Rows are recomputed once per batch for every (NIP, year) the batch touched, from the fact
tables this projection keeps (``projections.facts``), by :func:`compute_scorecard` — a pure
function of the facts and the score rule in force at the end of the year, so anyone can
recompute a scorecard from the event ids it cites.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from ledger.decimals import plain, plain_normal
from ledger.rules import SATISFACTION_RULES, compute_ikm
from ledger.rules.score import (
    AWARDS,
    BEHAVIOUR,
    CITIZEN_SATISFACTION,
    COLLABORATION,
    PREDIKAT,
    SANCTIONS,
    SCORE_RULES,
    SKP_REALISATION,
    TRAINING,
    ScoreRule,
)
from ledger.sqlstore import Sql
from ledger.vocabulary import Level
from projections.base import Tables
from projections.bursts import counted_surveys
from projections.deferral import PENDING_TABLE, put_off, take_back
from projections.facts import (
    FACT_INDEXES,
    FACT_TABLES,
    FactsProjection,
    SanctionSpan,
    dumps,
    insert_many,
    placement_on,
    predikat_of_year,
    sanction_span,
    year_end,
)
from projections.facts.cycle import CycleState
from projections.skp_progress import plan_progress

CENT = Decimal("0.01")
SHARE = Decimal("0.0001")
CHUNK = 400  # NIPs per IN (...) list: well under SQLite's bound on parameters


def _q(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


@dataclass
class ScoreInputs:
    """Everything one (NIP, year) scorecard is computed from, with the ids of its events."""

    nip: str
    year: int
    agency: str
    service_unit: str | None = None
    assignment_event_id: str | None = None
    appraisal: Mapping[str, Any] | None = None  # f_appraisals row chosen for the year
    citizen: list[tuple[str, Mapping[str, int]]] = field(default_factory=list)  # named the officer
    # Surveys naming the officer held out of the score: bursts not reviewed, or reviewed EXCLUDE.
    held: list[dict[str, Any]] = field(default_factory=list)
    unit_surveys: list[tuple[str, Mapping[str, int]]] = field(default_factory=list)
    trainings: list[tuple[str, Decimal]] = field(default_factory=list)
    # (program, join event id, outcome event ids of the year)
    programs: list[tuple[str, str, list[str]]] = field(default_factory=list)
    # (award id, award type, eligible, revoked_by)
    awards: list[tuple[str, str, bool, str | None]] = field(default_factory=list)
    sanctions: list[SanctionSpan] = field(default_factory=list)
    # The SKP plans of the year as the `skp` read model computes their progress, and the
    # BerAKHLAK feedback of the year: (event id, rating).
    skp_plans: list[Mapping[str, Any]] = field(default_factory=list)
    behaviour: list[tuple[str, str]] = field(default_factory=list)


def compute_scorecard(rule: ScoreRule, x: ScoreInputs) -> dict[str, Any]:
    """The scorecard as plain data: components, weights, values, points and cited event ids."""
    components: list[dict[str, Any]] = []

    # Predikat of the year (annual, else the periodic one ending last), after corrections.
    if x.appraisal is not None:
        predikat = str(x.appraisal["predikat"])
        value = rule.appraisal_value(x.appraisal["rule_version"], predikat)
        ids = list(json.loads(x.appraisal["event_ids"]))
        detail: dict[str, Any] = {
            "predikat": predikat,
            "period": x.appraisal["period"],
            "appraisal_id": x.appraisal["appraisal_id"],
            "corrections": ids[1:],
        }
    elif rule.missing_appraisal_counts_as_zero:
        value, ids, detail = Decimal(0), [], {"predikat": None, "note": "no appraisal recorded for the year"}
    else:
        value, ids = None, []
        detail = {"predikat": None, "note": "no appraisal recorded for the year: left out"}
    components.append(_weighted(PREDIKAT, value is not None, value, detail, ids))

    # Citizen satisfaction: surveys naming the officer, else those of the unit they serve, each
    # only with enough responses (skor/2022.1: one was enough). Before PermenPANRB 14/2017 there
    # is no IKM rule: the component is left out.
    satisfaction = SATISFACTION_RULES.find(year_end(x.year))
    enough = rule.min_survey_responses
    if satisfaction is None:
        source, responses = None, []
    elif len(x.citizen) >= enough:
        source, responses = "officer", x.citizen
    elif len(x.unit_surveys) >= enough:
        source, responses = "service_unit", x.unit_surveys
    else:
        source, responses = None, []
    ikm = compute_ikm(satisfaction, [a for _, a in responses]) if satisfaction and responses else None
    if ikm is not None:
        ids = [eid for eid, _ in responses]
        if source == "service_unit" and x.assignment_event_id:
            ids.append(x.assignment_event_id)
        detail = {
            "source": source,
            "service_unit": x.service_unit if source == "service_unit" else None,
            "respondents": ikm.respondents,
            "ikm": ikm.ikm_text,
            "converted": ikm.converted_text,
            "mutu": ikm.mutu,
            "rule_version": ikm.rule_version,
        }
        if source == "service_unit" and x.citizen:
            detail["note"] = (
                f"named in {len(x.citizen)} surveys, fewer than {enough}: the unit's surveys count"
            )
        components.append(
            _weighted(CITIZEN_SATISFACTION, True, ikm.converted / rule.satisfaction_scale, detail, ids)
        )
    else:
        components.append(
            _weighted(
                CITIZEN_SATISFACTION,
                False,
                None,
                {
                    "note": _no_satisfaction(x, enough)
                    if satisfaction
                    else "no IKM rule before PermenPANRB 14/2017"
                },
                [],
            )
        )
    if x.held:
        # Surveys in a burst stay out until HR decides they count (ledger.rules.bursts).
        components[-1]["detail"]["held_in_bursts"] = x.held

    # Training: JP / target, capped at 1.
    jp = sum((h for _, h in x.trainings), Decimal(0))
    value = min(jp / rule.training_target_jp, Decimal(1))
    components.append(
        _weighted(
            TRAINING,
            True,
            value,
            {"jp": plain_normal(jp), "target_jp": plain(rule.training_target_jp)},
            [eid for eid, _ in x.trainings],
        )
    )

    # Collaboration: inter-agency programmes active in the year.
    n = len(x.programs)
    value = min(Decimal(n) / Decimal(rule.collaboration_full_at), Decimal(1))
    ids = [i for _, join, outcomes in x.programs for i in (join, *outcomes)]
    components.append(
        _weighted(
            COLLABORATION,
            True,
            value,
            {"programs": sorted(p for p, _, _ in x.programs), "full_at": rule.collaboration_full_at},
            ids,
        )
    )

    if SKP_REALISATION in rule.weights:
        components.append(_skp_component(x))
    if BEHAVIOUR in rule.weights:
        components.append(_behaviour_component(rule, x))

    # Weighted mean over the applicable components, re-normalised.
    total_weight = sum((rule.weights[c["component"]] for c in components if c["applicable"]), Decimal(0))
    base = Decimal(0)
    for c in components:
        weight = rule.weights[c["component"]]
        c["weight"] = str(weight)
        if c["applicable"]:
            effective = weight / total_weight
            points = Decimal(100) * effective * Decimal(c["value"])
            base += points
            c["effective_weight"] = plain_normal(effective)
            c["points"] = _q(points)
        else:
            c["effective_weight"] = "0"
            c["points"] = "0.00"

    # Awards granted in the year, neither revoked nor flagged ineligible.
    counted = [a for a in x.awards if a[2] and a[3] is None]
    award_points = min(rule.award_points * len(counted), rule.award_cap)
    excluded = [
        {"award_id": a[0], "why": "revoked" if a[3] else "flagged ineligible"}
        for a in x.awards
        if a not in counted
    ]
    components.append(
        {
            "component": AWARDS,
            "applicable": True,
            "weight": None,
            "effective_weight": None,
            "value": str(len(counted)),
            "points": _q(award_points),
            "detail": {
                "counted": [a[0] for a in counted],
                "excluded": excluded,
                "points_each": str(rule.award_points),
                "cap": str(rule.award_cap),
            },
            "event_ids": [a[0] for a in x.awards] + [a[3] for a in x.awards if a[3]],
        }
    )

    # Sanctions in force at any time in the year (after appeals and revocations).
    in_force = [s for s in x.sanctions if s.overlaps_year(x.year)]
    raw = sum((rule.sanction_points[Level(s.level)] for s in in_force), Decimal(0))
    sanction_points = max(raw, rule.sanction_floor)
    components.append(
        {
            "component": SANCTIONS,
            "applicable": True,
            "weight": None,
            "effective_weight": None,
            "value": str(len(in_force)),
            "points": _q(sanction_points),
            "detail": {
                "in_force": [
                    {"sanction_id": s.sanction_id, "level": s.level, "penalty": s.penalty} for s in in_force
                ],
                "points_by_level": {k.value: str(v) for k, v in rule.sanction_points.items()},
                "floor": str(rule.sanction_floor),
            },
            "event_ids": [i for s in in_force for i in s.event_ids],
        }
    )

    score = min(max(base + award_points + sanction_points, rule.minimum), rule.maximum)
    cited = sorted({i for c in components for i in c["event_ids"]})
    left_out = [
        {"component": c["component"], "reason": c["detail"]["note"]}
        for c in components
        if not c["applicable"]
    ]
    return {
        "nip": x.nip,
        "year": x.year,
        "agency": x.agency,
        "service_unit": x.service_unit,
        "formula_version": rule.version,
        "score": _q(score),
        "base": _q(base),
        "adjustments": _q(award_points + sanction_points),
        "predikat": x.appraisal["predikat"] if x.appraisal else None,
        "components": components,
        "left_out": left_out,
        "event_ids": cited,
    }


def _skp_component(x: ScoreInputs) -> dict[str, Any]:
    """The plans' share achieved (their mean when a PPPK has several), rule skp/2022.1."""
    if not x.skp_plans:
        return _weighted(SKP_REALISATION, False, None, {"note": "no SKP plan for the year: left out"}, [])
    shares = [Decimal(p["share_achieved"]) for p in x.skp_plans]
    value = (sum(shares, Decimal(0)) / len(shares)).quantize(SHARE, rounding=ROUND_HALF_EVEN)
    ids = [
        i
        for p in x.skp_plans
        for i in (
            p["skp_id"],
            *p["revisions"],
            *(
                r["realisation_id"]
                for item in p["items"]
                for ind in item["indicators"]
                for r in ind["reports"]
            ),
        )
    ]
    detail = {
        "plans": [
            {"skp_id": p["skp_id"], "share_achieved": p["share_achieved"], "rule_version": p["rule_version"]}
            for p in x.skp_plans
        ]
    }
    return _weighted(SKP_REALISATION, True, value, detail, ids)


def _behaviour_component(rule: ScoreRule, x: ScoreInputs) -> dict[str, Any]:
    """The mean value of the year's BerAKHLAK ratings (supervisor and peers alike)."""
    if not x.behaviour:
        return _weighted(BEHAVIOUR, False, None, {"note": "no BerAKHLAK feedback in the year: left out"}, [])
    values = [rule.behaviour_values[rating] for _, rating in x.behaviour]
    value = (sum(values, Decimal(0)) / len(values)).quantize(SHARE, rounding=ROUND_HALF_EVEN)
    counts: dict[str, int] = {}
    for _, rating in x.behaviour:
        counts[rating] = counts.get(rating, 0) + 1
    detail = {
        "feedback": len(x.behaviour),
        "by_rating": dict(sorted(counts.items())),
        "values": {k: str(v) for k, v in rule.behaviour_values.items()},
    }
    return _weighted(BEHAVIOUR, True, value, detail, sorted(i for i, _ in x.behaviour))


def has_own_events(x: ScoreInputs, card: Mapping[str, Any]) -> bool:
    """Whether the year gets a scorecard: it cites an event of its own. A penalty in force for
    good (a dismissal) counts in every later year that has a scorecard, but gives one only to the
    year it takes effect: otherwise every later year, without end, would have one, and which of
    them had been written would depend on how the events happened to be batched (a year touched
    before the dismissal was processed got none, a year touched after it got one)."""
    carried = {i for s in x.sanctions if s.end is None and s.start.year < x.year for i in s.event_ids}
    return any(i not in carried for i in card["event_ids"])


def _no_satisfaction(x: ScoreInputs, enough: int) -> str:
    """Why citizen satisfaction is left out."""
    if not x.citizen and not x.unit_surveys:
        return "no survey names the officer and they serve no public-service unit"
    named = f"named in {len(x.citizen)} surveys, fewer than {enough}"
    if x.service_unit is None:
        return f"{named}; they serve no public-service unit"
    return f"{named}; their unit {x.service_unit} has {len(x.unit_surveys)} responses, fewer than {enough}"


def _weighted(
    name: str, applicable: bool, value: Decimal | None, detail: dict[str, Any], ids: list[str]
) -> dict[str, Any]:
    return {
        "component": name,
        "applicable": applicable,
        "value": None if value is None else plain_normal(value),
        "detail": detail,
        "event_ids": ids,
    }


def competition_ranks(rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """1, 2, 2, 4 ... for rows already sorted by score descending."""
    ranks: list[int] = []
    for i, row in enumerate(rows):
        if i and row["score"] == rows[i - 1]["score"]:
            ranks.append(ranks[-1])
        else:
            ranks.append(i + 1)
    return ranks


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


class ScorecardProjection(FactsProjection):
    """Facts, yearly scorecards with their components, and per-agency rankings."""

    name: ClassVar[str] = "scorecards"
    # 2: plain-digit decimals; skor/2026.1 and left_out; f_appraisals holds appraisals before 2022;
    # the fact tables know the end of service and rankings leave it out; 3: a dismissal gives a
    # scorecard only to the year it takes effect (later years need an event of their own), and
    # surveys in a burst are held out until reviewed; 4: the fact tables keep the performance
    # management cycle (f_skp), which skor/2027.1 scores; 5: rankings put off while catching up;
    # 6: indexes in ranking order (score descending, then NIP), city-wide and per agency, so a
    # page of GET /v1/rankings is an index walk (projections.queries.rankings_page)
    version: ClassVar[int] = 6
    defers: ClassVar[bool] = True
    tables: ClassVar[Mapping[str, str]] = {
        **FACT_TABLES,
        "pending": PENDING_TABLE,
        "scorecards": (
            "nip TEXT NOT NULL, year INTEGER NOT NULL, agency TEXT NOT NULL, service_unit TEXT, "
            "formula_version TEXT NOT NULL, score REAL NOT NULL, score_text TEXT NOT NULL, "
            "base TEXT NOT NULL, adjustments TEXT NOT NULL, predikat TEXT, components TEXT NOT NULL, "
            "left_out TEXT NOT NULL, event_ids TEXT NOT NULL, PRIMARY KEY (nip, year)"
        ),
        "components": (
            "nip TEXT NOT NULL, year INTEGER NOT NULL, component TEXT NOT NULL, weight TEXT, "
            "effective_weight TEXT, applicable INTEGER NOT NULL, value TEXT, points TEXT NOT NULL, "
            "detail TEXT NOT NULL, event_ids TEXT NOT NULL, PRIMARY KEY (nip, year, component)"
        ),
        "rankings": (
            "year INTEGER NOT NULL, agency TEXT NOT NULL, nip TEXT NOT NULL, score REAL NOT NULL, "
            "rank INTEGER NOT NULL, agency_size INTEGER NOT NULL, PRIMARY KEY (year, agency, nip)"
        ),
    }
    indexes: ClassVar[Mapping[str, Sequence[str]]] = {
        **FACT_INDEXES,
        "scorecards": ["year, agency, score DESC, nip", "year, score DESC, nip"],
        "rankings": ["year, agency, rank"],
    }

    def finish_batch(self, tx: Sql, tables: Tables) -> None:
        dirty = self._dirty_keys(tx, tables)
        by_year: dict[int, set[str]] = defaultdict(set)
        for nip, year in dirty:
            by_year[year].add(nip)
        rank_groups: set[tuple[int, str]] = set()
        unit_cache: dict[tuple[str, int], list[tuple[str, Mapping[str, int]]]] = {}
        for year in sorted(by_year):
            for nips in _chunks(sorted(by_year[year])):
                rank_groups |= self._recompute(tx, tables, year, nips, unit_cache)
        # A ranking is rewritten whole for its agency and year: once at the end of a catch-up.
        if self.catching_up:
            put_off(tx, tables["pending"], "rank", (f"{year}|{agency}" for year, agency in rank_groups))
            return
        for key in take_back(tx, tables["pending"], "rank"):
            owed_year, _, agency = key.partition("|")
            rank_groups.add((int(owed_year), agency))
        for year, agency in sorted(rank_groups):
            self._rank(tx, tables, year, agency)

    # ------------------------------------------------------------------ dirty keys

    def _dirty_keys(self, tx: Sql, t: Tables) -> set[tuple[str, int]]:
        f = self.facts
        dirty = set(f.employee_years)
        for nip, first in f.employee_from.items():
            dirty.add((nip, first))
            for row in tx.query(f"SELECT year FROM {t['scorecards']} WHERE nip=? AND year>?", (nip, first)):
                dirty.add((nip, int(row["year"])))
        for unit, year in f.unit_years:
            for row in tx.query(
                f"SELECT DISTINCT nip FROM {t['f_placements']} WHERE service_unit=? AND valid_from<=?",
                (unit, year_end(year).isoformat()),
            ):
                dirty.add((row["nip"], year))
        for program, year in f.program_years:
            for row in tx.query(
                f"SELECT nip FROM {t['f_participations']} WHERE program=? AND joined_on<=?",
                (program, year_end(year).isoformat()),
            ):
                dirty.add((row["nip"], year))
        return dirty

    # ------------------------------------------------------------------ recompute

    def _rows(
        self, tx: Sql, table: str, nips: Sequence[str], extra: str = "", params: Sequence[Any] = ()
    ) -> list[dict[str, Any]]:
        return tx.query(f"SELECT * FROM {table} WHERE nip IN ({_marks(len(nips))}){extra}", (*nips, *params))

    def _recompute(
        self,
        tx: Sql,
        t: Tables,
        year: int,
        nips: Sequence[str],
        unit_cache: dict[tuple[str, int], list[tuple[str, Mapping[str, int]]]],
    ) -> set[tuple[int, str]]:
        end = year_end(year)
        try:
            rule = SCORE_RULES.in_force(end)
        except LookupError:
            return set()  # no score formula covers that year: no scorecards for it
        placements: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self._rows(tx, t["f_placements"], nips, " ORDER BY nip, valid_from"):
            placements[row["nip"]].append(row)
        appraisals: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self._rows(tx, t["f_appraisals"], nips, " AND year=?", (year,)):
            appraisals[row["nip"]].append(row)
        named: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self._rows(tx, t["f_citizen_feedback"], nips, " AND year=? ORDER BY event_id", (year,)):
            named[row["nip"]].append(row)
        reviews = {r["burst_id"]: r for r in self._rows(tx, t["f_burst_reviews"], nips, "")}
        counted = {nip: counted_surveys(rows, reviews) for nip, rows in named.items()}
        trainings: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
        for row in self._rows(tx, t["f_trainings"], nips, " AND year=? ORDER BY event_id", (year,)):
            trainings[row["nip"]].append((row["event_id"], Decimal(row["hours_jp"])))
        awards: dict[str, list[tuple[str, str, bool, str | None]]] = defaultdict(list)
        for row in self._rows(tx, t["f_awards"], nips, " AND year=? ORDER BY award_id", (year,)):
            awards[row["nip"]].append(
                (row["award_id"], row["award_type"], bool(row["eligible"]), row["revoked_by"])
            )
        sanctions: dict[str, list[SanctionSpan]] = defaultdict(list)
        for row in self._rows(tx, t["f_sanctions"], nips, " ORDER BY sanction_id"):
            span = sanction_span(row)
            if span is not None:
                sanctions[row["nip"]].append(span)
        joins = self._rows(
            tx, t["f_participations"], nips, " AND joined_on<=? ORDER BY program", (end.isoformat(),)
        )
        outcomes: dict[str, list[str]] = defaultdict(list)
        programs = sorted({j["program"] for j in joins})
        if programs:
            for row in tx.query(
                f"SELECT event_id, program FROM {t['f_outcomes']} WHERE year=? "
                f"AND program IN ({_marks(len(programs))}) ORDER BY event_id",
                (year, *programs),
            ):
                outcomes[row["program"]].append(row["event_id"])
        collaborations: dict[str, list[tuple[str, str, list[str]]]] = defaultdict(list)
        for j in joins:
            # Active in the year: joined in it, or the programme reported an outcome for it.
            if j["joined_on"][:4] == str(year) or outcomes.get(j["program"]):
                collaborations[j["nip"]].append((j["program"], j["event_id"], outcomes.get(j["program"], [])))
        old = {r["nip"]: r["agency"] for r in self._rows(tx, t["scorecards"], nips, " AND year=?", (year,))}
        cycles: dict[str, dict[str, Any]] = {}
        if any(c in rule.weights for c in (SKP_REALISATION, BEHAVIOUR)):
            for row in self._rows(tx, t["f_skp"], nips):
                cycles[row["nip"]] = CycleState(json.loads(row["state"])).skp_state()

        cards: list[dict[str, Any]] = []
        for nip in nips:
            placement = placement_on(placements.get(nip, []), end)
            if placement is None:
                continue
            x = ScoreInputs(
                nip=nip,
                year=year,
                agency=placement["agency"],
                service_unit=placement["service_unit"],
                assignment_event_id=placement["event_id"] if placement["service_unit"] else None,
                appraisal=predikat_of_year(appraisals.get(nip, [])),
                citizen=counted[nip].surveys if nip in counted else [],
                held=counted[nip].held if nip in counted else [],
                trainings=trainings.get(nip, []),
                programs=collaborations.get(nip, []),
                awards=awards.get(nip, []),
                sanctions=sanctions.get(nip, []),
            )
            cycle = cycles.get(nip)
            if cycle is not None:
                x.skp_plans = [plan_progress(p) for p in cycle["plans"].values() if int(p["year"]) == year]
                x.skp_plans.sort(key=lambda p: p["skp_id"])
                x.behaviour = sorted(
                    (event_id, f["rating"])
                    for event_id, f in cycle["feedback"].items()
                    if f["given_on"][:4] == str(year)
                )
            if len(x.citizen) < rule.min_survey_responses and x.service_unit:
                held_there = counted[nip].held_unit_events if nip in counted else set()
                x.unit_surveys = [
                    s
                    for s in self._unit_surveys(tx, t, x.service_unit, year, unit_cache)
                    if s[0] not in held_there
                ]
            card = compute_scorecard(rule, x)
            # Only years with something to show: an event of their own, or surveys held for review
            # (both tied to the year, so recomputed whenever they arrive).
            if has_own_events(x, card) or x.held:
                cards.append(card)

        tx.execute(
            f"DELETE FROM {t['scorecards']} WHERE year=? AND nip IN ({_marks(len(nips))})", (year, *nips)
        )
        tx.execute(
            f"DELETE FROM {t['components']} WHERE year=? AND nip IN ({_marks(len(nips))})", (year, *nips)
        )
        insert_many(
            tx,
            t["scorecards"],
            [
                {
                    "nip": c["nip"],
                    "year": year,
                    "agency": c["agency"],
                    "service_unit": c["service_unit"],
                    "formula_version": c["formula_version"],
                    "score": float(c["score"]),
                    "score_text": c["score"],
                    "base": c["base"],
                    "adjustments": c["adjustments"],
                    "predikat": c["predikat"],
                    "components": dumps(c["components"]),
                    "left_out": dumps(c["left_out"]),
                    "event_ids": dumps(c["event_ids"]),
                }
                for c in cards
            ],
        )
        insert_many(
            tx,
            t["components"],
            [
                {
                    "nip": c["nip"],
                    "year": year,
                    "component": comp["component"],
                    "weight": comp["weight"],
                    "effective_weight": comp["effective_weight"],
                    "applicable": int(comp["applicable"]),
                    "value": comp["value"],
                    "points": comp["points"],
                    "detail": dumps(comp["detail"]),
                    "event_ids": dumps(comp["event_ids"]),
                }
                for c in cards
                for comp in c["components"]
            ],
        )
        groups = {(year, agency) for agency in old.values()}
        groups |= {(year, c["agency"]) for c in cards}
        return groups

    def _unit_surveys(
        self,
        tx: Sql,
        t: Tables,
        unit: str,
        year: int,
        cache: dict[tuple[str, int], list[tuple[str, Mapping[str, int]]]],
    ) -> list[tuple[str, Mapping[str, int]]]:
        key = (unit, year)
        if key not in cache:
            cache[key] = [
                (r["event_id"], json.loads(r["answers"]))
                for r in tx.query(
                    f"SELECT event_id, answers FROM {t['f_surveys']} WHERE service_unit=? AND year=? "
                    "ORDER BY event_id",
                    (unit, year),
                )
            ]
        return cache[key]

    def _rank(self, tx: Sql, t: Tables, year: int, agency: str) -> None:
        # Ranked: those still in service on 31 December (a scorecard stays on the record).
        rows = tx.query(
            f"SELECT s.nip AS nip, s.score AS score FROM {t['scorecards']} s "
            f"JOIN {t['f_employees']} e ON e.nip = s.nip WHERE s.year=? AND s.agency=? "
            "AND (e.service_ended_on IS NULL OR e.service_ended_on > ?) ORDER BY s.score DESC, s.nip",
            (year, agency, year_end(year).isoformat()),
        )
        tx.execute(f"DELETE FROM {t['rankings']} WHERE year=? AND agency=?", (year, agency))
        ranks = competition_ranks(rows)
        insert_many(
            tx,
            t["rankings"],
            [
                {
                    "year": year,
                    "agency": agency,
                    "nip": r["nip"],
                    "score": r["score"],
                    "rank": rank,
                    "agency_size": len(rows),
                }
                for r, rank in zip(rows, ranks, strict=True)
            ],
        )

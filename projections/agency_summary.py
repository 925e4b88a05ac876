"""Agency summary and the public agency aggregates: projection ``agencies``.

Per (agency, year): headcount, predikat distribution with the organisation-curve warnings of
the agency's own rating, training compliance against the yearly JP minimum, IKM and mutu per
service unit and pooled per agency, award and sanction counts. The public tables hold the same
figures after k = 5 suppression (``projections.public``): nothing unsuppressed ever reaches them.

An employee belongs to the agency they served on 31 December of the year (from the effective
dates of registration and transfers); the headcount leaves out those dismissed before the year,
and the figures about people (headcount, predikat distribution, training compliance) leave out
those whose service had ended by 31 December (docs/SERVICE.md). Training compliance counts the
PNS against the yearly JP minimum; PPPK are counted beside them, never as non-compliant.
A year gets rows once anything happened in it (an appraisal, training, survey, award, sanction
or rating); all such years are recomputed, for every agency, when a batch touches them.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from ledger.decimals import plain_normal
from ledger.rules import PREDIKAT_RULES, SATISFACTION_RULES, TRAINING_RULES, compute_ikm
from ledger.rules.appraisal import APPRAISAL_RULES, categories_of
from ledger.rules.predikat import curve_warnings
from ledger.sqlstore import Sql
from ledger.vocabulary import Level, Predikat, PredikatOrganisasi
from projections import public
from projections.base import Tables
from projections.deferral import PENDING_TABLE, put_off, take_back
from projections.facts import (
    FACT_INDEXES,
    FACT_TABLES,
    FactsProjection,
    dumps,
    insert_many,
    predikat_of_year,
    year_end,
)

PREDIKATS = [p.value for p in Predikat]
LEVELS = [lv.value for lv in Level]


def _rule_or_none(history: Any, day: date) -> Any:
    return history.find(day)


def _pns(employment_type: str) -> bool:
    return employment_type == "PNS"


def _pct(numerator: int, denominator: int) -> str | None:
    if denominator == 0:
        return None
    return str((Decimal(100) * numerator / denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class AgencyProjection(FactsProjection):
    name: ClassVar[str] = "agencies"
    # 2: decimals in plain digits; IKM and NRR with 2 decimals; f_appraisals holds appraisals
    # before 2022; the distribution by rule; service end; PPPK apart in training compliance
    # 3: the fact tables keep when each survey naming an officer came; 4: they keep the
    # performance management cycle (f_skp); 5: years put off while catching up (pending)
    version: ClassVar[int] = 5
    defers: ClassVar[bool] = True
    tables: ClassVar[Mapping[str, str]] = {
        **FACT_TABLES,
        "pending": PENDING_TABLE,
        "summary": (
            "agency TEXT NOT NULL, year INTEGER NOT NULL, name TEXT NOT NULL, predikat_organisasi TEXT, "
            "rating_event_id TEXT, employees INTEGER NOT NULL, appraised INTEGER NOT NULL, "
            "distribution TEXT NOT NULL, curve_rule_version TEXT, curve_warnings TEXT NOT NULL, "
            "training_minimum_jp INTEGER, training_compliant INTEGER NOT NULL, "
            "training_non_compliant INTEGER NOT NULL, training_rate TEXT, training_jp_total TEXT NOT NULL, "
            "training_pppk INTEGER NOT NULL, "
            "ikm_respondents INTEGER NOT NULL, ikm TEXT, ikm_converted TEXT, mutu TEXT, "
            "awards_granted INTEGER NOT NULL, awards_revoked INTEGER NOT NULL, "
            "awards_ineligible INTEGER NOT NULL, sanctions_total INTEGER NOT NULL, "
            "sanctions_by_level TEXT NOT NULL, sanctions_annulled INTEGER NOT NULL, "
            "sanctions_revoked INTEGER NOT NULL, sanctions_modified INTEGER NOT NULL, "
            "PRIMARY KEY (agency, year)"
        ),
        "units": (
            "service_unit TEXT NOT NULL, year INTEGER NOT NULL, agency TEXT NOT NULL, name TEXT NOT NULL, "
            "respondents INTEGER NOT NULL, named_officer INTEGER NOT NULL, ikm TEXT, converted TEXT, "
            "mutu TEXT, kinerja TEXT, nrr TEXT NOT NULL, rule_version TEXT, "
            "PRIMARY KEY (service_unit, year)"
        ),
        "public_agencies": (
            "agency TEXT NOT NULL, year INTEGER NOT NULL, name TEXT NOT NULL, figure TEXT NOT NULL, "
            f"{public.PUBLIC_TABLE_COLUMNS}, PRIMARY KEY (agency, year, figure)"
        ),
        "public_units": (
            "service_unit TEXT NOT NULL, year INTEGER NOT NULL, agency TEXT NOT NULL, name TEXT NOT NULL, "
            f"figure TEXT NOT NULL, {public.PUBLIC_TABLE_COLUMNS}, PRIMARY KEY (service_unit, year, figure)"
        ),
    }
    indexes: ClassVar[Mapping[str, Sequence[str]]] = {
        **FACT_INDEXES,
        "summary": ["year"],
        "units": ["agency, year"],
        "public_agencies": ["year"],
        "public_units": ["agency, year"],
    }

    def finish_batch(self, tx: Sql, tables: Tables) -> None:
        # Each year is recomputed for the whole city, so a catch-up does it once at the end.
        years = set(self.facts.years)
        firsts = [] if self.facts.from_year is None else [self.facts.from_year]
        if self.catching_up:
            put_off(tx, tables["pending"], "year", (str(y) for y in years))
            put_off(tx, tables["pending"], "from", (str(y) for y in firsts))
            return
        years |= {int(y) for y in take_back(tx, tables["pending"], "year")}
        firsts += [int(y) for y in take_back(tx, tables["pending"], "from")]
        if firsts:
            first = min(firsts)
            years |= {
                int(r["year"])
                for r in tx.query(f"SELECT DISTINCT year FROM {tables['summary']} WHERE year>=?", (first,))
            }
        for year in sorted(years):
            self._recompute_year(tx, tables, year)

    # ------------------------------------------------------------------ recompute

    def _recompute_year(self, tx: Sql, t: Tables, year: int) -> None:
        start, end = date(year, 1, 1), year_end(year)
        agencies = {r["code"]: r["name"] for r in tx.query(f"SELECT code, name FROM {t['f_agencies']}")}
        units = {
            r["code"]: (r["name"], r["agency"])
            for r in tx.query(f"SELECT code, name, agency FROM {t['f_units']}")
        }
        at_end: dict[str, str] = {}
        population: dict[str, set[str]] = defaultdict(set)
        types: dict[str, str] = {}
        ended: set[str] = set()  # service ended by 31 December: out of the figures about people
        for r in tx.query(
            f"SELECT p.nip AS nip, p.agency AS agency, e.dismissed_on AS dismissed_on, "
            f"e.service_ended_on AS service_ended_on, e.employment_type AS employment_type "
            f"FROM {t['f_placements']} p JOIN {t['f_employees']} e ON e.nip = p.nip "
            "WHERE p.valid_from <= ? AND (p.valid_to IS NULL OR p.valid_to > ?)",
            (end.isoformat(), end.isoformat()),
        ):
            at_end[r["nip"]] = r["agency"]
            if r["service_ended_on"] is not None and r["service_ended_on"] <= end.isoformat():
                ended.add(r["nip"])
                continue
            types[r["nip"]] = r["employment_type"]
            if r["dismissed_on"] is None or r["dismissed_on"] >= start.isoformat():
                population[r["agency"]].add(r["nip"])

        by_nip: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in tx.query(f"SELECT * FROM {t['f_appraisals']} WHERE year=?", (year,)):
            by_nip[r["nip"]].append(r)
        distribution: dict[str, Counter[str]] = defaultdict(Counter)
        for nip, rows in by_nip.items():
            chosen = predikat_of_year(rows)
            if chosen is not None and nip in at_end and nip not in ended:
                distribution[at_end[nip]][chosen["predikat"]] += 1

        jp: dict[str, Decimal] = defaultdict(Decimal)
        for r in tx.query(f"SELECT nip, hours_jp FROM {t['f_trainings']} WHERE year=?", (year,)):
            jp[r["nip"]] += Decimal(r["hours_jp"])

        # Before PermenPANRB 14/2017 there is no IKM rule: such a year simply has no IKM.
        satisfaction = SATISFACTION_RULES.find(end)
        unit_answers: dict[str, list[Mapping[str, int]]] = defaultdict(list)
        unit_named: Counter[str] = Counter()
        for r in tx.query(
            f"SELECT service_unit, answers, officer_code FROM {t['f_surveys']} "
            "WHERE year=? ORDER BY event_id",
            (year,),
        ):
            unit_answers[r["service_unit"]].append(json.loads(r["answers"]))
            if r["officer_code"]:
                unit_named[r["service_unit"]] += 1

        awards: dict[str, Counter[str]] = defaultdict(Counter)
        for r in tx.query(f"SELECT nip, eligible, revoked_by FROM {t['f_awards']} WHERE year=?", (year,)):
            agency = at_end.get(r["nip"])
            if agency is None:
                continue
            if r["revoked_by"]:
                awards[agency]["revoked"] += 1
            else:
                awards[agency]["granted"] += 1
            if not r["eligible"]:
                awards[agency]["ineligible"] += 1

        sanctions: dict[str, Counter[str]] = defaultdict(Counter)
        for r in tx.query(
            f"SELECT nip, level, status FROM {t['f_sanctions']} WHERE decided_on >= ? AND decided_on <= ?",
            (start.isoformat(), end.isoformat()),
        ):
            agency = at_end.get(r["nip"])
            if agency is None:
                continue
            sanctions[agency]["total"] += 1
            sanctions[agency][r["level"]] += 1
            sanctions[agency][r["status"]] += 1

        ratings = {r["agency"]: r for r in tx.query(f"SELECT * FROM {t['f_ratings']} WHERE year=?", (year,))}

        active = bool(by_nip or jp or unit_answers or awards or sanctions or ratings)
        for table in ("summary", "units", "public_agencies", "public_units"):
            tx.execute(f"DELETE FROM {t[table]} WHERE year=?", (year,))
        if not active:
            return

        predikat_rule = _rule_or_none(PREDIKAT_RULES, end)
        # The categories of the year's appraisal rule (sebutan of PP 46/2011 before 2021, ...).
        appraisal_rule = APPRAISAL_RULES.find(end)
        categories = list(categories_of(appraisal_rule)) if appraisal_rule else PREDIKATS
        training_rule = _rule_or_none(TRAINING_RULES, end)
        unit_rows: list[dict[str, Any]] = []
        public_unit_rows: list[dict[str, Any]] = []
        pooled: dict[str, list[Mapping[str, int]]] = defaultdict(list)
        for code, answers in sorted(unit_answers.items()):
            name, agency = units[code]
            pooled[agency].extend(answers)
            if satisfaction is None:
                break
            ikm = compute_ikm(satisfaction, answers)
            assert ikm is not None
            unit_rows.append(
                {
                    "service_unit": code,
                    "year": year,
                    "agency": agency,
                    "name": name,
                    "respondents": ikm.respondents,
                    "named_officer": unit_named[code],
                    "ikm": ikm.ikm_text,
                    "converted": ikm.converted_text,
                    "mutu": ikm.mutu,
                    "kinerja": ikm.kinerja,
                    "nrr": dumps(ikm.nrr_text),
                    "rule_version": ikm.rule_version,
                }
            )
            figures = {
                "respondents": public.count(ikm.respondents),
                "ikm": public.from_responses(ikm.respondents, ikm.ikm_text),
                "ikm_converted": public.from_responses(ikm.respondents, ikm.converted_text),
                "mutu": public.from_responses(ikm.respondents, ikm.mutu),
                "kinerja": public.from_responses(ikm.respondents, ikm.kinerja),
            }
            public_unit_rows += [
                {"service_unit": code, "year": year, "agency": agency, "name": name, **_figure_row(k, f)}
                for k, f in figures.items()
            ]

        summary_rows: list[dict[str, Any]] = []
        public_rows: list[dict[str, Any]] = []
        for code, name in sorted(agencies.items()):
            people = population.get(code, set())
            counts = distribution.get(code, Counter())
            rating = ratings.get(code)
            warnings: list[str] = []
            if rating is not None and predikat_rule is not None:
                warnings = [
                    w.message
                    for w in curve_warnings(
                        predikat_rule,
                        PredikatOrganisasi(rating["predikat_organisasi"]),
                        {Predikat(k): v for k, v in counts.items()},
                    )
                ]
            minimum = training_rule.minimum_jp_per_year if training_rule else None
            # The minimum binds the PNS; PPPK are counted apart, never as non-compliant.
            bound = {n for n in people if (training_rule.binds if training_rule else _pns)(types[n])}
            compliant = sum(1 for n in bound if minimum is not None and jp.get(n, Decimal(0)) >= minimum)
            agency_jp = sum((jp.get(n, Decimal(0)) for n in people), Decimal(0))
            ikm = compute_ikm(satisfaction, pooled[code]) if satisfaction and pooled.get(code) else None
            a, s = awards.get(code, Counter()), sanctions.get(code, Counter())
            row = {
                "agency": code,
                "year": year,
                "name": name,
                "predikat_organisasi": rating["predikat_organisasi"] if rating else None,
                "rating_event_id": rating["event_id"] if rating else None,
                "employees": len(people),
                "appraised": sum(counts.values()),
                "distribution": dumps({p: counts.get(p, 0) for p in categories}),
                "curve_rule_version": predikat_rule.version if predikat_rule and rating else None,
                "curve_warnings": dumps(warnings),
                "training_minimum_jp": minimum,
                "training_compliant": compliant,
                "training_non_compliant": len(bound) - compliant,
                "training_rate": _pct(compliant, len(bound)),
                "training_jp_total": plain_normal(agency_jp),
                "training_pppk": len(people) - len(bound),
                "ikm_respondents": ikm.respondents if ikm else 0,
                "ikm": ikm.ikm_text if ikm else None,
                "ikm_converted": ikm.converted_text if ikm else None,
                "mutu": ikm.mutu if ikm else None,
                "awards_granted": a["granted"],
                "awards_revoked": a["revoked"],
                "awards_ineligible": a["ineligible"],
                "sanctions_total": s["total"],
                "sanctions_by_level": dumps({lv: s[lv] for lv in LEVELS}),
                "sanctions_annulled": s["ANNULLED"],
                "sanctions_revoked": s["REVOKED"],
                "sanctions_modified": s["MODIFIED"],
            }
            summary_rows.append(row)
            public_rows += [
                {"agency": code, "year": year, "name": name, **_figure_row(k, f)}
                for k, f in public_figures(row).items()
            ]
        insert_many(tx, t["summary"], summary_rows)
        insert_many(tx, t["units"], unit_rows)
        insert_many(tx, t["public_agencies"], public_rows)
        insert_many(tx, t["public_units"], public_unit_rows)


def public_figures(row: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The published figures of one agency-year summary row, suppressed where k = 5 requires."""
    figures: dict[str, dict[str, Any]] = {
        "predikat_organisasi": public.figure(row["predikat_organisasi"]),
        "employees": public.count(row["employees"]),
        "appraised": public.count(row["appraised"]),
    }
    cells = json.loads(row["distribution"])
    for name, f in public.distribution(cells).items():
        figures[f"predikat.{name}"] = f
    # The three cells add up to the published headcount: suppressed together (one hidden cell
    # would otherwise be the headcount minus the others).
    training = public.parts_of_total(
        {
            "compliant": row["training_compliant"],
            "non_compliant": row["training_non_compliant"],
            "pppk": row["training_pppk"],
        }
    )
    figures["training.compliant"] = training["compliant"]
    figures["training.non_compliant"] = training["non_compliant"]
    figures["training.compliance_rate"] = public.share(
        training["compliant"], [training["non_compliant"]], row["training_rate"]
    )
    figures["training.pppk_reported_apart"] = training["pppk"]
    n = row["ikm_respondents"]
    figures["ikm.respondents"] = public.count(n)
    figures["ikm.value"] = public.from_responses(n, row["ikm"])
    figures["ikm.converted"] = public.from_responses(n, row["ikm_converted"])
    figures["ikm.mutu"] = public.from_responses(n, row["mutu"])
    figures["awards.granted"] = public.count(row["awards_granted"])
    figures["sanctions.total"] = public.count(row["sanctions_total"])
    return figures


def _figure_row(name: str, f: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "figure": name,
        "value": None if f["suppressed"] else json.dumps(f["value"]),
        "suppressed": int(f["suppressed"]),
        "reason": f["reason"],
    }

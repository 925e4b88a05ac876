"""Read-model queries returning plain dicts (for the API and the CLI).

Each takes the application (or its ``SqlStore``) and reads only the stable views
(``rm_<projection>_<table>``), in one read-only transaction. ``None`` means "no such row";
callers turn that into a 404. None of these write or take the event store's write lock.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from ledger.application import KinerjaLedger
from ledger.decimals import plain_normal
from ledger.sqlstore import Sql, SqlStore
from projections import bursts, public
from projections.base import view_name
from projections.employee_summary import search_key
from projections.paging import Key, Page, keyset, page_rows
from projections.scorecard import competition_ranks

JSON_COLUMNS = {
    "components",
    "left_out",
    "event_ids",
    "distribution",
    "curve_warnings",
    "sanctions_by_level",
    "nrr",
    "ineligibility",
    "violations",
    "summoned_on",
    "evidence",
    "training_jp",
    "programs",
    "feedback",
    "detail",
    "flags",
}


def _v(projection: str, table: str) -> str:
    return view_name(projection, table)


@contextmanager
def _read(source: KinerjaLedger | SqlStore) -> Iterator[Sql]:
    store = source.sql if isinstance(source, KinerjaLedger) else source
    with store.transaction(write=False) as tx:
        yield tx


def _plain(row: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if k in drop:
            continue
        out[k] = json.loads(v) if k in JSON_COLUMNS and isinstance(v, str) else v
    return out


def _bools(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    for k in keys:
        if k in row and row[k] is not None:
            row[k] = bool(row[k])
    return row


# ---------------------------------------------------------------------- employees


def employee_summary(
    source: KinerjaLedger | SqlStore, nip: str, on: date | None = None
) -> dict[str, Any] | None:
    """The employee's row; `past_bup` says whether, on `on` (default: the ledger's today), the
    retirement age's pension date has passed without an end of service (None: no day known)."""
    with _read(source) as tx:
        row = tx.one(f"SELECT * FROM {_v('employees', 'employees')} WHERE nip=?", (nip,))
    if row is None:
        return None
    out = _plain(row, drop=("state",))
    day = on or (source.today() if isinstance(source, KinerjaLedger) else None)
    out["past_bup"] = (
        None if day is None else row["service_ended_on"] is None and day.isoformat() >= row["pension_from"]
    )
    return out


EMPLOYEE_STATUSES = ("ACTIVE", "ON_LEAVE", "SUSPENDED", "DISMISSED", "ENDED")


def _status_sql(periods: str) -> str:
    """An employee's status on the day bound three times as `?`: ENDED from the end of service,
    DISMISSED while a dismissal penalty stands, SUSPENDED or ON_LEAVE (CLTN) within a period."""
    covering = (
        f"SELECT 1 FROM {periods} p WHERE p.nip = e.nip AND p.started_on <= ? "
        "AND (p.ended_on IS NULL OR p.ended_on > ?)"
    )
    return (
        "CASE WHEN e.service_ended_on IS NOT NULL AND e.service_ended_on <= ? THEN 'ENDED' "
        "WHEN e.dismissed_on IS NOT NULL AND e.dismissed_on <= ? THEN 'DISMISSED' "
        f"WHEN EXISTS ({covering} AND p.kind = 'SUSPENSION') THEN 'SUSPENDED' "
        f"WHEN EXISTS ({covering} AND p.kind <> 'SUSPENSION') THEN 'ON_LEAVE' "
        "ELSE 'ACTIVE' END"
    )


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def employees(
    source: KinerjaLedger | SqlStore,
    on: date,
    *,
    q: str | None = None,
    agency: str | None = None,
    status: str | None = None,
    limit: int = 100,
    after: Key | None = None,
) -> Page[dict[str, Any]]:
    """Employees by NIP: `q` all digits is a NIP prefix, else a part of the name (case-folded,
    spaces collapsed); `status` on the day `on`. A page of `limit` after the NIP `after`."""
    table, periods = _v("employees", "employees"), _v("employees", "periods")
    where: list[str] = []
    params: list[object] = []
    if q is not None and q.isdigit():
        # A range, not LIKE: it uses the primary key in both stores (':' follows '9').
        where.append("e.nip >= ? AND e.nip < ?")
        params += [q, q + ":"]
    elif q is not None:
        where.append("e.name_key LIKE ? ESCAPE '\\'")
        params.append(_like(search_key(q)))
    if agency is not None:
        where.append("e.agency = ?")
        params.append(agency)
    day = on.isoformat()
    inner = (
        f"SELECT e.nip AS nip, e.name AS name, e.agency AS agency, e.position AS position, "
        f"e.grade AS grade, e.employment_type AS employment_type, e.service_unit AS service_unit, "
        f"{_status_sql(periods)} AS status FROM {table} e"
        + (f" WHERE {' AND '.join(where)}" if where else "")
    )
    after_sql, after_params = keyset(("nip",), after)
    outer = f"SELECT * FROM ({inner}) s WHERE {after_sql}" + (" AND status = ?" if status else "")
    all_params = [day] * 6 + params + after_params + ([status] if status else [])
    with _read(source) as tx:
        rows = tx.query(f"{outer} ORDER BY nip LIMIT ?", (*all_params, limit + 1))
    return page_rows(rows, lambda r: (r["nip"],), limit)


# ---------------------------------------------------------------------- scorecards


def _scorecard_row(row: dict[str, Any]) -> dict[str, Any]:
    out = _plain(row)
    out["score"] = row["score_text"]
    del out["score_text"]
    return out


def scorecard(source: KinerjaLedger | SqlStore, nip: str, year: int) -> dict[str, Any] | None:
    """Score with components (weights, values, points, cited event ids) and formula version."""
    with _read(source) as tx:
        row = tx.one(f"SELECT * FROM {_v('scorecards', 'scorecards')} WHERE nip=? AND year=?", (nip, year))
        if row is None:
            return None
        rank = tx.one(
            f"SELECT rank, agency_size FROM {_v('scorecards', 'rankings')} "
            "WHERE year=? AND agency=? AND nip=?",
            (year, row["agency"], nip),
        )
    out = _scorecard_row(row)
    out["rank_in_agency"] = rank["rank"] if rank else None
    out["agency_size"] = rank["agency_size"] if rank else None
    return out


def scorecard_years(source: KinerjaLedger | SqlStore, nip: str) -> list[int]:
    with _read(source) as tx:
        rows = tx.query(
            f"SELECT year FROM {_v('scorecards', 'scorecards')} WHERE nip=? ORDER BY year", (nip,)
        )
    return [int(r["year"]) for r in rows]


def rankings(source: KinerjaLedger | SqlStore, year: int, agency: str | None = None) -> dict[str, Any]:
    """Employees in service by score (competition ranking 1, 2, 2, 4), in one agency or city-wide."""
    sc, people = _v("scorecards", "scorecards"), _v("scorecards", "f_employees")
    where = "s.year=? AND s.agency=?" if agency else "s.year=?"
    params: list[object] = [year, agency] if agency else [year]
    # Only those still in service on 31 December of the year are ranked.
    where += " AND (e.service_ended_on IS NULL OR e.service_ended_on > ?)"
    params.append(f"{year}-12-31")
    with _read(source) as tx:
        rows = tx.query(
            f"SELECT s.nip AS nip, e.name AS name, s.agency AS agency, s.score AS score, "
            f"s.score_text AS score_text, s.predikat AS predikat, s.formula_version AS formula_version "
            f"FROM {sc} s JOIN {people} e ON e.nip = s.nip WHERE {where} ORDER BY s.score DESC, s.nip",
            params,
        )
    ranks = competition_ranks(rows)
    items = [
        {
            "rank": rank,
            "nip": r["nip"],
            "name": r["name"],
            "agency": r["agency"],
            "score": r["score_text"],
            "predikat": r["predikat"],
            "formula_version": r["formula_version"],
        }
        for r, rank in zip(rows, ranks, strict=True)
    ]
    return {"year": year, "agency": agency, "total": len(items), "items": items}


def rankings_page(
    source: KinerjaLedger | SqlStore,
    year: int,
    agency: str | None = None,
    *,
    limit: int = 100,
    after: Key | None = None,
) -> tuple[dict[str, Any], Page[dict[str, Any]]]:
    """One page of `rankings` in its order (rank, then NIP) after the key `after`, and `total`:
    the same rows and ranks as paging the whole list, but only the page is read, so a city-wide
    page does not cost the whole city. Ranks are compared in SQL only (a score sent back as a
    parameter could differ from the stored REAL by its rounding)."""
    sc, people = _v("scorecards", "scorecards"), _v("scorecards", "f_employees")
    where = "s.year=? AND s.agency=?" if agency else "s.year=?"
    base: list[object] = [year, agency] if agency else [year]
    where += " AND (e.service_ended_on IS NULL OR e.service_ended_on > ?)"
    base.append(f"{year}-12-31")
    ranked = f"FROM {sc} s JOIN {people} e ON e.nip = s.nip WHERE {where}"
    columns = (
        "s.nip AS nip, e.name AS name, s.agency AS agency, s.score AS score, s.score_text AS score_text, "
        "s.predikat AS predikat, s.formula_version AS formula_version"
    )
    with _read(source) as tx:
        total = int(tx.scalar(f"SELECT COUNT(*) {ranked}", base))
        if after is None or int(after[0]) < 1:  # every rank is after rank 0
            rows = tx.query(
                f"SELECT {columns} {ranked} ORDER BY s.score DESC, s.nip LIMIT ?", (*base, limit + 1)
            )
            first_rank, first_index = 1, 0
        else:
            # Competition ranks: rank = 1 + how many score higher. With t the score at position
            # rank-1 of the order, a row ranks after `rank` exactly when its score is below t, and
            # ranks equal to it when its score is t and t's tie group starts at position rank-1.
            rank, nip = int(after[0]), str(after[1])
            threshold = f"(SELECT s.score {ranked} ORDER BY s.score DESC, s.nip LIMIT 1 OFFSET ?)"
            above = f"(SELECT COUNT(*) {ranked} AND s.score > {threshold})"
            rows = tx.query(
                f"SELECT {columns} {ranked} AND (s.score < {threshold} OR (s.score = {threshold} "
                f"AND {above} = ? AND s.nip > ?)) ORDER BY s.score DESC, s.nip LIMIT ?",
                (*base, *base, rank - 1, *base, rank - 1, *base, *base, rank - 1, rank - 1, nip, limit + 1),
            )
            first_rank = first_index = 0
            if rows:
                # Where the page starts: how many score higher than its first row, and how many
                # tie with it before it (by NIP), read against the stored score itself.
                own = f"(SELECT score FROM {sc} WHERE nip=? AND year=?)"
                key = (rows[0]["nip"], year)
                higher = int(tx.scalar(f"SELECT COUNT(*) {ranked} AND s.score > {own}", (*base, *key)))
                tied = int(
                    tx.scalar(
                        f"SELECT COUNT(*) {ranked} AND s.score = {own} AND s.nip < ?", (*base, *key, key[0])
                    )
                )
                first_rank, first_index = higher + 1, higher + tied
    items: list[dict[str, Any]] = []
    for i, r in enumerate(rows):
        if i == 0:
            rank_of = first_rank
        elif r["score"] == rows[i - 1]["score"]:
            rank_of = items[-1]["rank"]
        else:
            rank_of = first_index + i + 1  # every row before it in the order scores higher
        items.append(
            {
                "rank": rank_of,
                "nip": r["nip"],
                "name": r["name"],
                "agency": r["agency"],
                "score": r["score_text"],
                "predikat": r["predikat"],
                "formula_version": r["formula_version"],
            }
        )
    page = page_rows(items, lambda i: (i["rank"], i["nip"]), limit)
    return {"year": year, "agency": agency, "total": total}, page


# ---------------------------------------------------------------------- agencies


def _summary_row(row: dict[str, Any], units: list[dict[str, Any]]) -> dict[str, Any]:
    out = _plain(row)
    out["units"] = [_plain(u) for u in units]
    return out


def agency_summary(
    source: KinerjaLedger | SqlStore, code: str, year: int | None = None
) -> dict[str, Any] | None:
    """Predikat distribution with curve warnings, training, IKM per unit, awards and sanctions."""
    summary, units = _v("agencies", "summary"), _v("agencies", "units")
    with _read(source) as tx:
        if year is None:
            year = tx.scalar(f"SELECT MAX(year) FROM {summary} WHERE agency=?", (code,))
            if year is None:
                return None
        row = tx.one(f"SELECT * FROM {summary} WHERE agency=? AND year=?", (code, year))
        if row is None:
            return None
        unit_rows = tx.query(
            f"SELECT * FROM {units} WHERE agency=? AND year=? ORDER BY service_unit", (code, year)
        )
    return _summary_row(row, unit_rows)


def agency_summary_years(source: KinerjaLedger | SqlStore, code: str) -> list[int]:
    with _read(source) as tx:
        rows = tx.query(f"SELECT year FROM {_v('agencies', 'summary')} WHERE agency=? ORDER BY year", (code,))
    return [int(r["year"]) for r in rows]


PPPK_NOTE = (
    "The yearly JP minimum binds the PNS (PP 17/2020 amending PP 11/2017); PPPK are reported "
    "apart (PP 49/2018), never counted as non-compliant. Employees whose service had ended by "
    "31 December are left out."
)


def training_compliance(
    source: KinerjaLedger | SqlStore, year: int, agency: str | None = None
) -> dict[str, Any]:
    """Per agency: headcount in service, the PNS compliant (>= the yearly JP minimum) and not,
    the rate among the PNS, and the PPPK apart; with `agency`, per person."""
    summary = _v("agencies", "summary")
    with _read(source) as tx:
        where, params = ("WHERE year=? AND agency=?", [year, agency]) if agency else ("WHERE year=?", [year])
        rows = tx.query(
            f"SELECT agency, name, employees, training_minimum_jp, training_compliant, "
            f"training_non_compliant, training_rate, training_jp_total, training_pppk FROM {summary} "
            f"{where} ORDER BY agency",
            params,
        )
        people: list[dict[str, Any]] = []
        jp: dict[str, Decimal] = {}
        if agency:
            end = f"{year}-12-31"
            people = tx.query(
                f"SELECT p.nip AS nip, e.name AS name, e.dismissed_on AS dismissed_on, "
                f"e.service_ended_on AS service_ended_on, e.employment_type AS employment_type "
                f"FROM {_v('agencies', 'f_placements')} p JOIN {_v('agencies', 'f_employees')} e "
                "ON e.nip = p.nip WHERE p.agency=? AND p.valid_from <= ? "
                "AND (p.valid_to IS NULL OR p.valid_to > ?) ORDER BY p.nip",
                (agency, end, end),
            )
            for r in tx.query(
                f"SELECT t.nip AS nip, t.hours_jp AS hours_jp FROM {_v('agencies', 'f_trainings')} t "
                f"JOIN {_v('agencies', 'f_placements')} p ON p.nip = t.nip AND p.valid_from <= ? "
                "AND (p.valid_to IS NULL OR p.valid_to > ?) WHERE t.year=? AND p.agency=?",
                (end, end, year, agency),
            ):
                jp[r["nip"]] = jp.get(r["nip"], Decimal(0)) + Decimal(r["hours_jp"])
    minimum = rows[0]["training_minimum_jp"] if rows else None
    out_people = []
    for p in people:
        if p["dismissed_on"] is not None and p["dismissed_on"] < f"{year}-01-01":
            continue
        if p["service_ended_on"] is not None and p["service_ended_on"] <= f"{year}-12-31":
            continue
        total = jp.get(p["nip"])
        bound = p["employment_type"] == "PNS"
        out_people.append(
            {
                "nip": p["nip"],
                "name": p["name"],
                "employment_type": p["employment_type"],
                "jp": plain_normal(total) if total is not None else "0",
                "compliant": (minimum is not None and total is not None and total >= minimum)
                if bound
                else None,
            }
        )
    return {
        "year": year,
        "minimum_jp": minimum,
        "note": PPPK_NOTE,
        "agencies": [
            {
                "agency": r["agency"],
                "name": r["name"],
                "employees": r["employees"],
                "pns": r["employees"] - r["training_pppk"],
                "compliant": r["training_compliant"],
                "non_compliant": r["training_non_compliant"],
                "rate_pct": r["training_rate"],
                "pppk": r["training_pppk"],
                "jp_total": r["training_jp_total"],
            }
            for r in rows
        ],
        "employees": out_people if agency else None,
    }


# ---------------------------------------------------------------------- registers


def award_register(
    source: KinerjaLedger | SqlStore,
    year: int | None = None,
    agency: str | None = None,
    nip: str | None = None,
) -> list[dict[str, Any]]:
    where, params = _where(year=year, agency=agency, nip=nip)
    with _read(source) as tx:
        rows = tx.query(
            f"SELECT * FROM {_v('awards', 'awards')} {where} ORDER BY decree_date, award_id", params
        )
    return [_bools(_plain(r), "eligible", "revoked") for r in rows]


def survey_bursts(
    source: KinerjaLedger | SqlStore, year: int, status: str | None = None
) -> list[dict[str, Any]]:
    """Bursts of surveys naming one officer in `year` (ledger.rules.bursts), with HR's review."""
    with _read(source) as tx:
        rows = tx.query(
            f"SELECT * FROM {_v('scorecards', 'f_citizen_feedback')} WHERE year=? ORDER BY nip, event_id",
            (year,),
        )
        reviews = {r["burst_id"]: r for r in tx.query(f"SELECT * FROM {_v('scorecards', 'f_burst_reviews')}")}
        people = {
            r["nip"]: r for r in tx.query(f"SELECT nip, name, agency FROM {_v('employees', 'employees')}")
        }
    by_nip: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_nip.setdefault(row["nip"], []).append(row)
    items = [
        {
            "nip": nip,
            "name": people.get(nip, {}).get("name"),
            "agency": people.get(nip, {}).get("agency"),
            **b,
        }
        for nip, officer_rows in by_nip.items()
        for b in bursts.survey_bursts(officer_rows, reviews)
    ]
    return [i for i in items if status is None or i["status"] == status]


SATYALANCANA_NOTE = (
    "Satyalancana Karya Satya (PP 35/2010): PNS who reach 10, 20 or 30 years of counted service in "
    "the year (from the service start, without CLTN and suspension, up to the end of service). "
    "Eligibility is judged as if the award were decreed on the day the years are reached: a sedang "
    "or berat penalty imposed in the counted years and not annulled or revoked by then bars it. "
    "PPPK are not listed (the award is for PNS only); agency: where the employee served that day."
)


def satyalancana_register(
    source: KinerjaLedger | SqlStore,
    year: int,
    agency: str | None = None,
    limit: int = 100,
    after: Key | None = None,
) -> dict[str, Any]:
    """Who reaches 10, 20 or 30 years of counted service in `year`, by day reached, then NIP;
    a page of `limit` rows after the key (reached_on, nip, years) `after`, and `next_key`."""
    where, params = _where(year=year, agency=agency)
    table = _v("satyalancana", "candidates")
    after_sql, after_params = keyset(("reached_on", "nip", "years"), after)
    with _read(source) as tx:
        total = tx.scalar(f"SELECT COUNT(*) FROM {table} {where}", params)
        rows = tx.query(
            f"SELECT * FROM {table} {where or 'WHERE 1=1'} AND {after_sql} "
            "ORDER BY reached_on, nip, years LIMIT ?",
            (*params, *after_params, limit + 1),
        )
    page = page_rows(rows, lambda r: (r["reached_on"], r["nip"], int(r["years"])), limit)
    items = []
    for r in page.items:
        award = (
            {
                "award_id": r["award_id"],
                "decree_date": r["award_decree_date"],
                "eligible": bool(r["award_eligible"]),
            }
            if r["award_id"]
            else None
        )
        items.append(
            {
                "nip": r["nip"],
                "name": r["name"],
                "agency": r["agency"],
                "employment_type": r["employment_type"],
                "service_start_date": r["service_start_date"],
                "years": r["years"],
                "award_type": f"SATYALANCANA_KARYA_SATYA_{r['years']}",
                "reached_on": r["reached_on"],
                "days_not_counted": r["days_not_counted"],
                "not_counted_ids": json.loads(r["not_counted_ids"]),
                "service_ended_on": r["service_ended_on"],
                "eligible": bool(r["eligible"]),
                "ineligibility": json.loads(r["ineligibility"]),
                "rule_version": r["rule_version"],
                "granted": award is not None,
                "award": award,
            }
        )
    return {
        "year": year,
        "agency": agency,
        "note": SATYALANCANA_NOTE,
        "total": int(total or 0),
        "items": items,
        "next_key": page.next_key,
    }


def decision_register(
    source: KinerjaLedger | SqlStore,
    year: int | None = None,
    agency: str | None = None,
    status: str | None = None,
    nip: str | None = None,
) -> list[dict[str, Any]]:
    """Decisions as issued, where they stand after appeals/revocation, with their appeals."""
    where, params = _where(year=year, agency=agency, status=status, nip=nip)
    with _read(source) as tx:
        rows = tx.query(
            f"SELECT * FROM {_v('sanctions', 'sanctions')} {where} ORDER BY decided_on, sanction_id", params
        )
        appeals = tx.query(f"SELECT * FROM {_v('sanctions', 'appeals')} ORDER BY filed_on, appeal_id")
    by_sanction: dict[str, list[dict[str, Any]]] = {}
    for a in appeals:
        by_sanction.setdefault(a["sanction_id"], []).append(a)
    out = []
    for r in rows:
        item = _plain(r)
        item["appeals"] = by_sanction.get(r["sanction_id"], [])
        out.append(item)
    return out


# ---------------------------------------------------------------------- programmes


def programs(source: KinerjaLedger | SqlStore) -> list[dict[str, Any]]:
    with _read(source) as tx:
        rows = tx.query(f"SELECT * FROM {_v('programs', 'programs')} ORDER BY code")
        agencies = tx.query(f"SELECT * FROM {_v('programs', 'agencies')} ORDER BY program, agency")
    by_program: dict[str, list[str]] = {}
    for a in agencies:
        by_program.setdefault(a["program"], []).append(a["agency"])
    out = []
    for r in rows:
        item = dict(r)
        item["participating_agencies"] = by_program.get(r["code"], [])
        out.append(item)
    return out


def program(source: KinerjaLedger | SqlStore, code: str) -> dict[str, Any] | None:
    """One programme: agencies, participants (with their agencies) and outcomes."""
    with _read(source) as tx:
        row = tx.one(f"SELECT * FROM {_v('programs', 'programs')} WHERE code=?", (code,))
        if row is None:
            return None
        agencies = tx.query(
            f"SELECT agency FROM {_v('programs', 'agencies')} WHERE program=? ORDER BY agency", (code,)
        )
        participants = tx.query(
            f"SELECT nip, name, agency, role, joined_on, event_id FROM {_v('programs', 'participants')} "
            "WHERE program=? ORDER BY agency, nip",
            (code,),
        )
        outcomes = tx.query(
            f"SELECT event_id, indicator, target, achieved, achievement_pct, period, recorded_on "
            f"FROM {_v('programs', 'outcomes')} WHERE program=? ORDER BY period, event_id",
            (code,),
        )
    out = dict(row)
    out["participating_agencies"] = [a["agency"] for a in agencies]
    out["participants_list"] = participants
    out["outcomes_list"] = outcomes
    return out


def employee_programs(source: KinerjaLedger | SqlStore, nip: str) -> list[dict[str, Any]]:
    with _read(source) as tx:
        return tx.query(
            f"SELECT program, role, joined_on, event_id FROM {_v('programs', 'participants')} "
            "WHERE nip=? ORDER BY program",
            (nip,),
        )


# ---------------------------------------------------------------------- public (no login)


def _figures(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        r["figure"]: {
            "value": None if r["value"] is None else json.loads(r["value"]),
            "suppressed": bool(r["suppressed"]),
            "reason": r["reason"],
        }
        for r in rows
    }


def public_years(source: KinerjaLedger | SqlStore) -> list[int]:
    with _read(source) as tx:
        rows = tx.query(f"SELECT DISTINCT year FROM {_v('agencies', 'public_agencies')} ORDER BY year")
    return [int(r["year"]) for r in rows]


def public_agencies(source: KinerjaLedger | SqlStore, year: int | None = None) -> dict[str, Any]:
    """Agency aggregates, already suppressed (k = 5); default: the latest year with figures."""
    table = _v("agencies", "public_agencies")
    with _read(source) as tx:
        if year is None:
            year = tx.scalar(f"SELECT MAX(year) FROM {table}")
        rows = (
            tx.query(f"SELECT * FROM {table} WHERE year=? ORDER BY agency, figure", (year,))
            if year is not None
            else []
        )
    agencies: dict[str, dict[str, Any]] = {}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        agencies.setdefault(r["agency"], {"code": r["agency"], "name": r["name"]})
        grouped.setdefault(r["agency"], []).append(r)
    items = [{**agencies[code], "figures": _figures(grouped[code])} for code in sorted(agencies)]
    return {"year": year, "k": 5, "agencies": items}


def public_service_units(source: KinerjaLedger | SqlStore, year: int | None = None) -> dict[str, Any]:
    """Every unit a citizen can rate (code, name, agency), with its suppressed IKM figures."""
    units, figures = _v("agencies", "f_units"), _v("agencies", "public_units")
    with _read(source) as tx:
        if year is None:
            year = tx.scalar(f"SELECT MAX(year) FROM {figures}")
        unit_rows = tx.query(f"SELECT code, name, agency FROM {units} ORDER BY agency, code")
        rows = (
            tx.query(f"SELECT * FROM {figures} WHERE year=? ORDER BY service_unit, figure", (year,))
            if year is not None
            else []
        )
    grouped: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        grouped.setdefault(r["service_unit"], []).append(r)
    return {
        "year": year,
        "k": 5,
        "service_units": [
            {**u, "figures": _figures(grouped[u["code"]]) if u["code"] in grouped else None}
            for u in unit_rows
        ],
    }


def _where(**filters: object) -> tuple[str, list[object]]:
    """An equality WHERE clause over the filters that were given (None means: any)."""
    given = {column: value for column, value in filters.items() if value is not None}
    clause = " AND ".join(f"{column}=?" for column in given)
    return (f"WHERE {clause}" if clause else ""), list(given.values())


# ---------------------------------------------------------------------- public input


def _comment_item(r: dict[str, Any]) -> dict[str, Any]:
    responses = (
        [
            {
                "status": "FOLLOWED_UP",
                "response": r["response"],
                "at": r["followed_up_at"],
                "by": r["followed_up_by"],
            }
        ]
        if r["follow_up_id"]
        else []
    )
    return {
        "kind": "comment",
        "id": r["comment_id"],
        "received_at": r["received_at"],
        "service_unit": r["service_unit"],
        "agency": r["agency"],
        "status": r["status"],
        "text": r["text"],
        "category": None,
        "officer_code": None,
        "officer_nip": None,
        "tracking_code": None,
        "lapor_ticket": None,
        "has_contact": False,
        "contact": None,
        "responses": responses,
    }


def _complaint_item(r: dict[str, Any], updates: list[dict[str, Any]], with_contact: bool) -> dict[str, Any]:
    return {
        "kind": "complaint",
        "id": r["complaint_id"],
        "received_at": r["received_at"],
        "service_unit": r["service_unit"],
        "agency": r["agency"],
        "status": r["status"],
        "text": r["text"],
        "category": r["category"],
        "officer_code": r["officer_code"],
        "officer_nip": r["officer_nip"],
        "tracking_code": r["tracking_code"],
        "lapor_ticket": r["lapor_ticket"],
        "has_contact": r["contact"] is not None,
        "contact": r["contact"] if with_contact else None,
        "responses": [
            {"status": u["status"], "response": u["response"], "at": u["at"], "by": u["by_sub"]}
            for u in updates
        ],
    }


COMMENT_STATUSES = ("OPEN", "FOLLOWED_UP")


def public_input(
    source: KinerjaLedger | SqlStore,
    *,
    kind: str | None = None,
    status: str | None = None,
    agency: str | None = None,
    with_contact: bool = False,
    limit: int = 100,
    after: Key | None = None,
) -> Page[dict[str, Any]]:
    """Citizens' comments and complaints for HR's follow-up, oldest first (received_at, id).
    `contact` only `with_contact` (HR); `has_contact` says whether there is one."""
    comments, complaints = _v("public_input", "comments"), _v("public_input", "complaints")
    where, params = _where(status=status, agency=agency)
    rows: list[tuple[Key, dict[str, Any]]] = []
    with _read(source) as tx:
        if kind in (None, "comment"):
            after_sql, after_params = keyset(("received_at", "comment_id"), after)
            found = tx.query(
                f"SELECT * FROM {comments} {where or 'WHERE 1=1'} AND {after_sql} "
                "ORDER BY received_at, comment_id LIMIT ?",
                (*params, *after_params, limit + 1),
            )
            rows += [((r["received_at"], r["comment_id"]), _comment_item(r)) for r in found]
        if kind in (None, "complaint"):
            after_sql, after_params = keyset(("received_at", "complaint_id"), after)
            found = tx.query(
                f"SELECT * FROM {complaints} {where or 'WHERE 1=1'} AND {after_sql} "
                "ORDER BY received_at, complaint_id LIMIT ?",
                (*params, *after_params, limit + 1),
            )
            updates: dict[str, list[dict[str, Any]]] = {}
            ids = [r["complaint_id"] for r in found]
            if ids:
                for u in tx.query(
                    f"SELECT * FROM {_v('public_input', 'updates')} WHERE complaint_id IN "
                    f"({','.join('?' * len(ids))}) ORDER BY at, update_id",
                    ids,
                ):
                    updates.setdefault(u["complaint_id"], []).append(u)
            rows += [
                (
                    (r["received_at"], r["complaint_id"]),
                    _complaint_item(r, updates.get(r["complaint_id"], []), with_contact),
                )
                for r in found
            ]
    rows.sort(key=lambda kv: kv[0])
    keys = {id(item): key for key, item in rows}
    return page_rows([item for _, item in rows], lambda i: keys[id(i)], limit)


def complaint_status(source: KinerjaLedger | SqlStore, tracking_code: str) -> dict[str, Any] | None:
    """What the citizen holding the code sees: no text, contact, officer or ticket, no names."""
    with _read(source) as tx:
        row = tx.one(
            f"SELECT c.complaint_id AS complaint_id, c.tracking_code AS tracking_code, "
            f"c.service_unit AS service_unit, u.name AS service_unit_name, c.agency AS agency, "
            f"c.category AS category, c.status AS status, c.received_on AS received_on "
            f"FROM {_v('public_input', 'complaints')} c JOIN {_v('public_input', 'units')} u "
            "ON u.code = c.service_unit WHERE c.tracking_code = ?",
            (tracking_code,),
        )
        if row is None:
            return None
        updates = tx.query(
            f"SELECT status, response, on_day FROM {_v('public_input', 'updates')} "
            "WHERE complaint_id = ? ORDER BY at, update_id",
            (row["complaint_id"],),
        )
    out = {k: v for k, v in row.items() if k != "complaint_id"}
    out["responses"] = [
        {"status": u["status"], "response": u["response"], "on": u["on_day"]} for u in updates
    ]
    return out


COMPLAINT_NOTE = (
    "Complaints received in the year (WIB) about the agency's service units; responded: those "
    "answered (status RESPONDED reached, whenever); median days from receipt to the first "
    "response. Counts under 5 and figures from fewer than 5 complaints are suppressed (k = 5)."
)


def _complaint_figures(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    days = [int(r["days_to_response"]) for r in rows if r["days_to_response"] is not None]
    median = statistics.median(days) if days else None
    return {
        "received": public.count(len(rows)),
        "responded": public.count(len(days)),
        "median_days_to_response": public.from_responses(
            len(days), None if median is None else plain_normal(Decimal(str(median)))
        ),
    }


def complaint_statistics(source: KinerjaLedger | SqlStore, agency: str, year: int) -> dict[str, Any]:
    """Per service unit and for the agency; a unit's count that the agency total and the other
    units would give away is hidden too."""
    with _read(source) as tx:
        units = tx.query(
            f"SELECT code, name FROM {_v('public_input', 'units')} WHERE agency = ? ORDER BY code", (agency,)
        )
        rows = tx.query(
            f"SELECT service_unit, days_to_response FROM {_v('public_input', 'complaints')} "
            "WHERE agency = ? AND year = ?",
            (agency, year),
        )
    by_unit: dict[str, list[dict[str, Any]]] = {u["code"]: [] for u in units}
    for r in rows:
        by_unit.setdefault(r["service_unit"], []).append(r)
    figures = {code: _complaint_figures(found) for code, found in by_unit.items()}
    total = _complaint_figures(rows)
    for name in ("received", "responded"):
        if not total[name]["suppressed"]:
            counts = {code: _raw(found, name) for code, found in by_unit.items()}
            for code, cell in public.parts_of_total(counts).items():
                figures[code][name] = cell
    return {
        "agency": agency,
        "year": year,
        "k": public.threshold(),
        "note": COMPLAINT_NOTE,
        "figures": total,
        "units": [{"code": u["code"], "name": u["name"], "figures": figures[u["code"]]} for u in units],
    }


def _raw(rows: list[dict[str, Any]], name: str) -> int:
    return len(rows) if name == "received" else sum(1 for r in rows if r["days_to_response"] is not None)

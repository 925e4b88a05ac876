"""Hypothesis: for any sequence of plan revisions and realisations, the SKP progress read model
equals a recomputation from the employee's events, written here without the projection's code."""

from __future__ import annotations

import itertools
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import KinerjaLedger
from ledger.decimals import plain_normal
from ledger.domain.employee import Employee
from ledger.errors import LedgerError
from projections.registry import default_projections
from projections.runner import ProjectionRunner
from projections.skp_progress import employee_progress
from tests.factories import HR, NIP_SARI, nip_for, seed_basic

pytestmark = pytest.mark.store

_counter = itertools.count(100)
NAMES = ["Dokumen", "Mutu"]  # few names: a revision often keeps an indicator, sometimes not
ASPECTS = ["KUANTITAS", "KUALITAS", "WAKTU", "BIAYA"]
# Few periods: repeated reports (which replace the earlier one) and overlaps (refused) are common.
PERIODS = ["2025-01", "2025-02", "2025-Q1", "2025-Q3", "2025-12"]
Q = Decimal("0.0001")

INDICATOR = st.fixed_dictionaries(
    {
        "aspect": st.sampled_from(ASPECTS),
        "name": st.sampled_from(NAMES),
        "target": st.sampled_from([1, 3, 7, "12.5", 100]),
        "unit": st.just("u"),
    }
)
ITEMS = st.lists(
    st.fixed_dictionaries({"rhk": st.just("RHK"), "indicators": st.lists(INDICATOR, min_size=1, max_size=3)}),
    min_size=1,
    max_size=3,
)
REPORT = st.tuples(
    st.just("report"),
    st.tuples(
        st.integers(1, 2),
        st.integers(1, 2),
        st.sampled_from(PERIODS),
        st.sampled_from([0, 1, 2, "2.5", 10, 99]),
    ),
)
# Mostly reports, so that repeated periods (a report replacing the earlier one) are common.
STEPS = st.lists(
    st.one_of(st.tuples(st.just("revise"), ITEMS), REPORT, REPORT, REPORT), min_size=3, max_size=16
)


def recompute(app: KinerjaLedger, nip: str) -> dict[tuple[int, int], tuple[str | None, str]]:
    """(item, indicator) -> (realised, achieved) from the stored events, and the plan's share."""
    items: list[dict[str, Any]] = []
    reports: dict[str, dict[str, Any]] = {}
    for event in app.repository.event_store.get(Employee.create_id(nip)):
        if isinstance(event, Employee.SkpPlanned | Employee.SkpRevised):
            items = event.items
        elif isinstance(event, Employee.RealisationReported):
            if event.supersedes:
                reports.pop(event.supersedes)
            reports[event.event_id] = {
                "key": (event.item, event.indicator, event.aspect, event.indicator_name),
                "start": (event.period[5:6] != "Q", event.period),
                "period": event.period,
                "value": Decimal(event.value),
            }
    out: dict[tuple[int, int], tuple[str | None, str]] = {}
    for i, item in enumerate(items, start=1):
        for j, ind in enumerate(item["indicators"], start=1):
            mine = [r for r in reports.values() if r["key"] == (i, j, ind["aspect"], ind["name"])]
            target = Decimal(ind["target"])
            if not mine:
                out[(i, j)] = (None, "0")
                continue
            first_month = {r["period"]: _first_month(r["period"]) for r in mine}
            if ind["aspect"] == "KUANTITAS":
                realised = sum((r["value"] for r in mine), Decimal(0))
            else:
                realised = max(mine, key=lambda r: (first_month[r["period"]], r["period"]))["value"]
            if ind["aspect"] in ("WAKTU", "BIAYA"):
                share = Decimal(1) if realised == 0 else min(Decimal(1), target / realised)
            else:
                share = min(Decimal(1), realised / target)
            out[(i, j)] = (plain_normal(realised), plain_normal(share.quantize(Q, rounding=ROUND_HALF_EVEN)))
    return out


def _first_month(period: str) -> int:
    tail = period[5:]
    return 3 * int(tail[1]) - 2 if tail.startswith("Q") else int(tail)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=ITEMS, steps=STEPS)
def test_progress_equals_a_recomputation_from_the_events(
    app: KinerjaLedger, first: list[dict[str, Any]], steps: list[Any]
) -> None:
    if not app._exists(Employee, NIP_SARI):
        seed_basic(app)
    nip = nip_for(next(_counter))
    app.register_employee(
        HR, nip=nip, name="Uji", agency="DINKES", position="Analis", grade="III/a", employment_type="PNS"
    )
    skp_id = app.plan_skp(HR, nip, year=2025, items=first, appraiser_nip=NIP_SARI).event_id
    for kind, arg in steps:
        try:
            if kind == "revise":
                app.revise_skp(HR, nip, skp_id, items=arg, appraiser_nip=NIP_SARI, reason="revisi")
            else:
                item, indicator, period, value = arg
                app.report_realisation(
                    HR, nip, skp_id, item=item, indicator=indicator, period=period, value=value
                )
        except LedgerError:
            pass  # refused (an item the plan lacks, an overlapping period): not part of the history
    ProjectionRunner(app, default_projections()).run_once()
    (plan,) = employee_progress(app, nip, 2025)["plans"]
    expected = recompute(app, nip)
    assert {
        (i["item"], j["indicator"]): (j["realised"], j["achieved"])
        for i in plan["items"]
        for j in i["indicators"]
    } == expected
    shares = [Decimal(a) for _, a in expected.values()]
    mean = (sum(shares, Decimal(0)) / len(shares)).quantize(Q, rounding=ROUND_HALF_EVEN)
    assert plan["share_achieved"] == plain_normal(mean)

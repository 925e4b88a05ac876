"""The demo city as a BKPSDM officer would check it: twenty years through the rule versions of
their day, read back from the ledger (events and aggregates) and the read models.

One demo (200 employees, the last 2 years in detail, seed 7, up to 2025) is loaded once for the
module; each test asserts one property HR would look at."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from api.cli import demo
from ledger.application import KinerjaLedger
from ledger.clock import WIB
from ledger.domain.employee import Employee
from ledger.nip import parse_nip
from ledger.rules.awards import ServiceBreak, ServiceRecord
from ledger.rules.retirement import RETIREMENT_RULES
from ledger.vocabulary import EmploymentType
from projections import queries
from projections.discipline.verdicts import verdict_register
from tests.conftest import make_settings
from tests.projection_support import catch_up

DEMO = {"employees": 200, "years": 2, "seed": 7, "last_year": 2025}
LAST = date(2025, 12, 31)

# Grades of each functional jenjang (PermenPANRB 1/2023 and the jabatan fungsional rules before it).
JENJANG = {
    "Ahli Pertama": ("III/a", "III/b"),
    "Ahli Muda": ("III/c", "III/d"),
    "Ahli Madya": ("IV/a", "IV/c"),
    "Ahli Utama": ("IV/d", "IV/e"),
    "Terampil": ("II/c", "II/d"),
    "Mahir": ("III/a", "III/b"),
    "Penyelia": ("III/c", "III/d"),
}
GRADES = [f"{g}/{r}" for g in ("I", "II", "III", "IV") for r in "abcd"] + ["IV/e"]
HEADS = ("Kepala Dinas", "Kepala Badan", "Kepala Satuan", "Kepala Pelaksana", "Camat ", "Sekretaris Daerah",
         "Sekretaris DPRD", "Inspektur ", "Direktur ")  # fmt: skip
RANK = {  # the five categories of each appraisal rule, best first
    "SANGAT_BAIK": 0, "BAIK": 1, "CUKUP": 2, "BUTUH_PERBAIKAN": 2, "KURANG": 3, "BURUK": 4, "SANGAT_KURANG": 4,
}  # fmt: skip


@dataclass
class City:
    app: KinerjaLedger
    plan: demo.Plan
    counts: dict[str, int]
    events: list[Any]  # every stored event, in log order
    employees: dict[str, Employee]


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[City]:
    tmp: Path = tmp_path_factory.mktemp("demo-history")
    clock = demo.SimulatedClock()
    app = KinerjaLedger(make_settings("sqlite", tmp, request), clock=clock)
    try:
        plan = demo.plan(**DEMO)
        counts = demo.run(app, plan, clock, seed=DEMO["seed"])
        catch_up(app)
        events = [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(0, 1_000_000)]
        employees = {p.nip: app.employee(p.nip) for p in plan.people}
        yield City(app, plan, counts, events, employees)
    finally:
        app.close()


def of(city: City, kind: type) -> list[Any]:
    return [e for e in city.events if isinstance(e, kind)]


# -------------------------------------------------------------------------------- appraisals


def test_most_appraisals_are_baik_a_few_sangat_baik_few_below(city: City) -> None:
    appraisals = [a for e in city.employees.values() for a in e.appraisals.values()]
    ranks = Counter(RANK[a["predikat"]] for a in appraisals)
    total = sum(ranks.values())
    assert total > 1500
    assert 0.78 <= ranks[1] / total <= 0.92, ranks
    assert 0.04 <= ranks[0] / total <= 0.14, ranks
    assert 0.02 <= (ranks[2] + ranks[3] + ranks[4]) / total <= 0.10, ranks


def test_appraisals_go_through_the_three_rule_versions_in_their_years(city: City) -> None:
    recorded = of(city, Employee.AppraisalRecorded) + of(city, Employee.LegacyAppraisalRecorded)
    by_version: dict[str, set[int]] = {}
    for e in recorded:
        by_version.setdefault(e.rule_version, set()).add(int(e.period[:4]))
    assert {v: (min(y), max(y)) for v, y in by_version.items()} == {
        "prestasi/2014.1": (2014, 2020),
        "kinerja/2021.1": (2021, 2021),
        "predikat/2022.1": (2022, 2025),
    }
    earliest = min(recorded, key=lambda e: e.period)
    assert (earliest.rule_version, earliest.period) == ("prestasi/2014.1", "2014")
    legacy = [e for e in recorded if isinstance(e, Employee.LegacyAppraisalRecorded)]
    assert all((e.nilai_perilaku is None) == (e.rule_version == "kinerja/2021.1") for e in legacy)
    assert {
        e.ide_baru for e in legacy if e.predikat == "SANGAT_BAIK" and e.rule_version == "kinerja/2021.1"
    } == {True}


def test_a_correction_after_an_accepted_objection_raises_the_predikat(city: City) -> None:
    first = {e.event_id: e.predikat for e in of(city, Employee.AppraisalRecorded)}
    corrections = of(city, Employee.AppraisalCorrected)
    assert len(corrections) == city.counts["correction"] >= 4
    for c in corrections:
        assert RANK[c.predikat] < RANK[first[c.appraisal_id]], (
            c.appraisal_id,
            first[c.appraisal_id],
            c.predikat,
        )
        assert c.reason.startswith("keberatan pegawai atas penilaian ")


# ---------------------------------------------------------------------- service and grades


def test_every_bup_retirement_is_at_the_bup_of_the_post_then_held(city: City) -> None:
    ends = [e for e in of(city, Employee.ServiceEnded) if e.reason == "PENSIUN_BUP"]
    assert len(ends) >= 20
    positions: dict[Any, str] = {}
    checked = 0
    for e in city.events:
        if isinstance(e, Employee.EmployeeRegistered | Employee.EmployeeTransferred):
            positions[e.originator_id] = e.position
        if isinstance(e, Employee.ServiceEnded) and e.reason == "PENSIUN_BUP":
            nip = next(p.nip for p in city.plan.people if Employee.create_id(p.nip) == e.originator_id)
            rule = RETIREMENT_RULES.in_force(e.ended_on)
            assert e.ended_on == rule.of(parse_nip(nip).birth_date, positions[e.originator_id]).pension_from
            assert e.ended_on >= rule.effective_from
            checked += 1
    assert checked == len(ends)
    ages = Counter(
        RETIREMENT_RULES.versions[0].of(parse_nip(n).birth_date, e.position).age
        for n, e in city.employees.items()
        if e.clock_state()["end"] and e.clock_state()["end"]["reason"] == "PENSIUN_BUP"
    )
    assert set(ages) == {58, 60}, ages


def test_nobody_is_left_past_the_bup(city: City) -> None:
    for day in (date(2020, 1, 1), date(2026, 1, 1), date(2027, 6, 30)):
        flagged = [
            n for n, e in city.employees.items() if any(f["flag"] == "PAST_BUP" for f in e.service_flags(day))
        ]
        assert flagged == [], day


def _grade_fits(position: str, grade: str) -> bool:
    for name, (low, high) in JENJANG.items():
        if position.endswith(name):
            return GRADES.index(low) <= GRADES.index(grade) <= GRADES.index(high)
    return GRADES.index("II/a") <= GRADES.index(grade) <= GRADES.index("IV/e")


def test_grades_fit_the_position_and_the_years_of_service(city: City) -> None:
    starts = {e.originator_id: e.service_start_date for e in of(city, Employee.EmployeeRegistered)}
    kinds = {e.originator_id: e.employment_type for e in of(city, Employee.EmployeeRegistered)}
    grades: dict[Any, tuple[str, date | None]] = {}  # the grade, and since when if known
    postings = promotions = 0
    for e in city.events:
        if not isinstance(e, Employee.EmployeeRegistered | Employee.EmployeeTransferred):
            continue
        if kinds[e.originator_id] == "PPPK":
            assert e.grade in ("V", "VII", "IX", "X"), e.grade
            continue
        postings += 1
        assert _grade_fits(e.position, e.grade), (e.position, e.grade)
        on = e.effective_date
        if isinstance(e, Employee.EmployeeRegistered) and e.recorded_at.date() > e.effective_date:
            on = e.recorded_at.astimezone(WIB).date()  # registered later: the grade held that day
        # No faster than one ruang every four years from the highest entry grade (III/b, a doctor).
        served = (on - starts[e.originator_id]).days // 365
        assert GRADES.index(e.grade) <= GRADES.index("III/b") + served // 4, (e.grade, served)
        if e.position.startswith(HEADS):
            assert e.grade.startswith("IV/"), (e.position, e.grade)
        # Kenaikan pangkat reguler: four years apart (1 April or 1 October, so at least 3.5).
        before = grades.get(e.originator_id)
        if before is not None and e.grade != before[0]:
            assert GRADES.index(e.grade) == GRADES.index(before[0]) + 1, (before, e.grade)
            if before[1] is not None:
                assert (on - before[1]).days >= 1278, (before, e.grade, on)
                promotions += 1
        if before is None:  # registered at the CPNS start, or later with a grade held since earlier
            grades[e.originator_id] = (e.grade, on if on == starts[e.originator_id] else None)
        elif e.grade != before[0]:
            grades[e.originator_id] = (e.grade, on)
    assert postings > 500 and promotions > 200


def test_every_agency_has_one_head_of_grade_iv_at_any_time(city: City) -> None:
    for day in (date(2006, 6, 1), date(2015, 6, 1), date(2025, 12, 31)):
        heads: Counter[str] = Counter()
        for person in city.plan.people:
            if not person.in_service(day) or day < person.registered_on:
                continue
            post = person.post_on(day)
            if post.position.startswith(HEADS):
                heads[post.agency] += 1
                assert post.grade.startswith("IV/")
        assert sorted(heads) == sorted(c for c, _, _ in demo.AGENCIES) and set(heads.values()) == {1}, day


def test_pppk_from_2019_a_cltn_and_a_suspension(city: City) -> None:
    registered = of(city, Employee.EmployeeRegistered)
    pppk = [e for e in registered if e.employment_type == "PPPK"]
    assert len(pppk) >= 10
    assert min(e.service_start_date for e in pppk) >= date(2019, 1, 1)
    assert city.counts["leave"] == city.counts["leave-end"] >= 1
    assert city.counts["suspension"] == city.counts["suspension-end"] >= 1
    assert min(e.service_start_date for e in registered) < date(1990, 1, 1)


# ----------------------------------------------------------------------------------- awards


def test_every_satyalancana_is_for_an_eligible_pns_with_the_years_decreed_in_august(city: City) -> None:
    slks = 0
    for e in city.employees.values():
        for award in e.awards.values():
            if not award["award_type"].startswith("SATYALANCANA"):
                continue
            slks += 1
            decree = date.fromisoformat(award["decree_date"])
            years = int(award["award_type"][-2:])
            assert e.employment_type == EmploymentType.PNS
            assert award["eligible"] is True, award["ineligibility"]
            assert e.service_record().counted_years(decree)[0] >= years
            assert (decree.month, 10 <= decree.day <= 17) == (8, True)
    counts = Counter(
        a["award_type"][-2:]
        for e in city.employees.values()
        for a in e.awards.values()
        if "SATYA" in a["award_type"]
    )
    assert slks == sum(counts.values()) and set(counts) == {"10", "20", "30"}, counts


def test_satyalancana_rates_follow_the_service_start(city: City) -> None:
    """Most PNS who reach 10, 20 or 30 years between 2010 and 2025 in service get the award that
    year; not all (not proposed, or barred by a sedang or berat penalty)."""
    reached = awarded = 0
    for person in city.plan.people:
        if person.employment_type != "PNS":
            continue
        e = city.employees[person.nip]
        record = ServiceRecord(
            person.tmt, breaks=tuple(ServiceBreak(b.kind, b.start, b.end) for b in person.breaks)
        )
        for years in (10, 20, 30):
            for year in range(2010, 2026):
                day = date(year, 8, 10)
                if record.counted_years(day)[0] >= years and person.in_service(day):
                    reached += 1
                    awarded += any(
                        a["award_type"].endswith(str(years)) and a["decree_date"].startswith(str(year))
                        for a in e.awards.values()
                    )
                    break
    assert reached > 150
    assert 0.65 <= awarded / reached <= 0.9, (awarded, reached)


# -------------------------------------------------------------------------------- sanctions


def test_sanctions_start_under_pp_53_2010_and_most_are_consistent(city: City) -> None:
    verdicts = verdict_register(city.app)
    assert len(verdicts) == city.counts["sanction"] >= 15
    earliest = verdicts[0]
    assert earliest["rule_versions"]["discipline"] == "disiplin/2010.1"
    assert earliest["decided_on"] >= "2010-06-06"
    versions = Counter(v["rule_versions"]["discipline"] for v in verdicts)
    assert set(versions) == {"disiplin/2010.1", "disiplin/2021.1"}
    consistent = sum(v["verdict"] == "CONSISTENT" for v in verdicts)
    assert 0.8 <= consistent / len(verdicts) < 1.0, [v["verdict"] for v in verdicts]
    for v in verdicts:
        version = v["rule_versions"]["discipline"]
        assert (v["decided_on"] < "2021-08-31") == (version == "disiplin/2010.1")


def test_sanctions_vary_in_violation_and_absence_follows_the_table(city: City) -> None:
    imposed = of(city, Employee.SanctionImposed)
    absence = [e for e in imposed if e.violations[0].get("absence_days") is not None]
    other = [e for e in imposed if e.violations[0].get("absence_days") is None]
    assert len(absence) >= 5 and len(other) >= 3
    assert len({e.penalty for e in imposed}) >= 5
    assert len({e.violations[0]["description"] for e in other}) >= 3


# --------------------------------------------------------------------------------- training


def test_most_pns_reach_20_jp_with_training_of_their_field(city: City) -> None:
    report = queries.training_compliance(city.app, 2025)
    assert report is not None
    compliant = sum(a["compliant"] for a in report["agencies"])
    rate = compliant / (compliant + sum(a["non_compliant"] for a in report["agencies"]))
    assert 0.7 <= rate <= 0.92, report
    health = [
        e
        for e in of(city, Employee.TrainingCompleted)
        if next(p for p in city.plan.people if Employee.create_id(p.nip) == e.originator_id).agency
        == "DINKES"
    ]
    assert health
    assert all(e.effective_date >= date(2020, 3, 31) for e in of(city, Employee.TrainingCompleted))
    assert sum("Kesehatan" in e.provider or "Kemenkes" in e.provider or "Bapelkes" in e.provider
               or "RSUP" in e.provider for e in health) / len(health) > 0.5  # fmt: skip


def test_nothing_is_dated_before_its_rule(city: City) -> None:
    firsts = {
        Employee.SanctionImposed: date(2010, 6, 6),
        Employee.AwardGranted: date(2010, 1, 1),
        Employee.TrainingCompleted: date(2020, 3, 31),
    }
    for kind, first in firsts.items():
        assert min(e.effective_date for e in of(city, kind)) >= first, kind


def test_the_same_seed_gives_the_same_history() -> None:
    a = demo.plan(**DEMO)
    b = demo.plan(**DEMO)
    assert [(s.at, s.label) for s in a.steps] == [(s.at, s.label) for s in b.steps]
    assert [(p.nip, p.posts, p.ended) for p in a.people] == [(p.nip, p.posts, p.ended) for p in b.people]


def test_agencies_give_baik_above_the_guidance_curve(city: City) -> None:
    """The organisation curve is guidance: most agencies rated BAIK give BAIK to more than 70%."""
    summaries = [queries.agency_summary(city.app, code, 2025) for code, _, _ in demo.AGENCIES]
    rated_baik = [s for s in summaries if s and s["predikat_organisasi"] == "BAIK" and s["appraised"] >= 3]
    above = [s for s in rated_baik if any(w.startswith("BAIK ") for w in s["curve_warnings"])]
    assert len(rated_baik) >= 3
    assert len(above) / len(rated_baik) >= 0.6, [(s["agency"], s["curve_warnings"]) for s in rated_baik]


pytestmark = pytest.mark.store

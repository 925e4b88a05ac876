"""Award eligibility (PP 35/2010 Pasal 22, Satyalancana Karya Satya; PP 94/2021 Pasal 41) at
every edge: years of service, the counted window for sedang/berat penalties, penalties in force.

Every value is written out independently of ledger/rules/awards.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from ledger.application import KinerjaLedger
from ledger.rules import AWARD_RULES, SanctionFact
from ledger.rules.awards import ServiceBreak, ServiceRecord
from ledger.vocabulary import AwardType, Level
from tests.factories import HR, NIP_BUDI, seed_basic

RULE = AWARD_RULES.in_force(date(2026, 1, 1))
SERVICE_START = date(2000, 3, 15)

SHORT_SERVICE = (
    "masa kerja {served} tahun, kurang dari {required} tahun (service {served} years, {required} required)"
)
BARRED = (
    "pernah dijatuhi hukuman disiplin sedang/berat dalam masa kerja yang dihitung "
    "(a sedang or berat penalty was imposed in the counted years)"
)
IN_FORCE = "sedang menjalani hukuman disiplin sedang/berat (a sedang or berat penalty is in force)"


def test_the_rule_in_force() -> None:
    assert RULE.version == "penghargaan/2010.1"
    assert RULE.effective_from == date(2010, 1, 1)
    assert RULE.legal_basis == "PP 35/2010 Pasal 22 (Satyalancana Karya Satya); PP 94/2021 Pasal 41"
    assert AWARD_RULES.find(date(2009, 12, 31)) is None


# PP 35/2010 Pasal 22: Satyalancana Karya Satya X, XX, XXX years of service; no sedang/berat
# penalty in those years; PP 94/2021 Pasal 41: no such award while such a penalty is in force.
def test_the_table_is_as_written() -> None:
    assert {k.value: v for k, v in RULE.service_years.items()} == {
        "SATYALANCANA_KARYA_SATYA_10": 10,
        "SATYALANCANA_KARYA_SATYA_20": 20,
        "SATYALANCANA_KARYA_SATYA_30": 30,
    }
    assert {lv.value for lv in RULE.barring_levels} == {"SEDANG", "BERAT"}
    assert {a.value for a in RULE.blocked_while_in_force} == {
        "SATYALANCANA_KARYA_SATYA_10",
        "SATYALANCANA_KARYA_SATYA_20",
        "SATYALANCANA_KARYA_SATYA_30",
        "KENAIKAN_PANGKAT_ISTIMEWA",
    }


def reasons(
    award: AwardType, decree: date, sanctions: Sequence[SanctionFact] = (), start: date = SERVICE_START
) -> list[tuple[str, tuple[str, ...]]]:
    return [(p.reason, p.event_ids) for p in RULE.assess(award, decree, start, sanctions)]


@pytest.mark.parametrize(
    ("award", "years"),
    [
        ("SATYALANCANA_KARYA_SATYA_10", 10),
        ("SATYALANCANA_KARYA_SATYA_20", 20),
        ("SATYALANCANA_KARYA_SATYA_30", 30),
    ],
)
def test_years_of_service_edge(award: str, years: int) -> None:
    anniversary = date(2000 + years, 3, 15)
    kind = AwardType(award)
    assert reasons(kind, anniversary) == []
    assert reasons(kind, date(2000 + years, 3, 16)) == []
    short = SHORT_SERVICE.format(served=years - 1, required=years)
    assert reasons(kind, date(2000 + years, 3, 14)) == [(short, ())]


def test_full_years_from_29_february() -> None:
    start = date(2012, 2, 29)
    kind = AwardType.SATYALANCANA_KARYA_SATYA_10
    assert reasons(kind, date(2022, 2, 28), start=start) == [
        (SHORT_SERVICE.format(served=9, required=10), ())
    ]
    assert reasons(kind, date(2022, 3, 1), start=start) == []


def fact(
    level: str, imposed: date, until: date | None = None, annulled: bool = False, sid: str = "s:1"
) -> SanctionFact:
    return SanctionFact(
        sanction_id=sid,
        level=Level(level),
        imposed_on=imposed,
        in_force_from=imposed,
        in_force_until=until if until is not None else imposed,
        annulled=annulled,
    )


# The counted window for a 10-year award decreed 2020-06-10 runs 2010-06-10 ..= 2020-06-10.
@pytest.mark.parametrize(
    ("imposed", "barred"),
    [
        (date(2010, 6, 9), False),
        (date(2010, 6, 10), True),
        (date(2010, 6, 11), True),
        (date(2020, 6, 9), True),
        (date(2020, 6, 10), True),
        (date(2020, 6, 11), False),
    ],
)
def test_the_counted_window_edges(imposed: date, barred: bool) -> None:
    # Already ended (until == imposed): only the window rule can bite.
    got = reasons(AwardType.SATYALANCANA_KARYA_SATYA_10, date(2020, 6, 10), [fact("SEDANG", imposed)])
    assert got == ([(BARRED, ("s:1",))] if barred else [])


def test_the_window_starts_on_28_february_for_a_decree_of_29_february() -> None:
    decree = date(2024, 2, 29)
    assert reasons(AwardType.SATYALANCANA_KARYA_SATYA_10, decree, [fact("BERAT", date(2014, 2, 27))]) == []
    assert reasons(AwardType.SATYALANCANA_KARYA_SATYA_10, decree, [fact("BERAT", date(2014, 2, 28))]) == [
        (BARRED, ("s:1",))
    ]


@pytest.mark.parametrize(("level", "barred"), [("RINGAN", False), ("SEDANG", True), ("BERAT", True)])
def test_which_levels_bar(level: str, barred: bool) -> None:
    got = reasons(AwardType.SATYALANCANA_KARYA_SATYA_20, date(2022, 1, 1), [fact(level, date(2015, 1, 1))])
    assert got == ([(BARRED, ("s:1",))] if barred else [])


def test_an_annulled_penalty_bars_nothing() -> None:
    annulled = fact("BERAT", date(2015, 1, 1), until=date(2030, 1, 1), annulled=True)
    assert reasons(AwardType.SATYALANCANA_KARYA_SATYA_20, date(2022, 1, 1), [annulled]) == []
    assert reasons(AwardType.KENAIKAN_PANGKAT_ISTIMEWA, date(2022, 1, 1), [annulled]) == []


# In force from in_force_from (inclusive) to in_force_until (exclusive).
@pytest.mark.parametrize(
    ("decree", "blocked"),
    [
        (date(2021, 12, 31), False),
        (date(2022, 1, 1), True),
        (date(2022, 6, 30), True),
        (date(2022, 7, 1), False),
    ],
)
def test_kenaikan_pangkat_istimewa_blocked_only_while_in_force(decree: date, blocked: bool) -> None:
    sanction = SanctionFact(
        "s:9", Level.SEDANG, date(2021, 12, 20), date(2022, 1, 1), date(2022, 7, 1), False
    )
    got = reasons(AwardType.KENAIKAN_PANGKAT_ISTIMEWA, decree, [sanction])
    assert got == ([(IN_FORCE, ("s:9",))] if blocked else [])


def test_a_permanent_penalty_is_in_force_for_ever() -> None:
    sanction = SanctionFact("s:9", Level.BERAT, date(2021, 1, 1), date(2021, 1, 1), None, False)
    assert reasons(AwardType.KENAIKAN_PANGKAT_ISTIMEWA, date(2040, 1, 1), [sanction]) == [
        (IN_FORCE, ("s:9",))
    ]


def test_a_satyalancana_lists_every_problem() -> None:
    in_force = SanctionFact("s:5", Level.SEDANG, date(2019, 1, 1), date(2019, 1, 1), date(2019, 7, 1), False)
    got = reasons(AwardType.SATYALANCANA_KARYA_SATYA_30, date(2019, 3, 1), [in_force])
    assert got == [
        (SHORT_SERVICE.format(served=18, required=30), ()),
        (BARRED, ("s:5",)),
        (IN_FORCE, ("s:5",)),
    ]


@pytest.mark.parametrize(
    "award",
    ["PRIORITAS_PENGEMBANGAN_KOMPETENSI", "PIAGAM_INOVASI", "SERTIFIKAT_PENGHARGAAN", "INSENTIF"],
)
def test_other_awards_have_no_condition(award: str) -> None:
    berat = SanctionFact("s:9", Level.BERAT, date(2021, 1, 1), date(2021, 1, 1), None, False)
    assert reasons(AwardType(award), date(2022, 1, 1), [berat], start=date(2021, 6, 1)) == []


def test_grant_award_records_the_ineligibility(app: KinerjaLedger) -> None:
    seed_basic(app)  # Budi's service starts with his TMT, 2010-01-01
    early = app.grant_award(
        HR,
        NIP_BUDI,
        award_type="SATYALANCANA_KARYA_SATYA_10",
        reason="Pengabdian",
        decree_number="KEPPRES 1/TK/2019",
        decree_date="2019-12-31",
    )
    assert (early.extra["eligible"], early.extra["ineligibility"]) == (
        False,
        [{"reason": SHORT_SERVICE.format(served=9, required=10), "event_ids": []}],
    )
    on_time = app.grant_award(
        HR,
        NIP_BUDI,
        award_type="SATYALANCANA_KARYA_SATYA_10",
        reason="Pengabdian",
        decree_number="KEPPRES 2/TK/2020",
        decree_date="2020-01-01",
    )
    assert (on_time.extra["eligible"], on_time.extra["ineligibility"]) == (True, [])
    stored = app.employee(NIP_BUDI).awards[early.event_id]
    assert (stored["eligible"], stored["rule_version"]) == (False, "penghargaan/2010.1")


# ------------------------------------------------------------- the day the years are reached


def _record(start: date, *breaks: tuple[date, date | None], ended_on: date | None = None) -> ServiceRecord:
    return ServiceRecord(
        start,
        breaks=tuple(ServiceBreak(f"p{i}", s, e) for i, (s, e) in enumerate(breaks)),
        ended_on=ended_on,
    )


@pytest.mark.parametrize(
    ("record", "years", "reached"),
    [
        (_record(date(2015, 1, 1)), 10, date(2025, 1, 1)),
        (_record(date(2015, 12, 31)), 10, date(2025, 12, 31)),
        # 29 February: full years are reached on 1 March of a common year, 29 February of a leap one.
        (_record(date(2000, 2, 29)), 10, date(2010, 3, 1)),
        (_record(date(2000, 2, 29)), 20, date(2020, 2, 29)),
        # 91 days of suspension, then a CLTN that starts after the first pushed day: both count.
        (_record(date(2005, 9, 1), (date(2010, 5, 3), date(2010, 8, 2))), 20, date(2025, 12, 1)),
        (
            _record(
                date(2005, 9, 1),
                (date(2010, 5, 3), date(2010, 8, 2)),
                (date(2025, 10, 1), date(2025, 10, 11)),
            ),
            20,
            date(2025, 12, 11),
        ),
        # a break after the day changes nothing; one that starts on the day pushes nothing either
        (_record(date(2015, 1, 1), (date(2025, 1, 1), date(2025, 6, 1))), 10, date(2025, 1, 1)),
        # a break that runs over the first day is counted whole
        (_record(date(2015, 1, 1), (date(2024, 12, 1), date(2025, 2, 1))), 10, date(2025, 3, 4)),
        # the service ends on the day (its first day out): the years are complete
        (_record(date(2015, 1, 1), ended_on=date(2025, 1, 1)), 10, date(2025, 1, 1)),
        (_record(date(2015, 1, 1), ended_on=date(2024, 12, 31)), 10, None),
        # an open CLTN before the day: not known yet; one after it does not matter
        (_record(date(2015, 1, 1), (date(2020, 1, 1), None)), 10, None),
        (_record(date(2015, 1, 1), (date(2025, 1, 1), None)), 10, date(2025, 1, 1)),
    ],
)
def test_the_day_counted_service_reaches_the_years(
    record: ServiceRecord, years: int, reached: date | None
) -> None:
    assert record.reaches(years) == reached
    if reached is not None:  # the day agrees with counted_years, and the day before does not
        assert record.counted_years(reached)[0] == years
        assert record.counted_years(date.fromordinal(reached.toordinal() - 1))[0] == years - 1

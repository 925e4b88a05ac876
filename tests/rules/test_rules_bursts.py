"""Bursts of surveys naming one officer (ledger.rules.bursts): more than 5 within 60 minutes,
both ends of the window included; a run of over-full windows is one burst named by its first
survey."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ledger.rules.bursts import BURST_RULES, Burst, BurstRule, bursts_by_rule, find_bursts

RULE = BURST_RULES.by_version("lonjakan-survei/2017.1")
T0 = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


def at(*minutes: float) -> list[tuple[str, datetime]]:
    return [(f"s{i}", T0 + timedelta(minutes=m)) for i, m in enumerate(minutes)]


def test_the_rule_as_data() -> None:
    assert (RULE.window, RULE.max_in_window, RULE.effective_from) == (
        timedelta(minutes=60),
        5,
        date(2017, 1, 1),
    )
    assert [r.version for r in BURST_RULES.versions] == ["lonjakan-survei/2017.1"]


def test_five_within_the_hour_is_no_burst_six_is() -> None:
    assert find_bursts(at(0, 1, 2, 3, 4), RULE) == []
    assert find_bursts(at(0, 1, 2, 3, 4, 5), RULE) == [
        Burst("s0", ("s0", "s1", "s2", "s3", "s4", "s5"), T0, T0 + timedelta(minutes=5))
    ]


@pytest.mark.parametrize(("last", "burst"), [(60, True), (60 + 1 / 60, False)])
def test_both_ends_of_the_window_count(last: float, burst: bool) -> None:
    found = find_bursts(at(0, 10, 20, 30, 40, last), RULE)
    assert [b.burst_id for b in found] == (["s0"] if burst else [])


def test_only_the_surveys_in_an_over_full_window_are_held() -> None:
    # Two quiet surveys in the morning, then six in ten minutes.
    found = find_bursts(at(0, 30, 200, 202, 204, 206, 208, 210), RULE)
    assert [(b.burst_id, b.event_ids) for b in found] == [("s2", ("s2", "s3", "s4", "s5", "s6", "s7"))]


def test_over_full_windows_more_than_an_hour_apart_are_two_bursts() -> None:
    found = find_bursts(at(*range(6), *range(200, 206)), RULE)
    assert [(b.burst_id, len(b.event_ids)) for b in found] == [("s0", 6), ("s6", 6)]


def test_a_steady_stream_above_the_rate_is_one_burst() -> None:
    found = find_bursts(at(*range(0, 300, 9)), RULE)  # one every 9 minutes for 5 hours
    assert [(b.burst_id, len(b.event_ids)) for b in found] == [("s0", 34)]


def test_order_and_ties_do_not_matter() -> None:
    surveys = at(0, 0, 0, 0, 0, 0)
    assert find_bursts(list(reversed(surveys)), RULE) == find_bursts(surveys, RULE)
    assert find_bursts(surveys, RULE)[0].event_ids == ("s0", "s1", "s2", "s3", "s4", "s5")


def test_surveys_before_any_rule_are_left_alone() -> None:
    old = [(f"o{i}", datetime(2016, 12, 31, 10, i, tzinfo=UTC)) for i in range(10)]
    assert bursts_by_rule(old) == []
    assert [b.burst_id for b in bursts_by_rule(old + at(*range(6)))] == ["s0"]


def test_a_stricter_rule() -> None:
    strict = BurstRule("x", "test", date(2017, 1, 1), timedelta(minutes=10), 2)
    assert [b.event_ids for b in find_bursts(at(0, 5, 9, 30), strict)] == [("s0", "s1", "s2")]

"""Hypothesis: any mix of valid and invalid commands keeps the stream replayable and contiguous."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import KinerjaLedger
from ledger.domain.agency import Agency
from ledger.domain.employee import Employee
from ledger.errors import LedgerError
from ledger.history import employee_events, employee_view, replay
from tests.conftest import FakeClock
from tests.factories import HR, nip_for

_counter = itertools.count(1)
RATING = st.sampled_from(["DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI", "BAGUS"])
PERIOD = st.sampled_from(
    ["2024", "2025", "2025-01..2025-03", "2025-02..2025-05", "2025-13", "2026-04..2026-01"]
)
DAY = st.sampled_from(["2024-02-29", "2025-03-10", "2025-02-30", "2030-01-01", "2019-12-31", "x"])
PENALTY = st.sampled_from(["TEGURAN_LISAN", "POTONGAN_TUKIN_9", "PEMBERHENTIAN", "HUKUMAN_MATI"])
LEVEL = st.sampled_from(["RINGAN", "SEDANG", "BERAT", "FATAL"])

# Each command: (name, kwargs); references to earlier records are indexes resolved at run time.
COMMANDS = st.one_of(
    st.tuples(st.just("appraise"), st.fixed_dictionaries({"period": PERIOD, "h": RATING, "p": RATING})),
    st.tuples(st.just("correct"), st.fixed_dictionaries({"i": st.integers(0, 3), "h": RATING})),
    st.tuples(
        st.just("train"),
        st.fixed_dictionaries({"jp": st.sampled_from([-1, 0, 2, 20, 1001, "12.5", "abc"]), "day": DAY}),
    ),
    st.tuples(
        st.just("feedback"),
        st.fixed_dictionaries(
            {"src": st.sampled_from(["PEER", "SUPERVISOR", "CITIZEN"]), "s": st.integers(0, 5)}
        ),
    ),
    st.tuples(
        st.just("award"),
        st.fixed_dictionaries(
            {"t": st.sampled_from(["PIAGAM_INOVASI", "SATYALANCANA_KARYA_SATYA_10", "X"]), "day": DAY}
        ),
    ),
    st.tuples(st.just("sanction"), st.fixed_dictionaries({"pen": PENALTY, "lvl": LEVEL, "day": DAY})),
    st.tuples(
        st.just("appeal"),
        st.fixed_dictionaries(
            {"i": st.integers(0, 2), "kind": st.sampled_from(["KEBERATAN", "BANDING", "X"])}
        ),
    ),
    st.tuples(
        st.just("decide"),
        st.fixed_dictionaries(
            {
                "i": st.integers(0, 2),
                "out": st.sampled_from(["UPHELD", "ANNULLED", "MODIFIED"]),
                "new": st.sampled_from([None, "TEGURAN_TERTULIS"]),
            }
        ),
    ),
    st.tuples(
        st.just("transfer"), st.fixed_dictionaries({"to": st.sampled_from(["DISDIK", "NOPE"]), "day": DAY})
    ),
    st.tuples(st.just("revoke_award"), st.fixed_dictionaries({"i": st.integers(0, 2)})),
    st.tuples(st.just("revoke_sanction"), st.fixed_dictionaries({"i": st.integers(0, 2)})),
)


def _pick(items: list[str], i: int) -> str:
    return items[i] if i < len(items) else "00000000-0000-0000-0000-000000000000:1"


def run(app: KinerjaLedger, nip: str, appraiser: str, name: str, a: dict[str, Any]) -> None:
    e = app.employee(nip)
    appraisals, awards, sanctions = list(e.appraisals), list(e.awards), list(e.sanctions)
    appeals = [(s, ap) for s in sanctions for ap in e.sanctions[s]["appeals"]]
    if name == "appraise":
        app.record_appraisal(
            HR, nip, period=a["period"], hasil_kerja=a["h"], perilaku_kerja=a["p"], appraiser_nip=appraiser
        )
    elif name == "correct":
        app.correct_appraisal(HR, nip, _pick(appraisals, a["i"]), hasil_kerja=a["h"], reason="koreksi")
    elif name == "train":
        app.record_training(
            HR, nip, title="Diklat", hours_jp=a["jp"], completed_on=a["day"], provider="BPSDM"
        )
    elif name == "feedback":
        app.record_feedback(HR, nip, source=a["src"], score=a["s"])
    elif name == "award":
        app.grant_award(HR, nip, award_type=a["t"], reason="r", decree_number="SK", decree_date=a["day"])
    elif name == "sanction":
        app.impose_sanction(
            HR, nip, violation={"description": "d", "level": a["lvl"]}, penalty=a["pen"], decided_by_role="PPK",
            decided_by_name="Wali Kota", decree_number="SK", decided_on=a["day"], bap_number="BAP-1",
        )  # fmt: skip
    elif name == "appeal":
        app.file_appeal(HR, nip, _pick(sanctions, a["i"]), kind=a["kind"], filed_on="2025-12-01")
    elif name == "decide":
        s, ap = appeals[a["i"]] if a["i"] < len(appeals) else ("x:1", "y:1")
        if s == "x:1":
            s = _pick(sanctions, 0)
        app.decide_appeal(
            HR,
            nip,
            s,
            ap,
            outcome=a["out"],
            decided_on="2026-01-15",
            decree_number="SK-B",
            new_penalty=a["new"],
        )
    elif name == "transfer":
        app.transfer_employee(HR, nip, agency=a["to"], position="Analis", effective_date=a["day"])
    elif name == "revoke_award":
        app.revoke_award(HR, nip, _pick(awards, a["i"]), reason="dicabut", decree_number="SK-C")
    elif name == "revoke_sanction":
        app.revoke_sanction(HR, nip, _pick(sanctions, a["i"]), reason="dicabut", decree_number="SK-D")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(commands=st.lists(COMMANDS, min_size=1, max_size=25))
def test_replay_reproduces_built_state(app: KinerjaLedger, clock: FakeClock, commands: list[Any]) -> None:
    n = next(_counter)
    nip, appraiser = nip_for(2 * n), nip_for(2 * n + 1)
    for code, name in (("DINKES", "Dinas Kesehatan"), ("DISDIK", "Dinas Pendidikan")):
        if not app._exists(Agency, code):
            app.register_agency(HR, code=code, name=name)
    for who in (nip, appraiser):
        app.register_employee(
            HR,
            nip=who,
            name="Pegawai",
            agency="DINKES",
            position="Staf",
            grade="III/a",
            employment_type="PNS",
        )

    built: dict[int, dict[str, Any]] = {}
    original_save = app.save

    def capturing_save(*objs: Any, **kwargs: Any) -> Any:
        recordings = original_save(*objs, **kwargs)
        for obj in objs:
            if isinstance(obj, Employee) and obj.nip == nip:
                built[obj.version] = employee_view(obj)  # the state the command built in memory
        return recordings

    app.save = capturing_save  # type: ignore[method-assign]
    built[1] = employee_view(app.employee(nip))
    stream_id = Employee.create_id(nip)
    try:
        for name, args in commands:
            clock.advance(minutes=7)
            before = app.stream(stream_id)
            try:
                run(app, nip, appraiser, name, args)
            except LedgerError:
                assert app.stream(stream_id) == before, f"refused {name} changed the stream"
    finally:
        app.save = original_save  # type: ignore[method-assign]

    stream = app.stream(stream_id)
    versions = [s.originator_version for s in stream]
    assert versions == list(range(1, len(versions) + 1))
    assert sorted(built) == versions
    final = employee_view(app.employee(nip))
    assert final == built[versions[-1]]
    replayed = replay(employee_events(app, nip))
    assert replayed is not None and employee_view(replayed) == final
    for version in versions:
        assert employee_view(app.employee(nip, version=version)) == built[version]


def test_property_exercises_both_outcomes(app: KinerjaLedger, clock: FakeClock) -> None:
    """Guards the property test's generator: one valid and one invalid command of each kind."""
    app.register_agency(HR, code="DINKES", name="Dinas Kesehatan")
    app.register_agency(HR, code="DISDIK", name="Dinas Pendidikan")
    nip, appraiser = nip_for(900), nip_for(901)
    for who in (nip, appraiser):
        app.register_employee(
            HR, nip=who, name="P", agency="DINKES", position="S", grade="III/a", employment_type="PNS"
        )
    ok = [
        ("appraise", {"period": "2025", "h": "SESUAI_EKSPEKTASI", "p": "SESUAI_EKSPEKTASI"}),
        ("train", {"jp": 20, "day": "2025-03-10"}),
        ("sanction", {"pen": "POTONGAN_TUKIN_9", "lvl": "SEDANG", "day": "2025-03-10"}),
        ("appeal", {"i": 0, "kind": "KEBERATAN"}),
        ("decide", {"i": 0, "out": "MODIFIED", "new": "TEGURAN_TERTULIS"}),
    ]
    bad = [
        ("appraise", {"period": "2025-13", "h": "SESUAI_EKSPEKTASI", "p": "SESUAI_EKSPEKTASI"}),
        ("train", {"jp": "abc", "day": "2025-03-10"}),
        ("sanction", {"pen": "HUKUMAN_MATI", "lvl": "SEDANG", "day": "2025-03-10"}),
    ]
    for name, args in ok:
        run(app, nip, appraiser, name, args)
    for name, args in bad:
        try:
            run(app, nip, appraiser, name, args)
        except LedgerError:
            continue
        raise AssertionError(f"{name} {args} should have been refused")
    assert app.employee(nip).version == 1 + len(ok)

"""The Satyalancana Karya Satya register (projection ``satyalancana``, GET
/v1/registers/satyalancana, ``ledger registers satyalancana``): who reaches 10, 20 or 30 years of
counted service in a year, on which day, eligible or not and why, already granted or not."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import KinerjaLedger
from projections import queries
from projections.satyalancana import SatyalancanaProjection
from tests.api_support import make_api
from tests.factories import HR, seed_agency
from tests.projection_support import catch_up, snapshot

SEDANG_REASON = (
    "pernah dijatuhi hukuman disiplin sedang/berat dalam masa kerja yang dihitung "
    "(a sedang or berat penalty was imposed in the counted years)"
)
DECREE = {"decree_number": "800/SK/BKPSDM"}


def nip(tmt: str, serial: int, born: str = "19750101", sex: int = 1) -> str:
    """A NIP whose TMT month is `tmt` (YYYYMM)."""
    return f"{born}{tmt}{sex}{serial:03d}"


def register(
    app: KinerjaLedger,
    number: str,
    start: str,
    name: str,
    agency: str = "DINKES",
    employment_type: str = "PNS",
) -> None:
    app.register_employee(
        HR,
        nip=number,
        name=name,
        agency=agency,
        position="Pengadministrasi Umum",
        grade="III/a",
        employment_type=employment_type,
        service_start_date=start,
    )


def sanction(app: KinerjaLedger, number: str, penalty: str, level: str, decided_on: str) -> str:
    return app.impose_sanction(
        HR,
        number,
        violation={"description": "Tidak masuk kerja tanpa alasan yang sah", "level": level},
        penalty=penalty,
        decided_by_role="PPK",
        decided_by_name="Wali Kota",
        decree_number=f"862/{number[-3:]}/{decided_on[:4]}",
        decided_on=decided_on,
        summoned_on=[],
        evidence=[],
    ).event_id


# The hand-built city: NIPs by name.
N = {
    "first_day": nip("201501", 1),  # 10 years on 2025-01-01
    "day_before": nip("201412", 2),  # 2014-12-31: 10 years on 2024-12-31 (the year before)
    "last_day": nip("201512", 3),  # 2015-12-31: 10 years on 2025-12-31
    "day_after": nip("201601", 4),  # 2016-01-01: 10 years on 2026-01-01 (the year after)
    "twenty": nip("200503", 5, born="19800101"),  # 20 years on 2025-03-01
    "thirty": nip("199507", 6, born="19700101"),  # 30 years on 2025-07-01, retires 2025-08-01
    "cltn": nip("201503", 7),  # 10 years pushed past 2025 by 334 days of CLTN
    "suspended": nip("200509", 8),  # 20 years pushed to 2025-12-01 by 91 days of suspension
    "sedang": nip("200502", 9),  # a PP 53/2010 sedang penalty in 2012: ineligible
    "revoked": nip("200504", 10),  # a PP 94/2021 sedang penalty, revoked before: eligible; moved
    "modified": nip("200506", 11),  # sedang lowered to ringan on keberatan: eligible
    "pppk": nip("201501", 12),  # PPPK: never listed
    "left": nip("200505", 13),  # resigned 2025-05-01 before 20 years (2025-05-01 + 0: not reached)
    "on_cltn": nip("201502", 14),  # a CLTN still open: the day is not known
    "disdik": nip("201504", 15),  # at DINKES, moved to DISDIK in 2020: 10 years on 2025-04-01
}


def seed_city(app: KinerjaLedger) -> dict[str, str]:
    """Each history of the module docstring; returns the ids the rows cite."""
    seed_agency(app)
    seed_agency(app, "DISDIK", "Dinas Pendidikan")
    ids: dict[str, str] = {}
    register(app, N["first_day"], "2015-01-01", "Ani Lestari")
    ids["granted"] = app.grant_award(
        HR,
        N["first_day"],
        award_type="SATYALANCANA_KARYA_SATYA_10",
        reason="Masa kerja 10 tahun",
        decree_date="2025-08-17",
        **DECREE,
    ).event_id
    register(app, N["day_before"], "2014-12-31", "Bayu Pratama")
    register(app, N["last_day"], "2015-12-31", "Citra Maharani")
    register(app, N["day_after"], "2016-01-01", "Dedi Kurniawan")
    register(app, N["twenty"], "2005-03-01", "Eka Saputra")
    # granted, then revoked: not granted
    revoked_award = app.grant_award(
        HR,
        N["twenty"],
        award_type="SATYALANCANA_KARYA_SATYA_20",
        reason="Masa kerja 20 tahun",
        decree_date="2025-08-17",
        **DECREE,
    ).event_id
    app.revoke_award(
        HR,
        N["twenty"],
        revoked_award,
        reason="Salah orang",
        decree_number="800/R/2025",
        decree_date="2025-09-01",
    )
    register(app, N["thirty"], "1995-07-01", "Fajar Siregar")
    ids["thirty_end"] = app.end_service(
        HR, N["thirty"], reason="PENSIUN_BUP", ended_on="2025-08-01", decree_date="2025-06-01", **DECREE
    ).event_id
    register(app, N["cltn"], "2015-03-01", "Gita Nasution")
    ids["cltn"] = app.start_leave(
        HR,
        N["cltn"],
        leave_type="CLTN",
        started_on="2018-01-01",
        reason="Mengikuti suami tugas belajar",
        decree_date="2017-12-01",
        **DECREE,
    ).event_id
    app.end_leave(HR, N["cltn"], ids["cltn"], ended_on="2018-12-01", decree_date="2018-11-20", **DECREE)
    register(app, N["suspended"], "2005-09-01", "Hendra Lubis")
    ids["suspension"] = app.suspend_employee(
        HR, N["suspended"], started_on="2010-05-03", reason="Ditahan", decree_date="2010-05-03", **DECREE
    ).event_id
    app.end_suspension(
        HR, N["suspended"], ids["suspension"], ended_on="2010-08-02", decree_date="2010-08-02", **DECREE
    )
    register(app, N["sedang"], "2005-02-01", "Indah Permata")
    ids["sedang"] = sanction(app, N["sedang"], "PENUNDAAN_KGB_1_TAHUN", "SEDANG", "2012-04-10")
    register(app, N["revoked"], "2005-04-01", "Joko Harahap")
    ids["revoked"] = sanction(app, N["revoked"], "POTONGAN_TUKIN_6", "SEDANG", "2022-05-10")
    app.revoke_sanction(
        HR, N["revoked"], ids["revoked"], reason="Keliru", decree_number="862/R/2023", decided_on="2023-01-10"
    )
    # Moved to DISDIK after his 10 years: the 2015 row says DINKES, the 2025 row DISDIK.
    app.transfer_employee(HR, N["revoked"], agency="DISDIK", position="Guru", effective_date="2016-01-04")
    register(app, N["modified"], "2005-06-01", "Kartika Sari")
    ids["modified"] = sanction(app, N["modified"], "PENUNDAAN_PANGKAT_1_TAHUN", "SEDANG", "2019-07-15")
    appeal = app.file_appeal(HR, N["modified"], ids["modified"], kind="KEBERATAN", filed_on="2019-07-25")
    app.decide_appeal(
        HR,
        N["modified"],
        ids["modified"],
        appeal.event_id,
        outcome="MODIFIED",
        decided_on="2019-09-01",
        decree_number="KEB/1/2019",
        new_penalty="TEGURAN_TERTULIS",
    )
    register(app, N["pppk"], "2015-01-01", "Lina PPPK", employment_type="PPPK")
    register(app, N["left"], "2005-05-01", "Made Wirawan")
    app.end_service(
        HR, N["left"], reason="MENGUNDURKAN_DIRI", ended_on="2025-04-30", decree_date="2025-04-01", **DECREE
    )
    register(app, N["on_cltn"], "2015-02-01", "Nanda Putri")
    app.start_leave(
        HR,
        N["on_cltn"],
        leave_type="CLTN",
        started_on="2024-01-01",
        reason="Ikut suami",
        decree_date="2023-12-01",
        **DECREE,
    )
    register(app, N["disdik"], "2015-04-01", "Oki Simanjuntak")
    app.transfer_employee(
        HR, N["disdik"], agency="DISDIK", position="Guru Ahli Pertama", effective_date="2020-01-02"
    )
    for name in ("twenty", "suspended", "sedang", "revoked", "modified", "day_after", "thirty"):
        ids[name + "_reg"] = app.employee(N[name]).registered_event_id
    return ids


def item(
    key: str,
    name: str,
    start: str,
    years: int,
    reached_on: str,
    *,
    agency: str = "DINKES",
    eligible: bool = True,
    ineligibility: list[dict[str, Any]] | None = None,
    days: int = 0,
    not_counted: list[str] | None = None,
    ended: str | None = None,
    award: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "nip": N[key],
        "name": name,
        "agency": agency,
        "employment_type": "PNS",
        "service_start_date": start,
        "years": years,
        "award_type": f"SATYALANCANA_KARYA_SATYA_{years}",
        "reached_on": reached_on,
        "days_not_counted": days,
        "not_counted_ids": not_counted or [],
        "service_ended_on": ended,
        "eligible": eligible,
        "ineligibility": ineligibility or [],
        "rule_version": "penghargaan/2010.1",
        "granted": award is not None,
        "award": award,
    }


def expected_2025(ids: dict[str, str]) -> list[dict[str, Any]]:
    return [
        item(
            "first_day",
            "Ani Lestari",
            "2015-01-01",
            10,
            "2025-01-01",
            award={"award_id": ids["granted"], "decree_date": "2025-08-17", "eligible": True},
        ),
        item(
            "sedang",
            "Indah Permata",
            "2005-02-01",
            20,
            "2025-02-01",
            eligible=False,
            ineligibility=[{"reason": SEDANG_REASON, "event_ids": [ids["sedang"]]}],
        ),
        item("twenty", "Eka Saputra", "2005-03-01", 20, "2025-03-01"),
        item("revoked", "Joko Harahap", "2005-04-01", 20, "2025-04-01", agency="DISDIK"),
        item("disdik", "Oki Simanjuntak", "2015-04-01", 10, "2025-04-01", agency="DISDIK"),
        item("modified", "Kartika Sari", "2005-06-01", 20, "2025-06-01"),
        item("thirty", "Fajar Siregar", "1995-07-01", 30, "2025-07-01", ended="2025-08-01"),
        item(
            "suspended",
            "Hendra Lubis",
            "2005-09-01",
            20,
            "2025-12-01",
            days=91,
            not_counted=[ids["suspension"]],
        ),
        item("last_day", "Citra Maharani", "2015-12-31", 10, "2025-12-31"),
    ]


@pytest.fixture
def city(app: KinerjaLedger) -> dict[str, str]:
    ids = seed_city(app)
    catch_up(app)
    return ids


def test_the_2025_register_row_by_row(app: KinerjaLedger, city: dict[str, str]) -> None:
    register_2025 = queries.satyalancana_register(app, 2025)
    assert register_2025["total"] == 9
    assert register_2025["items"] == expected_2025(city)


def _rows(app: KinerjaLedger, year: int, **kw: Any) -> list[tuple[str, int, str, bool, int]]:
    found = queries.satyalancana_register(app, year, **kw)
    return [
        (i["name"], i["years"], i["reached_on"], i["eligible"], i["days_not_counted"]) for i in found["items"]
    ]


def test_the_edges_of_the_year_and_a_cltn_that_pushes_the_day_into_the_next(
    app: KinerjaLedger, city: dict[str, str]
) -> None:
    assert _rows(app, 2024) == [("Bayu Pratama", 10, "2024-12-31", True, 0)]
    assert _rows(app, 2026) == [
        ("Dedi Kurniawan", 10, "2026-01-01", True, 0),
        ("Gita Nasution", 10, "2026-01-29", True, 334),
    ]
    (gita,) = [i for i in queries.satyalancana_register(app, 2026)["items"] if i["days_not_counted"]]
    assert gita["not_counted_ids"] == [city["cltn"]]


def test_the_first_counts_of_years_and_the_sanctions_that_bar_them(
    app: KinerjaLedger, city: dict[str, str]
) -> None:
    """2015: the 10 years of those who started in 2005 and the 20 of the 1995 start; the sedang
    penalty of 2012 falls in the counted years of both its holder's 10 and 20."""
    assert _rows(app, 2015) == [
        ("Indah Permata", 10, "2015-02-01", False, 0),
        ("Eka Saputra", 10, "2015-03-01", True, 0),
        ("Joko Harahap", 10, "2015-04-01", True, 0),
        ("Made Wirawan", 10, "2015-05-01", True, 0),
        ("Kartika Sari", 10, "2015-06-01", True, 0),
        ("Fajar Siregar", 20, "2015-07-01", True, 0),
        ("Hendra Lubis", 10, "2015-12-01", True, 91),
    ]
    # Before the first award rule (2010) nothing is judged: no rows for 2005.
    assert _rows(app, 2005) == []


def test_agency_filter_and_pages(app: KinerjaLedger, city: dict[str, str]) -> None:
    assert _rows(app, 2025, agency="DISDIK") == [
        ("Joko Harahap", 20, "2025-04-01", True, 0),
        ("Oki Simanjuntak", 10, "2025-04-01", True, 0),
    ]
    assert [i["agency"] for i in queries.satyalancana_register(app, 2015)["items"]] == ["DINKES"] * 7
    first = queries.satyalancana_register(app, 2025, limit=2)
    second = queries.satyalancana_register(app, 2025, limit=2, after=first["next_key"])
    assert first["next_key"] == (
        first["items"][1]["reached_on"],
        first["items"][1]["nip"],
        first["items"][1]["years"],
    )
    assert (second["total"], [i["name"] for i in second["items"]]) == (9, ["Eka Saputra", "Joko Harahap"])
    everyone = queries.satyalancana_register(app, 2025, limit=9)
    assert everyone["next_key"] is None
    assert [i["nip"] for i in everyone["items"][2:4]] == [i["nip"] for i in second["items"]]
    assert queries.satyalancana_register(app, 2025, agency="BKPSDM")["items"] == []


def test_pppk_are_never_listed(app: KinerjaLedger, city: dict[str, str]) -> None:
    listed = {
        i["nip"]
        for year in range(2010, 2056)
        for i in queries.satyalancana_register(app, year, limit=1000)["items"]
    }
    assert N["pppk"] not in listed
    assert N["on_cltn"] not in listed  # the open CLTN: no day yet
    assert N["left"] in listed  # his 10 years of 2015, not his 20


def test_a_rebuild_gives_the_same_rows_as_the_incremental_run(app: KinerjaLedger) -> None:
    """Event by event (a batch each) or all at once from position 0: the same rows."""
    seed_city(app)
    runner = catch_up(app, batch_size=1, projections=[SatyalancanaProjection()])
    before = snapshot(app, [SatyalancanaProjection()])
    years = [dict(r)["year"] for r in before["rm_satyalancana_candidates"]]
    # The years ahead are there too (2035: the 20 and 30 years of those reaching 10 and 20 now).
    assert {y: years.count(y) for y in sorted(set(years))} == {
        2015: 7,
        2024: 1,
        2025: 9,
        2026: 2,
        2034: 1,
        2035: 8,
        2036: 2,
        2044: 1,
        2045: 3,
        2046: 2,
    }
    report = runner.rebuild("satyalancana")
    assert (report.new_generation, report.differing_rows) == (2, 0)
    assert snapshot(app, [SatyalancanaProjection()]) == before


# ---------------------------------------------------------------- HTTP and the command line


def test_the_route_answers_the_register_to_staff_readers_only(
    app: KinerjaLedger, city: dict[str, str]
) -> None:
    api = make_api(app)
    api.catch_up()
    path = "/v1/registers/satyalancana"
    answer = api.get(path, year=2025)
    assert answer.status_code == 200
    assert answer.json() == {
        "year": 2025,
        "agency": None,
        "note": queries.SATYALANCANA_NOTE,
        "total": 9,
        "items": expected_2025(city),
        "next": None,
    }
    first = api.get(path, role="auditor", year=2025, agency="DINKES", limit=1).json()
    page = api.get(path, role="auditor", year=2025, agency="DINKES", limit=1, after=first["next"]).json()
    assert (page["total"], [i["nip"] for i in page["items"]]) == (7, [N["sedang"]])
    # A cursor belongs to its list and filters: the DINKES cursor is refused city-wide.
    refused = api.get(path, role="auditor", year=2025, limit=1, after=first["next"])
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "after")
    assert api.get(path, role="inspector", year=2025).status_code == 200
    assert api.client.get(path, params={"year": 2025}).status_code == 401
    for role in ("employee", "appraiser"):
        refused = api.get(path, role=role, year=2025)
        assert (refused.status_code, refused.json()["title"]) == (403, "Forbidden")
    missing = api.get(path)
    assert (missing.status_code, [e["field"] for e in missing.json()["errors"]]) == (422, ["year"])
    # Each read goes to the access log of every employee it lists.
    log = api.get(f"/v1/employees/{N['sedang']}/access-log", role="auditor").json()
    assert [(e["reader_role"], e["route"]) for e in log["entries"]] == [
        ("hr", "/v1/registers/satyalancana"),
        ("auditor", "/v1/registers/satyalancana"),
        ("inspector", "/v1/registers/satyalancana"),
    ]


def ledger_cli(app: KinerjaLedger, *args: str) -> Result:
    env = {
        "LEDGER_DATABASE_URL": app.settings.database_url,
        "LEDGER_DATA_DIR": str(app.settings.data_dir),
        "COLUMNS": "200",
    }
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exception is None or type(result.exception) is SystemExit, repr(result.exception)
    return result


def test_the_cli_brings_the_register_up_to_date_and_prints_it(app: KinerjaLedger) -> None:
    ids = seed_city(app)  # no catch-up: the command does it
    as_json = ledger_cli(app, "registers", "satyalancana", "--year", "2025", "--json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["items"] == expected_2025(ids)
    as_csv = ledger_cli(app, "registers", "satyalancana", "--year", "2025", "--agency", "DINKES", "--csv")
    assert as_csv.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["nip"] for r in rows] == [i["nip"] for i in expected_2025(ids) if i["agency"] == "DINKES"]
    assert rows[1] == {
        "nip": N["sedang"],
        "name": "Indah Permata",
        "agency": "DINKES",
        "employment_type": "PNS",
        "service_start_date": "2005-02-01",
        "years": "20",
        "reached_on": "2025-02-01",
        "days_not_counted": "0",
        "service_ended_on": "",
        "eligible": "false",
        "reasons": SEDANG_REASON,
        "event_ids": ids["sedang"],
        "granted": "false",
        "award_id": "",
        "award_decree_date": "",
    }
    assert rows[0]["granted"] == "true" and rows[0]["award_id"] == ids["granted"]
    table = ledger_cli(app, "registers", "satyalancana", "--year", "2026")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].strip() == "Satyalancana Karya Satya 2026 (2)"
    body = [line.replace(" ", "") for line in lines if line.startswith("│")]
    assert body == [
        f"│{N['day_after']}│DediKurniawan│DINKES│2016-01-01│10│2026-01-01│-│yes│-│",
        f"│{N['cltn']}│GitaNasution│DINKES│2015-03-01│10│2026-01-29│334d│yes│-│",
    ]
    sedang = ledger_cli(app, "registers", "satyalancana", "--year", "2025", "--agency", "DINKES")
    assert sedang.stdout.splitlines()[-1] == f"{N['sedang']} (20): {SEDANG_REASON} [{ids['sedang']}]"


def test_the_cli_refuses_bad_options(app: KinerjaLedger) -> None:
    both = ledger_cli(app, "registers", "satyalancana", "--year", "2025", "--json", "--csv")
    assert both.exit_code == 2
    assert "give --json or --csv, not both" in both.stderr
    bad = ledger_cli(app, "registers", "satyalancana", "--year", "2025", "--agency", "dinkes kota")
    assert bad.exit_code == 2
    assert "must be an agency code, e.g. DINKES" in bad.stderr
    assert ledger_cli(app, "registers", "satyalancana").exit_code == 2  # --year is required

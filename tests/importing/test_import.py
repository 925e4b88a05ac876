"""`ledger import`: NDJSON history through the same commands as HTTP, a dry run that writes
nothing, a resumable real run (by source_ref) that never half-writes a fact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import KinerjaLedger
from ledger.errors import FieldError
from ledger.importing import KINDS, LINE_MAX, ImportReport, LineError, import_file, read_facts
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_agency, seed_employee

EMPLOYEE = {
    "kind": "employee",
    "nip": NIP_BUDI,
    "name": "Budi Santoso",
    "agency": "DINKES",
    "position": "Perawat Ahli Pertama",
    "grade": "III/b",
    "employment_type": "PNS",
}
SANCTION = {
    "kind": "sanction",
    "nip": NIP_BUDI,
    "violation": {"description": "tidak masuk kerja", "level": "RINGAN", "absence_days": 3},
    "penalty": "TEGURAN_LISAN",
    "decided_by_role": "ATASAN_LANGSUNG",
    "decided_by_name": "Sari",
    "decree_number": "800/12/2024",
    "decided_on": "2024-03-01",
}
TRAINING = {
    "kind": "training",
    "nip": NIP_BUDI,
    "title": "Pelatihan Dasar",
    "hours_jp": 20,
    "completed_on": "2024-05-02",
    "provider": "BPSDM Sumut",
}


def line(source_ref: str, fact: dict[str, Any], **changes: Any) -> str:
    return json.dumps({**fact, "source_ref": source_ref, **changes})


def history() -> list[str]:
    return [
        line("opd-1", {"kind": "agency", "code": "DINKES", "name": "Dinas Kesehatan"}),
        line("peg-1", EMPLOYEE),
        line("hukdis-1", SANCTION),
        line(
            "keb-1",
            {
                "kind": "appeal",
                "nip": NIP_BUDI,
                "sanction_ref": "hukdis-1",
                "appeal_kind": "KEBERATAN",
                "filed_on": "2024-03-08",
            },
        ),
        line("diklat-1", TRAINING),
    ]


def write(tmp_path: Path, lines: list[str], name: str = "history.ndjson") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def head(app: KinerjaLedger) -> int:
    return int(app.recorder.max_notification_id() or 0)


def errors_of(report: ImportReport) -> list[tuple[int, str | None, str]]:
    return [(e.line, e.source_ref, e.detail) for e in report.refused]


def test_a_real_run_imports_every_line_and_a_re_run_is_a_no_op(app: KinerjaLedger, tmp_path: Path) -> None:
    path = write(tmp_path, history())
    report = import_file(app, path)
    assert report.as_dict() == {
        "dry_run": False,
        "lines": 5,
        "imported": 5,
        "already_imported": 0,
        "refused": 0,
        "by_kind": {"agency": 1, "appeal": 1, "employee": 1, "sanction": 1, "training": 1},
        "errors": [],
    }
    employee = app.employee(NIP_BUDI)
    (sanction,) = employee.sanctions.values()
    assert [a["kind"] for a in sanction["appeals"].values()] == ["KEBERATAN"]
    written = head(app)
    again = import_file(app, path)
    assert (again.imported, again.already, again.refused) == (0, 5, [])
    assert head(app) == written


def test_the_fact_keeps_its_own_date_and_the_import_time(app: KinerjaLedger, tmp_path: Path) -> None:
    import_file(app, write(tmp_path, history()))
    event = app.stream(app.employee(NIP_BUDI).id)[-1]
    assert event.topic == "ledger.domain.employee:Employee.TrainingCompleted"
    state = json.loads(event.state)
    assert state["effective_date"] == {"_type_": "date_iso", "_data_": "2024-05-02"}
    assert state["recorded_at"] == {"_type_": "datetime_iso", "_data_": app.clock().isoformat()}
    assert state["recorded_by"] == {"sub": "import", "role": "hr"}


def test_a_dry_run_reports_every_error_with_its_line_and_writes_nothing(
    app: KinerjaLedger, tmp_path: Path
) -> None:
    lines = [
        *history(),
        line("diklat-2", TRAINING, title=" ", hours_jp="x", completed_on="2024-13-01"),
        "not json",
        line("hukdis-2", SANCTION, nip="199001012015011999"),
        line(
            "keb-2",
            {
                "kind": "appeal",
                "nip": NIP_BUDI,
                "sanction_ref": "nope",
                "appeal_kind": "KEBERATAN",
                "filed_on": "2024-03-08",
            },
        ),
        "",
        line("peg-1b", EMPLOYEE),  # the NIP of line 2
    ]
    before = head(app)
    report = import_file(app, write(tmp_path, lines), dry_run=True)
    assert errors_of(report) == [
        (
            6,
            "diklat-2",
            "title: required; hours_jp: must be a number; completed_on: impossible date: month must be in 1..12",
        ),
        (7, None, "not a JSON object: Expecting value: line 1 column 1 (char 0)"),
        (8, "hukdis-2", "unknown employee NIP 199001012015011999"),
        (9, "keb-2", "sanction_ref: no earlier line or earlier import has this source_ref"),
        (11, "peg-1b", "this NIP is already registered"),
    ]
    assert report.refused[0].errors == (
        FieldError("title", "required"),
        FieldError("hours_jp", "must be a number"),
        FieldError("completed_on", "impossible date: month must be in 1..12"),
    )
    assert (report.lines, report.imported, report.already) == (10, 5, 0)
    assert head(app) == before
    assert app.ledger_recorder.find_idempotency("import:peg-1") is None


def test_a_dry_run_judges_against_what_the_ledger_already_holds(app: KinerjaLedger, tmp_path: Path) -> None:
    seed_agency(app)
    seed_employee(app)  # Budi, registered through the ordinary command
    before = head(app)
    report = import_file(app, write(tmp_path, history()[1:]), dry_run=True)
    assert errors_of(report) == [(1, "peg-1", "this NIP is already registered")]
    assert (report.imported, report.already) == (3, 0)  # his sanction, appeal and training
    assert head(app) == before


def test_a_dry_run_after_an_import_counts_it_as_in(app: KinerjaLedger, tmp_path: Path) -> None:
    path = write(tmp_path, history())
    import_file(app, write(tmp_path, history()[:3], "first.ndjson"))
    report = import_file(app, path, dry_run=True)
    assert (report.imported, report.already, report.refused) == (2, 3, [])


def test_a_later_file_refers_to_a_fact_of_an_earlier_import(app: KinerjaLedger, tmp_path: Path) -> None:
    import_file(app, write(tmp_path, history()[:3], "first.ndjson"))
    later = write(tmp_path, [history()[3]], "later.ndjson")
    assert import_file(app, later, dry_run=True).imported == 1
    report = import_file(app, later)
    assert (report.imported, report.refused) == (1, [])
    (sanction,) = app.employee(NIP_BUDI).sanctions.values()
    assert len(sanction["appeals"]) == 1


def test_a_changed_line_under_a_known_source_ref_is_refused(app: KinerjaLedger, tmp_path: Path) -> None:
    import_file(app, write(tmp_path, history()))
    changed = write(tmp_path, [line("diklat-1", TRAINING, hours_jp=32)], "changed.ndjson")
    before = head(app)
    for dry_run in (True, False):
        report = import_file(app, changed, dry_run=dry_run)
        assert [(e.line, e.detail) for e in report.refused] == [
            (
                1,
                "this source_ref was already imported with different content"
                if dry_run
                else "this Idempotency-Key was already used for a different request",
            )
        ]
    assert head(app) == before


def test_a_refused_line_writes_nothing_and_later_lines_go_on(app: KinerjaLedger, tmp_path: Path) -> None:
    seed_agency(app)
    seed_employee(app)
    seed_employee(app, NIP_SARI, name="Sari")
    before = head(app)
    lines = [
        # A sanction that takes effect before it is decided: refused whole.
        line("hukdis-x", SANCTION, effective_date="2024-02-01"),
        line("diklat-1", TRAINING),
    ]
    report = import_file(app, write(tmp_path, lines))
    assert errors_of(report) == [
        (1, "hukdis-x", "effective_date: a penalty cannot take effect before it is decided")
    ]
    assert report.imported == 1
    assert head(app) == before + 1
    assert app.employee(NIP_BUDI).sanctions == {}


@pytest.mark.parametrize(
    ("raw", "detail", "errors"),
    [
        (b"[1, 2]", "not a JSON object", ()),
        (b'{"kind": "agency", "kind": "x"}', "not a JSON object: duplicate key 'kind'", ()),
        (b'{"kind": "agency", "source_ref": "\xff"}', "not a JSON object: invalid UTF-8", ()),
        (b"[" * 100_001, f"line longer than {LINE_MAX} bytes", ()),
        (b"[" * 50_000, "not a JSON object: nested too deeply", ()),
        (
            b'{"code": "X"}',
            f"kind: must be one of {', '.join(KINDS)}; source_ref: required",
            (FieldError("kind", f"must be one of {', '.join(KINDS)}"), FieldError("source_ref", "required")),
        ),
        (
            b'{"kind": "survey", "source_ref": "  "}',
            f"kind: must be one of {', '.join(KINDS)}; source_ref: required",
            (FieldError("kind", f"must be one of {', '.join(KINDS)}"), FieldError("source_ref", "required")),
        ),
        (
            b'{"kind": "agency", "source_ref": "a\\u0007b"}',
            "source_ref: at most 200 characters, no control characters",
            (FieldError("source_ref", "at most 200 characters, no control characters"),),
        ),
        (
            b'{"kind": "agency", "source_ref": "' + b"r" * 201 + b'"}',
            "source_ref: at most 200 characters, no control characters",
            (FieldError("source_ref", "at most 200 characters, no control characters"),),
        ),
    ],
    ids=[
        "array",
        "duplicate-key",
        "utf-8",
        "too-long",
        "too-deep",
        "no-kind",
        "survey",
        "control",
        "ref-long",
    ],
)
def test_lines_that_are_not_facts(raw: bytes, detail: str, errors: tuple[FieldError, ...]) -> None:
    assert list(read_facts([b"\n", raw])) == [LineError(2, None, None, detail, errors)]


def test_a_source_ref_of_exactly_200_characters_is_accepted() -> None:
    (fact,) = read_facts([b'{"kind": "agency", "source_ref": "' + b"r" * 200 + b'", "code": "X"}'])
    assert not isinstance(fact, LineError)
    assert (fact.kind, fact.source_ref, fact.fields) == ("agency", "r" * 200, {"code": "X"})


def test_the_fingerprint_ignores_key_order_and_spacing() -> None:
    a, b, c = read_facts(
        [
            b'{"kind":"agency","source_ref":"1","code":"X"}',
            b'{ "code" : "X", "source_ref":"1", "kind":"agency"}',
            b'{"kind":"agency","source_ref":"1","code":"Y"}',
        ]
    )
    assert not isinstance(a, LineError) and not isinstance(b, LineError) and not isinstance(c, LineError)
    assert a.fingerprint == b.fingerprint != c.fingerprint


def test_an_id_given_directly_works_like_a_reference(app: KinerjaLedger, tmp_path: Path) -> None:
    import_file(app, write(tmp_path, history()[:3], "first.ndjson"))
    (sanction_id,) = app.employee(NIP_BUDI).sanctions
    lines = [
        line(
            "keb-1",
            {
                "kind": "appeal",
                "nip": NIP_BUDI,
                "sanction_id": sanction_id,
                "appeal_kind": "KEBERATAN",
                "filed_on": "2024-03-08",
            },
        ),
        line(
            "keb-2", {"kind": "appeal", "nip": NIP_BUDI, "appeal_kind": "KEBERATAN", "filed_on": "2024-03-08"}
        ),
        line("keb-3", {"kind": "appeal", "nip": NIP_BUDI, "sanction_id": 7, "filed_on": "2024-03-08"}),
    ]
    report = import_file(app, write(tmp_path, lines))
    assert errors_of(report) == [
        (2, "keb-2", "sanction_id: give sanction_id or sanction_ref"),
        (3, "keb-3", "sanction_id: must be a string"),
    ]
    assert report.imported == 1


# ---------------------------------------------------------------- the command line


def ledger_cli(app: KinerjaLedger, *args: str) -> Result:
    env = {
        "LEDGER_DATABASE_URL": app.settings.database_url,
        "LEDGER_DATA_DIR": str(app.settings.data_dir),
        "COLUMNS": "200",
    }
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exception is None or type(result.exception) is SystemExit, repr(result.exception)
    return result


def test_cli_dry_run_then_real_run_then_no_op(app: KinerjaLedger, tmp_path: Path) -> None:
    path = write(tmp_path, [*history(), line("diklat-2", TRAINING, hours_jp=0)])
    dry = ledger_cli(app, "import", str(path), "--dry-run", "--json")
    assert dry.exit_code == 1
    assert json.loads(dry.stdout)["errors"] == [
        {
            "line": 6,
            "kind": "training",
            "source_ref": "diklat-2",
            "detail": "hours_jp: must be between 0.5 and 1000 JP",
            "errors": [{"field": "hours_jp", "reason": "must be between 0.5 and 1000 JP"}],
        }
    ]
    path = write(tmp_path, history())
    first = ledger_cli(app, "import", str(path))
    assert first.exit_code == 0, first.output
    rows = [r for r in first.stdout.splitlines() if r.startswith("│")]
    assert [r.replace(" ", "") for r in rows[:1]] == ["│5│5│0│0│"]
    again = ledger_cli(app, "import", str(path), "--json")
    assert again.exit_code == 0
    assert {k: json.loads(again.stdout)[k] for k in ("imported", "already_imported")} == {
        "imported": 0,
        "already_imported": 5,
    }


def test_cli_prints_each_refused_line(app: KinerjaLedger, tmp_path: Path) -> None:
    path = write(tmp_path, ["{}"])
    result = ledger_cli(app, "import", str(path), "--dry-run")
    assert result.exit_code == 1
    assert (
        result.stdout.splitlines()[-1]
        == f"line 1: kind: must be one of {', '.join(KINDS)}; source_ref: required"
    )


def test_cli_refuses_a_missing_file(app: KinerjaLedger, tmp_path: Path) -> None:
    result = ledger_cli(app, "import", str(tmp_path / "nope.ndjson"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'nope.ndjson'} is not a readable file\n"


def test_the_service_clock_comes_in_with_references(app: KinerjaLedger, tmp_path: Path) -> None:
    decree = {"decree_number": "800/5/BKPSDM", "decree_date": "2022-12-15"}
    lines = [
        *history()[:2],
        line(
            "cltn-1",
            {
                "kind": "leave",
                "nip": NIP_BUDI,
                "leave_type": "CLTN",
                "started_on": "2023-01-02",
                "reason": "Mengikuti suami",
                **decree,
            },
        ),
        line(
            "cltn-1-end",
            {"kind": "leave_end", "nip": NIP_BUDI, "leave_ref": "cltn-1", "ended_on": "2024-01-02", **decree},
        ),
        line(
            "skors-1",
            {
                "kind": "suspension",
                "nip": NIP_BUDI,
                "started_on": "2024-03-01",
                "reason": "Ditahan",
                **decree,
            },
        ),
        line(
            "skors-1-end",
            {
                "kind": "suspension_end",
                "nip": NIP_BUDI,
                "suspension_ref": "skors-1",
                "ended_on": "2024-06-01",
                **decree,
            },
        ),
        line(
            "henti-1",
            {
                "kind": "service_end",
                "nip": NIP_BUDI,
                "reason": "MENGUNDURKAN_DIRI",
                "ended_on": "2025-01-31",
                **decree,
            },
        ),
    ]
    path = write(tmp_path, lines)
    assert import_file(app, path, dry_run=True).as_dict()["errors"] == []
    report = import_file(app, path)
    assert (report.imported, report.refused) == (7, [])
    assert report.by_kind == {
        "agency": 1,
        "employee": 1,
        "leave": 1,
        "leave_end": 1,
        "suspension": 1,
        "suspension_end": 1,
        "service_end": 1,
    }


def test_complaints_come_in_with_their_updates(app: KinerjaLedger, tmp_path: Path) -> None:
    seed_agency(app)
    app.register_service_unit(HR, code="PKM-BINJAI", name="Puskesmas Binjai", agency="DINKES")
    lines = [
        line(
            "lapor-1",
            {
                "kind": "complaint",
                "service_unit": "PKM-BINJAI",
                "category": "WAKTU",
                "text": "Antrean lebih dari tiga jam",
                "contact": "0812-1111-2222",
                "lapor_ticket": "LAP-2025/77",
            },
        ),
        line(
            "lapor-1-a",
            {
                "kind": "complaint_update",
                "complaint_ref": "lapor-1",
                "status": "RESPONDED",
                "response": "Ditambah loket",
            },
        ),
        line(
            "lapor-1-b",
            {
                "kind": "complaint_update",
                "complaint_ref": "lapor-1",
                "status": "CLOSED",
                "response": "Selesai",
            },
        ),
        line("lapor-2", {"kind": "complaint", "service_unit": "NOPE", "category": "WAKTU", "text": "x"}),
    ]
    path = write(tmp_path, lines)
    before = head(app)
    dry = import_file(app, path, dry_run=True)
    assert (head(app), errors_of(dry)) == (before, [(4, "lapor-2", "service_unit: unknown service unit")])
    report = import_file(app, path)
    assert (report.imported, report.by_kind) == (3, {"complaint": 1, "complaint_update": 2})
    assert errors_of(report) == [(4, "lapor-2", "service_unit: unknown service unit")]
    again = import_file(app, path)
    assert (again.imported, again.already, head(app)) == (0, 3, before + 3)

"""docs/CONFIGURATION.md's table and the settings object agree: every setting, its type, default
and meaning, and no row for a setting that does not exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from annotated_types import Ge, Gt, Le, MaxLen, MinLen
from pydantic.fields import FieldInfo

from ledger.config import ENV_PREFIX, ConfigurationError, Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "CONFIGURATION.md"
HEADER = "| variable | type | default | meaning |"


def _type(field: FieldInfo) -> str:
    annotation: Any = field.annotation
    if getattr(annotation, "__origin__", None) is not None and "Literal" in repr(annotation):
        return " or ".join(f"`{v}`" for v in annotation.__args__)
    name = {str: "text", int: "integer", float: "number", Path: "path"}[annotation]
    bounds = []
    for m in field.metadata:
        if isinstance(m, Ge):
            bounds.append(f">= {m.ge}")
        elif isinstance(m, Gt):
            bounds.append(f"> {m.gt}")
        elif isinstance(m, Le):
            bounds.append(f"<= {m.le:,}")
        elif isinstance(m, MinLen | MaxLen):
            continue
    return f"{name} {', '.join(bounds)}".strip()


def _default(name: str, field: FieldInfo) -> str:
    if name == "database_url":
        return "`sqlite:///<data dir>/ledger.db`"
    if isinstance(field.default, Path):
        return f"`./{field.default}`"
    return f"`{field.default}`"


def expected_rows() -> list[str]:
    return [
        f"| `{ENV_PREFIX}{name.upper()}` | {_type(f)} | {_default(name, f)} | {f.description} |"
        for name, f in Settings.model_fields.items()
    ]


def documented_rows() -> list[str]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index(HEADER) + 2  # the header and its separator
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_the_table_lists_every_setting_as_the_settings_object_defines_it() -> None:
    assert documented_rows() == expected_rows()


def test_every_setting_has_a_meaning() -> None:
    assert all(f.description for f in Settings.model_fields.values())


def test_no_other_ledger_variable_is_read_outside_the_settings() -> None:
    """A LEDGER_* variable read anywhere else would be a setting missing from the table."""
    root = DOC.parents[1]
    read = set()
    for package in ("ledger", "projections", "api"):
        for path in (root / package).rglob("*.py"):
            read |= set(re.findall(r"environ(?:\.get)?\(\s*\"(LEDGER_[A-Z_]+)\"", path.read_text()))
            read |= set(re.findall(r"environ\[\"(LEDGER_[A-Z_]+)\"\]", path.read_text()))
            read |= set(re.findall(r"getenv\(\"(LEDGER_[A-Z_]+)\"", path.read_text()))
            # A name kept in a constant and read through it (os.environ.get(NAME)) counts too.
            read |= set(re.findall(r"[\"'](LEDGER_[A-Z_]+)[\"']", path.read_text()))
    settings = {f"{ENV_PREFIX}{n.upper()}" for n in Settings.model_fields} | {"LEDGER_SECRETS_DIR"}
    assert read <= settings


def test_values_come_from_the_environment_then_secret_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(f"{ENV_PREFIX}{name.upper()}", raising=False)
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "LEDGER_DATABASE_URL").write_text("postgresql://kl:pw@db/ledger\n")
    (secrets / "LEDGER_PORT").write_text("9001")
    monkeypatch.setenv("LEDGER_SECRETS_DIR", str(secrets))
    monkeypatch.setenv("LEDGER_PORT", "9002")  # the environment wins over a secret file
    monkeypatch.setenv("LEDGER_LOG_FORMAT", "json")
    monkeypatch.setenv("LEDGER_DATA_DIR", str(tmp_path / "data"))
    s = Settings.from_env()
    assert (s.database_url, s.port, s.log_format, s.data_dir) == (
        "postgresql://kl:pw@db/ledger",
        9002,
        "json",
        tmp_path / "data",
    )
    assert "pw" not in repr(s)  # the URL may hold a password


def test_the_default_store_is_sqlite_in_the_data_dir() -> None:
    s = Settings.from_env({"LEDGER_DATA_DIR": "/srv/kl"})
    assert (s.database_url, s.data_dir, s.api_workers, s.suppression_k) == (
        "sqlite:////srv/kl/ledger.db",
        Path("/srv/kl"),
        1,
        5,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LEDGER_PORT", "0"),
        ("LEDGER_PORT", "65536"),
        ("LEDGER_API_WORKERS", "0"),
        ("LEDGER_LOG_FORMAT", "xml"),
        ("LEDGER_SUPPRESSION_K", "4"),
        ("LEDGER_PUBLIC_BURST", "0"),
        ("LEDGER_PUBLIC_PER_MINUTE", "0"),
        ("LEDGER_REQUEST_TIMEOUT", "0"),
    ],
)
def test_a_value_out_of_bounds_is_refused_naming_the_setting(variable: str, value: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({variable: value})
    assert len(refused.value.problems) == 1
    assert refused.value.problems[0].startswith(f"{variable}: ")

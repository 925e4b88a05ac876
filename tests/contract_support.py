"""Golden snapshots of the public contracts: what the HTTP API answers, its OpenAPI document, the
CLI's commands and options, and the bytes the ledger stores, on a fixed synthetic history.

A refactoring must leave every one of them unchanged. When a change of contract is intended, the
snapshots are rewritten on purpose and the diff is reviewed in the commit:

    KL_WRITE_GOLDEN=1 .venv/bin/pytest -q tests/test_contract_snapshots.py
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from typing import Any

import typer

from api.cli import demo
from ledger.application import KinerjaLedger
from tests.api_support import Api
from tests.paths import DATA

GOLDEN_DIR = DATA / "contract"
WRITE = os.environ.get("KL_WRITE_GOLDEN") == "1"

# The fixed history: small enough to run in seconds, broad enough to hold every command kind.
DEMO = {"employees": 80, "years": 2, "seed": 11, "last_year": 2025}


def load_demo(ledger: KinerjaLedger, clock: demo.SimulatedClock) -> dict[str, int]:
    plan = demo.plan(**DEMO)
    return demo.run(ledger, plan, clock, seed=DEMO["seed"])


def compare(name: str, actual: Any) -> None:
    """Compare with the stored snapshot (or rewrite it when KL_WRITE_GOLDEN=1)."""
    path = GOLDEN_DIR / name
    text = _dumps(actual)
    if WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    if expected == actual:
        return
    raise AssertionError(f"{name} differs from its snapshot:\n{first_difference(expected, actual)}")


def _dumps(value: Any) -> str:
    # A list is written one compact item per line, so a snapshot's diff shows which items changed.
    if isinstance(value, list):
        items = (json.dumps(v, sort_keys=True, ensure_ascii=False, separators=(",", ":")) for v in value)
        return "[\n" + ",\n".join(items) + "\n]\n"
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def first_difference(expected: Any, actual: Any, where: str = "$") -> str:
    """Where two JSON values first differ, to make a failing snapshot readable."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                return f"{where}.{key}: missing (expected {_short(expected[key])})"
            if key not in expected:
                return f"{where}.{key}: unexpected {_short(actual[key])}"
            if expected[key] != actual[key]:
                return first_difference(expected[key], actual[key], f"{where}.{key}")
    if isinstance(expected, list) and isinstance(actual, list):
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            if e != a:
                return first_difference(e, a, f"{where}[{i}]")
        if len(expected) != len(actual):
            return f"{where}: {len(actual)} items, expected {len(expected)}"
    return f"{where}: {_short(actual)}, expected {_short(expected)}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 300 else text[:300] + "…"


# Response headers that are part of the contract (the rest are transport details).
PINNED_HEADERS = ("retry-after", "etag", "cache-control", "www-authenticate")

# ------------------------------------------------------------------------- stored events


def stored_events(ledger: KinerjaLedger) -> list[list[Any]]:
    """Every stored event's topic and the SHA-256 of its stored bytes, in log order."""
    return [
        [n.id, str(n.originator_id), n.originator_version, n.topic, hashlib.sha256(n.state).hexdigest()]
        for n in ledger.recorder.select_notifications(0, 1_000_000)
    ]


# ------------------------------------------------------------------------------- HTTP


def http_transcript(api: Api) -> list[dict[str, Any]]:
    """GET every read route over the fixed history, as each role that may read it."""
    return [_exchange(api, role, path, params) for role, path, params in _read_requests(api)]


def refusal_transcript(api: Api) -> list[dict[str, Any]]:
    """One refused request of each kind (400 to 422): status, headers that matter, problem body."""
    nip = sorted(e["nip"] for e in _json(api, "/v1/rankings", year=2025)["items"])[0]
    employee = _json(api, f"/v1/employees/{nip}")
    registration = {
        "nip": nip,
        "name": "Nama Lain",
        "agency": employee["agency"],
        "position": "Analis",
        "grade": "III/a",
        "employment_type": "PNS",
    }
    refusals: list[tuple[str | None, str, str, Any, dict[str, str]]] = [
        (None, "GET", f"/v1/employees/{nip}", None, {}),
        ("employee", "GET", f"/v1/employees/{nip}", None, {}),
        ("hr", "GET", "/v1/employees/199001012015011999", None, {}),
        ("hr", "GET", "/v1/rankings", None, {}),
        ("hr", "POST", "/v1/employees", b'{"nip": ', {"content-type": "application/json"}),
        ("hr", "POST", "/v1/employees", registration, {}),
        ("hr", "POST", f"/v1/employees/{nip}/trainings", {"title": "", "hours_jp": -1}, {}),
        (
            "hr",
            "POST",
            f"/v1/employees/{nip}/trainings",
            {"title": "Diklat", "hours_jp": 8, "completed_on": "2025-05-02", "provider": "BKPSDM"},
            {"If-Match": '"1"'},
        ),
        (None, "POST", "/v1/public/surveys", {"service_unit": "NOPE", "answers": {}}, {}),
    ]
    head = api.head()
    out = []
    for role, method, path, body, headers in refusals:
        sent = {**(api.auth(role) if role else {}), **headers}
        if isinstance(body, bytes):
            response = api.client.request(method, path, content=body, headers=sent)
        else:
            response = api.client.request(method, path, json=body, headers=sent)
        out.append(_record(role, path, {"method": method, "body": _printable(body)}, response))
    assert api.head() == head, "a refused request wrote to the store"
    return out


def _printable(body: Any) -> Any:
    return body.decode() if isinstance(body, bytes) else body


def _exchange(api: Api, role: str | None, path: str, params: dict[str, Any]) -> dict[str, Any]:
    headers = api.auth(role) if role else {}
    return _record(role, path, params, api.client.get(path, params=params, headers=headers))


def _record(role: str | None, path: str, params: dict[str, Any], response: Any) -> dict[str, Any]:
    kind = response.headers.get("content-type", "")
    body: Any = response.json() if "json" in kind else response.text
    if isinstance(body, dict) and "request_id" in body:
        # Random per request by design; its presence and form are the contract, not its value.
        body["request_id"] = "<uuid>" if uuid.UUID(body["request_id"]) else None
    return {
        "request": {"role": role, "path": path, "params": params},
        "status": response.status_code,
        "content_type": kind,
        "headers": {h: response.headers[h] for h in PINNED_HEADERS if h in response.headers},
        "body": body,
    }


def _read_requests(api: Api) -> Iterator[tuple[str | None, str, dict[str, Any]]]:
    ledger = api.ledger
    nips = sorted(e["nip"] for e in _json(api, "/v1/rankings", year=2025)["items"])
    years = [2024, 2025]
    for i, nip in enumerate(nips):
        yield "hr", f"/v1/employees/{nip}", {}
        yield "hr", f"/v1/employees/{nip}/scorecard", {"year": 2025}
        if i % 4 == 0:
            yield "hr", f"/v1/employees/{nip}/scorecard", {"year": 2024}
    for year in years:
        yield "hr", "/v1/rankings", {"year": year}
        yield "hr", "/v1/awards", {"year": year}
        yield "hr", "/v1/training/compliance", {"year": year}
        yield "hr", "/v1/registers/satyalancana", {"year": year}
    agencies = sorted(a["code"] for a in _json(api, "/v1/public/agencies")["agencies"])
    for code in agencies:
        yield "hr", f"/v1/agencies/{code}/summary", {"year": 2025}
    yield None, "/v1/public/agencies", {}
    yield None, "/v1/public/agencies", {"year": 2024}
    yield None, "/v1/public/service-units", {}
    yield "inspector", "/v1/sanctions", {}
    for verdict in ("CONSISTENT", "INCONSISTENT"):
        yield "inspector", "/v1/sanctions", {"verdict": verdict}
    for sanction in _json(api, "/v1/sanctions", role="inspector")["items"]:
        yield "inspector", f"/v1/sanctions/{sanction['sanction_id']}/verification", {}
    yield "hr", "/v1/programs", {}
    yield "hr", "/v1/employees", {"q": "19", "limit": 5}
    yield "hr", "/v1/public-input", {"limit": 5}
    yield "auditor", "/v1/public-input", {"kind": "complaint", "limit": 5}
    for code in agencies:
        yield None, f"/v1/public/agencies/{code}/complaints", {"year": 2025}
    for program in _json(api, "/v1/programs")["items"]:
        yield "hr", f"/v1/programs/{program['code']}", {}
    head = int(ledger.recorder.max_notification_id() or 0)
    yield None, "/v1/audit/proof/inclusion", {"index": 7, "size": head}
    yield None, "/v1/audit/proof/consistency", {"from": 100, "to": head}
    yield "auditor", "/v1/audit/events", {"from": 0, "limit": 5}


def _json(api: Api, path: str, role: str = "hr", **params: Any) -> Any:
    response = api.client.get(path, params=params, headers=api.auth(role))
    assert response.status_code == 200, (path, response.status_code, response.text)
    return response.json()


# -------------------------------------------------------------------------------- CLI


def cli_tree(app: typer.Typer) -> dict[str, Any]:
    """Every command with its arguments and options: names, types, defaults, help."""
    return _describe(typer.main.get_command(app), "ledger")


def _describe(command: Any, name: str) -> dict[str, Any]:
    # Typer 0.29 vendors its own click, so this reads the public attributes duck-typed.
    ctx = command.make_context(name, [], resilient_parsing=True)
    out: dict[str, Any] = {
        "help": (command.help or "").strip(),
        "params": [_param(p, ctx) for p in command.params],
    }
    subcommands = getattr(command, "commands", None)
    if subcommands:
        out["commands"] = {sub: _describe(cmd, sub) for sub, cmd in sorted(subcommands.items())}
    return out


def _param(param: Any, ctx: Any) -> dict[str, Any]:
    return {
        "name": param.name,
        "kind": param.param_type_name,
        "opts": [*param.opts, *param.secondary_opts],
        "type": param.display_type(ctx),
        "required": param.required,
        "multiple": param.multiple,
        "default": _default(param.default),
        "help": (getattr(param, "help", None) or "").strip(),
        "is_flag": bool(getattr(param, "is_flag", False)),
    }


def _default(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_default(v) for v in value]
    return repr(value)

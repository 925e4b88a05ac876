"""The contracts a refactoring must keep: HTTP answers, OpenAPI, CLI, stored bytes (both stores).

The same fixed history must give the same answers and the same stored bytes on SQLite and on
PostgreSQL, so both stores compare with one snapshot. See tests/contract_support.py for how to
rewrite a snapshot when a contract change is intended.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.cli import app as cli_app
from api.cli import demo
from api.main import create_app
from ledger.application import KinerjaLedger
from tests.api_support import Api, make_api
from tests.conftest import STORES, make_settings
from tests.contract_support import (
    cli_tree,
    compare,
    http_transcript,
    load_demo,
    refusal_transcript,
    stored_events,
)


@pytest.fixture(scope="module", params=STORES)
def history(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Api, dict[str, int]]]:
    store = str(request.param)
    clock = demo.SimulatedClock()
    ledger = KinerjaLedger(make_settings(store, tmp_path_factory.mktemp("contract"), request), clock=clock)
    try:
        counts = load_demo(ledger, clock)
        api = make_api(ledger)
        api.catch_up()
        yield api, counts
    finally:
        ledger.close()


def test_the_fixed_history_covers_every_command_kind(history: tuple[Api, dict[str, int]]) -> None:
    _api, counts = history
    compare("demo_commands.json", counts)


def test_stored_bytes_are_unchanged(history: tuple[Api, dict[str, int]]) -> None:
    api, _counts = history
    compare("stored_events.json", stored_events(api.ledger))


def test_http_answers_are_unchanged(history: tuple[Api, dict[str, int]]) -> None:
    api, _counts = history
    compare("http_reads.json", http_transcript(api))


def test_refusals_are_unchanged(history: tuple[Api, dict[str, int]]) -> None:
    api, _counts = history
    compare("http_refusals.json", refusal_transcript(api))


def test_openapi_document_is_unchanged(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    ledger = KinerjaLedger(make_settings("sqlite", tmp_path, request))
    try:
        compare("openapi.json", create_app(ledger=ledger).openapi())
    finally:
        ledger.close()


def test_cli_commands_and_options_are_unchanged() -> None:
    compare("cli.json", cli_tree(cli_app))


# Module-scoped fixtures open the store themselves (not through the `store` fixture).
pytestmark = pytest.mark.store

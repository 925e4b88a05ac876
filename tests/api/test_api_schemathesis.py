"""Property-based contract test: schemathesis against the app's own OpenAPI document.

Every operation gets a bounded number of generated requests on a seeded store with a valid HR
token: schema-valid ones (with generated path parameters, and with the seeded record's ids so
the success paths are reached) and schema-violating ones. No answer may be a 5xx, and every
answer must match the document (status code listed, content type, headers, body schema);
invalid input must be rejected.

Driven through schemathesis' Python API (`operation.as_strategy`) inside one pytest test per
store. `positive_data_acceptance` is not run: a schema-valid body can still name an unknown
agency or a period before the rules' start, which the ledger rightly refuses with 422.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ledger.application import KinerjaLedger
from tests.api_support import SUBJECT, Api, make_api, seed_world

# `make fuzz` raises the budget and lets hypothesis explore at random (FUZZ_RANDOM=1); CI keeps
# a small, reproducible one.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "15"))
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]


@pytest.fixture
def api(app: KinerjaLedger) -> Api:
    return make_api(app)


def test_openapi_contract(api: Api) -> None:
    world = seed_world(api.ledger)
    api.catch_up()  # read models (and the audit log) cover the seeded events
    known = {
        "nip": SUBJECT,
        "code": "DINKES",
        "id": world["appraisal_id"],
        "appeal_id": world["appraisal_id"],
    }
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.app)
    failures: list[str] = []
    operations = 0
    cases = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        names = {p.name for p in operation.path_parameters}
        seeded = {k: v for k, v in known.items() if k in names}
        # Valid requests: on the seeded records where the path names one (random ids mostly
        # meet 404, which the negative pass covers too); invalid requests: anything goes.
        passes: list[tuple[GenerationMode, dict[str, Any] | None]] = [
            (GenerationMode.POSITIVE, seeded or None),
            (GenerationMode.NEGATIVE, None),
        ]
        for mode, path_parameters in passes:
            strategy = operation.as_strategy(
                generation_mode=mode, path_parameters=path_parameters, headers=dict(api.hr)
            )

            @given(case=strategy)
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                derandomize=not RANDOM,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                nonlocal cases
                cases += 1
                case.call_and_validate(headers=api.hr, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                if mode is GenerationMode.POSITIVE:
                    raise
                # No parameter and no body: there is nothing to make invalid.
            except Exception as exc:  # collect every operation's failure, then report them all
                failures.append(
                    f"{operation.label} [{mode.value}{' seeded' if path_parameters else ''}]: {exc}"
                )
    print(f"\nschemathesis: {operations} operations, {cases} cases, {len(failures)} failing operation passes")
    assert operations >= 25
    assert failures == [], "\n\n".join(failures)

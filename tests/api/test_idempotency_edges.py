"""Idempotency: the request fingerprint as a known answer, the stored row, and the replay rules.

A fingerprint is stored with the first answer and compared on every repeat, so its formula is a
stored format: changed, it would turn every retry across an upgrade into a 422. Written against
surviving mutants of api.commands.fingerprint, IdempotencyRecord.params and
KinerjaLedger._replay (docs/TESTING.md).
"""

from __future__ import annotations

import hashlib
import json

import pytest
from pydantic import BaseModel
from starlette.requests import Request

from api.commands import fingerprint
from api.schemas.appraisals import FeedbackIn
from api.schemas.training import TrainingIn
from ledger.application import CommandContext, CommandResult, KinerjaLedger
from ledger.domain.envelope import Actor
from ledger.errors import IdempotencyMismatch
from tests.factories import NIP_BUDI, NIP_SARI, seed_basic

PATH = f"/v1/employees/{NIP_BUDI}/trainings"


def post(path: str) -> Request:
    return Request(
        {
            "type": "http",
            "method": "POST",
            "scheme": "http",
            "server": ("testserver", 80),
            "path": path,
            "query_string": b"x=1",
            "headers": [],
        }
    )


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    ("body", "canonical"),
    [
        # keys sorted, no spaces, non-ASCII kept as UTF-8
        (
            TrainingIn(title="Pelatihan ü", hours_jp=2.5, completed_on="2026-01-10", provider="LAN"),
            '{"completed_on":"2026-01-10","hours_jp":2.5,"provider":"LAN","title":"Pelatihan ü"}',
        ),
        # a field left out is not the same request as the field sent with its default
        (FeedbackIn(source="PEER", score=3), '{"score":3,"source":"PEER"}'),
        (FeedbackIn(source="PEER", score=3, comment=None), '{"comment":null,"score":3,"source":"PEER"}'),
        (None, "null"),
    ],
)
def test_fingerprint_is_sha256_of_method_path_canonical_body_and_caller(
    body: BaseModel | None, canonical: str
) -> None:
    # the query string is not part of it: commands take none
    assert fingerprint(post(PATH), body, "hr-1") == sha256(f"POST\n{PATH}\n{canonical}\nhr-1")


def ctx(key: str, fingerprint: str | None = None) -> CommandContext:
    return CommandContext(Actor("hr-1", "hr"), idempotency_key=key, fingerprint=fingerprint)


def appraise(app: KinerjaLedger, context: CommandContext, hasil: str = "SESUAI_EKSPEKTASI") -> CommandResult:
    return app.record_appraisal(
        context,
        NIP_BUDI,
        period="2025",
        hasil_kerja=hasil,
        perilaku_kerja="DI_ATAS_EKSPEKTASI",
        appraiser_nip=NIP_SARI,
    )


def test_a_key_without_a_fingerprint_replays_the_first_answer(app: KinerjaLedger) -> None:
    # The CLI and other in-process callers give a key but no fingerprint: "" on both sides.
    seed_basic(app)
    first = appraise(app, ctx("k-1"))
    again = appraise(app, ctx("k-1"))
    assert again == CommandResult(first.event_id, first.position, first.version, first.extra, replayed=True)
    assert len(app.employee(NIP_BUDI).appraisals) == 1


def test_the_same_key_with_another_fingerprint_is_refused(app: KinerjaLedger) -> None:
    seed_basic(app)
    appraise(app, ctx("k-2", "f-one"))
    with pytest.raises(IdempotencyMismatch) as raised:
        appraise(app, ctx("k-2", "f-two"))
    assert raised.value.detail == "this Idempotency-Key was already used for a different request"
    with pytest.raises(IdempotencyMismatch):
        appraise(app, ctx("k-2"))  # no fingerprint is not a wildcard for a stored one


def test_the_stored_answer_is_canonical_json(app: KinerjaLedger) -> None:
    seed_basic(app)
    first = appraise(app, ctx("k-3", "f"))
    with app.sql.transaction() as tx:
        rows = tx.query("SELECT key, fingerprint, response, originator_version FROM ledger_idempotency")
    expected = {"event_id": first.event_id, "version": first.version, **first.extra}
    assert [dict(r) for r in rows] == [
        {
            "key": "k-3",
            "fingerprint": "f",
            "response": json.dumps(expected, sort_keys=True),
            "originator_version": first.version,
        }
    ]
    assert list(json.loads(rows[0]["response"])) == sorted(expected)

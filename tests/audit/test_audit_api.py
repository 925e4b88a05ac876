"""/v1/audit routes: the signed checkpoint and key, RFC 9162 proofs that verify with
ledger.audit.merkle against the signed checkpoint, the log's entries, and clean 4xx answers."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from ledger.application import KinerjaLedger
from ledger.audit.encoding import event_leaf_hash
from ledger.audit.merkle import EMPTY_ROOT, verify_consistency, verify_inclusion
from ledger.audit.note import Checkpoint, open_note, parse_checkpoint, parse_verifier_key
from projections.audit.export import catch_up
from tests.api_support import Api, make_api
from tests.factories import HR, NIP_BUDI, NIP_SARI, seed_basic


@pytest.fixture
def api(app: KinerjaLedger) -> Api:
    return make_api(app)


def grow(app: KinerjaLedger, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        nip = NIP_BUDI if i % 2 else NIP_SARI
        app.record_training(
            HR, nip, title=f"Pelatihan {i}", hours_jp=2, completed_on="2026-01-10", provider="LAN"
        )
    catch_up(app)


def signed_checkpoint(api: Api) -> Checkpoint:
    response = api.client.get("/v1/audit/checkpoint")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    key = api.client.get("/v1/audit/key")
    assert key.status_code == 200 and key.headers["content-type"].startswith("text/plain")
    text, signers = open_note(response.text, [parse_verifier_key(key.text.strip())])
    assert signers == [api.ledger.settings.log_origin]
    return parse_checkpoint(text)


def entries(api: Api, start: int = 0, limit: int = 1000) -> dict[str, Any]:
    response = api.get("/v1/audit/events", role="auditor", **{"from": start, "limit": limit})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_inclusion_proofs_verify_against_the_signed_checkpoint(api: Api) -> None:
    seed_basic(api.ledger)
    grow(api.ledger, 18)
    checkpoint = signed_checkpoint(api)
    assert checkpoint.size == 21 and checkpoint.origin == "kinerja-ledger/test"
    log = entries(api)["entries"]
    assert [e["leaf_index"] for e in log] == list(range(21))
    for index in range(checkpoint.size):
        e = log[index]
        # The leaf hash is recomputed from the stored bytes the route serves, not taken on trust.
        leaf = event_leaf_hash(
            index,
            bytes.fromhex(e["originator_id"].replace("-", "")),
            e["originator_version"],
            e["topic"],
            base64.b64decode(e["state"]),
        )
        assert leaf.hex() == e["leaf_hash"]
        response = api.client.get(
            "/v1/audit/proof/inclusion", params={"index": index, "size": checkpoint.size}
        )
        assert response.status_code == 200
        body = response.json()
        proof = [base64.b64decode(p) for p in body["proof"]]
        assert base64.b64decode(body["root"]) == checkpoint.root
        assert body["event_id"] == e["event_id"] and body["position"] == e["position"]
        assert verify_inclusion(leaf, index, checkpoint.size, proof, checkpoint.root)
        assert not verify_inclusion(
            leaf, (index + 1) % checkpoint.size, checkpoint.size, proof, checkpoint.root
        )


def test_consistency_proofs_verify_between_signed_checkpoints(api: Api) -> None:
    seed_basic(api.ledger)
    grow(api.ledger, 2)
    kept = [signed_checkpoint(api)]
    for step in (1, 4, 11):
        grow(api.ledger, step, start=10 * step)
        kept.append(signed_checkpoint(api))
    assert [c.size for c in kept] == [5, 6, 10, 21]
    for old in kept:
        for new in kept:
            if old.size > new.size:
                continue
            response = api.client.get(
                "/v1/audit/proof/consistency", params={"from": old.size, "to": new.size}
            )
            assert response.status_code == 200
            body = response.json()
            assert (body["from"], body["to"]) == (old.size, new.size)
            proof = [base64.b64decode(p) for p in body["proof"]]
            assert verify_consistency(old.size, new.size, old.root, new.root, proof)


def test_events_page_carries_everything_the_verifier_needs(api: Api) -> None:
    seed_basic(api.ledger)
    grow(api.ledger, 4)
    signed_checkpoint(api)
    page = entries(api, start=2, limit=3)
    assert page["size"] == 7 and page["from"] == 2 and page["next"] == 5
    assert [e["leaf_index"] for e in page["entries"]] == [2, 3, 4]
    stored = {n.id: n for n in api.ledger.recorder.select_notifications(0, 100)}
    for e in page["entries"]:
        assert set(e) == {"leaf_index", "leaf_hash", "chain_hash", "event_id", "logged_event_id", "position",
                          "originator_id", "originator_version", "topic", "state"}  # fmt: skip
        n = stored[e["position"]]
        assert base64.b64decode(e["state"]) == n.state
        assert e["event_id"] == f"{n.originator_id}:{n.originator_version}"
        assert e["logged_event_id"] is None  # set only where the store no longer holds the logged event
    last = entries(api, start=5, limit=10)
    assert len(last["entries"]) == 2 and last["next"] is None
    assert entries(api, start=50)["entries"] == []


def test_roles_and_bad_parameters_are_clean_problems(api: Api) -> None:
    seed_basic(api.ledger)
    grow(api.ledger, 2)
    signed_checkpoint(api)
    assert api.client.get("/v1/audit/events").status_code == 401
    assert api.get("/v1/audit/events", role="inspector").status_code == 200
    for role in ("hr", "employee", "appraiser"):
        response = api.get("/v1/audit/events", role=role)
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"
    bad = [
        ("/v1/audit/proof/inclusion", {"index": 5, "size": 5}, "index"),
        ("/v1/audit/proof/inclusion", {"index": 0, "size": 6}, "size"),
        ("/v1/audit/proof/inclusion", {"index": -1, "size": 3}, "index"),
        ("/v1/audit/proof/inclusion", {"index": "x", "size": 3}, "index"),
        ("/v1/audit/proof/inclusion", {"size": 3}, "index"),
        ("/v1/audit/proof/consistency", {"from": 4, "to": 3}, "from"),
        ("/v1/audit/proof/consistency", {"from": 0, "to": 3}, "from"),
        ("/v1/audit/proof/consistency", {"from": 1, "to": 99}, "to"),
    ]
    for path, params, field in bad:
        response = api.client.get(path, params=params)
        assert response.status_code == 422, (path, params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == [field], response.json()
    response = api.get("/v1/audit/events", role="auditor", limit=5000)
    assert response.status_code == 422


def test_checkpoint_before_the_log_exists_is_503_then_an_empty_tree(app: KinerjaLedger) -> None:
    client = TestClient(create_app(ledger=app))
    response = client.get("/v1/audit/checkpoint")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    catch_up(app)
    response = client.get("/v1/audit/checkpoint")
    assert response.status_code == 200
    checkpoint = parse_checkpoint(
        open_note(response.text, [parse_verifier_key(client.get("/v1/audit/key").text.strip())])[0]
    )
    assert (checkpoint.size, checkpoint.root) == (0, EMPTY_ROOT)


def test_key_file_is_private_and_the_origin_is_fixed(app: KinerjaLedger) -> None:
    from ledger.config import Settings
    from projections.audit import AuditIntegrityError, key_path, load_signer

    signer = load_signer(app.settings)
    assert key_path(app.settings).stat().st_mode & 0o777 == 0o600
    assert load_signer(app.settings).key_id == signer.key_id  # created once, then reused
    other = Settings(app.settings.database_url, app.settings.data_dir, "kinerja-ledger/elsewhere")
    with pytest.raises(AuditIntegrityError, match="keeps its origin"):
        load_signer(other)


def test_a_contradicting_stored_checkpoint_is_never_served(api: Api) -> None:
    from projections.audit import CHECKPOINTS_TABLE

    seed_basic(api.ledger)
    grow(api.ledger, 0)
    signed_checkpoint(api)
    grow(api.ledger, 1)
    with api.ledger.sql.transaction() as tx:
        tx.execute(
            f"INSERT INTO {CHECKPOINTS_TABLE} (size, root, note) VALUES (?,?,?)", (4, "ab" * 32, "forged")
        )
    response = api.client.get("/v1/audit/checkpoint")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "refuses to sign" in response.json()["detail"]


def test_employee_events_carry_the_audit_log_hashes(api: Api) -> None:
    """An employee's stream, as HR sees it, cites the same leaves and chain as the audit log."""
    seed_basic(api.ledger)
    grow(api.ledger, 4)
    response = api.get(f"/v1/employees/{NIP_BUDI}/events", role="auditor")
    assert response.status_code == 200, response.text
    events = response.json()["events"]
    log = {e["event_id"]: e for e in entries(api)["entries"]}
    assert len(events) == 3
    for e in events:
        assert e["leaf_index"] == log[e["event_id"]]["leaf_index"]
        assert e["leaf_hash"] == log[e["event_id"]]["leaf_hash"]
        assert e["chain_hash"] == log[e["event_id"]]["chain_hash"]
    # An event the audit log has not processed yet has no leaf (and says so with null).
    api.ledger.record_training(
        HR, NIP_BUDI, title="Baru", hours_jp=2, completed_on="2026-01-11", provider="LAN"
    )
    newest = api.get(f"/v1/employees/{NIP_BUDI}/events", role="auditor").json()["events"][-1]
    assert newest["leaf_index"] is None and newest["chain_hash"] is None

"""docs/AUDIT.md's PostgreSQL role setup, run for real: an owner role creates the event tables and
the append-only triggers; the service runs as a role that can append but can neither change nor
delete an event, nor drop the triggers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest
from eventsourcing.persistence import ProgrammingError

from ledger.application import KinerjaLedger
from ledger.config import Settings
from projections.audit import AuditLog, install_guards
from projections.registry import default_projections
from projections.runner import ProjectionRunner
from tests.conftest import ADMIN_URL, STORES
from tests.factories import seed_basic

pytestmark = pytest.mark.skipif("postgres" not in STORES, reason="PostgreSQL run only")

GRANTS = """
GRANT USAGE, CREATE ON SCHEMA public TO {app};
GRANT SELECT, INSERT, UPDATE ON kinerjaledger_events TO {app};
GRANT SELECT, INSERT ON kinerjaledger_snapshots, ledger_idempotency, ledger_audit_checkpoints TO {app};
GRANT USAGE ON SEQUENCE kinerjaledger_events_notification_id_seq TO {app};
"""


@pytest.fixture
def roles(tmp_path: Path) -> Iterator[tuple[Settings, Settings]]:
    tag = uuid.uuid4().hex[:8]
    owner, app, db = f"kl_owner_{tag}", f"kl_app_{tag}", f"kl_roles_{tag}"
    server = urlparse(ADMIN_URL)
    base = f"postgresql://{{role}}@{server.hostname}:{server.port or 5432}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {owner} LOGIN")
        admin.execute(f"CREATE ROLE {app} LOGIN")
        admin.execute(f'CREATE DATABASE "{db}" OWNER {owner}')
    with psycopg.connect(f"{ADMIN_URL.rsplit('/', 1)[0]}/{db}", autocommit=True) as conn:
        conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        conn.execute(f"ALTER SCHEMA public OWNER TO {owner}")
    origin = "kinerja-ledger/roles"
    try:
        yield (
            Settings(f"{base.format(role=owner)}/{db}", tmp_path, origin),
            Settings(f"{base.format(role=app)}/{db}", tmp_path, origin),
        )
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            admin.execute(f"DROP ROLE IF EXISTS {app}")
            admin.execute(f"DROP ROLE IF EXISTS {owner}")


def test_service_role_appends_but_cannot_rewrite(
    roles: tuple[Settings, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    owner_settings, app_settings = roles
    owner = KinerjaLedger(owner_settings)  # creates the event tables, owned by the owner role
    try:
        assert install_guards(owner)
        app_role = app_settings.database_url.split("//")[1].split("@")[0]
        with owner.sql.transaction() as tx:
            for statement in GRANTS.format(app=app_role).strip().splitlines():
                tx.execute(statement)
    finally:
        owner.close()

    # The service must not try to (re)create the owner's tables: only the owner may.
    monkeypatch.setenv("KINERJALEDGER_CREATE_TABLE", "n")
    assert os.environ["KINERJALEDGER_CREATE_TABLE"] == "n"
    app = KinerjaLedger(app_settings)
    try:
        seed_basic(app)
        runner = ProjectionRunner(app, default_projections())
        runner.setup()
        runner.run_once()
        assert runner.errors == {}
        assert install_guards(app)  # already in place: nothing to create, no privilege needed
        assert AuditLog(app).ensure_checkpoint().size == 3
        # The trigger refuses what the grants allow, the grants and ownership refuse the rest;
        # all three raise SQLSTATE 42501, which eventsourcing re-raises as its ProgrammingError.
        owner_only = "must be owner of (relation|table) kinerjaledger_events"
        refused = {
            "UPDATE kinerjaledger_events SET topic = topic": (
                "ledger: UPDATE on kinerjaledger_events refused: the ledger and its audit log are append-only"
            ),
            "DELETE FROM kinerjaledger_events": "permission denied for table kinerjaledger_events",
            "TRUNCATE kinerjaledger_events": "permission denied for table kinerjaledger_events",
            "DROP TRIGGER ledger_append_only ON kinerjaledger_events": owner_only,
            "ALTER TABLE kinerjaledger_events DISABLE TRIGGER ALL": owner_only,
            "DELETE FROM ledger_audit_checkpoints": "permission denied for table ledger_audit_checkpoints",
            "UPDATE ledger_audit_checkpoints SET note = note": "permission denied for table ledger_audit_checkpoints",
        }
        for statement, reason in refused.items():
            with pytest.raises(ProgrammingError, match=f"^{reason}") as caught, app.sql.transaction() as tx:
                tx.execute(statement)
            assert type(caught.value.__cause__) is psycopg.errors.InsufficientPrivilege, statement
        with app.sql.transaction(write=False) as tx:
            assert tx.scalar("SELECT COUNT(*) FROM kinerjaledger_events") == 3
    finally:
        app.close()

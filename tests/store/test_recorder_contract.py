"""Our recorders pass the eventsourcing library's own recorder test cases."""

from __future__ import annotations

import os
import tempfile
import threading
import uuid
from pathlib import Path

import psycopg
import pytest
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import (
    ApplicationRecorderTestCase,
    NonInterleavingNotificationIDsBaseCase,
)

from ledger.persistence import LedgerPostgresRecorder, LedgerSQLiteRecorder
from tests.conftest import ADMIN_URL, STORES


def _join_test_threads() -> None:
    """The library's concurrency cases signal their reader threads to stop but do not join them;
    closing the store under a still-running reader crashes sqlite3, so wait for them first."""
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and thread.name.startswith("Thread-"):
            thread.join(timeout=10)


class _SQLiteFile:
    def setUp(self) -> None:
        self._dir = tempfile.TemporaryDirectory()
        self.datastore = SQLiteDatastore(str(Path(self._dir.name) / "events.db"), lock_timeout=15)

    def tearDown(self) -> None:
        _join_test_threads()
        self.datastore.close()
        self._dir.cleanup()

    def create_recorder(self) -> LedgerSQLiteRecorder:
        recorder = LedgerSQLiteRecorder(self.datastore)
        recorder.create_table()
        return recorder


class TestSQLiteApplicationRecorder(_SQLiteFile, ApplicationRecorderTestCase[LedgerSQLiteRecorder]):
    pass


class TestSQLiteNonInterleaving(_SQLiteFile, NonInterleavingNotificationIDsBaseCase):
    pass


def test_sqlite_notification_id_is_an_explicit_autoincrement_column(tmp_path: Path) -> None:
    datastore = SQLiteDatastore(str(tmp_path / "e.db"))
    recorder = LedgerSQLiteRecorder(datastore)
    recorder.create_table()
    with datastore.transaction(commit=False) as c:
        c.execute("SELECT sql FROM sqlite_master WHERE name='stored_events'")
        ddl = c.fetchone()[0]
    datastore.close()
    assert "notification_id INTEGER PRIMARY KEY AUTOINCREMENT" in ddl


def test_sqlite_ids_survive_vacuum_and_are_never_reused(tmp_path: Path) -> None:
    from eventsourcing.persistence import StoredEvent

    datastore = SQLiteDatastore(str(tmp_path / "e.db"))
    recorder = LedgerSQLiteRecorder(datastore)
    recorder.create_table()
    ids = [
        recorder.insert_events([StoredEvent(uuid.uuid4(), 1, "t", b"x")])[0]  # type: ignore[index]
        for _ in range(5)
    ]
    with datastore.transaction(commit=True) as c:
        # Only to prove the id is stable: the ledger itself never deletes an event.
        c.execute("DELETE FROM stored_events WHERE notification_id=?", (ids[-1],))
    with datastore.transaction(commit=False) as c:
        c.execute("COMMIT")
        c.execute("VACUUM")
        c.execute("BEGIN")
    again = recorder.insert_events([StoredEvent(uuid.uuid4(), 1, "t", b"y")])
    assert again is not None and again[0] == ids[-1] + 1  # AUTOINCREMENT never reuses an id
    assert [n.id for n in recorder.select_notifications(None, 10)] == [*ids[:-1], ids[-1] + 1]
    datastore.close()


needs_pg = pytest.mark.skipif("postgres" not in STORES, reason="PostgreSQL run only")


class _PostgresDb:
    def setUp(self) -> None:
        self.name = f"kl_rec_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        self.datastore = PostgresDatastore(
            dbname=self.name, host="127.0.0.1", port=5432, user="postgres", password="",
            pool_size=4, max_overflow=8, lock_timeout=10,
        )  # fmt: skip

    def tearDown(self) -> None:
        _join_test_threads()
        self.datastore.close()
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def create_recorder(self) -> LedgerPostgresRecorder:
        recorder = LedgerPostgresRecorder(self.datastore, events_table_name="kinerjaledger_events")
        recorder.create_table()
        return recorder


@needs_pg
class TestPostgresApplicationRecorder(_PostgresDb, ApplicationRecorderTestCase[LedgerPostgresRecorder]):
    pass


@needs_pg
class TestPostgresNonInterleaving(_PostgresDb, NonInterleavingNotificationIDsBaseCase):
    pass


# The library's recorder test cases open their own SQLite and PostgreSQL stores.
pytestmark = pytest.mark.store

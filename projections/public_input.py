"""Citizens' input for HR's follow-up: projection ``public_input``.

Two kinds, one row each: a survey's comment (open until HR follows it up) and a complaint
(pengaduan) with its status and every update. Complaint statistics per unit and agency (k = 5)
are computed from these rows by the query (projections/queries.py). The complaint's `contact`
is personal data: kept here for HR's view only; the queries that publish figures never read it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, ClassVar

from eventsourcing.persistence import Notification

from ledger.clock import wib_date
from ledger.domain.complaint import Complaint
from ledger.domain.envelope import LedgerEvent
from ledger.domain.service_unit import ServiceUnit
from ledger.sqlstore import Sql
from ledger.vocabulary import ComplaintStatus
from projections.base import Projection, Tables
from projections.dispatch import Handlers, handles
from projections.facts import insert


class PublicInputProjection(Handlers, Projection):
    name: ClassVar[str] = "public_input"
    version: ClassVar[int] = 1
    tables: ClassVar[Mapping[str, str]] = {
        "units": (
            "unit_id TEXT NOT NULL PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL, agency TEXT NOT NULL"
        ),
        "comments": (
            "comment_id TEXT NOT NULL PRIMARY KEY, service_unit TEXT NOT NULL, agency TEXT NOT NULL, "
            "received_at TEXT NOT NULL, year INTEGER NOT NULL, text TEXT NOT NULL, status TEXT NOT NULL, "
            "response TEXT, followed_up_at TEXT, follow_up_id TEXT, followed_up_by TEXT"
        ),
        "complaints": (
            "complaint_id TEXT NOT NULL PRIMARY KEY, tracking_code TEXT NOT NULL UNIQUE, "
            "service_unit TEXT NOT NULL, agency TEXT NOT NULL, officer_code TEXT, officer_nip TEXT, "
            "category TEXT NOT NULL, text TEXT NOT NULL, contact TEXT, lapor_ticket TEXT, "
            "status TEXT NOT NULL, received_at TEXT NOT NULL, received_on TEXT NOT NULL, "
            "year INTEGER NOT NULL, responded_on TEXT, days_to_response INTEGER, updated_at TEXT NOT NULL"
        ),
        "updates": (
            "update_id TEXT NOT NULL PRIMARY KEY, complaint_id TEXT NOT NULL, status TEXT NOT NULL, "
            "response TEXT NOT NULL, at TEXT NOT NULL, on_day TEXT NOT NULL, by_sub TEXT NOT NULL"
        ),
    }
    indexes: ClassVar[Mapping[str, Sequence[str]]] = {
        "comments": ["received_at, comment_id", "agency, year"],
        "complaints": ["received_at, complaint_id", "agency, year"],
        "updates": ["complaint_id"],
    }

    def process(self, tx: Sql, tables: Tables, event: LedgerEvent, notification: Notification) -> None:
        handler = self.handler(event)
        if handler is not None:
            handler(tx, tables, event)

    @handles(ServiceUnit.ServiceUnitRegistered)
    def _unit(self, tx: Sql, t: Tables, e: ServiceUnit.ServiceUnitRegistered) -> None:
        insert(
            tx,
            t["units"],
            {"unit_id": str(e.originator_id), "code": e.code, "name": e.name, "agency": e.agency},
        )

    @handles(ServiceUnit.SurveyResponseReceived)
    def _survey(self, tx: Sql, t: Tables, e: ServiceUnit.SurveyResponseReceived) -> None:
        if not e.comment:
            return
        unit = tx.one(f"SELECT code, agency FROM {t['units']} WHERE unit_id=?", (str(e.originator_id),))
        assert unit is not None, "a survey of an unregistered unit"
        row = {
            "comment_id": e.event_id,
            "service_unit": unit["code"],
            "agency": unit["agency"],
            "received_at": e.recorded_at.isoformat(),
            "year": wib_date(e.recorded_at).year,
            "text": e.comment,
            "status": "OPEN",
            "response": None,
            "followed_up_at": None,
            "follow_up_id": None,
            "followed_up_by": None,
        }
        insert(tx, t["comments"], row)

    @handles(ServiceUnit.CommentFollowedUp)
    def _followed_up(self, tx: Sql, t: Tables, e: ServiceUnit.CommentFollowedUp) -> None:
        tx.execute(
            f"UPDATE {t['comments']} SET status='FOLLOWED_UP', response=?, followed_up_at=?, "
            "follow_up_id=?, followed_up_by=? WHERE comment_id=?",
            (e.response, e.recorded_at.isoformat(), e.event_id, e.recorded_by.get("sub", ""), e.comment_id),
        )

    @handles(Complaint.ComplaintReceived)
    def _complaint(self, tx: Sql, t: Tables, e: Complaint.ComplaintReceived) -> None:
        row: dict[str, Any] = {
            "complaint_id": e.event_id,
            "tracking_code": e.tracking_code,
            "service_unit": e.service_unit,
            "agency": e.agency,
            "officer_code": e.officer_code,
            "officer_nip": e.officer_nip,
            "category": e.category,
            "text": e.text,
            "contact": e.contact,
            "lapor_ticket": e.lapor_ticket,
            "status": ComplaintStatus.RECEIVED.value,
            "received_at": e.recorded_at.isoformat(),
            "received_on": wib_date(e.recorded_at).isoformat(),
            "year": wib_date(e.recorded_at).year,
            "responded_on": None,
            "days_to_response": None,
            "updated_at": e.recorded_at.isoformat(),
        }
        insert(tx, t["complaints"], row)

    @handles(Complaint.ComplaintUpdated)
    def _updated(self, tx: Sql, t: Tables, e: Complaint.ComplaintUpdated) -> None:
        complaint_id = f"{e.originator_id}:1"
        day = wib_date(e.recorded_at)
        insert(
            tx,
            t["updates"],
            {
                "update_id": e.event_id,
                "complaint_id": complaint_id,
                "status": e.status,
                "response": e.response,
                "at": e.recorded_at.isoformat(),
                "on_day": day.isoformat(),
                "by_sub": e.recorded_by.get("sub", ""),
            },
        )
        tx.execute(
            f"UPDATE {t['complaints']} SET status=?, updated_at=? WHERE complaint_id=?",
            (e.status, e.recorded_at.isoformat(), complaint_id),
        )
        if e.status == ComplaintStatus.RESPONDED.value:
            # The first response counts: the days from receipt (WIB dates) to it.
            row = tx.one(
                f"SELECT received_on, responded_on FROM {t['complaints']} WHERE complaint_id=?",
                (complaint_id,),
            )
            if row is not None and row["responded_on"] is None:
                days = (day - date.fromisoformat(row["received_on"])).days
                tx.execute(
                    f"UPDATE {t['complaints']} SET responded_on=?, days_to_response=? WHERE complaint_id=?",
                    (day.isoformat(), days, complaint_id),
                )

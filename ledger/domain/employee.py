"""The Employee aggregate: one stream per civil servant, id derived from the NIP."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.envelope import Envelope, LedgerAggregate, LedgerEvent
from ledger.nip import stream_id
from ledger.rules.awards import SanctionFact


class Employee(LedgerAggregate):
    """State is plain JSON-like data so snapshots and API views need no mapping."""

    class Event(LedgerEvent):
        pass

    class EmployeeRegistered(Event, Aggregate.Created):
        nip: str
        name: str
        agency: str
        position: str
        grade: str
        employment_type: str
        service_start_date: date

        def apply(self, aggregate: Any) -> None:
            aggregate.registered_event_id = self.event_id

    class EmployeeTransferred(Event):
        from_agency: str
        agency: str
        position: str
        grade: str

        def apply(self, aggregate: Any) -> None:
            aggregate.agency = self.agency
            aggregate.position = self.position
            aggregate.grade = self.grade
            if aggregate.agency != self.from_agency:
                # A unit belongs to one agency: a transfer ends the front-line assignment.
                aggregate.service_unit = None
                aggregate.officer_code = None

    class AssignedToServiceUnit(Event):
        service_unit: str
        officer_code: str

        def apply(self, aggregate: Any) -> None:
            aggregate.service_unit = self.service_unit
            aggregate.officer_code = self.officer_code

    class AppraisalRecorded(Event):
        period: str
        hasil_kerja: str
        perilaku_kerja: str
        predikat: str
        appraiser_nip: str

        def apply(self, aggregate: Any) -> None:
            aggregate.appraisals[self.event_id] = {
                "appraisal_id": self.event_id,
                "period": self.period,
                "hasil_kerja": self.hasil_kerja,
                "perilaku_kerja": self.perilaku_kerja,
                "predikat": self.predikat,
                "rule_version": self.rule_version,
                "appraiser_nip": self.appraiser_nip,
                "effective_date": self.effective_date.isoformat(),
                "corrections": [],
            }

    class AppraisalCorrected(Event):
        appraisal_id: str
        hasil_kerja: str
        perilaku_kerja: str
        predikat: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            appraisal = aggregate.appraisals[self.appraisal_id]
            appraisal.update(
                hasil_kerja=self.hasil_kerja,
                perilaku_kerja=self.perilaku_kerja,
                predikat=self.predikat,
                rule_version=self.rule_version,
            )
            appraisal["corrections"].append(self.event_id)

    class FeedbackReceived(Event):
        source: str
        score: int | None
        answers: dict[str, int] | None
        comment: str | None
        service_unit: str | None
        survey_event_id: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.feedback_count[self.source] = aggregate.feedback_count.get(self.source, 0) + 1

    class AwardGranted(Event):
        award_type: str
        reason: str
        eligible: bool
        ineligibility: list[dict[str, Any]]

        def apply(self, aggregate: Any) -> None:
            aggregate.awards[self.event_id] = {
                "award_id": self.event_id,
                "award_type": self.award_type,
                "reason": self.reason,
                "decree_number": self.decree_number,
                "decree_date": _iso(self.decree_date),
                "eligible": self.eligible,
                "ineligibility": self.ineligibility,
                "rule_version": self.rule_version,
                "revoked_by": None,
            }

    class AwardRevoked(Event):
        award_id: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.awards[self.award_id]["revoked_by"] = self.event_id

    class SanctionImposed(Event):
        violations: list[dict[str, Any]]
        level: str
        penalty: str
        decided_by_role: str
        decided_by_nip: str | None
        decided_by_name: str | None
        decided_on: date
        summoned_on: list[date]
        examined_on: date | None
        bap_number: str | None
        evidence: list[str]
        in_force_until: date | None  # exclusive; None for permanent or no duration

        def apply(self, aggregate: Any) -> None:
            aggregate.sanctions[self.event_id] = {
                "sanction_id": self.event_id,
                "penalty": self.penalty,
                "level": self.level,
                "decided_on": self.decided_on.isoformat(),
                "effective_date": self.effective_date.isoformat(),
                "in_force_until": _iso(self.in_force_until),
                "decree_number": self.decree_number,
                "bap_number": self.bap_number,
                "rule_version": self.rule_version,
                "appeals": {},
                "status": "IMPOSED",
                "revoked_by": None,
            }

    class SanctionAppealFiled(Event):
        sanction_id: str
        kind: str
        filed_on: date

        def apply(self, aggregate: Any) -> None:
            aggregate.sanctions[self.sanction_id]["appeals"][self.event_id] = {
                "appeal_id": self.event_id,
                "kind": self.kind,
                "filed_on": self.filed_on.isoformat(),
                "outcome": None,
                "decision_id": None,
            }

    class SanctionAppealDecided(Event):
        sanction_id: str
        appeal_id: str
        outcome: str
        decided_on: date
        new_penalty: str | None
        new_level: str | None
        new_in_force_until: date | None

        def apply(self, aggregate: Any) -> None:
            sanction = aggregate.sanctions[self.sanction_id]
            appeal = sanction["appeals"][self.appeal_id]
            appeal.update(outcome=self.outcome, decision_id=self.event_id)
            if self.outcome == "ANNULLED":
                sanction["status"] = "ANNULLED"
            elif self.outcome == "MODIFIED":
                sanction.update(
                    status="MODIFIED",
                    penalty=self.new_penalty,
                    level=self.new_level,
                    in_force_until=_iso(self.new_in_force_until),
                )

    class SanctionRevoked(Event):
        sanction_id: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            sanction = aggregate.sanctions[self.sanction_id]
            sanction["status"] = "REVOKED"
            sanction["revoked_by"] = self.event_id
            sanction["revoked_on"] = self.effective_date.isoformat()

    class TrainingCompleted(Event):
        title: str
        hours_jp: str  # decimal string: JP may be fractional
        provider: str

        def apply(self, aggregate: Any) -> None:
            year = str(self.effective_date.year)
            total = aggregate.training_jp.get(year, "0")
            aggregate.training_jp[year] = str(Decimal(total) + Decimal(self.hours_jp))

    class CollaborationJoined(Event):
        program: str
        role: str

        def apply(self, aggregate: Any) -> None:
            aggregate.collaborations.append(
                {"program": self.program, "role": self.role, "event_id": self.event_id}
            )

    def __init__(
        self,
        nip: str,
        name: str,
        agency: str,
        position: str,
        grade: str,
        employment_type: str,
        service_start_date: date,
    ) -> None:
        self.nip = nip
        self.name = name
        self.agency = agency
        self.position = position
        self.grade = grade
        self.employment_type = employment_type
        self.service_start_date = service_start_date
        self.registered_event_id = ""
        self.service_unit: str | None = None
        self.officer_code: str | None = None
        self.appraisals: dict[str, dict[str, Any]] = {}
        self.feedback_count: dict[str, int] = {}
        self.awards: dict[str, dict[str, Any]] = {}
        self.sanctions: dict[str, dict[str, Any]] = {}
        self.training_jp: dict[str, str] = {}
        self.collaborations: list[dict[str, str]] = []

    @staticmethod
    def create_id(nip: str) -> UUID:
        return stream_id("employee", nip)

    @classmethod
    def register(
        cls,
        env: Envelope,
        *,
        nip: str,
        name: str,
        agency: str,
        position: str,
        grade: str,
        employment_type: str,
        service_start_date: date,
    ) -> Employee:
        return cls._create(
            cls.EmployeeRegistered,
            nip=nip,
            name=name,
            agency=agency,
            position=position,
            grade=grade,
            employment_type=employment_type,
            service_start_date=service_start_date,
            **env.fields(),
        )

    # Derived views, used by commands (eligibility, duplicate checks) and read models.

    def appraisal_periods(self) -> list[str]:
        return [a["period"] for a in self.appraisals.values()]

    def sanction_facts(self) -> list[SanctionFact]:
        facts = []
        for s in self.sanctions.values():
            until = _parse(s["in_force_until"])
            if until is None and s["penalty"] != "PEMBERHENTIAN":
                # Ringan: no duration, carried out on its effective date (None would mean permanent).
                until = ringan_end(date.fromisoformat(s["effective_date"]))
            if s["status"] == "REVOKED":
                revoked = date.fromisoformat(s["revoked_on"])
                # A revocation ends a penalty early; it never extends one that already ended.
                until = revoked if until is None else min(until, revoked)
            facts.append(
                SanctionFact(
                    sanction_id=s["sanction_id"],
                    level=s["level"],
                    imposed_on=date.fromisoformat(s["decided_on"]),
                    in_force_from=date.fromisoformat(s["effective_date"]),
                    in_force_until=until,
                    annulled=s["status"] == "ANNULLED",
                )
            )
        return facts

    def dismissed_on(self) -> date | None:
        """Effective date of a dismissal that still stands, if any."""
        for s in self.sanctions.values():
            if s["penalty"] == "PEMBERHENTIAN" and s["status"] in ("IMPOSED", "MODIFIED"):
                return date.fromisoformat(s["effective_date"])
        return None


def penalty_end(start: date, months: int | None) -> date | None:
    """Exclusive end of a penalty of `months` from `start` (None: no end)."""
    if months is None:
        return None
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def ringan_end(start: date) -> date:
    """A ringan penalty has no duration: it is in force on its effective date only."""
    return start + timedelta(days=1)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _parse(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None

"""What the inspectorate's verification takes in and gives out: the decision, the record before it,
its appeals, and the verdict with each check's result (plain data, stable JSON forms)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ledger.clock import wib_date
from ledger.domain.complaint import Complaint
from ledger.domain.employee import Employee
from ledger.rules.discipline import LEVEL_ORDER
from ledger.vocabulary import Level

CONSISTENT = "CONSISTENT"


INCONSISTENT = "INCONSISTENT"


VERDICTS = (CONSISTENT, INCONSISTENT)


# The checks in their documented order (docs/INSPECTORATE.md); names are stable API values.
CHECK_NAMES = (
    "penalty_matches_level",  # 1
    "absence_table",  # 2
    "evidence",  # 3
    "procedure_dates",  # 4
    "official_authorised",  # 5
    "one_penalty_per_examination",  # 6
    "appeals",  # 7
    "in_service",  # 8
)


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _heaviest(levels: Sequence[Level]) -> Level:
    return max(levels, key=LEVEL_ORDER.__getitem__)


@dataclass(frozen=True)
class Decision:
    """A recorded `SanctionImposed`, as plain data."""

    sanction_id: str
    employee_id: str
    violations: tuple[Mapping[str, Any], ...]
    penalty: str
    decided_by_role: str
    decided_on: date
    recorded_on: date  # WIB date of recorded_at
    effective_date: date
    summoned_on: tuple[date, ...]
    examined_on: date | None
    bap_number: str | None
    decree_number: str | None
    evidence: tuple[str, ...]

    @classmethod
    def of(cls, event: Employee.SanctionImposed) -> Decision:
        return cls(
            sanction_id=event.event_id,
            employee_id=str(event.originator_id),
            violations=tuple(dict(v) for v in event.violations),
            penalty=event.penalty,
            decided_by_role=event.decided_by_role,
            decided_on=event.decided_on,
            recorded_on=wib_date(event.recorded_at),
            effective_date=event.effective_date,
            summoned_on=tuple(event.summoned_on),
            examined_on=event.examined_on,
            bap_number=event.bap_number,
            decree_number=event.decree_number,
            evidence=tuple(event.evidence),
        )

    @property
    def stated_level(self) -> Level:
        """One examination, one penalty: the heaviest violation's level."""
        return _heaviest([Level(v["level"]) for v in self.violations])

    def as_dict(self) -> dict[str, Any]:
        return {
            "sanction_id": self.sanction_id,
            "employee_id": self.employee_id,
            "violations": [dict(v) for v in self.violations],
            "penalty": self.penalty,
            "decided_by_role": self.decided_by_role,
            "decided_on": self.decided_on.isoformat(),
            "recorded_on": self.recorded_on.isoformat(),
            "effective_date": self.effective_date.isoformat(),
            "summoned_on": [d.isoformat() for d in self.summoned_on],
            "examined_on": _iso(self.examined_on),
            "bap_number": self.bap_number,
            "decree_number": self.decree_number,
            "evidence": list(self.evidence),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        return cls(
            sanction_id=data["sanction_id"],
            employee_id=data["employee_id"],
            violations=tuple(data["violations"]),
            penalty=data["penalty"],
            decided_by_role=data["decided_by_role"],
            decided_on=date.fromisoformat(data["decided_on"]),
            recorded_on=date.fromisoformat(data["recorded_on"]),
            effective_date=date.fromisoformat(data["effective_date"]),
            summoned_on=tuple(date.fromisoformat(d) for d in data["summoned_on"]),
            examined_on=_d(data["examined_on"]),
            bap_number=data["bap_number"],
            decree_number=data["decree_number"],
            evidence=tuple(data["evidence"]),
        )


@dataclass(frozen=True)
class PriorSanction:
    """An earlier sanction of the same employee, as it stood when the decision was recorded."""

    sanction_id: str
    penalty: str  # after the appeals decided by then
    lifecycle: str  # IMPOSED, MODIFIED, ANNULLED or REVOKED
    bap_number: str | None
    decided_on: date
    effective_date: date


@dataclass(frozen=True)
class PriorRecord:
    """The employee as recorded before the decision (log order)."""

    nip: str
    agency: str
    service_start_date: date
    sanctions: tuple[PriorSanction, ...] = ()

    @classmethod
    def of(cls, employee: Employee) -> PriorRecord:
        return cls(
            nip=employee.nip,
            agency=employee.agency,
            service_start_date=employee.service_start_date,
            sanctions=tuple(
                PriorSanction(
                    s["sanction_id"],
                    s["penalty"],
                    s["status"],
                    s.get("bap_number"),
                    date.fromisoformat(s["decided_on"]),
                    date.fromisoformat(s["effective_date"]),
                )
                for s in employee.sanctions.values()
            ),
        )


@dataclass(frozen=True)
class CitedEvent:
    """A cited evidence event that was in the log before the decision."""

    event_id: str
    originator_id: str
    effective_date: date | None  # needed only for the employee's own events and complaints
    # The employee record an event on another stream is about: a citizen's complaint naming an
    # officer (by badge code, resolved to the NIP when it was received) is evidence about them.
    about_id: str | None = None

    @staticmethod
    def about(event: object) -> str | None:
        """The id of the employee record `event` names, if it is a complaint naming an officer."""
        if isinstance(event, Complaint.ComplaintReceived) and event.officer_nip is not None:
            return str(Employee.create_id(event.officer_nip))
        return None


@dataclass(frozen=True)
class AppealFiled:
    appeal_id: str
    kind: str
    filed_on: date

    @classmethod
    def of(cls, event: Employee.SanctionAppealFiled) -> AppealFiled:
        return cls(event.event_id, event.kind, event.filed_on)


@dataclass(frozen=True)
class AppealDecided:
    decision_id: str
    appeal_id: str
    outcome: str
    decided_on: date
    new_penalty: str | None

    @classmethod
    def of(cls, event: Employee.SanctionAppealDecided) -> AppealDecided:
        return cls(event.event_id, event.appeal_id, event.outcome, event.decided_on, event.new_penalty)


AppealStep = AppealFiled | AppealDecided


def appeal_step_as_dict(step: AppealStep) -> dict[str, Any]:
    if isinstance(step, AppealFiled):
        return {
            "step": "FILED",
            "appeal_id": step.appeal_id,
            "kind": step.kind,
            "filed_on": _iso(step.filed_on),
        }
    return {
        "step": "DECIDED",
        "decision_id": step.decision_id,
        "appeal_id": step.appeal_id,
        "outcome": step.outcome,
        "decided_on": _iso(step.decided_on),
        "new_penalty": step.new_penalty,
    }


def appeal_step_from_dict(data: Mapping[str, Any]) -> AppealStep:
    if data["step"] == "FILED":
        return AppealFiled(data["appeal_id"], data["kind"], date.fromisoformat(data["filed_on"]))
    return AppealDecided(
        data["decision_id"],
        data["appeal_id"],
        data["outcome"],
        date.fromisoformat(data["decided_on"]),
        data["new_penalty"],
    )


@dataclass(frozen=True)
class Check:
    number: int
    name: str
    passed: bool
    detail_id: str  # Bahasa Indonesia
    detail_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "passed": self.passed,
            "detail": {"id": self.detail_id, "en": self.detail_en},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Check:
        return cls(data["number"], data["name"], data["passed"], data["detail"]["id"], data["detail"]["en"])


@dataclass(frozen=True)
class AppealTrace:
    """One appeal as the verification saw it."""

    appeal_id: str
    kind: str
    filed_on: date
    against_penalty: str
    route_valid: bool
    outcome: str | None = None
    decision_id: str | None = None
    decided_on: date | None = None
    new_penalty: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "appeal_id": self.appeal_id,
            "kind": self.kind,
            "filed_on": self.filed_on.isoformat(),
            "against_penalty": self.against_penalty,
            "route_valid": self.route_valid,
            "outcome": self.outcome,
            "decision_id": self.decision_id,
            "decided_on": _iso(self.decided_on),
            "new_penalty": self.new_penalty,
        }


@dataclass(frozen=True)
class DecisionFindings:
    """Checks 1-6 and 8: fixed once the decision is recorded."""

    nip: str
    agency: str  # the employee's agency as recorded before the decision
    checks: tuple[Check, ...]  # numbers 1-6 and 8
    rule_versions: Mapping[str, str | None]


@dataclass(frozen=True)
class AppealFindings:
    """Check 7 and where the appeals left the penalty."""

    check: Check
    appeals: tuple[AppealTrace, ...]
    penalty_after_appeals: str
    annulled: bool


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    nip: str
    agency: str
    checks: tuple[Check, ...]  # all eight, in order
    rule_versions: Mapping[str, str | None]
    penalty_after_appeals: str
    annulled: bool
    appeals: tuple[AppealTrace, ...] = ()

    @property
    def sanction_id(self) -> str:
        return self.decision.sanction_id

    @property
    def verdict(self) -> str:
        return CONSISTENT if all(c.passed for c in self.checks) else INCONSISTENT

    @property
    def failed(self) -> list[str]:
        return [c.name for c in self.checks if not c.passed]

    def as_dict(self) -> dict[str, Any]:
        d = self.decision
        return {
            "sanction_id": d.sanction_id,
            "employee_id": d.employee_id,
            "nip": self.nip,
            "agency": self.agency,
            "penalty": d.penalty,
            "level": d.stated_level.value,
            "decided_on": d.decided_on.isoformat(),
            "decree_number": d.decree_number,
            "decided_by_role": d.decided_by_role,
            "bap_number": d.bap_number,
            "verdict": self.verdict,
            "failed_checks": self.failed,
            "checks": [c.as_dict() for c in self.checks],
            "rule_versions": dict(self.rule_versions),
            "penalty_after_appeals": self.penalty_after_appeals,
            "annulled": self.annulled,
            "appeals": [a.as_dict() for a in self.appeals],
        }

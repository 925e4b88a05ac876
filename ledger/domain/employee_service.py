"""The service clock of an employee (docs/SERVICE.md): CLTN and suspension periods that stop
it, the end of service, the BUP and the flags HR must look at. A mixin of Employee
(ledger/domain/employee.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.domain.employee_dates import not_before, not_in_future
from ledger.domain.employee_state import EmployeeState
from ledger.domain.envelope import Envelope
from ledger.errors import AlreadyEnded, FieldError, NotFound, reject
from ledger.nip import parse_nip
from ledger.period import parse_period
from ledger.rules import RETIREMENT_RULES
from ledger.rules.awards import ServiceBreak, ServiceRecord
from ledger.rules.retirement import Retirement
from ledger.vocabulary import EmploymentType, LeaveType, ServiceEndReason

SUSPENSION = "SUSPENSION"  # the kind of a suspension period, beside the leave types
KIND_LABEL = {LeaveType.CLTN.value: "CLTN", SUSPENSION: "suspension"}


class EmployeeServiceClock(EmployeeState):
    def clock_state(self) -> dict[str, Any]:
        """The service clock's state. Created on first use rather than in __init__, so that a
        snapshot taken before the service clock existed still loads."""
        state: dict[str, Any] = self.__dict__.setdefault(
            "service_clock", {"periods": {}, "end": None, "trainings": {}}
        )
        return state

    # ------------------------------------------------------------------- the service clock
    # CLTN and suspension stop the clock for a period [started_on, ended_on); the periods never
    # overlap, lie within the service, and nothing of the clock happens after the end of service.

    def period_start_problems(
        self, started_on: date | None, decree_date: date | None, today: date
    ) -> list[FieldError]:
        problems = not_in_future("started_on", started_on, today) + not_in_future(
            "decree_date", decree_date, today
        )
        problems += not_before(
            "started_on", started_on, self.service_start_date, "before the employee's service start date"
        )
        end = self.service_ended_on()
        if started_on and end and started_on >= end:
            problems.append(FieldError("started_on", f"on or after the end of service ({end.isoformat()})"))
        if started_on:
            for p in self.clock_state()["periods"].values():
                start, until = date.fromisoformat(p["started_on"]), _parse(p["ended_on"])
                label = f"{KIND_LABEL[p['kind']]} {p['period_id']}"
                if until is None:
                    problems.append(
                        FieldError("started_on", f"{label} from {start.isoformat()} has not ended")
                    )
                elif start <= started_on < until:
                    problems.append(
                        FieldError(
                            "started_on",
                            f"within {label} ({start.isoformat()} to {until.isoformat()})",
                        )
                    )
        return problems

    def open_period(self, period_id: str, kind: str) -> dict[str, Any]:
        """A leave (kind: its leave type) or suspension of this employee that has not ended."""
        period: dict[str, Any] | None = self.clock_state()["periods"].get(period_id)
        is_kind = period is not None and (
            period["kind"] == SUSPENSION if kind == SUSPENSION else period["kind"] != SUSPENSION
        )
        noun = "suspension" if kind == SUSPENSION else "leave"
        if period is None or not is_kind:
            raise NotFound(f"unknown {noun} {period_id} for this employee")
        if period["ended_on"] is not None:
            raise AlreadyEnded(f"{noun} {period_id} has already ended ({period['ended_on']})")
        return period

    def period_end_problems(
        self, period_id: str, kind: str, ended_on: date | None, decree_date: date | None, today: date
    ) -> list[FieldError]:
        period = self.open_period(period_id, kind)
        start = date.fromisoformat(period["started_on"])
        problems = not_in_future("ended_on", ended_on, today) + not_in_future(
            "decree_date", decree_date, today
        )
        if ended_on and ended_on <= start:
            problems.append(FieldError("ended_on", f"must be after the start ({start.isoformat()})"))
        elif ended_on:
            for p in self.clock_state()["periods"].values():
                other = date.fromisoformat(p["started_on"])
                if p["period_id"] != period_id and start < other < ended_on:
                    problems.append(
                        FieldError(
                            "ended_on",
                            f"overlaps {KIND_LABEL[p['kind']]} {p['period_id']} from {other.isoformat()}",
                        )
                    )
        end = self.service_ended_on()
        if ended_on and end and ended_on > end:
            problems.append(FieldError("ended_on", f"after the end of service ({end.isoformat()})"))
        return problems

    def start_leave(
        self,
        env: Envelope,
        *,
        leave_type: LeaveType,
        started_on: date,
        reason: str,
        decree_number: str,
        decree_date: date,
    ) -> str:
        """Leave outside the state's liability (CLTN): the service clock stops from started_on."""
        reject(self.period_start_problems(started_on, decree_date, env.today))
        return self.record(
            self.LeaveStarted,
            env.at(started_on, decree_number=decree_number, decree_date=decree_date),
            leave_type=leave_type.value,
            started_on=started_on,
            reason=reason,
        )

    def end_leave(
        self, env: Envelope, leave_id: str, *, ended_on: date, decree_number: str, decree_date: date
    ) -> str:
        """The leave ends: the clock runs again from ended_on, the first day back in service."""
        reject(self.period_end_problems(leave_id, LeaveType.CLTN.value, ended_on, decree_date, env.today))
        return self.record(
            self.LeaveEnded,
            env.at(ended_on, decree_number=decree_number, decree_date=decree_date),
            leave_id=leave_id,
            ended_on=ended_on,
        )

    def suspend(
        self, env: Envelope, *, started_on: date, reason: str, decree_number: str, decree_date: date
    ) -> str:
        """Pemberhentian sementara: the service clock stops from started_on."""
        reject(self.period_start_problems(started_on, decree_date, env.today))
        return self.record(
            self.SuspensionStarted,
            env.at(started_on, decree_number=decree_number, decree_date=decree_date),
            started_on=started_on,
            reason=reason,
        )

    def end_suspension(
        self, env: Envelope, suspension_id: str, *, ended_on: date, decree_number: str, decree_date: date
    ) -> str:
        reject(self.period_end_problems(suspension_id, SUSPENSION, ended_on, decree_date, env.today))
        return self.record(
            self.SuspensionEnded,
            env.at(ended_on, decree_number=decree_number, decree_date=decree_date),
            suspension_id=suspension_id,
            ended_on=ended_on,
        )

    def end_service_allowed(self) -> None:
        end = self.clock_state()["end"]
        if end is not None:
            raise AlreadyEnded(f"the service already ended on {end['ended_on']} ({end['end_id']})")

    def service_end_problems(
        self,
        reason: ServiceEndReason | None,
        ended_on: date | None,
        decree_date: date | None,
        today: date,
    ) -> list[FieldError]:
        problems = not_in_future("ended_on", ended_on, today) + not_in_future(
            "decree_date", decree_date, today
        )
        problems += not_before(
            "ended_on", ended_on, self.service_start_date, "before the employee's service start date"
        )
        if ended_on:
            for p in self.clock_state()["periods"].values():
                label = f"{KIND_LABEL[p['kind']]} {p['period_id']}"
                start, until = date.fromisoformat(p["started_on"]), _parse(p["ended_on"])
                if start >= ended_on:
                    problems.append(FieldError("ended_on", f"on or before the start of {label} ({start})"))
                elif until is not None and until > ended_on:
                    problems.append(FieldError("ended_on", f"before the end of {label} ({until})"))
        if (
            reason is ServiceEndReason.PERJANJIAN_KERJA_BERAKHIR
            and self.employment_type != EmploymentType.PPPK.value
        ):
            problems.append(FieldError("reason", "only a PPPK's service ends with the work agreement"))
        return problems

    def end_service(
        self,
        env: Envelope,
        *,
        reason: ServiceEndReason,
        ended_on: date,
        decree_number: str,
        decree_date: date,
    ) -> str:
        """The end of service (pemberhentian): ended_on is the first day out of service. Once."""
        self.end_service_allowed()
        reject(self.service_end_problems(reason, ended_on, decree_date, env.today))
        return self.record(
            self.ServiceEnded,
            env.at(ended_on, decree_number=decree_number, decree_date=decree_date),
            reason=reason.value,
            ended_on=ended_on,
        )

    def service_ended_on(self) -> date | None:
        end = self.clock_state()["end"]
        return date.fromisoformat(end["ended_on"]) if end else None

    def service_record(self) -> ServiceRecord:
        """The service clock as award eligibility reads it."""
        end = self.clock_state()["end"]
        return ServiceRecord(
            start=self.service_start_date,
            employment_type=EmploymentType(self.employment_type),
            registered_event_id=self.registered_event_id,
            breaks=tuple(
                ServiceBreak(p["period_id"], date.fromisoformat(p["started_on"]), _parse(p["ended_on"]))
                for p in self.clock_state()["periods"].values()
            ),
            ended_on=self.service_ended_on(),
            end_event_id=end["end_id"] if end else None,
        )

    def retirement(self, on: date) -> Retirement | None:
        """The BUP of the current position (by the rule in force on `on`; None before the first)."""
        rule = RETIREMENT_RULES.find(on)
        return rule.of(parse_nip(self.nip).birth_date, self.position) if rule else None

    def service_flags(self, on: date) -> list[dict[str, Any]]:
        """What HR must look at: past the BUP without an end of service, and appraisals, awards
        and training dated on or after the end of service. Flags, never refusals."""
        flags: list[dict[str, Any]] = []
        end = self.service_ended_on()
        retirement = self.retirement(on)
        if end is None and retirement is not None and on >= retirement.pension_from:
            flags.append(
                {
                    "flag": "PAST_BUP",
                    "event_id": None,
                    "reason": (
                        f"melewati BUP {retirement.age} tahun pada {retirement.reached_on}, belum "
                        f"ada pemberhentian (reached the retirement age of {retirement.age} on "
                        f"{retirement.reached_on}; no end of service is recorded)"
                    ),
                }
            )
        if end is None:
            return flags
        after = f"on or after the end of service on {end.isoformat()}"
        for a in self.appraisals.values():
            if parse_period(a["period"]).start >= end:
                flags.append(
                    {
                        "flag": "AFTER_SERVICE_END",
                        "event_id": a["appraisal_id"],
                        "reason": f"appraisal {after}",
                    }
                )
        for w in self.awards.values():
            if w["decree_date"] and date.fromisoformat(w["decree_date"]) >= end:
                flags.append(
                    {"flag": "AFTER_SERVICE_END", "event_id": w["award_id"], "reason": f"award {after}"}
                )
        for event_id, day in self.clock_state()["trainings"].items():
            if date.fromisoformat(day) >= end:
                flags.append(
                    {"flag": "AFTER_SERVICE_END", "event_id": event_id, "reason": f"training {after}"}
                )
        return flags


def _parse(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None

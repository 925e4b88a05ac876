"""The ServiceUnit aggregate: a public-service unit that receives citizens' surveys."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.employee import Employee
from ledger.domain.envelope import Envelope, LedgerAggregate, LedgerEvent
from ledger.errors import AlreadyFollowedUp, FieldError, NotFound, OfficerCodeTaken, reject
from ledger.nip import stream_id
from ledger.rules import SATISFACTION_RULES
from ledger.rules.satisfaction import validate_answers


class ServiceUnit(LedgerAggregate):
    class Event(LedgerEvent):
        pass

    class ServiceUnitRegistered(Event, Aggregate.Created):
        code: str
        name: str
        agency: str

    class OfficerCodeAssigned(Event):
        """Kept on the unit too, so a citizen's officer code resolves without any NIP."""

        officer_code: str
        employee_id: str

        def apply(self, aggregate: Any) -> None:
            # An employee holds one code per unit: a new code replaces the old one.
            for code, holder in list(aggregate.officers.items()):
                if holder == self.employee_id:
                    del aggregate.officers[code]
            aggregate.officers[self.officer_code] = self.employee_id

    class OfficerCodeReleased(Event):
        officer_code: str

        def apply(self, aggregate: Any) -> None:
            aggregate.officers.pop(self.officer_code, None)

    class SurveyResponseReceived(Event):
        answers: dict[str, int]
        comment: str | None
        officer_code: str | None
        officer_feedback_event_id: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.responses += 1

    class CommentFollowedUp(Event):
        """HR's follow-up of the comment of one survey (the survey's event id), with the response."""

        comment_id: str
        response: str

        def apply(self, aggregate: Any) -> None:
            aggregate.followed_up()[self.comment_id] = self.event_id

    def __init__(self, code: str, name: str, agency: str) -> None:
        self.code = code
        self.name = name
        self.agency = agency
        self.officers: dict[str, str] = {}
        self.responses = 0

    @staticmethod
    def create_id(code: str) -> UUID:
        return stream_id("service-unit", code)

    def followed_up(self) -> dict[str, str]:
        """Comment id -> follow-up event id. Set on first use: a snapshot taken before the first
        follow-up has no such attribute, and none is missing from it."""
        found: dict[str, str] = self.__dict__.setdefault("_followed_up", {})
        return found

    def follow_up_comment(
        self, env: Envelope, *, survey: SurveyResponseReceived | None, comment_id: str, response: str
    ) -> str:
        """OPEN -> FOLLOWED_UP, once, for a survey of this unit that carries a comment."""
        if survey is None or survey.originator_id != self.id or not survey.comment:
            raise NotFound(f"no comment {comment_id} on service unit {self.code}")
        if comment_id in self.followed_up():
            raise AlreadyFollowedUp(f"comment {comment_id} was already followed up")
        return self.record(ServiceUnit.CommentFollowedUp, env, comment_id=comment_id, response=response)

    @classmethod
    def register(cls, env: Envelope, *, code: str, name: str, agency: str) -> ServiceUnit:
        return cls._create(cls.ServiceUnitRegistered, code=code, name=name, agency=agency, **env.fields())

    def assign_officer(self, env: Envelope, *, officer_code: str, employee_id: str) -> str:
        """A badge code names one officer of the unit at a time."""
        holder = self.officers.get(officer_code)
        if holder is not None and holder != employee_id:
            raise OfficerCodeTaken(f"officer code {officer_code} is held by another officer of {self.code}")
        return self.record(
            ServiceUnit.OfficerCodeAssigned, env, officer_code=officer_code, employee_id=employee_id
        )

    def release_officer(self, env: Envelope, *, officer_code: str) -> str:
        return self.record(ServiceUnit.OfficerCodeReleased, env, officer_code=officer_code)

    def officer_of(self, officer_code: object) -> str | None:
        """The employee id behind a badge code of this unit, if any."""
        return self.officers.get(officer_code) if isinstance(officer_code, str) else None

    def officer_problems(self, officer_code: object) -> list[FieldError]:
        if officer_code is not None and self.officer_of(officer_code) is None:
            return [FieldError("officer_code", "no officer with this code serves this unit")]
        return []

    @staticmethod
    def survey_problems(answers: object, today: date) -> list[FieldError]:
        rule = SATISFACTION_RULES.in_force(today)
        if not isinstance(answers, dict):
            return [FieldError("answers", "an object with U1..U9")]
        return [FieldError(field, reason) for field, reason in validate_answers(rule, answers)]

    def receive_survey(
        self,
        env: Envelope,
        *,
        answers: dict[str, object],
        comment: str | None,
        officer_code: str | None,
        officer: Employee | None,
    ) -> str:
        """One citizen's answers under the satisfaction rule in force on the recording day. A survey
        naming an officer counts for the unit and for the officer: it is recorded on both, the
        unit's event naming the officer's (the caller saves both aggregates together)."""
        reject(self.survey_problems(answers, env.today) + self.officer_problems(officer_code))
        rule = SATISFACTION_RULES.in_force(env.today)
        clean = {k: int(answers[k]) for k in rule.elements}  # type: ignore[call-overload]
        env = env.at(None, rule_version=rule.version)
        eid = self.record(
            ServiceUnit.SurveyResponseReceived,
            env,
            answers=clean,
            comment=comment,
            officer_code=officer_code if officer else None,
            officer_feedback_event_id=f"{officer.id}:{officer.version + 1}" if officer else None,
        )
        if officer is not None:
            officer.receive_citizen_feedback(
                env, answers=clean, comment=comment, service_unit=self.code, survey_event_id=eid
            )
        return eid

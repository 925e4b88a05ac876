"""Public input on an employee: feedback, citizens' surveys naming the officer, and HR's review
of their bursts (ledger.rules.bursts). A mixin of Employee (ledger/domain/employee.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ledger.domain.employee_state import EmployeeState
from ledger.domain.envelope import Envelope
from ledger.errors import AlreadyDecided, FieldError, NotFound, reject
from ledger.rules.bursts import Burst, bursts_by_rule
from ledger.vocabulary import BurstDecision, FeedbackSource


class EmployeePublicInput(EmployeeState):
    def public_input_state(self) -> dict[str, Any]:
        """Citizens' surveys naming this officer (event id -> recorded at) and HR's reviews of
        their bursts. Created on first use, so that a snapshot taken before it existed loads."""
        state: dict[str, Any] = self.__dict__.setdefault("public_input", {"surveys": {}, "reviews": {}})
        return state

    def survey_bursts(self) -> list[Burst]:
        surveys = self.public_input_state()["surveys"]
        return bursts_by_rule((event_id, datetime.fromisoformat(at)) for event_id, at in surveys.items())

    def review_survey_burst(
        self, env: Envelope, burst_id: str, *, decision: BurstDecision, reason: str
    ) -> str:
        """Decide whether a burst of surveys counts in this officer's score; once."""
        if burst_id not in {b.burst_id for b in self.survey_bursts()}:
            raise NotFound(f"no burst of surveys naming this officer starts with {burst_id}")
        if burst_id in self.public_input_state()["reviews"]:
            raise AlreadyDecided(f"the burst starting with {burst_id} is already reviewed")
        return self.record(
            self.SurveyBurstReviewed, env, burst_id=burst_id, decision=decision.value, reason=reason
        )

    @staticmethod
    def feedback_problems(source: FeedbackSource | None) -> list[FieldError]:
        if source is FeedbackSource.CITIZEN:
            return [FieldError("source", "citizen feedback comes through the public survey")]
        return []

    def receive_feedback(
        self, env: Envelope, *, source: FeedbackSource, score: int, comment: str | None
    ) -> str:
        reject(self.feedback_problems(source))
        return self.record(
            self.FeedbackReceived,
            env,
            source=source.value,
            score=score,
            answers=None,
            comment=comment,
            service_unit=None,
            survey_event_id=None,
        )

    def receive_citizen_feedback(
        self,
        env: Envelope,
        *,
        answers: dict[str, int],
        comment: str | None,
        service_unit: str,
        survey_event_id: str,
    ) -> str:
        return self.record(
            self.FeedbackReceived,
            env,
            source=FeedbackSource.CITIZEN.value,
            score=None,
            answers=answers,
            comment=comment,
            service_unit=service_unit,
            survey_event_id=survey_event_id,
        )

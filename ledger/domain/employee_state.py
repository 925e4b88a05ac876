"""What the Employee aggregate's concept mixins (employee_appraisal, employee_public_input,
employee_awards, employee_discipline, employee_service, employee_placement, employee_skp) may use
of the aggregate.

`Employee` (ledger/domain/employee.py) lists `LedgerAggregate` before the mixins, so its real
`record` and its nested event classes come first in the method resolution order; this base only
declares them for the type checker. It holds no state and no behaviour of its own.

Each command of a mixin enforces the employee's own rules and raises a domain error. Its
`*_problems` twin lists the field problems without raising, so that the application can report
them together with the problems of the raw input: a refused command names every field at once."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from ledger.domain.envelope import Envelope, LedgerEvent
from ledger.rules.awards import ServiceRecord


class EmployeeState:
    # The state, set by Employee.__init__ and the events' apply methods.
    nip: str
    agency: str
    position: str
    grade: str
    employment_type: str
    service_start_date: date
    registered_event_id: str
    appraisals: dict[str, dict[str, Any]]
    awards: dict[str, dict[str, Any]]
    sanctions: dict[str, dict[str, Any]]

    # The nested event classes of Employee (their topics are stored: they stay there).
    EmployeeTransferred: ClassVar[type[LedgerEvent]]
    AssignedToServiceUnit: ClassVar[type[LedgerEvent]]
    CollaborationJoined: ClassVar[type[LedgerEvent]]
    AppraisalRecorded: ClassVar[type[LedgerEvent]]
    LegacyAppraisalRecorded: ClassVar[type[LedgerEvent]]
    AppraisalCorrected: ClassVar[type[LedgerEvent]]
    FeedbackReceived: ClassVar[type[LedgerEvent]]
    SurveyBurstReviewed: ClassVar[type[LedgerEvent]]
    AwardGranted: ClassVar[type[LedgerEvent]]
    AwardRevoked: ClassVar[type[LedgerEvent]]
    TrainingCompleted: ClassVar[type[LedgerEvent]]
    SanctionImposed: ClassVar[type[LedgerEvent]]
    SanctionAppealFiled: ClassVar[type[LedgerEvent]]
    SanctionAppealDecided: ClassVar[type[LedgerEvent]]
    SanctionRevoked: ClassVar[type[LedgerEvent]]
    LeaveStarted: ClassVar[type[LedgerEvent]]
    LeaveEnded: ClassVar[type[LedgerEvent]]
    SuspensionStarted: ClassVar[type[LedgerEvent]]
    SuspensionEnded: ClassVar[type[LedgerEvent]]
    ServiceEnded: ClassVar[type[LedgerEvent]]
    SkpPlanned: ClassVar[type[LedgerEvent]]
    SkpRevised: ClassVar[type[LedgerEvent]]
    RealisationReported: ClassVar[type[LedgerEvent]]
    PerformanceDialogueHeld: ClassVar[type[LedgerEvent]]
    BehaviourFeedbackGiven: ClassVar[type[LedgerEvent]]

    def record(self, event_class: type[LedgerEvent], env: Envelope, **payload: Any) -> str:
        """LedgerAggregate.record."""
        raise NotImplementedError

    def service_record(self) -> ServiceRecord:
        """EmployeeServiceClock.service_record (award eligibility reads the service clock)."""
        raise NotImplementedError

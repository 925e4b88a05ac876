"""The application service: the ledger's commands, composed over one eventsourcing Application.

Commands live with their concept (``ledger.commands``, ``ledger.discipline.commands``); the
machinery they share (transactions, idempotency, If-Match, loading) is ``ledger.service``.
"""

from __future__ import annotations

from ledger.commands.appraisals import AppraisalCommands
from ledger.commands.awards import AwardCommands
from ledger.commands.complaints import ComplaintCommands
from ledger.commands.employees import EmployeeCommands
from ledger.commands.organisation import OrganisationCommands
from ledger.commands.programs import ProgramCommands
from ledger.commands.public_input import PublicInputCommands
from ledger.commands.service import ServiceCommands
from ledger.commands.skp import SkpCommands
from ledger.commands.training import TrainingCommands
from ledger.config import APP_NAME
from ledger.discipline.commands import DisciplineCommands
from ledger.domain.employee import Employee
from ledger.domain.service_unit import ServiceUnit
from ledger.service import SYSTEM, CommandContext, CommandResult, DateAsISO, Pending

__all__ = ["SYSTEM", "CommandContext", "CommandResult", "DateAsISO", "KinerjaLedger", "Pending"]


class KinerjaLedger(
    OrganisationCommands,
    EmployeeCommands,
    AppraisalCommands,
    AwardCommands,
    TrainingCommands,
    ServiceCommands,
    DisciplineCommands,
    ProgramCommands,
    PublicInputCommands,
    SkpCommands,
    ComplaintCommands,
):
    """The one application of a process (its name fixes the stored tables' names)."""

    name = APP_NAME
    # A unit collects every citizen survey about it; snapshots keep loading it cheap. An
    # employee's time travel (ledger/history.py) starts from a snapshot and folds at most the
    # events of one interval after it, and decodes those after the newest: every 100 events keeps
    # a read of any day under 5 ms (docs/PERFORMANCE.md, B6) for a row per 100 events.
    snapshotting_intervals = {ServiceUnit: 200, Employee: 100}  # noqa: RUF012

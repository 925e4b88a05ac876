"""The projections a deployment runs (``ledger worker``, ``ledger serve``, ``projections`` CLI).

Other teams add their projection here: one line in :func:`default_projections`.
"""

from __future__ import annotations

from projections.agency_summary import AgencyProjection
from projections.appraisal_basis import AppraisalVerification
from projections.audit import AuditProjection
from projections.award_register import AwardRegisterProjection
from projections.base import Projection
from projections.collaboration import CollaborationProjection
from projections.discipline.decisions import SanctionRegisterProjection
from projections.discipline.verdicts import SanctionsVerification
from projections.employee_summary import EmployeeSummaryProjection
from projections.public_input import PublicInputProjection
from projections.satyalancana import SatyalancanaProjection
from projections.scorecard import ScorecardProjection
from projections.skp_progress import SkpProgressProjection


def default_projections() -> list[Projection]:
    """Fresh instances (projections keep per-batch caches, so never share one between runners)."""
    return [
        EmployeeSummaryProjection(),
        ScorecardProjection(),
        AgencyProjection(),
        AwardRegisterProjection(),
        SatyalancanaProjection(),
        SanctionRegisterProjection(),
        SanctionsVerification(),
        CollaborationProjection(),
        SkpProgressProjection(),
        AppraisalVerification(),
        PublicInputProjection(),
        AuditProjection(),
    ]

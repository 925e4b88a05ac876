"""Versioned rule data. Look a rule up by the date it must be applied on."""

from ledger.rules.awards import AWARD_RULES, AwardRule, SanctionFact
from ledger.rules.base import RuleHistory
from ledger.rules.discipline import (
    AUTHORITY_TABLES,
    DISCIPLINE_RULES,
    AuthorityTable,
    DisciplineRule,
)
from ledger.rules.predikat import PREDIKAT_RULES, PredikatRule
from ledger.rules.retirement import RETIREMENT_RULES, PostCategory, RetirementRule
from ledger.rules.satisfaction import SATISFACTION_RULES, SatisfactionRule, compute_ikm
from ledger.rules.training import TRAINING_RULES, TrainingRule

__all__ = [
    "AUTHORITY_TABLES",
    "AWARD_RULES",
    "DISCIPLINE_RULES",
    "PREDIKAT_RULES",
    "RETIREMENT_RULES",
    "SATISFACTION_RULES",
    "TRAINING_RULES",
    "AuthorityTable",
    "AwardRule",
    "DisciplineRule",
    "PostCategory",
    "PredikatRule",
    "RetirementRule",
    "RuleHistory",
    "SanctionFact",
    "SatisfactionRule",
    "TrainingRule",
    "compute_ikm",
]

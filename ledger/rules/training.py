"""Pengembangan kompetensi: at least 20 JP a calendar year (PP 17/2020 amending PP 11/2017).

The 20 JP minimum is a rule of PNS management: a PPPK's competency development follows PP 49/2018
Pasal 40, so PPPK are reported beside the PNS, never counted as non-compliant (docs/SERVICE.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledger.rules.base import RuleHistory
from ledger.vocabulary import EmploymentType


@dataclass(frozen=True)
class TrainingRule:
    version: str
    legal_basis: str
    effective_from: date
    minimum_jp_per_year: int
    minutes_per_jp: int
    # Bounds on one record: the longest diklat (PKA/PKN) runs a few hundred JP.
    min_jp_per_record: Decimal
    max_jp_per_record: Decimal
    # Who the yearly minimum binds; the others are reported separately.
    minimum_applies_to: frozenset[EmploymentType] = frozenset({EmploymentType.PNS})

    def compliant(self, jp: Decimal) -> bool:
        return jp >= self.minimum_jp_per_year

    def binds(self, employment_type: str) -> bool:
        """Whether the yearly minimum applies to this employment type."""
        return employment_type in self.minimum_applies_to


TRAINING_RULES: RuleHistory[TrainingRule] = RuleHistory(
    (
        TrainingRule(
            version="kompetensi/2020.1",
            legal_basis="PP 17/2020 Pasal 203 ayat (4) (paling sedikit 20 JP setahun)",
            effective_from=date(2020, 3, 31),
            minimum_jp_per_year=20,
            minutes_per_jp=45,
            min_jp_per_record=Decimal("0.5"),
            max_jp_per_record=Decimal(1000),
        ),
    )
)

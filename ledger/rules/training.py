"""Pengembangan kompetensi: at least 20 JP a calendar year (PP 17/2020 amending PP 11/2017)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledger.rules.base import RuleHistory


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

    def compliant(self, jp: Decimal) -> bool:
        return jp >= self.minimum_jp_per_year


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

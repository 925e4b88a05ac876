"""Award eligibility: PP 35/2010 (Satyalancana Karya Satya) and promotion-type awards.

Awards are recorded as issued; an ineligible one is flagged with the reason and the events it
rests on, never refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ledger.rules.base import RuleHistory
from ledger.vocabulary import AwardType, Level


@dataclass(frozen=True)
class SanctionFact:
    """What eligibility needs to know of one sanction, after appeals and revocations."""

    sanction_id: str
    level: Level  # of the penalty imposed (after a MODIFIED appeal), never of the violation
    imposed_on: date  # decision date
    in_force_from: date
    in_force_until: date | None  # exclusive, a revocation included; None = permanent
    annulled: bool
    revoked_on: date | None = None

    def cleared_by(self, day: date) -> bool:
        """Annulled on appeal, or revoked on or before `day`: no longer a penalty imposed."""
        return self.annulled or (self.revoked_on is not None and self.revoked_on <= day)

    def in_force_on(self, day: date) -> bool:
        if self.annulled or day < self.in_force_from:
            return False
        return self.in_force_until is None or day < self.in_force_until


@dataclass(frozen=True)
class Ineligibility:
    reason: str
    event_ids: tuple[str, ...]


@dataclass(frozen=True)
class AwardRule:
    version: str
    legal_basis: str
    effective_from: date
    # Satyalancana: years of service required, counted from service_start_date.
    service_years: Mapping[AwardType, int]
    # Levels that, imposed within the counted years and neither annulled nor revoked (by the
    # decree date), bar a Satyalancana.
    barring_levels: frozenset[Level]
    # Awards barred while a penalty of these levels is in force.
    blocked_while_in_force: frozenset[AwardType]

    def assess(
        self,
        award_type: AwardType,
        decree_date: date,
        service_start: date,
        sanctions: Sequence[SanctionFact],
    ) -> list[Ineligibility]:
        problems: list[Ineligibility] = []
        years_required = self.service_years.get(award_type)
        if years_required is not None:
            served = _full_years(service_start, decree_date)
            if served < years_required:
                problems.append(
                    Ineligibility(
                        f"masa kerja {served} tahun, kurang dari {years_required} tahun "
                        f"(service {served} years, {years_required} required)",
                        (),
                    )
                )
            window_start = _add_years(decree_date, -years_required)
            barring = [
                s.sanction_id
                for s in sanctions
                if s.level in self.barring_levels
                and not s.cleared_by(decree_date)
                and max(window_start, service_start) <= s.imposed_on <= decree_date
            ]
            if barring:
                problems.append(
                    Ineligibility(
                        "pernah dijatuhi hukuman disiplin sedang/berat dalam masa kerja yang "
                        "dihitung (a sedang or berat penalty was imposed in the counted years)",
                        tuple(barring),
                    )
                )
        if award_type in self.blocked_while_in_force:
            in_force = [
                s.sanction_id
                for s in sanctions
                if s.level in self.barring_levels and s.in_force_on(decree_date)
            ]
            if in_force:
                problems.append(
                    Ineligibility(
                        "sedang menjalani hukuman disiplin sedang/berat "
                        "(a sedang or berat penalty is in force)",
                        tuple(in_force),
                    )
                )
        return problems


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _full_years(start: date, end: date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


AWARD_RULES: RuleHistory[AwardRule] = RuleHistory(
    (
        AwardRule(
            version="penghargaan/2010.1",
            legal_basis="PP 35/2010 Pasal 22 (Satyalancana Karya Satya); PP 94/2021 Pasal 41",
            effective_from=date(2010, 1, 1),
            service_years={
                AwardType.SATYALANCANA_KARYA_SATYA_10: 10,
                AwardType.SATYALANCANA_KARYA_SATYA_20: 20,
                AwardType.SATYALANCANA_KARYA_SATYA_30: 30,
            },
            barring_levels=frozenset({Level.SEDANG, Level.BERAT}),
            blocked_while_in_force=frozenset(
                {
                    AwardType.SATYALANCANA_KARYA_SATYA_10,
                    AwardType.SATYALANCANA_KARYA_SATYA_20,
                    AwardType.SATYALANCANA_KARYA_SATYA_30,
                    AwardType.KENAIKAN_PANGKAT_ISTIMEWA,
                }
            ),
        ),
    )
)

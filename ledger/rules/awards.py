"""Award eligibility: PP 35/2010 (Satyalancana Karya Satya) and promotion-type awards.

Awards are recorded as issued; an ineligible one is flagged with the reason and the events it
rests on, never refused. Satyalancana Karya Satya and kenaikan pangkat istimewa are for PNS only;
the Satyalancana's years are the counted service: from the service start, without the periods of
CLTN and suspension, and never past the end of service (docs/SERVICE.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ledger.rules.base import RuleHistory
from ledger.vocabulary import AwardType, EmploymentType, Level


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
class ServiceBreak:
    """A period that stops the service clock (CLTN, suspension): [start, end), end None = open."""

    period_id: str
    start: date
    end: date | None


@dataclass(frozen=True)
class ServiceRecord:
    """What eligibility needs to know of an employee's service."""

    start: date
    employment_type: EmploymentType = EmploymentType.PNS
    registered_event_id: str = ""
    breaks: tuple[ServiceBreak, ...] = ()
    ended_on: date | None = None  # the first day out of service
    end_event_id: str | None = None

    def excluded(self, since: date, until: date) -> tuple[int, tuple[str, ...]]:
        """Days of [since, until) inside a break, and the breaks that cover them."""
        days, ids = 0, []
        for b in self.breaks:
            overlap = (min(b.end or until, until) - max(b.start, since)).days
            if overlap > 0:
                days += overlap
                ids.append(b.period_id)
        return days, tuple(ids)

    def counted_years(self, on: date) -> tuple[int, int, tuple[str, ...]]:
        """Full years of counted service on `on`, the days left out and the breaks they fall in."""
        until = min(on, self.ended_on) if self.ended_on else on
        days, ids = self.excluded(self.start, until)
        return _full_years(self.start + timedelta(days=days), until), days, ids

    def reaches(self, years: int) -> date | None:
        """The first day on which counted service is `years` full years (`counted_years`), or None:
        not before the end of service, or a break that has not ended comes first (an open CLTN or
        suspension keeps the clock stopped, so the day is not known yet)."""
        start, target = self.start, _add_years(self.start, years)
        for b in sorted(self.breaks, key=lambda b: b.start):
            if b.start >= target:
                break
            if b.end is None:
                return None
            # The whole break falls before the day it pushes out: the day moves by its length.
            start += timedelta(days=(b.end - max(b.start, self.start)).days)
            target = _add_years(start, years)
        # _add_years moves 29 February to the 28th: step to the day counted_years agrees with.
        while self.counted_years(target)[0] < years:
            if self.ended_on is not None and target > self.ended_on:
                return None
            target += timedelta(days=1)
        if self.ended_on is not None and target > self.ended_on:
            return None
        return target

    def window_start(self, on: date, years: int) -> date:
        """The day from which `years` of counted service run up to `on` (breaks lengthen it)."""
        start = _add_years(on, -years)
        while True:  # each step only moves back, over finitely many breaks
            days, _ = self.excluded(start, on)
            earlier = _add_years(on, -years) - timedelta(days=days)
            if earlier >= start:
                return start
            start = earlier


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
    # Awards for PNS only: a PPPK's award of these types is flagged.
    pns_only: frozenset[AwardType] = frozenset()

    def assess(
        self,
        award_type: AwardType,
        decree_date: date,
        service: ServiceRecord | date,
        sanctions: Sequence[SanctionFact],
    ) -> list[Ineligibility]:
        record = service if isinstance(service, ServiceRecord) else ServiceRecord(service)
        service_start = record.start
        problems: list[Ineligibility] = []
        if award_type in self.pns_only and record.employment_type is not EmploymentType.PNS:
            problems.append(Ineligibility(PNS_ONLY[award_type], (record.registered_event_id,)))
        if record.ended_on is not None and decree_date >= record.ended_on:
            problems.append(
                Ineligibility(
                    f"diberikan setelah masa dinas berakhir pada {record.ended_on} "
                    f"(decree dated on or after the end of service on {record.ended_on})",
                    (record.end_event_id or "",),
                )
            )
        years_required = self.service_years.get(award_type)
        if years_required is not None:
            served, days_out, breaks = record.counted_years(decree_date)
            if served < years_required and days_out:
                problems.append(
                    Ineligibility(
                        f"masa kerja {served} tahun, kurang dari {years_required} tahun; "
                        f"{days_out} hari CLTN/pemberhentian sementara tidak dihitung "
                        f"(counted service {served} years, {years_required} required; "
                        f"{days_out} days of CLTN or suspension are not counted)",
                        breaks,
                    )
                )
            elif served < years_required:
                problems.append(
                    Ineligibility(
                        f"masa kerja {served} tahun, kurang dari {years_required} tahun "
                        f"(service {served} years, {years_required} required)",
                        (),
                    )
                )
            window_start = record.window_start(decree_date, years_required)
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


PNS_ONLY = {
    AwardType.SATYALANCANA_KARYA_SATYA_10: (
        "Satyalancana Karya Satya hanya untuk PNS; pegawai ini PPPK "
        "(Satyalancana Karya Satya is for PNS only; this employee is PPPK)"
    ),
    AwardType.SATYALANCANA_KARYA_SATYA_20: (
        "Satyalancana Karya Satya hanya untuk PNS; pegawai ini PPPK "
        "(Satyalancana Karya Satya is for PNS only; this employee is PPPK)"
    ),
    AwardType.SATYALANCANA_KARYA_SATYA_30: (
        "Satyalancana Karya Satya hanya untuk PNS; pegawai ini PPPK "
        "(Satyalancana Karya Satya is for PNS only; this employee is PPPK)"
    ),
    AwardType.KENAIKAN_PANGKAT_ISTIMEWA: (
        "kenaikan pangkat istimewa memerlukan pangkat; PPPK tidak berpangkat "
        "(a special promotion needs a pangkat: PNS only; this employee is PPPK)"
    ),
}


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
            pns_only=frozenset(PNS_ONLY),
        ),
    )
)

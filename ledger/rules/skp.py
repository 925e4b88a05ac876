"""SKP progress: how the realisations of an indicator are read against its target.

PermenPANRB 6/2022 (Pasal 12-16 and Lampiran) makes the SKP a plan of rencana hasil kerja, each
with indicators of kuantitas, kualitas, waktu or biaya, monitored through the year (pemantauan
kinerja, Pasal 17) and rated by the appraiser at the end. It gives no formula for "how far along"
a plan is: the figures here are Kinerja Ledger's own information for HR and the appraiser, never
a rating. How each aspect is read is data of a version (docs/RULES.md, skp):

- KUANTITAS: the outputs of the periods add up (3 reports of 4 documents = 12 documents);
- KUALITAS, WAKTU, BIAYA: the report of the latest period is the state so far (a quality level,
  the time taken, the cost to date), later reports replacing earlier ones;
- KUANTITAS and KUALITAS are better when higher (achieved = realised / target); WAKTU and BIAYA
  when lower (achieved = target / realised; nothing spent or no time taken counts as met);
- each indicator's achieved share is capped at 1; an indicator without any report counts 0; the
  plan's share is the mean over its indicators.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from ledger.rules.base import RuleHistory
from ledger.vocabulary import SkpAspect

SHARE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Report:
    """One realisation as progress reads it: the period it covers (first month, for the order)
    and the value."""

    period_start: date
    value: Decimal


@dataclass(frozen=True)
class SkpProgressRule:
    version: str
    legal_basis: str
    effective_from: date
    summed: frozenset[SkpAspect]
    lower_is_better: frozenset[SkpAspect]

    def realised(self, aspect: SkpAspect, reports: Iterable[Report]) -> Decimal | None:
        """The indicator's realisation so far, or None when nothing was reported."""
        ordered = sorted(reports, key=lambda r: r.period_start)
        if not ordered:
            return None
        if aspect in self.summed:
            return sum((r.value for r in ordered), Decimal(0))
        return ordered[-1].value

    def achieved(self, aspect: SkpAspect, target: Decimal, realised: Decimal | None) -> Decimal:
        """Share of the target achieved, in [0, 1] with 4 places."""
        if realised is None:
            return Decimal(0)
        if aspect in self.lower_is_better:
            share = Decimal(1) if realised == 0 else target / realised
        else:
            share = realised / target
        return min(Decimal(1), share).quantize(SHARE_PLACES, rounding=ROUND_HALF_EVEN)

    @staticmethod
    def plan_share(achieved: Sequence[Decimal]) -> Decimal:
        """The plan's share achieved: the mean over its indicators."""
        if not achieved:
            return Decimal(0)
        mean = sum(achieved, Decimal(0)) / len(achieved)
        return mean.quantize(SHARE_PLACES, rounding=ROUND_HALF_EVEN)


SKP_PROGRESS_RULES: RuleHistory[SkpProgressRule] = RuleHistory(
    (
        SkpProgressRule(
            version="skp/2022.1",
            legal_basis="PermenPANRB 6/2022 Pasal 12-17 and Lampiran (SKP: RHK, indikator kuantitas/"
            "kualitas/waktu/biaya, pemantauan kinerja); the reading of progress is Kinerja Ledger's own",
            effective_from=date(2022, 1, 1),
            summed=frozenset({SkpAspect.KUANTITAS}),
            lower_is_better=frozenset({SkpAspect.WAKTU, SkpAspect.BIAYA}),
        ),
    )
)

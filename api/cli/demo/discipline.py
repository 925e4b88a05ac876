"""Discipline: sanctions under PP 53/2010 and, from 2021-08-31, PP 94/2021 (about 1% of the PNS a
year, about one in eight flawed on purpose for the inspectorate's checks), their keberatan and
banding, revocations, and one dismissal. The sanction's fields are drawn in `history`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from api.cli.demo import history as hist
from api.cli.demo import people as ppl
from api.cli.demo import service
from api.cli.demo.steps import Planner, Ref, cmd
from ledger.application import CommandContext, KinerjaLedger
from ledger.rules.discipline import DISCIPLINE_RULES
from ledger.values import Decree
from ledger.vocabulary import AppealKind, AppealOutcome, Level, PenaltyCode


def sanctions(pl: Planner) -> None:
    """PP 53/2010 from its first day, PP 94/2021 from 2021-08-31; about 1% of PNS a year."""
    rng = pl.rng
    decided_from = DISCIPLINE_RULES.versions[0].effective_from + timedelta(days=14)
    count = appeals = heavier = lighter = 0
    dismissal_year = 2016 if pl.employees >= 1000 and pl.history_start.year < 2016 else None
    for year in range(decided_from.year, pl.last + 1):
        pool = [p for p in pl.staff_pool() if p.in_service(date(year, 6, 30))]
        share = 0.01 * (0.6 if year == decided_from.year else 1.0)
        wanted = max(1, round(len(pool) * share))
        for p in rng.sample(pool, min(len(pool), wanted * 2)):
            if wanted == 0:
                break
            decided = ppl.days_between(rng, max(date(year, 3, 1), decided_from), date(year, 11, 20))
            if not p.serving(decided - timedelta(days=45), decided) or any(
                s.decided.year == year for s in p.sanctions
            ):
                continue
            wanted -= 1
            dismissal = year == dismissal_year and p.ended is None
            dismissal_year = None if dismissal else dismissal_year
            flaw = hist.FLAWS[(count // 8) % len(hist.FLAWS)] if count % 8 == 3 and not dismissal else None
            count += 1
            pl.serial += 1
            agency = p.post_on(decided).agency
            officials = {
                "ATASAN_LANGSUNG": pl.superior_on(agency, decided).nip,
                "KEPALA_OPD": pl.head_on(agency, decided).nip,
                "SEKDA": pl.head_on("SETDA", decided).nip,
            }
            kwargs, absence = hist.sanction_kwargs(rng, p, decided, pl.serial, officials, flaw, dismissal)
            planned = hist.SanctionPlan(p, f"sanction:{p.nip}:{year}", decided, kwargs, absence, flaw)
            level = DISCIPLINE_RULES.in_force(decided).penalty(PenaltyCode(kwargs["penalty"])).level
            heavier += level is not Level.RINGAN
            lighter += level is Level.RINGAN
            if dismissal:
                filed = decided + timedelta(days=rng.randint(5, 12))
                planned.appeal = ("BANDING", filed, "UPHELD", filed + timedelta(days=40), None)
            elif level is not Level.RINGAN and heavier % 3 == 0:  # one in three appealed
                outcome = hist.APPEAL_OUTCOMES[appeals % len(hist.APPEAL_OUTCOMES)]
                appeals += 1
                new = hist.MODIFIED_TO.get(PenaltyCode(kwargs["penalty"]))
                if outcome == "MODIFIED" and (absence or new is None):
                    outcome, new = "UPHELD", None
                filed = decided + timedelta(days=rng.randint(5, 12))
                ruled = min(filed + timedelta(days=rng.randint(14, 40)), date(year, 12, 31))
                planned.appeal = (
                    "KEBERATAN",
                    filed,
                    outcome,
                    ruled,
                    new if outcome == "MODIFIED" else None,
                )
            elif level is Level.RINGAN and flaw is None and lighter % 10 == 4:  # one in ten revoked
                planned.revoked = min(decided + timedelta(days=rng.randint(20, 60)), date(year, 12, 31))
            planned.planned = hist.finish(planned)
            p.sanctions.append(planned.planned)
            _sanction_steps(pl, planned)
            if dismissal:
                service.end_service(pl, p, decided, "DIBERHENTIKAN")
                service.end_service_step(pl, p)


def _sanction_steps(pl: Planner, s: hist.SanctionPlan) -> None:
    nip, key, serial = s.person.nip, s.key, pl.serial
    pl.at(s.decided, "sanction", cmd("impose_sanction", nip, store=key, **s.kwargs), 11)
    if s.appeal is not None:
        kind, filed, outcome, ruled, new = s.appeal

        def appeal(app: KinerjaLedger, ctx: CommandContext, ids: dict[str, Any]) -> object:
            filing = app.file_appeal(ctx, nip, ids[key], kind=AppealKind(kind), filed_on=filed)
            return app.decide_appeal(
                ctx,
                nip,
                ids[key],
                filing.event_id,
                outcome=AppealOutcome(outcome),
                decided_on=ruled,
                decree_number=Decree(f"800/{kind[:3]}/{ruled.year}/{serial:04d}"),
                new_penalty=PenaltyCode(new) if new else None,
            )

        pl.at(ruled, "appeal", appeal, 10)
    if s.revoked is not None:
        reason = (
            "dicabut: ketidakhadiran ternyata karena sakit dengan surat keterangan dokter"
            if s.absence
            else "dicabut oleh pejabat yang berwenang setelah pemeriksaan ulang"
        )
        pl.at(
            s.revoked,
            "sanction-revocation",
            cmd(
                "revoke_sanction",
                nip,
                Ref(key),
                reason=reason,
                decree_number=f"800/CABUT/{s.revoked.year}/{serial:04d}",
                decided_on=s.revoked,
            ),
            10,
        )

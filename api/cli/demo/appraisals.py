"""Appraisals: the annual appraisal of everyone who served the year from 2014, each under the rule
version of its day (values drawn in `history`), semester appraisals in the detailed years,
corrections after an accepted keberatan; and the supervisor and peer feedback of the detailed years."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from api.cli.demo import history as hist
from api.cli.demo.people import Person
from api.cli.demo.steps import Planner, Ref, cmd
from ledger.rules.appraisal import PRESTASI_2014

# Rates nearly everyone SANGAT_BAIK from 2022: the predikat curve warns about it.
OFF_CURVE_AGENCIES = ("SATPOLPP",)


def appraisals(pl: Planner) -> None:
    """Every year from 2014: the annual appraisal of whoever served it (a PPPK from 2022), a
    shorter period for whoever left during it; a few keberatan accepted from 2022."""
    rng = pl.rng
    first_rule = PRESTASI_2014.effective_from.year
    for year in range(first_rule, pl.last + 1):
        jan, dec = date(year, 1, 1), date(year, 12, 31)
        annual: list[tuple[Person, date, dict[str, Any]]] = []
        for p in pl.people:
            if (p.employment_type == "PPPK" and year < 2022) or p.tmt > date(year, 6, 30):
                continue
            if (p.ended and p.ended[0] <= jan) or any(b.start <= dec and b.end > jan for b in p.breaks):
                continue
            r = hist.rank(p.quality + rng.gauss(0, 0.12) + (0.45 if _off_curve(pl, p, year) else 0))
            r = max(r, hist.cap_for(p, year))
            if p.ended and p.ended[0] <= dec:
                end_month = (p.ended[0] - timedelta(days=1)).month
                if end_month < 3:
                    continue
                recorded = p.ended[0] - timedelta(days=1)
                period = f"{year}-01..{year}-{end_month:02d}"
                fields = hist.appraisal_fields(rng, date(year, end_month, 28), r)
                _appraise(pl, p, period, fields, recorded)
                continue
            recorded = date(year + 1, 1, rng.randint(8, 25))
            if year >= 2022 and year in pl.years and rng.random() < 0.1:
                # Periodic: two semesters; the second (ending last) carries the year's predikat.
                half = hist.appraisal_fields(rng, date(year, 6, 30), r)
                _appraise(pl, p, f"{year}-01..{year}-06", half, date(year, 7, 15))
                _appraise(pl, p, f"{year}-07..{year}-12", hist.appraisal_fields(rng, dec, r), recorded)
                continue
            fields = hist.appraisal_fields(rng, dec, r)
            key = f"appraisal:{p.nip}:{year}" if year >= 2022 else None
            _appraise(pl, p, str(year), fields, recorded, key)
            if key is not None:
                annual.append((p, recorded, fields))
        _corrections(pl, year, annual)


def _off_curve(pl: Planner, p: Person, year: int) -> bool:
    return year >= 2022 and p.post_on(date(year, 12, 31)).agency in OFF_CURVE_AGENCIES


def _appraise(
    pl: Planner, p: Person, period: str, fields: dict[str, Any], recorded: date, key: str | None = None
) -> None:
    appraiser = pl.appraiser_for(p, recorded)
    pl.at(
        recorded,
        "appraisal",
        cmd("record_appraisal", p.nip, store=key, period=period, appraiser_nip=appraiser.nip, **fields),
        10,
    )


def _corrections(pl: Planner, year: int, annual: list[tuple[Person, date, dict[str, Any]]]) -> None:
    """A keberatan accepted a month after the appraisals: the rating objected to goes one step up,
    and with it the predikat (PermenPANRB 6/2022)."""
    rng = pl.rng
    raisable = [a for a in annual if (a[2]["hasil_kerja"], a[2]["perilaku_kerja"]) in hist.RAISE]
    low = [
        a
        for a in raisable
        if a[2]["hasil_kerja"] == "DI_BAWAH_EKSPEKTASI" or a[2]["perilaku_kerja"] == "DI_BAWAH_EKSPEKTASI"
    ]
    wanted = max(1, len(annual) // 250)
    chosen = rng.sample(low, min(len(low), (wanted + 1) // 2))
    rest = [a for a in raisable if a not in chosen]
    chosen += rng.sample(rest, min(len(rest), wanted - len(chosen)))
    for p, _recorded, fields in chosen:
        which = hist.RAISE[(fields["hasil_kerja"], fields["perilaku_kerja"])]
        words = "hasil kerja" if which == "hasil_kerja" else "perilaku kerja"
        pl.at(
            date(year + 1, 2, rng.randint(10, 25)),
            "correction",
            cmd(
                "correct_appraisal",
                p.nip,
                Ref(f"appraisal:{p.nip}:{year}"),
                reason=f"keberatan pegawai atas penilaian {words} diterima atasan pejabat penilai",
                **{which: hist.UP[fields[which]]},
            ),
            11,
        )


def feedback(pl: Planner, year: int) -> None:
    """Supervisor and peer feedback for about a tenth of the people in a detailed year."""
    rng = pl.rng
    for p in rng.sample(pl.people, len(pl.people) // 10):
        day = date(year, rng.randint(3, 11), rng.randint(1, 28))
        if not p.in_service(day) or p.registered_on >= day:
            continue
        score = max(1, min(4, round(1 + 3 * p.quality + rng.gauss(0, 0.4))))
        pl.at(
            day,
            "feedback",
            cmd(
                "record_feedback",
                p.nip,
                source=rng.choice(["SUPERVISOR", "PEER"]),
                score=score,
                comment="umpan balik triwulanan",
            ),
            14,
        )

"""The service clock: a CLTN and a suspension (a period out of service, back afterwards), deaths,
resignations and early retirements, one PPPK agreement that ends, and the end of service of
everyone who leaves (retirements at the BUP are planned with the careers, in `people`)."""

from __future__ import annotations

from datetime import date, timedelta

from api.cli.demo import history as hist
from api.cli.demo import people as ppl
from api.cli.demo.people import Break, Person
from api.cli.demo.steps import Planner, Ref, cmd

CLTN_REASONS = [
    "mendampingi suami yang bertugas di luar negeri",
    "mengikuti suami yang pindah tugas ke luar daerah",
    "merawat anak yang berkebutuhan khusus",
]


def service_clock(pl: Planner) -> None:
    """Every period out of service and every end of service, in this order of draws."""
    _breaks(pl)
    _departures(pl)
    # Retirements at the BUP (planned with the careers) and every other end of service.
    for p in pl.people:
        if p.ended is not None and p.ended[1] != "DIBERHENTIKAN":
            end_service_step(pl, p)


def _breaks(pl: Planner) -> None:
    """CLTN and suspension: a period with no promotion in it, back in service afterwards."""
    rng, last = pl.rng, pl.last
    for kind, count, months in (
        ("CLTN", max(1, pl.employees // 500), (12, 36)),
        ("SUSPENSION", max(1, pl.employees // 800), (5, 10)),
    ):
        pool = pl.staff_pool()
        rng.shuffle(pool)
        planned = 0
        for p in pool:
            if planned == count:
                break
            start = date(rng.randint(2012, last - 2), rng.randint(1, 12), 1)
            length = rng.randint(*months)
            end = date(start.year + (start.month - 1 + length) // 12, (start.month - 1 + length) % 12 + 1, 1)
            if end > date(last, 12, 1) or not p.serving(
                start - timedelta(days=90), end + timedelta(days=400)
            ):
                continue
            if any(start - timedelta(days=200) <= post.on <= end for post in p.posts[1:]):
                continue
            planned += 1
            reason = (
                rng.choice(CLTN_REASONS)
                if kind == "CLTN"
                else "ditahan oleh pihak berwajib karena menjadi tersangka tindak pidana"
            )
            p.breaks.append(Break(kind, start, end, reason))
            key = f"{kind}:{p.nip}"
            decree = f"800/{rng.randint(100, 999)}/BKPSDM/{start.year}"
            if kind == "CLTN":
                begin = cmd(
                    "start_leave",
                    p.nip,
                    store=key,
                    leave_type="CLTN",
                    started_on=start,
                    reason=reason,
                    decree_number=decree,
                    decree_date=start - timedelta(days=14),
                )
                finish = cmd(
                    "end_leave",
                    p.nip,
                    Ref(key),
                    ended_on=end,
                    decree_number=f"800/{rng.randint(100, 999)}/BKPSDM/{end.year}",
                    decree_date=end - timedelta(days=10),
                )
                pl.at(start, "leave", begin, 9)
                pl.at(end, "leave-end", finish, 9)
            else:
                begin = cmd(
                    "suspend_employee",
                    p.nip,
                    store=key,
                    started_on=start,
                    reason=reason,
                    decree_number=decree,
                    decree_date=start,
                )
                finish = cmd(
                    "end_suspension",
                    p.nip,
                    Ref(key),
                    ended_on=end,
                    decree_number=f"800/{rng.randint(100, 999)}/BKPSDM/{end.year}",
                    decree_date=end - timedelta(days=3),
                )
                pl.at(start, "suspension", begin, 9)
                pl.at(end, "suspension-end", finish, 9)


def _departures(pl: Planner) -> None:
    """Deaths, resignations and early retirements (APS: at least 50 years old, 20 of service), and
    one PPPK agreement of five years that is not extended."""
    rng = pl.rng
    for reason, count in (
        ("MENINGGAL_DUNIA", max(1, pl.employees // 400) if pl.employees >= 150 else 0),
        ("MENGUNDURKAN_DIRI", pl.employees // 1000),
        ("PENSIUN_DINI", pl.employees // 1000),
    ):
        pool = pl.staff_pool(pns_only=reason != "MENINGGAL_DUNIA")
        rng.shuffle(pool)
        planned = 0
        for p in pool:
            if planned == count:
                break
            day = ppl.days_between(rng, date(2012, 1, 1), pl.cutoff - timedelta(days=60))
            if reason != "MENINGGAL_DUNIA":
                day = date(day.year, day.month, 1)
            if not p.in_service(day) or (p.ended and p.ended[0] <= day + timedelta(days=60)):
                continue
            if reason == "PENSIUN_DINI" and (hist.age_on(p, day) < 50 or hist.years_reached(p, day) < 20):
                continue
            planned += 1
            end_service(pl, p, day, reason)
    # One PPPK agreement of five years that is not extended.
    for p in pl.staff_pool(pns_only=False):
        if p.employment_type == "PPPK" and ppl.add_years(p.tmt, 5) <= pl.cutoff - timedelta(days=60):
            end_service(pl, p, ppl.add_years(p.tmt, 5), "PERJANJIAN_KERJA_BERAKHIR")
            break


def end_service(pl: Planner, p: Person, day: date, reason: str) -> None:
    p.ended = (day, reason)
    p.posts = [post for post in p.posts if post.on < day]


def end_service_step(pl: Planner, p: Person) -> None:
    assert p.ended is not None
    day, reason = p.ended
    # The pension decree comes before the day; a death is decreed after it (and recorded then).
    decree_date = (
        day - timedelta(days=60) if reason in ("PENSIUN_BUP", "PENSIUN_DINI") else day + timedelta(days=21)
    )
    decree_date = min(decree_date, pl.cutoff)
    pl.at(
        max(day, decree_date),
        "service-end",
        cmd(
            "end_service",
            p.nip,
            reason=reason,
            ended_on=day,
            decree_number=f"800/{pl.rng.randint(100, 999)}/BKPSDM/{decree_date.year}",
            decree_date=decree_date,
        ),
        9,
    )

"""Awards and training: the Satyalancana Karya Satya 10/20/30 of the whole history (eligibility
drawn in `history`), other awards of the detailed years (one revoked), and the training that brings
most PNS to 20 JP a year from 2020."""

from __future__ import annotations

from datetime import date

from api.cli.demo import history as hist
from api.cli.demo.steps import Planner, Ref, cmd
from ledger.rules.awards import AWARD_RULES


def awards(pl: Planner, year: int) -> None:
    """Awards other than the Satyalancana; one is revoked a few weeks later (wrong person)."""
    rng = pl.rng
    n = max(2, pl.employees // 150)
    granted = 0
    for p in rng.sample(pl.people, min(len(pl.people), n * 3)):
        day = date(year, 8, 17) if granted % 2 == 0 else date(year, 11, 10)
        if granted == n or not p.in_service(day) or p.registered_on >= day:
            continue
        kind = rng.choice(
            ["SERTIFIKAT_PENGHARGAAN", "PIAGAM_INOVASI", "INSENTIF", "PRIORITAS_PENGEMBANGAN_KOMPETENSI"]
        )
        reason = "inovasi aplikasi layanan publik" if kind == "PIAGAM_INOVASI" else "kinerja terbaik"
        key = f"award:{year}:{granted}"
        pl.at(
            day,
            "award",
            cmd(
                "grant_award",
                p.nip,
                store=key,
                award_type=kind,
                reason=reason,
                decree_number=f"800/{rng.randint(100, 999)}/BKPSDM/{year}",
                decree_date=day,
            ),
            10,
        )
        if granted == 1:
            pl.at(
                date(year, 12, 5),
                "award-revocation",
                cmd(
                    "revoke_award",
                    p.nip,
                    Ref(key),
                    reason="SK diterbitkan untuk pegawai yang salah",
                    decree_number=f"800/REV/BKPSDM/{year}",
                    decree_date=date(year, 12, 5),
                ),
            )
        granted += 1


# ----------------------------------------------------------------------- Satyalancana


def satyalancana(pl: Planner) -> None:
    """Decreed in August of the year the PNS reaches 10, 20 or 30 counted years, if eligible;
    about one in five eligible is not proposed that year (and not later)."""
    rng = pl.rng
    first = AWARD_RULES.versions[0].effective_from.year
    for p in pl.people:
        for decree, award in hist.slks_due(p, first, pl.last, rng):
            if rng.random() < 0.22 or p.registered_on >= decree:
                continue
            number = f"{rng.randint(1, 140)}/TK/Tahun {decree.year}"
            pl.at(
                decree,
                "award",
                cmd(
                    "grant_award",
                    p.nip,
                    award_type=award.value,
                    reason=f"pengabdian {award.value[-2:]} tahun dengan penuh kesetiaan",
                    decree_number=f"Keputusan Presiden Nomor {number}",
                    decree_date=decree,
                ),
                10,
            )


def trainings(pl: Planner, year: int) -> None:
    """Most PNS reach 20 JP, mostly in their agency's own field; PPPK are reported apart."""
    rng = pl.rng
    for p in pl.people:
        mid = date(year, 6, 30)
        if not p.in_service(mid) or p.registered_on > date(year, 1, 31):
            continue
        reaches = rng.random() < (0.82 if p.employment_type == "PNS" else 0.65)
        for title, provider, jp in hist.trainings_for_year(rng, p.post_on(mid).agency, reaches):
            day = date(year, rng.randint(2, 11), rng.randint(1, 28))
            if not p.in_service(day) or day < date(2020, 4, 1):
                continue
            pl.at(
                day,
                "training",
                cmd(
                    "record_training",
                    p.nip,
                    title=title,
                    hours_jp=jp,
                    completed_on=day,
                    provider=provider,
                ),
                15,
            )

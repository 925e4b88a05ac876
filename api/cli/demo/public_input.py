"""Citizens' input followed up: HR answers most survey comments within two weeks, and complaints
(pengaduan) come in at each unit and are handled at realistic rates: most answered within days,
some rejected, some never answered, a few still open at the end.

Its draws come from an RNG of its own (seeded from the demo's seed), so that adding this part of
the city left every other part's draws, and hence their data, as they were.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from api.cli.demo.city import SMALL_UNIT, UNITS
from api.cli.demo.steps import Planner, Ref, cmd
from ledger.application import CommandContext, KinerjaLedger
from ledger.domain.envelope import Actor
from ledger.values import Code, Contact, LaporTicket, Text
from ledger.vocabulary import ComplaintCategory

CATEGORIES = [  # with their weights: most complaints are about waiting and the service itself
    (ComplaintCategory.WAKTU, 30),
    (ComplaintCategory.PELAYANAN, 25),
    (ComplaintCategory.PERILAKU_PETUGAS, 15),
    (ComplaintCategory.SARANA, 15),
    (ComplaintCategory.BIAYA, 10),
    (ComplaintCategory.LAINNYA, 5),
]
TEXTS = {
    ComplaintCategory.WAKTU: ["Antrean lebih dari tiga jam", "Berkas belum selesai setelah dua minggu"],
    ComplaintCategory.PELAYANAN: ["Persyaratan berubah-ubah tiap datang", "Informasi di loket tidak jelas"],
    ComplaintCategory.PERILAKU_PETUGAS: ["Petugas loket tidak ramah", "Petugas bermain ponsel saat melayani"],
    ComplaintCategory.SARANA: ["Ruang tunggu panas dan sempit", "Toilet umum rusak"],
    ComplaintCategory.BIAYA: ["Diminta biaya yang tidak ada aturannya", "Tarif tidak diumumkan"],
    ComplaintCategory.LAINNYA: ["Parkir tidak tertib", "Situs layanan tidak bisa dibuka"],
}
RESPONSES = [
    "Terima kasih atas masukannya; sudah kami tindak lanjuti dengan kepala unit.",
    "Petugas telah dibina dan prosedur loket diperbaiki.",
    "Jam layanan loket ditambah mulai pekan depan.",
]
REJECTIONS = ["Bukan kewenangan Pemerintah Kota Binjai; diteruskan ke instansi vertikal."]
FOLLOW_UPS = [
    "Terima kasih; masukan Anda sudah kami sampaikan kepada kepala unit.",
    "Loket tambahan dibuka pada jam sibuk.",
]


def rng_of(pl: Planner) -> random.Random:
    return random.Random(f"{pl.seed}:public-input")


def follow_up_comments(pl: Planner, rng: random.Random) -> None:
    """Seven in ten survey comments are followed up by HR, within one to fourteen days (none
    after the demo's last year)."""
    for key, day in pl.comments:
        if rng.random() < 0.7:
            when = day + timedelta(days=rng.randint(1, 14))
            if when < pl.cutoff:
                response = Text(rng.choice(FOLLOW_UPS))
                pl.at(when, "comment-follow-up", cmd("follow_up_comment", Ref(key), response=response), 14, 0)


def complaints(pl: Planner, rng: random.Random, year: int, scale: int, units_from: date) -> None:
    """A few complaints a unit a year (about one for every six surveys), and their handling."""
    categories, weights = zip(*CATEGORIES, strict=True)
    for code, _, _, _ in UNITS:
        n = rng.randint(0, 2) if code == SMALL_UNIT else rng.randint(scale // 8, scale // 4)
        for i in range(n):
            day = max(date(year, rng.randint(1, 12), rng.randint(1, 28)), units_from + timedelta(days=2))
            category = rng.choices(categories, weights)[0]
            officers = pl.officers.get(code, [])
            officer = (
                rng.choice(officers) if officers and category is ComplaintCategory.PERILAKU_PETUGAS else None
            )
            fields: dict[str, Any] = {
                "service_unit": Code(code),
                "category": category,
                "text": Text(rng.choice(TEXTS[category])),
                "officer_code": Code(officer.officer[1]) if officer and officer.officer else None,
                "contact": Contact(
                    f"08{rng.randint(11, 99)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
                )
                if rng.random() < 0.6
                else None,
                "lapor_ticket": LaporTicket(f"LAP-{year}/{rng.randint(10000, 99999)}")
                if rng.random() < 0.2
                else None,
            }
            key = f"complaint:{code}:{year}:{i}"
            pl.at(day, "complaint", _citizen(key, fields), rng.randint(8, 15), rng.randint(0, 59))
            _handling(pl, rng, key, day)


def _handling(pl: Planner, rng: random.Random, key: str, day: date) -> None:
    """85% answered (most within days: exponential, mean three days), 5% rejected, 10% never
    answered; an answered one is mostly closed a week or two later. Nothing is dated after the
    demo's last year: what would come later is still open at its end."""
    fate = rng.random()
    at = pl.at

    def later(when: date, label: str, run: Any, hour: int, minute: int) -> None:
        if when < pl.cutoff:
            at(when, label, run, hour, minute)

    if fate < 0.10:
        if rng.random() < 0.5:
            later(
                day + timedelta(days=rng.randint(1, 5)),
                "complaint-update",
                _update(key, "IN_PROGRESS", "Sedang kami periksa."),
                10,
                rng.randint(0, 59),
            )
        return
    if fate < 0.15:
        later(
            day + timedelta(days=rng.randint(1, 7)),
            "complaint-update",
            _update(key, "REJECTED", rng.choice(REJECTIONS)),
            10,
            rng.randint(0, 59),
        )
        return
    answered = day + timedelta(days=1 + min(int(rng.expovariate(1 / 3)), 45))
    if rng.random() < 0.5 and answered > day + timedelta(days=1):
        later(
            day + timedelta(days=1),
            "complaint-update",
            _update(key, "IN_PROGRESS", "Sedang kami periksa."),
            10,
            rng.randint(0, 59),
        )
    later(
        answered, "complaint-update", _update(key, "RESPONDED", rng.choice(RESPONSES)), 13, rng.randint(0, 59)
    )
    if rng.random() < 0.7:
        later(
            answered + timedelta(days=rng.randint(3, 14)),
            "complaint-update",
            _update(key, "CLOSED", "Pengaduan ditutup."),
            15,
            rng.randint(0, 59),
        )


def _update(key: str, status: str, response: str) -> Any:
    return cmd("update_complaint", Ref(key), status=status, response=Text(response))


def _citizen(key: str, fields: dict[str, Any]) -> Any:
    def run(app: KinerjaLedger, ctx: CommandContext, ids: dict[str, Any]) -> object:
        citizen = CommandContext(Actor("", "citizen"), correlation_id=ctx.correlation_id)
        result = app.submit_complaint(citizen, **fields)
        ids[key] = result.event_id
        return result

    return run

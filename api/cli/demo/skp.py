"""The performance management cycle of the detailed years from 2022 (PermenPANRB 6/2022): most
staff serving the whole year get an SKP plan in January, approved by their appraiser; a few are
revised mid-year; realisation is reported each quarter on the main RHK and each semester on the
other; dialogues once or twice a year; BerAKHLAK feedback from superiors and peers for some.

About one in ten has no plan and one in twenty a plan without any report, so the inspectorate's
register of appraisals has its flags (docs/INSPECTORATE.md). Planned last, from the same RNG, so
the draws of every other part of the city are unchanged."""

from __future__ import annotations

from datetime import date
from typing import Any

from api.cli.demo.people import Person
from api.cli.demo.steps import Planner, Ref, cmd
from ledger.vocabulary import CoreValue

FIRST_YEAR = 2022  # SKP of PermenPANRB 6/2022
PLANNED = 0.9
SILENT = 0.05  # of the planned: no realisation reported at all
REVISED = 0.1
RATINGS = ("DI_BAWAH_EKSPEKTASI", "SESUAI_EKSPEKTASI", "DI_ATAS_EKSPEKTASI")

MAIN_RHK = (
    ("Terlaksananya pelayanan {unit} sesuai standar pelayanan", "Layanan diselesaikan", "berkas", 240, 1200),
    ("Tersusunnya dokumen perencanaan dan pelaporan {unit}", "Dokumen tersusun", "dokumen", 6, 24),
    ("Terlaksananya kegiatan teknis {unit} tepat sasaran", "Kegiatan terlaksana", "kegiatan", 12, 48),
)
SECOND_RHK = (
    ("Meningkatnya ketepatan waktu laporan bulanan", "WAKTU", "Laporan selesai", "hari kerja", 5),
    ("Meningkatnya mutu layanan kepada masyarakat", "KUALITAS", "Kepuasan penerima layanan", "%", 85),
    ("Terkendalinya realisasi anggaran kegiatan", "BIAYA", "Realisasi anggaran", "juta rupiah", 150),
)


def cycle(pl: Planner) -> None:
    for year in pl.years:
        if year < FIRST_YEAR:
            continue
        jan, dec = date(year, 1, 2), date(year, 12, 31)
        for p in pl.people:
            if not p.serving(jan, dec) or p.registered_on >= jan:
                continue
            if pl.rng.random() < PLANNED:
                _plan(pl, p, year)
            _dialogues(pl, p, year)
            _feedback(pl, p, year)


def _plan(pl: Planner, p: Person, year: int) -> None:
    rng = pl.rng
    day = date(year, 1, rng.randint(5, 31))
    agency = p.post_on(day).agency
    main_rhk, main_name, unit, low, high = rng.choice(MAIN_RHK)
    main_target = rng.randint(low, high)
    second_rhk, aspect, second_name, second_unit, second_target = rng.choice(SECOND_RHK)
    main_indicator: dict[str, Any] = {
        "aspect": "KUANTITAS",
        "name": main_name,
        "target": main_target,
        "unit": unit,
    }
    items: list[dict[str, Any]] = [
        {
            "rhk": main_rhk.format(unit=agency),
            "supports": f"Meningkatnya kinerja {agency}",
            "indicators": [main_indicator],
        },
        {
            "rhk": second_rhk,
            "indicators": [
                {"aspect": aspect, "name": second_name, "target": second_target, "unit": second_unit}
            ],
        },
    ]
    key = f"skp:{p.nip}:{year}"
    expectations = {CoreValue.BERORIENTASI_PELAYANAN.value: "Melayani dengan ramah, cepat dan tuntas"}
    pl.at(
        day,
        "skp",
        cmd(
            "plan_skp",
            p.nip,
            store=key,
            year=year,
            items=items,
            appraiser_nip=pl.appraiser_for(p, day).nip,
            behaviour_expectations=expectations,
        ),
        8,
    )
    if rng.random() < REVISED:
        raised = [
            {**items[0], "indicators": [{**main_indicator, "target": main_target + low}]},
            items[1],
        ]
        revised_on = date(year, 7, rng.randint(1, 20))
        pl.at(
            revised_on,
            "skp-revision",
            cmd(
                "revise_skp",
                p.nip,
                Ref(key),
                items=raised,
                appraiser_nip=pl.appraiser_for(p, revised_on).nip,
                reason="penyesuaian target setelah perubahan anggaran",
            ),
            8,
        )
        main_target += low
    if rng.random() < SILENT:
        return
    # Quarterly on the main RHK, each semester on the other; the report comes early next quarter.
    share = min(1.3, max(0.3, 0.55 + 0.6 * p.quality + rng.gauss(0, 0.12)))
    for quarter in (1, 2, 3, 4):
        if rng.random() < 0.9:
            _report(pl, p, key, year, quarter, 1, round(main_target * share / 4))
        if quarter in (2, 4) and rng.random() < 0.85:
            _report(pl, p, key, year, quarter, 2, _second_value(aspect, second_target, share, rng.random()))


def _second_value(aspect: str, target: int, share: float, noise: float) -> Any:
    if aspect == "KUALITAS":
        return round(min(100.0, target * (0.8 + 0.25 * share) + 4 * (noise - 0.5)), 1)
    # WAKTU and BIAYA: lower is better; a good year takes less than the target.
    return round(target * (1.35 - 0.4 * share + 0.2 * (noise - 0.5)), 1)


def _report(pl: Planner, p: Person, key: str, year: int, quarter: int, item: int, value: Any) -> None:
    day = date(year + 1, 1, 2) if quarter == 4 else date(year, 3 * quarter + 1, 3 + pl.rng.randint(0, 10))
    pl.at(
        day,
        "realisation",
        cmd(
            "report_realisation",
            p.nip,
            Ref(key),
            item=item,
            indicator=1,
            period=f"{year}-Q{quarter}",
            value=value,
            evidence_ref=f"https://e-kinerja.binjaikota.go.id/bukti/{p.nip[-6:]}/{year}Q{quarter}-{item}",
        ),
        15,
    )


def _dialogues(pl: Planner, p: Person, year: int) -> None:
    rng = pl.rng
    held = [m for m in (6, 11) if rng.random() < 0.6]
    for month in held:
        day = date(year, month, rng.randint(1, 28))
        pl.at(
            day,
            "dialogue",
            cmd(
                "hold_dialogue",
                p.nip,
                held_on=day,
                summary=f"Dialog kinerja {'semester I' if month == 6 else 'akhir tahun'}: capaian dibahas",
                agreed_actions="Percepat capaian RHK utama; lengkapi bukti dukung"
                if rng.random() < 0.7
                else None,
            ),
            13,
        )


def _feedback(pl: Planner, p: Person, year: int) -> None:
    rng = pl.rng
    if rng.random() >= 0.3:
        return
    day = date(year, rng.randint(3, 11), rng.randint(1, 28))
    x = p.quality + rng.gauss(0, 0.2)
    pl.at(
        day,
        "behaviour-feedback",
        cmd(
            "give_behaviour_feedback",
            p.nip,
            value=rng.choice(list(CoreValue)).value,
            rating=RATINGS[0 if x < 0.25 else 2 if x > 0.8 else 1],
            source=rng.choice(["SUPERVISOR", "PEER"]),
            note="umpan balik perilaku kerja",
        ),
        14,
    )

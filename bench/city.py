"""A generated city history for the benchmarks, as `ledger import` NDJSON (docs/IMPORT.md).

    .venv/bin/python -m bench.city OUT.ndjson --lines 1000000

Seeded and clock-free: the same lines give the same bytes on every run. Each line records one
event: agencies, then every employee's registration, then each employee's history (yearly
appraisals under the rule of the period's year, one or two trainings a year, an occasional
transfer), employee after employee, so the file streams without being held in memory. The last
employees' histories are cut where the line count is reached. Tests prove every line imports.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

SEED = 20261207
LAST_YEAR = 2025  # nothing dated after 2025-12-31 (the city's extract was taken in 2026)
LINES_PER_EMPLOYEE = 30  # fewer than a history holds: the count is reached, the last histories cut
AGENCIES = [(f"OPD-{k:02d}", f"Perangkat Daerah {k:02d}") for k in range(1, 21)]
GRADES = ["II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a"]
POSITIONS = ["Analis Kebijakan", "Pengelola Data", "Perencana Ahli Pertama", "Guru Ahli Muda", "Perawat"]
TRAININGS = [
    ("Pelatihan Kepemimpinan Pengawas", 40, "BPSDM Provinsi Sumatera Utara"),
    ("Diklat Teknis Pengadaan Barang dan Jasa", 32, "LKPP"),
    ("Pelatihan Pelayanan Publik Prima", 16, "BKPSDM Kota Binjai"),
    ("Pelatihan Literasi Digital ASN", 8, "BPSDM Kominfo Medan"),
    ("Webinar Manajemen Kinerja", 2, "BKN"),
]
RATINGS = ("DI_BAWAH_EKSPEKTASI", "SESUAI_EKSPEKTASI", "DI_ATAS_EKSPEKTASI")


@dataclass(frozen=True)
class Person:
    i: int
    nip: str
    agency: str
    start: date
    quality: float


def people(count: int, rng: random.Random) -> list[Person]:
    serials: dict[str, int] = {}
    found = []
    for i in range(count):
        start = date(rng.randint(1995, 2020), rng.choice((1, 3, 4, 12)), 1)
        born = date(start.year - rng.randint(22, 27), rng.randint(1, 12), rng.randint(1, 28))
        key = f"{born:%Y%m%d}{start:%Y%m}{rng.choice((1, 2))}"
        serials[key] = serials.get(key, 0) + 1
        agency = AGENCIES[0][0] if i < len(AGENCIES) else rng.choice(AGENCIES)[0]
        if i < len(AGENCIES):  # the first of each agency heads it and appraises the others
            agency = AGENCIES[i][0]
        found.append(Person(i, f"{key}{serials[key]:03d}", agency, start, rng.random()))
    return found


def history(p: Person, heads: dict[str, str], rng: random.Random) -> Iterator[dict[str, Any]]:
    agency = p.agency
    for year in range(p.start.year, LAST_YEAR + 1):
        if year > p.start.year + 2 and rng.random() < 0.02:
            agency = rng.choice([code for code, _ in AGENCIES if code != agency])
            yield {
                "kind": "transfer",
                "source_ref": f"city-mutasi-{p.i}-{year}",
                "nip": p.nip,
                "agency": agency,
                "position": rng.choice(POSITIONS),
                "effective_date": f"{year}-01-02",
            }
        for k in range(rng.choice((1, 1, 2)) if year > p.start.year else 1):
            title, jp, provider = rng.choice(TRAININGS)
            month = (
                rng.randint(min(p.start.month + 1, 12), 12) if year == p.start.year else rng.randint(1, 12)
            )
            yield {
                "kind": "training",
                "source_ref": f"city-diklat-{p.i}-{year}-{k}",
                "nip": p.nip,
                "title": title,
                "hours_jp": jp,
                "completed_on": date(year, month, rng.randint(1, 28)).isoformat(),
                "provider": provider,
            }
        if year >= 2014 and year > p.start.year:
            appraiser = heads[agency] if heads[agency] != p.nip else heads[AGENCIES[0][0]]
            if appraiser == p.nip:
                appraiser = heads[AGENCIES[1][0]]
            yield appraisal(p, year, appraiser, rng)


def appraisal(p: Person, year: int, appraiser: str, rng: random.Random) -> dict[str, Any]:
    line: dict[str, Any] = {
        "kind": "appraisal",
        "source_ref": f"city-skp-{p.i}-{year}",
        "nip": p.nip,
        "period": str(year),
        "appraiser_nip": appraiser,
    }
    level = 70 + 24 * p.quality + rng.uniform(-6, 6)
    if year <= 2020:  # PP 46/2011
        line["nilai_skp"] = round(min(level, 99.5), 2)
        line["nilai_perilaku"] = round(min(level + rng.uniform(-4, 4), 99.5), 2)
    elif year == 2021:  # PP 30/2019
        line["nilai_skp"] = round(min(level * 1.15, 119), 2)
        line["ide_baru"] = p.quality > 0.8
    else:  # PermenPANRB 6/2022
        score = p.quality + rng.uniform(-0.3, 0.3)
        line["hasil_kerja"] = RATINGS[0 if score < 0.15 else 2 if score > 0.8 else 1]
        line["perilaku_kerja"] = RATINGS[0 if score < 0.1 else 2 if score > 0.85 else 1]
    return line


def city_lines(count: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """`count` import lines (at least the agencies and the registrations of the people)."""
    rng = random.Random(seed)
    staff = people(max(len(AGENCIES) + 1, count // LINES_PER_EMPLOYEE), rng)
    heads = {p.agency: p.nip for p in staff[: len(AGENCIES)]}
    emitted = 0
    for code, name in AGENCIES:
        emitted += 1
        yield {"kind": "agency", "source_ref": f"city-opd-{code}", "code": code, "name": name}
    for p in staff:
        emitted += 1
        yield {
            "kind": "employee",
            "source_ref": f"city-peg-{p.i}",
            "nip": p.nip,
            "name": f"Pegawai {p.i}",
            "agency": p.agency,
            "position": rng.choice(POSITIONS),
            "grade": rng.choice(GRADES),
            "employment_type": "PNS",
        }
    for p in staff:
        for line in history(p, heads, rng):
            if emitted >= count:
                return
            emitted += 1
            yield line


def write_city(path: Path, count: int, seed: int = SEED) -> int:
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for line in city_lines(count, seed):
            out.write(json.dumps(line, separators=(",", ":"), ensure_ascii=False) + "\n")
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    print(write_city(args.out, args.lines, args.seed))


if __name__ == "__main__":
    main()

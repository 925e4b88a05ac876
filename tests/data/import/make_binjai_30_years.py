"""Write binjai_30_years.ndjson: a synthetic 30-year history of 50 employees of Kota Binjai.

    .venv/bin/python tests/data/import/make_binjai_30_years.py      # rewrites the file beside it

Deterministic (a fixed seed, no clock): the same file on every run. Every person, decree and
number is invented; only the shapes (docs/IMPORT.md) and the rules they follow are real. The
file goes through `ledger import` without a refused line (tests/importing/test_binjai_history.py).

What is in it (README.md beside it): agencies and service units of the city; 45 PNS starting
1995-2021 and 5 PPPK from 2019 (NIPs whose TMT month is the service start); transfers;
appraisals under PP 46/2011 (2014-2020), PP 30/2019 (2021) and PermenPANRB 6/2022 (2022 on);
sanctions under PP 53/2010 (from 2010-06-06) and PP 94/2021 (from 2021-08-31) with keberatan
decided MODIFIED or ANNULLED and one revocation; Satyalancana Karya Satya 10/20/30 on 17 August
after the counted years are reached (decrees from 2010, the first award rule) and other awards;
trainings; one CLTN; one suspension; retirements at the BUP and one resignation.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ledger.rules.awards import ServiceBreak, ServiceRecord

SEED = 20250817
OUT = Path(__file__).with_name("binjai_30_years.ndjson")
LAST_DAY = date(2025, 12, 31)  # nothing after this (the test clock is in 2026)
AWARD_RULE_FROM = date(2010, 1, 1)  # penghargaan/2010.1
PP53_FROM, PP94_FROM = date(2010, 6, 6), date(2021, 8, 31)

AGENCIES = [
    ("SETDA", "Sekretariat Daerah Kota Binjai"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
    ("DINKES", "Dinas Kesehatan"),
    ("DISDIK", "Dinas Pendidikan"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah"),
    ("INSPEKTORAT", "Inspektorat Daerah"),
    ("KEC-BINJAI-KOTA", "Kecamatan Binjai Kota"),
    ("KEC-BINJAI-UTARA", "Kecamatan Binjai Utara"),
    ("KEC-BINJAI-TIMUR", "Kecamatan Binjai Timur"),
]
UNITS = [
    ("PKM-BINJAI-KOTA", "Puskesmas Binjai Kota", "DINKES"),
    ("PKM-TANAH-TINGGI", "Puskesmas Tanah Tinggi", "DINKES"),
    ("SDN-020255", "SD Negeri 020255 Binjai", "DISDIK"),
    ("SMPN-1-BINJAI", "SMP Negeri 1 Binjai", "DISDIK"),
    ("MPP-BINJAI", "Mal Pelayanan Publik Kota Binjai", "DISDUKCAPIL"),
    ("KANTOR-CAMAT-KOTA", "Kantor Camat Binjai Kota", "KEC-BINJAI-KOTA"),
]
POSITIONS = {
    "SETDA": ["Analis Kebijakan Ahli Muda", "Pengadministrasi Umum", "Kepala Bagian Umum"],
    "BKPSDM": [
        "Analis Sumber Daya Manusia Aparatur Ahli Pertama",
        "Pengelola Kepegawaian",
        "Kepala Bidang Mutasi",
    ],
    "DINKES": ["Perawat Ahli Pertama", "Bidan Terampil", "Dokter Ahli Muda", "Sanitarian Ahli Pertama"],
    "DISDIK": ["Guru Ahli Pertama", "Guru Ahli Muda", "Pengawas Sekolah Ahli Muda", "Pengelola Keuangan"],
    "DISDUKCAPIL": [
        "Administrator Database Kependudukan",
        "Pengelola Data",
        "Kepala Seksi Pendaftaran Penduduk",
    ],
    "DPUPR": ["Teknik Jalan dan Jembatan Ahli Pertama", "Pengawas Bangunan", "Kepala Seksi Jalan"],
    "BAPPEDA": ["Perencana Ahli Pertama", "Perencana Ahli Muda", "Analis Data Pembangunan"],
    "INSPEKTORAT": ["Auditor Ahli Pertama", "Auditor Ahli Muda", "P2UPD Ahli Pertama"],
    "KEC-BINJAI-KOTA": ["Pengadministrasi Umum", "Kepala Seksi Pemerintahan", "Lurah Tangsi"],
    "KEC-BINJAI-UTARA": ["Pengadministrasi Umum", "Kepala Seksi Ketenteraman", "Lurah Jati Makmur"],
    "KEC-BINJAI-TIMUR": ["Pengadministrasi Umum", "Kepala Seksi Pelayanan", "Lurah Tunggurono"],
}
GIVEN_M = [
    "Ahmad",
    "Budi",
    "Dedi",
    "Fajar",
    "Hendra",
    "Irwan",
    "Joko",
    "Khairul",
    "Muhammad",
    "Rahmat",
    "Rizky",
    "Syahrul",
    "Taufik",
    "Wahyu",
    "Yusuf",
    "Zulkifli",
    "Agus",
    "Bambang",
    "Darma",
    "Eko",
]
GIVEN_F = [
    "Ani",
    "Citra",
    "Dewi",
    "Eka",
    "Fitri",
    "Hartati",
    "Indah",
    "Kartika",
    "Lestari",
    "Maya",
    "Nurhayati",
    "Putri",
    "Rina",
    "Sri",
    "Wulan",
    "Yanti",
    "Siti",
    "Rahma",
    "Tiurma",
    "Intan",
]
FAMILY = [
    "Siregar",
    "Nasution",
    "Lubis",
    "Harahap",
    "Ginting",
    "Sembiring",
    "Tarigan",
    "Sitepu",
    "Purba",
    "Saragih",
    "Damanik",
    "Hasibuan",
    "Pohan",
    "Rangkuti",
    "Daulay",
    "Matondang",
    "Batubara",
    "Sinaga",
]
GRADES = ["II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"]
TRAININGS = [
    ("Pelatihan Kepemimpinan Pengawas", 40, "BPSDM Provinsi Sumatera Utara"),
    ("Pelatihan Teknis Penyusunan SKP", 16, "BKPSDM Kota Binjai"),
    ("Bimbingan Teknis Pengelolaan Arsip", 12, "BKPSDM Kota Binjai"),
    ("Pelatihan Pelayanan Prima", 20, "BPSDM Provinsi Sumatera Utara"),
    ("Webinar Reformasi Birokrasi", 3, "Kementerian PANRB"),
    ("Pelatihan Pengadaan Barang dan Jasa", 32, "LKPP"),
    ("Diklat Teknis Jabatan Fungsional", 24, "BKPSDM Kota Binjai"),
    ("Pelatihan Literasi Digital ASN", 8, "BPSDM Kominfo Medan"),
]


def month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass
class Person:
    i: int
    nip: str
    name: str
    agency: str
    position: str
    grade: str
    kind: str  # PNS or PPPK
    start: date
    born: date
    quality: float
    breaks: list[tuple[str, date, date]] = field(default_factory=list)  # (ref, start, end)
    end: tuple[str, date] | None = None  # (reason, ended_on)
    barred_from: dict[int, bool] = field(default_factory=dict)  # SLKS years -> not proposed


class City:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.people: list[Person] = []
        self.facts: list[tuple[date, int, dict[str, Any]]] = []  # (date, order, line)
        self.serials: dict[str, int] = {}
        self.n = 0

    def fact(self, day: date, line: dict[str, Any]) -> None:
        assert day <= LAST_DAY, line
        self.n += 1
        self.facts.append((day, self.n, line))

    def nip(self, born: date, start: date, sex: int) -> str:
        key = f"{born:%Y%m%d}{start:%Y%m}{sex}"
        self.serials[key] = self.serials.get(key, 0) + 1
        return f"{key}{self.serials[key]:03d}"

    def person(
        self,
        agency: str,
        start: date,
        age: int,
        kind: str = "PNS",
        sex: int | None = None,
        position: str | None = None,
    ) -> Person:
        rng = self.rng
        sex = sex or rng.choice((1, 2))
        born = date(start.year - age, rng.randint(1, 12), rng.randint(1, 28))
        given = rng.choice(GIVEN_M if sex == 1 else GIVEN_F)
        p = Person(
            i=len(self.people) + 1,
            nip=self.nip(born, start, sex),
            name=f"{given} {rng.choice(FAMILY)}",
            agency=agency,
            position=position or rng.choice(POSITIONS[agency]),
            grade=rng.choice(GRADES[:5]) if start.year < 2010 else rng.choice(GRADES[2:6]),
            kind=kind,
            start=start,
            born=born,
            quality=rng.random(),
        )
        self.people.append(p)
        return p

    # ----------------------------------------------------------------------------- the people

    def hire(self) -> None:
        rng = self.rng
        # The city's senior officials (appraisers of the others).
        self.sekda = self.person("SETDA", date(1995, 3, 1), 27, sex=1, position="Sekretaris Daerah")
        self.heads = {
            code: self.person(
                code,
                date(rng.randint(1995, 2002), rng.choice((1, 3, 4)), 1),
                27,
                position=f"Kepala {name.split(' ', 1)[0]}" if not code.startswith("KEC") else "Camat",
            )
            for code, name in AGENCIES[1:]
        }
        # Retirements at the BUP (58, administrative posts): born 1962-1966, started 1995-1997.
        self.retirees = [
            self.person(code, date(1995 + k % 3, 4 + k, 1), 31 + k, position="Pengadministrasi Umum")
            for k, code in enumerate(("DISDUKCAPIL", "DPUPR", "KEC-BINJAI-UTARA", "DINKES"))
        ]
        for p in self.retirees:
            p.end = ("PENSIUN_BUP", month_after(date(p.born.year + 58, p.born.month, 1)))
        # The Satyalancana 20 of 2025: started April 2005, nothing against him.
        self.slks20 = self.person("BAPPEDA", date(2005, 4, 1), 24, sex=1, position="Perencana Ahli Muda")
        # The 2019 absence sanction (PP 53/2010), verified consistent.
        self.absent = self.person("DISDIK", date(2008, 3, 1), 25, position="Guru Ahli Pertama")
        # CLTN (mengikuti suami), two years.
        self.on_leave = self.person("DINKES", date(2003, 3, 1), 24, sex=2, position="Bidan Terampil")
        self.on_leave.breaks.append(("binjai-cltn-1", date(2011, 9, 1), date(2013, 9, 2)))
        # Suspended (detained) in 2016, then a berat penalty: no Satyalancana 20 for him.
        self.suspended = self.person("DPUPR", date(2002, 2, 1), 26, sex=1, position="Pengawas Bangunan")
        self.suspended.breaks.append(("binjai-skors-1", date(2016, 4, 4), date(2016, 10, 3)))
        # Resigned in 2019.
        self.resigned = self.person("BAPPEDA", date(2010, 3, 1), 24, position="Analis Data Pembangunan")
        self.resigned.end = ("MENGUNDURKAN_DIRI", date(2019, 7, 1))
        # The rest of the PNS, starting 1995-2021.
        codes = [code for code, _ in AGENCIES[1:]]
        while len(self.people) < 45:
            start = date(rng.randint(1995, 2021), rng.choice((1, 3, 4, 12)), 1)
            # born 1968 or later: nobody of these reaches the BUP (58) by 2025
            self.person(rng.choice(codes), start, min(rng.randint(22, 29), start.year - 1968))
        # PPPK from 2019 (guru and tenaga kesehatan).
        for k, (code, start) in enumerate(
            [
                ("DISDIK", date(2019, 3, 1)),
                ("DISDIK", date(2021, 1, 1)),
                ("DINKES", date(2022, 1, 1)),
                ("DINKES", date(2022, 3, 1)),
                ("DISDIK", date(2023, 1, 1)),
            ]
        ):
            self.person(
                code,
                start,
                30 + k,
                kind="PPPK",
                position="Guru Ahli Pertama" if code == "DISDIK" else "Perawat Terampil",
            )

    # ----------------------------------------------------------------------------- the facts

    def in_service(self, p: Person, day: date) -> bool:
        if day < p.start or (p.end and day >= p.end[1]):
            return False
        return not any(s <= day < e for _, s, e in p.breaks)

    def appraiser(self, p: Person, agency: str) -> str:
        head = self.heads.get(agency)
        if p is self.sekda:
            return self.heads["BKPSDM"].nip
        if head is None or head is p:
            return self.sekda.nip
        return head.nip

    def careers(self) -> None:
        rng = self.rng
        for p in self.people:
            agency = p.agency
            moves: dict[int, tuple[str, str]] = {}
            if (
                p not in self.heads.values()
                and p is not self.sekda
                and p.kind == "PNS"
                and rng.random() < 0.35
            ):
                year = rng.randint(p.start.year + 3, 2024)
                to = rng.choice([c for c, _ in AGENCIES[1:] if c != p.agency])
                moves[year] = (to, rng.choice(POSITIONS[to]))
            for year in range(p.start.year, 2026):
                if year in moves and self.in_service(p, date(year, 1, 2)):
                    to, position = moves[year]
                    self.fact(
                        date(year, 1, 2),
                        {
                            "kind": "transfer",
                            "source_ref": f"binjai-mutasi-{p.i}-{year}",
                            "nip": p.nip,
                            "agency": to,
                            "position": position,
                            "effective_date": f"{year}-01-02",
                        },
                    )
                    agency = to
                if year >= 2014 and (year > p.start.year or p.start.month == 1):
                    self.appraise(p, year, agency)
                self.train(p, year)
            if p.end:
                reason, ended_on = p.end
                self.fact(
                    ended_on,
                    {
                        "kind": "service_end",
                        "source_ref": f"binjai-henti-{p.i}",
                        "nip": p.nip,
                        "reason": reason,
                        "ended_on": ended_on.isoformat(),
                        "decree_number": f"800.1.6/{p.i}/BKPSDM/{ended_on.year}",
                        "decree_date": (ended_on - timedelta(days=45)).isoformat(),
                    },
                )

    def appraise(self, p: Person, year: int, agency: str) -> None:
        mid = date(year, 7, 1)
        if not self.in_service(p, mid) or date(year, 12, 31) > LAST_DAY:
            return
        rng = self.rng
        line: dict[str, Any] = {
            "kind": "appraisal",
            "source_ref": f"binjai-skp-{p.i}-{year}",
            "nip": p.nip,
            "period": str(year),
            "appraiser_nip": self.appraiser(p, agency),
        }
        level = 70 + 24 * p.quality + rng.uniform(-6, 6)
        if year <= 2020:  # PP 46/2011: nilai SKP and nilai perilaku kerja, 0-100
            line["nilai_skp"] = round(min(level + rng.uniform(-3, 3), 99.5), 2)
            line["nilai_perilaku"] = round(min(level + rng.uniform(-4, 4), 99.5), 2)
        elif year == 2021:  # PP 30/2019: nilai kinerja 0-120, ide baru
            line["nilai_skp"] = round(min(level * 1.15, 119), 2)
            line["ide_baru"] = p.quality > 0.8 and rng.random() < 0.5
        else:  # PermenPANRB 6/2022
            ratings = ("DI_BAWAH_EKSPEKTASI", "SESUAI_EKSPEKTASI", "DI_ATAS_EKSPEKTASI")
            score = p.quality + rng.uniform(-0.3, 0.3)
            line["hasil_kerja"] = ratings[0 if score < 0.15 else 2 if score > 0.8 else 1]
            line["perilaku_kerja"] = ratings[0 if score < 0.1 else 2 if score > 0.85 else 1]
        self.fact(date(year, 12, 31), line)

    def train(self, p: Person, year: int) -> None:
        rng = self.rng
        if year == p.start.year:
            title, jp, provider = (
                ("Pelatihan Dasar CPNS", 76, "BPSDM Provinsi Sumatera Utara")
                if p.kind == "PNS"
                else ("Orientasi PPPK", 20, "BKPSDM Kota Binjai")
            )
            day = min(date(year, 11, 20), LAST_DAY)
            if self.in_service(p, day):
                self.fact(
                    day,
                    {
                        "kind": "training",
                        "source_ref": f"binjai-diklat-{p.i}-{year}-0",
                        "nip": p.nip,
                        "title": title,
                        "hours_jp": jp,
                        "completed_on": day.isoformat(),
                        "provider": provider,
                    },
                )
            return
        if year < 2010:
            return
        for k in range(rng.choice((0, 1, 1, 2))):
            title, jp, provider = rng.choice(TRAININGS)
            day = date(year, rng.randint(2, 11), rng.randint(1, 28))
            if self.in_service(p, day):
                self.fact(
                    day,
                    {
                        "kind": "training",
                        "source_ref": f"binjai-diklat-{p.i}-{year}-{k + 1}",
                        "nip": p.nip,
                        "title": title,
                        "hours_jp": jp,
                        "completed_on": day.isoformat(),
                        "provider": provider,
                    },
                )

    def discipline(self) -> None:
        """Sanctions, each with its own story; appeals change some of them."""
        people = [
            p
            for p in self.people
            if p.kind == "PNS" and p not in (self.slks20, *self.heads.values(), self.sekda)
        ]
        special = (self.absent, self.suspended, self.on_leave, *self.retirees, self.resigned)
        ringan_2012, sedang_2015, modified_2017, annulled_2020, tukin_2022, revoked_2023, lisan_2024 = (
            self.rng.sample([p for p in people if p not in special and p.start.year <= 2010], 7)
        )
        absence = "Tidak masuk kerja tanpa alasan yang sah"

        def sanction(
            p: Person, ref: str, decided: date, penalty: str, level: str, role: str, **extra: Any
        ) -> None:
            names = {
                "PPK": "Wali Kota Binjai",
                "SEKDA": "Sekretaris Daerah Kota Binjai",
                "KEPALA_OPD": f"Kepala {p.agency}",
                "ATASAN_LANGSUNG": "Atasan langsung",
            }
            violation = extra.pop("violation", {"description": absence, "level": level})
            self.fact(
                decided,
                {
                    "kind": "sanction",
                    "source_ref": ref,
                    "nip": p.nip,
                    "violation": violation,
                    "penalty": penalty,
                    "decided_by_role": role,
                    "decided_by_name": names[role],
                    "decree_number": f"862/{ref.rsplit('-', 1)[-1]}/HD/{decided.year}",
                    "decided_on": decided.isoformat(),
                    "summoned_on": [(decided - timedelta(days=14)).isoformat()],
                    "examined_on": (decided - timedelta(days=10)).isoformat(),
                    "bap_number": f"BAP/{ref}",
                    "evidence": [],
                    **extra,
                },
            )

        def appeal(
            p: Person, ref: str, sanction_ref: str, filed: date, decided: date, outcome: str, **new: str
        ) -> None:
            self.fact(
                filed,
                {
                    "kind": "appeal",
                    "source_ref": ref,
                    "nip": p.nip,
                    "sanction_ref": sanction_ref,
                    "appeal_kind": "KEBERATAN",
                    "filed_on": filed.isoformat(),
                },
            )
            self.fact(
                decided,
                {
                    "kind": "appeal_decision",
                    "source_ref": f"{ref}-putusan",
                    "nip": p.nip,
                    "sanction_ref": sanction_ref,
                    "appeal_ref": ref,
                    "outcome": outcome,
                    "decided_on": decided.isoformat(),
                    "decree_number": f"KEB/{ref}",
                    **new,
                },
            )

        # PP 53/2010 (disiplin/2010.1)
        sanction(
            ringan_2012,
            "binjai-hukdis-1",
            date(2012, 5, 14),
            "TEGURAN_TERTULIS",
            "RINGAN",
            "ATASAN_LANGSUNG",
            violation={"description": absence, "level": "RINGAN", "absence_days": 8},
        )
        sanction(
            sedang_2015,
            "binjai-hukdis-2",
            date(2015, 9, 7),
            "PENUNDAAN_KGB_1_TAHUN",
            "SEDANG",
            "KEPALA_OPD",
            violation={"description": absence, "level": "SEDANG", "absence_days": 18},
        )
        sedang_2015.barred_from = {10: True, 20: True, 30: True}
        sanction(
            self.suspended,
            "binjai-hukdis-3",
            date(2017, 2, 15),
            "PENURUNAN_PANGKAT_3_TAHUN",
            "BERAT",
            "PPK",
            violation={"description": "Penyalahgunaan wewenang dalam pengadaan", "level": "BERAT"},
        )
        self.suspended.barred_from = {20: True, 30: True}
        sanction(
            modified_2017,
            "binjai-hukdis-4",
            date(2017, 10, 2),
            "PENUNDAAN_PANGKAT_1_TAHUN",
            "SEDANG",
            "SEKDA",
            violation={"description": "Tidak menaati ketentuan jam kerja", "level": "SEDANG"},
        )
        appeal(
            modified_2017,
            "binjai-keberatan-4",
            "binjai-hukdis-4",
            date(2017, 10, 16),
            date(2017, 12, 4),
            "MODIFIED",
            new_penalty="PERNYATAAN_TIDAK_PUAS",
        )
        sanction(
            self.absent,
            "binjai-hukdis-5",
            date(2019, 7, 15),
            "PERNYATAAN_TIDAK_PUAS",
            "RINGAN",
            "KEPALA_OPD",
            violation={"description": absence, "level": "RINGAN", "absence_days": 12},
        )
        sanction(
            annulled_2020,
            "binjai-hukdis-6",
            date(2020, 2, 10),
            "PENURUNAN_PANGKAT_1_TAHUN",
            "SEDANG",
            "SEKDA",
            violation={"description": "Tidak mencapai sasaran kerja", "level": "SEDANG"},
        )
        appeal(
            annulled_2020,
            "binjai-keberatan-6",
            "binjai-hukdis-6",
            date(2020, 2, 24),
            date(2020, 4, 13),
            "ANNULLED",
        )
        # PP 94/2021 (disiplin/2021.1)
        sanction(
            tukin_2022,
            "binjai-hukdis-7",
            date(2022, 6, 20),
            "POTONGAN_TUKIN_9",
            "SEDANG",
            "KEPALA_OPD",
            violation={"description": absence, "level": "SEDANG", "absence_days": 15},
        )
        appeal(
            tukin_2022,
            "binjai-keberatan-7",
            "binjai-hukdis-7",
            date(2022, 7, 4),
            date(2022, 8, 29),
            "MODIFIED",
            new_penalty="POTONGAN_TUKIN_6",
        )
        tukin_2022.barred_from = {10: True, 20: True, 30: True}
        sanction(
            revoked_2023,
            "binjai-hukdis-8",
            date(2023, 3, 6),
            "POTONGAN_TUKIN_6",
            "SEDANG",
            "KEPALA_OPD",
            violation={"description": absence, "level": "SEDANG", "absence_days": 12},
        )
        self.fact(
            date(2023, 11, 13),
            {
                "kind": "sanction_revocation",
                "source_ref": "binjai-hukdis-8-cabut",
                "nip": revoked_2023.nip,
                "sanction_ref": "binjai-hukdis-8",
                "reason": "Ketidakhadiran ternyata cuti sakit yang sah",
                "decree_number": "862/8-C/HD/2023",
                "decided_on": "2023-11-13",
            },
        )
        sanction(
            lisan_2024,
            "binjai-hukdis-9",
            date(2024, 8, 5),
            "TEGURAN_LISAN",
            "RINGAN",
            "ATASAN_LANGSUNG",
            violation={"description": absence, "level": "RINGAN", "absence_days": 3},
        )

    def clock(self) -> None:
        for p in self.people:
            for ref, start, end in p.breaks:
                kind, end_kind = ("leave", "leave_end") if "cltn" in ref else ("suspension", "suspension_end")
                opening: dict[str, Any] = {
                    "kind": kind,
                    "source_ref": ref,
                    "nip": p.nip,
                    "started_on": start.isoformat(),
                    "reason": "Mengikuti suami bertugas di luar daerah"
                    if kind == "leave"
                    else "Ditahan dalam perkara pidana",
                    "decree_number": f"800.1.6/{ref}/BKPSDM",
                    "decree_date": (start - timedelta(days=20)).isoformat(),
                }
                if kind == "leave":
                    opening["leave_type"] = "CLTN"
                self.fact(start, opening)
                self.fact(
                    end,
                    {
                        "kind": end_kind,
                        "source_ref": f"{ref}-akhir",
                        "nip": p.nip,
                        f"{kind}_ref": ref,
                        "ended_on": end.isoformat(),
                        "decree_number": f"800.1.6/{ref}-akhir/BKPSDM",
                        "decree_date": (end - timedelta(days=7)).isoformat(),
                    },
                )

    def awards(self) -> None:
        rng = self.rng
        for p in self.people:
            if p.kind == "PNS":
                record = ServiceRecord(
                    p.start,
                    breaks=tuple(ServiceBreak(ref, s, e) for ref, s, e in p.breaks),
                    ended_on=p.end[1] if p.end else None,
                )
                for years in (10, 20, 30):
                    reached = record.reaches(years)
                    if reached is None or p.barred_from.get(years):
                        continue
                    decree = date(
                        reached.year if reached < date(reached.year, 8, 17) else reached.year + 1, 8, 17
                    )
                    if decree < AWARD_RULE_FROM or decree > LAST_DAY or not self.in_service(p, decree):
                        continue
                    if p is not self.slks20 and rng.random() < 0.15:
                        continue  # not proposed (yet)
                    self.fact(
                        decree,
                        {
                            "kind": "award",
                            "source_ref": f"binjai-slks{years}-{p.i}",
                            "nip": p.nip,
                            "award_type": f"SATYALANCANA_KARYA_SATYA_{years}",
                            "reason": f"Pengabdian {years} tahun sebagai PNS",
                            "decree_number": f"Keppres {rng.randint(40, 99)}/TK/{decree.year}",
                            "decree_date": decree.isoformat(),
                        },
                    )
            if p.quality > 0.75 and p.start.year < 2020:
                year = rng.randint(max(2015, p.start.year + 2), 2025)
                day = date(year, rng.choice((4, 10, 12)), rng.randint(1, 28))
                if self.in_service(p, day):
                    kind = rng.choice(("PIAGAM_INOVASI", "SERTIFIKAT_PENGHARGAAN"))
                    self.fact(
                        day,
                        {
                            "kind": "award",
                            "source_ref": f"binjai-penghargaan-{p.i}",
                            "nip": p.nip,
                            "award_type": kind,
                            "reason": "Inovasi layanan publik"
                            if kind == "PIAGAM_INOVASI"
                            else "Pegawai teladan",
                            "decree_number": f"800/{p.i}/Wali Kota/{year}",
                            "decree_date": day.isoformat(),
                        },
                    )

    # ----------------------------------------------------------------------------- the file

    def lines(self) -> Iterator[dict[str, Any]]:
        for code, name in AGENCIES:
            yield {"kind": "agency", "source_ref": f"binjai-opd-{code}", "code": code, "name": name}
        for code, name, agency in UNITS:
            yield {
                "kind": "service_unit",
                "source_ref": f"binjai-unit-{code}",
                "code": code,
                "name": name,
                "agency": agency,
            }
        for p in self.people:  # registration first: appraisers must exist before they appraise
            yield {
                "kind": "employee",
                "source_ref": f"binjai-peg-{p.i}",
                "nip": p.nip,
                "name": p.name,
                "agency": p.agency,
                "position": p.position,
                "grade": p.grade,
                "employment_type": p.kind,
                "service_start_date": p.start.isoformat(),
            }
        for _, _, line in sorted(self.facts, key=lambda f: (f[0], f[1])):
            yield line


def main() -> None:
    city = City()
    city.hire()
    city.clock()
    city.careers()
    city.discipline()
    city.awards()
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        for line in city.lines():
            out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{OUT}: {sum(1 for _ in OUT.open())} lines")


if __name__ == "__main__":
    main()

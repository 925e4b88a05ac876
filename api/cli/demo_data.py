"""Deterministic synthetic data for a Binjai-like city, written through the application service.

``plan(...)`` draws everything from one seeded RNG into a list of dated steps; ``run(...)``
executes them in date order with the ledger's clock set to each step's moment, so the events
carry realistic ``recorded_at`` and effective dates (annual appraisals are recorded in January
of the next year, trainings when completed, surveys as they come in). The same seed, employee
count and years give the same commands in the same order, hence the same event ids.

What it contains: ~30 OPDs with names from Kota Binjai's organisation, puskesmas and other
front-line service units with officers wearing officer codes, PNS and PPPK with structurally
valid NIPs, yearly organisation ratings, annual and periodic appraisals whose predikat follow
each agency's organisation curve (two agencies deliberately do not), corrections, supervisor
and peer feedback, citizen surveys (some naming an officer, one unit with fewer than five
responses a year), training with about three quarters of staff reaching 20 JP, inter-agency
programmes with participants and outcomes, transfers, awards (one flagged ineligible, one
revoked) and sanctions (some consistent with PP 94/2021, some not), with appeals and a
revocation.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ledger.application import CommandContext, KinerjaLedger
from ledger.clock import WIB, utc_now
from ledger.domain.envelope import Actor
from ledger.nip import parse_nip
from ledger.period import parse_period
from ledger.rules.satisfaction import ELEMENTS
from ledger.values import Decree, Text
from ledger.vocabulary import AppealKind, AppealOutcome, AwardType, PenaltyCode, Rating

AGENCIES: list[tuple[str, str, float]] = [
    # (code, name, share of staff)
    ("SETDA", "Sekretariat Daerah Kota Binjai", 0.04),
    ("SETWAN", "Sekretariat DPRD Kota Binjai", 0.015),
    ("INSPEKTORAT", "Inspektorat Kota Binjai", 0.015),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", 0.015),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", 0.015),
    ("BPKPAD", "Badan Pengelolaan Keuangan, Pendapatan dan Aset Daerah", 0.025),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", 0.01),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", 0.01),
    ("DISDIK", "Dinas Pendidikan", 0.30),
    ("DINKES", "Dinas Kesehatan", 0.14),
    ("RSUD", "RSUD Dr. R.M. Djoelham Binjai", 0.07),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", 0.02),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", 0.015),
    ("DINSOS", "Dinas Sosial", 0.015),
    ("DISHUB", "Dinas Perhubungan", 0.025),
    ("DLH", "Dinas Lingkungan Hidup", 0.03),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", 0.025),
    ("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", 0.01),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", 0.01),
    ("DISPORA", "Dinas Pemuda dan Olahraga", 0.01),
    ("DISBUDPAR", "Dinas Kebudayaan dan Pariwisata", 0.01),
    ("DISNAKER", "Dinas Tenaga Kerja", 0.01),
    ("DKP3", "Dinas Ketahanan Pangan, Pertanian dan Perikanan", 0.015),
    ("DISKOPUKM", "Dinas Koperasi, Usaha Kecil dan Menengah", 0.01),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", 0.01),
    ("DP3AP2KB", "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan KB", 0.015),
    ("DISARPUS", "Dinas Perpustakaan dan Kearsipan", 0.01),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", 0.03),
    ("KEC-BINJAI-KOTA", "Kecamatan Binjai Kota", 0.01),
    ("KEC-BINJAI-UTARA", "Kecamatan Binjai Utara", 0.01),
    ("KEC-BINJAI-TIMUR", "Kecamatan Binjai Timur", 0.01),
    ("KEC-BINJAI-SELATAN", "Kecamatan Binjai Selatan", 0.01),
    ("KEC-BINJAI-BARAT", "Kecamatan Binjai Barat", 0.01),
]

UNITS: list[tuple[str, str, str, float]] = [
    # (code, name, agency, service quality 0..1)
    ("PKM-BINJAI-KOTA", "Puskesmas Binjai Kota", "DINKES", 0.80),
    ("PKM-KEBUN-LADA", "Puskesmas Kebun Lada", "DINKES", 0.65),
    ("PKM-JATI-MAKMUR", "Puskesmas Jati Makmur", "DINKES", 0.70),
    ("PKM-TANAH-TINGGI", "Puskesmas Tanah Tinggi", "DINKES", 0.55),
    ("PKM-SUKARAMAI", "Puskesmas Sukaramai", "DINKES", 0.75),
    ("PKM-BANDAR-SINEMBAH", "Puskesmas Bandar Sinembah", "DINKES", 0.60),
    ("PKM-RAMBUNG", "Puskesmas Rambung", "DINKES", 0.85),
    ("PKM-BINJAI-ESTATE", "Puskesmas Binjai Estate", "DINKES", 0.50),
    ("RSUD-RAWAT-JALAN", "RSUD Djoelham - Poliklinik Rawat Jalan", "RSUD", 0.60),
    ("DUKCAPIL-ADMINDUK", "Layanan Administrasi Kependudukan", "DISDUKCAPIL", 0.90),
    ("MPP-BINJAI", "Mal Pelayanan Publik Kota Binjai", "DPMPTSP", 0.85),
    ("DISHUB-PKB", "Unit Pengujian Kendaraan Bermotor", "DISHUB", 0.45),
    ("BPKPAD-PBB", "Layanan PBB dan BPHTB", "BPKPAD", 0.70),
    ("KEC-BINJAI-KOTA-PATEN", "PATEN Kecamatan Binjai Kota", "KEC-BINJAI-KOTA", 0.65),
    ("KEC-BINJAI-UTARA-PATEN", "PATEN Kecamatan Binjai Utara", "KEC-BINJAI-UTARA", 0.60),
]
SMALL_UNIT = "KEC-BINJAI-UTARA-PATEN"  # gets fewer than 5 responses a year: suppressed publicly

PROGRAMS: list[tuple[str, str, list[str]]] = [
    ("UKS-TERPADU", "Usaha Kesehatan Sekolah Terpadu", ["DINKES", "DISDIK"]),
    ("CEGAH-STUNTING", "Percepatan Penurunan Stunting", ["DINKES", "DP3AP2KB", "DKP3"]),
    ("MPP-DIGITAL", "Mal Pelayanan Publik Digital", ["DPMPTSP", "DISDUKCAPIL", "DISKOMINFO"]),
    ("BINJAI-BERSIH", "Binjai Bersih dan Hijau", ["DLH", "DPUPR", "KEC-BINJAI-KOTA"]),
]
PROGRAM_INDICATORS = {
    "UKS-TERPADU": ("sekolah dengan UKS aktif", 60),
    "CEGAH-STUNTING": ("prevalensi stunting turun (poin persen x10)", 20),
    "MPP-DIGITAL": ("jenis layanan daring", 40),
    "BINJAI-BERSIH": ("kelurahan bebas sampah liar", 37),
}

# Organisation ratings and the predikat shares that follow (or, for two, break) their curve.
CURVE_SHARES: dict[str, dict[str, float]] = {
    "ISTIMEWA": {"SANGAT_BAIK": 0.35, "BAIK": 0.55, "BUTUH_PERBAIKAN": 0.07, "KURANG": 0.03},
    "BAIK": {
        "SANGAT_BAIK": 0.15,
        "BAIK": 0.65,
        "BUTUH_PERBAIKAN": 0.12,
        "KURANG": 0.06,
        "SANGAT_KURANG": 0.02,
    },
    "BUTUH_PERBAIKAN": {"SANGAT_BAIK": 0.05, "BAIK": 0.25, "BUTUH_PERBAIKAN": 0.62, "KURANG": 0.08},
}
OFF_CURVE = {"SANGAT_BAIK": 0.80, "BAIK": 0.20}  # "everyone is excellent": a curve warning
OFF_CURVE_AGENCIES = ("DISPORA", "SATPOLPP")
RATINGS = ["ISTIMEWA", "BAIK", "BAIK", "BAIK", "BUTUH_PERBAIKAN"]

# predikat -> (hasil kerja, perilaku kerja) quadrants that yield it (PermenPANRB 6/2022)
QUADRANTS = {
    "SANGAT_BAIK": [("DI_ATAS_EKSPEKTASI", "DI_ATAS_EKSPEKTASI")],
    "BAIK": [
        ("DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI"),
        ("SESUAI_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"),
        ("SESUAI_EKSPEKTASI", "SESUAI_EKSPEKTASI"),
    ],
    "BUTUH_PERBAIKAN": [
        ("DI_BAWAH_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"),
        ("DI_BAWAH_EKSPEKTASI", "SESUAI_EKSPEKTASI"),
    ],
    "KURANG": [("DI_ATAS_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"), ("SESUAI_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI")],
    "SANGAT_KURANG": [("DI_BAWAH_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI")],
}

GIVEN = [
    "Ahmad", "Budi", "Citra", "Dedi", "Dewi", "Eka", "Fajar", "Fitri", "Hendra", "Indah", "Irwan",
    "Joko", "Kartika", "Lestari", "Maya", "Muhammad", "Nurul", "Putri", "Rahmat", "Rina", "Rizki",
    "Siti", "Sri", "Taufik", "Wahyu", "Yusuf", "Zulkifli", "Agus", "Ratna", "Hotma", "Roslina",
    "Bonar", "Tiurma", "Ikhsan", "Nadia", "Syahrial", "Wulan", "Erwin", "Juliana", "Fadli",
]  # fmt: skip
FAMILY = [
    "Siregar", "Nasution", "Lubis", "Harahap", "Sembiring", "Ginting", "Tarigan", "Sitepu",
    "Simanjuntak", "Hutagalung", "Pardede", "Daulay", "Rangkuti", "Batubara", "Purba", "Saragih",
    "Pratama", "Santoso", "Wijaya", "Hidayat", "Syahputra", "Lestari", "Kurniawan", "Utami",
]  # fmt: skip
POSITIONS = {
    "DISDIK": ["Guru Ahli Pertama", "Guru Ahli Muda", "Guru Ahli Madya", "Pengawas Sekolah Ahli Muda"],
    "DINKES": ["Perawat Ahli Pertama", "Bidan Terampil", "Dokter Ahli Pertama", "Apoteker Ahli Pertama",
               "Sanitarian Terampil", "Nutrisionis Ahli Pertama"],
    "RSUD": ["Perawat Terampil", "Dokter Spesialis Ahli Muda", "Radiografer Terampil", "Perawat Ahli Muda"],
}  # fmt: skip
GENERIC_POSITIONS = [
    "Analis Kebijakan Ahli Pertama", "Pengadministrasi Umum", "Pranata Komputer Ahli Pertama",
    "Analis Keuangan Pusat dan Daerah Ahli Muda", "Arsiparis Terampil", "Pengelola Layanan Operasional",
    "Perencana Ahli Muda", "Auditor Ahli Pertama", "Penata Kelola Sistem dan Teknologi Informasi",
]  # fmt: skip
PNS_GRADES = ["II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"]
PPPK_GRADES = ["V", "VII", "IX", "X", "XI"]
TRAININGS = [
    ("Pelatihan Pelayanan Prima", "BPSDM Provinsi Sumatera Utara"),
    ("Bimbingan Teknis Penyusunan SKP", "BKPSDM Kota Binjai"),
    ("Pelatihan Literasi Digital ASN", "ASN Unggul (LAN RI)"),
    ("Pelatihan Kepemimpinan Pengawas", "BPSDM Provinsi Sumatera Utara"),
    ("Workshop Manajemen Risiko", "Inspektorat Kota Binjai"),
    ("Pelatihan Keselamatan Pasien", "Kemenkes RI (Plataran Sehat)"),
    ("Diklat Kurikulum Merdeka", "Kemendikbudristek (PMM)"),
    ("Pelatihan Anti Korupsi", "KPK (ACLC)"),
]
JP_SIZES = [2, 4, 4, 8, 8, 12, 16, 24, 32]


@dataclass
class Person:
    nip: str
    name: str
    agency: str
    employment_type: str
    tmt: date
    officer: tuple[str, str] | None = None  # (unit, officer code)
    quality: float = 0.5


@dataclass(order=True)
class Step:
    at: datetime
    seq: int
    label: str = field(compare=False)
    run: Callable[..., object] = field(compare=False)


def _nip(rng: random.Random, taken: set[str], born: date, tmt: date) -> str:
    while True:
        text = f"{born:%Y%m%d}{tmt:%Y%m}{rng.choice('12')}{rng.randint(1, 999):03d}"
        if text not in taken:
            taken.add(text)
            return text


def _moment(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WIB).astimezone(UTC)


def _answers(rng: random.Random, quality: float) -> dict[str, int]:
    """Nine answers 1..4 around a unit's (and officer's) quality."""
    out = {}
    for element in ELEMENTS:
        x = quality + rng.gauss(0, 0.18)
        out[element] = 4 if x > 0.72 else 3 if x > 0.4 else 2 if x > 0.15 else 1
    return out


@dataclass
class Plan:
    steps: list[Step]
    people: list[Person]
    years: list[int]


def plan(employees: int = 2000, years: int = 3, seed: int = 2026, last_year: int | None = None) -> Plan:
    """Every command of the demo, dated; nothing is written here."""
    rng = random.Random(seed)
    now = utc_now()
    last = last_year if last_year is not None else now.astimezone(WIB).year - 1
    year_list = list(range(last - years + 1, last + 1))
    first = year_list[0]
    start = date(first, 1, 2)
    steps: list[Step] = []

    def at(
        day: date, label: str, fn: Callable[..., object], hour: int = 9, minute: int | None = None
    ) -> None:
        steps.append(
            Step(_moment(day, hour, rng.randint(0, 59) if minute is None else minute), len(steps), label, fn)
        )

    # Agencies and units.
    for code, name, _ in AGENCIES:
        at(
            start,
            "agency",
            lambda app, ctx, ids, c=code, n=name: app.register_agency(ctx, code=c, name=n),
            6,
            0,
        )
    for code, name, agency, _ in UNITS:
        at(
            start,
            "unit",
            lambda app, ctx, ids, c=code, n=name, a=agency: app.register_service_unit(
                ctx, code=c, name=n, agency=a
            ),
            6,
            30,
        )

    # People: sizes by share, at least two per agency (a head and someone to appraise).
    taken: set[str] = set()
    weights = [share for _, _, share in AGENCIES]
    counts = {code: 2 for code, _, _ in AGENCIES}
    for _ in range(max(0, employees - sum(counts.values()))):
        counts[rng.choices([c for c, _, _ in AGENCIES], weights)[0]] += 1
    people: list[Person] = []
    by_agency: dict[str, list[Person]] = {}
    for code, _, _ in AGENCIES:
        for i in range(counts[code]):
            pppk = i > 0 and rng.random() < (0.45 if code == "DISDIK" else 0.2)
            if pppk:
                tmt_year = rng.randint(min(2019, first - 1), first - 1)
            else:
                tmt_year = rng.randint(max(1990, first - 32), first - 1)
            born = date(
                rng.randint(max(1960, tmt_year - 35), tmt_year - 22), rng.randint(1, 12), rng.randint(1, 28)
            )
            tmt = date(tmt_year, rng.choice([1, 3, 4, 12]), 1)
            p = Person(
                nip=_nip(rng, taken, born, tmt),
                name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                agency=code,
                employment_type="PPPK" if pppk else "PNS",
                tmt=tmt,
                quality=min(max(rng.gauss(0.6, 0.2), 0.05), 0.98),
            )
            people.append(p)
            by_agency.setdefault(code, []).append(p)
    for p in people:
        positions = POSITIONS.get(p.agency, GENERIC_POSITIONS)
        grade = rng.choice(PPPK_GRADES if p.employment_type == "PPPK" else PNS_GRADES)
        position = rng.choice(positions)
        at(
            start,
            "employee",
            lambda app, ctx, ids, p=p, pos=position, g=grade: app.register_employee(
                ctx,
                nip=p.nip,
                name=p.name,
                agency=p.agency,
                position=pos,
                grade=g,
                employment_type=p.employment_type,
            ),
            7,
            0,
        )
    heads = {code: members[0] for code, members in by_agency.items()}
    sekda = heads["SETDA"]

    # Front-line officers with officer codes.
    officers: dict[str, list[Person]] = {}
    for code, _, agency, _ in UNITS:
        pool = [p for p in by_agency[agency][1:] if p.officer is None]
        chosen = rng.sample(pool, min(len(pool), rng.randint(3, 8)))
        officers[code] = chosen
        for k, p in enumerate(chosen, 1):
            p.officer = (code, f"{code[:3]}{k:02d}")
            at(
                start + timedelta(days=1),
                "assign",
                lambda app, ctx, ids, p=p: app.assign_to_service_unit(
                    ctx, p.nip, service_unit=p.officer[0], officer_code=p.officer[1]
                ),
            )

    # Programmes start in the first year.
    program_members: dict[str, list[Person]] = {}
    for code, name, agencies in PROGRAMS:
        at(
            date(first, 2, 10),
            "program",
            lambda app, ctx, ids, c=code, n=name, a=agencies: app.launch_program(
                ctx, code=c, name=n, agencies=a
            ),
        )
        pool = [p for a in agencies for p in by_agency[a]]
        members = rng.sample(pool, min(len(pool), max(3, employees // 150)))
        program_members[code] = members
        for p in members:
            at(
                date(first, 2, 20) + timedelta(days=rng.randint(0, 200)),
                "participant",
                lambda app, ctx, ids, c=code, p=p: app.add_program_participant(
                    ctx, c, nip=p.nip, role=rng.choice(["koordinator", "anggota", "anggota", "fasilitator"])
                ),
            )

    in_programs = {p.nip for members in program_members.values() for p in members}
    moved: set[str] = set()
    appraisal_ids: dict[tuple[str, int], str] = {}
    survey_scale = max(6, employees // 20)
    for year in year_list:
        # Organisation ratings for the year, announced early in the next January.
        ratings = {code: rng.choice(RATINGS) for code, _, _ in AGENCIES}
        for code, rating in ratings.items():
            at(
                date(year + 1, 1, 6),
                "rating",
                lambda app, ctx, ids, c=code, y=year, r=rating: app.rate_agency(
                    ctx, c, year=y, predikat_organisasi=r
                ),
                8,
            )

        # Appraisals following the curve of the agency's rating, by quota.
        for code, members in by_agency.items():
            shares = OFF_CURVE if code in OFF_CURVE_AGENCIES else CURVE_SHARES[ratings[code]]
            quota: list[str] = []
            for predikat, share in shares.items():
                quota += [predikat] * round(share * len(members))
            while len(quota) < len(members):
                quota.append("BAIK")
            quota = quota[: len(members)]
            # Better people tend to get better predikat, with noise.
            ranked = sorted(members, key=lambda p: p.quality + rng.gauss(0, 0.15), reverse=True)
            order = ["SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG"]
            quota.sort(key=order.index)
            head = heads[code]
            for p, predikat in zip(ranked, quota, strict=True):
                appraiser = sekda if p is head else head
                if appraiser is p:
                    appraiser = heads["BKPSDM"]
                hasil, perilaku = rng.choice(QUADRANTS[predikat])
                if rng.random() < 0.2:
                    # Periodic: two semesters; the second (ending last) carries the year's predikat.
                    other_h, other_p = rng.choice(QUADRANTS[rng.choice(["BAIK", predikat])])
                    for period, (h, b), day in (
                        (f"{year}-01..{year}-06", (other_h, other_p), date(year, 7, 15)),
                        (f"{year}-07..{year}-12", (hasil, perilaku), date(year + 1, 1, 20)),
                    ):
                        at(
                            day,
                            "appraisal",
                            lambda app, ctx, ids, p=p, per=period, h=h, b=b, a=appraiser: (
                                app.record_appraisal(
                                    ctx,
                                    p.nip,
                                    period=per,
                                    hasil_kerja=h,
                                    perilaku_kerja=b,
                                    appraiser_nip=a.nip,
                                )
                            ),
                            10,
                        )
                    continue
                key = (p.nip, year)

                def appraise(
                    app: KinerjaLedger,
                    ctx: CommandContext,
                    ids: dict[str, Any],
                    p: Person = p,
                    y: int = year,
                    h: str = hasil,
                    b: str = perilaku,
                    a: Person = appraiser,
                    key: tuple[str, int] = key,
                ) -> None:
                    r = app.record_appraisal(
                        ctx,
                        p.nip,
                        period=parse_period(str(y)),
                        hasil_kerja=Rating(h),
                        perilaku_kerja=Rating(b),
                        appraiser_nip=parse_nip(a.nip),
                    )
                    ids[f"appraisal:{key}"] = r.event_id

                appraisal_ids[key] = f"appraisal:{key}"
                at(date(year + 1, 1, rng.randint(8, 25)), "appraisal", appraise, 10)

        # A few corrections, a month after the appraisals.
        annual = [k for k in appraisal_ids if k[1] == year]
        for key in rng.sample(annual, min(len(annual), max(1, employees // 200))):
            at(
                date(year + 1, 2, rng.randint(10, 25)),
                "correction",
                lambda app, ctx, ids, key=key: app.correct_appraisal(
                    ctx,
                    key[0],
                    ids[f"appraisal:{key}"],
                    reason="keberatan pegawai atas penilaian perilaku kerja diterima atasan",
                    perilaku_kerja="SESUAI_EKSPEKTASI",
                ),
                11,
            )

        # Training: about three quarters reach 20 JP.
        for p in people:
            target = (
                rng.choice([20, 24, 28, 32, 40]) if rng.random() < 0.76 else rng.choice([0, 4, 8, 12, 16])
            )
            total = 0
            while total < target:
                jp = min(rng.choice(JP_SIZES), max(target - total, 2))
                total += jp
                title, provider = rng.choice(TRAININGS)
                day = date(year, rng.randint(2, 11), rng.randint(1, 28))
                at(
                    day,
                    "training",
                    lambda app, ctx, ids, p=p, t=title, pr=provider, jp=jp, d=day: app.record_training(
                        ctx, p.nip, title=t, hours_jp=jp, completed_on=d, provider=pr
                    ),
                    15,
                )

        # Supervisor and peer feedback.
        for p in rng.sample(people, len(people) // 10):
            at(
                date(year, rng.randint(3, 11), rng.randint(1, 28)),
                "feedback",
                lambda app, ctx, ids, p=p: app.record_feedback(
                    ctx,
                    p.nip,
                    source=rng.choice(["SUPERVISOR", "PEER"]),
                    score=max(1, min(4, round(1 + 3 * p.quality + rng.gauss(0, 0.4)))),
                    comment="umpan balik triwulanan",
                ),
                14,
            )

        # Citizen surveys: a third name the officer who served them.
        for code, _, _, quality in UNITS:
            n = (
                rng.randint(2, 4)
                if code == SMALL_UNIT
                else rng.randint(survey_scale // 2, survey_scale * 3 // 2)
            )
            for _ in range(n):
                # Not before the units and their officers exist (registered in the first days).
                day = max(date(year, rng.randint(1, 12), rng.randint(1, 28)), start + timedelta(days=2))
                officer = rng.choice(officers[code]) if officers[code] and rng.random() < 0.33 else None
                q = (quality + officer.quality) / 2 if officer else quality
                answers = _answers(rng, q)
                comment = rng.choice(
                    [None, None, None, "antrian terlalu lama", "petugas ramah", "mohon tambah kursi"]
                )
                at(
                    day,
                    "survey",
                    lambda app, ctx, ids, c=code, o=officer, a=answers, m=comment: app.submit_survey(
                        CommandContext(Actor("", "citizen"), correlation_id=ctx.correlation_id),
                        service_unit=c,
                        answers=a,
                        officer_code=o.officer[1] if o and o.officer else None,
                        comment=m,
                    ),
                    rng.randint(8, 15),
                )

        # Programme outcomes for the year.
        for code, _, _ in PROGRAMS:
            indicator, target = PROGRAM_INDICATORS[code]
            achieved = round(target * rng.uniform(0.6, 1.15))
            at(
                date(year, 12, 20),
                "outcome",
                lambda app, ctx, ids, c=code, i=indicator, t=target, a=achieved, y=year: (
                    app.record_program_outcome(ctx, c, indicator=i, target=t, achieved=a, period=str(y))
                ),
            )

        # Transfers.
        for p in rng.sample(people, max(1, len(people) // 100)):
            # Officers, heads and programme members stay put (their units, appraisees and
            # programmes belong to their agency).
            if p.officer is not None or p is heads[p.agency] or p.nip in in_programs or p.nip in moved:
                continue
            moved.add(p.nip)
            target_agency = rng.choice([c for c, _, _ in AGENCIES if c != p.agency])
            day = date(year, rng.randint(2, 11), 1)
            at(
                day,
                "transfer",
                lambda app, ctx, ids, p=p, a=target_agency, d=day: app.transfer_employee(
                    ctx, p.nip, agency=a, position=rng.choice(GENERIC_POSITIONS), effective_date=d
                ),
            )

        _awards(rng, at, people, year, employees)
        _sanctions(rng, at, people, heads, year, employees)

    steps.sort()
    # Never record in the future: a step due later than now is recorded now (it keeps its dates).
    for s in steps:
        s.at = min(s.at, now)
    return Plan(steps, people, year_list)


def _awards(
    rng: random.Random,
    at: Callable[..., None],
    people: list[Person],
    year: int,
    employees: int,
) -> None:
    n = max(2, employees // 150)
    for i, p in enumerate(rng.sample(people, n)):
        day = date(year, 8, 17) if i % 2 == 0 else date(year, 11, 10)
        served = year - p.tmt.year
        if i == 0 and served >= 10:
            kind = "SATYALANCANA_KARYA_SATYA_20" if served < 20 else "SATYALANCANA_KARYA_SATYA_10"
        else:
            kind = rng.choice(
                ["SERTIFIKAT_PENGHARGAAN", "PIAGAM_INOVASI", "INSENTIF", "PRIORITAS_PENGEMBANGAN_KOMPETENSI"]
            )
        decree = f"800/{rng.randint(100, 999)}/BKPSDM/{year}"

        def grant(
            app: KinerjaLedger, ctx: CommandContext, ids: dict[str, Any], p: Person = p, k: str = kind,
            d: date = day, dn: str = decree, idx: int = i,
        ) -> None:  # fmt: skip
            r = app.grant_award(
                ctx,
                p.nip,
                award_type=AwardType(k),
                reason=Text(
                    "inovasi aplikasi layanan publik" if k == "PIAGAM_INOVASI" else "kinerja terbaik"
                ),
                decree_number=Decree(dn),
                decree_date=d,
            )
            ids[f"award:{year}:{idx}"] = (p.nip, r.event_id)

        at(day, "award", grant, 10)
    # One revoked a few weeks later (the decree was issued for the wrong person).
    at(
        date(year, 12, 5),
        "award-revocation",
        lambda app, ctx, ids, y=year: app.revoke_award(
            ctx,
            ids[f"award:{y}:1"][0],
            ids[f"award:{y}:1"][1],
            reason="SK diterbitkan untuk pegawai yang salah",
            decree_number=f"800/REV/BKPSDM/{y}",
            decree_date=date(y, 12, 5),
        ),
    )


def _sanctions(
    rng: random.Random,
    at: Callable[..., None],
    people: list[Person],
    heads: dict[str, Person],
    year: int,
    employees: int,
) -> None:
    n = max(3, employees // 120)
    bands = [
        (3, "TEGURAN_LISAN", "RINGAN"),
        (5, "TEGURAN_TERTULIS", "RINGAN"),
        (8, "PERNYATAAN_TIDAK_PUAS", "RINGAN"),
        (12, "POTONGAN_TUKIN_6", "SEDANG"),
        (15, "POTONGAN_TUKIN_9", "SEDANG"),
        (18, "POTONGAN_TUKIN_12", "SEDANG"),
        (22, "PENURUNAN_JABATAN", "BERAT"),
    ]
    candidates = [p for p in people if p is not heads[p.agency]]
    for i, p in enumerate(rng.sample(candidates, n)):
        days, penalty, level = rng.choice(bands)
        role = {"RINGAN": "ATASAN_LANGSUNG", "SEDANG": "SEKDA", "BERAT": "PPK"}[level]
        examined = date(year, rng.randint(3, 9), rng.randint(1, 20))
        summoned = examined - timedelta(days=7)
        decided = examined + timedelta(days=14)
        kwargs: dict[str, Any] = {
            "violation": {
                "description": f"tidak masuk kerja tanpa alasan yang sah {days} hari kerja",
                "level": level,
                "absence_days": days,
            },
            "penalty": penalty,
            "decided_by_role": role,
            "decided_by_name": "Wali Kota Binjai" if role == "PPK" else None,
            "decided_by_nip": None if role == "PPK" else heads["SETDA" if role == "SEKDA" else p.agency].nip,
            "decree_number": f"800/{rng.randint(1000, 9999)}/HD/{year}",
            "decided_on": decided,
            "summoned_on": [summoned],
            "examined_on": examined,
            "bap_number": f"BAP/{year}/{i + 1:03d}",
        }
        # Some decisions as issued break the rules; the ledger records them and flags them.
        flaw = i % 4
        if flaw == 1:
            kwargs["decided_by_role"] = "KEPALA_OPD"  # not authorised beyond ringan
            kwargs["decided_by_nip"] = heads[p.agency].nip
        elif flaw == 2:
            kwargs["penalty"] = "TEGURAN_LISAN"  # lighter than the absence table prescribes
            kwargs["violation"]["level"] = "RINGAN"
            kwargs["decided_by_role"] = "ATASAN_LANGSUNG"
            kwargs["decided_by_nip"] = heads[p.agency].nip
        elif flaw == 3:
            kwargs["examined_on"] = None  # no examination recorded
            kwargs["bap_number"] = None

        def impose(
            app: KinerjaLedger, ctx: CommandContext, ids: dict[str, Any], p: Person = p,
            kw: dict[str, Any] = kwargs, idx: int = i,
        ) -> None:  # fmt: skip
            r = app.impose_sanction(ctx, p.nip, **kw)
            ids[f"sanction:{year}:{idx}"] = (p.nip, r.event_id, kw["decided_on"])

        at(decided, "sanction", impose, 11)

    # Appeals: one keberatan modified, one annulled; and one decision revoked.
    def appeal(idx: int, outcome: str, new_penalty: str | None) -> Callable[..., None]:
        def run(app: KinerjaLedger, ctx: CommandContext, ids: dict[str, Any]) -> None:
            nip, sanction_id, decided = ids[f"sanction:{year}:{idx}"]
            filed = decided + timedelta(days=10)
            r = app.file_appeal(ctx, nip, sanction_id, kind=AppealKind.KEBERATAN, filed_on=filed)
            app.decide_appeal(
                ctx,
                nip,
                sanction_id,
                r.event_id,
                outcome=AppealOutcome(outcome),
                decided_on=filed + timedelta(days=21),
                decree_number=Decree(f"800/KEB/{year}/{idx}"),
                new_penalty=PenaltyCode(new_penalty) if new_penalty else None,
            )

        return run

    at(date(year, 12, 1), "appeal", appeal(0, "MODIFIED", "TEGURAN_TERTULIS"), 10)
    at(date(year, 12, 2), "appeal", appeal(1, "ANNULLED", None), 10)

    def revoke(app: KinerjaLedger, ctx: CommandContext, ids: dict[str, Any]) -> None:
        nip, sanction_id, _ = ids[f"sanction:{year}:2"]
        app.revoke_sanction(
            ctx,
            nip,
            sanction_id,
            reason=Text("dicabut oleh PPK setelah pemeriksaan ulang"),
            decree_number=Decree(f"800/CABUT/{year}"),
            decided_on=date(year, 12, 10),
        )

    at(date(year, 12, 10), "sanction-revocation", revoke, 10)


class SimulatedClock:
    """The ledger's clock during the demo: each step's moment."""

    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now


def run(
    app: KinerjaLedger,
    the_plan: Plan,
    clock: SimulatedClock,
    *,
    seed: int,
    on_step: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Execute the plan in date order; returns how many commands of each kind ran."""
    ids: dict[str, Any] = {}
    counts: dict[str, int] = {}
    for i, step in enumerate(the_plan.steps):
        clock.now = step.at
        ctx = CommandContext(Actor("demo-loader", "hr"), correlation_id=f"demo-{seed}-{i}")
        step.run(app, ctx, ids)
        counts[step.label] = counts.get(step.label, 0) + 1
        if on_step is not None:
            on_step(i + 1)
    return counts

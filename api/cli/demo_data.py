"""Deterministic synthetic data for a Binjai-like city, written through the application service.

``plan(...)`` draws everything from one seeded RNG into a list of dated steps; ``run(...)``
executes them in date order with the ledger's clock set to each step's moment, so the events
carry realistic ``recorded_at`` and effective dates. The same seed, employee count and years give
the same commands in the same order, hence the same event ids.

Twenty years of service history, through the rule versions of their day (nothing is dated before
the first version of its rule):

- ~30 OPDs with names from Kota Binjai's organisation, each with a head (Kepala Dinas/Badan,
  Camat, Sekretaris Daerah, ...) of grade IV and a secretary who succeeds the head at the head's
  BUP; PNS with grades that follow the entry diploma and the years of service, functional
  positions that follow the grade, PPPK from 2019 (``demo_people``);
- retirements at the BUP of the post held (the ledger's own rule), a few deaths, resignations and
  early retirements, a CLTN and a suspension, one PPPK agreement that ends;
- annual appraisals from 2014: PP 46/2011 (2014-2020), PP 30/2019 (2021), PermenPANRB 6/2022
  (2022 on), mostly BAIK, a few SANGAT_BAIK, few below, one agency rating nearly everyone
  SANGAT_BAIK (a curve warning); corrections after an accepted keberatan raise the predikat;
- sanctions from 2010-06-06 under PP 53/2010, from 2021-08-31 under PP 94/2021: absence by the
  version's own table and other violations, most of them consistent with the inspectorate's
  checks, about one in eight flawed on purpose; keberatan and banding, revocations;
- Satyalancana Karya Satya 10/20/30 for the PNS who reach the years and are eligible
  (``demo_history``).

The last ``years`` calendar years are in full detail: organisation ratings (from 2022), service
units with officers and citizen surveys (one unit with fewer than five responses a year),
training relevant to the agency with most PNS reaching 20 JP (from 2020), supervisor and peer
feedback, inter-agency programmes with participants and outcomes, transfers and other awards
(one revoked).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from eventsourcing.application import LRUCache
from eventsourcing.sqlite import SQLiteDatastore

from api.cli import demo_history as hist
from api.cli import demo_people as ppl
from api.cli.demo_people import Break, Person, Post
from ledger.application import CommandContext, KinerjaLedger
from ledger.clock import WIB, utc_now
from ledger.domain.envelope import Actor
from ledger.rules.appraisal import PRESTASI_2014
from ledger.rules.awards import AWARD_RULES
from ledger.rules.discipline import DISCIPLINE_RULES
from ledger.rules.satisfaction import ELEMENTS
from ledger.values import Code, Decree, Text
from ledger.vocabulary import AppealKind, AppealOutcome, Level, PenaltyCode

HISTORY_YEARS = 20  # the service history reaches this many calendar years back
AGGREGATE_CACHE_SIZE = 20_000  # aggregates kept in memory while the demo loads

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

RATINGS = ["ISTIMEWA", "BAIK", "BAIK", "BAIK", "BAIK", "BUTUH_PERBAIKAN"]
# Rates nearly everyone SANGAT_BAIK from 2022: the predikat curve warns about it.
OFF_CURVE_AGENCIES = ("SATPOLPP",)
# CPNS recruitment years and their weights (moratorium years left out), PPPK from 2019.
PNS_WAVES = {2008: 3, 2009: 3, 2010: 3, 2013: 2, 2014: 1, 2017: 1, 2018: 3, 2019: 3, 2021: 3, 2024: 2}
PPPK_WAVES = {2019: 1, 2021: 2, 2022: 3, 2023: 3, 2024: 2}
ENTRY_AGES = {"II/a": (19, 25), "II/c": (21, 27), "III/a": (22, 30), "III/b": (25, 32)}
CLTN_REASONS = [
    "mendampingi suami yang bertugas di luar negeri",
    "mengikuti suami yang pindah tugas ke luar daerah",
    "merawat anak yang berkebutuhan khusus",
]
FAR = date(2100, 1, 1)

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

Run = Callable[[KinerjaLedger, CommandContext, dict[str, Any]], object]


@dataclass(order=True)
class Step:
    at: datetime
    seq: int
    label: str = field(compare=False)
    run: Run = field(compare=False)


@dataclass(frozen=True)
class Ref:
    """The id another step stored under `key` (an appraisal, a sanction, a leave...)."""

    key: str


def _cmd(method: str, /, *args: Any, store: str | None = None, **kwargs: Any) -> Run:
    """A step that calls one ledger command; `Ref` arguments are read from the ids stored so far."""

    def run(app: KinerjaLedger, ctx: CommandContext, ids: dict[str, Any]) -> object:
        given = [ids[a.key] if isinstance(a, Ref) else a for a in args]
        named = {k: ids[v.key] if isinstance(v, Ref) else v for k, v in kwargs.items()}
        result = getattr(app, method)(ctx, *given, **named)
        if store is not None:
            ids[store] = result.event_id
        return result

    return run


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
    years: list[int]  # the years in full detail
    history_from: int = 0  # the first year of the service history
    heads: dict[str, list[tuple[date, Person]]] = field(default_factory=dict)


def plan(employees: int = 2000, years: int = 3, seed: int = 2026, last_year: int | None = None) -> Plan:
    """Every command of the demo, dated; nothing is written here."""
    now = utc_now()
    last = last_year if last_year is not None else now.astimezone(WIB).year - 1
    return _Planner(employees, years, seed, last, now).plan()


class _Planner:
    def __init__(self, employees: int, years: int, seed: int, last: int, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.employees = employees
        self.now = now
        self.last = last
        self.years = list(range(last - years + 1, last + 1))
        self.history_start = date(last - HISTORY_YEARS + 1, 1, 2)
        # Dated facts of the history end here: the demo never dates anything after it.
        self.cutoff = date(last + 1, 1, 1)
        # Nobody reaches the BUP in the two years after it (nobody is left past the BUP).
        self.quiet = (self.cutoff, ppl.add_years(self.cutoff, 2))
        self.steps: list[Step] = []
        self.people: list[Person] = []
        self.by_agency: dict[str, list[Person]] = {}
        self.heads: dict[str, list[tuple[date, Person]]] = {}
        self.secretaries: dict[str, Person] = {}
        self.taken: set[str] = set()
        self.serial = 0
        self.officers: dict[str, list[Person]] = {}
        self.members: dict[str, list[Person]] = {}

    def at(self, day: date, label: str, run: Run, hour: int = 9, minute: int | None = None) -> None:
        m = self.rng.randint(0, 59) if minute is None else minute
        self.steps.append(Step(_moment(day, hour, m), len(self.steps), label, run))

    def plan(self) -> Plan:
        self.organisation()
        self.staff()
        self.service_clock()
        self.sanctions()
        self.detail_people()
        self.register()
        self.detail()
        self.satyalancana()
        self.appraisals()
        self.steps.sort()
        # Never record in the future: a step due later than now is recorded now (it keeps its dates).
        for s in self.steps:
            s.at = min(s.at, self.now)
        return Plan(self.steps, self.people, self.years, self.history_start.year, self.heads)

    # ------------------------------------------------------------------------ who is who

    def head_on(self, agency: str, day: date) -> Person:
        current = self.heads[agency][0][1]
        for since, person in self.heads[agency]:
            if since <= day:
                current = person
        return current

    def superior_on(self, agency: str, day: date) -> Person:
        """The atasan langsung of the staff: the secretary, or the head once the secretary is head."""
        head, secretary = self.head_on(agency, day), self.secretaries[agency]
        return head if head is secretary else secretary

    def appraiser_for(self, person: Person, day: date) -> Person:
        agency = person.post_on(day).agency
        for candidate in (self.head_on(agency, day), self.head_on("SETDA", day), self.head_on("BKPSDM", day)):
            if candidate is not person:
                return candidate
        raise AssertionError("no appraiser")

    # ----------------------------------------------------------------------- organisation

    def organisation(self) -> None:
        for code, name, _ in AGENCIES:
            self.at(self.history_start, "agency", _cmd("register_agency", code=code, name=name), 6, 0)
        units_from = date(self.years[0], 1, 2)
        for code, name, agency, _ in UNITS:
            self.at(
                units_from,
                "unit",
                _cmd("register_service_unit", code=code, name=name, agency=agency),
                6,
                30,
            )

    # ------------------------------------------------------------------------------ staff

    def staff(self) -> None:
        """Sizes by share, at least two per agency: the head and the secretary."""
        rng = self.rng
        weights = [share for _, _, share in AGENCIES]
        counts = {code: 2 for code, _, _ in AGENCIES}
        for _ in range(max(0, self.employees - sum(counts.values()))):
            counts[rng.choices([c for c, _, _ in AGENCIES], weights)[0]] += 1
        for code, name, _ in AGENCIES:
            head = self.head(code, name)
            secretary = self.secretary(code, name, head)
            members = [head, secretary] + [self.member(code) for _ in range(counts[code] - 2)]
            self.by_agency[code] = members
            self.people += members
            self.heads[code] = [(head.registered_on, head)]
            if head.ended is not None:
                self.heads[code].append((head.ended[0], secretary))
            self.secretaries[code] = secretary

    def _person(self, agency: str, employment_type: str, tmt: date, born: date, **kw: Any) -> Person:
        rng = self.rng
        return Person(
            nip=_nip(rng, self.taken, born, tmt),
            name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            agency=agency,
            employment_type=employment_type,
            tmt=tmt,
            quality=min(max(rng.gauss(0.62, 0.2), 0.05), 0.98),
            born=born,
            **kw,
        )

    def head(self, code: str, name: str) -> Person:
        """The head in office when the history starts; leaves at the BUP of the post."""
        rng, start = self.rng, self.history_start
        title = ppl.head_title(code, name)
        tmt = date(max(1978, start.year - rng.randint(18, 24)), rng.choice([1, 3, 4]), 1)
        ceiling = "IV/d" if code == "SETDA" else "IV/b" if code.startswith("KEC-") else "IV/c"
        steps = ppl.grade_steps(tmt, "III/a", ceiling, 4)
        grade = max([g for d, g in steps if d <= start][-1], "IV/a", key=ppl.gi)
        posts = [Post(start, code, title, grade)]
        posts += [Post(d, code, title, g) for d, g in steps if start < d <= self.cutoff]
        window = (ppl.RETIREMENT_RULE_FROM, self.cutoff - timedelta(days=400))
        try:
            born = ppl.draw_birth(rng, tmt, (23, 30), posts, window, self.quiet)
        except ValueError:  # a history too short for the head to leave in it
            born = ppl.draw_birth(rng, tmt, (23, 30), posts, (window[0], FAR), self.quiet)
        person = self._person(code, "PNS", tmt, born, role="head", posts=posts)
        ppl.retire(person, self.cutoff)
        return person

    def secretary(self, code: str, name: str, head: Person) -> Person:
        """The secretary, grade IV by the time the head leaves, then the head until after the demo."""
        rng, start = self.rng, self.history_start
        tmt = date(start.year - rng.randint(9, 14), rng.choice([1, 3, 4, 12]), 1)
        title = ppl.head_title(code, name)
        ladder = [
            ("III/a", "Penata Layanan Operasional"),
            ("III/b", "Kepala Subbagian Umum dan Kepegawaian"),
            ("III/d", ppl.secretary_title(code, name)),
        ]
        takeover = head.ended[0] if head.ended else None
        posts = ppl.structural_posts(code, tmt, start, 4, ladder, "IV/c", self.cutoff)
        if takeover is not None:
            before = [p for p in posts if p.on < takeover and ppl.gi(p.grade) <= ppl.gi("IV/b")]
            grade = max(before[-1].grade, "IV/a", key=ppl.gi)
            after = [
                Post(p.on, code, title, p.grade)
                for p in posts
                if p.on > takeover and ppl.gi(p.grade) > ppl.gi(grade)
            ]
            posts = [*before, Post(takeover, code, title, grade), *after]
        else:
            posts = [p for p in posts if ppl.gi(p.grade) <= ppl.gi("IV/b")]
        born = ppl.draw_birth(rng, tmt, (23, 28), posts, (self.quiet[1] + timedelta(days=1), FAR), self.quiet)
        person = self._person(code, "PNS", tmt, born, role="secretary", posts=posts)
        ppl.retire(person, self.cutoff)
        return person

    def member(self, code: str) -> Person:
        """Staff on a functional or pelaksana career: in service before the history, or hired later."""
        rng, start = self.rng, self.history_start
        later = rng.random() < 0.35
        pppk_years = [y for y in PPPK_WAVES if start.year < y <= self.last]
        pns_years = [y for y in PNS_WAVES if start.year < y <= self.last]
        pppk = later and bool(pppk_years) and rng.random() < ppl.PPPK_SHARE.get(code, ppl.PPPK_OTHER_SHARE)
        functional = ppl.KECAMATAN_FUNCTIONAL if code.startswith("KEC-") else ppl.FUNCTIONAL.get(code, [])
        if pppk or (functional and rng.random() < ppl.FUNCTIONAL_SHARE.get(code, 0.4)):
            tracks = functional or [(t, w) for t, w in ppl.PELAKSANA]
        else:
            tracks = list(ppl.PELAKSANA)
        track = rng.choices([t for t, _ in tracks], [w for _, w in tracks])[0]
        if pppk:
            year = rng.choices(pppk_years, [PPPK_WAVES[y] for y in pppk_years])[0]
        elif later and pns_years:
            year = rng.choices(pns_years, [PNS_WAVES[y] for y in pns_years])[0]
        else:
            # The workforce of the first year: most started in the ten years before it.
            # (Not before 1978: whoever started earlier reached the BUP before the ledger's first rule.)
            year = max(1978, start.year - 1 - min(27, int(rng.triangular(0, 30, 4))))
        tmt = date(year, rng.choice([1, 3, 4, 12]), 1)
        registered = max(start, tmt)
        if pppk:
            position, grade = track.pppk()
            posts = [Post(registered, code, position, grade)]
            ages = (25, 40)
        else:
            cadence = rng.choices([4, 5, 6], [70, 25, 5])[0]
            drop = rng.choices([0, 1, 2], [55, 35, 10])[0]
            ceiling = ppl.GRADES[max(ppl.gi(track.entry) + 2, ppl.gi(track.ceiling) - drop)]
            posts = ppl.career_posts(code, track, tmt, registered, cadence, ceiling, self.cutoff)
            ages = ENTRY_AGES[track.entry]
        born = ppl.draw_birth(rng, tmt, ages, posts, (ppl.RETIREMENT_RULE_FROM, FAR), self.quiet)
        person = self._person(code, "PPPK" if pppk else "PNS", tmt, born, track=track, posts=posts)
        ppl.retire(person, self.cutoff)
        return person

    # ------------------------------------------------------------------- registrations

    def register(self) -> None:
        """Everyone in service when the history starts is registered that day, later hires on their
        TMT; each later post (a promotion, a move to another agency) is one more command."""
        for p in self.people:
            first = p.posts[0]
            self.at(
                p.registered_on,
                "employee",
                _cmd(
                    "register_employee",
                    nip=p.nip,
                    name=p.name,
                    agency=p.agency,
                    position=first.position,
                    grade=first.grade,
                    employment_type=p.employment_type,
                ),
                7,
                0,
            )
            for post in p.posts[1:]:
                self.post_step(p, post)

    def post_step(self, p: Person, post: Post) -> None:
        moved = post.agency != p.post_on(post.on - timedelta(days=1)).agency
        self.at(
            post.on,
            "transfer" if moved else "promotion",
            _cmd(
                "transfer_employee",
                p.nip,
                agency=post.agency,
                position=post.position,
                grade=post.grade,
                effective_date=post.on,
            ),
            8,
            30 if p.role == "secretary" else None,
        )

    # ---------------------------------------------------------------------- service clock

    def staff_pool(self, pns_only: bool = True) -> list[Person]:
        return [
            p
            for p in self.people
            if not p.special and p.role == "staff" and (p.employment_type == "PNS" or not pns_only)
        ]

    def service_clock(self) -> None:
        rng, last = self.rng, self.last
        # CLTN and suspension: a period with no promotion in it, back in service afterwards.
        for kind, count, months in (
            ("CLTN", max(1, self.employees // 500), (12, 36)),
            ("SUSPENSION", max(1, self.employees // 800), (5, 10)),
        ):
            pool = self.staff_pool()
            rng.shuffle(pool)
            planned = 0
            for p in pool:
                if planned == count:
                    break
                start = date(rng.randint(2012, last - 2), rng.randint(1, 12), 1)
                length = rng.randint(*months)
                end = date(
                    start.year + (start.month - 1 + length) // 12, (start.month - 1 + length) % 12 + 1, 1
                )
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
                    begin = _cmd(
                        "start_leave",
                        p.nip,
                        store=key,
                        leave_type="CLTN",
                        started_on=start,
                        reason=reason,
                        decree_number=decree,
                        decree_date=start - timedelta(days=14),
                    )
                    finish = _cmd(
                        "end_leave",
                        p.nip,
                        Ref(key),
                        ended_on=end,
                        decree_number=f"800/{rng.randint(100, 999)}/BKPSDM/{end.year}",
                        decree_date=end - timedelta(days=10),
                    )
                    self.at(start, "leave", begin, 9)
                    self.at(end, "leave-end", finish, 9)
                else:
                    begin = _cmd(
                        "suspend_employee",
                        p.nip,
                        store=key,
                        started_on=start,
                        reason=reason,
                        decree_number=decree,
                        decree_date=start,
                    )
                    finish = _cmd(
                        "end_suspension",
                        p.nip,
                        Ref(key),
                        ended_on=end,
                        decree_number=f"800/{rng.randint(100, 999)}/BKPSDM/{end.year}",
                        decree_date=end - timedelta(days=3),
                    )
                    self.at(start, "suspension", begin, 9)
                    self.at(end, "suspension-end", finish, 9)
        # Deaths, resignations and early retirements (APS: at least 50 years old, 20 of service).
        for reason, count in (
            ("MENINGGAL_DUNIA", max(1, self.employees // 400) if self.employees >= 150 else 0),
            ("MENGUNDURKAN_DIRI", self.employees // 1000),
            ("PENSIUN_DINI", self.employees // 1000),
        ):
            pool = self.staff_pool(pns_only=reason != "MENINGGAL_DUNIA")
            rng.shuffle(pool)
            planned = 0
            for p in pool:
                if planned == count:
                    break
                day = ppl.days_between(rng, date(2012, 1, 1), self.cutoff - timedelta(days=60))
                if reason != "MENINGGAL_DUNIA":
                    day = date(day.year, day.month, 1)
                if not p.in_service(day) or (p.ended and p.ended[0] <= day + timedelta(days=60)):
                    continue
                if reason == "PENSIUN_DINI" and (hist.age_on(p, day) < 50 or hist.years_reached(p, day) < 20):
                    continue
                planned += 1
                self.end(p, day, reason)
        # One PPPK agreement of five years that is not extended.
        for p in self.staff_pool(pns_only=False):
            if p.employment_type == "PPPK" and ppl.add_years(p.tmt, 5) <= self.cutoff - timedelta(days=60):
                self.end(p, ppl.add_years(p.tmt, 5), "PERJANJIAN_KERJA_BERAKHIR")
                break
        # Retirements at the BUP (planned with the careers) and every other end of service.
        for p in self.people:
            if p.ended is not None and p.ended[1] != "DIBERHENTIKAN":
                self.end_step(p)

    def end(self, p: Person, day: date, reason: str) -> None:
        p.ended = (day, reason)
        p.posts = [post for post in p.posts if post.on < day]

    def end_step(self, p: Person) -> None:
        assert p.ended is not None
        day, reason = p.ended
        # The pension decree comes before the day; a death is decreed after it (and recorded then).
        decree_date = (
            day - timedelta(days=60)
            if reason in ("PENSIUN_BUP", "PENSIUN_DINI")
            else day + timedelta(days=21)
        )
        decree_date = min(decree_date, self.cutoff)
        self.at(
            max(day, decree_date),
            "service-end",
            _cmd(
                "end_service",
                p.nip,
                reason=reason,
                ended_on=day,
                decree_number=f"800/{self.rng.randint(100, 999)}/BKPSDM/{decree_date.year}",
                decree_date=decree_date,
            ),
            9,
        )

    # -------------------------------------------------------------------------- sanctions

    def sanctions(self) -> None:
        """PP 53/2010 from its first day, PP 94/2021 from 2021-08-31; about 1% of PNS a year."""
        rng = self.rng
        decided_from = DISCIPLINE_RULES.versions[0].effective_from + timedelta(days=14)
        count = appeals = heavier = lighter = 0
        dismissal_year = 2016 if self.employees >= 1000 and self.history_start.year < 2016 else None
        for year in range(decided_from.year, self.last + 1):
            pool = [p for p in self.staff_pool() if p.in_service(date(year, 6, 30))]
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
                flaw = (
                    hist.FLAWS[(count // 8) % len(hist.FLAWS)] if count % 8 == 3 and not dismissal else None
                )
                count += 1
                self.serial += 1
                agency = p.post_on(decided).agency
                officials = {
                    "ATASAN_LANGSUNG": self.superior_on(agency, decided).nip,
                    "KEPALA_OPD": self.head_on(agency, decided).nip,
                    "SEKDA": self.head_on("SETDA", decided).nip,
                }
                kwargs, absence = hist.sanction_kwargs(
                    rng, p, decided, self.serial, officials, flaw, dismissal
                )
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
                self.sanction_steps(planned)
                if dismissal:
                    self.end(p, decided, "DIBERHENTIKAN")
                    self.end_step(p)

    def sanction_steps(self, s: hist.SanctionPlan) -> None:
        nip, key, serial = s.person.nip, s.key, self.serial
        self.at(s.decided, "sanction", _cmd("impose_sanction", nip, store=key, **s.kwargs), 11)
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

            self.at(ruled, "appeal", appeal, 10)
        if s.revoked is not None:
            reason = (
                "dicabut: ketidakhadiran ternyata karena sakit dengan surat keterangan dokter"
                if s.absence
                else "dicabut oleh pejabat yang berwenang setelah pemeriksaan ulang"
            )
            self.at(
                s.revoked,
                "sanction-revocation",
                _cmd(
                    "revoke_sanction",
                    nip,
                    Ref(key),
                    reason=reason,
                    decree_number=f"800/CABUT/{s.revoked.year}/{serial:04d}",
                    decided_on=s.revoked,
                ),
                10,
            )

    # ------------------------------------------------------------------ the detailed years

    def steady(self, p: Person) -> bool:
        """In service all through the detailed years, registered before them, never singled out."""
        first = date(self.years[0], 1, 1)
        return not p.special and p.registered_on < first and p.serving(first, date(self.last, 12, 31))

    def detail_people(self) -> None:
        """Officers of the service units, programme members and transfers between agencies."""
        rng = self.rng
        first = self.years[0]
        for code, _, agency, _ in UNITS:
            pool = [p for p in self.by_agency[agency] if p.officer is None and self.steady(p)]
            chosen = rng.sample(pool, min(len(pool), rng.randint(3, 8)))
            self.officers[code] = chosen
            for k, p in enumerate(chosen, 1):
                p.officer = (code, f"{code[:3]}{k:02d}")
                self.at(
                    date(first, 1, 3),
                    "assign",
                    _cmd("assign_to_service_unit", p.nip, service_unit=code, officer_code=p.officer[1]),
                )
        for code, name, agencies in PROGRAMS:
            self.at(
                date(first, 2, 10), "program", _cmd("launch_program", code=code, name=name, agencies=agencies)
            )
            pool = [p for a in agencies for p in self.by_agency[a] if self.steady(p)]
            members = rng.sample(pool, min(len(pool), max(3, self.employees // 150)))
            self.members[code] = members
            for p in members:
                role = rng.choice(["koordinator", "anggota", "anggota", "fasilitator"])
                self.at(
                    date(first, 2, 20) + timedelta(days=rng.randint(0, 200)),
                    "participant",
                    _cmd("add_program_participant", code, nip=p.nip, role=role),
                )
        # Pelaksana staff move between agencies (their post keeps its name and grade).
        busy = {p.nip for members in self.members.values() for p in members}
        for year in self.years:
            pool = [
                p
                for p in self.people
                if p.officer is None and p.nip not in busy and not p.sanctions and self.steady(p)
                and p.track is not None and p.track.kind == "pelaksana"
            ]  # fmt: skip
            for p in rng.sample(pool, min(len(pool), max(1, len(self.people) // 100))):
                busy.add(p.nip)
                day = date(year, rng.randint(2, 11), 1)
                now = p.post_on(day)
                target = rng.choice([c for c, _, _ in AGENCIES if c != now.agency])
                later = [Post(q.on, target, q.position, q.grade) for q in p.posts if q.on > day]
                p.posts = [q for q in p.posts if q.on < day] + [
                    Post(day, target, now.position, now.grade),
                    *later,
                ]

    def detail(self) -> None:
        rng = self.rng
        survey_scale = max(10, self.employees // 20)
        units_from = date(self.years[0], 1, 2)
        for year in self.years:
            if year >= 2022:  # predikat organisasi: PermenPANRB 6/2022
                for code, _, _ in AGENCIES:
                    rating = rng.choice(RATINGS)
                    self.at(
                        date(year + 1, 1, 6),
                        "rating",
                        _cmd("rate_agency", code, year=year, predikat_organisasi=rating),
                        8,
                    )
            if year >= 2020:  # 20 JP a year: PP 17/2020, from 2020-03-31
                self.trainings(year)
            for p in rng.sample(self.people, len(self.people) // 10):
                day = date(year, rng.randint(3, 11), rng.randint(1, 28))
                if not p.in_service(day) or p.registered_on >= day:
                    continue
                score = max(1, min(4, round(1 + 3 * p.quality + rng.gauss(0, 0.4))))
                self.at(
                    day,
                    "feedback",
                    _cmd(
                        "record_feedback",
                        p.nip,
                        source=rng.choice(["SUPERVISOR", "PEER"]),
                        score=score,
                        comment="umpan balik triwulanan",
                    ),
                    14,
                )
            if year >= 2017:  # IKM: PermenPANRB 14/2017
                self.surveys(year, survey_scale, units_from)
            for code, _, _ in PROGRAMS:
                indicator, target = PROGRAM_INDICATORS[code]
                achieved = round(target * rng.uniform(0.6, 1.15))
                self.at(
                    date(year, 12, 20),
                    "outcome",
                    _cmd(
                        "record_program_outcome",
                        code,
                        indicator=indicator,
                        target=target,
                        achieved=achieved,
                        period=str(year),
                    ),
                )
            self.awards(year)

    def trainings(self, year: int) -> None:
        """Most PNS reach 20 JP, mostly in their agency's own field; PPPK are reported apart."""
        rng = self.rng
        for p in self.people:
            mid = date(year, 6, 30)
            if not p.in_service(mid) or p.registered_on > date(year, 1, 31):
                continue
            reaches = rng.random() < (0.82 if p.employment_type == "PNS" else 0.65)
            for title, provider, jp in hist.trainings_for_year(rng, p.post_on(mid).agency, reaches):
                day = date(year, rng.randint(2, 11), rng.randint(1, 28))
                if not p.in_service(day) or day < date(2020, 4, 1):
                    continue
                self.at(
                    day,
                    "training",
                    _cmd(
                        "record_training",
                        p.nip,
                        title=title,
                        hours_jp=jp,
                        completed_on=day,
                        provider=provider,
                    ),
                    15,
                )

    def surveys(self, year: int, scale: int, units_from: date) -> None:
        """Citizen surveys: a third name the officer who served them."""
        rng = self.rng
        for code, _, _, quality in UNITS:
            n = rng.randint(2, 4) if code == SMALL_UNIT else rng.randint(scale // 2, scale * 3 // 2)
            for _ in range(n):
                # Not before the units and their officers exist (registered in the first days).
                day = max(date(year, rng.randint(1, 12), rng.randint(1, 28)), units_from + timedelta(days=2))
                officers = self.officers[code]
                officer = rng.choice(officers) if officers and rng.random() < 0.33 else None
                q = (quality + officer.quality) / 2 if officer else quality
                answers = _answers(rng, q)
                comment = rng.choice(
                    [None, None, None, "antrian terlalu lama", "petugas ramah", "mohon tambah kursi"]
                )

                def survey(
                    app: KinerjaLedger,
                    ctx: CommandContext,
                    ids: dict[str, Any],
                    c: str = code,
                    o: Person | None = officer,
                    a: dict[str, int] = answers,
                    m: str | None = comment,
                ) -> object:
                    citizen = CommandContext(Actor("", "citizen"), correlation_id=ctx.correlation_id)
                    return app.submit_survey(
                        citizen,
                        service_unit=Code(c),
                        answers=a,
                        officer_code=Code(o.officer[1]) if o and o.officer else None,
                        comment=Text(m) if m else None,
                    )

                self.at(day, "survey", survey, rng.randint(8, 15))

    def awards(self, year: int) -> None:
        """Awards other than the Satyalancana; one is revoked a few weeks later (wrong person)."""
        rng = self.rng
        n = max(2, self.employees // 150)
        granted = 0
        for p in rng.sample(self.people, min(len(self.people), n * 3)):
            day = date(year, 8, 17) if granted % 2 == 0 else date(year, 11, 10)
            if granted == n or not p.in_service(day) or p.registered_on >= day:
                continue
            kind = rng.choice(
                ["SERTIFIKAT_PENGHARGAAN", "PIAGAM_INOVASI", "INSENTIF", "PRIORITAS_PENGEMBANGAN_KOMPETENSI"]
            )
            reason = "inovasi aplikasi layanan publik" if kind == "PIAGAM_INOVASI" else "kinerja terbaik"
            key = f"award:{year}:{granted}"
            self.at(
                day,
                "award",
                _cmd(
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
                self.at(
                    date(year, 12, 5),
                    "award-revocation",
                    _cmd(
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

    def satyalancana(self) -> None:
        """Decreed in August of the year the PNS reaches 10, 20 or 30 counted years, if eligible;
        about one in five eligible is not proposed that year (and not later)."""
        rng = self.rng
        first = AWARD_RULES.versions[0].effective_from.year
        for p in self.people:
            for decree, award in hist.slks_due(p, first, self.last, rng):
                if rng.random() < 0.22 or p.registered_on >= decree:
                    continue
                number = f"{rng.randint(1, 140)}/TK/Tahun {decree.year}"
                self.at(
                    decree,
                    "award",
                    _cmd(
                        "grant_award",
                        p.nip,
                        award_type=award.value,
                        reason=f"pengabdian {award.value[-2:]} tahun dengan penuh kesetiaan",
                        decree_number=f"Keputusan Presiden Nomor {number}",
                        decree_date=decree,
                    ),
                    10,
                )

    # ------------------------------------------------------------------------- appraisals

    def appraisals(self) -> None:
        """Every year from 2014: the annual appraisal of whoever served it (a PPPK from 2022), a
        shorter period for whoever left during it; a few keberatan accepted from 2022."""
        rng = self.rng
        first_rule = PRESTASI_2014.effective_from.year
        for year in range(first_rule, self.last + 1):
            jan, dec = date(year, 1, 1), date(year, 12, 31)
            annual: list[tuple[Person, date, dict[str, Any]]] = []
            for p in self.people:
                if (p.employment_type == "PPPK" and year < 2022) or p.tmt > date(year, 6, 30):
                    continue
                if (p.ended and p.ended[0] <= jan) or any(b.start <= dec and b.end > jan for b in p.breaks):
                    continue
                r = hist.rank(p.quality + rng.gauss(0, 0.12) + (0.45 if self.off_curve(p, year) else 0))
                r = max(r, hist.cap_for(p, year))
                if p.ended and p.ended[0] <= dec:
                    end_month = (p.ended[0] - timedelta(days=1)).month
                    if end_month < 3:
                        continue
                    recorded = p.ended[0] - timedelta(days=1)
                    period = f"{year}-01..{year}-{end_month:02d}"
                    fields = hist.appraisal_fields(rng, date(year, end_month, 28), r)
                    self.appraise(p, period, fields, recorded)
                    continue
                recorded = date(year + 1, 1, rng.randint(8, 25))
                if year >= 2022 and year in self.years and rng.random() < 0.1:
                    # Periodic: two semesters; the second (ending last) carries the year's predikat.
                    half = hist.appraisal_fields(rng, date(year, 6, 30), r)
                    self.appraise(p, f"{year}-01..{year}-06", half, date(year, 7, 15))
                    self.appraise(p, f"{year}-07..{year}-12", hist.appraisal_fields(rng, dec, r), recorded)
                    continue
                fields = hist.appraisal_fields(rng, dec, r)
                key = f"appraisal:{p.nip}:{year}" if year >= 2022 else None
                self.appraise(p, str(year), fields, recorded, key)
                if key is not None:
                    annual.append((p, recorded, fields))
            self.corrections(year, annual)

    def off_curve(self, p: Person, year: int) -> bool:
        return year >= 2022 and p.post_on(date(year, 12, 31)).agency in OFF_CURVE_AGENCIES

    def appraise(
        self, p: Person, period: str, fields: dict[str, Any], recorded: date, key: str | None = None
    ) -> None:
        appraiser = self.appraiser_for(p, recorded)
        self.at(
            recorded,
            "appraisal",
            _cmd("record_appraisal", p.nip, store=key, period=period, appraiser_nip=appraiser.nip, **fields),
            10,
        )

    def corrections(self, year: int, annual: list[tuple[Person, date, dict[str, Any]]]) -> None:
        """A keberatan accepted a month after the appraisals: the rating objected to goes one step up,
        and with it the predikat (PermenPANRB 6/2022)."""
        rng = self.rng
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
            self.at(
                date(year + 1, 2, rng.randint(10, 25)),
                "correction",
                _cmd(
                    "correct_appraisal",
                    p.nip,
                    Ref(f"appraisal:{p.nip}:{year}"),
                    reason=f"keberatan pegawai atas penilaian {words} diterima atasan pejabat penilai",
                    **{which: hist.UP[fields[which]]},
                ),
                11,
            )


class SimulatedClock:
    """The ledger's clock during the demo: each step's moment."""

    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now


@contextmanager
def bulk_load(app: KinerjaLedger) -> Iterator[None]:
    """Loading many commands in a row: aggregates are kept in memory between commands (fast-forwarded
    from the store and copied at each load, as the library does for its cache), and on SQLite
    without an fsync at each commit (synchronous=NORMAL: in WAL mode the file stays consistent, a
    crash may lose the last commands, which the demo writes again into an empty store). Both are
    put back afterwards."""
    repository = app.repository
    cached = repository.cache
    if cached is None:
        repository.cache = LRUCache(maxsize=AGGREGATE_CACHE_SIZE)
    datastore = app.sql.datastore
    before = _synchronous(datastore, "NORMAL") if isinstance(datastore, SQLiteDatastore) else None
    try:
        yield
    finally:
        repository.cache = cached
        if isinstance(datastore, SQLiteDatastore) and before is not None:
            _synchronous(datastore, str(before))


def _synchronous(datastore: SQLiteDatastore, value: str) -> int:
    """Set PRAGMA synchronous on every pooled connection (held at once, so each is reached);
    returns the setting the first one had."""
    with ExitStack() as held:
        size = datastore.pool.pool_size
        connections = [held.enter_context(datastore.get_connection(commit=False)) for _ in range(size)]
        before = []
        for connection in connections:
            cursor = connection.cursor()
            cursor.execute("PRAGMA synchronous")
            before.append(int(cursor.fetchone()[0]))
            cursor.execute(f"PRAGMA synchronous={value}")
    return before[0]


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
    with bulk_load(app):
        for i, step in enumerate(the_plan.steps):
            clock.now = step.at
            ctx = CommandContext(Actor("demo-loader", "hr"), correlation_id=f"demo-{seed}-{i}")
            step.run(app, ctx, ids)
            counts[step.label] = counts.get(step.label, 0) + 1
            if on_step is not None:
                on_step(i + 1)
    return counts

"""The demo city's people over twenty years: careers, heads of agencies and the service clock.

Everything here is planned, nothing is written: `schedule.plan` turns it into commands.

- A PNS enters at the grade of the entry diploma (SMA II/a, D3 II/c, S1 III/a, dokter III/b) and
  rises one ruang every four years or so (kenaikan pangkat reguler, on 1 April or 1 October) up
  to the ceiling of the career. A functional position follows the grade (Ahli Pertama III/a-III/b,
  Ahli Muda III/c-III/d, Ahli Madya IV/a-IV/c; Terampil II/c-II/d, Mahir III/a-III/b, Penyelia
  III/c-III/d); a pelaksana keeps the name of the post. A PPPK keeps the grade of the agreement.
- Each agency has a head (Kepala Dinas/Badan, Camat, Sekretaris Daerah, ...) of grade IV and a
  secretary. A head leaves at the BUP of the post and the secretary, grade IV by then, follows.
- The retirement age is the ledger's own rule (`RETIREMENT_RULES`) for the post held: whoever
  reaches it leaves with `PENSIUN_BUP` on the first day of the following month. Nobody reaches it
  before the rule's first version, and nobody in the two years after the demo's last day (so the
  demo leaves nobody past the BUP without an end of service).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from ledger.rules.awards import ServiceBreak, ServiceRecord
from ledger.rules.retirement import RETIREMENT_RULES
from ledger.vocabulary import EmploymentType, Level

GRADES = (
    "I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d",
    "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
)  # fmt: skip

# Functional jenjang by grade: (highest grade of the jenjang, its name).
JENJANG = {
    "ahli": (
        ("III/b", "Ahli Pertama"),
        ("III/d", "Ahli Muda"),
        ("IV/c", "Ahli Madya"),
        ("IV/e", "Ahli Utama"),
    ),
    "terampil": (("II/d", "Terampil"), ("III/b", "Mahir"), ("III/d", "Penyelia")),
}
# PPPK grades of the work agreement by jenjang (Perpres 98/2020 pay grades, as commonly assigned).
PPPK_GRADE = {"Ahli Pertama": "IX", "Ahli Muda": "X", "Terampil": "VII", "pelaksana": "V"}
RETIREMENT_RULE_FROM = RETIREMENT_RULES.versions[0].effective_from


def gi(grade: str) -> int:
    return GRADES.index(grade)


@dataclass(frozen=True)
class Track:
    """A career: a functional family ("ahli"/"terampil") or a pelaksana post."""

    name: str
    kind: str  # "ahli" | "terampil" | "pelaksana"
    entry: str  # grade at the CPNS start
    ceiling: str  # highest grade the career reaches

    def position(self, grade: str) -> str:
        if self.kind == "pelaksana":
            return self.name
        return f"{self.name} {next(n for top, n in JENJANG[self.kind] if gi(grade) <= gi(top))}"

    def pppk(self) -> tuple[str, str]:
        """(position, grade) of a PPPK on this career's first jenjang."""
        if self.kind == "pelaksana":
            return self.name, PPPK_GRADE["pelaksana"]
        first = JENJANG[self.kind][0][1]
        return f"{self.name} {first}", PPPK_GRADE[first]


def _ahli(name: str, ceiling: str = "IV/b", entry: str = "III/a") -> Track:
    return Track(name, "ahli", entry, ceiling)


def _terampil(name: str) -> Track:
    return Track(name, "terampil", "II/c", "III/d")


PELAKSANA = (
    (Track("Pengadministrasi Umum", "pelaksana", "II/a", "III/b"), 3),
    (Track("Pengelola Layanan Operasional", "pelaksana", "II/c", "III/c"), 2),
    (Track("Penata Layanan Operasional", "pelaksana", "III/a", "III/d"), 2),
)
# Functional careers of each agency, with weights; pelaksana posts are added to every agency.
FUNCTIONAL: dict[str, list[tuple[Track, int]]] = {
    "DISDIK": [(_ahli("Guru", "IV/c"), 40), (_ahli("Pengawas Sekolah", "IV/c"), 1)],
    "DINKES": [
        (_terampil("Perawat"), 5), (_ahli("Perawat"), 3), (_terampil("Bidan"), 6),
        (_ahli("Dokter", "IV/c", "III/b"), 2), (_ahli("Dokter Gigi", "IV/c", "III/b"), 1),
        (_ahli("Apoteker"), 1), (_terampil("Sanitarian"), 1), (_ahli("Nutrisionis"), 1),
        (_ahli("Epidemiolog Kesehatan"), 1), (_terampil("Pranata Laboratorium Kesehatan"), 1),
        (_ahli("Administrator Kesehatan"), 1),
    ],
    "RSUD": [
        (_terampil("Perawat"), 8), (_ahli("Perawat"), 4), (_terampil("Bidan"), 2),
        (_ahli("Dokter", "IV/c", "III/b"), 2), (_terampil("Radiografer"), 1),
        (_terampil("Pranata Laboratorium Kesehatan"), 1), (_ahli("Apoteker"), 1),
        (_terampil("Perekam Medis"), 1), (_terampil("Fisioterapis"), 1),
    ],
    "SETDA": [(_ahli("Analis Kebijakan"), 2), (_ahli("Analis Hukum"), 1),
              (_ahli("Perancang Peraturan Perundang-undangan"), 1)],
    "SETWAN": [(_ahli("Analis Kebijakan"), 2), (_ahli("Pranata Hubungan Masyarakat"), 1)],
    "INSPEKTORAT": [(_ahli("Auditor"), 3),
                    (_ahli("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah"), 2)],
    "BAPPEDA": [(_ahli("Perencana"), 3)],
    "BKPSDM": [(_ahli("Analis Sumber Daya Manusia Aparatur"), 3), (_ahli("Asesor SDM Aparatur"), 1)],
    "BPKPAD": [(_ahli("Analis Keuangan Pusat dan Daerah"), 3)],
    "BPBD": [(_ahli("Analis Kebijakan"), 1)],
    "KESBANGPOL": [(_ahli("Analis Kebijakan"), 1)],
    "DISDUKCAPIL": [(_ahli("Administrator Database Kependudukan"), 2)],
    "DPMPTSP": [(_ahli("Analis Kebijakan"), 1), (_ahli("Pranata Komputer"), 1)],
    "DINSOS": [(_ahli("Pekerja Sosial"), 2), (_terampil("Pekerja Sosial"), 1), (_ahli("Penyuluh Sosial"), 1)],
    "DISHUB": [(_terampil("Penguji Kendaraan Bermotor"), 3)],
    "DLH": [(_ahli("Pengendali Dampak Lingkungan"), 2), (_ahli("Pengawas Lingkungan Hidup"), 1)],
    "DPUPR": [(_ahli("Teknik Jalan dan Jembatan"), 2), (_ahli("Penata Ruang"), 1)],
    "DISPERKIM": [(_ahli("Teknik Tata Bangunan dan Perumahan"), 2)],
    "DISKOMINFO": [(_ahli("Pranata Komputer"), 2), (_terampil("Pranata Komputer"), 1),
                   (_ahli("Pranata Hubungan Masyarakat"), 1)],
    "DISPORA": [(_ahli("Analis Kebijakan"), 1)],
    "DISBUDPAR": [(_ahli("Pamong Budaya"), 1)],
    "DISNAKER": [(_ahli("Mediator Hubungan Industrial"), 1), (_ahli("Pengantar Kerja"), 1)],
    "DKP3": [(_terampil("Penyuluh Pertanian"), 2), (_ahli("Penyuluh Pertanian"), 1),
             (_ahli("Medik Veteriner"), 1)],
    "DISKOPUKM": [(_ahli("Pengawas Koperasi"), 1)],
    "DISPERINDAG": [(_terampil("Penera"), 1), (_ahli("Pengawas Perdagangan"), 1)],
    "DP3AP2KB": [(_ahli("Penyuluh Keluarga Berencana"), 2), (_ahli("Pekerja Sosial"), 1)],
    "DISARPUS": [(_ahli("Arsiparis"), 1), (_terampil("Arsiparis"), 1), (_ahli("Pustakawan"), 1),
                 (_terampil("Pustakawan"), 1)],
    "SATPOLPP": [(_terampil("Polisi Pamong Praja"), 4)],
}  # fmt: skip
KECAMATAN_FUNCTIONAL = [(_ahli("Penggerak Swadaya Masyarakat"), 1)]
# Share of functional careers among the staff (the rest are pelaksana).
FUNCTIONAL_SHARE = {"DISDIK": 0.9, "DINKES": 0.8, "RSUD": 0.8, "SATPOLPP": 0.6, "DISHUB": 0.5}
# Agencies that take PPPK, and the share of their later hires who are PPPK.
PPPK_SHARE = {"DISDIK": 0.7, "DINKES": 0.45, "RSUD": 0.45}
PPPK_OTHER_SHARE = 0.15


def head_title(code: str, name: str) -> str:
    """The head's position; the words the BUP rule reads (Kepala Dinas/Badan, Sekretaris Daerah)."""
    special = {
        "SETDA": "Sekretaris Daerah Kota Binjai",
        "SETWAN": "Sekretaris DPRD Kota Binjai",
        "INSPEKTORAT": "Inspektur Kota Binjai",
        "RSUD": "Direktur RSUD Dr. R.M. Djoelham Binjai",
        "SATPOLPP": "Kepala Satuan Polisi Pamong Praja",
        "BPBD": "Kepala Pelaksana Badan Penanggulangan Bencana Daerah",
    }
    if code in special:
        return special[code]
    if code.startswith("KEC-"):
        return name.replace("Kecamatan", "Camat")
    return f"Kepala {name}"


def secretary_title(code: str, name: str) -> str:
    special = {
        "SETDA": "Kepala Bagian Organisasi Sekretariat Daerah",
        "SETWAN": "Kepala Bagian Umum Sekretariat DPRD",
        "RSUD": "Kepala Bagian Tata Usaha RSUD Dr. R.M. Djoelham",
        "INSPEKTORAT": "Sekretaris Inspektorat",
        "SATPOLPP": "Sekretaris Satuan Polisi Pamong Praja",
        "BPBD": "Sekretaris Badan Penanggulangan Bencana Daerah",
    }
    if code in special:
        return special[code]
    if code.startswith("KEC-"):
        return name.replace("Kecamatan", "Sekretaris Kecamatan")
    return "Sekretaris " + " ".join(name.split()[:2]) if name.startswith("Dinas") else f"Sekretaris {name}"


@dataclass(frozen=True)
class Post:
    """From `on`: the agency, the position and the grade."""

    on: date
    agency: str
    position: str
    grade: str


@dataclass
class Break:
    kind: str  # "CLTN" | "SUSPENSION"
    start: date
    end: date
    reason: str


@dataclass
class PlannedSanction:
    """What the plan needs to know of a sanction it imposes (awards, appraisals)."""

    decided: date
    level: Level  # of the penalty in the end (after a MODIFIED appeal)
    until: date | None  # exclusive end of the penalty; None = no end stated or permanent
    cleared_on: date | None = None  # annulled (from the appeal) or revoked


@dataclass
class Person:
    nip: str
    name: str
    agency: str  # at registration
    employment_type: str
    tmt: date
    officer: tuple[str, str] | None = None  # (unit, officer code)
    quality: float = 0.5
    born: date = date(1970, 1, 1)
    role: str = "staff"  # "head" | "secretary" | "staff"
    track: Track | None = None
    posts: list[Post] = field(default_factory=list)  # the first is the registration
    ended: tuple[date, str] | None = None  # (first day out of service, reason)
    breaks: list[Break] = field(default_factory=list)
    sanctions: list[PlannedSanction] = field(default_factory=list)

    @property
    def registered_on(self) -> date:
        return self.posts[0].on

    def post_on(self, day: date) -> Post:
        current = self.posts[0]
        for post in self.posts:
            if post.on > day:
                break
            current = post
        return current

    def in_service(self, day: date) -> bool:
        """Registered and started, not ended, not on CLTN or suspended."""
        if day < self.tmt or (self.ended and day >= self.ended[0]):
            return False
        return not any(b.start <= day < b.end for b in self.breaks)

    def serving(self, first: date, last: date) -> bool:
        """In service on every day from `first` to `last` (ends and breaks are checked at their dates)."""
        if first < self.tmt or (self.ended and self.ended[0] <= last):
            return False
        return not any(b.start <= last and b.end > first for b in self.breaks)

    def service_record(self) -> ServiceRecord:
        return ServiceRecord(
            start=self.tmt,
            employment_type=EmploymentType(self.employment_type),
            breaks=tuple(ServiceBreak(b.kind, b.start, b.end) for b in self.breaks),
            ended_on=self.ended[0] if self.ended else None,
        )

    @property
    def special(self) -> bool:
        """Heads, secretaries and anyone with a break: kept out of the random picks."""
        return self.role != "staff" or bool(self.breaks)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def promotion_day(on_or_after: date) -> date:
    """The next kenaikan pangkat period (1 April or 1 October) on or after a day."""
    for candidate in (date(on_or_after.year, 4, 1), date(on_or_after.year, 10, 1)):
        if candidate >= on_or_after:
            return candidate
    return date(on_or_after.year + 1, 4, 1)


def grade_steps(tmt: date, entry: str, ceiling: str, cadence: int) -> list[tuple[date, str]]:
    """(from, grade): the entry grade from the TMT, then one ruang every `cadence` years."""
    steps = [(tmt, entry)]
    index, k = gi(entry), 1
    while index < gi(ceiling):
        index += 1
        steps.append((promotion_day(add_years(tmt, cadence * k)), GRADES[index]))
        k += 1
    return steps


def pension_from(born: date, position: str, on: date) -> date:
    """The first day out of service at the BUP of `position` (the rule in force on `on`, or the first)."""
    rule = RETIREMENT_RULES.find(on) or RETIREMENT_RULES.versions[0]
    return rule.of(born, position).pension_from


def retire(person: Person, cutoff: date) -> None:
    """End the service at the BUP of the post held then (dropping later posts), if on or before `cutoff`."""
    for i, post in enumerate(person.posts):
        following = person.posts[i + 1].on if i + 1 < len(person.posts) else None
        leaves = pension_from(person.born, post.position, post.on)
        if following is None or leaves < following:
            del person.posts[i + 1 :]
            if leaves <= cutoff and (person.ended is None or leaves < person.ended[0]):
                person.ended = (leaves, "PENSIUN_BUP")
            return


def first_retirement(born: date, posts: Iterable[Post]) -> date:
    """When the BUP of the post then held is first reached."""
    posts = list(posts)
    for i, post in enumerate(posts):
        following = posts[i + 1].on if i + 1 < len(posts) else None
        leaves = pension_from(born, post.position, post.on)
        if following is None or leaves < following:
            return leaves
    raise AssertionError("no posts")


def draw_birth(
    rng: random.Random,
    tmt: date,
    ages: tuple[int, int],
    posts: list[Post],
    retire_between: tuple[date, date],
    quiet: tuple[date, date],
) -> date:
    """A birth date for someone who started at `tmt` aged within `ages` (widened when needed),
    whose BUP falls within `retire_between` and outside `quiet` (the years just after the demo)."""
    low, high = ages
    for attempt in range(240):
        if attempt and attempt % 30 == 0:
            low, high = max(19, low - 3), high + 3
        born = date(tmt.year - rng.randint(low, high), rng.randint(1, 12), rng.randint(1, 28))
        leaves = first_retirement(born, posts)
        if retire_between[0] <= leaves <= retire_between[1] and not quiet[0] < leaves <= quiet[1]:
            return born
    raise ValueError(f"no birth date fits a start on {tmt} and a BUP within {retire_between}")


def career_posts(
    agency: str, track: Track, tmt: date, registered: date, cadence: int, ceiling: str, until: date
) -> list[Post]:
    """The posts of a PNS on a career: the one held at registration, then each promotion up to `until`."""
    steps = grade_steps(tmt, track.entry, ceiling, cadence)
    at_registration = [g for d, g in steps if d <= registered][-1]
    posts = [Post(registered, agency, track.position(at_registration), at_registration)]
    for day, grade in steps:
        if registered < day <= until:
            posts.append(Post(day, agency, track.position(grade), grade))
    return posts


def structural_posts(
    agency: str,
    tmt: date,
    registered: date,
    cadence: int,
    ladder: list[tuple[str, str]],
    ceiling: str,
    until: date,
) -> list[Post]:
    """Posts on a structural ladder: (lowest grade, position) pairs, the position following the grade."""
    steps = grade_steps(tmt, "III/a", ceiling, cadence)

    def position(grade: str) -> str:
        return [p for lowest, p in ladder if gi(grade) >= gi(lowest)][-1]

    at_registration = [g for d, g in steps if d <= registered][-1]
    posts = [Post(registered, agency, position(at_registration), at_registration)]
    for day, grade in steps:
        if registered < day <= until:
            posts.append(Post(day, agency, position(grade), grade))
    return posts


def within(day: date, first: date, last: date) -> bool:
    return first <= day <= last


def days_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))

"""The city's people as the demo plans them: each agency's head and secretary and its staff (PNS
since before the history or from a recruitment wave, PPPK from 2019), their registration and every
later post (a promotion, a transfer between agencies). Careers themselves are drawn in `people`."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from api.cli.demo import people as ppl
from api.cli.demo.city import AGENCIES
from api.cli.demo.people import Person, Post
from api.cli.demo.steps import Planner, cmd

# CPNS recruitment years and their weights (moratorium years left out), PPPK from 2019.
PNS_WAVES = {2008: 3, 2009: 3, 2010: 3, 2013: 2, 2014: 1, 2017: 1, 2018: 3, 2019: 3, 2021: 3, 2024: 2}
PPPK_WAVES = {2019: 1, 2021: 2, 2022: 3, 2023: 3, 2024: 2}
ENTRY_AGES = {"II/a": (19, 25), "II/c": (21, 27), "III/a": (22, 30), "III/b": (25, 32)}
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


def _nip(rng: random.Random, taken: set[str], born: date, tmt: date) -> str:
    while True:
        text = f"{born:%Y%m%d}{tmt:%Y%m}{rng.choice('12')}{rng.randint(1, 999):03d}"
        if text not in taken:
            taken.add(text)
            return text


def staff(pl: Planner) -> None:
    """Sizes by share, at least two per agency: the head and the secretary."""
    rng = pl.rng
    weights = [share for _, _, share in AGENCIES]
    counts = {code: 2 for code, _, _ in AGENCIES}
    for _ in range(max(0, pl.employees - sum(counts.values()))):
        counts[rng.choices([c for c, _, _ in AGENCIES], weights)[0]] += 1
    for code, name, _ in AGENCIES:
        head = _head(pl, code, name)
        secretary = _secretary(pl, code, name, head)
        members = [head, secretary] + [_member(pl, code) for _ in range(counts[code] - 2)]
        pl.by_agency[code] = members
        pl.people += members
        pl.heads[code] = [(head.registered_on, head)]
        if head.ended is not None:
            pl.heads[code].append((head.ended[0], secretary))
        pl.secretaries[code] = secretary


def _person(pl: Planner, agency: str, employment_type: str, tmt: date, born: date, **kw: Any) -> Person:
    rng = pl.rng
    return Person(
        nip=_nip(rng, pl.taken, born, tmt),
        name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
        agency=agency,
        employment_type=employment_type,
        tmt=tmt,
        quality=min(max(rng.gauss(0.62, 0.2), 0.05), 0.98),
        born=born,
        **kw,
    )


def _head(pl: Planner, code: str, name: str) -> Person:
    """The head in office when the history starts; leaves at the BUP of the post."""
    rng, start = pl.rng, pl.history_start
    title = ppl.head_title(code, name)
    tmt = date(max(1978, start.year - rng.randint(18, 24)), rng.choice([1, 3, 4]), 1)
    ceiling = "IV/d" if code == "SETDA" else "IV/b" if code.startswith("KEC-") else "IV/c"
    steps = ppl.grade_steps(tmt, "III/a", ceiling, 4)
    grade = max([g for d, g in steps if d <= start][-1], "IV/a", key=ppl.gi)
    posts = [Post(start, code, title, grade)]
    posts += [Post(d, code, title, g) for d, g in steps if start < d <= pl.cutoff]
    window = (ppl.RETIREMENT_RULE_FROM, pl.cutoff - timedelta(days=400))
    try:
        born = ppl.draw_birth(rng, tmt, (23, 30), posts, window, pl.quiet)
    except ValueError:  # a history too short for the head to leave in it
        born = ppl.draw_birth(rng, tmt, (23, 30), posts, (window[0], FAR), pl.quiet)
    person = _person(pl, code, "PNS", tmt, born, role="head", posts=posts)
    ppl.retire(person, pl.cutoff)
    return person


def _secretary(pl: Planner, code: str, name: str, head: Person) -> Person:
    """The secretary, grade IV by the time the head leaves, then the head until after the demo."""
    rng, start = pl.rng, pl.history_start
    tmt = date(start.year - rng.randint(9, 14), rng.choice([1, 3, 4, 12]), 1)
    title = ppl.head_title(code, name)
    ladder = [
        ("III/a", "Penata Layanan Operasional"),
        ("III/b", "Kepala Subbagian Umum dan Kepegawaian"),
        ("III/d", ppl.secretary_title(code, name)),
    ]
    takeover = head.ended[0] if head.ended else None
    posts = ppl.structural_posts(code, tmt, start, 4, ladder, "IV/c", pl.cutoff)
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
    born = ppl.draw_birth(rng, tmt, (23, 28), posts, (pl.quiet[1] + timedelta(days=1), FAR), pl.quiet)
    person = _person(pl, code, "PNS", tmt, born, role="secretary", posts=posts)
    ppl.retire(person, pl.cutoff)
    return person


def _member(pl: Planner, code: str) -> Person:
    """Staff on a functional or pelaksana career: in service before the history, or hired later."""
    rng, start = pl.rng, pl.history_start
    later = rng.random() < 0.35
    pppk_years = [y for y in PPPK_WAVES if start.year < y <= pl.last]
    pns_years = [y for y in PNS_WAVES if start.year < y <= pl.last]
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
        posts = ppl.career_posts(code, track, tmt, registered, cadence, ceiling, pl.cutoff)
        ages = ENTRY_AGES[track.entry]
    born = ppl.draw_birth(rng, tmt, ages, posts, (ppl.RETIREMENT_RULE_FROM, FAR), pl.quiet)
    person = _person(pl, code, "PPPK" if pppk else "PNS", tmt, born, track=track, posts=posts)
    ppl.retire(person, pl.cutoff)
    return person


def register(pl: Planner) -> None:
    """Everyone in service when the history starts is registered that day, later hires on their
    TMT; each later post (a promotion, a move to another agency) is one more command."""
    for p in pl.people:
        first = p.posts[0]
        pl.at(
            p.registered_on,
            "employee",
            cmd(
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
            post_step(pl, p, post)


def post_step(pl: Planner, p: Person, post: Post) -> None:
    moved = post.agency != p.post_on(post.on - timedelta(days=1)).agency
    pl.at(
        post.on,
        "transfer" if moved else "promotion",
        cmd(
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


def transfers(pl: Planner) -> None:
    """Pelaksana staff move between agencies in the detailed years (their post keeps its name and
    grade); not the officers, programme members or anyone sanctioned."""
    rng = pl.rng
    busy = {p.nip for members in pl.members.values() for p in members}
    for year in pl.years:
        pool = [
            p
            for p in pl.people
            if p.officer is None and p.nip not in busy and not p.sanctions and pl.steady(p)
            and p.track is not None and p.track.kind == "pelaksana"
        ]  # fmt: skip
        for p in rng.sample(pool, min(len(pool), max(1, len(pl.people) // 100))):
            busy.add(p.nip)
            day = date(year, rng.randint(2, 11), 1)
            now = p.post_on(day)
            target = rng.choice([c for c, _, _ in AGENCIES if c != now.agency])
            later = [Post(q.on, target, q.position, q.grade) for q in p.posts if q.on > day]
            p.posts = [q for q in p.posts if q.on < day] + [
                Post(day, target, now.position, now.grade),
                *later,
            ]

"""Inspectorate: verify one sanction decision against the evidence and the rules of its day (DESIGN 6).

`verify` is a pure function of
- the `SanctionImposed` event and its global position,
- the events recorded before it (log order: a smaller position), of the employee's own stream and
  of any stream an evidence id points into; anything passed in that was recorded later is ignored,
- the appeals filed later against this decision and their decisions,
- the discipline rule and the authority table in force on the decision date.

So evidence added afterwards, later rule versions, and every other later event cannot change a
verdict. Nothing here reads the store: `ledger.inspection` gathers the inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ledger.clock import wib_date
from ledger.domain.employee import Employee
from ledger.domain.envelope import LedgerEvent
from ledger.rules.discipline import LEVEL_ORDER, AuthorityTable, DisciplineRule
from ledger.vocabulary import AppealKind, AppealOutcome, DecidingRole, Level, PenaltyCode

CONSISTENT = "CONSISTENT"
INCONSISTENT = "INCONSISTENT"
VERDICTS = (CONSISTENT, INCONSISTENT)

# The checks in their documented order (docs/INSPECTORATE.md); names are stable API values.
CHECK_NAMES = (
    "penalty_matches_level",  # 1
    "absence_table",  # 2
    "evidence",  # 3
    "procedure_dates",  # 4
    "official_authorised",  # 5
    "one_penalty_per_examination",  # 6
    "appeals",  # 7
    "in_service",  # 8
)

# Statuses of a sanction in Employee.sanctions that still stand (not annulled, not revoked).
_STANDING = ("IMPOSED", "MODIFIED")


@dataclass(frozen=True)
class Logged:
    """A decoded event with its global position (its place in the log)."""

    position: int
    event: LedgerEvent


@dataclass(frozen=True)
class Check:
    number: int
    name: str
    passed: bool
    detail_id: str  # Bahasa Indonesia
    detail_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "passed": self.passed,
            "detail": {"id": self.detail_id, "en": self.detail_en},
        }


@dataclass(frozen=True)
class AppealTrace:
    """One appeal as the verification saw it, in log order."""

    appeal_id: str
    kind: str
    filed_on: date
    against_penalty: str
    route_valid: bool
    outcome: str | None = None
    decision_id: str | None = None
    decided_on: date | None = None
    new_penalty: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "appeal_id": self.appeal_id,
            "kind": self.kind,
            "filed_on": self.filed_on.isoformat(),
            "against_penalty": self.against_penalty,
            "route_valid": self.route_valid,
            "outcome": self.outcome,
            "decision_id": self.decision_id,
            "decided_on": self.decided_on.isoformat() if self.decided_on else None,
            "new_penalty": self.new_penalty,
        }


@dataclass(frozen=True)
class Verdict:
    sanction_id: str
    position: int
    employee_id: str
    nip: str
    agency: str  # the employee's agency as recorded before the decision
    penalty: str  # as decided
    level: str  # stated: the heaviest violation's
    decided_on: date
    decree_number: str | None
    decided_by_role: str
    bap_number: str | None
    checks: tuple[Check, ...]
    rule_versions: Mapping[str, str | None]
    # After this decision's own appeals (they are part of the verdict, DESIGN 6).
    penalty_after_appeals: str
    annulled: bool
    appeals: tuple[AppealTrace, ...] = field(default=())

    @property
    def verdict(self) -> str:
        return CONSISTENT if all(c.passed for c in self.checks) else INCONSISTENT

    @property
    def failed(self) -> list[str]:
        return [c.name for c in self.checks if not c.passed]

    def as_dict(self) -> dict[str, Any]:
        return {
            "sanction_id": self.sanction_id,
            "position": self.position,
            "employee_id": self.employee_id,
            "nip": self.nip,
            "agency": self.agency,
            "penalty": self.penalty,
            "level": self.level,
            "decided_on": self.decided_on.isoformat(),
            "decree_number": self.decree_number,
            "decided_by_role": self.decided_by_role,
            "bap_number": self.bap_number,
            "verdict": self.verdict,
            "failed_checks": self.failed,
            "checks": [c.as_dict() for c in self.checks],
            "rule_versions": dict(self.rule_versions),
            "penalty_after_appeals": self.penalty_after_appeals,
            "annulled": self.annulled,
            "appeals": [a.as_dict() for a in self.appeals],
        }


def verify(
    sanction: Logged,
    history: Iterable[Logged],
    cited: Mapping[str, Logged],
    appeals: Iterable[Logged],
    discipline: DisciplineRule | None,
    authority: AuthorityTable | None,
) -> Verdict:
    """Judge one decision. `discipline`/`authority` are the versions in force on its decision date
    (None: no version was in force then, which fails the checks that need it)."""
    event = sanction.event
    if not isinstance(event, Employee.SanctionImposed):
        raise TypeError(f"not a SanctionImposed event: {type(event).__name__}")
    before = sorted(
        (
            h
            for h in history
            if h.position < sanction.position and h.event.originator_id == event.originator_id
        ),
        key=lambda h: h.position,
    )
    prior = _replay(before)
    decided = event.decided_on
    stated = _heaviest([Level(v["level"]) for v in event.violations])
    trail = [
        a
        for a in sorted(appeals, key=lambda a: a.position)
        if a.position > sanction.position
        and a.event.originator_id == event.originator_id
        and getattr(a.event, "sanction_id", None) == event.event_id
    ]
    appeal_check, traces, final_penalty, annulled = _check_appeals(event, stated, discipline, trail)
    checks = (
        _check_level(discipline, event.penalty, stated, decided),
        _check_absence(discipline, event.penalty, event.violations, decided),
        _check_evidence(event, sanction.position, cited),
        _check_procedure(event),
        _check_authority(authority, discipline, event),
        _check_examination(event, prior),
        appeal_check,
        _check_in_service(event, prior),
    )
    return Verdict(
        sanction_id=event.event_id,
        position=sanction.position,
        employee_id=str(event.originator_id),
        nip=prior.nip if prior else "",
        agency=prior.agency if prior else "",
        penalty=event.penalty,
        level=stated.value,
        decided_on=decided,
        decree_number=event.decree_number,
        decided_by_role=event.decided_by_role,
        bap_number=event.bap_number,
        checks=checks,
        rule_versions={
            "discipline": discipline.version if discipline else None,
            "authority": authority.version if authority else None,
        },
        penalty_after_appeals=final_penalty,
        annulled=annulled,
        appeals=tuple(traces),
    )


# ----------------------------------------------------------------------------- helpers


def _replay(events: Sequence[Logged]) -> Employee | None:
    """The employee as recorded before the decision (None without a registration)."""
    aggregate: Employee | None = None
    for logged in events:
        e = logged.event
        if aggregate is None:
            if not isinstance(e, Employee.EmployeeRegistered):
                return None
            built = e.mutate(None)
            assert isinstance(built, Employee)
            aggregate = built
            continue
        e.apply(aggregate)
        aggregate.version = e.originator_version
    return aggregate


def _heaviest(levels: Sequence[Level]) -> Level:
    return max(levels, key=LEVEL_ORDER.__getitem__)


def _severity(rule: DisciplineRule, code: PenaltyCode) -> tuple[int, int]:
    """Level first, then the catalogue order within the level (lightest first)."""
    return LEVEL_ORDER[rule.penalty(code).level], list(rule.penalties).index(code)


def _check(number: int, passed: bool, detail_id: str, detail_en: str) -> Check:
    return Check(number, CHECK_NAMES[number - 1], passed, detail_id, detail_en)


def _no_rule(number: int, what_id: str, what_en: str, on: date) -> Check:
    return _check(
        number,
        False,
        f"Tidak ada versi {what_id} yang berlaku pada tanggal keputusan {on}.",
        f"No version of the {what_en} was in force on the decision date {on}.",
    )


def _level_finding(rule: DisciplineRule, penalty: str, stated: Level) -> tuple[bool, str, str]:
    level = rule.penalty(PenaltyCode(penalty)).level
    if level is stated:
        return (
            True,
            f"Hukuman {penalty} termasuk tingkat {level.value}, sesuai tingkat pelanggaran terberat "
            f"yang dinyatakan ({stated.value}).",
            f"Penalty {penalty} is of level {level.value}, the level of the heaviest stated violation "
            f"({stated.value}).",
        )
    return (
        False,
        f"Hukuman {penalty} termasuk tingkat {level.value}, tetapi pelanggaran terberat yang "
        f"dinyatakan bertingkat {stated.value}.",
        f"Penalty {penalty} is of level {level.value}, but the heaviest stated violation is of level "
        f"{stated.value}.",
    )


def _absence_finding(
    rule: DisciplineRule, penalty: str, violations: Sequence[Mapping[str, Any]]
) -> tuple[bool, str, str] | None:
    """Compare a penalty with the absence table; None when no violation states absence days."""
    absences = [
        v for v in violations if v.get("absence_days") is not None or v.get("consecutive_absence_days")
    ]
    if not absences:
        return None
    code = PenaltyCode(penalty)
    expected: list[tuple[PenaltyCode | None, int, int]] = []
    for v in absences:
        consecutive = int(v.get("consecutive_absence_days") or 0)
        # Consecutive days are also cumulative days of the same year.
        days = max(int(v.get("absence_days") or 0), consecutive)
        expected.append((rule.expected_for_absence(days, consecutive), days, consecutive))
    prescribed = [e for e in expected if e[0] is not None]
    stated_id = "; ".join(_days_id(days, cons) for _, days, cons in expected)
    stated_en = "; ".join(_days_en(days, cons) for _, days, cons in expected)
    others = len(absences) < len(violations)
    if not prescribed:
        if others:
            return (
                True,
                f"Ketidakhadiran ({stated_id}) di bawah ambang tabel; hukuman {penalty} didasarkan pada "
                "pelanggaran lain dalam keputusan yang sama.",
                f"The absence ({stated_en}) is below the table's first band; penalty {penalty} rests on "
                "the other violations of the same decision.",
            )
        return (
            False,
            f"Ketidakhadiran ({stated_id}) di bawah ambang tabel ketidakhadiran: tabel tidak "
            f"menetapkan hukuman, tetapi dijatuhkan {penalty}.",
            f"The absence ({stated_en}) is below the absence table's first band: the table prescribes "
            f"no penalty, yet {penalty} was imposed.",
        )
    table = max((e[0] for e in prescribed if e[0] is not None), key=lambda c: _severity(rule, c))
    if code is table:
        return (
            True,
            f"Tabel ketidakhadiran menetapkan {table.value} untuk {stated_id}; dijatuhkan {penalty}.",
            f"The absence table prescribes {table.value} for {stated_en}; {penalty} was imposed.",
        )
    if others and _severity(rule, code) > _severity(rule, table):
        return (
            True,
            f"Tabel ketidakhadiran menetapkan {table.value} untuk {stated_id}; hukuman {penalty} lebih "
            "berat karena keputusan yang sama memeriksa pelanggaran lain yang lebih berat (satu "
            "hukuman, yang terberat).",
            f"The absence table prescribes {table.value} for {stated_en}; penalty {penalty} is heavier "
            "because the same decision covers another, heavier violation (one penalty, the heaviest).",
        )
    return (
        False,
        f"Tabel ketidakhadiran menetapkan {table.value} untuk {stated_id}, tetapi dijatuhkan {penalty}.",
        f"The absence table prescribes {table.value} for {stated_en}, but {penalty} was imposed.",
    )


def _days_id(days: int, consecutive: int) -> str:
    text = f"{days} hari kerja dalam setahun"
    return text + (f", {consecutive} hari kerja berturut-turut" if consecutive else "")


def _days_en(days: int, consecutive: int) -> str:
    text = f"{days} working days in the year"
    return text + (f", {consecutive} consecutive working days" if consecutive else "")


# ------------------------------------------------------------------------------ checks


def _check_level(rule: DisciplineRule | None, penalty: str, stated: Level, decided: date) -> Check:
    """1. The penalty belongs to the stated level (the heaviest violation's)."""
    if rule is None:
        return _no_rule(1, "aturan disiplin", "discipline rule", decided)
    passed, text_id, text_en = _level_finding(rule, penalty, stated)
    return _check(1, passed, text_id, text_en)


def _check_absence(
    rule: DisciplineRule | None, penalty: str, violations: Sequence[Mapping[str, Any]], decided: date
) -> Check:
    """2. For an absence violation, the penalty matches the absence table."""
    if rule is None:
        return _no_rule(2, "aturan disiplin", "discipline rule", decided)
    finding = _absence_finding(rule, penalty, violations)
    if finding is None:
        return _check(
            2,
            True,
            "Tidak berlaku: tidak ada pelanggaran yang menyatakan jumlah hari tidak masuk kerja.",
            "Not applicable: no violation states a number of days of absence.",
        )
    return _check(2, *finding)


def _check_evidence(event: Employee.SanctionImposed, position: int, cited: Mapping[str, Logged]) -> Check:
    """3. Each evidence event exists, is this employee's, was recorded before the sanction and had
    taken effect by the decision date."""
    if not event.evidence:
        return _check(
            3,
            True,
            "Tidak ada bukti berupa peristiwa ledger yang dirujuk; tidak ada yang perlu diperiksa.",
            "No ledger event is cited as evidence; there is nothing to check.",
        )
    problems_id: list[str] = []
    problems_en: list[str] = []
    for evidence_id in event.evidence:
        found = cited.get(evidence_id)
        if found is None or found.position >= position:
            # Not distinguishing "never" from "later" keeps the verdict independent of later events.
            problems_id.append(f"{evidence_id} tidak ada di antara peristiwa yang dicatat sebelum sanksi ini")
            problems_en.append(f"{evidence_id} is not among the events recorded before this sanction")
            continue
        if found.event.originator_id != event.originator_id:
            problems_id.append(f"{evidence_id} milik catatan lain, bukan pegawai ini")
            problems_en.append(f"{evidence_id} belongs to another record, not this employee's")
            continue
        if found.event.effective_date > event.decided_on:
            problems_id.append(
                f"{evidence_id} berlaku {found.event.effective_date}, setelah tanggal keputusan "
                f"{event.decided_on}"
            )
            problems_en.append(
                f"{evidence_id} took effect on {found.event.effective_date}, after the decision date "
                f"{event.decided_on}"
            )
    count = len(event.evidence)
    if problems_id:
        return _check(3, False, "; ".join(problems_id) + ".", "; ".join(problems_en) + ".")
    return _check(
        3,
        True,
        f"{count} peristiwa bukti: semuanya milik pegawai ini, dicatat sebelum sanksi, dan berlaku "
        f"paling lambat tanggal keputusan {event.decided_on}.",
        f"{count} evidence event(s): all of this employee, recorded before the sanction, and in effect "
        f"by the decision date {event.decided_on}.",
    )


def _check_procedure(event: Employee.SanctionImposed) -> Check:
    """4. Summons <= examination <= decision, all recorded; the decision not after its recording."""
    decided = event.decided_on
    recorded = wib_date(event.recorded_at)
    summons = sorted(event.summoned_on)
    examined = event.examined_on
    problems_id: list[str] = []
    problems_en: list[str] = []
    if not summons:
        problems_id.append("tanggal pemanggilan tidak dicatat")
        problems_en.append("no summons date is recorded")
    if examined is None:
        problems_id.append("tanggal pemeriksaan tidak dicatat")
        problems_en.append("no examination date is recorded")
    if not event.bap_number:
        problems_id.append("nomor berita acara pemeriksaan (BAP) tidak dicatat")
        problems_en.append("no examination report (BAP) number is recorded")
    next_step, next_id, next_en = (
        (examined, "pemeriksaan", "the examination") if examined else (decided, "keputusan", "the decision")
    )
    late = [s for s in summons if s > next_step]
    if late:
        problems_id.append(f"pemanggilan {late[-1]} setelah {next_id} {next_step}")
        problems_en.append(f"the summons of {late[-1]} is after {next_en} on {next_step}")
    if examined and examined > decided:
        problems_id.append(f"pemeriksaan {examined} setelah keputusan {decided}")
        problems_en.append(f"the examination on {examined} is after the decision on {decided}")
    if decided > recorded:
        problems_id.append(f"tanggal keputusan {decided} setelah tanggal pencatatan {recorded} (WIB)")
        problems_en.append(f"the decision date {decided} is after the recording date {recorded} (WIB)")
    if problems_id:
        return _check(4, False, "; ".join(problems_id) + ".", "; ".join(problems_en) + ".")
    listed = ", ".join(s.isoformat() for s in summons)
    return _check(
        4,
        True,
        f"Pemanggilan {listed} <= pemeriksaan {examined} (BAP {event.bap_number}) <= keputusan "
        f"{decided} <= pencatatan {recorded}.",
        f"Summons {listed} <= examination {examined} (BAP {event.bap_number}) <= decision {decided} "
        f"<= recording {recorded}.",
    )


def _check_authority(
    table: AuthorityTable | None, rule: DisciplineRule | None, event: Employee.SanctionImposed
) -> Check:
    """5. The deciding official's role may impose the level of the penalty imposed."""
    if table is None:
        return _no_rule(5, "tabel kewenangan", "authority table", event.decided_on)
    if rule is None:
        return _no_rule(5, "aturan disiplin", "discipline rule", event.decided_on)
    level = rule.penalty(PenaltyCode(event.penalty)).level
    role = DecidingRole(event.decided_by_role)
    granted = sorted(table.grants.get(role, frozenset()), key=LEVEL_ORDER.__getitem__)
    allowed = ", ".join(g.value for g in granted) or "-"
    if table.authorised(role, level):
        return _check(
            5,
            True,
            f"{role.value} berwenang menjatuhkan hukuman tingkat {level.value} menurut tabel kewenangan "
            f"{table.version}.",
            f"{role.value} may impose a {level.value} penalty under authority table {table.version}.",
        )
    return _check(
        5,
        False,
        f"{role.value} tidak berwenang menjatuhkan hukuman tingkat {level.value} menurut tabel "
        f"kewenangan {table.version} (berwenang untuk: {allowed}).",
        f"{role.value} may not impose a {level.value} penalty under authority table {table.version} "
        f"(may impose: {allowed}).",
    )


def normalise_bap(number: str | None) -> str:
    """BAP numbers compare without case and spacing differences ("bap/01 /2026" == "BAP/01/2026")."""
    return "".join((number or "").split()).upper()


def _check_examination(event: Employee.SanctionImposed, prior: Employee | None) -> Check:
    """6. No earlier standing penalty of this employee rests on the same examination (BAP)."""
    bap = normalise_bap(event.bap_number)
    if not bap:
        return _check(
            6,
            True,
            "Nomor BAP tidak dicatat, sehingga tidak dapat dibandingkan (lihat pemeriksaan 4).",
            "No BAP number is recorded, so there is nothing to compare (see check 4).",
        )
    earlier = [
        s
        for s in (prior.sanctions.values() if prior else [])
        if normalise_bap(s.get("bap_number")) == bap and s["status"] in _STANDING
    ]
    if not earlier:
        return _check(
            6,
            True,
            f"Belum ada hukuman lain yang berlaku atas pemeriksaan yang sama (BAP {event.bap_number}).",
            f"No other standing penalty rests on the same examination (BAP {event.bap_number}).",
        )
    first = earlier[0]
    return _check(
        6,
        False,
        f"Pemeriksaan yang sama (BAP {event.bap_number}) sudah menjadi dasar hukuman "
        f"{first['sanction_id']} ({first['penalty']}, diputus {first['decided_on']}) yang tidak "
        "dibatalkan: satu pemeriksaan, satu hukuman.",
        f"The same examination (BAP {event.bap_number}) already grounds sanction {first['sanction_id']} "
        f"({first['penalty']}, decided {first['decided_on']}), which was not annulled: one examination, "
        "one penalty.",
    )


def _check_appeals(
    event: Employee.SanctionImposed,
    stated: Level,
    rule: DisciplineRule | None,
    trail: Sequence[Logged],
) -> tuple[Check, list[AppealTrace], str, bool]:
    """7. Each appeal took the valid route for the penalty it was filed against, and its outcome
    applies: ANNULLED ends the sanction, MODIFIED replaces the penalty, which is re-verified."""
    current = event.penalty
    annulled_by: str | None = None
    traces: dict[str, AppealTrace] = {}
    notes_id: list[str] = []
    notes_en: list[str] = []
    passed = True
    for logged in trail:
        e = logged.event
        if isinstance(e, Employee.SanctionAppealFiled):
            kind = AppealKind(e.kind)
            valid = rule is not None and PenaltyCode(current) in rule.appeal_routes.get(kind, frozenset())
            traces[e.event_id] = AppealTrace(e.event_id, kind.value, e.filed_on, current, valid)
            if valid:
                notes_id.append(f"{kind.value} ({e.filed_on}) terhadap {current}: jalur sah")
                notes_en.append(f"{kind.value} ({e.filed_on}) against {current}: valid route")
            else:
                passed = False
                if kind is AppealKind.KEBERATAN:
                    notes_id.append(
                        f"KEBERATAN ({e.filed_on}) tidak dapat diajukan terhadap {current}: "
                        "pemberhentian hanya dapat diajukan banding administratif ke BPASN"
                    )
                    notes_en.append(
                        f"a KEBERATAN ({e.filed_on}) does not lie against {current}: a dismissal is "
                        "appealed only by BANDING to BPASN"
                    )
                else:
                    notes_id.append(
                        f"BANDING ({e.filed_on}) hanya dapat diajukan terhadap PEMBERHENTIAN, bukan {current}"
                    )
                    notes_en.append(
                        f"a BANDING ({e.filed_on}) lies only against PEMBERHENTIAN, not against {current}"
                    )
        elif isinstance(e, Employee.SanctionAppealDecided):
            trace = traces.get(e.appeal_id)
            if trace is None:  # a decision without its filing cannot be recorded; be defensive
                passed = False
                notes_id.append(f"putusan {e.event_id} merujuk upaya administratif yang tidak dikenal")
                notes_en.append(f"decision {e.event_id} refers to an unknown appeal")
                continue
            traces[e.appeal_id] = AppealTrace(
                trace.appeal_id,
                trace.kind,
                trace.filed_on,
                trace.against_penalty,
                trace.route_valid,
                e.outcome,
                e.event_id,
                e.decided_on,
                e.new_penalty,
            )
            outcome = AppealOutcome(e.outcome)
            if annulled_by is not None:
                passed = False
                notes_id.append(
                    f"putusan {outcome.value} ({e.decided_on}) diambil setelah hukuman dibatalkan oleh "
                    f"{annulled_by}"
                )
                notes_en.append(
                    f"the {outcome.value} decision ({e.decided_on}) came after the sanction had been "
                    f"annulled by {annulled_by}"
                )
                continue
            if outcome is AppealOutcome.UPHELD:
                notes_id.append(f"putusan {e.decided_on}: hukuman dikuatkan")
                notes_en.append(f"decided {e.decided_on}: upheld")
            elif outcome is AppealOutcome.ANNULLED:
                annulled_by = e.event_id
                notes_id.append(f"putusan {e.decided_on}: hukuman dibatalkan dan berakhir")
                notes_en.append(f"decided {e.decided_on}: annulled, the sanction has ended")
            else:
                new = e.new_penalty or current
                notes_id.append(f"putusan {e.decided_on}: hukuman diubah dari {current} menjadi {new}")
                notes_en.append(f"decided {e.decided_on}: penalty changed from {current} to {new}")
                current = new
                if rule is not None:
                    ok_level, level_id, level_en = _level_finding(rule, new, stated)
                    absence = _absence_finding(rule, new, event.violations)
                    for ok, text_id, text_en in [(ok_level, level_id, level_en)] + (
                        [absence] if absence else []
                    ):
                        if not ok:
                            passed = False
                            notes_id.append(f"verifikasi ulang: {text_id.rstrip('.')}")
                            notes_en.append(f"re-verified: {text_en.rstrip('.')}")
    if not trail:
        check = _check(
            7,
            True,
            "Tidak ada upaya administratif (keberatan atau banding) yang diajukan.",
            "No appeal (keberatan or banding) was filed.",
        )
    else:
        check = _check(7, passed, "; ".join(notes_id) + ".", "; ".join(notes_en) + ".")
    return check, list(traces.values()), current, annulled_by is not None


def _check_in_service(event: Employee.SanctionImposed, prior: Employee | None) -> Check:
    """8. The employee was in service on the decision date: started, and not dismissed by then."""
    decided = event.decided_on
    if prior is None:
        return _check(
            8,
            False,
            "Tidak ada pendaftaran pegawai yang dicatat sebelum sanksi ini.",
            "No registration of the employee was recorded before this sanction.",
        )
    start = prior.service_start_date
    if start > decided:
        return _check(
            8,
            False,
            f"Pegawai mulai bertugas {start}, setelah tanggal keputusan {decided}.",
            f"The employee's service started on {start}, after the decision date {decided}.",
        )
    dismissals = sorted(
        (
            s
            for s in prior.sanctions.values()
            if s["penalty"] == PenaltyCode.PEMBERHENTIAN.value
            and s["status"] in _STANDING
            and date.fromisoformat(s["effective_date"]) <= decided
        ),
        key=lambda s: str(s["effective_date"]),
    )
    if dismissals:
        first = dismissals[0]
        return _check(
            8,
            False,
            f"Pegawai sudah diberhentikan sejak {first['effective_date']} (sanksi {first['sanction_id']}), "
            f"sebelum atau pada tanggal keputusan {decided}.",
            f"The employee had been dismissed from {first['effective_date']} (sanction "
            f"{first['sanction_id']}), on or before the decision date {decided}.",
        )
    return _check(
        8,
        True,
        f"Pegawai bertugas sejak {start} dan belum diberhentikan pada tanggal keputusan {decided}.",
        f"The employee has served since {start} and had not been dismissed on the decision date {decided}.",
    )

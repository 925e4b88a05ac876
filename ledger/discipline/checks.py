"""Inspectorate: verify one sanction decision against the evidence and the rules of its day.

`verify` is a pure function of plain data:
- the decision (`Decision`, from the `SanctionImposed` event),
- what had been recorded before it in log order (`PriorRecord`: the employee as registered, their
  earlier sanctions as they then stood; `cited`: the cited evidence events that were in the log),
- the appeals filed later against this decision and their decisions (`AppealFiled`/`AppealDecided`),
- the discipline rule and the authority table in force on the decision date.

Nothing else goes in, so evidence added afterwards, later rule versions and every other later event
cannot change a verdict. The checks of the decision (1-6, 8) are fixed when it is recorded; check 7
follows its appeals. `ledger.discipline.inspection` gathers the inputs from the event store; the read model
`projections.discipline.verdicts` keeps them in its own tables; both call these functions.

The inputs and the verdict are the data classes of ``ledger.discipline.model``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from ledger.discipline.lifecycle import STANDING
from ledger.discipline.model import (
    CHECK_NAMES,
    AppealFiled,
    AppealFindings,
    AppealStep,
    AppealTrace,
    Check,
    CitedEvent,
    Decision,
    DecisionFindings,
    PriorRecord,
    Verdict,
)
from ledger.rules.discipline import LEVEL_ORDER, AuthorityTable, DisciplineRule
from ledger.vocabulary import DISMISSALS, AppealKind, AppealOutcome, DecidingRole, Level, PenaltyCode


def verify(
    decision: Decision,
    prior: PriorRecord | None,
    cited: Mapping[str, CitedEvent],
    appeals: Iterable[AppealStep],
    discipline: DisciplineRule | None,
    authority: AuthorityTable | None,
) -> Verdict:
    """Judge one decision. `discipline`/`authority` are the versions in force on its decision date
    (None: no version was in force then, which fails the checks that need it)."""
    return combine(
        decision,
        judge_decision(decision, prior, cited, discipline, authority),
        judge_appeals(decision, appeals, discipline),
    )


def judge_decision(
    decision: Decision,
    prior: PriorRecord | None,
    cited: Mapping[str, CitedEvent],
    discipline: DisciplineRule | None,
    authority: AuthorityTable | None,
) -> DecisionFindings:
    """Checks 1-6 and 8, from what was recorded before the decision."""
    stated = decision.stated_level
    checks = (
        _check_level(discipline, decision.penalty, stated, decision.decided_on),
        _check_absence(discipline, decision.penalty, decision.violations, decision.decided_on),
        _check_evidence(decision, cited),
        _check_procedure(decision),
        _check_authority(authority, discipline, decision),
        _check_examination(decision, prior),
        _check_in_service(decision, prior),
    )
    return DecisionFindings(
        nip=prior.nip if prior else "",
        agency=prior.agency if prior else "",
        checks=checks,
        rule_versions={
            "discipline": discipline.version if discipline else None,
            "authority": authority.version if authority else None,
        },
    )


def combine(decision: Decision, found: DecisionFindings, appeals: AppealFindings) -> Verdict:
    checks = sorted((*found.checks, appeals.check), key=lambda c: c.number)
    return Verdict(
        decision=decision,
        nip=found.nip,
        agency=found.agency,
        checks=tuple(checks),
        rule_versions=found.rule_versions,
        penalty_after_appeals=appeals.penalty_after_appeals,
        annulled=appeals.annulled,
        appeals=appeals.appeals,
    )


def _severity(rule: DisciplineRule, code: PenaltyCode) -> tuple[int, int]:
    """Level first, then the catalogue order within the level (lightest first)."""
    return LEVEL_ORDER[rule.penalty(code).level], list(rule.penalties).index(code)


def _unknown_penalty(rule: DisciplineRule, penalty: str) -> Finding | None:
    """A penalty the version of the decision date does not have (refused on input since each
    version has its own codes; kept as a finding so no stored decision can stop a verdict)."""
    if rule.knows(penalty):
        return None
    return _found(
        False,
        f"Hukuman {penalty} tidak dikenal dalam {rule.version} ({rule.regulation}) yang berlaku pada "
        "tanggal keputusan.",
        f"Penalty {penalty} is not in {rule.version} ({rule.regulation}), in force on the decision date.",
    )


def _either(codes: Sequence[PenaltyCode], word: str) -> str:
    return f" {word} ".join(c.value for c in codes)


def _sentence(parts: Sequence[str]) -> str:
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _clause(sentence: str) -> str:
    """A sentence used inside another: lower-case start, no full stop."""
    return sentence[:1].lower() + sentence[1:].rstrip(".")


def _check(number: int, passed: bool, detail_id: str, detail_en: str) -> Check:
    return Check(number, CHECK_NAMES[number - 1], passed, detail_id, detail_en)


def _no_rule(number: int, what_id: str, what_en: str, on: date) -> Check:
    return _check(
        number,
        False,
        f"Tidak ada versi {what_id} yang berlaku pada tanggal keputusan {on}.",
        f"No version of the {what_en} was in force on the decision date {on}.",
    )


Finding = tuple[bool, str, str]  # passed, detail_id, detail_en


def _found(passed: bool, detail_id: str, detail_en: str) -> Finding:
    return passed, detail_id, detail_en


def _level_finding(rule: DisciplineRule, penalty: str, stated: Level) -> tuple[bool, str, str]:
    unknown = _unknown_penalty(rule, penalty)
    if unknown is not None:
        return unknown
    level = rule.penalty(PenaltyCode(penalty)).level
    if level is stated:
        return _found(
            True,
            f"Hukuman {penalty} termasuk tingkat {level.value}, sesuai tingkat pelanggaran terberat "
            f"yang dinyatakan ({stated.value}).",
            f"Penalty {penalty} is of level {level.value}, the level of the heaviest stated violation "
            f"({stated.value}).",
        )
    return _found(
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
    unknown = _unknown_penalty(rule, penalty)
    if unknown is not None:
        return unknown
    code = PenaltyCode(penalty)
    expected: list[tuple[tuple[PenaltyCode, ...], int, int]] = []
    for v in absences:
        consecutive = int(v.get("consecutive_absence_days") or 0)
        # Consecutive days are also cumulative days of the same year.
        days = max(int(v.get("absence_days") or 0), consecutive)
        expected.append((rule.allowed_for_absence(days, consecutive), days, consecutive))
    prescribed = [e[0] for e in expected if e[0]]
    stated_id = "; ".join(_days_id(days, cons) for _, days, cons in expected)
    stated_en = "; ".join(_days_en(days, cons) for _, days, cons in expected)
    others = len(absences) < len(violations)
    if not prescribed:
        if others:
            return _found(
                True,
                f"Ketidakhadiran ({stated_id}) di bawah ambang tabel; hukuman {penalty} didasarkan pada "
                "pelanggaran lain dalam keputusan yang sama.",
                f"The absence ({stated_en}) is below the table's first band; penalty {penalty} rests on "
                "the other violations of the same decision.",
            )
        return _found(
            False,
            f"Ketidakhadiran ({stated_id}) di bawah ambang tabel ketidakhadiran: tabel tidak "
            f"menetapkan hukuman, tetapi dijatuhkan {penalty}.",
            f"The absence ({stated_en}) is below the absence table's first band: the table prescribes "
            f"no penalty, yet {penalty} was imposed.",
        )
    # The heaviest band any violation reaches; a band may allow more than one penalty (PDH or PTDH).
    table = max(prescribed, key=lambda allowed: _severity(rule, allowed[0]))
    table_id, table_en = _either(table, "atau"), _either(table, "or")
    if code in table:
        return _found(
            True,
            f"Tabel ketidakhadiran menetapkan {table_id} untuk {stated_id}; dijatuhkan {penalty}.",
            f"The absence table prescribes {table_en} for {stated_en}; {penalty} was imposed.",
        )
    if others and _severity(rule, code) > max(_severity(rule, c) for c in table):
        return _found(
            True,
            f"Tabel ketidakhadiran menetapkan {table_id} untuk {stated_id}; hukuman {penalty} lebih "
            "berat karena keputusan yang sama memeriksa pelanggaran lain yang lebih berat (satu "
            "hukuman, yang terberat).",
            f"The absence table prescribes {table_en} for {stated_en}; penalty {penalty} is heavier "
            "because the same decision covers another, heavier violation (one penalty, the heaviest).",
        )
    return _found(
        False,
        f"Tabel ketidakhadiran menetapkan {table_id} untuk {stated_id}, tetapi dijatuhkan {penalty}.",
        f"The absence table prescribes {table_en} for {stated_en}, but {penalty} was imposed.",
    )


def _days_id(days: int, consecutive: int) -> str:
    text = f"{days} hari kerja dalam setahun"
    return text + (f", {consecutive} hari kerja berturut-turut" if consecutive else "")


def _days_en(days: int, consecutive: int) -> str:
    text = f"{days} working days in the year"
    return text + (f", {consecutive} consecutive working days" if consecutive else "")


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


def _check_evidence(event: Decision, cited: Mapping[str, CitedEvent]) -> Check:
    """3. Each evidence event exists, is this employee's (or a complaint naming them), was recorded
    before the sanction and had taken effect by the decision date."""
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
        if found is None:
            # Not distinguishing "never" from "later" keeps the verdict independent of later events.
            problems_id.append(f"{evidence_id} tidak ada di antara peristiwa yang dicatat sebelum sanksi ini")
            problems_en.append(f"{evidence_id} is not among the events recorded before this sanction")
            continue
        if event.employee_id not in (found.originator_id, found.about_id):
            problems_id.append(f"{evidence_id} milik catatan lain, bukan pegawai ini")
            problems_en.append(f"{evidence_id} belongs to another record, not this employee's")
            continue
        if found.effective_date is None or found.effective_date > event.decided_on:
            problems_id.append(
                f"{evidence_id} berlaku {found.effective_date}, setelah tanggal keputusan {event.decided_on}"
            )
            problems_en.append(
                f"{evidence_id} took effect on {found.effective_date}, after the decision date "
                f"{event.decided_on}"
            )
    count = len(event.evidence)
    if problems_id:
        return _check(3, False, _sentence(problems_id), _sentence(problems_en))
    return _check(
        3,
        True,
        f"{count} peristiwa bukti: semuanya milik pegawai ini, dicatat sebelum sanksi, dan berlaku "
        f"paling lambat tanggal keputusan {event.decided_on}.",
        f"{count} evidence event(s): all of this employee, recorded before the sanction, and in effect "
        f"by the decision date {event.decided_on}.",
    )


def _check_procedure(event: Decision) -> Check:
    """4. Summons <= examination <= decision, all recorded; the decision not after its recording."""
    decided = event.decided_on
    recorded = event.recorded_on
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
        return _check(4, False, _sentence(problems_id), _sentence(problems_en))
    listed = ", ".join(s.isoformat() for s in summons)
    return _check(
        4,
        True,
        f"Pemanggilan {listed} <= pemeriksaan {examined} (BAP {event.bap_number}) <= keputusan "
        f"{decided} <= pencatatan {recorded}.",
        f"Summons {listed} <= examination {examined} (BAP {event.bap_number}) <= decision {decided} "
        f"<= recording {recorded}.",
    )


def _check_authority(table: AuthorityTable | None, rule: DisciplineRule | None, event: Decision) -> Check:
    """5. The deciding official's role may impose the level of the penalty imposed."""
    if table is None:
        return _no_rule(5, "tabel kewenangan", "authority table", event.decided_on)
    if rule is None:
        return _no_rule(5, "aturan disiplin", "discipline rule", event.decided_on)
    unknown = _unknown_penalty(rule, event.penalty)
    if unknown is not None:
        return _check(5, *unknown)
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


def _check_examination(event: Decision, prior: PriorRecord | None) -> Check:
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
        for s in (prior.sanctions if prior else ())
        if normalise_bap(s.bap_number) == bap and s.lifecycle in STANDING
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
        f"{first.sanction_id} ({first.penalty}, diputus {first.decided_on}) yang tidak "
        "dibatalkan: satu pemeriksaan, satu hukuman.",
        f"The same examination (BAP {event.bap_number}) already grounds sanction {first.sanction_id} "
        f"({first.penalty}, decided {first.decided_on}), which was not annulled: one examination, "
        "one penalty.",
    )


def judge_appeals(
    decision: Decision, steps: Iterable[AppealStep], rule: DisciplineRule | None
) -> AppealFindings:
    """7. Each appeal took the valid route for the penalty it was filed against, and its outcome
    applies: ANNULLED ends the sanction, MODIFIED replaces the penalty, which is re-verified
    at its own level and against the absence table, under the rule of the decision date."""
    current = decision.penalty
    annulled_by: str | None = None
    traces: dict[str, AppealTrace] = {}
    notes_id: list[str] = []
    notes_en: list[str] = []
    passed = True
    trail = list(steps)
    for step in trail:
        if isinstance(step, AppealFiled):
            kind = AppealKind(step.kind)
            valid = rule is not None and current in rule.appeal_routes.get(kind, frozenset())
            traces[step.appeal_id] = AppealTrace(step.appeal_id, kind.value, step.filed_on, current, valid)
            if valid:
                notes_id.append(f"{kind.value} ({step.filed_on}) terhadap {current}: jalur sah")
                notes_en.append(f"{kind.value} ({step.filed_on}) against {current}: valid route")
            else:
                passed = False
                note_id, note_en = _invalid_route(rule, kind, step.filed_on, current)
                notes_id.append(note_id)
                notes_en.append(note_en)
            continue
        trace = traces.get(step.appeal_id)
        if trace is None:  # a decision without its filing cannot be recorded; be defensive
            passed = False
            notes_id.append(f"putusan {step.decision_id} merujuk upaya administratif yang tidak dikenal")
            notes_en.append(f"decision {step.decision_id} refers to an unknown appeal")
            continue
        traces[step.appeal_id] = AppealTrace(
            trace.appeal_id,
            trace.kind,
            trace.filed_on,
            trace.against_penalty,
            trace.route_valid,
            step.outcome,
            step.decision_id,
            step.decided_on,
            step.new_penalty,
        )
        outcome = AppealOutcome(step.outcome)
        if annulled_by is not None:
            passed = False
            notes_id.append(
                f"putusan {outcome.value} ({step.decided_on}) diambil setelah hukuman dibatalkan oleh "
                f"{annulled_by}"
            )
            notes_en.append(
                f"the {outcome.value} decision ({step.decided_on}) came after the sanction had been "
                f"annulled by {annulled_by}"
            )
            continue
        if outcome is AppealOutcome.UPHELD:
            notes_id.append(f"putusan {step.decided_on}: hukuman dikuatkan")
            notes_en.append(f"decided {step.decided_on}: upheld")
        elif outcome is AppealOutcome.ANNULLED:
            annulled_by = step.decision_id
            notes_id.append(f"putusan {step.decided_on}: hukuman dibatalkan dan berakhir")
            notes_en.append(f"decided {step.decided_on}: annulled, the sanction has ended")
        else:
            new = step.new_penalty or current
            if new == current:
                # Refused on input since the fix of defect 5; a stored one is flagged, not fatal.
                passed = False
                notes_id.append(f"putusan {step.decided_on}: MODIFIED tetapi hukuman tetap {current}")
                notes_en.append(f"decided {step.decided_on}: MODIFIED, yet the penalty stays {current}")
                continue
            notes_id.append(f"putusan {step.decided_on}: hukuman diubah dari {current} menjadi {new}")
            notes_en.append(f"decided {step.decided_on}: penalty changed from {current} to {new}")
            current = new
            if rule is not None:
                # The appeal decision re-judges the violation: the new penalty is verified at its own
                # level (a lawful reduction on keberatan lowers the level), and against the absence
                # table of the decision's rule version.
                unknown = _unknown_penalty(rule, new)
                findings = [unknown] if unknown else []
                absence = _absence_finding(rule, new, decision.violations) if not unknown else None
                if absence is not None:
                    findings.append(absence)
                for ok, text_id, text_en in findings:
                    if not ok:
                        passed = False
                        notes_id.append(f"verifikasi ulang: {_clause(text_id)}")
                        notes_en.append(f"re-verified: {_clause(text_en)}")
    if not trail:
        check = _check(
            7,
            True,
            "Tidak ada upaya administratif (keberatan atau banding) yang diajukan.",
            "No appeal (keberatan or banding) was filed.",
        )
    else:
        check = _check(7, passed, _sentence(notes_id), _sentence(notes_en))
    return AppealFindings(check, tuple(traces.values()), current, annulled_by is not None)


def _invalid_route(
    rule: DisciplineRule | None, kind: AppealKind, filed: date, current: str
) -> tuple[str, str]:
    """Why an appeal does not lie against the penalty, in the words of the decision's rule version."""
    if rule is None:
        return (
            f"{kind.value} ({filed}) terhadap {current}: tidak ada aturan disiplin yang berlaku",
            f"a {kind.value} ({filed}) against {current}: no discipline rule was in force",
        )
    order = list(rule.penalties)
    dismissals = sorted(rule.appeal_routes.get(AppealKind.BANDING, frozenset()), key=order.index)
    if kind is AppealKind.BANDING:
        return (
            f"BANDING ({filed}) hanya dapat diajukan terhadap {_either(dismissals, 'atau')}, bukan {current}",
            f"a BANDING ({filed}) lies only against {_either(dismissals, 'or')}, not against {current}",
        )
    if current in dismissals:
        text_id = (
            f"KEBERATAN ({filed}) tidak dapat diajukan terhadap {current}: "
            f"pemberhentian hanya dapat diajukan banding administratif ke {rule.banding_body}"
        )
        text_en = (
            f"a KEBERATAN ({filed}) does not lie against {current}: a dismissal is "
            f"appealed only by BANDING to {rule.banding_body}"
        )
        return text_id, text_en
    text_id = (
        f"KEBERATAN ({filed}) tidak dapat diajukan terhadap {current} menurut {rule.version} "
        f"({rule.regulation}): tidak ada upaya administratif terhadap hukuman disiplin ringan"
    )
    text_en = (
        f"a KEBERATAN ({filed}) does not lie against {current} under {rule.version} "
        f"({rule.regulation}): a ringan penalty has no administrative appeal"
    )
    return text_id, text_en


def _check_in_service(event: Decision, prior: PriorRecord | None) -> Check:
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
            for s in prior.sanctions
            if s.penalty in DISMISSALS and s.lifecycle in STANDING and s.effective_date <= decided
        ),
        key=lambda s: s.effective_date,
    )
    if dismissals:
        first = dismissals[0]
        return _check(
            8,
            False,
            f"Pegawai sudah diberhentikan sejak {first.effective_date} (sanksi {first.sanction_id}), "
            f"sebelum atau pada tanggal keputusan {decided}.",
            f"The employee had been dismissed from {first.effective_date} (sanction "
            f"{first.sanction_id}), on or before the decision date {decided}.",
        )
    return _check(
        8,
        True,
        f"Pegawai bertugas sejak {start} dan belum diberhentikan pada tanggal keputusan {decided}.",
        f"The employee has served since {start} and had not been dismissed on the decision date {decided}.",
    )

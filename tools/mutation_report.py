"""Per-module mutation score from mutmut's result files (mutants/**/*.py.meta).

`make mutate` runs mutmut on the scoped modules and then this script. A module here is a file,
except "idempotency", which gathers the functions that decide an idempotent repeat: they live in
three files whose other functions are out of scope and are not run.

score = (killed + timeout) / (total - equivalent - not run): a timeout is a mutant that made the
tests loop or hang, which the suite does detect; it has its own column all the same.
Equivalent mutants (no input can tell them from the original) are listed in EQUIVALENT with the
reason; docs/TESTING.md shows the same list.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# mutmut's exit-code convention (mutmut/stats.py, 3.8.1).
STATUS_BY_EXIT_CODE: dict[int | None, str] = {
    1: "killed",
    3: "killed",
    37: "killed",  # caught by the type checker
    0: "survived",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    36: "timeout",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
    None: "not checked",
}

SCOPE: dict[str, list[str]] = {
    "ledger/nip.py": ["ledger.nip.*"],
    "ledger/rules/": ["ledger.rules.*"],
    "ledger/audit/merkle.py": ["ledger.audit.merkle.*"],
    "ledger/audit/encoding.py": ["ledger.audit.encoding.*"],
    "ledger/audit/note.py": ["ledger.audit.note.*"],
    "ledger/discipline/ checks (was verification.py)": [
        "ledger.discipline.model.*",
        "ledger.discipline.checks.*",
    ],
    "ledger/discipline/ lifecycle, authority, inspection (was inspection.py)": [
        "ledger.discipline.lifecycle.*",
        "ledger.discipline.authority.*",
        "ledger.discipline.inspection.*",
    ],
    "ledger/audit/verify/": ["ledger.audit.verify.*"],
    "api/auth.py, api/dependencies.py": ["api.auth.*", "api.dependencies.*"],
    "idempotency": [
        "ledger.service.x?LedgerService?_execute__mutmut_*",
        "ledger.service.x?LedgerService?_replay__mutmut_*",
        "ledger.persistence.x?IdempotencyRecord?params__mutmut_*",
        "ledger.persistence.x?LedgerSQLiteRecorder?_insert_events__mutmut_*",
        "ledger.persistence.x?LedgerSQLiteRecorder?find_idempotency__mutmut_*",
        "api.commands.x_fingerprint__mutmut_*",
        "api.commands.x_run_command__mutmut_*",
    ],
    "projections/runner.py": ["projections.runner.*"],
}

_CODEC = "codec name 'utf-8' -> 'UTF-8' (or 'ascii' -> 'ASCII'): codec names are case-insensitive"

# mutant name -> why no test can kill it. Keep in step with docs/TESTING.md.
EQUIVALENT: dict[str, str] = {
    "ledger.service.xǁLedgerServiceǁ_execute__mutmut_38": (
        "the position of the primary event found by originator OR version instead of AND: every"
        " command lists the aggregate that records its primary event first among those it saves,"
        " so the first recording is the primary's under both conditions"
    ),
    "ledger.nip.x_parse_nip__mutmut_79": (
        "serial=text[15:19] instead of [15:18]: the text has just matched ^\\d{18}$, so it has 18"
        " characters and both slices are the last three (a trailing newline, which $ lets through,"
        " is the one exception; it is reported as a bug, not pinned by a test)"
    ),
    "ledger.audit.note.x_open_note__mutmut_4": _CODEC,
    "ledger.audit.note.x_open_note__mutmut_68": _CODEC,
    **{
        f"ledger.audit.note.x_parse_verifier_key__mutmut_{n}": (
            "message of the 'invalid Ed25519 public key' branch, which cannot be reached: _parse_key"
            " has already required 32 key bytes and the Ed25519 loader accepts any 32 bytes (it does"
            " not check the point; tried on 2000 random keys and all-zero/all-one keys)"
        )
        for n in (33, 34, 35, 36)
    },
    "ledger.audit.note.x_sign_note__mutmut_20": _CODEC,
    "ledger.audit.note.x_parse_checkpoint__mutmut_26": (
        "size line of up to 21 digits let past the length check: a 21-digit line is either"
        " >= 2**64 or has a leading zero, and the next check refuses both with the same message"
    ),
    "ledger.rules.satisfaction.x_compute_ikm__mutmut_26": (
        "sum(...) without the start Fraction(0): the sum then starts from the int 0, and"
        " 0 + Fraction is the same Fraction (a rule always has elements)"
    ),
    "api.dependencies.x_employee_writer__mutmut_13": (
        "looks the employee up even for a malformed NIP: the lookup answers NotFound for it, which"
        " is caught the same way, so the guard only saves a read"
    ),
    "api.commands.x_fingerprint__mutmut_5": "ensure_ascii=None instead of False: json treats both as false",
    **{
        f"api.commands.x_fingerprint__mutmut_{n}": (
            "model_dump mode other than 'json' (None, absent, 'JSON', 'XXjsonXX': pydantic treats them"
            " all as python mode): every request body field is a str, int, float, bool, None, list"
            " or str-enum, whose python and JSON dumps encode to the same text"
        )
        for n in (12, 14, 16, 17)
    },
    **{
        f"ledger.persistence.x\u01c1LedgerSQLiteRecorder\u01c1find_idempotency__mutmut_{n}": reason
        for n, reason in {
            1: "read-only transaction ended with commit=None, not False: nothing to commit or roll back",
            2: "read-only transaction committed instead of rolled back: it wrote nothing",
            8: "SQL keywords AND/WHERE in lower case: SQLite keywords are case-insensitive",
            9: "SQL identifiers upper-cased: SQLite identifiers and aliases are case-insensitive",
        }.items()
    },
    "ledger.discipline.authority.x_load_authority_tables__mutmut_3": (
        "read_text(encoding=None): the locale's encoding, UTF-8 wherever the suite and the service"
        " run; a test process cannot switch its locale encoding to tell them apart"
    ),
    "ledger.discipline.authority.x_load_authority_tables__mutmut_5": _CODEC,
    "ledger.discipline.inspection.x_sanction_ids__mutmut_1": (
        "default page size 1001 instead of 1000: every page is read either way"
    ),
    "ledger.discipline.inspection.x_sanction_ids__mutmut_2": (
        "start=None instead of 1: select_notifications without a start reads from the first id"
    ),
    "ledger.discipline.inspection.x_sanction_ids__mutmut_3": (
        "start=2 instead of 1: notification 1 is the first event ever stored, which cannot be a"
        " sanction (an agency and an employee must be registered first)"
    ),
    "ledger.audit.encoding.x_encode_leaf__mutmut_23": _CODEC,
    "ledger.audit.note.x__b64__mutmut_4": _CODEC,
    "ledger.audit.note.x__check_chars__mutmut_3": _CODEC,
    **{
        f"ledger.discipline.inspection.x__split__mutmut_{n}": (
            f"{change} on an id that has just matched EVENT_ID (uuid:version): it holds exactly one"
            " colon, so every split gives the same two parts"
        )
        for n, change in ((5, "rsplit without maxsplit"), (6, "split instead of rsplit"), (8, "maxsplit 2"))
    },
    "ledger.discipline.inspection.x__verify_with__mutmut_20": (
        "CitedEvent built with evidence_id None: the checks look cited events up by the mapping key"
        " and never read the field"
    ),
    "ledger.discipline.inspection.x__verify_with__mutmut_30": (
        "`<` instead of `<=` lets the sanction's own event into the appeal loop, which only keeps"
        " SanctionAppealFiled and SanctionAppealDecided events"
    ),
    "ledger.discipline.inspection.x__replay__mutmut_1": (
        "`and` for `or` in a guard that never fires: the events before a sanction always start"
        " with the employee's registration"
    ),
    **{
        f"api.dependencies.x__path_nip__mutmut_{n}": (
            "another default for a missing {nip} path parameter: every route using these"
            " dependencies has {nip} in its path"
        )
        for n in (3, 5, 8)
    },
    "api.commands.x_run_command__mutmut_31": (
        "fingerprint computed without an Idempotency-Key too: without a key it is never stored or compared"
    ),
    **{
        f"api.commands.x_run_command__mutmut_{n}": (
            "answer dumped in a mode other than 'json': the answer models hold only str and int"
        )
        for n in (63, 65, 66)
    },
    **{
        f"api.commands.x_run_command__mutmut_{n}": (
            "response header name re-cased: Starlette sends header names in lower case whatever"
            " the spelling, so the bytes on the wire are the same"
        )
        for n in (69, 70, 73, 74, 79, 80)
    },
    "api.auth.x_load_secret__mutmut_34": "secrets.token_bytes(None): its default length is 32 bytes",
    **{
        f"api.auth.x_load_secret__mutmut_{n}": (
            "tmp.unlink(missing_ok=...) changed: the temporary file always exists when it is removed"
            " (link() does not move it)"
        )
        for n in (43, 44)
    },
    "api.auth.x_issue_token__mutmut_63": (
        "jwt.encode without algorithm=: PyJWT's default algorithm is HS256, the one named"
    ),
    "ledger.audit.merkle.x_check_inclusion__mutmut_37": (
        "inner loop `fn != 1` instead of `fn != 0`: as in check_consistency, the loop runs only"
        " while fn is even and fn enters it non-zero, so fn is never 0 or 1 when the test is made"
    ),
    "ledger.audit.merkle.x_check_consistency__mutmut_96": (
        "inner loop `fn != 1` instead of `fn != 0`: the loop runs only while fn is even, and fn"
        " enters it non-zero (fn == sn and sn != 0), so fn is never 0 or 1 when the test is made"
    ),
    # The offline verifier (ledger/audit/verify/), run of 2026-12-07.
    **{
        f"ledger.audit.verify.format.{name}": _CODEC
        for name in ("x_parse_entry__mutmut_66", "x_load_verifier__mutmut_8", "x_read_text__mutmut_3")
    },
    **{
        f"ledger.audit.verify.format.x_parse_entry__mutmut_{n}": (
            "b'XXXX' instead of b'' as the leaf or chain hash of a line without a leaf index: such a"
            " line is reported as an unlogged event and its hashes are never read"
        )
        for n in (111, 123)
    },
    "ledger.audit.verify.format.x_open_checkpoint__mutmut_8": (
        "a note without a blank line parsed for its checkpoint too: the slice is then note[:0] == '',"
        " which parse_checkpoint refuses with NoteError, so the checkpoint is None as before"
    ),
    **{
        f"ledger.audit.verify.report.x_verify_stream_export__mutmut_{n}": (
            "_manifest called without the report: it adds a warning only when it returns None, and"
            " verify_stream_export then raises UnusableInput, so the report and its warnings are dropped"
        )
        for n in (12, 14)
    },
    **{
        f"ledger.audit.verify.report.x_verify_stream_export__mutmut_{n}": (
            "'signature' re-spelled in the kinds that do not count against the stream: the signature"
            " failure is appended to the report, never to scan.failures, so the name is never compared"
        )
        for n in (112, 113)
    },
    **{
        f"ledger.audit.verify.report.x__declared_stream__mutmut_{n}": (
            "text of a ValueError caught two lines below and replaced by a fixed UnusableInput message"
        )
        for n in (21, 22, 23)
    },
    **{
        f"ledger.audit.verify.report.x__bound__mutmut_{n}": (
            f"{change}: every previous-inconsistent, previous-truncated and equivocation failure is made"
            " by _check_kept with checkpoint=_label(kept) for a kept checkpoint in the list, so the"
            " search always finds its size"
        )
        for n, change in (
            (15, "next() without its default None"),
            (21, "`break` for `continue` when no size is found"),
        )
    },
    "ledger.audit.verify.report.x__label__mutmut_3": (
        "`(c) or True`: _label is called only in _bound, after `k.checkpoint is not None` was checked"
    ),
    "ledger.audit.verify.scan.x__check_stream__mutmut_2": (
        "`or` for `and` in an assertion that holds either way: both callers pass a line with a stored"
        " event, and parse_entry sets originator_id and originator_version together with state"
    ),
    **{
        f"ledger.audit.verify.scan.x__check_stream__mutmut_{n}": (
            "`version >= expected` for `version > expected` inside `if version != expected`: the two"
            " are never equal there"
        )
        for n in (17, 37)
    },
    "ledger.audit.verify.scan.x\u01c1Scan\u01c1__init____mutmut_1": (
        "Scan's default collect=True: Scan is internal and its one caller, verify_export, always"
        " passes collect="
    ),
    "ledger.audit.verify.scan.x\u01c1Scan\u01c1__init____mutmut_6": (
        "first_unrecomputable starting as '' instead of None: it is read only when the recomputed"
        " tree is gone, and _lose_leaf and _append set it whenever they drop that tree"
    ),
    **dict.fromkeys(
        (
            "ledger.audit.verify.scan.x\u01c1Scan\u01c1_lose_leaf__mutmut_4",
            "ledger.audit.verify.scan.x\u01c1Scan\u01c1_append__mutmut_7",
        ),
        "`shared` set to None instead of False: it is only tested for truth",
    ),
    "ledger.audit.verify.scan.x\u01c1Scan\u01c1_leaf__mutmut_18": (
        "`and` for `or` between state and originator_id being None: parse_entry sets both or neither"
    ),
    **dict.fromkeys(
        (
            "ledger.audit.verify.scan.x\u01c1Scan\u01c1_leaf__mutmut_32",
            "ledger.audit.verify.scan.x\u01c1StreamScan\u01c1__init____mutmut_6",
        ),
        "_Stream built with broken=None instead of False: it is only tested for truth",
    ),
    "ledger.audit.verify.scan.x\u01c1Scan\u01c1_leaf__mutmut_40": (
        "`or` for `and` in an assertion that holds either way: a line with state has topic and"
        " originator_version too (parse_entry)"
    ),
    "ledger.audit.verify.scan.x\u01c1StreamScan\u01c1__init____mutmut_18": (
        "last_index starting at -2 instead of -1: leaf indexes are non-negative, so the first one"
        " is greater than either and max() replaces it"
    ),
    "ledger.audit.verify.scan.x\u01c1StreamScan\u01c1feed__mutmut_1": (
        "obj starting as '' instead of None: it is read only through isinstance(obj, dict), false for both"
    ),
    **{
        f"ledger.audit.verify.scan.x\u01c1StreamScan\u01c1_leaf__mutmut_{n}": (
            "`and` for one `or` between state, topic and originator_version being None: parse_entry"
            " sets all three or none"
        )
        for n in (64, 65)
    },
    "ledger.audit.verify.scan.x\u01c1StreamScan\u01c1_leaf__mutmut_101": (
        "inclusion checked again with the recomputed leaf when it equals the published one: same"
        " leaf, same proof, same answer"
    ),
    "ledger.audit.verify.scan.x\u01c1StreamScan\u01c1finish__mutmut_19": (
        "`<=` for `<` inside `elif highest_version != declared_latest`: the two are never equal there"
    ),
    # projections/runner.py, run of 2026-12-07.
    **{
        f"projections.runner.x\u01c1ProjectionRunner\u01c1{name}": (
            "SQL keywords or unquoted identifiers re-cased: SQLite ignores their case and PostgreSQL"
            " folds unquoted identifiers to lower case (an alias too)"
        )
        for name in (
            "_building_generations__mutmut_6",
            "_building_generations__mutmut_7",
            "_lock_position__mutmut_5",
            "try_switch__mutmut_11",
            "_columns__mutmut_7",
            "_columns__mutmut_8",
            "_columns__mutmut_10",
            "_columns__mutmut_11",
        )
    },
    "projections.runner.x\u01c1ProjectionRunner\u01c1count_after__mutmut_2": (
        "transaction(write=None): the flag is only tested for truth, so it is the read-only"
        " transaction of write=False on both stores"
    ),
    "projections.runner.x\u01c1ProjectionRunner\u01c1_read__mutmut_5": (
        "inclusive_of_start=None: both recorders only test it for truth, so the start stays excluded"
    ),
    # _ready = None: mutant 25 in the run's code (5a2489c), 26 since 7dbc30b added a line above it.
    "projections.runner.x\u01c1ProjectionRunner\u01c1__init____mutmut_26": (
        "_ready starting as None instead of False: it is only tested for truth"
    ),
    "projections.runner.x\u01c1ProjectionRunner\u01c1try_switch__mutmut_8": (
        "FOR UPDATE dropped from the registry read on PostgreSQL: every transaction that writes the"
        " registry (setup, try_switch) runs in _ddl, which first takes the same transaction-level"
        " advisory lock, so the row lock never has anyone to wait for"
    ),
    **{
        f"projections.runner.x\u01c1ProjectionRunner\u01c1try_switch__mutmut_{n}": (
            "the compared old generation's Slot built with another position or active flag: its"
            " position is set from the tracking row before it is read, and its active flag is never read"
        )
        for n in (23, 24, 33, 34)
    },
    "projections.runner.x\u01c1ProjectionRunner\u01c1try_switch__mutmut_67": (
        "the old generation's position set to None once it is level: nothing reads it afterwards"
    ),
    **{
        f"projections.runner.x\u01c1ProjectionRunner\u01c1_diff__mutmut_{n}": (
            "the sample query run even when the count is 0: it then returns [] as well (same"
            " transaction; no runner writes either generation while the switch holds their"
            " tracking rows)"
        )
        for n in (65, 68)
    },
    **{
        f"projections.runner.x\u01c1ProjectionRunner\u01c1_listen__mutmut_{n}": (
            f"{change}: _listen is only called on PostgreSQL, whose recorder (LedgerPostgresRecorder,"
            " via eventsourcing's PostgresApplicationRecorder.__init__) always has channel_name"
        )
        for n, change in ((8, "getattr without its default"), (12, "True when there is no channel"))
    },
}


@dataclass
class Row:
    module: str
    counts: Counter[str] = field(default_factory=Counter)
    survivors: list[str] = field(default_factory=list)
    equivalent: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def score(self) -> float | None:
        denominator = self.total - len(self.equivalent) - self.counts["not checked"]
        detected = self.counts["killed"] + self.counts["timeout"]
        return None if denominator <= 0 else detected / denominator


def read_meta(meta: Path) -> dict[str, Any]:
    """A result file; mutmut rewrites it after every mutant, so a read can catch it half written."""
    for _ in range(10):
        try:
            data: dict[str, Any] = json.loads(meta.read_text(encoding="utf-8"))
            return data
        except json.JSONDecodeError:
            time.sleep(0.2)
    raise SystemExit(f"{meta} stays unreadable")


def module_of(name: str, modules: list[str]) -> str | None:
    for module in modules:
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in SCOPE[module]):
            return module
    return None


def collect(root: Path, modules: list[str]) -> dict[str, Row]:
    rows = {module: Row(module) for module in modules}
    for meta in sorted(root.rglob("*.py.meta")):
        data = read_meta(meta)
        for name, code in data.get("exit_code_by_key", {}).items():
            module = module_of(name, modules)
            if module is None:
                continue
            row = rows[module]
            status = STATUS_BY_EXIT_CODE.get(code, "suspicious")
            row.counts[status] += 1
            if status == "survived" and name in EQUIVALENT:
                row.equivalent.append(name)
            elif status in ("survived", "no tests", "suspicious", "timeout"):
                row.survivors.append(f"{name}: {status}")
    return rows


def unchecked(root: Path, modules: list[str]) -> list[str]:
    """In-scope mutants without a result: an interrupted run resumes with exactly these
    (mutmut reruns every mutant its command line names, so naming the patterns again would
    start over)."""
    names = []
    for meta in sorted(root.rglob("*.py.meta")):
        data = read_meta(meta)
        names += [
            name
            for name, code in data.get("exit_code_by_key", {}).items()
            if code is None and module_of(name, modules) is not None
        ]
    return names


def table(rows: dict[str, Row]) -> str:
    head = "| module | mutants | killed | survived | equivalent | timeout | no tests | not run | score |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows.values():
        score = "n/a" if row.score is None else f"{100 * row.score:.1f}%"
        c = row.counts
        lines.append(
            f"| {row.module} | {row.total} | {c['killed']} | {c['survived'] - len(row.equivalent)} "
            f"| {len(row.equivalent)} | {c['timeout']} | {c['no tests']} | {c['not checked']} | {score} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=Path("mutants"))
    parser.add_argument("--only", nargs="*", choices=list(SCOPE), help="modules to report (default: all)")
    parser.add_argument("--patterns", action="store_true", help="print the mutmut name patterns and exit")
    parser.add_argument(
        "--unchecked", action="store_true", help="print the names of in-scope mutants not run yet and exit"
    )
    parser.add_argument("--equivalent", action="store_true", help="print the equivalent list (Markdown)")
    parser.add_argument("--sample", type=int, help="with --unchecked: at most this many, evenly spread")
    parser.add_argument(
        "--survivors", action="store_true", help="also list every survivor not marked equivalent"
    )
    args = parser.parse_args(argv)
    modules = args.only or list(SCOPE)
    if args.patterns:
        print(" ".join(pattern for module in modules for pattern in SCOPE[module]))
        return 0
    if not args.mutants.is_dir():
        print(f"no {args.mutants}/: run `make mutate` first", file=sys.stderr)
        return 1
    if args.equivalent:
        for name, reason in EQUIVALENT.items():
            print(f"- `{name}`: {reason}.")
        return 0
    if args.unchecked:
        names = unchecked(args.mutants, modules)
        if args.sample:
            # every k-th name, so a partial run still spreads over the whole module
            names = names[:: max(1, len(names) // args.sample)][: args.sample]
        print(" ".join(names))
        return 0
    rows = collect(args.mutants, modules)
    print(table(rows))
    if args.survivors:
        for row in rows.values():
            for line in row.survivors:
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Check that given tests kill given mutants, each applied by hand to a private copy of the tree.

    tools/mutant_check.py --tests tests/test_nip_edges.py -- ledger.nip.x_parse_nip__mutmut_6 ...

Run from a directory holding mutmut's mutants/ (after `make mutate` or a partial run). For each
mutant the diff `mutmut show` prints is applied to a fresh copy of ledger/,
projections/, api/ and tests/ in a temporary directory, and the tests run there: the tree in
place is never touched, so engineers working on it meanwhile see no mutant. The tests must pass
on the unpatched copy first; then each mutant is "killed" when they fail.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent
COPIED = ("ledger", "projections", "api", "tests", "pyproject.toml")


def fresh_copy(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir()
    for name in COPIED:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, target / name)


def run_tests(tree: Path, tests: list[str]) -> bool:
    env = {**os.environ, "LEDGER_TEST_STORES": os.environ.get("LEDGER_TEST_STORES", "sqlite")}
    done = subprocess.run(
        [str(BIN / "python"), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0


def apply_mutant(name: str, tree: Path) -> None:
    """Apply the one-hunk diff `mutmut show` prints. Its line numbers count from the function,
    so the hunk is located by its text, which must occur exactly once in the file."""
    done = subprocess.run([str(BIN / "mutmut"), "show", name], capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("--- "))
    path = tree / lines[start][4:].strip()
    hunk = [line for line in lines[start + 3 :] if line[:1] in (" ", "-", "+")]
    text = path.read_text(encoding="utf-8")
    # Methods are shown dedented: try the hunk at each indentation depth.
    for indent in ("", "    ", "        "):
        old = "".join(_indented(line[1:], indent) for line in hunk if line[0] in " -")
        new = "".join(_indented(line[1:], indent) for line in hunk if line[0] in " +")
        if text.count(old) == 1:
            path.write_text(text.replace(old, new), encoding="utf-8")
            return
    raise SystemExit(f"{name}: the hunk does not occur exactly once in {path.name}")


def _indented(line: str, indent: str) -> str:
    return indent + line if line.strip() else line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", nargs="+", required=True)
    parser.add_argument("--source", type=Path, default=Path("."), help="tree to copy (default: .)")
    parser.add_argument("mutants", nargs="+")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mutant-check-") as tmp:
        tree = Path(tmp) / "tree"
        fresh_copy(args.source, tree)
        if not run_tests(tree, args.tests):
            print("the tests fail on the unmutated tree", file=sys.stderr)
            return 2
        survivors = 0
        for name in args.mutants:
            fresh_copy(args.source, tree)
            apply_mutant(name, tree)
            killed = not run_tests(tree, args.tests)
            survivors += not killed
            print(f"{'killed  ' if killed else 'SURVIVED'} {name}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())

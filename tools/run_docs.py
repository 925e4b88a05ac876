"""Run the command blocks of the documentation and compare their output with what the page shows.

    python tools/run_docs.py README.md docs/API.md        (make docs-test)

The rules (docs/TESTING.md, "Executed documentation"):

- Every ```console block of a page runs, in order, in one bash process per page started in the
  checkout's root, so a variable or a background server set in one block is there in the next.
  Another fenced shell block (```sh, ```bash, ```shell) is refused unless the line before it is
  `<!-- not run: REASON -->`.
- A command is a line starting with `$ `, with its continuation lines starting with `> `. The
  lines after it, up to the next command or the end of the block, are its expected output
  (stdout and stderr together, as a terminal shows them; trailing blank lines ignored).
- A command must exit 0: a page shows a refusal with `|| echo "exit $?"`. The first failure
  stops the page.
- Before comparing, both sides are normalised: random (version 4) UUIDs become `<uuid>`, RFC
  3339 timestamps `<time>`, JWTs `<token>`, the `date:` and `content-length:` headers' values
  `<...>`, CRLF becomes LF, trailing spaces go. An expected line that is `...` matches any
  number of lines; `...` inside a line matches any text.
- The ports 8000 to 8009 in `127.0.0.1:PORT` and `--port PORT` of a command (and in its output)
  are replaced by free ports of this machine, so a page can name the usual address while CI runs
  it beside other services.

Written by hand: doctest, pytest-console-scripts and cram compare a whole transcript but keep
neither one shell session across blocks nor these normalisations of a live service's output.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHELL_FENCES = ("sh", "bash", "shell", "zsh")
NOT_RUN = re.compile(r"^<!-- not run: .+ -->$")
DOC_PORTS = range(8000, 8010)
DOC_PORT = re.compile(r"(127\.0\.0\.1:|--port )(800\d)\b")
PAGE_TIMEOUT_S = int(os.environ.get("DOCS_PAGE_TIMEOUT", "900"))

_NORMALISE = [
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\b"), "<uuid>"),
    (
        re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})\b"),
        "<time>",
    ),
    (re.compile(r"\beyJ[\w-]+\.[\w-]+\.[\w-]+"), "<token>"),
    (re.compile(r"^(date|content-length): .*$", re.IGNORECASE | re.MULTILINE), r"\1: <...>"),
]


@dataclass
class Command:
    line: int  # where the command starts in the page (1-based)
    text: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Failure:
    command: Command
    message: str
    actual: list[str] = field(default_factory=list)  # what ran, port restored, not normalised


def normalise(text: str) -> str:
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    for pattern, replacement in _NORMALISE:
        text = pattern.sub(replacement, text)
    return text


def commands_of(page: str) -> list[Command]:
    """The commands of the page's console blocks; a shell block not marked `not run` is an error."""
    out: list[Command] = []
    lines = page.splitlines()
    i = 0
    while i < len(lines):
        fence = lines[i].strip()
        if not fence.startswith("```"):
            i += 1
            continue
        kind = fence[3:].strip()
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == "```"), len(lines))
        commands_inside = kind == "" and any(line.startswith("$ ") for line in lines[i + 1 : end])
        marked = i > 0 and NOT_RUN.match(lines[i - 1].strip()) is not None
        if (kind in SHELL_FENCES or commands_inside) and not marked:
            raise ValueError(
                f"line {i + 1}: a ```{kind} block is neither run (```console) nor marked "
                "<!-- not run: REASON -->"
            )
        if kind == "console":
            current: Command | None = None
            for j in range(i + 1, end):
                text = lines[j]
                if text.startswith("$ "):
                    current = Command(j + 1, text[2:])
                    out.append(current)
                elif text.startswith("> ") and current is not None and not current.expected:
                    current.text += "\n" + text[2:]
                elif current is None:
                    if text.strip():
                        raise ValueError(f"line {j + 1}: output before the block's first `$ ` command")
                else:
                    current.expected.append(text)
        i = end + 1
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; `...` alone matches any lines, `...` inside a line any text."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(matches(rest, actual[k:]) for k in range(len(actual) + 1))
    if not actual:
        return False
    pattern = ".*".join(re.escape(part) for part in head.split("..."))
    return re.fullmatch(pattern, actual[0]) is not None and matches(rest, actual[1:])


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_page(path: Path, env: dict[str, str] | None = None) -> tuple[int, list[Failure]]:
    """Run a page's commands in one bash process; (commands run, failures)."""
    commands = commands_of(path.read_text(encoding="utf-8"))
    ports = {str(p): str(free_port()) for p in DOC_PORTS}
    back = {v: k for k, v in ports.items()}
    marker = f"@@doc-{uuid.uuid4().hex}"
    script = []
    for n, c in enumerate(commands):
        script.append(DOC_PORT.sub(lambda m: m[1] + ports[m[2]], c.text))
        # The marker on a line of its own even after output without a final newline.
        script.append(f'__s=$?; printf "\\n{marker} {n} $__s\\n"; [ $__s -eq 0 ] || exit $__s')
    with tempfile.TemporaryDirectory() as scratch:
        script_path = Path(scratch) / "page.sh"
        script_path.write_text("exec 2>&1\n" + "\n".join(script) + "\n", encoding="utf-8")
        proc = subprocess.Popen(
            ["bash", "--noprofile", "--norc", str(script_path)],
            cwd=ROOT,
            env=env if env is not None else dict(os.environ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            start_new_session=True,  # the page's background server goes with the process group
        )
        try:
            output, _ = proc.communicate(timeout=PAGE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output, _ = proc.communicate()
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)  # what the page left running
    text = output.decode("utf-8", errors="replace")
    chunks = re.split(rf"^{marker} (\d+) (\d+)\n", text, flags=re.MULTILINE)
    # chunks: [out0, n0, status0, out1, n1, status1, ..., trailing]
    failures: list[Failure] = []
    ran = 0
    for k in range(0, len(chunks) - 1, 3):
        n, status = int(chunks[k + 1]), int(chunks[k + 2])
        c = commands[n]
        ran += 1
        printed = re.sub(r"(127\.0\.0\.1:|--port )(\d+)", lambda m: m[1] + back.get(m[2], m[2]), chunks[k])
        raw = _trim(printed.replace("\r\n", "\n").split("\n"))
        actual = _trim(normalise("\n".join(raw)).split("\n"))
        expected = _trim(normalise("\n".join(c.expected)).split("\n")) if c.expected else []
        if status != 0:
            failures.append(Failure(c, f"exit status {status}\n" + "\n".join(actual), raw))
            break
        if not matches(expected, actual):
            failures.append(Failure(c, _diff(expected, actual), raw))
    if ran < len(commands) and not failures:
        c = commands[ran]
        failures.append(Failure(c, f"did not finish (page timeout {PAGE_TIMEOUT_S} s?)"))
    return ran, failures


def _diff(expected: list[str], actual: list[str]) -> str:
    import difflib

    return "\n".join(difflib.unified_diff(expected, actual, "page", "ran", lineterm="", n=2))


def write_back(page: Path, failures: list[Failure]) -> None:
    """Replace each differing command's expected output with what it printed (for a writer who
    then reads the diff, and puts back `...` where the output may vary)."""
    lines = page.read_text(encoding="utf-8").splitlines()
    for f in sorted(failures, key=lambda f: f.command.line, reverse=True):
        start = f.command.line + f.command.text.count("\n")  # 0-based index after the command
        end = start + len(f.command.expected)
        old = lines[start:end]
        blank_tail = len(old) - len(_trim(old))
        lines[start:end] = [*f.actual, *([""] * blank_tail)]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument(
        "--write", action="store_true", help="write what differing commands printed into the page"
    )
    args = parser.parse_args(argv)
    status = 0
    for page in args.pages:
        try:
            ran, failures = run_page(page)
        except ValueError as e:
            print(f"{page}: {e}", file=sys.stderr)
            status = 1
            continue
        total = len(commands_of(page.read_text(encoding="utf-8")))
        print(f"{page}: {ran} of {total} commands run, {len(failures)} differ")
        for f in failures:
            print(f"\n{page}:{f.command.line}: $ {f.command.text}\n{f.message}\n", file=sys.stderr)
        if args.write and failures:
            write_back(page, failures)
        status = status or (1 if failures or ran < total else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())

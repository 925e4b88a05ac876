"""tools/run_docs.py: the runner that executes the documentation must notice what drifted."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.paths import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import run_docs


def _page(tmp_path: Path, text: str) -> Path:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    return page


def test_a_matching_page_passes_and_state_carries_across_blocks(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "```console\n$ X=3; echo $X\n3\n```\n\ntext\n\n```console\n$ echo $((X + 1))\n4\n"
        "$ printf 'a\\nb\\nc\\n'\na\n...\n$ echo id 1b4e28ba-2fa1-41d2-883f-0016d3cca427 at 2026-01-02T03:04:05Z\n"
        "id 9f0e28ba-2fa1-4000-883f-0016d3cca427 at 2027-11-12T13:14:15.123456+07:00\n$ echo one two three\n"
        "one ... three\n```\n",
    )
    assert run_docs.run_page(page) == (5, [])


def test_a_changed_output_is_a_failure_with_a_diff(tmp_path: Path) -> None:
    page = _page(tmp_path, "```console\n$ echo 41\n42\n$ echo next\nnext\n```\n")
    ran, failures = run_docs.run_page(page)
    assert ran == 2
    assert [(f.command.line, f.message) for f in failures] == [
        (2, "--- page\n+++ ran\n@@ -1 +1 @@\n-42\n+41")
    ]


def test_a_failing_command_stops_the_page(tmp_path: Path) -> None:
    page = _page(tmp_path, "```console\n$ false\n$ echo never\nnever\n```\n")
    ran, failures = run_docs.run_page(page)
    assert (ran, [(f.command.text, f.message) for f in failures]) == (1, [("false", "exit status 1\n")])


def test_a_refusal_is_shown_with_its_exit_status(tmp_path: Path) -> None:
    page = _page(
        tmp_path, '```console\n$ ls /nonexistent-kl >/dev/null 2>&1 || echo "exit $?"\nexit 2\n```\n'
    )
    assert run_docs.run_page(page) == (1, [])


def test_deterministic_ids_are_compared(tmp_path: Path) -> None:
    """Only random (version 4) UUIDs are normalised: the ledger's uuid5 stream ids must match."""
    page = _page(
        tmp_path,
        "```console\n$ echo bfb7441e-b89b-5478-97a5-dc0085c960b2:3\nbfb7441e-b89b-5478-97a5-dc0085c960b2:4\n```\n",
    )
    assert len(run_docs.run_page(page)[1]) == 1


def test_a_shell_block_must_run_or_say_why_not(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="neither run"):
        run_docs.commands_of("```sh\nmake test\n```\n")
    with pytest.raises(ValueError, match="neither run"):
        run_docs.commands_of("```\n$ curl x\n```\n")
    assert run_docs.commands_of("<!-- not run: it runs the suite -->\n```sh\nmake test\n```\n") == []


def test_the_usual_port_is_replaced_by_a_free_one(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "```console\n$ echo http://127.0.0.1:8000/x --port 8001\nhttp://127.0.0.1:8000/x --port 8001\n```\n",
    )
    assert run_docs.run_page(page) == (1, [])
    # The command itself got another port: 8000 is not what ran.
    page = _page(
        tmp_path, "```console\n$ echo 127.0.0.1:8000 | grep -v ':8000$' | wc -l | tr -d ' '\n1\n```\n"
    )
    assert run_docs.run_page(page) == (1, [])


def test_continuation_lines(tmp_path: Path) -> None:
    page = _page(tmp_path, "```console\n$ echo a \\\n>   b\na b\n```\n")
    assert run_docs.run_page(page) == (1, [])

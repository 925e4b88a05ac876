"""The test configuration itself: what CI relies on to be reproducible."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.paths import ROOT

PROBE = "import tests.conftest; from hypothesis import settings; d = settings.default; print(d.derandomize, d.database)"


def _profile(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_ci_run_selects_the_derandomized_profile() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    assert "export HYPOTHESIS_PROFILE=ci" in script.splitlines()
    assert _profile({"HYPOTHESIS_PROFILE": "ci"}) == "True None"


def test_a_ci_variable_alone_also_derandomizes() -> None:
    assert _profile({"CI": "true"}) == "True None"


def test_developer_runs_explore() -> None:
    derandomize, _database = _profile({}).split(" ", 1)
    assert derandomize == "False"

"""Sampling profiles of the benchmarks' hot paths with py-spy (docs/PERFORMANCE.md).

`record(pid, seconds, out)` samples a running process (the HTTP server under load, a child
running the verifier); `top(out)` reads py-spy's collapsed stacks back as the frames that hold
the most samples: by itself ("self") and with what it calls ("total")."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path


def py_spy() -> str:
    return str(Path(sys.executable).with_name("py-spy"))


def record(pid: int, seconds: float, out: Path, *, subprocesses: bool = False) -> subprocess.Popen[bytes]:
    """Start sampling `pid` for `seconds` into `out`: 100 Hz, only the thread holding the GIL (what
    one interpreter's CPU is spent on; a thread waiting for the store or a lock is not counted)."""
    command = [py_spy(), "record", "--pid", str(pid), "--duration", str(int(seconds)), "--format", "raw"]
    command += ["--rate", "100", "--output", str(out), "--nonblocking", "--gil"]
    if subprocesses:
        command.append("--subprocesses")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def top(collapsed: Path, n: int = 12) -> list[dict[str, object]]:
    """The `n` frames with the most samples by themselves, with their share of every sample."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        samples += count
        frames = [f.split(" (")[0] + " " + _where(f) for f in stack.split(";")]
        own[frames[-1]] += count
        for frame in set(frames):
            total[frame] += count
    return [
        {
            "frame": frame,
            "self_pct": round(100 * c / samples, 1),
            "total_pct": round(100 * total[frame] / samples, 1),
        }
        for frame, c in own.most_common(n)
    ]


def _where(frame: str) -> str:
    """`func (path/to/file.py:12)` -> `(file.py:12)`, short enough for a table."""
    inside = frame.partition(" (")[2].rstrip(")")
    return f"({inside.rsplit('/', 1)[-1]})" if inside else ""


if __name__ == "__main__":
    for row in top(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 15):
        print(f"{row['self_pct']:5.1f}% self {row['total_pct']:5.1f}% total  {row['frame']}")

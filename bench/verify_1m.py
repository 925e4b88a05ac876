"""Benchmark: `ledger audit verify` on a synthetic export of 1,000,000 events.

    .venv/bin/python bench/verify_1m.py                 # 1,000,000 events in a temporary directory
    .venv/bin/python bench/verify_1m.py --events 100000 --dir /tmp/export --keep

Generates an export exactly as `ledger audit export` writes it (same leaf encoding, chain,
Merkle root, Ed25519-signed checkpoint), with 5,000 streams and stored states of 300-600 bytes
shaped like the ledger's JSON events, plus a checkpoint "kept" at half the size. Then runs the
real command, `ledger audit verify DIR --key DIR/log.vkey --previous DIR/kept-checkpoint`, in a
child process and reports its wall time and peak memory (max RSS, from /usr/bin/time -v when
present, else getrusage of the child). The figures go into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from ledger.audit.encoding import GENESIS_CHAIN, chain_hash, event_leaf_hash
from ledger.audit.merkle import MerkleAccumulator
from ledger.audit.note import format_checkpoint, generate_signer, parse_signer_key, sign_note
from ledger.audit.verify import CHECKPOINT_FILE, EVENTS_FILE, EXPORT_FORMAT, KEY_FILE, MANIFEST_FILE

ORIGIN = "kinerja-ledger/bench"
TOPICS = [
    "ledger.domain.employee:Employee.TrainingRecorded",
    "ledger.domain.employee:Employee.AppraisalRecorded",
    "ledger.domain.employee:Employee.FeedbackRecorded",
    "ledger.domain.service_unit:ServiceUnit.SurveySubmitted",
]
WORDS = ["pelatihan", "kepemimpinan", "pelayanan", "publik", "manajemen", "aparatur", "sipil", "kinerja"]


def synthetic_state(rng: random.Random, i: int) -> bytes:
    """A stored state shaped like the ledger's events, 300-600 bytes."""
    state = {
        "timestamp": {"_type_": "datetime_iso", "_data_": f"2026-03-02T02:{i % 60:02d}:00.000000+00:00"},
        "recorded_at": {"_type_": "datetime_iso", "_data_": f"2026-03-02T02:{i % 60:02d}:00.000000+00:00"},
        "effective_date": {"_type_": "date_iso", "_data_": "2026-01-10"},
        "recorded_by": {"sub": "hr-bkpsdm", "role": "hr"},
        "correlation_id": str(uuid.UUID(int=rng.getrandbits(128))),
        "rule_version": "TRAINING-2024.1",
        "decree_number": None,
        "decree_date": None,
        "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))),
        "hours_jp": rng.randint(2, 40),
        "provider": "BKPSDM Kota Binjai",
    }
    raw = json.dumps(state, separators=(",", ":")).encode()
    target = rng.randint(300, 600)
    if len(raw) < target:
        state["note"] = "x" * (target - len(raw) - 10)
        raw = json.dumps(state, separators=(",", ":")).encode()
    return raw


def generate(directory: Path, events: int, streams: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    secret, vkey = generate_signer(ORIGIN)
    signer = parse_signer_key(secret)
    ids = [uuid.UUID(int=rng.getrandbits(128), version=5) for _ in range(streams)]
    versions = [0] * streams
    chains = [GENESIS_CHAIN] * streams
    tree = MerkleAccumulator()
    half = events // 2
    kept = ""
    started = time.perf_counter()
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / EVENTS_FILE).open("w", encoding="utf-8") as out:
        for i in range(events):
            s = rng.randrange(streams)
            versions[s] += 1
            topic = TOPICS[i % len(TOPICS)]
            state = synthetic_state(rng, i)
            leaf = event_leaf_hash(i, ids[s], versions[s], topic, state)
            chains[s] = chain_hash(chains[s], leaf)
            tree.append(leaf)
            out.write(
                json.dumps(
                    {
                        "leaf_index": i,
                        "position": i + 1 + i // 1000,  # notification ids with a few gaps
                        "leaf_hash": leaf.hex(),
                        "chain_hash": chains[s].hex(),
                        "event_id": f"{ids[s]}:{versions[s]}",
                        "originator_id": str(ids[s]),
                        "originator_version": versions[s],
                        "topic": topic,
                        "state": base64.b64encode(state).decode(),
                    },
                    separators=(",", ":"),
                )
                + "\n"
            )
            if tree.size == half:
                kept = sign_note(format_checkpoint(ORIGIN, half, tree.root()), signer)
    note = sign_note(format_checkpoint(ORIGIN, events, tree.root()), signer)
    (directory / CHECKPOINT_FILE).write_text(note)
    (directory / KEY_FILE).write_text(vkey + "\n")
    (directory / "kept-checkpoint").write_text(kept)
    manifest = {"format": EXPORT_FORMAT, "origin": ORIGIN, "size": events, "lines": events}
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest) + "\n")
    return {
        "generate_s": round(time.perf_counter() - started, 1),
        "events_file_mb": round((directory / EVENTS_FILE).stat().st_size / 1e6, 1),
    }


def ledger_command() -> list[str]:
    script = Path(sys.executable).with_name("ledger")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from api.cli import main; main()"]


def timed_verify(directory: Path) -> dict[str, object]:
    command = [
        *ledger_command(),
        "audit",
        "verify",
        str(directory),
        "--key",
        str(directory / KEY_FILE),
        "--previous",
        str(directory / "kept-checkpoint"),
    ]
    use_time = Path("/usr/bin/time").exists()
    full = ["/usr/bin/time", "-v", *command] if use_time else command
    started = time.perf_counter()
    proc = subprocess.run(full, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if use_time:
        fields = dict(line.strip().rsplit(": ", 1) for line in proc.stderr.splitlines() if ": " in line)
        peak_kb = int(fields["Maximum resident set size (kbytes)"])
        cpu_s = float(fields["User time (seconds)"]) + float(fields["System time (seconds)"])
    else:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_kb, cpu_s = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    report = json.loads(proc.stdout)
    return {
        "command": " ".join(command),
        "exit_status": proc.returncode,
        "ok": report.get("ok"),
        "leaves_verified": report.get("leaves", {}).get("count"),
        "streams_verified": report.get("streams", {}).get("count"),
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu_s, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--streams", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument(
        "--dir", type=Path, default=None, help="where to write the export (default: a temp dir)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the export afterwards")
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.mkdtemp(prefix="verify-1m-"))
    try:
        result: dict[str, object] = {"events": args.events, "streams": args.streams}
        result.update(generate(directory, args.events, args.streams, args.seed))
        result.update(timed_verify(directory))
        result["python"] = sys.version.split()[0]
        result["cpus"] = os.cpu_count()
        print(json.dumps(result, indent=2))
        if result["exit_status"] != 0:
            sys.exit(1)
    finally:
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()

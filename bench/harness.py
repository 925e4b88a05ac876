"""What every benchmark of the suite shares: the run's context (scale, fresh stores, the generated
city), and the result a benchmark hands back (figure and baseline from repeated runs).

A benchmark module has `ID`, `TITLE` and `run(ctx: Context) -> list[Result]`; bench/suite.py
lists the modules, runs them, prints the table and writes the JSON.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import psycopg

from ledger.config import Settings

Store = Literal["sqlite", "postgres"]
STORES: tuple[Store, ...] = ("sqlite", "postgres")
ADMIN_URL = os.environ.get("LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

# Sizes by scale. `events`: the city store the read benchmarks use (B3, B4, B6); the others are
# sized so that `make bench` (small) stays under ten minutes on the 2-core machine (the verifier's
# start-up would dominate a small export, hence its own size).
SCALES: dict[str, dict[str, Any]] = {
    "small": {
        "events": 20_000,
        "repeats": 3,
        "heavy_repeats": 3,
        "ingest_s": 5.0,
        "import_events": 10_000,
        "verify_events": 120_000,  # 130 MB: above the verifier's threshold for its parallel pass
    },
    "full": {
        "events": 1_000_000,
        "repeats": 3,
        # B2, B3 and B4 over 1,000,000 events take 10-30 minutes each on the 2-core machine: once.
        "heavy_repeats": 1,
        "ingest_s": 20.0,
        "import_events": 1_000_000,
        "verify_events": 1_000_000,
    },
}


@dataclass(frozen=True)
class Measure:
    """One figure measured `len(runs)` times; the median is what the table shows."""

    runs: tuple[float, ...]
    unit: str

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def spread(self) -> tuple[float, float]:
        return min(self.runs), max(self.runs)

    def as_dict(self) -> dict[str, Any]:
        low, high = self.spread
        return {"median": self.median, "min": low, "max": high, "runs": list(self.runs), "unit": self.unit}


@dataclass
class Result:
    """One row of the table. `ratio` is figure / baseline (medians); `met` is decided by the
    benchmark (its target may combine the ratio and the absolute figure)."""

    id: str  # "B1"
    name: str  # what was measured, with the store
    figure: Measure
    target: str
    met: bool
    baseline: Measure | None = None
    baseline_name: str = ""
    details: dict[str, Any] = field(default_factory=dict)  # latencies, counts, profile notes

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline.median == 0:
            return None
        return self.figure.median / self.baseline.median

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["figure"] = self.figure.as_dict()
        data["baseline"] = self.baseline.as_dict() if self.baseline else None
        data["ratio"] = self.ratio
        return data


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else 0.0


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


@dataclass
class Context:
    scale: str
    workdir: Path
    admin_url: str = ADMIN_URL
    overrides: dict[str, Any] = field(default_factory=dict)
    _cities: dict[int, Path] = field(default_factory=dict)
    # City stores are built once per run and shared by the benchmarks that read them (B3, B4):
    # at 1,000,000 events the import alone takes many minutes per store.
    _city_stores: dict[tuple[Store, int], Settings] = field(default_factory=dict)
    _cleanup: ExitStack = field(default_factory=ExitStack)

    def close(self) -> None:
        """Remove the shared city stores."""
        self._cleanup.close()
        self._city_stores.clear()

    def size(self, name: str) -> Any:
        return self.overrides.get(name, SCALES[self.scale][name])

    @property
    def events(self) -> int:
        return int(self.size("events"))

    @property
    def repeats(self) -> int:
        return int(self.size("repeats"))

    @property
    def stores(self) -> list[Store]:
        """The store kinds to measure: both, unless `--set postgres=0` (or `sqlite=0`)."""
        return [store for store in STORES if int(self.overrides.get(store, 1))]

    @property
    def heavy_repeats(self) -> int:
        """Repeats of the benchmarks that import or read the whole city (B2, B3, B4); `--set
        repeats=N` sets both."""
        return int(self.overrides.get("repeats", self.size("heavy_repeats")))

    def profile_path(self, name: str) -> Path | None:
        """Where a benchmark's py-spy profile goes when the run asked for profiles (`--profile`)."""
        if not self.overrides.get("profile"):
            return None
        directory = Path(self.overrides.get("profile_dir", "var/bench/profiles"))
        directory.mkdir(parents=True, exist_ok=True)
        return directory / f"{name}-{self.scale}.txt"

    def profile_top(self, name: str) -> list[dict[str, object]]:
        """The top frames of a profile recorded by `profile_path(name)` (empty when none)."""
        from bench.profiles import top

        path = self.profile_path(name)
        deadline = time.monotonic() + 15
        while path is not None and not path.exists() and time.monotonic() < deadline:
            time.sleep(0.5)  # py-spy writes its file when its duration is over
        return top(path) if path is not None and path.exists() else []

    def log(self, message: str) -> None:
        print(f"  [{time.strftime('%H:%M:%S')}] {message}", flush=True)

    # ------------------------------------------------------------------ fresh stores

    @contextmanager
    def postgres_database(self) -> Iterator[str]:
        """A new, empty PostgreSQL database (its URL), dropped afterwards."""
        name = f"kl_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{self.admin_url.rsplit('/', 1)[0]}/{name}"
        finally:
            with psycopg.connect(self.admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @contextmanager
    def scratch_dir(self) -> Iterator[Path]:
        path = Path(tempfile.mkdtemp(prefix="store-", dir=self.workdir))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    @contextmanager
    def empty_store(self, store: Store) -> Iterator[Settings]:
        """Settings of a new, empty ledger store (a fresh SQLite file or PostgreSQL database),
        removed afterwards. The data dir (token secret, exports) is a fresh directory too."""
        with self.scratch_dir() as data_dir:
            if store == "sqlite":
                yield Settings(f"sqlite:///{data_dir / 'ledger.db'}", data_dir, "kinerja-ledger/bench")
            else:
                with self.postgres_database() as url:
                    yield Settings(url, data_dir, "kinerja-ledger/bench")

    # ------------------------------------------------------------------ the generated city

    def city_file(self, events: int | None = None) -> Path:
        """The generated NDJSON history of `events` lines (seeded: the same bytes each run), written
        once per run and size."""
        from bench.city import write_city

        count = events or self.events
        if count not in self._cities:
            path = self.workdir / f"city-{count}.ndjson"
            started = time.perf_counter()
            write_city(path, count)
            self.log(f"generated {path.name} in {time.perf_counter() - started:.1f} s")
            self._cities[count] = path
        return self._cities[count]

    @contextmanager
    def city_store(self, store: Store, events: int | None = None) -> Iterator[Settings]:
        """A store holding the generated city, built by `ledger import`'s code path (the bulk
        path) the first time a run asks for it, then shared with the run's later benchmarks (its
        read models as the previous one left them), removed when the run ends."""
        key = (store, events or self.events)
        if key not in self._city_stores:
            self._city_stores[key] = self._build_city(store, events)
        yield self._city_stores[key]

    @contextmanager
    def city_store_to_fill(self, store: Store, events: int) -> Iterator[Settings]:
        """An empty store that a benchmark fills with the city of `events` events by the import
        path (B2 does); it becomes the run's shared city store of that size if the run has none
        yet, else it is removed afterwards like any empty store."""
        if (store, events) in self._city_stores:
            with self.empty_store(store) as settings:
                yield settings
            return
        settings = self._cleanup.enter_context(self.empty_store(store))
        yield settings
        self._city_stores[(store, events)] = settings

    def _build_city(self, store: Store, events: int | None) -> Settings:
        from ledger.application import KinerjaLedger
        from ledger.importing import import_file

        path = self.city_file(events)
        settings = self._cleanup.enter_context(self.empty_store(store))
        ledger = KinerjaLedger(settings)
        try:
            started = time.perf_counter()
            report = import_file(ledger, path)
            if report.refused:
                raise RuntimeError(f"the generated city was refused: {report.refused[:3]}")
            seconds = time.perf_counter() - started
            self.log(f"imported {report.imported:,} lines into {store} in {seconds:.1f} s")
        finally:
            ledger.close()
        return settings

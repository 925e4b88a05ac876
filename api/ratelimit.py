"""Per-client rate limits on the public write routes (surveys): a token bucket per client address.

Anonymous writes are the one door anyone can push through; without a limit one client can flood
an officer's satisfaction score in a second. Kept in memory per process (several API processes
behind a proxy each keep their own buckets: docs/SCALING.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from ledger.config import Settings

MAX_CLIENTS = 100_000  # buckets kept; the least recently seen are forgotten first


@dataclass(frozen=True)
class RateLimit:
    burst: int  # writes a client may make at once
    per_minute: float  # and then at this sustained rate

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimit:
        return cls(burst=settings.public_burst, per_minute=settings.public_per_minute)

    def __post_init__(self) -> None:
        if self.burst < 1 or not 0 < self.per_minute <= 1_000_000:
            raise ValueError("LEDGER_PUBLIC_BURST must be >= 1 and LEDGER_PUBLIC_PER_MINUTE in (0, 1e6]")


class RateLimiter:
    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()  # plain `def` routes run in a thread pool

    def take(self, key: str) -> float | None:
        """Spend one write for `key`; None if allowed, else the seconds until one is."""
        rate = self.limit.per_minute / 60
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.pop(key, (float(self.limit.burst), now))
            tokens = min(float(self.limit.burst), tokens + (now - at) * rate)
            allowed = tokens >= 1
            if allowed:
                tokens -= 1
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
        return None if allowed else max(1.0, math.ceil((1 - tokens) / rate))

"""Prometheus metrics: requests by route template and status, events appended, projection lag.

Each app has its own registry (tests build many apps in one process). Labels carry route
templates, never raw paths, so no NIP reaches the metrics.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from ledger.application import CommandResult, KinerjaLedger
from projections.failures import read_failures

log = logging.getLogger("kinerja.api")

# Bookkeeping tables of projections/base.py (read here so a separate `ledger worker` is seen too).
REGISTRY_TABLE = "ledger_projection_registry"
POSITIONS_TABLE = "ledger_projection_positions"


class StoreCollector(Collector):
    """Scrape-time figures from the store: head of the log and each projection's lag."""

    def __init__(self, ledger: KinerjaLedger) -> None:
        self.ledger = ledger

    def collect(self) -> Iterator[GaugeMetricFamily]:
        head_family = GaugeMetricFamily(
            "ledger_event_log_head_position", "Highest global position (notification id) in the event log"
        )
        lag_family = GaugeMetricFamily(
            "ledger_projection_lag_positions",
            "Global positions between the head of the log and a projection's tracking position",
            labels=["projection"],
        )
        failed_family = GaugeMetricFamily(
            "ledger_projection_failed",
            "1 while the projection's active generation is stopped by an error, else 0",
            labels=["projection", "error"],
        )
        failed_at_family = GaugeMetricFamily(
            "ledger_projection_failed_position",
            "Global position (notification id) a failed projection could not apply",
            labels=["projection"],
        )
        try:
            head = int(self.ledger.recorder.max_notification_id() or 0)
            head_family.add_metric([], head)
            failed = {f.name: f for f in read_failures(self.ledger.sql, active_only=True)}
            for name, position in projection_positions(self.ledger):
                lag_family.add_metric([name], max(0, head - position))
                f = failed.get(name)
                # The error's type only: a label is no place for a message.
                failed_family.add_metric([name, f.error.split(":", 1)[0] if f else ""], 1 if f else 0)
                if f is not None:
                    failed_at_family.add_metric([name], f.position)
        except Exception as exc:  # a scrape must not fail because the store is busy
            log.warning("metrics: store figures unavailable (%s)", type(exc).__name__)
        yield head_family
        yield lag_family
        yield failed_family
        yield failed_at_family


def projection_positions(ledger: KinerjaLedger) -> list[tuple[str, int]]:
    """(projection, position) of each active generation; empty when no projection exists yet."""
    sql = ledger.sql
    with sql.transaction(write=False) as tx:
        if sql.dialect == "postgres":
            exists = tx.scalar("SELECT to_regclass(?) IS NOT NULL AS present", (POSITIONS_TABLE,))
        else:
            exists = tx.scalar(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (POSITIONS_TABLE,)
            )
        if not exists:
            return []
        rows = tx.query(
            f"SELECT r.name AS name, p.position AS position FROM {REGISTRY_TABLE} r "
            f"JOIN {POSITIONS_TABLE} p ON p.name = r.name AND p.generation = r.active_generation "
            "ORDER BY r.name"
        )
    return [(str(r["name"]), int(r["position"])) for r in rows]


class ApiMetrics:
    def __init__(self, ledger: KinerjaLedger) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.requests = Counter(
            "ledger_http_requests",
            "HTTP requests by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "ledger_http_request_duration_seconds",
            "HTTP request latency by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.events = Counter(
            "ledger_events_appended",
            "Events appended to the ledger by commands of this process",
            registry=self.registry,
        )
        self.commands = Counter(
            "ledger_commands",
            "Commands executed by this process (replayed: answered from an Idempotency-Key)",
            ["replayed"],
            registry=self.registry,
        )
        self.registry.register(StoreCollector(ledger))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        labels: dict[str, Any] = {"method": method, "route": route, "status": str(status)}
        self.requests.labels(**labels).inc()
        self.latency.labels(**labels).observe(seconds)

    def events_appended(self, result: CommandResult) -> None:
        self.commands.labels(replayed=str(result.replayed).lower()).inc()
        if not result.replayed:
            self.events.inc(result.appended)

    def render(self) -> bytes:
        return generate_latest(self.registry)

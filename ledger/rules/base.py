"""Rules are data: each rule set carries a version, its legal basis and the date it takes effect."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, Protocol, TypeVar


class Versioned(Protocol):
    @property
    def version(self) -> str: ...

    @property
    def effective_from(self) -> date: ...


R = TypeVar("R", bound=Versioned)


@dataclass(frozen=True)
class RuleHistory(Generic[R]):
    """Every version of one rule family, so a past decision is judged by the rule of its day."""

    versions: Sequence[R]

    def in_force(self, on: date) -> R:
        """The latest version whose effective_from is on or before `on`."""
        candidates = [r for r in self.versions if r.effective_from <= on]
        if not candidates:
            earliest = min(r.effective_from for r in self.versions)
            raise LookupError(f"no rule in force on {on} (earliest takes effect {earliest})")
        return max(candidates, key=lambda r: r.effective_from)

    def find(self, on: date) -> R | None:
        """Like in_force, but None before the first version took effect."""
        try:
            return self.in_force(on)
        except LookupError:
            return None

    def describe_start(self) -> str:
        first = min(self.versions, key=lambda r: r.effective_from)
        return (
            f"no rule version in force then; the earliest ({first.version}) "
            f"applies from {first.effective_from}"
        )

    def by_version(self, version: str) -> R:
        for rule in self.versions:
            if rule.version == version:
                return rule
        raise LookupError(f"unknown rule version {version}")

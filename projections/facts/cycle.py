"""The performance management cycle as the Employee aggregate keeps it, for read models that
replay its events with the aggregate's own `apply` methods (projections.skp_progress, the fact
tables of the scorecards)."""

from __future__ import annotations

from typing import Any


class CycleState:
    """What the cycle's `apply` methods (and those of the sanctions) write to: a JSON-like dict."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.state = state
        self.sanctions: dict[str, dict[str, Any]] = state.setdefault("sanctions", {})

    def skp_state(self) -> dict[str, Any]:
        skp: dict[str, Any] = self.state.setdefault("skp", {"plans": {}, "dialogues": {}, "feedback": {}})
        return skp

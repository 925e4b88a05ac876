"""Event handlers named by event class: a read model says, per method, which events it handles.

    class Register(Handlers):
        @handles(Employee.AwardGranted)
        def granted(self, tx, t, e, notification): ...

    Register().dispatch(tx, t, event, notification)  # calls `granted` for an AwardGranted

The table is built once per class (inherited handlers included, a subclass may override one);
an event whose class has no handler is ignored, so a read model lists only what it reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from ledger.domain.envelope import LedgerEvent

F = TypeVar("F", bound=Callable[..., Any])


def handles(*event_classes: type[LedgerEvent]) -> Callable[[F], F]:
    """Mark a method as the handler of these event classes (and of their subclasses)."""

    def mark(method: F) -> F:
        method.__handles__ = event_classes  # type: ignore[attr-defined]
        return method

    return mark


class Handlers:
    """Mixin: `dispatch(*args, event, *rest)` finds the handler by the event's class."""

    _handlers: ClassVar[dict[type[LedgerEvent], str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        table: dict[type[LedgerEvent], str] = {}
        for klass in reversed(cls.__mro__):
            for name, attr in vars(klass).items():
                for event_class in getattr(attr, "__handles__", ()):
                    table[event_class] = name
        cls._handlers = table

    def handler(self, event: LedgerEvent) -> Callable[..., Any] | None:
        """The bound handler for this event (the most specific class wins), or None."""
        for klass in type(event).__mro__:
            name = self._handlers.get(klass)
            if name is not None:
                return getattr(self, name)  # type: ignore[no-any-return]
        return None

    def handled(self) -> frozenset[type[LedgerEvent]]:
        return frozenset(self._handlers)

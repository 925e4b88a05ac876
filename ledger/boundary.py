"""The ledger's edge: raw command input becomes the typed values of ledger.values, once.

Every command method is marked `@command`. Its keyword arguments are parsed here against the
method's own type hints, whoever calls it (the HTTP API after its pydantic schemas, the CLI, the
import, tests): a value already of the right type passes as it is, a raw one (a string, a dict
from JSON) is parsed, and every field's problem is reported at once before the command runs. The
command's body then works on typed values only and checks what is left: the domain rules and
what needs the store.

Written by hand rather than with pydantic's `validate_call` because the refusals must keep the
ledger's own field names (`other_violations[2].level`) and reasons, which every client sees.
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, TypeVar, cast

from ledger import values
from ledger.clock import parse_date
from ledger.nip import Nip, parse_nip
from ledger.period import Period, parse_period
from ledger.validation import Checker
from ledger.values import (
    AbsenceDays,
    Amount,
    BoundedInt,
    BoundedText,
    Code,
    Description,
    EventId,
    Expectations,
    MaxItems,
    ReportPeriod,
    Rhk,
    SkpIndicator,
    SkpItem,
    Target,
    Text,
    Title,
    Unit,
    Violation,
    bounded_date,
    finite_decimal,
)
from ledger.vocabulary import CoreValue, Level, SkpAspect

F = TypeVar("F", bound=Callable[..., Any])

_VIOLATION_FIELDS = ("description", "level", "absence_days", "consecutive_absence_days")
_VIOLATION_SHAPE = "must be an object {description, level, absence_days?, consecutive_absence_days?}"
_ITEM_FIELDS = ("rhk", "supports", "indicators")
_ITEM_SHAPE = "must be an object {rhk, supports?, indicators}"
_INDICATOR_FIELDS = ("aspect", "name", "target", "unit")
_INDICATOR_SHAPE = "must be an object {aspect, name, target, unit}"


def command(method: F) -> F:
    """Mark a ledger command: its keyword arguments are parsed into typed values first."""

    @functools.wraps(method)
    def typed(self: object, ctx: object, *ids: str, **raw: object) -> Any:
        return method(self, ctx, *ids, **typed_arguments(method, raw))

    typed.__ledger_command__ = True  # type: ignore[attr-defined]
    return cast(F, typed)


def is_command(attribute: object) -> bool:
    return getattr(attribute, "__ledger_command__", False) is True


@functools.cache
def _parameters(method: Callable[..., Any]) -> dict[str, tuple[Any, bool]]:
    """Keyword-only parameters: their type hint and whether they must be given."""
    hints = typing.get_type_hints(method, include_extras=True)
    return {
        name: (hints[name], p.default is inspect.Parameter.empty)
        for name, p in inspect.signature(method).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }


def typed_arguments(method: Callable[..., Any], raw: Mapping[str, object]) -> dict[str, Any]:
    """The keyword arguments of `method`, typed; ValidationFailed with every problem otherwise."""
    parameters = _parameters(method)
    c = Checker()
    out: dict[str, Any] = {}
    for name, (hint, required) in parameters.items():
        if name in raw:
            out[name] = parse(c, name, raw[name], hint)
        elif required:
            c.add(name, "required")
    for name in sorted(set(raw) - set(parameters)):
        c.add(name, "unknown field")
    c.done()
    return out


def parse(c: Checker, field: str, value: object, hint: Any) -> Any:
    """`value` as the type `hint` names; None (and a problem noted in `c`) when it is not."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        base, *extras = typing.get_args(hint)
        limit = next((e for e in extras if isinstance(e, MaxItems)), None)
        return _sequence(c, field, value, base, limit)
    if origin in (types.UnionType, typing.Union):
        arms = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None:
            return None
        if isinstance(value, str) and not value.strip() and _is_text(arms[0]):
            return None  # optional free text left blank is absent, not an error
        return parse(c, field, value, arms[0])
    if origin is not None and issubclass(origin, Sequence) and origin is not str:
        return _sequence(c, field, value, hint, None)
    return _scalar(c, field, value, hint)


def _is_text(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BoundedText)


def _sequence(c: Checker, field: str, value: object, hint: Any, limit: MaxItems | None) -> list[Any]:
    (item,) = typing.get_args(hint)
    if value is None:
        return []  # an absent list is an empty one
    if item is date and isinstance(value, str | date):
        value = [value]  # one date where a list of dates is expected, e.g. a single summons
    if not isinstance(value, list | tuple):
        c.add(field, limit.refusal if limit else "must be a list")
        return []
    if limit is not None and len(value) > limit.count:
        c.add(field, limit.refusal)
        value = value[: limit.count]
    return [parse(c, f"{field}[{i}]", v, item) for i, v in enumerate(value)]


def _scalar(c: Checker, field: str, value: object, kind: Any) -> Any:
    if (
        isinstance(kind, type)
        and isinstance(value, kind)
        and not isinstance(value, bool)
        and not issubclass(kind, StrEnum | date)
    ):
        return value  # already typed: the API's schemas and the CLI hand these on
    try:
        return _convert(c, field, value, kind)
    except ValueError as exc:
        c.add(field, str(exc))
        return None


def _convert(c: Checker, field: str, value: object, kind: Any) -> Any:
    if isinstance(kind, type) and issubclass(
        kind, BoundedText | Code | EventId | BoundedInt | Amount | ReportPeriod
    ):
        return kind(value)
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        try:
            return kind(value)  # type: ignore[arg-type]  # any object: a wrong one is refused below
        except ValueError:
            raise ValueError(f"must be one of {', '.join(m.value for m in kind)}") from None
    if kind is Violation:
        return _violation(c, field, value)
    if kind is SkpIndicator:
        return _indicator(c, field, value)
    if kind is SkpItem:
        return _skp_item(c, field, value)
    if kind is Expectations:
        return _expectations(c, field, value)
    if typing.get_origin(kind) is dict:
        if not isinstance(value, dict):
            raise ValueError("must be an object")
        return value
    parser = _PARSERS.get(kind)
    if parser is None:
        raise TypeError(f"no parser for {kind!r} (field {field})")  # a command declared an unknown type
    return parser(value)


def _date(value: object) -> date:
    if isinstance(value, date):
        return bounded_date(value)
    if value is None:
        raise ValueError("required")
    if not isinstance(value, str):
        raise ValueError("must be a date YYYY-MM-DD")
    return bounded_date(parse_date(value))


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be an integer")
    return value


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


_PARSERS: dict[Any, Callable[[object], Any]] = {
    bool: _boolean,
    date: _date,
    Decimal: finite_decimal,
    Nip: lambda value: parse_nip(_string(value)),
    Period: lambda value: parse_period(_string(value)),
    str: _string,
    int: _integer,
}


def _violation(c: Checker, field: str, raw: object) -> Violation | None:
    if not isinstance(raw, dict):
        raise ValueError(_VIOLATION_SHAPE)
    description = parse(c, f"{field}.description", raw.get("description"), Description)
    level = parse(c, f"{field}.level", raw.get("level"), Level)
    counts = {
        key: parse(c, f"{field}.{key}", raw[key], AbsenceDays)
        for key in _VIOLATION_FIELDS[2:]
        if raw.get(key) is not None
    }
    for key in sorted(set(raw) - set(_VIOLATION_FIELDS)):
        c.add(f"{field}.{key}", "unknown field")
    if description is None or level is None or None in counts.values():
        return None
    return Violation(description, level, **counts)


def _skp_item(c: Checker, field: str, raw: object) -> SkpItem | None:
    if not isinstance(raw, dict):
        raise ValueError(_ITEM_SHAPE)
    rhk = parse(c, f"{field}.rhk", raw.get("rhk"), Rhk)
    supports = parse(c, f"{field}.supports", raw.get("supports"), Rhk | None)
    shape = Annotated[list[SkpIndicator], MaxItems(values.MAX_SKP_INDICATORS, "indicators")]
    indicators = parse(c, f"{field}.indicators", raw.get("indicators"), shape)
    if not indicators and not any(e.field.startswith(f"{field}.indicators") for e in c.errors):
        c.add(f"{field}.indicators", "at least one indicator")
    for key in sorted(set(raw) - set(_ITEM_FIELDS)):
        c.add(f"{field}.{key}", "unknown field")
    if rhk is None or not indicators or None in indicators:
        return None
    return SkpItem(rhk, tuple(indicators), supports)


def _indicator(c: Checker, field: str, raw: object) -> SkpIndicator | None:
    if not isinstance(raw, dict):
        raise ValueError(_INDICATOR_SHAPE)
    aspect = parse(c, f"{field}.aspect", raw.get("aspect"), SkpAspect)
    name = parse(c, f"{field}.name", raw.get("name"), Title)
    target = parse(c, f"{field}.target", raw.get("target"), Target)
    unit = parse(c, f"{field}.unit", raw.get("unit"), Unit)
    for key in sorted(set(raw) - set(_INDICATOR_FIELDS)):
        c.add(f"{field}.{key}", "unknown field")
    if aspect is None or name is None or target is None or unit is None:
        return None
    return SkpIndicator(aspect, name, target, unit)


def _expectations(c: Checker, field: str, raw: object) -> Expectations | None:
    """{BERORIENTASI_PELAYANAN: "...", ...}: any of the seven core values, each a text."""
    if not isinstance(raw, dict):
        raise ValueError("must be an object {CORE_VALUE: expectation}")
    known = {v.value for v in CoreValue}
    out = Expectations()
    for key, text in raw.items():
        if key not in known:
            c.add(f"{field}.{key}", f"unknown core value; one of {', '.join(sorted(known))}")
            continue
        parsed = parse(c, f"{field}.{key}", text, Text)
        if parsed is not None:
            out[key] = str(parsed)
    return out

"""The bounds of every value the ledger accepts, in one place: the HTTP schemas publish them and
the domain's checks enforce them, so the two can never disagree.

Patterns are anchored and ASCII-only ([0-9], never \\d, which matches other scripts' digits).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Self

from ledger.errors import FieldError
from ledger.vocabulary import CoreValue, Level, SkpAspect

NIP_PATTERN = r"^[0-9]{18}$"  # the structure (birth date, TMT, sex, serial) is checked by ledger.nip
CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_\-]{1,31}$"  # OPD, service-unit, programme and badge codes
EVENT_ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[1-9][0-9]{0,9}$"
PERIOD_PATTERN = r"^[0-9]{4}(-[0-9]{2}\.\.[0-9]{4}-[0-9]{2})?$"
REPORT_PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$"  # a month or a quarter of one year

NIP_EXAMPLE = "198503152010011002"
EVENT_ID_EXAMPLE = "0b6f5c1e-4a9e-5d3c-9a57-0c7a2f1d3e4b:2"

# Maximum lengths of text fields, in characters.
TEXT_MAX = 2000  # reasons, comments, free text
DESCRIPTION_MAX = 1000  # a violation's description
TITLE_MAX = 300  # training titles, programme names, indicators
NAME_MAX = 200  # names of people, agencies, units, positions, providers
ROLE_MAX = 100  # a participant's role in a programme
DECREE_MAX = 100  # decree (SK) and BAP numbers
GRADE_MAX = 50  # golongan/ruang, e.g. "III/b"
RHK_MAX = 1000  # a rencana hasil kerja (and the superior's RHK it supports)
UNIT_MAX = 50  # an SKP indicator's unit ("dokumen", "%", "hari")
EVIDENCE_REF_MAX = 500  # a realisation's evidence: a link or a document number, never the file
CONTACT_MAX = 200  # a citizen's contact (telephone, e-mail, address): personal data
TICKET_MAX = 40  # an SP4N-LAPOR! ticket number

# Sizes of lists.
MAX_EVIDENCE = 100  # event ids cited by one sanction decision
MAX_VIOLATIONS = 20  # other violations examined with the main one
MAX_SUMMONS = 10  # summons dates before one examination
MAX_PROGRAM_AGENCIES = 50
MAX_SKP_ITEMS = 30  # RHK items of one SKP plan
MAX_SKP_INDICATORS = 10  # indicators of one RHK item

# Numbers.
FIRST_YEAR = 1950  # no date or year before it
LAST_YEAR = 2100  # the last calendar year a query or a rating may name
SCORE_MIN, SCORE_MAX = 1, 4  # supervisor and peer feedback, and each survey answer
ABSENCE_DAYS_MAX = 366
AMOUNT_MAX = 10**12  # a programme's target or outcome
AMOUNT_PLACES = 4  # decimal places of a target or outcome
SKP_FIRST_YEAR = 2022  # SKP plans in the shape of PermenPANRB 6/2022 (in force 2022)

# Dates (all in WIB). No date before FIRST_DATE; a decision or completion date (decided_on,
# decree_date, completed_on, summoned_on, examined_on, filed_on, started_on and ended_on of the
# service clock) never after the recording day; an effective date at most one year after it.
FIRST_DATE = date(FIRST_YEAR, 1, 1)
FIRST_DATE_REASON = f"must be on or after {FIRST_DATE.isoformat()}"
FUTURE_REASON = "in the future"


# ----------------------------------------------------------------------------- value types
# What a command receives once its input is parsed (ledger.boundary): having one of these is
# proof that the value met its bounds, so the domain never parses raw input again. They are
# str/int subclasses so stored events and JSON stay plain strings and numbers.

CODE = re.compile(CODE_PATTERN.strip("^$"))
EVENT_ID = re.compile(EVENT_ID_PATTERN.strip("^$"))

CODE_REASON = "must be 2-32 characters of A-Z, 0-9, '_' or '-', starting with a letter or digit"
EVENT_ID_REASON = "must be an event id '<uuid>:<version>'"


# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they make a
# stored name or reason display differently from what it holds (a "Trojan Source" trick).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def refused_character(text: str) -> str | None:
    """Why `text` may not be stored, if it holds a character no record should keep."""
    if text.isascii() and text.isprintable():
        return None  # printable ASCII holds none of them (the common case, checked in C)
    for ch in text:
        if ch in "\n\t":
            continue
        if ch in BIDI_CONTROLS:
            return "bidirectional control characters are not allowed"
        category = unicodedata.category(ch)
        # Cc is C0, DEL and C1: invisible, and they corrupt exports and terminals.
        if category == "Cc":
            return "control characters are not allowed"
        # A lone surrogate (JSON allows "\ud800") cannot be encoded as UTF-8 and would fail the save.
        if category == "Cs":
            return "lone surrogates are not allowed"
    return None


class Code(str):
    """An OPD, service-unit, programme or badge code."""

    __slots__ = ()

    def __new__(cls, value: object) -> Self:
        if not isinstance(value, str) or not CODE.fullmatch(value):
            raise ValueError(CODE_REASON)
        return super().__new__(cls, value)


class EventId(str):
    """`<originator uuid>:<version>`, the id of one stored event."""

    __slots__ = ()

    def __new__(cls, value: object) -> Self:
        if not isinstance(value, str) or not EVENT_ID.fullmatch(value):
            raise ValueError(EVENT_ID_REASON)
        return super().__new__(cls, value)


class BoundedText(str):
    """Free text as stored: surrounding whitespace dropped, not blank, at most `max_len`
    characters, no control characters (tab and newline allowed)."""

    __slots__ = ()
    max_len: ClassVar[int] = TEXT_MAX

    def __new__(cls, value: object) -> Self:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValueError("required")
        if not isinstance(value, str):
            raise ValueError("must be a string")
        # The limit is on what is stored: surrounding whitespace is dropped first.
        text = value.strip()
        if len(text) > cls.max_len:
            raise ValueError(f"at most {cls.max_len} characters")
        # On the raw value: str.strip() also drops some controls (U+001C-U+001F, U+0085, CR).
        problem = refused_character(value)
        if problem is not None:
            raise ValueError(problem)
        return super().__new__(cls, text)


class Text(BoundedText):
    """Reasons, comments."""

    __slots__ = ()
    max_len = TEXT_MAX


class Description(BoundedText):
    __slots__ = ()
    max_len = DESCRIPTION_MAX


class Title(BoundedText):
    """Training titles, programme names, indicators."""

    __slots__ = ()
    max_len = TITLE_MAX


class Name(BoundedText):
    """Names of people, agencies, units, positions, providers."""

    __slots__ = ()
    max_len = NAME_MAX


class Role(BoundedText):
    __slots__ = ()
    max_len = ROLE_MAX


class Decree(BoundedText):
    """A decree (SK) or BAP number."""

    __slots__ = ()
    max_len = DECREE_MAX


class Contact(BoundedText):
    """How a citizen can be reached: personal data, shown to HR only."""

    __slots__ = ()
    max_len = CONTACT_MAX


TICKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9/\-]*")


class LaporTicket(BoundedText):
    """An SP4N-LAPOR! ticket number: letters, digits, '-' and '/'."""

    __slots__ = ()
    max_len = TICKET_MAX

    def __new__(cls, value: object) -> Self:
        text = super().__new__(cls, value)
        if not TICKET.fullmatch(text):
            raise ValueError("letters, digits, '-' and '/' only, starting with a letter or digit")
        return text


class Grade(BoundedText):
    """Golongan/ruang, e.g. "III/b"."""

    __slots__ = ()
    max_len = GRADE_MAX


class BoundedInt(int):
    low: ClassVar[int]
    high: ClassVar[int]

    def __new__(cls, value: object) -> Self:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be an integer")
        if not cls.low <= value <= cls.high:
            raise ValueError(f"must be between {cls.low} and {cls.high}")
        return super().__new__(cls, value)


class Score(BoundedInt):
    """A 1-4 answer: supervisor and peer feedback."""

    low, high = SCORE_MIN, SCORE_MAX


class AbsenceDays(BoundedInt):
    low, high = 0, ABSENCE_DAYS_MAX


def bounded_date(value: date) -> date:
    """A date the ledger can hold: on or after FIRST_DATE (the upper bounds depend on the day)."""
    if value < FIRST_DATE:
        raise ValueError(FIRST_DATE_REASON)
    return value


def latest_effective(today: date) -> date:
    """The last effective date a command recorded on `today` may give: one year later (a
    29 February gives the next 28 February)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def decision_date_problems(field: str, day: date | None, today: date) -> list[FieldError]:
    """A decision or completion date, when given, is never after the recording day."""
    return [FieldError(field, FUTURE_REASON)] if day is not None and day > today else []


def effective_date_problems(field: str, day: date | None, today: date) -> list[FieldError]:
    """An effective date, when given, is at most one year after the recording day."""
    latest = latest_effective(today)
    if day is not None and day > latest:
        return [FieldError(field, f"at most one year after the recording date (on or before {latest})")]
    return []


def finite_decimal(value: object) -> Decimal:
    """A finite number given as int, float, decimal string or Decimal."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError("must be a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("must be a number") from None
    if not number.is_finite():
        raise ValueError("must be a finite number")
    return number


class Amount(Decimal):
    """A programme's target or outcome: 0 to 10^12, at most AMOUNT_PLACES decimal places."""

    __slots__ = ()

    def __new__(cls, value: object) -> Self:
        number = finite_decimal(value)
        if not 0 <= number <= AMOUNT_MAX:
            raise ValueError(f"must be between 0 and {AMOUNT_MAX}")
        exponent = number.as_tuple().exponent
        assert isinstance(exponent, int)  # finite
        if exponent < -AMOUNT_PLACES:  # as written: "1.50000" has five places
            raise ValueError(f"at most {AMOUNT_PLACES} decimal places")
        return super().__new__(cls, number)


@dataclass(frozen=True)
class MaxItems:
    """The longest list a command field takes, and what its items are called in the refusal."""

    count: int
    items: str = ""  # named in the refusal: "a list of at most 100 event ids"

    @property
    def refusal(self) -> str:
        return f"a list of at most {self.count} {self.items}" if self.items else f"at most {self.count}"


@dataclass(frozen=True)
class Violation:
    """One violation examined in a sanction decision."""

    description: Description
    level: Level
    absence_days: AbsenceDays | None = None
    consecutive_absence_days: AbsenceDays | None = None

    def as_event(self) -> dict[str, Any]:
        """As the sanction event stores it: the optional counts only when given."""
        out: dict[str, Any] = {"description": str(self.description), "level": self.level.value}
        for key in ("absence_days", "consecutive_absence_days"):
            count = getattr(self, key)
            if count is not None:
                out[key] = int(count)
        return out


# ----------------------------------------------------------------------------- SKP (plans)


class Rhk(BoundedText):
    """A rencana hasil kerja, or the superior's RHK it supports."""

    __slots__ = ()
    max_len = RHK_MAX


class Unit(BoundedText):
    """An SKP indicator's unit."""

    __slots__ = ()
    max_len = UNIT_MAX


class EvidenceRef(BoundedText):
    """A link or a document number: the ledger never holds the evidence file itself."""

    __slots__ = ()
    max_len = EVIDENCE_REF_MAX


class Target(Amount):
    """An SKP indicator's target: above 0 (a realisation is measured against it)."""

    __slots__ = ()

    def __new__(cls, value: object) -> Self:
        number = super().__new__(cls, value)
        if number <= 0:
            raise ValueError(f"must be above 0 and at most {AMOUNT_MAX}")
        return number


class ItemNumber(BoundedInt):
    """An RHK item of a plan, counted from 1 in the order the plan lists them."""

    low, high = 1, MAX_SKP_ITEMS


class IndicatorNumber(BoundedInt):
    """An indicator of an RHK item, counted from 1."""

    low, high = 1, MAX_SKP_INDICATORS


class SkpYear(BoundedInt):
    low, high = SKP_FIRST_YEAR, LAST_YEAR


class ReportPeriod(str):
    """The month (`2026-03`) or quarter (`2026-Q1`) a realisation reports on."""

    __slots__ = ()
    _PATTERN: ClassVar[re.Pattern[str]] = re.compile(REPORT_PERIOD_PATTERN.strip("^$"))

    def __new__(cls, value: object) -> Self:
        if not isinstance(value, str) or not cls._PATTERN.fullmatch(value):
            raise ValueError("must be a month YYYY-MM or a quarter YYYY-Q1..YYYY-Q4")
        if not FIRST_YEAR <= int(value[:4]) <= LAST_YEAR:
            raise ValueError(f"year must be between {FIRST_YEAR} and {LAST_YEAR}")
        return super().__new__(cls, value)

    @property
    def year(self) -> int:
        return int(self[:4])

    @property
    def months(self) -> tuple[int, int]:
        """First and last month covered."""
        tail = self[5:]
        if tail.startswith("Q"):
            quarter = int(tail[1])
            return 3 * quarter - 2, 3 * quarter
        return int(tail), int(tail)

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        last = self.months[1]
        return date(self.year + 1, 1, 1) if last == 12 else date(self.year, last + 1, 1)

    def overlaps(self, other: ReportPeriod) -> bool:
        (a, b), (c, d) = self.months, other.months
        return self.year == other.year and not (b < c or d < a)


@dataclass(frozen=True)
class SkpIndicator:
    """An indicator of an RHK item: what is measured and the target."""

    aspect: SkpAspect
    name: Title
    target: Target
    unit: Unit

    def as_event(self) -> dict[str, Any]:
        return {
            "aspect": self.aspect.value,
            "name": str(self.name),
            "target": format(self.target.normalize(), "f"),
            "unit": str(self.unit),
        }


@dataclass(frozen=True)
class SkpItem:
    """A rencana hasil kerja with its indicators, optionally supporting the superior's RHK."""

    rhk: Rhk
    indicators: tuple[SkpIndicator, ...]
    supports: Rhk | None = None

    def as_event(self) -> dict[str, Any]:
        return {
            "rhk": str(self.rhk),
            "supports": str(self.supports) if self.supports is not None else None,
            "indicators": [i.as_event() for i in self.indicators],
        }


class Expectations(dict[str, str]):
    """The superior's specific expectations per BerAKHLAK core value (keys: CoreValue names)."""

    def as_event(self) -> dict[str, str]:
        return {v.value: self[v.value] for v in CoreValue if v.value in self}

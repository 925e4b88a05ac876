"""Time: timestamps are stored in UTC; dates and calendar years are in WIB."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def utc_now() -> datetime:
    return datetime.now(UTC)


def wib_date(moment: datetime) -> date:
    """The calendar date in Binjai at an instant."""
    return moment.astimezone(WIB).date()


def parse_rfc3339(text: str) -> datetime:
    """Parse an RFC 3339 timestamp; an offset is mandatory (a naive time is ambiguous)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError as exc:
        raise ValueError("not an RFC 3339 timestamp") from exc
    if value.tzinfo is None or "T" not in text.upper():
        raise ValueError("an RFC 3339 timestamp with a date, time and offset is required")
    try:
        # 9999-12-31T23:59:59-12:00 is a valid local time whose UTC instant is in year 10000; the
        # WIB date of 9999-12-31T23:00:00Z is too. Both must exist for the ledger to use it.
        value.astimezone(WIB)
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("outside the representable range (years 1-9999 in UTC and WIB)") from None


def parse_date(text: str) -> date:
    """Parse YYYY-MM-DD strictly (no week dates, no times)."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError("expected a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"impossible date: {exc}") from exc

"""Filters the command line takes (an agency code): one that names nothing is an error, exit 1,
never an empty table that looks like an answer."""

from __future__ import annotations

import typer

from ledger.application import KinerjaLedger
from ledger.errors import LedgerError


def require_agency(ledger: KinerjaLedger, code: str | None) -> None:
    """Exit 1 with the reason on stderr when `code` names no registered agency."""
    if code is None:
        return
    try:
        ledger.agency(code)
    except LedgerError:
        typer.echo(f"error: no agency {code} is registered (--agency)", err=True)
        raise typer.Exit(1) from None

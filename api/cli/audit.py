"""`ledger audit ...`: export the log, verify an export offline, print the checkpoint or key."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ledger.audit.verify import EXIT_FAILED, EXIT_UNPINNED, EXIT_UNUSABLE, run

app = typer.Typer(
    help="Verifiable audit log: signed checkpoints, export, offline verification.", no_args_is_help=True
)


def _print(obj: object) -> None:
    typer.echo(json.dumps(obj, indent=2, ensure_ascii=False))


@app.command("export")
def export_command(
    out: Annotated[Path, typer.Option("--out", help="new directory to write the export to")],
    update: Annotated[
        bool, typer.Option("--update/--no-update", help="first bring the audit log up to the latest event")
    ] = True,
    nip: Annotated[
        str | None,
        typer.Option(
            "--nip",
            help="export only this employee's history, with an inclusion proof for each of its events",
        ),
    ] = None,
) -> None:
    """Export the log (events with their raw stored bytes), its signed checkpoint and verifier key;
    with --nip, one employee's history only, checkable on its own."""
    from ledger.application import KinerjaLedger
    from projections.audit import AuditIntegrityError, AuditNotReady
    from projections.audit.export import ExportRefused, export_log, export_stream

    ledger = KinerjaLedger()
    try:
        if nip is None:
            summary = export_log(ledger, out, update=update)
        else:
            summary = export_stream(ledger, out, nip, update=update)
    except ExportRefused as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_UNUSABLE) from None
    except (AuditIntegrityError, AuditNotReady) as exc:
        typer.echo(f"audit log: {exc}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    finally:
        ledger.close()
    _print(summary.as_dict())


@app.command("verify")
def verify_command(
    directory: Annotated[
        Path, typer.Argument(help="an export written by `ledger audit export` (whole log or --nip)")
    ],
    key: Annotated[
        str | None,
        typer.Option(
            "--key", help="the log's verifier key (file or `name+keyid+base64`) from a trusted source"
        ),
    ] = None,
    previous: Annotated[
        list[Path] | None,
        typer.Option(
            "--previous",
            help="a checkpoint file (or an earlier whole-log export directory) kept earlier; repeatable "
            "(whole-log exports only)",
        ),
    ] = None,
    allow_unpinned: Annotated[
        bool,
        typer.Option(
            "--allow-unpinned",
            help="without --key, exit 0 when the export checks against its own key (still warned)",
        ),
    ] = False,
) -> None:
    """Verify an export offline; prints a JSON report. Exit status 0: everything checks against the
    pinned key; 1: a check failed; 2: the export is unusable; 3: everything checks, but only
    against the export's own key (no --key)."""
    report, status = run(directory, key, previous or [])
    _print(report)
    if status:
        first = report.get("first_failure") or {"message": report.get("error", "verification failed")}
        print(f"FAILED: {first['message']}", file=sys.stderr)
    elif not report["key"]["pinned"]:
        print(
            "UNPINNED: the export checks against its own key, which proves nothing about who signed "
            "it; pass --key with the log's key from a trusted source",
            file=sys.stderr,
        )
        if not allow_unpinned:
            status = EXIT_UNPINNED
    else:
        # The JSON report is for programs; people read this line (stderr keeps stdout one document).
        c = report["checkpoint"]
        print(
            f"OK: {report['leaves']['count']} events of log {c['origin']!r} verified; the checkpoint "
            f"(size {c['size']}) is signed by the pinned key",
            file=sys.stderr,
        )
    raise typer.Exit(status)


@app.command("checkpoint")
def checkpoint_command() -> None:
    """Print the latest signed checkpoint (sign one first if the log has grown): keep it."""
    from ledger.application import KinerjaLedger
    from projections.audit import AuditIntegrityError, AuditLog, AuditNotReady, install_guards
    from projections.audit.export import catch_up

    ledger = KinerjaLedger()
    try:
        catch_up(ledger)
        install_guards(ledger)
        note = AuditLog(ledger).ensure_checkpoint().note
    except (AuditIntegrityError, AuditNotReady) as exc:
        typer.echo(f"audit log: {exc}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    finally:
        ledger.close()
    typer.echo(note, nl=False)


@app.command("install-guards")
def install_guards_command() -> None:
    """Create the event and checkpoint tables if missing, with their append-only triggers.

    Run it once as the database owner role (docs/AUDIT.md).
    """
    from ledger.application import KinerjaLedger
    from projections.audit import install_guards

    ledger = KinerjaLedger()
    try:
        ok = install_guards(ledger)
    finally:
        ledger.close()
    if not ok:
        typer.echo("could not install the triggers (see the warning above)", err=True)
        raise typer.Exit(EXIT_FAILED)
    typer.echo("append-only triggers are in place")


@app.command("key")
def key_command() -> None:
    """Print the log's verifier key (`name+keyid+base64`), to pin when verifying."""
    from ledger.config import Settings
    from projections.audit import AuditIntegrityError, load_signer

    try:
        signer = load_signer(Settings.from_env())
    except AuditIntegrityError as exc:
        typer.echo(f"audit log: {exc}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    typer.echo(signer.verifier().key_string())

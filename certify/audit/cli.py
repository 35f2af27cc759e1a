"""`flask certify audit verify` and `checkpoint`: check the audit trail against its key and checkpoints."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from certify.audit.keys import checkpoint_folder
from certify.audit.services import VerificationReport, checkpoint_chain, verify_chain
from certify.extensions import db

audit_cli = AppGroup("audit", help="Check the audit trail.")


@audit_cli.command("verify")
def verify_command() -> None:
    """Check every entry's MAC and link and the newest checkpoint; exit status 1 naming the first problem."""
    report = verify_chain(db.session)
    db.session.rollback()  # read only; ends the transaction the walk opened
    _fail_unless_ok(report)
    if report.checkpoint is None and report.checked:
        click.echo(
            f"audit chain holds ({report.checked} entries), but no checkpoint in {checkpoint_folder()} "
            "vouches for it, so entries removed from its end could not be noticed; if that is the "
            "folder the app writes checkpoints to, `flask certify audit checkpoint` writes one",
            err=True,
        )
        raise SystemExit(1)
    click.echo(f"audit chain intact: {report.checked} entries{_checkpointed(report)}")


@audit_cli.command("checkpoint")
def checkpoint_command() -> None:
    """Verify the trail, then write a checkpoint of its newest entry outside the database (for cron)."""
    report, checkpoint = checkpoint_chain(db.session)
    db.session.rollback()
    _fail_unless_ok(report)
    if checkpoint is None:
        click.echo("the audit trail is empty: nothing to checkpoint")
        return
    click.echo(f"audit checkpoint written: entry #{checkpoint.entry_id} ({report.checked} entries)")


def _fail_unless_ok(report: VerificationReport) -> None:
    """Print each problem the report names and exit with status 1, if there is any."""
    if report.ok:
        return
    if report.reason:
        where = f" at entry #{report.first_bad_id}" if report.first_bad_id is not None else ""
        click.echo(f"audit chain broken{where}: {report.reason}", err=True)
    for name, why in report.invalid_checkpoints:
        click.echo(f"audit checkpoint {checkpoint_folder() / name} is not valid: {why}", err=True)
    raise SystemExit(1)


def _checkpointed(report: VerificationReport) -> str:
    checkpoint = report.checkpoint
    if checkpoint is None:
        return ""
    return f", up to the checkpoint of entry #{checkpoint.entry_id} written at {checkpoint.written_at}"

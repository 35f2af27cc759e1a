"""`flask certify audit verify`: check the audit trail's hash chain and name the first tampered entry."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from certify.audit.services import verify_chain
from certify.extensions import db

audit_cli = AppGroup("audit", help="Check the audit trail.")


@audit_cli.command("verify")
def verify_command() -> None:
    """Walk the whole chain; exit status 1, naming the first broken entry, when it does not hold."""
    report = verify_chain(db.session)
    db.session.rollback()  # read only; ends the transaction the walk opened
    if report.ok:
        click.echo(f"audit chain intact: {report.checked} entries")
        return
    where = f" at entry #{report.first_bad_id}" if report.first_bad_id is not None else ""
    click.echo(f"audit chain broken{where}: {report.reason}", err=True)
    raise SystemExit(1)

"""`flask certify mail deliver`: send the queued e-mails that are due (cron, every few minutes)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from certify.extensions import db
from certify.outbox.services import deliver

mail_cli = AppGroup("mail", help="Outgoing e-mail.")


@mail_cli.command("deliver")
def deliver_command() -> None:
    """Send every queued e-mail that is due; a failure waits and is retried, until MAIL_MAX_ATTEMPTS.

    Quiet when there was nothing to send, so that cron mails its owner only when something happened.
    """
    result = deliver(db.session)
    if result.attempted:
        click.echo(f"mail sent: {result.sent}, to retry: {result.retrying}, given up: {result.failed}")

"""`flask certify certificates reminders`: e-mail holders whose certificates expire soon (daily cron)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from certify.certificates.reminders import due_reminders, send_reminder
from certify.extensions import db
from certify.outbox.services import deliver_queued_by

certificates_cli = AppGroup("certificates", help="Certificate tasks.")


@certificates_cli.command("reminders")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Pretend today is this date (YYYY-MM-DD), e.g. to catch up or to test.",
)
def reminders_command(today) -> None:
    """Remind holders (an organisation's managers, an attested person) 90 and 30 days before their
    certificate expires; each reminder is sent once."""
    day = today.date() if today else date.today()
    sent = 0
    for certificate, days in due_reminders(db.session, day):
        recipients = send_reminder(db.session, certificate, days, day)
        # one commit per certificate: a failure later on does not resend the reminders already sent
        db.session.commit()
        deliver_queued_by(db.session)
        click.echo(f"{certificate.number}: {days}-day reminder to {recipients} recipient(s)")
        sent += 1
    click.echo(f"certificates reminded: {sent}")

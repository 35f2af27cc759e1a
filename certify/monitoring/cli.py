"""`flask certify monitoring remind`: schedule the yearly reports and run their surveillance (daily cron)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from certify.extensions import db
from certify.monitoring.schedule import schedule_certificate, unscheduled
from certify.monitoring.services import duties, perform
from certify.outbox.services import deliver_queued_by

monitoring_cli = AppGroup("monitoring", help="Effectiveness monitoring between certifications.")


@monitoring_cli.command("remind")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Pretend today is this date (YYYY-MM-DD), e.g. to catch up or to test.",
)
def remind_command(today) -> None:
    """Schedule the yearly reports of new certificates, remind managers before a report is due, alert the
    coordinators when it is overdue and propose a suspension after the further period; each once."""
    day = today.date() if today else date.today()
    scheduled = 0
    for certificate in unscheduled(db.session, day):
        scheduled += len(schedule_certificate(db.session, certificate))
        db.session.commit()
    owed = duties(db.session, day)
    # end the reading transaction: each step below starts its own with the UPDATE that claims it
    db.session.commit()
    taken = 0
    for duty in owed:
        recipients = perform(db.session, duty, day)
        # one commit per step: a failure later on does not repeat the steps already taken
        db.session.commit()
        deliver_queued_by(db.session)
        if recipients is not None:
            click.echo(f"period {duty.period_id}: {duty.step.value} to {recipients} recipient(s)")
            taken += 1
    click.echo(f"report periods scheduled: {scheduled}; steps taken: {taken}")

"""`flask certify review reminders`: e-mail assessors whose reviews are past their deadline (run by cron)."""

from __future__ import annotations

from datetime import timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from certify.extensions import db
from certify.outbox.services import deliver_queued_by
from certify.questionnaire.models import Application
from certify.review import notifications
from certify.review.models import ENDED, Assignment
from certify.timeutil import as_utc, utcnow
from certify.workflow import states

review_cli = AppGroup("review", help="Review workflow tasks.")


def overdue_assignments(session, deadline: timedelta) -> list[tuple[Assignment, int]]:
    """Assignments still waiting for a confirmation or for scores past the deadline, with days overdue."""
    rows = session.scalars(
        sa.select(Assignment)
        .join(Application, Application.id == Assignment.application_id)
        .where(
            Assignment.status.not_in(ENDED),
            Assignment.scores_submitted_at.is_(None),
            Application.state.in_(states.UNDER_REVIEW),
        )
    )
    now = utcnow()
    overdue = []
    for assignment in rows:
        late = now - as_utc(assignment.assigned_at) - deadline
        if late > timedelta(0):
            overdue.append((assignment, late.days + 1))
    return overdue


@review_cli.command("reminders")
@click.option(
    "--days", type=int, default=None, help="Deadline in days after assignment (REVIEW_DEADLINE_DAYS)."
)
def reminders_command(days: int | None) -> None:
    """Remind every assessor whose confirmation or scores are overdue."""
    deadline = timedelta(
        days=days if days is not None else current_app.config.get("REVIEW_DEADLINE_DAYS", 21)
    )
    overdue = overdue_assignments(db.session, deadline)
    for assignment, late_days in overdue:
        notifications.reminder(db.session, assignment.assessor, assignment.application, late_days)
    db.session.commit()
    deliver_queued_by(db.session)
    click.echo(f"reminders sent: {len(overdue)}")

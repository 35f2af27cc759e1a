"""Assessors' open assignments and the certificates coming up for renewal, as the dashboard counts them.

As in certify.insight.pipeline, each count is the length of the list its page shows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from certify.accounts.models import User
from certify.certificates.models import Certificate
from certify.certificates.register import in_force
from certify.certificates.reminders import REMINDER_DAYS
from certify.questionnaire.models import Application
from certify.review import staffing
from certify.review.models import ENDED, Assignment
from certify.workflow import states

#: the dashboard's windows for certificates expiring, the reminders' own (90 and 30 days before expiry)
EXPIRY_WINDOWS = tuple(sorted(REMINDER_DAYS))


@dataclass(frozen=True)
class Load:
    assessor: User
    #: open assignments: not declined or removed, on an application under review
    open: int


def open_assignments(session, assessor_id: int | None = None) -> list[Assignment]:
    """Assignments still open, as the team form counts them (`staffing.workloads`), the oldest first."""
    statement = (
        sa.select(Assignment)
        .join(Application, Application.id == Assignment.application_id)
        .where(Assignment.status.not_in(ENDED), Application.state.in_(sorted(states.UNDER_REVIEW)))
        .order_by(Assignment.assigned_at, Assignment.id)
    )
    if assessor_id is not None:
        statement = statement.where(Assignment.assessor_id == assessor_id)
    return list(session.scalars(statement))


def workload(session) -> list[Load]:
    """Every active assessor, and anyone else holding an open assignment, the busiest first."""
    assignments = open_assignments(session)
    counts = Counter(a.assessor_id for a in assignments)
    people = {p.id: p for p in staffing.assessors(session)}
    people.update((a.assessor_id, a.assessor) for a in assignments)
    loads = [Load(person, counts[person.id]) for person in people.values()]
    return sorted(loads, key=lambda load: (-load.open, load.assessor.full_name_ru, load.assessor.id))


def expiring(session, within_days: int, today: date) -> list[Certificate]:
    """Certificates in force that expire within `within_days` of `today`, the soonest first."""
    return list(
        session.scalars(
            in_force(today)
            .where(Certificate.expires_on <= today + timedelta(days=within_days))
            .order_by(Certificate.expires_on, Certificate.id)
        )
    )

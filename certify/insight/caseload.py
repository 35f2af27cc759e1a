"""Assessors' open assignments and the certificates coming up for renewal, as the dashboard counts them.

As in certify.insight.pipeline, each count is the length of the list its page shows. An assessor's work
is counted whole, an organisation's applications and the candidates' (as an examiner) apart, so that no
figure of one kind silently holds the other.
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
from certify.standards.attestation import StandardKind
from certify.workflow import State, states

#: the dashboard's windows for certificates expiring, the reminders' own (90 and 30 days before expiry)
EXPIRY_WINDOWS = tuple(sorted(REMINDER_DAYS))
#: where an assignment is work still to do: the review, and a candidate's application once admitted,
#: where the examiners are assigned and confirm their independence (the theory passed) before it starts
OPEN_WORK = states.UNDER_REVIEW | {State.ADMITTED}


@dataclass(frozen=True)
class Load:
    assessor: User
    #: open assignments on organisations' applications
    organisations: int
    #: open assignments on candidates' applications (as an examiner)
    persons: int

    @property
    def open(self) -> int:
        return self.organisations + self.persons


def of_kind(kind: StandardKind | None) -> sa.ColumnElement[bool]:
    """The condition on an application's subject: a person's (a candidate named), an organisation's, any."""
    if kind == StandardKind.PERSON:
        return Application.candidate_id.is_not(None)
    if kind == StandardKind.ORGANISATION:
        return Application.candidate_id.is_(None)
    return sa.true()


def open_assignments(
    session, assessor_id: int | None = None, kind: StandardKind | None = None
) -> list[Assignment]:
    """Assignments still open (not declined or removed, on an application in OPEN_WORK), the oldest
    first: of one assessor, on one kind of application, where asked."""
    statement = (
        sa.select(Assignment)
        .join(Application, Application.id == Assignment.application_id)
        .where(Assignment.status.not_in(ENDED), Application.state.in_(sorted(OPEN_WORK)), of_kind(kind))
        .order_by(Assignment.assigned_at, Assignment.id)
    )
    if assessor_id is not None:
        statement = statement.where(Assignment.assessor_id == assessor_id)
    return list(session.scalars(statement))


def workload(session) -> list[Load]:
    """Every active assessor, and anyone else holding an open assignment, the busiest first."""
    assignments = open_assignments(session)
    persons = Counter(a.assessor_id for a in assignments if a.application.is_person)
    organisations = Counter(a.assessor_id for a in assignments if not a.application.is_person)
    people = {p.id: p for p in staffing.assessors(session)}
    people.update((a.assessor_id, a.assessor) for a in assignments)
    loads = [Load(person, organisations[person.id], persons[person.id]) for person in people.values()]
    return sorted(loads, key=lambda load: (-load.open, load.assessor.full_name_ru, load.assessor.id))


def expiring(session, within_days: int, today: date, kind: StandardKind) -> list[Certificate]:
    """Certificates of `kind` in force that expire within `within_days` of `today`, the soonest first."""
    return list(
        session.scalars(
            in_force(today)
            .where(
                Certificate.expires_on <= today + timedelta(days=within_days),
                Certificate.subject_kind == kind.value,
            )
            .order_by(Certificate.expires_on, Certificate.id)
        )
    )

"""E-mails at each review step, each in its recipient's language; sent after the step is committed."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from certify.accounts.models import Role, User, UserRole
from certify.extensions import db
from certify.mail import send_mail
from certify.questionnaire.models import Application
from certify.transitions import active_assignments
from certify.web.urls import external_url


def _send(users: Iterable[User], template: str, application: Application, link: str, **context) -> None:
    for user in {u.id: u for u in users if u and u.active}.values():
        send_mail(
            user.email, template, locale=user.locale, user=user, application=application, link=link, **context
        )


def managers_of(application: Application) -> list[User]:
    return [u for u in application.organisation.members if u.has_role(Role.MANAGER)]


def coordinators() -> list[User]:
    statement = sa.select(User).join(UserRole).where(UserRole.role == Role.COORDINATOR.value)
    return list(db.session.scalars(statement))


def assessors_of(application: Application) -> list[User]:
    return [a.assessor for a in active_assignments(db.session, application)]


def assigned(application: Application, new_assessors: Iterable[User]) -> None:
    link = external_url("review.assignments")
    _send(new_assessors, "review_assigned", application, link)


def clarification_requested(application: Application, question: str) -> None:
    link = external_url("questionnaire.summary", application_id=application.id)
    _send(managers_of(application), "review_clarification_requested", application, link, question=question)


def clarification_answered(application: Application) -> None:
    _send(
        assessors_of(application),
        "review_clarification_answered",
        application,
        external_url("review.assignments"),
    )


def scores_complete(application: Application) -> None:
    link = external_url("review.consensus", application_id=application.id)
    lead = [a.assessor for a in active_assignments(db.session, application) if a.is_lead]
    _send([*lead, *coordinators()], "review_scored", application, link)


def consensus_recorded(application: Application) -> None:
    link = external_url("review.consensus", application_id=application.id)
    _send(coordinators(), "review_consensus", application, link)


def decided(application: Application, certified: bool) -> None:
    link = external_url("questionnaire.summary", application_id=application.id)
    _send(managers_of(application), "review_decided", application, link, certified=certified)


def reminder(assessor: User, application: Application, overdue_days: int) -> None:
    _send(
        [assessor],
        "review_reminder",
        application,
        external_url("review.assignments"),
        overdue_days=overdue_days,
    )

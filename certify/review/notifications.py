"""E-mails at each review step, each in its recipient's language.

The service that takes a step queues its e-mails here, in the step's transaction (`certify.outbox`):
they go out once the step is committed, and never for a step that was rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from certify.accounts.models import Role, User, UserRole
from certify.outbox.services import queue_mail
from certify.questionnaire.models import Application
from certify.transitions import active_assignments, under_appeal
from certify.web.urls import external_url
from certify.workflow import State


def _queue(
    session, users: Iterable[User], template: str, application: Application, link: str, **context
) -> None:
    for user in {u.id: u for u in users if u and u.active}.values():
        queue_mail(
            session,
            user.email,
            template,
            locale=user.locale,
            user=user,
            application=application,
            link=link,
            **context,
        )


def managers_of(application: Application) -> list[User]:
    """Who applies and is told: the organisation's managers, or the candidate of a person's application."""
    if application.is_person:
        return [application.candidate]
    return [u for u in application.organisation.members if u.has_role(Role.MANAGER)]


def coordinators(session) -> list[User]:
    statement = sa.select(User).join(UserRole).where(UserRole.role == Role.COORDINATOR.value)
    return list(session.scalars(statement))


def assigned(session, application: Application, new_assessors: Iterable[User]) -> None:
    """The assessors asked learn it; a candidate learns that examiners are assigned, never who."""
    new_assessors = list(new_assessors)
    _queue(session, new_assessors, "review_assigned", application, external_url("review.assignments"))
    if application.is_person and new_assessors and application.state != State.APPEALED:
        link = external_url("attestation.status", application_id=application.id)
        _queue(session, [application.candidate], "attestation_examiners_assigned", application, link)


def removed(session, application: Application, assessor: User) -> None:
    """The assessor taken off the team learns it, in their language."""
    _queue(session, [assessor], "review_removed", application, external_url("review.assignments"))


def clarification_requested(session, application: Application, question: str) -> None:
    link = external_url("questionnaire.summary", application_id=application.id)
    _queue(
        session,
        managers_of(application),
        "review_clarification_requested",
        application,
        link,
        question=question,
    )


def clarification_answered(session, application: Application) -> None:
    assessors = [a.assessor for a in active_assignments(session, application)]
    _queue(
        session, assessors, "review_clarification_answered", application, external_url("review.assignments")
    )


def scores_complete(session, application: Application) -> None:
    link = external_url("review.consensus", application_id=application.id)
    lead = [a.assessor for a in active_assignments(session, application) if a.is_lead]
    _queue(session, [*lead, *coordinators(session)], "review_scored", application, link)


def consensus_recorded(session, application: Application) -> None:
    """The coordinators are told the consensus (the review's, or under appeal the panel's) awaits them."""
    endpoint = "review.appeal_consensus" if under_appeal(application) else "review.consensus"
    link = external_url(endpoint, application_id=application.id)
    _queue(session, coordinators(session), "review_consensus", application, link)


def decided(session, application: Application, certified: bool) -> None:
    if application.is_person:  # the candidate reads the commission's decision on their attestation page
        link = external_url("attestation.status", application_id=application.id)
        from certify.attestation.admission import attestation_of  # the attestation builds on the review

        days = attestation_of(application).procedure.appeal_days
        _queue(
            session,
            managers_of(application),
            "attestation_decided",
            application,
            link,
            attested=certified,
            appeal_days=days,
        )
        return
    link = external_url("questionnaire.summary", application_id=application.id)
    _queue(session, managers_of(application), "review_decided", application, link, certified=certified)


def reminder(session, assessor: User, application: Application, overdue_days: int) -> None:
    link = external_url("review.assignments")
    _queue(session, [assessor], "review_reminder", application, link, overdue_days=overdue_days)

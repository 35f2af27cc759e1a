"""Clarification rounds: an assessor asks about named indicators; the manager changes only those answers."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.review import notifications
from certify.review.errors import ReviewError
from certify.review.models import Assignment, ClarificationRequest
from certify.timeutil import utcnow
from certify.transitions import record, take
from certify.workflow import Action


def open_requests(session, application: Application) -> list[ClarificationRequest]:
    return list(
        session.scalars(
            sa.select(ClarificationRequest)
            .where(
                ClarificationRequest.application_id == application.id,
                ClarificationRequest.answered_at.is_(None),
            )
            .order_by(ClarificationRequest.id)
        )
    )


def all_requests(session, application: Application) -> list[ClarificationRequest]:
    statement = sa.select(ClarificationRequest).where(ClarificationRequest.application_id == application.id)
    return list(session.scalars(statement.order_by(ClarificationRequest.id)))


def request_clarification(
    session, assignment: Assignment, assessor, indicator_ids: list[str], question: str
) -> ClarificationRequest:
    application = assignment.application
    known = {i.id for i in standard_of(application).indicators()}
    if set(indicator_ids) - known:
        raise ReviewError(_l("The request names indicators that this standard does not have."), 422)
    if not question.strip():
        raise ReviewError(_l("Write the question for the manager."), 422)
    before = application.state
    application.state = take(
        session,
        application,
        Action.REQUEST_CLARIFICATION,
        assessor,
        clarification_indicators=tuple(indicator_ids),
    ).value
    request = ClarificationRequest(
        application_id=application.id,
        assignment_id=assignment.id,
        indicator_ids=sorted(indicator_ids),
        question=question.strip(),
    )
    session.add(request)
    session.flush()
    record(
        session,
        assessor,
        "review.clarification_requested",
        application,
        before={"state": before},
        after={"state": application.state, "indicators": request.indicator_ids, "question": request.question},
    )
    notifications.clarification_requested(session, application, request.question)
    return request


def answer_clarification(session, application: Application, manager, answer: str) -> None:
    """Close the open requests with the manager's answer; the application returns to review."""
    if not answer.strip():
        raise ReviewError(_l("Write your answer to the assessors' questions."), 422)
    before = application.state
    application.state = take(session, application, Action.ANSWER_CLARIFICATION, manager).value
    now = utcnow()
    for request in open_requests(session, application):
        request.answer, request.answered_at, request.answered_by_id = answer.strip(), now, manager.id
    session.flush()
    record(
        session,
        manager,
        "review.clarification_answered",
        application,
        before={"state": before},
        after={"state": application.state, "answer": answer.strip()},
    )
    notifications.clarification_answered(session, application)

"""The theory stage of a candidate's attestation, through the real services, for the tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from certify.accounts.models import Role
from certify.attestation import services
from certify.demo.attestation import write_practical
from certify.exams import attempts, registrations
from certify.exams.records import form_from_data
from certify.exams.services import bank_of
from certify.questionnaire import services as questionnaire
from certify.questionnaire.models import Application
from certify.timeutil import utcnow
from tests.attestation import steps
from tests.factories import make_user


def admitted(session, **applying) -> Application:
    """Submitted, every prerequisite met, and admitted by a coordinator (registered for the exam)."""
    application = steps.submitted(session, **applying)
    services.admit(session, application, make_user(session, Role.COORDINATOR))
    return application


def sit(session, application: Application, *, passed: bool, at: datetime | None = None):
    """The candidate starts their registered attempt at `at` (now by default) and submits every answer
    right (`passed`) or wrong."""
    at = at or utcnow()
    attempt = next(a for a in _linked(session, application) if a.is_open)
    attempt = registrations.start_attempt(session, attempt.exam, application.candidate, now=at)
    items = {item.id: item for item in bank_of(attempt.exam.bank_version).items}
    answers = {}
    for slot in form_from_data(attempt.form).slots:
        item = items[slot.item_id]
        wrong = next(option for option in item.option_ids if option not in item.key)
        answers[slot.item_id] = sorted(item.key) if passed else [wrong]
    return attempts.submit_attempt(session, attempt, answers, now=at + timedelta(minutes=5))


def _linked(session, application):
    from certify.attestation.theory import attempts_of

    return attempts_of(session, application)


def practical_submitted(session, application: Application) -> Application:
    """The candidate, who passed the theory, answers the whole practical task (the demo's answers and a
    file for each indicator asking for one) and submits it."""
    write_practical(session, application, complete=True)
    questionnaire.submit_practical(session, application, application.candidate)
    return application

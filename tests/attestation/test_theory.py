"""From admission to the theory's result: the exam gate, the window, retakes (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import format_date, gettext

from certify.accounts.models import Role
from certify.attestation import services, stages, theory
from certify.attestation.models import AdmissionCheck
from certify.attestation.retakes import WINDOW_ENDS
from certify.exams import registrations
from certify.exams.attempts import AttemptRefused
from certify.exams.models import Exam
from certify.outbox.models import OutboxMessage
from certify.questionnaire import services as questionnaire
from certify.review.models import Decision
from certify.timeutil import utcnow
from certify.transitions import TransitionError, allowed
from certify.workflow import Action, State
from certify.workflow import guards as g
from tests.attestation import steps
from tests.attestation.theory_steps import admitted, sit
from tests.factories import make_user


@pytest.fixture
def scheme(db):
    return steps.install_scheme(db)


def mails(db, template: str) -> list[OutboxMessage]:
    return list(db.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == template)))


def admitted_days_ago(db, days: int):
    """An English-speaking candidate admitted `days` ago (the admission's check dated back)."""
    application = admitted(db, user=steps.candidate(db, locale="en"))
    (check,) = db.scalars(sa.select(AdmissionCheck).where(AdmissionCheck.application_id == application.id))
    check.checked_at = utcnow() - timedelta(days=days)
    db.flush()
    return application


def third_rule(db, application):
    """The retake verdict the candidate's page reads now."""
    return theory.theory_of(db, application).retake


def test_admission_registers_the_attempt_linked_to_the_application(db, scheme):
    application = admitted(db)
    (attempt,) = theory.attempts_of(db, application)
    assert attempt.application_id == application.id and attempt.is_registered
    assert attempt.candidate_id == application.candidate_id
    assert (attempt.exam.blueprint_id, attempt.exam.bank_version.code) == ("cm_theory", "cm")
    stage = theory.theory_of(db, application)
    assert stage.last_day == utcnow().date() + timedelta(days=30) and not stage.passed
    (mail,) = mails(db, "attestation_admitted")
    assert "/exams/" in mail.body and f"/attestation/applications/{application.id}" in mail.body


def test_without_an_open_exam_admission_is_refused_naming_the_bank_and_blueprint(db):
    steps.install_scheme(db, with_exam=False)
    application = steps.submitted(db)
    with pytest.raises(theory.TheoryRefused) as refused:
        services.admit(db, application, make_user(db, Role.COORDINATOR))
    assert "cm" in str(refused.value.message) and "cm_theory" in str(refused.value.message)
    db.refresh(application)
    assert application.state == State.SUBMITTED


def test_a_closed_exam_window_is_not_an_open_exam(db):
    steps.install_scheme(db, with_exam=False)
    steps.open_theory_exam(db, opens_at=utcnow() - timedelta(days=9), closes_at=utcnow() - timedelta(days=1))
    with pytest.raises(theory.TheoryRefused):
        theory.open_exam_for(db, steps.submitted(db))


def test_theory_passed_opens_the_practical_part_to_the_candidate(db, scheme):
    application = admitted(db, user=steps.candidate(db, locale="en"))
    candidate = application.candidate
    assert Action.SUBMIT_PRACTICAL not in allowed(db, candidate, application)
    sit(db, application, passed=True)
    assert theory.theory_of(db, application).passed
    assert Action.SUBMIT_PRACTICAL in allowed(db, candidate, application)
    (mail,) = mails(db, "attestation_theory_result") or [None]
    assert mail is None  # e-mailed when the transaction commits
    db.commit()
    (mail,) = mails(db, "attestation_theory_result")
    assert mail.recipient == application.candidate.email and mail.locale == "en"
    assert "You have passed the theory exam with 100.0%" in mail.body
    assert "answer the case task on its pages and submit it" in mail.body


def test_a_failed_theory_refuses_the_practical_part_with_the_reason(db, scheme):
    application = admitted(db)
    sit(db, application, passed=False)
    with pytest.raises(TransitionError) as refused:
        questionnaire.submit_practical(db, application, application.candidate)
    assert refused.value.message == gettext(g.THEORY_PASSED.refusal)


def test_a_retake_waits_14_days_and_is_refused_before_with_the_date(db, scheme):
    application = admitted(db)
    first = utcnow()
    sit(db, application, passed=False, at=first)
    with pytest.raises(theory.TheoryRefused) as too_soon:
        theory.register_retake(db, application, application.candidate, now=first + timedelta(days=10))
    assert "14" in str(too_soon.value.message)
    assert format_date((first + timedelta(days=14)).date(), "long") in str(too_soon.value.message)
    attempt = theory.register_retake(db, application, application.candidate, now=first + timedelta(days=14))
    assert attempt.application_id == application.id and attempt.is_registered
    assert mails(db, "attestation_exam_registered")


def test_a_third_attempt_is_refused_and_the_candidate_is_not_attested_with_the_reason(db, scheme):
    application = admitted(db)
    first = utcnow()
    sit(db, application, passed=False, at=first)
    theory.register_retake(db, application, application.candidate, now=first + timedelta(days=14))
    sit(db, application, passed=False, at=first + timedelta(days=14))
    with pytest.raises(theory.TheoryRefused) as third:
        theory.register_retake(db, application, application.candidate, now=first + timedelta(days=28))
    assert str(third.value.message) == theory._shown(WINDOW_ENDS, third_rule(db, application).params)
    assert theory.theory_of(db, application).failed_finally
    coordinator = make_user(db, Role.COORDINATOR)
    assert Action.CLOSE_THEORY_FAILED in allowed(db, coordinator, application)
    decision = stages.close_theory_failed(db, application, coordinator)
    assert application.state == State.NOT_CERTIFIED and decision.chosen_level is None
    assert decision.reasons == gettext(stages.THEORY_NOT_PASSED)
    assert db.scalar(sa.select(Decision).where(Decision.application_id == application.id)) is decision
    assert mails(db, "attestation_decided")


def test_a_candidate_who_may_retake_is_not_closed_as_failed(db, scheme):
    application = admitted(db)
    sit(db, application, passed=False)
    with pytest.raises(TransitionError):
        stages.close_theory_failed(db, application, make_user(db, Role.COORDINATOR))
    assert stages.stage_of(db, application).key == "retake"


def test_a_start_after_the_candidates_window_is_refused_with_the_date(db, scheme):
    application = admitted(db)
    (attempt,) = theory.attempts_of(db, application)
    late = utcnow() + timedelta(days=31)
    with pytest.raises(AttemptRefused) as refused:
        registrations.start_attempt(db, attempt.exam, application.candidate, now=late)
    assert format_date(utcnow().date() + timedelta(days=30), "long") in str(refused.value.message)


def test_the_exams_page_does_not_register_a_retake_around_the_rules(db, scheme):
    application = admitted(db)
    sit(db, application, passed=False)
    exam = db.scalar(sa.select(Exam))
    with pytest.raises(AttemptRefused):
        registrations.start_attempt(db, exam, application.candidate, now=utcnow() + timedelta(days=15))


def test_the_coordinator_closes_a_failed_theory_from_the_admission_page(db, scheme, login):
    coordinator_client, _ = login(Role.COORDINATOR, locale="en")
    application = admitted_days_ago(db, 25)
    sit(
        db, application, passed=False, at=utcnow() - timedelta(days=5)
    )  # the retake would fall after the window
    db.commit()
    page = coordinator_client.get(f"/attestation/applications/{application.id}/admission").get_data(
        as_text=True
    )
    assert "The theory exam" in page and "not passed" in page
    closed = coordinator_client.post(f"/attestation/applications/{application.id}/theory-failed", data={})
    assert closed.status_code in (302, 303)
    db.refresh(application)
    assert application.state == State.NOT_CERTIFIED
    (mail,) = mails(db, "attestation_decided")
    assert mail.locale == "en" and "not attested" in mail.body


def test_the_candidate_registers_a_retake_from_their_page(db, scheme, client_for):
    application = admitted_days_ago(db, 20)
    sit(db, application, passed=False, at=utcnow() - timedelta(days=15))
    db.commit()
    client = client_for(application.candidate)
    page = client.get(f"/attestation/applications/{application.id}").get_data(as_text=True)
    assert "Register the retake" in page and "a retake is possible" in page
    client.post(f"/attestation/applications/{application.id}/retake", data={})
    attempts = theory.attempts_of(db, application)
    assert len(attempts) == 2 and attempts[-1].is_registered

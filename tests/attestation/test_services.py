"""The candidate's application and its admission, through the services (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.attestation import services
from certify.attestation.admission import admission_due, returned_reasons
from certify.attestation.models import AdmissionCheck
from certify.audit.models import AuditEntry
from certify.outbox.models import OutboxMessage
from certify.questionnaire import services as questionnaire
from certify.questionnaire.models import Application
from certify.questionnaire.pages import pages_of
from certify.transitions import TransitionError, allowed
from certify.workflow import Action, State
from tests import factories
from tests.attestation import steps
from tests.factories import make_user


@pytest.fixture
def scheme(db):
    return steps.install_scheme(db)


def mails(db, template: str) -> list[OutboxMessage]:
    return list(db.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == template)))


def actions_recorded(db, application) -> list[str]:
    rows = db.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.application_id == application.id)
        .order_by(AuditEntry.id)
    )
    return list(rows)


def test_applying_needs_the_consent_and_stores_it_with_the_scheme_version(db, scheme):
    candidate = steps.candidate(db)
    with pytest.raises(services.AttestationError) as refused:
        services.apply_for_attestation(db, scheme, candidate, consent=False)
    assert "согласие на обработку персональных данных" in str(refused.value.message)  # outside a request: ru
    assert db.scalar(sa.select(sa.func.count()).select_from(Application)) == 0

    application = services.apply_for_attestation(db, scheme, candidate, consent=True)
    assert (application.candidate_id, application.organisation_id) == (candidate.id, None)
    assert application.standard_version_id == scheme.id and application.consent_accepted_at is not None
    assert actions_recorded(db, application) == ["application.started", "application.consent_accepted"]
    consent = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "application.consent_accepted"))
    assert consent.after["scheme"] == "cma 1.0"


def test_a_managers_own_application_names_their_organisation_beside_its_own_draft(db, scheme):
    """The organisation's one-draft rule ignores its members' attestations (both indexes hold)."""
    manager = make_user(db, Role.MANAGER)
    organisation_draft = factories.make_application(db, manager)
    own = steps.applied(db, manager)
    assert (own.organisation_id, own.candidate_id) == (manager.organisation_id, manager.id)
    assert questionnaire.applications_of(db, manager.organisation) == [organisation_draft]
    assert services.applications_of(db, manager) == [own]


def test_one_unfinished_application_per_scheme(db, scheme):
    application = steps.submitted(db)
    with pytest.raises(services.AttestationError) as refused:
        steps.applied(db, application.candidate)
    assert refused.value.status == 409 and str(application.id) in str(refused.value.message)


def test_the_one_draft_index_keeps_a_second_insert_out(db, scheme):
    """Two "Apply" at once both pass the service's check; the database keeps one draft."""
    application = steps.applied(db)
    subject = {"candidate_id": application.candidate_id, "organisation_id": None}
    assert questionnaire.insert_draft(db, scheme, application.candidate, subject) is None


def test_two_apply_at_once_open_the_same_draft(db, scheme, monkeypatch):
    """The second request passed the check before the first inserted: it is answered with the winner."""
    first = steps.applied(db)
    monkeypatch.setattr(services, "_refuse_a_second_one", lambda *args: None)  # as if checked before
    assert services.apply_for_attestation(db, scheme, first.candidate, consent=True) == first
    assert db.scalar(sa.select(sa.func.count()).select_from(Application)) == 1


def test_an_organisations_standard_takes_no_application_of_a_person(db, scheme):
    organisation_standard = questionnaire.current_version(db)
    with pytest.raises(services.AttestationError) as refused:
        services.apply_for_attestation(db, organisation_standard, steps.candidate(db), consent=True)
    assert refused.value.status == 404


def test_the_application_is_the_prerequisites_alone(db, scheme):
    """The practical part opens after the theory exam: its pages are not part of the application."""
    application = steps.applied(db)
    standard = questionnaire.standard_of(application)
    assert [page.key for page in pages_of(standard)] == ["eligibility"]
    steps.fill(db, application)
    questionnaire.submit_application(db, application, application.candidate)
    assert application.state == State.SUBMITTED
    assert set(application.snapshot) == set(steps.PREREQUISITES)


def test_submitting_tells_the_candidate_when_the_admission_is_due(db, scheme):
    application = steps.submitted(db, user=steps.candidate(db, locale="en"))
    (mail,) = mails(db, "attestation_submitted")
    assert mail.recipient == application.candidate.email and mail.locale == "en"
    assert "checks your prerequisites within 10 days" in mail.body
    assert admission_due(application) is not None
    assert not mails(db, "application_receipt")


def test_the_coordinator_admits_and_the_candidate_is_told_in_their_language(db, scheme):
    application = steps.submitted(db, user=steps.candidate(db, locale="ru"))
    coordinator = make_user(db, Role.COORDINATOR)
    assert allowed(db, coordinator, application) == {Action.ADMIT, Action.RETURN_FOR_COMPLETION}
    services.admit(db, application, coordinator)
    assert application.state == State.ADMITTED
    (mail,) = mails(db, "attestation_admitted")
    assert mail.locale == "ru" and "теоретический экзамен" in mail.body.lower()
    assert "application.admitted" in actions_recorded(db, application)
    with pytest.raises((TransitionError, services.AttestationError)):
        services.admit(db, application, coordinator)  # once admitted, never again
    assert len(mails(db, "attestation_admitted")) == 1


def test_returning_needs_a_reason_of_the_right_length_for_a_real_requirement(db, scheme):
    application = steps.submitted(db)
    coordinator = make_user(db, Role.COORDINATOR)
    with pytest.raises(TransitionError) as none:
        services.return_for_completion(db, application, coordinator, {"elig_education": "  "})
    assert "хотя бы по одному условию" in none.value.message
    with pytest.raises(services.AttestationError, match="от 10 до 2000"):
        services.return_for_completion(db, application, coordinator, {"elig_education": "Коротко"})
    with pytest.raises(services.AttestationError) as unknown:
        services.return_for_completion(db, application, coordinator, {"no_such": steps.REASON})
    assert unknown.value.status == 400
    assert application.state == State.SUBMITTED


def test_returned_reasons_last_until_the_candidate_submits_again(db, scheme):
    application = steps.submitted(db)
    coordinator = make_user(db, Role.COORDINATOR)
    reasons = {"elig_education": steps.REASON, "elig_training": ""}  # an empty one is left out
    services.return_for_completion(db, application, coordinator, reasons)
    assert application.state == State.DRAFT
    assert returned_reasons(db, application) == {"elig_education": steps.REASON}
    (mail,) = mails(db, "attestation_returned")
    assert steps.REASON in mail.body and "Высшее образование" in mail.body
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "application.returned"))
    assert entry.after == {"state": "draft", "reasons": {"elig_education": steps.REASON}}

    questionnaire.submit_application(db, application, application.candidate)  # resubmitted as a submit
    assert application.state == State.SUBMITTED and returned_reasons(db, application) == {}
    assert len(mails(db, "attestation_submitted")) == 2
    services.admit(db, application, coordinator)
    outcomes = db.scalars(sa.select(AdmissionCheck.outcome).order_by(AdmissionCheck.id))
    assert list(outcomes) == ["returned", "admitted"]


def test_an_organisations_actions_are_refused_for_a_person_with_the_reason(db, scheme):
    from certify.review import staffing

    application = steps.submitted(db)
    coordinator = make_user(db, Role.COORDINATOR)
    assessor = make_user(db, Role.ASSESSOR)
    with pytest.raises(TransitionError) as refused:
        staffing.assign_assessors(db, application, [assessor], assessor, coordinator)
    assert "после сдачи теоретического экзамена" in refused.value.message


def test_an_organisations_application_is_never_admitted(db, scheme):
    case = factories.submitted(db)
    coordinator = make_user(db, Role.COORDINATOR)
    assert Action.ADMIT not in allowed(db, coordinator, case.application)
    with pytest.raises(TransitionError):
        services.admit(db, case.application, coordinator)


def test_the_candidate_withdraws_once_admitted_and_nobody_else_may(db, scheme):
    application = steps.submitted(db)
    services.admit(db, application, make_user(db, Role.COORDINATOR))
    assert allowed(db, application.candidate, application) == {Action.WITHDRAW}
    assert allowed(db, make_user(db, Role.CANDIDATE), application) == frozenset()

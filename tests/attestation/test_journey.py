"""A candidate's application in the browser's terms: consent, filling, submission, return, admission.

Run on SQLite and, with TEST_DATABASE_URL, on PostgreSQL, with real commits between requests.
"""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.demo.applications import DEMO_PDF
from certify.outbox.models import OutboxMessage
from certify.questionnaire.models import Application
from certify.workflow import State
from tests.attestation import steps
from tests.factories import make_user


@pytest.fixture
def scheme(db):
    version = steps.install_scheme(db)
    db.commit()
    return version


def sent(db, template: str) -> list[OutboxMessage]:
    return list(db.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == template)))


def page_form(application_id: int, version: int, answers: dict) -> dict:
    return {**answers, "version": str(version), "go": "eligibility"}


def upload(client, application_id: int, target: str):
    data = {"file": (io.BytesIO(DEMO_PDF), f"{target}.pdf"), "page": "eligibility"}
    return client.post(
        f"/applications/{application_id}/evidence/{target}", data=data, content_type="multipart/form-data"
    )


def submit(client, application_id: int):
    return client.post(f"/applications/{application_id}/submit", data={"confirm": "y"})


def text(response) -> str:
    """The page's words, tags left out (HTML entities stay as written)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_a_candidate_applies_is_returned_completes_and_is_admitted(db, scheme, login):
    candidate_client, candidate = login(Role.CANDIDATE, locale="en", full_name_en="Anna Petrova")
    coordinator_client, _ = login(Role.COORDINATOR, locale="en")

    index = candidate_client.get("/attestation/")
    listed = text(index)
    assert "Cluster Manager Attestation Scheme" in listed and "Cluster Manager Attestation" in listed
    assert "Admission within 10 days of a complete application." in listed
    assert 'href="/attestation/">Attestation' in index.get_data(as_text=True)  # the navigation's entry

    refused = candidate_client.post(f"/attestation/schemes/{scheme.id}/apply", data={})
    assert refused.status_code == 422 and "Accept the consent" in text(refused)
    assert db.scalar(sa.select(sa.func.count()).select_from(Application)) == 0

    applied = candidate_client.post(f"/attestation/schemes/{scheme.id}/apply", data={"consent": "y"})
    application = db.scalar(sa.select(Application))
    assert applied.headers["Location"].endswith(f"/applications/{application.id}/pages/eligibility")
    again = candidate_client.post(f"/attestation/schemes/{scheme.id}/apply", data={"consent": "y"})
    assert again.status_code == 303 and db.scalar(sa.select(sa.func.count()).select_from(Application)) == 1
    listed = text(candidate_client.get("/attestation/"))
    assert f"already have an application No. {application.id}" in listed
    assert f"Continue application No. {application.id}" in listed

    # filling: the questionnaire's own page, autosave and uploads; without the training hours first
    answers = {k: v for k, v in steps.PREREQUISITES.items() if k != "elig_training_hours"}
    saved = candidate_client.post(
        f"/applications/{application.id}/pages/eligibility", data=page_form(application.id, 0, answers)
    )
    assert saved.status_code == 302
    autosaved = candidate_client.post(
        f"/applications/{application.id}/pages/eligibility/autosave",
        data=page_form(application.id, 1, {**answers, "elig_training_hours": "48"}),
    )
    assert autosaved.get_json() == {"saved": True, "version": 2}
    for target in steps.FILES:
        assert upload(candidate_client, application.id, target).status_code == 302
    summary = text(candidate_client.get(f"/applications/{application.id}/summary"))
    assert "Attestation of a person: Anna Petrova" in summary and "Self-assessment" not in summary
    assert submit(candidate_client, application.id).status_code == 302
    assert len(sent(db, "attestation_submitted")) == 1

    queue = text(coordinator_client.get("/review/"))
    assert "Anna Petrova" in queue and "Attestation of a person" in queue and "Due by" in queue
    admission = coordinator_client.get(f"/attestation/applications/{application.id}/admission")
    assert admission.status_code == 200 and "the answers meet it" in text(admission)

    # a return refused (a reason too short) keeps what was typed
    short = coordinator_client.post(
        f"/attestation/applications/{application.id}/return",
        data={"reason_elig_education": "Нет", "reason_elig_training": steps.REASON},
    )
    assert short.status_code == 422 and steps.REASON in text(short) and "10 to 2000" in text(short)
    empty = coordinator_client.post(f"/attestation/applications/{application.id}/return", data={})
    assert empty.status_code == 409 and "at least one requirement" in text(empty)  # the workflow's refusal
    returned = coordinator_client.post(
        f"/attestation/applications/{application.id}/return", data={"reason_elig_education": steps.REASON}
    )
    assert returned.status_code == 302
    db.expire_all()
    assert db.get(Application, application.id).state == State.DRAFT
    (mail,) = sent(db, "attestation_returned")
    assert steps.REASON in mail.body and "Higher education" in mail.body

    # the candidate sees the reason beside the requirement and on the summary, until submitting again
    page = text(candidate_client.get(f"/applications/{application.id}/pages/eligibility"))
    assert f"Returned by the coordinator: {steps.REASON}" in page
    assert steps.REASON in text(candidate_client.get(f"/applications/{application.id}/summary"))
    assert upload(candidate_client, application.id, "elig_education").status_code == 302
    assert submit(candidate_client, application.id).status_code == 302
    assert steps.REASON not in text(candidate_client.get(f"/applications/{application.id}/pages/eligibility"))
    assert len(sent(db, "attestation_submitted")) == 2

    admitted = coordinator_client.post(f"/attestation/applications/{application.id}/admit", data={})
    assert admitted.status_code == 302
    db.expire_all()
    assert db.get(Application, application.id).state == State.ADMITTED
    (mail,) = sent(db, "attestation_admitted")
    assert mail.recipient == candidate.email and "within 30 days of admission" in mail.body
    assert len(sent(db, "attestation_returned")) == 1


def test_nobody_else_sees_a_candidates_application(db, scheme, login, client_for):
    manager = make_user(db, Role.MANAGER)
    application = steps.submitted(db, user=manager)  # a manager applying for themselves
    colleague = make_user(db, Role.MANAGER, organisation=manager.organisation)
    db.commit()
    others = [
        login(Role.CANDIDATE)[0],  # another candidate
        login(Role.MANAGER)[0],  # a manager of another organisation
        client_for(colleague),  # a manager of the candidate's own organisation
        login(Role.ASSESSOR)[0],
    ]
    for other in others:
        for path in ("summary", "pages/eligibility", "receipt"):
            assert other.get(f"/applications/{application.id}/{path}").status_code == 404
        saved = other.post(f"/applications/{application.id}/pages/eligibility", data={"version": "1"})
        assert saved.status_code == 404
    assert client_for(manager).get(f"/applications/{application.id}/summary").status_code == 200
    colleague_list = client_for(colleague).get("/applications/").get_data(as_text=True)
    assert f'href="/applications/{application.id}/summary"' not in colleague_list


def test_only_staff_open_the_admission_and_only_a_coordinator_admits(db, scheme, login):
    application = steps.submitted(db)
    db.commit()
    url = f"/attestation/applications/{application.id}/admission"
    assert login(Role.CANDIDATE)[0].get(url).status_code == 403
    admin, _ = login(Role.ADMIN, locale="en")
    page = text(admin.get(url))
    assert "reserved for: Coordinator" in page and "Admit to the theory exam" not in page
    assert admin.post(f"/attestation/applications/{application.id}/admit", data={}).status_code == 303
    db.expire_all()
    assert db.get(Application, application.id).state == State.SUBMITTED


def test_an_organisations_application_has_no_admission_page(db, scheme, login):
    from tests import factories

    case = factories.submitted(db)
    db.commit()
    coordinator, _ = login(Role.COORDINATOR)
    assert coordinator.get(f"/attestation/applications/{case.application.id}/admission").status_code == 404
    assert coordinator.post(f"/attestation/applications/{case.application.id}/admit").status_code == 404


def test_a_scheme_that_is_not_a_persons_has_no_consent_page(db, scheme, login):
    from certify.questionnaire.services import current_version

    candidate, _ = login(Role.CANDIDATE)
    organisation_standard = current_version(db)
    assert candidate.get(f"/attestation/schemes/{organisation_standard.id}/apply").status_code == 404
    assert candidate.get(f"/attestation/schemes/{scheme.id}/apply").status_code == 200


def test_a_candidate_finds_their_certificates_and_exams_and_so_does_a_manager_who_applied(db, scheme, login):
    candidate_client, _ = login(Role.CANDIDATE, locale="en")
    page = candidate_client.get("/attestation/").get_data(as_text=True)
    assert 'href="/certificates/mine">My certificates' in page and 'href="/exams/">Exams' in page
    assert candidate_client.get("/certificates/mine").status_code == 200

    manager_client, manager = login(Role.MANAGER, locale="en")
    before = manager_client.get("/attestation/").get_data(as_text=True)
    assert 'href="/certificates/mine">My certificates' in before and 'href="/exams/">Exams' not in before
    steps.applied(db, user=manager)
    db.commit()
    after = manager_client.get("/attestation/").get_data(as_text=True)
    assert 'href="/exams/">Exams' in after

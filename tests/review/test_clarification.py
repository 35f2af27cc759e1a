"""A clarification round: the assessor asks on named indicators; the manager changes only those answers."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.audit.services import history
from certify.questionnaire import services as questionnaire
from certify.questionnaire.models import Application, EvidenceFile
from tests import factories
from tests.factories import make_application, make_user
from tests.questionnaire.test_services import MINIMAL_PDF


@pytest.fixture
def asked(db, login):
    manager_client, manager = login(Role.MANAGER)
    assessor_client, assessor = login(Role.ASSESSOR)
    answers = {"str_members_total": "40", "str_members_active_share": "50", "gov_team_fte": "2"}
    application = make_application(db, manager, answers=answers)
    team = [assessor, make_user(db, Role.ASSESSOR)]  # the standard asks for two; the first leads
    (assignment, _) = factories.in_review(db, application=application, assessors=team).team
    db.commit()
    response = assessor_client.post(
        f"/review/assignments/{assignment.id}/clarification",
        data={
            "indicators": ["str_members"],
            "question": "Приложите, пожалуйста, актуальный реестр участников.",
        },
    )
    assert response.status_code == 302
    return application, manager_client, assessor_client


def current(db, application) -> Application:
    db.expire_all()
    return db.get(Application, application.id)


def test_the_request_puts_the_application_under_clarification(db, asked):
    application, manager_client, _ = asked
    assert current(db, application).state == "clarification_requested"
    summary = manager_client.get(f"/applications/{application.id}/summary").get_data(as_text=True)
    assert "актуальный реестр участников" in summary


def test_only_answers_under_clarification_may_change(db, asked):
    application, manager_client, _ = asked
    # the page posts both answers of the indicator asked about, as the browser does; one of them changed
    allowed = manager_client.post(
        f"/applications/{application.id}/pages/str",
        data={"version": "0", "str_members_total": "45", "str_members_active_share": "50"},
    )
    assert allowed.status_code == 302
    refused = manager_client.post(
        f"/applications/{application.id}/pages/gov", data={"version": "0", "gov_team_fte": "9"}
    )
    assert refused.status_code == 409
    answers = questionnaire.load_answers(db, current(db, application))
    assert answers["str_members_total"] == "45" and answers["gov_team_fte"] == "2"
    changes = [e for e in history(db, application.id) if e.action == "application.answers_clarified"]
    assert changes[-1].before == {"str_members_total": "40"} and changes[-1].after == {
        "str_members_total": "45"
    }


def test_files_may_be_added_only_to_the_named_indicators(db, asked):
    application, manager_client, _ = asked
    submitted_with = set(db.scalars(sa.select(EvidenceFile.id)))
    url = f"/applications/{application.id}/evidence/"
    named = manager_client.post(
        url + "str_members",
        data={"file": (io.BytesIO(MINIMAL_PDF), "реестр.pdf"), "page": "str"},
        content_type="multipart/form-data",
    )
    other = manager_client.post(
        url + "gov_team",
        data={"file": (io.BytesIO(MINIMAL_PDF), "штат.pdf"), "page": "gov"},
        content_type="multipart/form-data",
    )
    assert named.status_code == 302 and other.status_code == 409
    added = db.scalars(sa.select(EvidenceFile).where(EvidenceFile.id.not_in(submitted_with)))
    assert [(f.evidence_for, f.round) for f in added] == [("str_members", 1)]


def test_answering_returns_the_application_to_review(db, asked):
    application, manager_client, assessor_client = asked
    assert (
        manager_client.post(f"/applications/{application.id}/clarification", data={"answer": ""}).status_code
        == 422
    )
    response = manager_client.post(
        f"/applications/{application.id}/clarification",
        data={"answer": "Реестр приложен, численность уточнена."},
    )
    assert response.status_code == 302
    assert current(db, application).state == "in_review"
    refused = manager_client.post(
        f"/applications/{application.id}/pages/str", data={"version": "1", "str_members_total": "50"}
    )
    assert refused.status_code == 409

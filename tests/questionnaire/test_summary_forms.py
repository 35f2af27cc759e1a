"""The summary's forms (appeal, clarification answer, submission, workbook), refused in place."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time
from markupsafe import escape

from certify.accounts.models import Role
from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of
from certify.review.clarification import request_clarification
from tests import factories


def in_english(client) -> None:
    client.post("/language", data={"language": "en"})


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def decided(db, client_for):
    """A decision not to certify, and a client of the applicant's manager."""
    case = factories.decided(db)
    db.commit()
    return case.application, client_for(case.manager)


@pytest.fixture
def asked(db, client_for):
    """An application on which an assessor asked a question, and a client of its manager."""
    case = factories.in_review(db)
    indicator = standard_of(case.application).indicators()[0].id
    request_clarification(db, case.lead, case.lead.assessor, [indicator], "Приложите реестр.")
    db.commit()
    return case.application, client_for(case.manager)


def test_the_summary_offers_an_appeal_form_for_the_decision(decided):
    application, client = decided
    page = text(client.get(f"/applications/{application.id}/summary"))
    assert 'name="grounds"' in page and 'maxlength="10000"' in page
    assert f"/applications/{application.id}/submit" not in page


@pytest.mark.parametrize(
    ("language", "message"), [("ru", "Не более 10000 символов."), ("en", "Write at most 10000 characters.")]
)
def test_overlong_grounds_are_refused_beside_the_field_keeping_them(decided, db, language, message):
    application, client = decided
    if language == "en":
        in_english(client)
    grounds = "Эксперты не учли реестр. " * 500
    response = client.post(f"/applications/{application.id}/appeal", data={"grounds": grounds})
    assert response.status_code == 422
    page = text(response)
    assert message in page and "is-invalid" in page and str(escape(grounds)) in page
    db.expire_all()
    assert db.get(Application, application.id).state == "not_certified"


def test_empty_grounds_are_refused_by_the_workflow_beside_the_field(decided):
    application, client = decided
    response = client.post(f"/applications/{application.id}/appeal", data={"grounds": "  "})
    assert response.status_code == 409
    page = text(response)
    assert "Укажите обоснование." in page and "is-invalid" in page


def test_a_second_appeal_is_refused_at_the_top_of_the_page(decided):
    application, client = decided
    url = f"/applications/{application.id}/appeal"
    assert client.post(url, data={"grounds": "Эксперты не учли реестр"}).status_code == 302
    again = client.post(url, data={"grounds": "Ещё раз"})
    assert again.status_code == 409
    page = text(again)
    assert "«Обжаловать решение» невозможно" in page
    assert 'name="grounds"' not in page  # the form is no longer offered, so the reason is shown above


def test_the_answer_to_a_clarification_is_checked_and_kept(asked, db):
    application, client = asked
    url = f"/applications/{application.id}/clarification"
    summary = text(client.get(f"/applications/{application.id}/summary"))
    assert 'id="answer"' in summary and "Приложите реестр." in summary
    empty = client.post(url, data={"answer": ""})
    assert empty.status_code == 422 and "Напишите ответ на вопросы экспертов." in text(empty)
    long = "Реестр приложен. " * 700
    too_long = client.post(url, data={"answer": long})
    assert too_long.status_code == 422 and str(escape(long)) in text(too_long)
    assert client.post(url, data={"answer": "Реестр приложен."}).status_code == 302
    db.expire_all()
    assert db.get(Application, application.id).state == "in_review"


def test_submitting_without_confirming_is_refused_beside_the_checkbox(db, client_for):
    manager = factories.make_user(db, Role.MANAGER)
    application = factories.make_application(db, manager)
    db.commit()
    client = client_for(manager)
    response = client.post(f"/applications/{application.id}/submit", data={})
    assert response.status_code == 422
    assert "Подтвердите, пожалуйста, перед подачей." in text(response)
    summary = text(client.get(f"/applications/{application.id}/summary"))
    # answers are missing, so the button is there but disabled, as the list above it explains
    assert 'type="submit" class="btn btn-success" disabled' in summary


def test_a_workbook_upload_without_a_file_asks_for_one_in_place(db, client_for):
    manager = factories.make_user(db, Role.MANAGER)
    application = factories.make_application(db, manager)
    db.commit()
    client = client_for(manager)
    response = client.post(
        f"/applications/{application.id}/workbook", data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Выберите заполненную книгу для загрузки." in text(response) and 'id="workbook"' in text(response)


def test_an_evidence_upload_without_a_file_says_so(db, client_for):
    manager = factories.make_user(db, Role.MANAGER)
    application = factories.make_application(db, manager)
    db.commit()
    client = client_for(manager)
    url = f"/applications/{application.id}/evidence/str_members"
    response = client.post(url, data={"page": "str"}, content_type="multipart/form-data")
    page = text(response)
    assert response.status_code == 400 and 'id="file-str_members-refused"' in page
    assert "Выберите файл для загрузки." in page and 'data-question="str_members_total"' in page
    unknown_page = client.post(url, data={"page": "../../x"}, content_type="multipart/form-data")
    assert unknown_page.status_code == 400 and 'id="file-str_members-refused"' in text(unknown_page)


def test_a_submitted_application_offers_no_workbook_import(db, client_for):
    case = factories.submitted(db)
    db.commit()
    page = text(client_for(case.manager).get(f"/applications/{case.application.id}/summary"))
    assert f"/applications/{case.application.id}/workbook" + '"' not in page
    assert "/receipt" in page


def test_after_the_decision_the_summary_leads_with_the_assessed_result(decided, db):
    application, client = decided
    page = text(client.get(f"/applications/{application.id}/summary"))
    decision = page.index('id="decision"')
    assert decision < page.index('id="self-assessment"')
    assert "Оценка экспертов:" in page[decision:] and "Решение можно обжаловать до" in page
    assert 'id="offline"' not in page  # the answers can no longer change: no workbook to fill in
    assert "Ответы, как они поданы (XLSX)" in page


def test_the_appeal_form_is_gone_once_the_appeal_period_is_over(decided):
    application, client = decided
    with freeze_time(timedelta(days=31)):
        page = text(client.get(f"/applications/{application.id}/summary"))
    assert "Решение можно обжаловать до" not in page and 'name="grounds"' not in page

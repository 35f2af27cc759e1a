"""Applications as services: start, save pages with optimistic locking, refuse bad answers, submit."""

from __future__ import annotations

import pytest

from certify.accounts.models import Role
from certify.demo.answers import plausible_answers
from certify.questionnaire import services
from certify.questionnaire.pages import pages_of
from tests.factories import make_application, make_user


@pytest.fixture
def manager(db):
    return make_user(db, Role.MANAGER)


@pytest.fixture
def application(db, manager):
    application = make_application(db, manager)
    db.commit()
    return application


def page_answers(application, page_key: str, seed: int = 1) -> dict:
    standard = services.standard_of(application)
    answers = plausible_answers(standard, seed=seed)
    page = next(p for p in pages_of(standard) if p.key == page_key)
    return {q.id: answers[q.id] for q in page.questions if q.id in answers}


def test_a_new_application_is_pinned_to_the_current_version_and_has_every_page(db, application):
    assert application.state == "draft"
    assert application.standard_version.code == "cmq"
    for page in pages_of(services.standard_of(application)):
        assert services.page_version(db, application, page.key).version == 0


def test_one_application_in_preparation_per_organisation(db, manager, application):
    with pytest.raises(services.QuestionnaireError) as error:
        services.start_application(db, manager.organisation, manager)
    assert error.value.status == 409


def test_saving_a_page_stores_answers_and_bumps_the_version(db, manager, application):
    posted = page_answers(application, "str")
    assert services.save_page(db, application, "str", expected_version=0, posted=posted, user=manager) == 1
    db.commit()
    assert services.load_answers(db, application) == posted


def test_a_second_save_from_a_stale_page_is_refused_and_changes_nothing(db, manager, application):
    colleague = make_user(db, Role.MANAGER, organisation=manager.organisation)
    first = page_answers(application, "str", seed=1)
    services.save_page(db, application, "str", expected_version=0, posted=first, user=colleague)
    db.commit()
    second = page_answers(application, "str", seed=2)
    with pytest.raises(services.PageConflict) as conflict:
        services.save_page(db, application, "str", expected_version=0, posted=second, user=manager)
    db.rollback()
    assert conflict.value.version == 1
    assert conflict.value.updated_by.id == colleague.id
    assert conflict.value.theirs == first
    assert services.load_answers(db, application) == first


def test_answers_that_do_not_belong_to_the_page_are_refused(db, manager, application):
    with pytest.raises(services.QuestionnaireError) as error:
        services.save_page(
            db, application, "str", expected_version=0, posted={"gov_team_fte": "3"}, user=manager
        )
    assert error.value.status == 400
    assert services.load_answers(db, application) == {}


def test_answers_to_hidden_questions_are_refused(db, manager, application):
    standard = services.standard_of(application)
    dependent = next(
        q for q in standard.all_questions() if q.visible_if and "gov_board_type" in q.visible_if.source
    )
    posted = {"gov_board_type": "none", dependent.id: "4"}
    with pytest.raises(services.QuestionnaireError):
        services.save_page(db, application, "gov", expected_version=0, posted=posted, user=manager)
    assert services.load_answers(db, application) == {}


def test_submit_refuses_an_incomplete_application(db, manager, application):
    with pytest.raises(services.QuestionnaireError) as error:
        services.submit_application(db, application, manager)
    assert "Не хватает обязательных ответов" in str(error.value)
    assert application.state == "draft"


def test_submit_freezes_a_complete_application(db, manager):
    application = make_application(db, manager)
    standard_answers = plausible_answers(services.standard_of(application), seed=4)
    application = _with_answers(db, application, standard_answers)
    _attach_required_evidence(db, application, manager)
    services.submit_application(db, application, manager)
    db.commit()
    assert application.state == "submitted"
    assert application.snapshot == standard_answers
    with pytest.raises(services.QuestionnaireError):
        services.save_page(db, application, "str", expected_version=0, posted={}, user=manager)


def test_a_new_application_can_start_from_the_last_submitted_one(db, manager):
    application = make_application(db, manager)
    answers = plausible_answers(services.standard_of(application), seed=4)
    _with_answers(db, application, answers)
    _attach_required_evidence(db, application, manager)
    services.submit_application(db, application, manager)
    renewal = services.start_application(db, manager.organisation, manager, previous=application)
    assert services.load_answers(db, renewal) == answers
    assert renewal.previous_id == application.id


def _with_answers(db, application, answers):
    from certify.questionnaire.models import Answer

    db.add_all(Answer(application_id=application.id, question_id=q, value=v) for q, v in answers.items())
    db.flush()
    return application


def _attach_required_evidence(db, application, manager):
    """One PDF per indicator or requirement with a required evidence question."""
    import io

    from certify.questionnaire.evidence import add_evidence
    from certify.questionnaire.pages import pages_of as all_pages

    for page in all_pages(services.standard_of(application)):
        for target, _, questions in page.sections:
            if any(q.type == "evidence" and q.required for q in questions):
                add_evidence(db, application, target, io.BytesIO(MINIMAL_PDF), "устав.pdf", manager)


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

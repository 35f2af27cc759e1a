"""The candidate's practical part: it opens once the theory exam is passed, is filled like the
questionnaire (pages, files, autosave) and submitted on its own, frozen for the examiners (issue 16)."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.audit.models import AuditEntry
from certify.demo.applications import DEMO_PDF
from certify.demo.attestation import write_practical
from certify.outbox.models import OutboxMessage
from certify.questionnaire import services as questionnaire
from certify.questionnaire.models import Application
from certify.questionnaire.pages import ELIGIBILITY_PAGE, Part, pages_of
from certify.review import clarification
from certify.transitions import active_assignments, allowed
from certify.workflow import Action, State
from tests import factories
from tests.attestation import steps
from tests.attestation.theory_steps import admitted, practical_submitted, sit
from tests.factories import make_user

ANSWER = "Карта цепочки: 14 участников в трёх звеньях; разрывы — теплоизоляция и монтажники."


@pytest.fixture
def scheme(db):
    return steps.install_scheme(db)


@pytest.fixture
def passed(db, scheme):
    """An admitted candidate who passed the theory exam (committed, for the clients)."""
    application = admitted(db, user=steps.candidate(db))
    sit(db, application, passed=True)
    db.commit()
    return application


def first_page(application: Application):
    return pages_of(questionnaire.standard_of(application), Part.PRACTICAL)[0]


def answer_id(page) -> str:
    return next(q.id for q in page.questions if q.type == "long_text")


def reload(db, application: Application) -> Application:
    db.expire_all()
    return db.get(Application, application.id)


def test_the_practical_pages_open_only_once_the_theory_exam_is_passed(db, scheme, client_for):
    application = admitted(db, user=steps.candidate(db))
    db.commit()
    page = first_page(application)
    candidate = client_for(application.candidate)
    assert candidate.get(f"/applications/{application.id}/pages/{page.key}").status_code == 404
    posted = {"version": "0", answer_id(page): ANSWER}
    assert candidate.post(f"/applications/{application.id}/pages/{page.key}", data=posted).status_code == 404
    sit(db, application, passed=True)
    db.commit()
    shown = candidate.get(f"/applications/{application.id}/pages/{page.key}").get_data(as_text=True)
    assert "Кейс «Тёплый город»" in shown, "the page carries the task it answers"
    assert f'name="{answer_id(page)}"' in shown and "disabled" not in shown.split(answer_id(page))[1][:200]


def test_the_candidate_saves_the_practical_pages_and_files_but_no_longer_the_prerequisites(
    db, passed, client_for
):
    page = first_page(passed)
    candidate = client_for(passed.candidate)
    url = f"/applications/{passed.id}/pages/{page.key}"
    saved = candidate.post(url, data={"version": "0", answer_id(page): ANSWER, "go": page.key})
    assert saved.status_code == 302
    autosaved = candidate.post(f"{url}/autosave", data={"version": "1", answer_id(page): ANSWER + " Итог."})
    assert autosaved.get_json() == {"saved": True, "version": 2}
    target = page.sections[0][0]
    upload = {"file": (io.BytesIO(DEMO_PDF), "карта.pdf"), "page": page.key}
    uploaded = candidate.post(f"/applications/{passed.id}/evidence/{target}", data=upload)
    assert uploaded.status_code == 302
    assert questionnaire.load_answers(db, reload(db, passed))[answer_id(page)] == ANSWER + " Итог."
    assert [f.original_name for f in questionnaire.evidence_by_target(db, passed)[target]] == ["карта.pdf"]

    # the prerequisites were admitted: shown, but read-only, and a forged save or upload is refused
    eligibility = candidate.get(f"/applications/{passed.id}/pages/{ELIGIBILITY_PAGE}").get_data(as_text=True)
    assert "the answers are shown read-only" in eligibility or "только для чтения" in eligibility
    forged = {"version": "0", "elig_training_hours": "999"}
    refused = candidate.post(f"/applications/{passed.id}/pages/{ELIGIBILITY_PAGE}", data=forged)
    assert refused.status_code == 409
    assert questionnaire.load_answers(db, reload(db, passed))["elig_training_hours"] == "48"
    other_file = {"file": (io.BytesIO(DEMO_PDF), "диплом.pdf"), "page": ELIGIBILITY_PAGE}
    assert (
        candidate.post(f"/applications/{passed.id}/evidence/elig_education", data=other_file).status_code
        == 404
    )


def test_an_incomplete_practical_part_is_refused_with_what_is_missing(db, passed, client_for):
    candidate = client_for(passed.candidate)
    summary = candidate.get(f"/applications/{passed.id}/summary").get_data(as_text=True)
    page = first_page(passed)
    assert "Отправить практическую часть" in summary or "Submit the practical part" in summary
    assert f"/applications/{passed.id}/pages/{page.key}#q-{answer_id(page)}" in summary  # listed as missing
    refused = candidate.post(f"/applications/{passed.id}/practical/submit", data={"confirm": "y"})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Не хватает обязательных ответов" in text or "required answers are missing" in text
    assert reload(db, passed).state == State.ADMITTED


def test_the_submitted_practical_part_is_frozen_receipted_and_goes_to_the_examiners(db, passed, client_for):
    write_practical(db, passed, complete=True)
    db.commit()
    candidate = client_for(passed.candidate)
    unconfirmed = candidate.post(f"/applications/{passed.id}/practical/submit", data={})
    assert unconfirmed.status_code == 422 and reload(db, passed).state == State.ADMITTED
    submitted = candidate.post(f"/applications/{passed.id}/practical/submit", data={"confirm": "y"})
    assert submitted.status_code == 302
    assert submitted.headers["Location"].endswith(f"/attestation/applications/{passed.id}")
    application = reload(db, passed)
    assert application.state == State.PRACTICAL_SUBMITTED and application.practical_submitted_at
    stored = questionnaire.load_answers(db, application)
    assert application.snapshot == stored and answer_id(first_page(application)) in stored
    (entry,) = db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "application.practical_submitted"))
    assert entry.actor_id == application.candidate_id and entry.after["state"] == "practical_submitted"
    (mail,) = db.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.template == "attestation_practical_submitted")
    )
    assert mail.recipient == application.candidate.email and "30" in mail.body

    page = first_page(application)
    again = {"version": "1", answer_id(page): "Другой ответ"}
    assert candidate.post(f"/applications/{application.id}/pages/{page.key}", data=again).status_code == 409
    assert questionnaire.load_answers(db, reload(db, application)) == stored
    assert (
        candidate.post(f"/applications/{application.id}/practical/submit", data={"confirm": "y"}).status_code
        == 409
    )

    coordinator = make_user(db, Role.COORDINATOR)
    assert Action.ASSIGN_ASSESSORS in allowed(db, coordinator, application)
    status = candidate.get(f"/attestation/applications/{application.id}").get_data(as_text=True)
    assert "Практическая часть отправлена" in status or "Your practical part is submitted" in status


def test_the_candidate_answers_the_examiners_question_by_changing_only_what_they_asked_about(db, passed):
    practical_submitted(db, passed)
    team = [make_user(db, Role.ASSESSOR) for _ in range(2)]
    factories.start_review(db, passed, make_user(db, Role.COORDINATOR), team)
    asked, other = pages_of(questionnaire.standard_of(passed), Part.PRACTICAL)[:2]
    indicator = asked.sections[0][0]
    assignment = next(a for a in active_assignments(db, passed) if a.assessor_id == team[0].id)
    clarification.request_clarification(db, assignment, team[0], [indicator], "Какие допущения вы сделали?")
    assert passed.state == State.CLARIFICATION_REQUESTED
    version = questionnaire.page_version(db, passed, asked.key).version
    questionnaire.save_page(
        db,
        passed,
        asked.key,
        expected_version=version,
        posted={answer_id(asked): ANSWER},
        user=passed.candidate,
    )
    with pytest.raises(questionnaire.QuestionnaireError):
        questionnaire.save_page(
            db,
            passed,
            other.key,
            expected_version=questionnaire.page_version(db, passed, other.key).version,
            posted={answer_id(other): "Не спрашивали"},
            user=passed.candidate,
        )
    clarification.answer_clarification(db, passed, passed.candidate, "Допущения названы в ответе.")
    assert passed.state == State.IN_REVIEW
    assert questionnaire.load_answers(db, passed)[answer_id(asked)] == ANSWER

"""Finding 13: saving a page, submitting and starting an application race each other in the database.

Each race is interleaved deterministically: a hook inside one service runs the other service in a second,
independent session (its own connection) and commits it there, at the moment the race would strike. On
PostgreSQL the second session waits for row locks as a second request would; where the first service
already holds the lock, the second gives up after a short lock wait instead of waiting for ever (the
test has one thread), and is retried after the first commits, as the user would press Save again.
"""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from flask_babel import gettext

from certify.accounts.models import Role, User
from certify.demo.answers import plausible_answers
from certify.demo.applications import DEMO_PDF
from certify.questionnaire import services
from certify.questionnaire.evidence import add_evidence
from certify.questionnaire.models import Answer, Application
from certify.questionnaire.pages import has_evidence_question, page_by_key, pages_of
from certify.standards.definition import QuestionType
from certify.workflow import State, states
from tests.concurrency import once_inside, second_session
from tests.factories import install_default_standard, make_application, make_user

SUBMITTED = "This application has been submitted; its answers can no longer be changed."
IN_PREPARATION = "Your organisation already has an application in preparation. Continue that one."
PAGE = "str"
CHANGED = "Изменено, пока заявку подавали"


@pytest.fixture
def draft(db):
    """A complete draft (every answer and file a submission needs), committed: (application, manager)."""
    manager = make_user(db, Role.MANAGER)
    application = make_application(db, manager)
    standard = services.standard_of(application)
    db.add_all(
        Answer(application_id=application.id, question_id=qid, value=value, updated_by_id=manager.id)
        for qid, value in plausible_answers(standard, seed=5).items()
    )
    for page in pages_of(standard):
        for target, _, questions in page.sections:
            if has_evidence_question(questions):
                add_evidence(db, application, target, io.BytesIO(DEMO_PDF), f"{target}.pdf", manager)
    db.commit()
    return application, manager


def text_question(application) -> str:
    """A free-text question of the page that is always asked."""
    page = page_by_key(services.standard_of(application), PAGE)
    return next(q.id for q in page.questions if q.type == QuestionType.LONG_TEXT and q.visible_if is None)


def submit_in(session, application_id: int, manager_id: int) -> None:
    services.submit_application(
        session, session.get(Application, application_id), session.get(User, manager_id)
    )
    session.commit()


def save_in(session, application_id: int, manager_id: int, question_id: str) -> int:
    application = session.get(Application, application_id)
    version = services.page_version(session, application, PAGE).version
    saved = services.save_page(
        session,
        application,
        PAGE,
        expected_version=version,
        posted={question_id: CHANGED},
        user=session.get(User, manager_id),
    )
    session.commit()
    return saved


def answers_now_and_as_submitted(db, application_id: int):
    db.expire_all()
    application = db.get(Application, application_id)
    return services.load_answers(db, application), application.snapshot


def test_finding_13_a_save_checked_before_the_submission_and_written_after_it_is_refused(
    db, draft, monkeypatch
):
    """The page was checked as a draft, then the application was submitted, then the save would write."""
    application, manager = draft
    question_id = text_question(application)
    version = services.page_version(db, application, PAGE).version

    def submit_meanwhile():
        with second_session() as other:
            submit_in(other, application.id, manager.id)

    # between the Python check of the state (editable_questions) and the writes
    once_inside(monkeypatch, services, "load_answers", submit_meanwhile)
    with pytest.raises(services.QuestionnaireError) as refused:
        services.save_page(
            db, application, PAGE, expected_version=version, posted={question_id: CHANGED}, user=manager
        )
    db.rollback()
    assert refused.value.status == 409 and str(refused.value.message) == gettext(SUBMITTED)
    answers, snapshot = answers_now_and_as_submitted(db, application.id)
    assert snapshot is not None and answers == snapshot and answers[question_id] != CHANGED


def test_finding_13_a_save_while_the_submission_is_under_way_lands_before_the_snapshot_or_is_refused(
    db, draft, monkeypatch
):
    """The submission has read the state; a save comes in before it freezes the answers."""
    application, manager = draft
    question_id = text_question(application)
    outcome: list[str] = []

    def save_meanwhile():
        with second_session(lock_wait_ms=300) as other:
            try:
                save_in(other, application.id, manager.id, question_id)
                outcome.append("saved")
            except sa.exc.OperationalError:  # waited for the submission's lock, and gave up
                other.rollback()
                outcome.append("waited")

    # after the submission read the answers it freezes, before it changes the state
    once_inside(monkeypatch, services, "take", save_meanwhile)
    services.submit_application(db, application, manager)
    db.commit()
    if outcome == ["waited"]:
        # pressed again once the submission is committed: refused with the reason
        with second_session() as other, pytest.raises(services.QuestionnaireError) as refused:
            save_in(other, application.id, manager.id, question_id)
        assert refused.value.status == 409 and str(refused.value.message) == gettext(SUBMITTED)
    answers, snapshot = answers_now_and_as_submitted(db, application.id)
    assert answers == snapshot, "an answer changed after the submission froze them"
    assert (snapshot[question_id] == CHANGED) == (outcome == ["saved"])


def test_finding_13_two_starts_at_once_make_one_draft(db, monkeypatch):
    """Both requests see no draft of the organisation; the second to insert gets the first one's draft."""
    manager = make_user(db, Role.MANAGER)
    colleague = make_user(db, Role.MANAGER, organisation=manager.organisation)
    install_default_standard(db)
    db.commit()
    theirs: list[int] = []

    def start_meanwhile():
        with second_session() as other:
            organisation = other.get(User, colleague.id).organisation
            theirs.append(services.start_application(other, organisation, other.get(User, colleague.id)).id)
            other.commit()

    # after the check for a draft, before the insert
    once_inside(monkeypatch, services, "current_version", start_meanwhile)
    ours = services.start_application(db, manager.organisation, manager)
    db.commit()
    drafts = db.scalars(
        sa.select(Application.id).where(
            Application.organisation_id == manager.organisation_id,
            Application.state.in_(states.IN_PREPARATION),
        )
    ).all()
    assert drafts == theirs == [ours.id]


def test_finding_13_one_draft_per_organisation_is_enforced_by_the_database(db):
    """The partial unique index holds even for a write that skips the service's check."""
    manager = make_user(db, Role.MANAGER)
    first = make_application(db, manager)
    db.commit()
    assert {State.DRAFT} == states.IN_PREPARATION, "the index uq_applications_one_draft must follow it"
    db.add(Application(organisation_id=first.organisation_id, standard_version_id=first.standard_version_id))
    with pytest.raises(sa.exc.IntegrityError):
        db.flush()
    db.rollback()

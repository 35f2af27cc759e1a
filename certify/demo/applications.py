"""Demo applications: one in preparation, one submitted, so the questionnaire screens show real data."""

from __future__ import annotations

import io

import sqlalchemy as sa

from certify.demo.answers import plausible_answers
from certify.questionnaire import services
from certify.questionnaire.evidence import add_evidence
from certify.questionnaire.models import Answer, Application
from certify.questionnaire.pages import pages_of
from certify.standards.definition import QuestionType

#: a one-page PDF, enough to stand for a document in the demo
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def load_demo_applications(session, managers: dict, heads: dict[int, str]) -> None:
    """For each demo manager without applications: a draft (first) or submitted (others) application.

    `heads`: {organisation id: the attestation number of its head}, answered where the standard asks.
    """
    for index, manager in enumerate(managers.values()):
        has_any = session.scalar(
            sa.select(Application.id).where(
                Application.organisation_id == manager.organisation_id, Application.candidate_id.is_(None)
            )
        )
        if has_any:
            continue
        head = heads.get(manager.organisation_id)
        if index == 0:
            _draft_application(session, manager)
        else:
            submitted_application(session, manager, seed=index, strength=0.5 + 0.2 * index, head=head)


def _draft_application(session, manager):
    """A draft with its first three pages answered, so the questionnaire screens show work in progress."""
    application = services.start_application(session, manager.organisation, manager)
    standard = services.standard_of(application)
    keep = {q.id for page in pages_of(standard)[:3] for q in page.questions}
    answers = plausible_answers(standard, seed=0, strength=0.5)
    _store_answers(session, application, manager, {q: v for q, v in answers.items() if q in keep})
    attach_evidence(session, application, manager, complete=False)
    return application


def submitted_application(
    session, manager, *, seed: int, strength: float, head: str | None = None
) -> Application:
    """A complete application with evidence, submitted by `manager`; naming `head`, the attestation
    number of the organisation's head, where the standard asks for it."""
    application = services.start_application(session, manager.organisation, manager)
    standard = services.standard_of(application)
    answers = plausible_answers(standard, seed=seed, strength=strength)
    if head is not None:
        answers |= {q.id: head for q in standard.all_questions() if q.type == QuestionType.ATTESTATION}
    _store_answers(session, application, manager, answers)
    attach_evidence(session, application, manager, complete=True)
    services.submit_application(session, application, manager)
    return application


def _store_answers(session, application, manager, answers: dict) -> None:
    session.add_all(
        Answer(application_id=application.id, question_id=qid, value=value, updated_by_id=manager.id)
        for qid, value in answers.items()
    )


def attach_evidence(session, application, manager, *, complete: bool) -> None:
    pages = pages_of(services.standard_of(application))
    for page in pages if complete else pages[:1]:
        for target, _, questions in page.sections:
            if any(q.type == "evidence" for q in questions):
                name = f"{target}-подтверждение.pdf"
                add_evidence(session, application, target, io.BytesIO(DEMO_PDF), name, manager)

"""An application at a glance, as one user may see it: the questionnaire summary's every value.

Progress, the answers still missing, the preliminary self-assessment, the review's outcome so far and the
actions on offer, built in one place from the session, the user and the application. The summary view
only renders it, and the actions come from the workflow (`certify.transitions.allowed`), so the page
offers exactly what taking the action would accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext

from certify.attestation.admission import admission_due, open_return
from certify.certificates.models import Certificate
from certify.certificates.register import latest_of_application
from certify.questionnaire.assessment import (
    AssessmentView,
    CrossCheckWarning,
    cross_check_warnings,
    self_assessment,
)
from certify.questionnaire.display import shown_answer
from certify.questionnaire.models import Application
from certify.questionnaire.pages import (
    Page,
    PageProgress,
    declared_not_applicable,
    missing,
    pages_of,
    progress,
)
from certify.questionnaire.services import load_answers, scoring_day, standard_of, typed_answers_of
from certify.questionnaire.subject import Subject, subject_of
from certify.review.appeals import appeal_of
from certify.review.clarification import all_requests
from certify.review.decisions import decision_of
from certify.review.models import Appeal, ClarificationRequest, Decision
from certify.scoring import score
from certify.standards.definition import Question, Requirement, Standard
from certify.timeutil import as_utc
from certify.transitions import allowed
from certify.web.access import is_applicant, is_staff
from certify.web.i18n import current_language
from certify.workflow import Action, states
from certify.workflow.guards import appeal_deadline


@dataclass(frozen=True)
class Overview:
    """What the summary page shows of `application` to one user."""

    application: Application
    standard: Standard
    #: who applies: an organisation, or a person (an attestation candidate)
    subject: Subject
    #: required questions answered, page by page, in the questionnaire's order
    progress: list[PageProgress]
    #: every required answer still missing, as (page, question), so the page links to each
    missing: list[tuple[Page, Question]]
    #: the questions declared not applicable, as (page, question, the answer as shown), for the manager to
    #: review before submitting: they leave the self-assessment's maximum, and the assessors confirm them
    not_applicable: list[tuple[Page, Question, str]]
    #: the preliminary score from the answers alone; None for a person, whose answers earn no points
    #: (only the examiners' rubric scores the practical part)
    assessment: AssessmentView | None
    #: answers that disagree with one another (the standard's cross-checks), to check before submitting
    warnings: list[tuple[CrossCheckWarning, list[tuple[Page, Question]]]]
    #: the workflow's actions offered to this user now; what they type is checked when they take one
    actions: frozenset[Action]
    #: answers may be imported from a filled workbook (the manager, while the answers may still change)
    can_import_workbook: bool
    #: the assessors' questions and the manager's answers, oldest first
    clarifications: list[ClarificationRequest]
    decision: Decision | None
    #: level id -> its name in the user's language, to name the decision's level
    level_names: dict[str, str]
    appeal: Appeal | None
    #: the last day of the appeal period (shown while the appeal is offered)
    appeal_until: date | None
    #: the latest certificate and the assessment report belong to the holder and the certification body,
    #: not to the assessors who may also see the application
    certificate: Certificate | None
    can_download_report: bool
    #: the answers as a workbook, to fill offline: an organisation's questionnaire (a person's
    #: prerequisites are a single page)
    offers_workbook: bool = True
    #: a person's prerequisites, each with whether the answers meet its rule
    prerequisites: list[tuple[Requirement, bool]] | None = None
    #: a person's application returned for completion: (requirement, what to complete), until submitted
    returned: list[tuple[Requirement, str]] | None = None
    #: the last day of a person's admission check, while it waits for it
    admission_due: date | None = None


def overview_of(session, user, application: Application) -> Overview:
    """The overview of `application` for `user`, who may see it (the caller checked that)."""
    standard = standard_of(application)
    stored = load_answers(session, application)
    typed = typed_answers_of(session, application, stored)
    applicant = is_applicant(user, application)
    holder_or_staff = applicant or is_staff(user)
    language = current_language()
    decision = decision_of(session, application)
    person = application.is_person
    return Overview(
        application=application,
        standard=standard,
        subject=subject_of(application, language),
        progress=progress(standard, typed),
        missing=missing(standard, typed),
        not_applicable=[
            (page, q, shown_answer(q, stored[q.id], language, gettext))
            for page, q in declared_not_applicable(standard, typed)
        ],
        assessment=None if person else self_assessment(standard, typed, scoring_day(application)),
        warnings=_located(standard, cross_check_warnings(standard, typed)),
        actions=allowed(session, user, application),
        can_import_workbook=applicant and application.state in states.EDITABLE and not person,
        clarifications=all_requests(session, application),
        decision=decision,
        level_names={level.id: level.name.get(language) for level in standard.levels},
        appeal=appeal_of(session, application),
        appeal_until=appeal_deadline(as_utc(decision.decided_at).date()) if decision else None,
        certificate=latest_of_application(session, application.id) if holder_or_staff else None,
        can_download_report=holder_or_staff,
        offers_workbook=not person,
        **(_person_view(session, application, standard, typed) if person else {}),
    )


def _person_view(session, application: Application, standard: Standard, typed) -> dict:
    """What a person's summary adds: the prerequisites met, the reasons of a return, the admission's day."""
    met = score(standard, typed).self_assessment.eligibility
    returned = open_return(session, application)
    reasons = returned.reasons if returned is not None else {}
    return {
        "prerequisites": [(r, met[r.id]) for r in standard.eligibility],
        "returned": [(r, reasons[r.id]) for r in standard.eligibility if r.id in reasons],
        "admission_due": admission_due(application),
    }


def _located(standard, warnings: list[CrossCheckWarning]):
    """Each warning with the page and question of every answer that took part, for links."""
    where = {q.id: (page, q) for page in pages_of(standard) for q in page.questions}
    return [(warning, [where[qid] for qid in warning.question_ids]) for warning in warnings]

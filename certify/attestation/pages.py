"""The attestation's pages as the views render them: the schemes, the consent, the admission.

Each view that shows one, to answer a request or a refusal, calls these, so a page shown again with an
error looks like the page first shown, with what the user typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_babel import gettext, ngettext
from flask_login import current_user

from certify.attestation import forms, services
from certify.attestation.admission import admission_due, checks_of
from certify.attestation.models import AdmissionCheck, AdmissionOutcome
from certify.extensions import db
from certify.questionnaire.display import shown_answer
from certify.questionnaire.models import Application, EvidenceFile
from certify.questionnaire.services import evidence_by_target, load_answers, standard_of, typed_answers_of
from certify.questionnaire.subject import subject_of
from certify.scoring import score
from certify.standards.attestation import Attestation
from certify.standards.definition import QuestionType, Requirement, Standard
from certify.standards.models import StandardVersion
from certify.standards.services import definition_of
from certify.textmarks import N_
from certify.timeutil import utcnow
from certify.transitions import actor_on, allowed, facts_about
from certify.web.i18n import current_language
from certify.workflow import Action, State, TransitionRefused
from certify.workflow.machine import find_transition


@dataclass(frozen=True)
class SchemeView:
    """A personal scheme as its list and its consent page show it, in the reader's language."""

    version: StandardVersion
    title: str
    document: str
    description: str
    validity: str
    exam: str
    practical: str
    deadlines: list[str]
    consent: str


def scheme_view(version: StandardVersion, language: str) -> SchemeView:
    """The scheme's facts in words: the document, validity, the exam and the procedure's deadlines."""
    standard = definition_of(version)
    scheme: Attestation = standard.attestation
    exam, procedure = scheme.exam, scheme.procedure
    attempts = exam.attempts
    return SchemeView(
        version=version,
        title=standard.title.get(language),
        document=scheme.document.get(language),
        description=standard.description.get(language),
        validity=ngettext("%(num)d month", "%(num)d months", standard.validity_months),
        exam=gettext(
            "A theory test within %(days)s days of admission; at most %(max)s attempts in %(months)s months, "
            "at least %(gap)s days apart.",
            days=exam.window_days,
            max=attempts.max,
            months=attempts.within_months,
            gap=attempts.min_days_between,
        ),
        practical=gettext(PRACTICAL_FORMS[scheme.practical.form]),
        deadlines=[
            gettext(ADMISSION_WITHIN, days=procedure.admission_days),
            gettext(DECISION_WITHIN, days=procedure.decision_days),
            gettext(APPEAL_WITHIN, days=procedure.appeal_days),
        ],
        consent=scheme.consent.get(language),
    )


PRACTICAL_FORMS = {
    "case": N_("Then, once the theory is passed, a case task answered in writing, scored by two examiners."),
    "portfolio": N_(
        "Then, once the theory is passed, a portfolio of your own work defended before two examiners."
    ),
}
ADMISSION_WITHIN = N_("Admission within %(days)s days of a complete application.")
DECISION_WITHIN = N_("The commission's decision within %(days)s days of the last stage.")
APPEAL_WITHIN = N_("An appeal within %(days)s days of the decision.")


def render_index(status: int = 200):
    """The published schemes, each with "Apply", and the user's own applications for attestation."""
    language = current_language()
    return render_template(
        "attestation/index.html",
        schemes=[scheme_view(v, language) for v in services.published_schemes(db.session)],
        applications=services.applications_of(db.session, current_user),
        unfinished=services.unfinished_by_code(db.session, current_user),
    ), status


def render_apply(version: StandardVersion, form: forms.ApplyForm | None = None, status: int = 200):
    """The scheme with its consent text and the box to tick before applying."""
    return render_template(
        "attestation/apply.html",
        scheme=scheme_view(version, current_language()),
        form=form or forms.ApplyForm(),
    ), status


@dataclass(frozen=True)
class RequirementRow:
    """One prerequisite as the coordinator checks it: the rule's result, the answers, the files."""

    requirement: Requirement
    met: bool
    #: (question, the answer as shown; None when unanswered), evidence questions left to `files`
    answers: list[tuple[str, str | None]]
    files: list[EvidenceFile]


def requirement_rows(session, application: Application, standard: Standard) -> list[RequirementRow]:
    stored = load_answers(session, application)
    met = score(standard, typed_answers_of(session, application, stored)).self_assessment.eligibility
    files = evidence_by_target(session, application)
    language = current_language()
    return [
        RequirementRow(
            requirement,
            met[requirement.id],
            [
                (q.label.get(language), shown_answer(q, stored.get(q.id), language, gettext))
                for q in requirement.questions
                if q.type != QuestionType.EVIDENCE
            ],
            files.get(requirement.id, []),
        )
        for requirement in standard.eligibility
    ]


def render_admission(application: Application, status: int = 200, return_form=None):
    """The coordinator's check: each requirement with the answers and files, a reason field per
    requirement, Admit and Return; the deadline; earlier checks. A refused form comes back as typed."""
    standard = standard_of(application)
    language = current_language()
    actions = allowed(db.session, current_user, application)
    due = admission_due(application)
    return render_template(
        "attestation/admission.html",
        application=application,
        standard=standard,
        subject=subject_of(application, language),
        rows=requirement_rows(db.session, application, standard),
        actions=actions,
        refusal=_why_not(application, actions),
        due=due,
        overdue=due is not None and due < utcnow().date(),
        checks=_checks(application, standard, language),
        stage=_stage(application),
        admit_form=forms.AdmitForm(formdata=None),
        return_form=return_form or forms.return_form(standard, language, formdata=None),
        language=language,
        renewal=_renewal(application),
    ), status


def _renewal(application: Application):
    """The CPD record and route of a renewal, for the admission check; None for a first application."""
    from certify.attestation.cpd_pages import renewal_check  # cpd_pages imports this module

    return renewal_check(application)


def _stage(application: Application):
    """The candidate's stage once admitted (the theory, the examiners' review), for the coordinator."""
    if application.state in (State.DRAFT, State.SUBMITTED, State.WITHDRAWN):
        return None
    from certify.attestation.stages import stage_of  # stages reads the review, which reads the questionnaire

    return stage_of(db.session, application)


def _why_not(application: Application, actions) -> str | None:
    """Why this user may not admit the submitted application (an administrator, say); None if they may."""
    if Action.ADMIT in actions or application.state != State.SUBMITTED:
        return None
    actor = actor_on(db.session, current_user, application)
    try:
        find_transition(State.SUBMITTED, Action.ADMIT, actor, facts_about(db.session, application))
    except TransitionRefused as refused:
        return refused.text(gettext)
    return None


@dataclass(frozen=True)
class CheckRow:
    check: AdmissionCheck
    checked_at: datetime
    returned: bool
    #: (requirement title, reason) of a return
    reasons: list[tuple[str, str]]


def _checks(application: Application, standard: Standard, language: str) -> list[CheckRow]:
    titles = {r.id: r.title.get(language) for r in standard.eligibility}
    rows = []
    for check in checks_of(db.session, application):
        reasons = [(titles.get(rid, rid), text) for rid, text in check.reasons.items()]
        returned = check.outcome == AdmissionOutcome.RETURNED
        rows.append(CheckRow(check, check.checked_at, returned, reasons))
    return rows

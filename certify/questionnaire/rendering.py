"""The questionnaire's two screens as the views render them: a page of questions, and the summary.

Each view that shows one, to answer a request or a refusal, calls these, so a page re-rendered with an
error looks exactly like the page first shown, with what the user typed.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext
from flask_login import current_user

from certify.attestation.admission import returned_reasons
from certify.certificates import issuance
from certify.extensions import db
from certify.questionnaire import evidence, forms, services
from certify.questionnaire.answers import visible_questions
from certify.questionnaire.display import shown_answer, shown_ratios
from certify.questionnaire.models import Application
from certify.questionnaire.overview import overview_of
from certify.questionnaire.pages import Part, evidence_targets, pages_of, pages_through, progress
from certify.standards.definition import QuestionType
from certify.web.access import is_applicant
from certify.web.i18n import current_language

#: the summary's forms, by the names the template knows them by
SUMMARY_FORMS = {
    "form": forms.SubmitForm,
    "appeal_form": forms.AppealForm,
    "answer_form": forms.ClarificationAnswerForm,
    "workbook_form": forms.WorkbookForm,
    "practical_form": forms.PracticalSubmitForm,
}


def render_summary(application: Application, status: int = 200, **sent):
    """The summary; a form that was sent (`appeal_form=form`, ...) comes back with what was typed."""
    # formdata=None: the forms that were not sent stay empty, whatever this request posted
    fresh = {name: form_class(formdata=None) for name, form_class in SUMMARY_FORMS.items()}
    return render_template(
        "questionnaire/summary.html",
        overview=overview_of(db.session, current_user, application),
        **(fresh | sent),
        language=current_language(),
    ), status


def render_page(application: Application, page, form, status: int = 200, conflict=None, upload_errors=None):
    """A page of questions with `form`, its evidence, and both versions after a conflicting save.

    `upload_errors`: {evidence target: [reasons]} of a refused upload, shown beside its file field.
    """
    standard = services.standard_of(application)
    editable_ids = _editable_ids(application, standard, page)
    typed = services.typed_answers_of(db.session, application)
    part = services.part_of(db.session, application)
    pages = pages_through(standard, part)
    index = [p.key for p in pages].index(page.key)
    practical = page in pages_of(standard, Part.PRACTICAL)
    return render_template(
        "questionnaire/page.html",
        application=application,
        standard=standard,
        page=page,
        form=form,
        progress=progress(standard, typed, part),
        visible=visible_questions(page.questions, typed),
        ratios=shown_ratios(standard, typed, current_language()),
        evidence=services.evidence_by_target(db.session, application),
        previous_page=pages[index - 1] if index > 0 else None,
        next_page=pages[index + 1] if index + 1 < len(pages) else None,
        editable=editable_ids is None or bool(editable_ids),
        changed=services.changed_since_previous(
            db.session, application, services.load_answers(db.session, application)
        ),
        editable_ids=editable_ids,
        conflict=conflict,
        upload_errors=upload_errors or {},
        conflict_rows=_conflict_rows(page, form, conflict) if conflict else [],
        evidence_targets=evidence_targets(standard, Part.PRACTICAL if practical else Part.APPLICATION),
        # a person's practical page: the scheme's task it answers
        task=standard.attestation.practical.task if practical else None,
        task_open=practical and page == pages_of(standard, Part.PRACTICAL)[0],
        upload_limit_mb=evidence.upload_limit() // (1024 * 1024),
        # {question id: the attestation its saved number names} for the page's attestation questions
        attestations=_attestations_on(page, services.load_answers(db.session, application)),
        # a person's application returned for completion: {requirement id: what to complete}
        returned=returned_reasons(db.session, application),
        language=current_language(),
    ), status


def _attestations_on(page, stored) -> dict:
    """The attestations the page's saved numbers name, by question, shown beside each with its status."""
    numbers = {
        q.id: stored[q.id] for q in page.questions if q.type == QuestionType.ATTESTATION and stored.get(q.id)
    }
    if not numbers:
        return {}
    found = {row.number: row for row in issuance.attestations_numbered(db.session, numbers.values())}
    return {qid: found[number] for qid, number in numbers.items() if number in found}


def _editable_ids(application, standard, page):
    """None: all the page's answers editable; a set: only those (clarification); empty: read-only for
    this user (the prerequisites too, once a person's practical part is being filled)."""
    if not is_applicant(current_user, application):
        return frozenset()
    try:
        allowed = services.editable_questions(db.session, application)
    except services.QuestionnaireError:
        return frozenset()
    if allowed is None and page not in pages_of(standard, services.open_part(db.session, application)):
        return frozenset()
    return allowed


def _conflict_rows(page, form, conflict) -> list[tuple[str, str, str]]:
    """(question, their saved answer, this user's answer) for every answer the two versions disagree on."""
    mine = forms.posted_answers(page, form)
    language = current_language()

    def shown(question, value) -> str:
        return shown_answer(question, value, language, gettext) or ""

    return [
        (q.label.get(language), shown(q, conflict.theirs.get(q.id)), shown(q, mine.get(q.id)))
        for q in forms.answerable(page)
        if conflict.theirs.get(q.id) != mine.get(q.id)
    ]

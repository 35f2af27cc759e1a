"""Forms of the questionnaire pages, built from the standard (see fields.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, HiddenField, IntegerField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from certify.questionnaire.answers import NOT_APPLICABLE_KEY, Stored, encode, not_applicable_justification
from certify.questionnaire.fields import (
    FIELD_FACTORIES,
    justification_name,
    not_applicable_name,
    questionnaire_form_class,
    shown_number,
)
from certify.questionnaire.pages import ELIGIBILITY_PAGE, Page
from certify.standards import numbers
from certify.standards.definition import NUMBER_TYPES, Question

#: the longest grounds of an appeal, or answer to the assessors' questions
TEXT_LIMIT = 10_000


def answerable(page: Page):
    """The page's questions answered in the form (evidence is uploaded separately)."""
    return [q for q in page.questions if q.type in FIELD_FACTORIES]


def page_form(page: Page, locale: str, **kwargs):
    """The form of one page; drafts may leave required questions empty (completeness is checked at submit)."""
    form_class = questionnaire_form_class(answerable(page), locale, enforce_required=False)
    form_class.version = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    return form_class(**kwargs)


def posted_answers(page: Page, form) -> dict[str, Stored]:
    return {q.id: _posted(q, form) for q in answerable(page)}


def _posted(question: Question, form) -> Stored:
    justification = form.justification(question.id)
    if justification is not None:
        return {NOT_APPLICABLE_KEY: justification}
    return encode(question, form[question.id].data)


def errors_by_question(page: Page, form) -> dict[str, list[str]]:
    """The form's errors, those of a "not applicable" checkbox or justification under its question's id."""
    owners = {
        name: q.id
        for q in answerable(page)
        if q.not_applicable
        for name in (not_applicable_name(q.id), justification_name(q.id))
    }
    errors: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        errors.setdefault(owners.get(name, name), []).extend(str(message) for message in messages)
    return errors


def forged_not_applicable(page: Page, formdata) -> list[Question]:
    """The page's questions the standard does not let be declared not applicable, posted as if it did.

    Their form has no such fields, so what was posted is never read; the manager is told it was ignored.
    """
    return [
        q
        for q in answerable(page)
        if not q.not_applicable
        and (not_applicable_name(q.id) in formdata or justification_name(q.id) in formdata)
    ]


def stored_formdata(page: Page, stored, version: int, locale: str) -> MultiDict:
    """Stored answers as the form data a browser in `locale` would post, to fill the page's fields.

    An answer declared not applicable fills the checkbox and the justification, and leaves its input empty.
    """
    data = MultiDict({"version": str(version)})
    for question in answerable(page):
        value = stored.get(question.id)
        if isinstance(value, dict):
            justification = not_applicable_justification(value)
            if question.not_applicable and justification is not None:
                add_not_applicable(data, question.id, justification)
            continue
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                data.add(question.id, _as_typed(question, item, locale))
    return data


def add_not_applicable(data: MultiDict, question_id: str, justification: str) -> None:
    """Form data as a browser posts the question declared not applicable, with `justification`."""
    data.add(not_applicable_name(question_id), "y")
    data.add(justification_name(question_id), justification)


def _as_typed(question: Question, stored: str, locale: str) -> str:
    """A stored number as the reader would type it ("1500,5" in Russian); anything else as stored."""
    if question.type not in NUMBER_TYPES:
        return stored
    try:
        return shown_number(numbers.parse_number(stored), locale)
    except numbers.NumberRefused:
        return stored  # stored before the number rule: shown as it is, for the manager to correct


class StartForm(FlaskForm):
    prefill = BooleanField(_l("Start from the answers of our last submitted application"), default=True)
    submit = SubmitField(_l("Start a new application"))


class SubmitForm(FlaskForm):
    confirm = BooleanField(
        _l("We confirm that the answers and documents are true and complete."),
        validators=[InputRequired(message=_l("Please confirm before submitting."))],
    )
    submit = SubmitField(_l("Submit the application"))


class PracticalSubmitForm(FlaskForm):
    """A candidate's practical part, submitted on its own once the theory exam is passed."""

    confirm = BooleanField(
        _l("I confirm that the practical part is my own work and that its answers and files are complete."),
        validators=[InputRequired(message=_l("Please confirm before submitting."))],
    )
    submit = SubmitField(_l("Submit the practical part"))


def _at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("Write at most %(max)d characters."))


class AppealForm(FlaskForm):
    """The grounds of the one appeal; that they are given is the workflow's rule (`appeal` needs reasons)."""

    grounds = TextAreaField(
        _l("Grounds of the appeal (a decision is appealed once)"),
        validators=[_at_most(TEXT_LIMIT)],
        default="",  # not posted at all: empty, for the workflow to refuse as such
    )
    submit = SubmitField(_l("Appeal the decision"))


class ClarificationAnswerForm(FlaskForm):
    """The manager's answer to the assessors' questions; the service refuses an empty one."""

    answer = TextAreaField(_l("Your answer"), validators=[_at_most(TEXT_LIMIT)], default="")
    submit = SubmitField(_l("Send the answer"))


class EvidenceForm(FlaskForm):
    """A file for one indicator or requirement; its content, not its name, decides its type (the service)."""

    file = FileField(validators=[FileRequired(message=_l("Choose a file to upload."))])
    #: the page the upload was made from, to return to
    page = HiddenField(default=ELIGIBILITY_PAGE)


class WorkbookForm(FlaskForm):
    """A filled workbook to import."""

    file = FileField(
        _l("Filled workbook"),
        validators=[FileRequired(message=_l("Choose the filled workbook to upload."))],
        id="workbook",  # the id the summary page has always given it (the browser journey selects it)
    )


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that post."""

    marker = HiddenField()

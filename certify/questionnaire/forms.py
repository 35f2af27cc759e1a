"""Forms of the questionnaire pages, built from the standard (see fields.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, HiddenField, IntegerField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from certify.questionnaire.answers import Stored, encode
from certify.questionnaire.fields import FIELD_FACTORIES, questionnaire_form_class, shown_number
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
    return {q.id: encode(q, form[q.id].data) for q in answerable(page)}


def stored_formdata(page: Page, stored, version: int, locale: str) -> MultiDict:
    """Stored answers as the form data a browser in `locale` would post, to fill the page's fields."""
    data = MultiDict({"version": str(version)})
    for question in answerable(page):
        value = stored.get(question.id)
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                data.add(question.id, _as_typed(question, item, locale))
    return data


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


def _at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("Write at most %(max)d characters."))


class AppealForm(FlaskForm):
    """The grounds of the one appeal; that they are given is the workflow's rule (`appeal` needs reasons)."""

    grounds = TextAreaField(
        _l("Grounds of an appeal (once, within 30 days of the decision)"),
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

"""Forms of the questionnaire pages, built from the standard (see fields.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, HiddenField, IntegerField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from certify.questionnaire.answers import Stored, encode
from certify.questionnaire.fields import FIELD_FACTORIES, questionnaire_form_class
from certify.questionnaire.pages import Page


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


def stored_formdata(page: Page, stored, version: int) -> MultiDict:
    """Stored answers as the form data a browser would post, to fill the page's fields."""
    data = MultiDict({"version": str(version)})
    for question in answerable(page):
        value = stored.get(question.id)
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                data.add(question.id, item)
    return data


class StartForm(FlaskForm):
    prefill = BooleanField(_l("Start from the answers of our last submitted application"), default=True)
    submit = SubmitField(_l("Start a new application"))


class SubmitForm(FlaskForm):
    confirm = BooleanField(
        _l("We confirm that the answers and documents are true and complete."),
        validators=[InputRequired(message=_l("Please confirm before submitting."))],
    )
    submit = SubmitField(_l("Submit the application"))


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that post."""

    marker = HiddenField()

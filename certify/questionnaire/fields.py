"""The registry that turns each question type of the standard into a WTForms field.

Each field is named after the question's stable `id`, so the form posts `{question id: value}`. Number
questions read their text with the rule of `certify.standards.numbers`, the same for every way in. A
question the standard lets the manager declare "not applicable" has two more fields, named after its id
with a hyphen (which no id contains): the checkbox and the manager's justification.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from babel.numbers import format_decimal
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from certify.certificates.forms import NUMBER, canonical_number
from certify.standards import numbers
from certify.standards.definition import Question, QuestionType
from certify.web.forms import select_choices

SHORT_TEXT_LIMIT = 500
LONG_TEXT_LIMIT = 10_000
#: a justification of "not applicable": a sentence at least, a page at most
JUSTIFICATION_MIN, JUSTIFICATION_MAX = 10, 2_000


class MultipleChoiceField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NumberField(Field):
    """A number answer: `parse_number` (or `parse_integer`) reads the text; a refusal is the field's error.

    What was typed stays in the input when it is refused, and the question's own bounds are checked only
    on a number, so the manager reads one reason, not two. The input is a text box with a numeric
    keyboard, not `type=number`: a browser sends nothing at all for a number field it cannot read
    ("1 500,5", "1E+999"), so the answer would look saved while it was lost. Numbers are read and shown
    the way the reader's locale writes them.
    """

    def __init__(self, label=None, validators=None, *, locale: str, whole: bool = False, **kwargs):
        keyboard = {"inputmode": "numeric" if whole else "decimal", "autocomplete": "off"}
        super().__init__(label, validators, widget=TextInput(), render_kw=keyboard, **kwargs)
        self.locale, self.whole = locale, whole

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        read = numbers.parse_integer if self.whole else numbers.parse_number
        try:
            self.data = read(valuelist[0], self.locale)
        except numbers.NumberRefused as refusal:
            raise ValueError(gettext(refusal.template) % refusal.params) from refusal

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else shown_number(self.data, self.locale)


def shown_number(value, locale: str) -> str:
    """A number the way `locale` writes it, every digit kept and none grouped, so it reads back the same."""
    return format_decimal(value, format="0.######", locale=locale)


class AtMostChoices:
    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, form, field):
        if field.data and len(field.data) > self.limit:
            raise ValidationError(_l("Choose at most %(n)d options.", n=self.limit))


def _bounds(question: Question) -> list:
    if question.minimum is None and question.maximum is None:
        return []
    return [
        NumberRange(
            min=question.minimum,
            max=question.maximum,
            message=_bounds_message(question),
        )
    ]


def _bounds_message(question: Question):
    low, high = question.minimum, question.maximum
    if low is not None and high is not None:
        return _l("Enter a number from %(low)s to %(high)s.", low=low, high=high)
    if low is not None:
        return _l("Enter a number of at least %(low)s.", low=low)
    return _l("Enter a number of at most %(high)s.", high=high)


def _choice(question: Question, locale: str, **kwargs):
    choices = select_choices((o.value, o.label.get(locale)) for o in question.options)
    return RadioField(choices=choices, **kwargs)


def _multiple(question: Question, locale: str, validators, **kwargs):
    choices = select_choices((o.value, o.label.get(locale)) for o in question.options)
    if question.max_choices:
        validators = [*validators, AtMostChoices(question.max_choices)]
    return MultipleChoiceField(choices=choices, validators=validators, **kwargs)


def _yes_no(question: Question, locale: str, **kwargs):
    return RadioField(choices=select_choices([("yes", _l("Yes")), ("no", _l("No"))]), **kwargs)


def _integer(question: Question, locale: str, validators, **kwargs):
    return NumberField(validators=[*validators, *_bounds(question)], locale=locale, whole=True, **kwargs)


def _decimal(question: Question, locale: str, validators, **kwargs):
    return NumberField(validators=[*validators, *_bounds(question)], locale=locale, **kwargs)


def _date(question: Question, locale: str, **kwargs):
    return DateField(**kwargs)


def _short_text(question: Question, locale: str, validators, **kwargs):
    return StringField(validators=[*validators, Length(max=SHORT_TEXT_LIMIT)], **kwargs)


def _long_text(question: Question, locale: str, validators, **kwargs):
    return TextAreaField(
        validators=[*validators, Length(max=LONG_TEXT_LIMIT)], render_kw={"rows": 5}, **kwargs
    )


def _attestation(question: Question, locale: str, validators, **kwargs):
    """A person's attestation number, written the way the registry writes it whatever was typed."""
    shape = Regexp(
        NUMBER, message=_l("Enter the attestation's number as it is printed, e.g. CMA-2026-000001.")
    )
    return StringField(validators=[*validators, Optional(), shape], filters=[_canonical], **kwargs)


def _canonical(value):
    return canonical_number(value) if isinstance(value, str) and value.strip() else value


FieldFactory = Callable[..., object]
#: question type -> field factory; evidence questions are answered by uploads, not form fields
FIELD_FACTORIES: dict[QuestionType, tuple[FieldFactory, bool]] = {
    QuestionType.SINGLE_CHOICE: (_choice, False),
    QuestionType.MULTIPLE_CHOICE: (_multiple, True),
    QuestionType.YES_NO: (_yes_no, False),
    QuestionType.INTEGER: (_integer, True),
    QuestionType.DECIMAL: (_decimal, True),
    QuestionType.PERCENTAGE: (_decimal, True),
    QuestionType.MONEY: (_decimal, True),
    QuestionType.DATE: (_date, False),
    QuestionType.SHORT_TEXT: (_short_text, True),
    QuestionType.LONG_TEXT: (_long_text, True),
    QuestionType.ATTESTATION: (_attestation, True),
}


def question_field(question: Question, locale: str, *, enforce_required: bool):
    """The unbound field for `question`; `enforce_required` is off while saving drafts."""
    factory, takes_validators = FIELD_FACTORIES[question.type]
    required = question.required and enforce_required
    validators = [InputRequired(message=_l("This question needs an answer."))] if required else [Optional()]
    kwargs = {
        "label": question.label.get(locale),
        "description": question.help.get(locale) if question.help else "",
        "id": f"q-{question.id}",
    }
    if takes_validators:
        return factory(question, locale, validators, **kwargs)
    return factory(question, locale, validators=validators, **kwargs)


def not_applicable_name(question_id: str) -> str:
    """The checkbox that declares the question not applicable."""
    return f"{question_id}-not-applicable"


def justification_name(question_id: str) -> str:
    """The manager's reason why the question does not apply."""
    return f"{question_id}-justification"


class JustifiedWhenDeclared:
    """The justification: needed, of 10 to 2,000 characters, while its question is declared not applicable."""

    def __init__(self, question_id: str):
        self.checkbox = not_applicable_name(question_id)

    def __call__(self, form, field):
        if not form[self.checkbox].data:
            raise StopValidation()  # an unchecked box: the justification is not read
        length = len((field.data or "").strip())
        if length == 0:
            raise StopValidation(gettext("Say why this question does not apply to your cluster."))
        if not JUSTIFICATION_MIN <= length <= JUSTIFICATION_MAX:
            raise StopValidation(
                gettext(
                    "Write from %(min)d to %(max)d characters (now %(length)d).",
                    min=JUSTIFICATION_MIN,
                    max=JUSTIFICATION_MAX,
                    length=length,
                )
            )


def _not_applicable_fields(question: Question, locale: str) -> dict[str, object]:
    label = question.label.get(locale)
    return {
        not_applicable_name(question.id): BooleanField(
            _l("Not applicable to our cluster"), id=f"q-{question.id}-not-applicable"
        ),
        justification_name(question.id): TextAreaField(
            # the error summary names the field by this label, so it names its question
            _l("Why “%(question)s” does not apply", question=label),
            validators=[JustifiedWhenDeclared(question.id)],
            render_kw={"rows": 3, "maxlength": JUSTIFICATION_MAX},
            id=f"q-{question.id}-justification",
        ),
    }


class QuestionnaireForm(FlaskForm):
    """A page's answers; a question declared not applicable keeps its input, but it is not read."""

    #: ids of the questions that may be declared not applicable (set per form class)
    declarable: frozenset[str] = frozenset()

    def not_applicable_fields(self, question_id: str):
        """(checkbox, justification) of a question that may be declared not applicable, else None."""
        if question_id not in self.declarable:
            return None
        return self[not_applicable_name(question_id)], self[justification_name(question_id)]

    def justification(self, question_id: str) -> str | None:
        """The manager's reason when the question is declared not applicable; None when it is answered."""
        if question_id not in self.declarable or not self[not_applicable_name(question_id)].data:
            return None
        return (self[justification_name(question_id)].data or "").strip()

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        for question_id in self.declarable:
            if self.justification(question_id) is not None:
                self[question_id].errors = []  # what was typed in the answer itself is ignored
        return not self.errors


def questionnaire_form_class(questions: Sequence[Question], locale: str, *, enforce_required: bool):
    """A Form class with one field per (non-evidence) question, named by the question's id."""
    fields: dict[str, object] = {}
    for question in questions:
        if question.type in FIELD_FACTORIES:
            fields[question.id] = question_field(question, locale, enforce_required=enforce_required)
            if question.not_applicable:
                fields.update(_not_applicable_fields(question, locale))
    declarable = frozenset(q.id for q in questions if q.not_applicable and q.type in FIELD_FACTORIES)
    return type("QuestionnaireForm", (QuestionnaireForm,), {**fields, "declarable": declarable})

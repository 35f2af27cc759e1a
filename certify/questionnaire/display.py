"""A stored answer as its reader sees it: the one formatter for every page and document that shows answers.

Answers are stored as the form posts them (`certify.questionnaire.answers`): option values such as
`statutes_registry`, "yes"/"no", numbers in plain notation (`95.05`), ISO dates. A reader gets instead the
option labels in their language, Yes or No in their language, numbers written the way their locale writes
them (grouped, with its decimal mark) followed by the question's unit, and dates in words. Texts and file
names are the applicant's own words and are shown as written, and so is the justification of an answer
declared not applicable, after the words "Not applicable" in the reader's language. A stored value that
no longer fits the question (an option removed, a number edited by hand) is shown as stored rather than
hidden.
Pure: no Flask, no SQLAlchemy; the caller passes its `translate` (gettext) for the words of the app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from certify.questionnaire.answers import Stored, is_empty, not_applicable_justification, typed
from certify.scoring import derived_answers
from certify.standards.definition import NUMBER_TYPES, Question, QuestionType, Standard
from certify.textmarks import N_

YES = N_("Yes")
NO = N_("No")
NOT_APPLICABLE_SHOWN = N_("Not applicable — %(justification)s")
#: a computed ratio is read to two decimals: its sources' own precision would be noise
RATIO_PLACES = Decimal("0.01")
#: every digit the questionnaire accepts after the decimal mark (`numbers.MAX_PLACES`), groups of thousands
NUMBER_FORMAT = "#,##0.######"
#: between a number and its unit, so that a line never breaks between them
NO_BREAK = "\u00a0"


def shown_answer(
    question: Question, stored: Stored, locale: str, translate: Callable[[str], str] = str
) -> str | None:
    """What the reader of `locale` sees of the stored answer to `question`; None if it is unanswered."""
    if is_empty(stored):
        return None
    justification = not_applicable_justification(stored)
    if justification is not None:
        return translate(NOT_APPLICABLE_SHOWN) % {"justification": justification}
    kind = question.type
    if kind == QuestionType.SINGLE_CHOICE:
        return _label(question, stored, locale)
    if kind == QuestionType.MULTIPLE_CHOICE:
        values = stored if isinstance(stored, list) else [stored]
        return "; ".join(_label(question, value, locale) for value in values)
    if kind == QuestionType.YES_NO:
        return translate({"yes": YES, "no": NO}[stored]) if stored in ("yes", "no") else str(stored)
    if kind in NUMBER_TYPES:
        return _number(question, stored, locale)
    if kind == QuestionType.DATE:
        return _date(stored, locale)
    return ", ".join(stored) if isinstance(stored, list) else str(stored)


def shown_ratios(standard: Standard, answers: Mapping[str, Any], locale: str) -> dict[str, str]:
    """Each ratio question the typed `answers` let the engine compute, as read: two decimals and its unit."""
    questions = {q.id: q for q in standard.all_questions()}
    if not any(q.type == QuestionType.RATIO for q in questions.values()):
        return {}  # nothing to compute, and a standard that scores nothing (a yearly report) has no plan
    return {
        question_id: _with_unit(questions[question_id], _two_places(value, locale), locale)
        for question_id, value in derived_answers(standard, answers).items()
    }


def _two_places(value: Decimal, locale: str) -> str:
    return format_decimal(value.quantize(RATIO_PLACES, ROUND_HALF_UP), format="#,##0.00", locale=locale)


def shown_number(value: int | Decimal, locale: str) -> str:
    """A number for reading: grouped as `locale` groups it, with its decimal mark, every digit kept."""
    return format_decimal(value, format=NUMBER_FORMAT, locale=locale)


def _label(question: Question, value: object, locale: str) -> str:
    option = next((o for o in question.options if o.value == value), None)
    return option.label.get(locale) if option else str(value)


def _number(question: Question, stored: Stored, locale: str) -> str:
    value = typed(question, stored)
    if value is None:  # not a number the questionnaire would accept: shown as it is stored
        return str(stored)
    return _with_unit(question, shown_number(value, locale), locale)


def _with_unit(question: Question, number: str, locale: str) -> str:
    unit = (
        question.unit.get(locale)
        if question.unit
        else ("%" if question.type == QuestionType.PERCENTAGE else "")
    )
    return f"{number}{NO_BREAK}{unit}" if unit else number


def _date(stored: Stored, locale: str) -> str:
    try:
        return format_date(date.fromisoformat(str(stored)), format="long", locale=locale)
    except ValueError:
        return str(stored)

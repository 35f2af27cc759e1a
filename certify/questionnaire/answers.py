"""Answers in their two shapes: as stored (the strings a form posts) and as the scoring engine reads them.

Stored shape, one JSON value per question: single choice, yes/no ("yes"/"no"), numbers, dates (ISO) and
texts are strings; multiple choice is a list of option values; "not applicable", where the standard allows
it, is `{"not_applicable": "<the manager's justification>"}`. Keeping the form's own strings means a
page, the XLSX workbook and the autosave all go through the same WTForms validation. A stored number the
rule of `certify.standards.numbers` refuses (saved before that rule, or edited by hand) reads as
unanswered, so the summary lists it as missing instead of the scoring engine refusing the whole page.
An attestation question stores the number typed; its typed answer says whether that number is an
attestation in force, a fact the caller reads from the registry (`typed_answers`' `attestations`).
Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from certify.standards import numbers
from certify.standards.definition import NOT_APPLICABLE, Question, QuestionType, Standard

Stored = str | list[str] | dict[str, str] | None
#: the key of a stored "not applicable" answer; its value is the manager's justification
NOT_APPLICABLE_KEY = "not_applicable"


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def encode(question: Question, data: Any) -> Stored:
    """A WTForms field's data in the stored shape; empty answers become None."""
    if is_empty(data):
        return None
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return [str(value) for value in data]
    if isinstance(data, Decimal):
        return format(data.normalize(), "f")
    if isinstance(data, date):
        return data.isoformat()
    return str(data).strip() if isinstance(data, str) else str(data)


def not_applicable_justification(stored: Stored) -> str | None:
    """The manager's reason when `stored` is a "not applicable" answer; None for any other answer."""
    if isinstance(stored, dict) and isinstance(stored.get(NOT_APPLICABLE_KEY), str):
        return stored[NOT_APPLICABLE_KEY]
    return None


def typed(question: Question, stored: Stored) -> Any:
    """The stored answer as the scoring engine and conditions read it (see Question's docstring)."""
    # A ratio is computed, never stored; one stored anyway (from an older version of the question) is noise.
    if is_empty(stored) or question.type == QuestionType.RATIO:
        return None
    if isinstance(stored, dict):
        # Only where the standard allows it; a stored one the standard (no longer) allows is unanswered.
        allowed = question.not_applicable and not_applicable_justification(stored) is not None
        return NOT_APPLICABLE if allowed else None
    kind = question.type
    if kind == QuestionType.MULTIPLE_CHOICE:
        return tuple(stored)
    if kind == QuestionType.YES_NO:
        return stored == "yes"
    if kind == QuestionType.INTEGER:
        return _number(numbers.parse_integer, stored)
    if kind in (QuestionType.DECIMAL, QuestionType.PERCENTAGE, QuestionType.MONEY):
        return _number(numbers.parse_number, stored)
    if kind == QuestionType.DATE:
        return date.fromisoformat(stored)
    return stored


def _number(parse, stored: Stored) -> int | Decimal | None:
    if not isinstance(stored, str):
        return None
    try:
        return parse(stored)
    except numbers.NumberRefused:
        return None


def typed_answers(
    standard: Standard,
    stored: Mapping[str, Stored],
    evidence: Mapping[str, Iterable[str]],
    attestations: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Every answered question of `standard`, typed; evidence questions get the files of their indicator.

    `attestations`: {number: scheme code} of the persons' attestations in force on the day the answers
    are read; an attestation question is true when its number is one of its scheme's (none given: none
    is held).
    """
    questions = {q.id: q for q in standard.all_questions()}
    answers = {qid: typed(questions[qid], value) for qid, value in stored.items() if qid in questions}
    in_force = attestations or {}
    for qid, value in answers.items():
        if questions[qid].type == QuestionType.ATTESTATION and isinstance(value, str):
            answers[qid] = in_force.get(value) == questions[qid].scheme
    for requirement in standard.eligibility:
        _attach_evidence(answers, requirement.questions, evidence.get(requirement.id, ()))
    for indicator in standard.indicators():
        _attach_evidence(answers, indicator.questions, evidence.get(indicator.id, ()))
    return {qid: value for qid, value in answers.items() if value is not None}


def _attach_evidence(answers: dict, questions: Iterable[Question], files: Iterable[str]) -> None:
    files = tuple(files)
    for question in questions:
        if question.type == QuestionType.EVIDENCE:
            answers[question.id] = files or None


def visible_questions(questions: Iterable[Question], answers: Mapping[str, Any]) -> set[str]:
    """Ids of the questions shown for these answers (a question without a condition is always shown).

    As in the scoring engine (docs/scoring.md, 4a), conditions read "not applicable" as unanswered.
    """
    readable = {qid: value for qid, value in answers.items() if value is not NOT_APPLICABLE}
    return {q.id for q in questions if q.visible_if is None or q.visible_if.evaluate(readable)}

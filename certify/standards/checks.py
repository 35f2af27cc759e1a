"""Checks the meaning of a standard whose shape already matches `schema.json`.

Works on the plain values read from YAML (so every problem can be located by path) and reports to a
`Locator`. Weights must add up to exactly 100 — areas in the standard, indicators within each area —
so that a weight reads directly as a share of the total score.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from certify.standards import messages
from certify.standards.attestation_checks import check_attestation
from certify.standards.conditions import ConditionSyntaxError, Expression, parse
from certify.standards.definition import (
    BANDED_TYPES,
    NUMBER_TYPES,
    POINTED_TYPES,
    TWO_WAY_TYPES,
    QuestionType,
)
from certify.standards.level_checks import check_critical, check_levels, check_not_applicable
from certify.standards.located import (
    Located,
    check_bands,
    items_of,
    questions_of,
    refers_back,
    report_duplicates,
)
from certify.standards.monitoring_checks import check_monitoring
from certify.standards.problems import Locator, PathParts
from certify.standards.relation_checks import check_cross_checks, check_phases, check_ratios

CHOICE_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE})
#: Question fields that mean something only for some types.
FIELDS_BY_TYPE = {
    "cap": {QuestionType.MULTIPLE_CHOICE},
    "max_choices": {QuestionType.MULTIPLE_CHOICE},
    "points_yes": TWO_WAY_TYPES,
    "points_no": TWO_WAY_TYPES,
    "scheme": {QuestionType.ATTESTATION},
    "unit": BANDED_TYPES,
    "minimum": NUMBER_TYPES,
    "maximum": NUMBER_TYPES,
    "bands": BANDED_TYPES,
    "phase_bands": BANDED_TYPES,
    # "not applicable" takes a question out of its indicator's points: it means nothing where none are
    # earned, and a ratio follows its sources (it is unanswered when one of them is not applicable)
    "not_applicable": POINTED_TYPES - {QuestionType.RATIO},
    "numerator": {QuestionType.RATIO},
    "denominator": {QuestionType.RATIO},
    "per": {QuestionType.RATIO},
}
HUNDRED = Decimal(100)


def check_standard(data: dict[str, Any], locator: Locator) -> None:
    """Report every mistake of meaning in `data` to `locator`."""
    questions = list(questions_of(data))
    _check_unique_ids(data, questions, locator)
    _check_weights(data, locator)
    for path, question in questions:
        _check_question_fields(path, question, locator)
    check_not_applicable(data, locator)
    _check_expressions(data, questions, locator)
    check_levels(data, locator)
    check_critical(data, locator)
    check_ratios(questions, locator)
    check_phases(data, questions, locator)
    check_cross_checks(data, questions, locator)
    check_attestation(data, locator)
    check_monitoring(data, locator)


def _check_unique_ids(data: dict[str, Any], questions: list[Located], locator: Locator) -> None:
    indicators = [
        (("areas", a, "indicators", i), indicator)
        for a, area in enumerate(data["areas"])
        for i, indicator in enumerate(area["indicators"])
    ]
    report_duplicates("area", items_of(data, "areas"), "id", locator)
    report_duplicates("indicator", indicators, "id", locator)
    report_duplicates("question", questions, "id", locator)
    report_duplicates("requirement", items_of(data, "eligibility"), "id", locator)
    report_duplicates("level", items_of(data, "levels"), "id", locator)
    for path, question in questions:
        options = [
            ((*path, "options", index), option) for index, option in enumerate(question.get("options", ()))
        ]
        report_duplicates("option", options, "value", locator)
    ranks: dict[int, PathParts] = {}
    for path, level in items_of(data, "levels"):
        if level["rank"] in ranks:
            locator.report((*path, "rank"), messages.DUPLICATE_RANK, rank=level["rank"])
        ranks.setdefault(level["rank"], path)


def _check_weights(data: dict[str, Any], locator: Locator) -> None:
    _check_weight_total("area", ("areas",), data["areas"], locator)
    for a, area in enumerate(data["areas"]):
        path = ("areas", a, "indicators")
        _check_weight_total("indicator", path, area["indicators"], locator)


def _check_weight_total(kind: str, path: PathParts, items: list[dict[str, Any]], locator: Locator) -> None:
    total = sum((Decimal(item["weight"]) for item in items), Decimal(0))
    if total == 0:
        locator.report(path, messages.WEIGHTS_ALL_ZERO, kind=kind)
    elif total != HUNDRED:
        locator.report(path, messages.WEIGHTS_NOT_100, kind=kind, total=total)


def _check_question_fields(path: PathParts, question: dict[str, Any], locator: Locator) -> None:
    kind = QuestionType(question["type"])
    options = question.get("options", [])
    if kind in CHOICE_TYPES and len(options) < 2:
        locator.report(path, messages.OPTIONS_MISSING, type=kind.value)
    if kind not in CHOICE_TYPES and "options" in question:
        locator.report((*path, "options"), messages.OPTIONS_NOT_ALLOWED, type=kind.value)
    for field, types in FIELDS_BY_TYPE.items():
        if field in question and kind not in types:
            locator.report((*path, field), messages.FIELD_NOT_ALLOWED, field=field, type=kind.value)
    minimum, maximum = question.get("minimum"), question.get("maximum")
    if minimum is not None and maximum is not None and minimum >= maximum:
        locator.report((*path, "maximum"), messages.BOUNDS_REVERSED, minimum=minimum, maximum=maximum)
    if options and question.get("max_choices", 0) > len(options):
        locator.report(
            (*path, "max_choices"),
            messages.MAX_CHOICES_TOO_MANY,
            value=question["max_choices"],
            count=len(options),
        )
    check_bands((*path, "bands"), question.get("bands", []), locator)


def _check_expressions(data: dict[str, Any], questions: list[Located], locator: Locator) -> None:
    order: dict[str, int] = {}
    for position, (_, question) in enumerate(questions):
        order.setdefault(question["id"], position)
    options = {q["id"]: {o["value"] for o in q.get("options", ())} for _, q in questions}
    # A ratio is computed after the answers are in; a condition on it would hide its own sources' meaning.
    ratios = {q["id"] for _, q in questions if q["type"] == QuestionType.RATIO}
    for path, question in questions:
        if "visible_if" not in question:
            continue
        where = (*path, "visible_if")
        expression = _parse(where, question["visible_if"], locator)
        if expression is None:
            continue
        for reference in sorted(expression.references()):
            if reference in ratios:
                locator.report(where, messages.REFERENCE_RATIO, id=reference)
            else:
                refers_back(where, reference, question, order, locator)
        _check_options_named(where, expression, options, locator)
    # A rule or a level's condition is judged on the whole answer set, so it may name any question.
    rules = [((*path, "rule"), item["rule"]) for path, item in items_of(data, "eligibility")]
    rules += [
        ((*path, "requires"), item["requires"])
        for path, item in items_of(data, "levels")
        if "requires" in item
    ]
    for where, source in rules:
        expression = _parse(where, source, locator)
        if expression is None:
            continue
        for reference in sorted(expression.references() - order.keys()):
            locator.report(where, messages.REFERENCE_UNKNOWN, id=reference)
        for reference in sorted(expression.references() & ratios):
            locator.report(where, messages.REFERENCE_RATIO, id=reference)
        _check_options_named(where, expression, options, locator)


def _parse(path: PathParts, source: str, locator: Locator) -> Expression | None:
    try:
        return parse(source)
    except ConditionSyntaxError as error:
        locator.report(path, messages.EXPRESSION_SYNTAX, error=str(error))
        return None


def _check_options_named(
    path: PathParts,
    expression: Expression,
    options: dict[str, set[str]],
    locator: Locator,
) -> None:
    """A choice answer compared with a value that is not one of its options is a typo."""
    for question_id, value in expression.comparisons():
        choices = options.get(question_id)
        if choices and value not in choices:
            locator.report(path, messages.OPTION_UNKNOWN, id=question_id, value=value)

"""Checks the meaning of a standard whose shape already matches `schema.json`.

Works on the plain values read from YAML (so every problem can be located by path) and reports to a
`Locator`. Weights must add up to exactly 100 — areas in the standard, indicators within each area —
so that a weight reads directly as a share of the total score.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from certify.standards import messages
from certify.standards.conditions import ConditionSyntaxError, Expression, parse
from certify.standards.definition import NUMBER_TYPES, POINTED_TYPES, QuestionType
from certify.standards.problems import Locator, PathParts

CHOICE_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE})
#: Question fields that mean something only for some types.
FIELDS_BY_TYPE = {
    "cap": {QuestionType.MULTIPLE_CHOICE},
    "max_choices": {QuestionType.MULTIPLE_CHOICE},
    "points_yes": {QuestionType.YES_NO},
    "points_no": {QuestionType.YES_NO},
    "unit": NUMBER_TYPES,
    "minimum": NUMBER_TYPES,
    "maximum": NUMBER_TYPES,
    "bands": NUMBER_TYPES,
    # "not applicable" takes a question out of its indicator's points: it means nothing where none are earned
    "not_applicable": POINTED_TYPES,
}
HUNDRED = Decimal(100)

Located = tuple[PathParts, dict[str, Any]]


def check_standard(data: dict[str, Any], locator: Locator) -> None:
    """Report every mistake of meaning in `data` to `locator`."""
    questions = list(_questions(data))
    _check_unique_ids(data, questions, locator)
    _check_weights(data, locator)
    for path, question in questions:
        _check_question_fields(path, question, locator)
    _check_not_applicable(data, locator)
    _check_expressions(data, questions, locator)
    _check_levels(data, locator)
    _check_critical(data, locator)


def _questions(data: dict[str, Any]) -> Iterator[Located]:
    """Every question with its path, in questionnaire order (eligibility first)."""
    for r, requirement in enumerate(data["eligibility"]):
        for q, question in enumerate(requirement.get("questions", ())):
            yield ("eligibility", r, "questions", q), question
    for a, area in enumerate(data["areas"]):
        for i, indicator in enumerate(area["indicators"]):
            for q, question in enumerate(indicator.get("questions", ())):
                yield ("areas", a, "indicators", i, "questions", q), question


def _items(data: dict[str, Any], key: str) -> list[Located]:
    return [((key, index), item) for index, item in enumerate(data[key])]


def _check_unique_ids(data: dict[str, Any], questions: list[Located], locator: Locator) -> None:
    indicators = [
        (("areas", a, "indicators", i), indicator)
        for a, area in enumerate(data["areas"])
        for i, indicator in enumerate(area["indicators"])
    ]
    _report_duplicates("area", _items(data, "areas"), "id", locator)
    _report_duplicates("indicator", indicators, "id", locator)
    _report_duplicates("question", questions, "id", locator)
    _report_duplicates("requirement", _items(data, "eligibility"), "id", locator)
    _report_duplicates("level", _items(data, "levels"), "id", locator)
    for path, question in questions:
        options = [
            ((*path, "options", index), option) for index, option in enumerate(question.get("options", ()))
        ]
        _report_duplicates("option", options, "value", locator)
    ranks: dict[int, PathParts] = {}
    for path, level in _items(data, "levels"):
        if level["rank"] in ranks:
            locator.report((*path, "rank"), messages.DUPLICATE_RANK, rank=level["rank"])
        ranks.setdefault(level["rank"], path)


def _report_duplicates(kind: str, items: Iterable[Located], key: str, locator: Locator) -> None:
    first_paths: dict[str, PathParts] = {}
    for path, item in items:
        value = item[key]
        if value in first_paths:
            first = locator.line_of((*first_paths[value], key))
            locator.report((*path, key), messages.DUPLICATE_ID, kind=kind, id=value, first=first)
        else:
            first_paths[value] = path


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
    _check_bands((*path, "bands"), question.get("bands", []), locator)


def _check_bands(path: PathParts, bands: list[dict[str, Any]], locator: Locator) -> None:
    infinity = Decimal("Infinity")
    spans = []
    for index, band in enumerate(bands):
        low, high = band.get("minimum", -infinity), band.get("maximum", infinity)
        if low >= high:
            locator.report((*path, index), messages.BAND_EMPTY, minimum=low, maximum=high)
        else:
            spans.append((low, high, index))
    spans.sort()
    for (_, high, first), (low, _, second) in zip(spans, spans[1:], strict=False):
        if low < high:
            pair = sorted((first, second))
            locator.report((*path, pair[1]), messages.BANDS_OVERLAP, first=pair[0], second=pair[1])


def _check_expressions(data: dict[str, Any], questions: list[Located], locator: Locator) -> None:
    order: dict[str, int] = {}
    for position, (_, question) in enumerate(questions):
        order.setdefault(question["id"], position)
    options = {q["id"]: {o["value"] for o in q.get("options", ())} for _, q in questions}
    for position, (path, question) in enumerate(questions):
        if "visible_if" not in question:
            continue
        where = (*path, "visible_if")
        expression = _parse(where, question["visible_if"], locator)
        if expression is None:
            continue
        for reference in sorted(expression.references()):
            if reference == question["id"]:
                locator.report(where, messages.REFERENCE_SELF, id=reference)
            elif reference not in order:
                locator.report(where, messages.REFERENCE_UNKNOWN, id=reference)
            elif order[reference] > position:
                locator.report(where, messages.REFERENCE_FORWARD, id=reference)
        _check_options_named(where, expression, options, locator)
    for path, requirement in _items(data, "eligibility"):
        where = (*path, "rule")
        expression = _parse(where, requirement["rule"], locator)
        if expression is None:
            continue
        for reference in sorted(expression.references() - order.keys()):
            locator.report(where, messages.REFERENCE_UNKNOWN, id=reference)
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


def _check_levels(data: dict[str, Any], locator: Locator) -> None:
    indicator_ids = {i["id"] for area in data["areas"] for i in area["indicators"]}
    for path, level in _items(data, "levels"):
        for indicator_id in level.get("min_rubric", {}):
            if indicator_id not in indicator_ids:
                locator.report(
                    (*path, "min_rubric", indicator_id),
                    messages.LEVEL_UNKNOWN_INDICATOR,
                    id=indicator_id,
                )
    ranked = sorted(_items(data, "levels"), key=lambda item: item[1]["rank"])
    for (_, lower), (path, higher) in zip(ranked, ranked[1:], strict=False):
        for field in ("min_total", "min_area"):
            lower_value, value = lower.get(field, 0), higher.get(field, 0)
            if value < lower_value:
                locator.report(
                    (*path, field),
                    messages.LEVEL_NOT_STRICTER,
                    id=higher["id"],
                    lower=lower["id"],
                    field=field,
                    value=value,
                    lower_value=lower_value,
                )


def _check_not_applicable(data: dict[str, Any], locator: Locator) -> None:
    """Eligibility is never optional, and no area may be answered away entirely (docs/scoring.md)."""
    for path, question in _questions(data):
        if path[0] == "eligibility" and question.get("not_applicable"):
            locator.report((*path, "not_applicable"), messages.NOT_APPLICABLE_ELIGIBILITY)
    for path, area in _items(data, "areas"):
        pointed = [
            question
            for indicator in area["indicators"]
            for question in indicator.get("questions", ())
            if QuestionType(question["type"]) in POINTED_TYPES
        ]
        if pointed and all(question.get("not_applicable") for question in pointed):
            locator.report(path, messages.NOT_APPLICABLE_WHOLE_AREA, id=area["id"])


def _check_critical(data: dict[str, Any], locator: Locator) -> None:
    indicator_ids = {i["id"] for area in data["areas"] for i in area["indicators"]}
    area_ids = {area["id"] for area in data["areas"]}
    for path, level in _items(data, "levels"):
        named: set[str] = set()
        for index, critical in enumerate(level.get("critical", ())):
            where, indicator_id = (*path, "critical", index, "indicator"), critical["indicator"]
            if indicator_id not in indicator_ids:
                locator.report(where, messages.CRITICAL_UNKNOWN_INDICATOR, id=indicator_id)
            elif indicator_id in named:
                locator.report(where, messages.CRITICAL_TWICE, id=indicator_id)
            named.add(indicator_id)
        for index, area_id in enumerate(level.get("min_area_exempt", ())):
            if area_id not in area_ids:
                where = (*path, "min_area_exempt", index)
                locator.report(where, messages.EXEMPT_UNKNOWN_AREA, id=area_id)
    _check_exemptions_narrow_upwards(data, locator)


def _check_exemptions_narrow_upwards(data: dict[str, Any], locator: Locator) -> None:
    """An area exempt at a level must be exempt below it too, or the higher level is easier to reach."""
    levels = _items(data, "levels")
    for path, higher in levels:
        for index, area_id in enumerate(higher.get("min_area_exempt", ())):
            for _, lower in levels:
                binding = lower["rank"] < higher["rank"] and lower.get("min_area", 0) > 0
                if binding and area_id not in lower.get("min_area_exempt", ()):
                    locator.report(
                        (*path, "min_area_exempt", index),
                        messages.EXEMPT_NOT_BELOW,
                        id=higher["id"],
                        area=area_id,
                        lower=lower["id"],
                    )

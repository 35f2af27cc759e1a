"""Answers, question by question: is a typed answer acceptable, and how many points does it earn.

The Python type of each answer is fixed by `certify.standards.definition.Question`. Anything else raises
`ScoringInputError` naming the question: a wrong answer must never be scored as a silent zero. Numbers
outside the question's own minimum/maximum, or longer than `certify.standards.numbers` allows, are refused
too, since the questionnaire never lets them through.
Both functions return closures, built once per question by the scoring plan.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from certify.scoring.results import ScoringInputError
from certify.standards import numbers
from certify.standards.definition import NUMBER_TYPES, TWO_WAY_TYPES, Band, Question, QuestionType, Text

#: what `wrong_type` says an answer must be, in both languages
BOOLEAN = Text(ru="значением True или False", en="true or false")
DATE = Text(ru="датой", en="a date")
STRING = Text(ru="строкой", en="a string")
FILE_IDS = Text(ru="кортежем идентификаторов файлов", en="a tuple of file ids")
OPTION = Text(ru="значением варианта", en="an option value")
OPTIONS = Text(ru="кортежем значений вариантов", en="a tuple of option values")
INTEGER = Text(ru="целым числом", en="an integer")
NUMBER = Text(ru="Decimal или целым числом", en="a Decimal or an integer")

Checker = Callable[[Any], None]
Pointer = Callable[[Any], Decimal]

_TEXT_TYPES = (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT)
_ZERO = Decimal(0)
_BELOW_ALL, _ABOVE_ALL = Decimal("-Infinity"), Decimal("Infinity")
#: the largest whole number `numbers.check_number` accepts (it refuses 10**MAX_DIGITS and more)
_WIDEST = Decimal(10**numbers.MAX_DIGITS - 1)
_STRING_TYPE = frozenset({str})


def checker(question: Question) -> Checker:
    """A function that raises ScoringInputError when a (non-None) answer does not fit `question`."""
    kind = question.type
    if kind == QuestionType.SINGLE_CHOICE:
        return _single_choice_checker(question)
    if kind == QuestionType.MULTIPLE_CHOICE:
        return _multiple_choice_checker(question)
    if kind in NUMBER_TYPES:
        return _number_checker(question)
    if kind in TWO_WAY_TYPES:
        return _type_checker(question, BOOLEAN, lambda value: isinstance(value, bool))
    if kind == QuestionType.DATE:
        return _type_checker(question, DATE, _is_date)
    if kind in _TEXT_TYPES:
        return _type_checker(question, STRING, lambda value: isinstance(value, str))
    if kind == QuestionType.RATIO:
        return _computed_checker(question)
    return _file_ids_checker(question)


def pointer(question: Question, phase: str | None = None) -> Pointer:
    """A function from a checked answer to the points it earns (for pointed question types only).

    `phase` picks a number's bands for a cluster in that maturity phase (`Question.phase_bands`).
    """
    kind = question.type
    if kind == QuestionType.SINGLE_CHOICE:
        return {option.value: option.points for option in question.options}.__getitem__
    if kind == QuestionType.MULTIPLE_CHOICE:
        return _multiple_choice_pointer(question)
    if kind in TWO_WAY_TYPES:
        yes, no = question.points_yes, question.points_no
        return lambda value: yes if value else no
    return _band_pointer(question.bands_in(phase))


def _multiple_choice_pointer(question: Question) -> Pointer:
    table = {option.value: option.points for option in question.options}
    cap = question.cap

    def points(values: tuple[str, ...]) -> Decimal:
        total = _ZERO
        for value in values:
            total += table[value]
        return total if cap is None else min(total, cap)

    return points


def _band_pointer(bands: tuple[Band, ...]) -> Pointer:
    steps = _steps(bands)
    if steps is None:
        return _scanning_pointer(bands)
    edges, earned = steps
    # An int answer is searched among int edges when they are whole: comparing an int with a Decimal
    # converts it every time. Either way the comparisons are exact.
    whole = all(edge == edge.to_integral_value() for edge in edges)
    int_edges = tuple(int(edge) for edge in edges) if whole else edges

    def points(value: int | Decimal) -> Decimal:
        return earned[bisect.bisect_right(int_edges if type(value) is int else edges, value)]

    return points


def _steps(bands: tuple[Band, ...]) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...]] | None:
    """The bands as a step function for a binary search: a value with `n` edges at or below it earns
    `earned[n]` (a step between two bands is a gap, which earns nothing).

    None when the bands overlap or one ends before it starts: the format refuses both, but a standard built
    in code does not go through it, and there the first band that contains the value must still win.
    """
    edges, earned = [], [_ZERO]
    for band in sorted(bands, key=_start):
        edges += (_start(band), _ABOVE_ALL if band.maximum is None else band.maximum)
        earned += (band.points, _ZERO)
    if any(low > high for low, high in zip(edges, edges[1:], strict=False)):
        return None
    # Every value is above an open start and below an open end: those edges decide nothing.
    while edges and edges[0] == _BELOW_ALL:
        del edges[0], earned[0]
    while edges and edges[-1] == _ABOVE_ALL:
        del edges[-1], earned[-1]
    return tuple(edges), tuple(earned)


def _start(band: Band) -> Decimal:
    return _BELOW_ALL if band.minimum is None else band.minimum


def _scanning_pointer(bands: tuple[Band, ...]) -> Pointer:
    def points(value: int | Decimal) -> Decimal:
        number = Decimal(value)
        return next((band.points for band in bands if band.contains(number)), _ZERO)

    return points


def _type_checker(question: Question, expected: Text, accepts: Callable[[Any], bool]) -> Checker:
    def check(value: Any) -> None:
        if not accepts(value):
            raise _wrong_type(question, expected, value)

    return check


def _file_ids_checker(question: Question) -> Checker:
    # The loop written out: the most frequent check of a submission, and a generator costs twice as much.
    def check(value: Any) -> None:
        if isinstance(value, tuple):
            for item in value:
                if not isinstance(item, str):
                    break
            else:
                return
        raise _wrong_type(question, FILE_IDS, value)

    return check


def _computed_checker(question: Question) -> Checker:
    def check(value: Any) -> None:
        raise ScoringInputError("computed_answered", question=question.id)

    return check


def _single_choice_checker(question: Question) -> Checker:
    options = frozenset(option.value for option in question.options)

    def check(value: Any) -> None:
        if not isinstance(value, str):
            raise _wrong_type(question, OPTION, value)
        if value not in options:
            raise ScoringInputError("unknown_option", question=question.id, value=value)

    return check


def _multiple_choice_checker(question: Question) -> Checker:
    single = _single_choice_checker(question)
    options = frozenset(option.value for option in question.options)
    limit = question.max_choices

    def check(value: Any) -> None:
        # The common case, a tuple of distinct known options, with no call per choice; anything else
        # takes the checks below, which name the first fault.
        if (
            type(value) is tuple
            and set(map(type, value)) <= _STRING_TYPE
            and options.issuperset(value)
            and len(set(value)) == len(value)
            and (limit is None or len(value) <= limit)
        ):
            return
        if not isinstance(value, tuple):
            raise _wrong_type(question, OPTIONS, value)
        for choice in value:
            single(choice)
        if len(set(value)) != len(value):
            repeated = next(choice for choice in value if value.count(choice) > 1)
            raise ScoringInputError("repeated_option", question=question.id, value=repeated)
        if limit is not None and len(value) > limit:
            raise ScoringInputError("too_many_choices", question=question.id, limit=limit, count=len(value))

    return check


def _number_checker(question: Question) -> Checker:
    integer = question.type == QuestionType.INTEGER
    expected = INTEGER if integer else NUMBER
    low, high = question.minimum, question.maximum
    # What both the question's bounds and `numbers.check_number` accept, for a check without calls; a
    # number outside takes the full checks below, which say which rule it breaks.
    lowest = -_WIDEST if low is None else max(low, -_WIDEST)
    highest = _WIDEST if high is None else min(high, _WIDEST)
    lowest_integer, highest_integer = math.ceil(lowest), math.floor(highest)

    def check(value: Any) -> None:
        kind = type(value)
        if kind is int and lowest_integer <= value <= highest_integer:
            return
        # A whole Decimal has no places to count; the others are counted below.
        whole = kind is Decimal and not integer and value.is_finite() and value == value.to_integral_value()
        if whole and lowest <= value <= highest:
            return
        # bool is an int subclass, and a float would carry binary rounding into the points: both refused.
        exact = isinstance(value, int) or (not integer and isinstance(value, Decimal) and value.is_finite())
        if isinstance(value, bool) or not exact:
            raise _wrong_type(question, expected, value)
        try:
            numbers.check_number(value)
        except numbers.NumberRefused:
            found = _shortened(value)
            raise ScoringInputError("too_many_digits", question=question.id, found=found) from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise _out_of_range(question, value)

    return check


def _is_date(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _out_of_range(question: Question, value: int | Decimal) -> ScoringInputError:
    # As strings: a Decimal parameter would be shown rounded to one decimal, hiding why it is out of range.
    low, high = (str(bound) if bound is not None else "…" for bound in (question.minimum, question.maximum))
    return ScoringInputError("out_of_range", question=question.id, value=str(value), low=low, high=high)


def _shortened(value: int | Decimal) -> str:
    """The number, or its order of magnitude when it is long: it may have a million digits."""
    if isinstance(value, int) and value.bit_length() > 128:
        # Neither str() (refused past 4300 digits) nor Decimal() (a minute for a million digits) of it.
        return f"{'-' if value < 0 else ''}~1e+{int(value.bit_length() * 0.30103)}"
    text = str(value)
    return text if len(text) <= 40 else format(value, ".6e")


def _wrong_type(question: Question, expected: Text, value: Any) -> ScoringInputError:
    return ScoringInputError("wrong_type", question=question.id, expected=expected, found=repr(value))

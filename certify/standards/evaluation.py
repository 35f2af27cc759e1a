"""How conditions hold on answers: the closures `certify.standards.conditions` compiles into.

The rules are documented in `certify.standards.conditions`. Every function here is total: whatever
the answers hold, a test returns True or False and never raises, because conditions run while a
questionnaire is being filled in and a half-filled form must never crash the page.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

Answers = Mapping[str, Any]
Evaluator = Callable[[Answers], bool]
Operand = Callable[[Answers], Any]
_COLLECTIONS = (tuple, list, set, frozenset)


def negation(inner: Evaluator) -> Evaluator:
    return lambda answers: not inner(answers)


def getter(question_id: str) -> Operand:
    return lambda answers: answers.get(question_id)


def counter(question_id: str) -> Callable[[Answers], Decimal | None]:
    return lambda answers: _count(answers.get(question_id))


def is_unanswered(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, _COLLECTIONS):
        return not value
    if isinstance(value, Decimal):
        return value.is_nan()
    if isinstance(value, float):
        return math.isnan(value)
    return False


def _count(value: Any) -> Decimal | None:
    if is_unanswered(value):
        return None
    return Decimal(len(value)) if isinstance(value, _COLLECTIONS) else Decimal(1)


def _normalise(value: Any) -> Any:
    """An answer as a comparable value: Decimal for numbers, date, str; None for anything else."""
    if isinstance(value, (bool, int)):
        return Decimal(int(value))
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return None if value.is_nan() else value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, date):
        return value
    return None


@functools.lru_cache(maxsize=256)
def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _matching(answer: Any, literal: Any) -> tuple[Any, Any] | None:
    """The answer and the literal as a pair of the same kind, or None when they cannot be compared."""
    answer = _normalise(answer)
    if isinstance(answer, date):
        literal = _iso_date(literal) if isinstance(literal, str) else None
        return None if literal is None else (answer, literal)
    if isinstance(answer, Decimal) and isinstance(literal, Decimal):
        return answer, literal
    if isinstance(answer, str) and isinstance(literal, str):
        return answer, literal
    return None


_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def compare(operand: Operand, comparator: str, literal: Any) -> Evaluator:
    holds = _ORDERINGS[comparator]

    def evaluate(answers: Answers) -> bool:
        value = operand(answers)
        if isinstance(value, _COLLECTIONS):
            return False
        pair = _matching(value, literal)
        return pair is not None and holds(*pair)

    return evaluate


def _equals(answer: Any, literal: Any) -> bool:
    pair = _matching(answer, literal)
    return pair is not None and pair[0] == pair[1]


def one_of(operand: Operand, literals: tuple[Any, ...]) -> Evaluator:
    def evaluate(answers: Answers) -> bool:
        value = operand(answers)
        chosen = value if isinstance(value, _COLLECTIONS) else (value,)
        return any(_equals(item, literal) for item in chosen for literal in literals)

    return evaluate


def contains(question_id: str, option: Any) -> Evaluator:
    def evaluate(answers: Answers) -> bool:
        value = answers.get(question_id)
        chosen = value if isinstance(value, _COLLECTIONS) else (value,)
        return any(_equals(item, option) for item in chosen)

    return evaluate

"""Small standards built straight from the dataclasses, and the default standard, for the scoring tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from certify.standards.definition import (
    Area,
    Band,
    Indicator,
    Level,
    Option,
    Question,
    QuestionType,
    Requirement,
    Standard,
    Text,
)
from certify.standards.format import LIBRARY, load_standard_file


@cache
def cmq() -> Standard:
    return load_standard_file(LIBRARY / "cmq-1.0.yaml")


@cache
def cmq_1_1() -> Standard:
    return load_standard_file(LIBRARY / "cmq-1.1.yaml")


def text(value: str) -> Text:
    return Text(ru=value, en=value)


def choice(question_id: str, points: dict[str, str], **fields) -> Question:
    options = tuple(Option(value, text(value), Decimal(p)) for value, p in points.items())
    return Question(question_id, QuestionType.SINGLE_CHOICE, text(question_id), options=options, **fields)


def choices(question_id: str, points: dict[str, str], **fields) -> Question:
    options = tuple(Option(value, text(value), Decimal(p)) for value, p in points.items())
    return Question(question_id, QuestionType.MULTIPLE_CHOICE, text(question_id), options=options, **fields)


def yes_no(question_id: str, yes: str = "2", no: str = "0", **fields) -> Question:
    return Question(
        question_id,
        QuestionType.YES_NO,
        text(question_id),
        points_yes=Decimal(yes),
        points_no=Decimal(no),
        **fields,
    )


def number(question_id: str, *bands: tuple[str | None, str | None, str], **fields) -> Question:
    """A number question; each band is (minimum, maximum, points) with None for an open end."""
    kind = fields.pop("type", QuestionType.INTEGER)
    built = tuple(
        Band(Decimal(p), None if lo is None else Decimal(lo), None if hi is None else Decimal(hi))
        for lo, hi, p in bands
    )
    return Question(question_id, kind, text(question_id), bands=built, **fields)


def plain(question_id: str, kind: QuestionType, **fields) -> Question:
    return Question(question_id, kind, text(question_id), **fields)


@dataclass(frozen=True)
class When:
    """A tiny `Condition`, so these tests do not hang on the expression language of the standards."""

    source: str
    test: Callable[[Mapping[str, Any]], bool] = field(compare=False)
    refs: frozenset[str] = frozenset()

    def evaluate(self, answers: Mapping[str, Any]) -> bool:
        return self.test(answers)

    def references(self) -> frozenset[str]:
        return self.refs


def equals(question_id: str, value: Any) -> When:
    return When(
        f"{question_id} == {value!r}",
        lambda answers: answers.get(question_id) == value,
        frozenset({question_id}),
    )


def at_least(question_id: str, minimum: int) -> When:
    def test(answers: Mapping[str, Any]) -> bool:
        return answers.get(question_id) is not None and answers[question_id] >= minimum

    return When(f"{question_id} >= {minimum}", test, frozenset({question_id}))


def indicator(indicator_id: str, *questions: Question, weight: str = "1", **fields) -> Indicator:
    rubric = tuple(text(f"{indicator_id} {n}") for n in range(5))
    return Indicator(
        indicator_id,
        text(indicator_id),
        Decimal(weight),
        text("guidance"),
        rubric,
        text("evidence"),
        questions,
        **fields,
    )


def area(area_id: str, *indicators: Indicator, weight: str = "1") -> Area:
    return Area(area_id, text(area_id), Decimal(weight), indicators=indicators)


def level(level_id: str, rank: int, min_total: str, min_area: str = "0", **fields) -> Level:
    return Level(level_id, text(level_id), rank, Decimal(min_total), Decimal(min_area), **fields)


def requirement(requirement_id: str, rule: When, *questions: Question) -> Requirement:
    return Requirement(requirement_id, text(requirement_id), rule, text("evidence"), questions)


def standard(*areas: Area, levels=(), eligibility=()) -> Standard:
    return Standard(
        "test", "1.0", text("Test"), text("Test"), 24, tuple(eligibility), tuple(levels), tuple(areas)
    )

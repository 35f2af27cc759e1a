"""Scores one attempt on its form: `score_attempt`.

Pure: no Flask, no SQLAlchemy. Every item is worth one point. A single choice earns it with its correct
option; a multiple choice only with exactly its correct set (all-or-nothing, so that ticking every box
never pays); an unanswered item earns nothing. Percents are exact fractions rounded once, half up to one
decimal, as the standard's scoring rounds (`certify.scoring.rules.displayed`), and pass marks are judged on
those displayed values, so what the candidate reads always agrees with the verdict. The candidate passes
when the total reaches the blueprint's pass mark AND every area reaches its own: a strong area must not
hide a missing competence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from certify.exams import messages
from certify.exams.bank import Bank, Item, ItemType
from certify.exams.forms import Form, FormSlot
from certify.exams.messages import ExamInputError
from certify.scoring.rules import displayed

#: item id -> the option ids chosen (empty or absent: unanswered)
Answers = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class AreaResult:
    area: str
    correct: int
    total: int
    percent: Decimal
    pass_mark: Decimal
    passed: bool


@dataclass(frozen=True)
class AttemptResult:
    """The result of an attempt.

    `meets_pass_mark`: the total reaches the blueprint's pass mark; `passed`: that, and every area passed.
    """

    correct: int
    total: int
    percent: Decimal
    pass_mark: Decimal
    meets_pass_mark: bool
    passed: bool
    #: area id -> its result, in blueprint order
    areas: Mapping[str, AreaResult]
    #: item id -> whether it earned its point, in form order
    items: Mapping[str, bool]


def score_attempt(items: Bank | Iterable[Item], form: Form, answers: Answers) -> AttemptResult:
    """Score `answers` on `form`, looking up the versions it shows in `items` (a bank, or stored versions).

    Raises ExamInputError for an answer to an item not on the form, an option the item does not have or
    chosen twice, more than one option for a single choice, or a form version missing from `items`.
    """
    versions = {(item.id, item.version): item for item in (items.items if isinstance(items, Bank) else items)}
    on_form = set(form.item_ids)
    for item_id in answers:
        if item_id not in on_form:
            raise ExamInputError(messages.ANSWER_NOT_ON_FORM, item=item_id)
    earned = {
        slot.item_id: _earns(_item_of(slot, versions), answers.get(slot.item_id, ())) for slot in form.slots
    }
    areas = {}
    for part in form.blueprint.areas:
        marks = [earned[slot.item_id] for slot in form.slots if slot.area == part.area]
        percent = _percent(sum(marks), len(marks))
        areas[part.area] = AreaResult(
            area=part.area,
            correct=sum(marks),
            total=len(marks),
            percent=percent,
            pass_mark=part.pass_mark,
            passed=percent >= part.pass_mark,
        )
    correct = sum(earned.values())
    percent = _percent(correct, len(earned))
    meets_pass_mark = percent >= form.blueprint.pass_mark
    return AttemptResult(
        correct=correct,
        total=len(earned),
        percent=percent,
        pass_mark=form.blueprint.pass_mark,
        meets_pass_mark=meets_pass_mark,
        passed=meets_pass_mark and all(area.passed for area in areas.values()),
        areas=areas,
        items=earned,
    )


def check_answer(item: Item, chosen: Sequence[str]) -> None:
    """Refuse an answer `score_attempt` would refuse: an unknown option, one chosen twice, two for a
    single choice, a text instead of a list (ExamInputError). An empty answer is allowed: unanswered."""
    _earns(item, chosen)


def _item_of(slot: FormSlot, versions: Mapping[tuple[str, int], Item]) -> Item:
    try:
        return versions[slot.item_id, slot.item_version]
    except KeyError:
        raise ExamInputError(
            messages.FORM_ITEM_MISSING, item=slot.item_id, version=slot.item_version
        ) from None


def _earns(item: Item, chosen: Sequence[str]) -> bool:
    if isinstance(chosen, str):  # "ab" would otherwise read as the options a and b
        raise ExamInputError(messages.ANSWER_NOT_A_LIST, item=item.id)
    seen: set[str] = set()
    for option in chosen:
        if option not in item.option_ids:
            raise ExamInputError(messages.ANSWER_UNKNOWN_OPTION, item=item.id, option=option)
        if option in seen:
            raise ExamInputError(messages.ANSWER_OPTION_TWICE, item=item.id, option=option)
        seen.add(option)
    if item.type is ItemType.SINGLE_CHOICE and len(chosen) > 1:
        raise ExamInputError(messages.ANSWER_SINGLE_MANY, item=item.id, count=len(chosen))
    return frozenset(chosen) == item.key


def _percent(correct: int, total: int) -> Decimal:
    return displayed(Fraction(100 * correct, total))

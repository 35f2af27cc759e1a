"""Differences between two versions of a standard."""

from dataclasses import replace
from decimal import Decimal

import pytest

from certify.standards.conditions import parse
from certify.standards.definition import Text
from certify.standards.format import LIBRARY, diff_standards, load_standard_file


@pytest.fixture(scope="module")
def standard():
    return load_standard_file(LIBRARY / "cmq-1.0.yaml")


def with_area(standard, index, area):
    areas = list(standard.areas)
    areas[index] = area
    return replace(standard, areas=tuple(areas))


def test_identical_standards_have_no_differences(standard):
    assert diff_standards(standard, standard) == []


def test_header_and_level_changes(standard):
    levels = (replace(standard.levels[0], min_total=Decimal(45)), *standard.levels[1:])
    changed = replace(standard, version="1.1", validity_months=36, levels=levels)
    assert diff_standards(standard, changed) == [
        "~ standard cmq: version 1.0 -> 1.1",
        "~ standard cmq: validity_months 24 -> 36",
        "~ level basic: min_total 40 -> 45",
    ]


def test_added_and_removed_items(standard):
    area = standard.areas[0]
    dropped = area.indicators[-1]
    changed = with_area(standard, 0, replace(area, indicators=area.indicators[:-1]))
    removed = [f"- indicator {dropped.id}: {dropped.title.en}"] + [
        f"- question {q.id}: {q.label.en}" for q in dropped.questions
    ]
    assert diff_standards(standard, changed) == removed
    assert diff_standards(changed, standard) == [line.replace("- ", "+ ", 1) for line in removed]


def test_weights_texts_rubric_and_conditions(standard):
    area = standard.areas[1]
    indicator = area.indicators[0]
    question = indicator.questions[0]
    rubric = (indicator.rubric[0], Text(ru=indicator.rubric[1].ru, en="Changed."), *indicator.rubric[2:])
    new_indicator = replace(
        indicator,
        weight=Decimal(25),
        title=Text(ru="Новое название", en=indicator.title.en),
        rubric=rubric,
        questions=(
            replace(question, visible_if=parse("elig_legal_form == 'company'")),
            *indicator.questions[1:],
        ),
    )
    changed = with_area(
        standard, 1, replace(area, weight=Decimal(20), indicators=(new_indicator, *area.indicators[1:]))
    )
    assert diff_standards(standard, changed) == [
        "~ area gov: weight 15 -> 20",
        f"~ indicator {indicator.id}: title text changed (ru)",
        f"~ indicator {indicator.id}: weight 20 -> 25",
        f"~ indicator {indicator.id}: rubric text changed (scores 1)",
        f"~ question {question.id}: visible_if (none) -> \"elig_legal_form == 'company'\"",
    ]


def test_an_indicator_moved_between_areas(standard):
    first, second = standard.areas[0], standard.areas[1]
    moved = first.indicators[0]
    changed = with_area(standard, 0, replace(first, indicators=first.indicators[1:]))
    changed = with_area(changed, 1, replace(second, indicators=(*second.indicators, moved)))
    assert diff_standards(standard, changed) == [f"~ indicator {moved.id}: moved from str to gov"]

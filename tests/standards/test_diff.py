"""Differences between two versions of a standard."""

from dataclasses import replace
from decimal import Decimal

import pytest

from certify.standards.conditions import parse
from certify.standards.definition import Critical, ReviewRules, Text
from certify.standards.format import LIBRARY, diff_standards, load_standard, load_standard_file
from tests.scoring.relations_standard import TEXT


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


def with_levels(standard, *changes):
    """`standard` with each level replaced by `replace(level, **change)`, level by level."""
    return replace(
        standard, levels=tuple(replace(lv, **c) for lv, c in zip(standard.levels, changes, strict=True))
    )


def test_critical_indicators_added_removed_and_changed_one_line_each(standard):
    before = with_levels(
        standard,
        {"critical": (Critical("stg_strategy", 1), Critical("fin_plan", 1))},
        {"critical": (Critical("srv_joint_projects", 2),)},
        {},
    )
    after = with_levels(
        standard,
        {"critical": (Critical("stg_strategy", 1), Critical("fin_plan", 1, answers=Decimal(50)))},
        {},
        {"critical": (Critical("srv_joint_projects", 3),)},
    )
    assert diff_standards(before, after) == [
        "~ level basic: critical fin_plan rubric >= 1 -> rubric >= 1, answers >= 50",
        "- level advanced: critical srv_joint_projects rubric >= 2",
        "+ level excellence: critical srv_joint_projects rubric >= 3",
    ]


def test_area_exemptions_and_assessors_of_a_level(standard):
    changed = with_levels(standard, {}, {"min_area_exempt": ("intl",), "assessors": 3}, {})
    assert diff_standards(standard, changed) == [
        "~ level advanced: assessors 2 -> 3",
        "~ level advanced: min_area_exempt [] -> [intl]",
    ]


def test_review_settings_field_by_field(standard):
    changed = replace(standard, review=ReviewRules(third_assessor_spread=Decimal(25), third_assessor_steps=2))
    assert diff_standards(standard, changed) == [
        "~ standard cmq: review.third_assessor_spread 30 -> 25",
        "~ standard cmq: review.third_assessor_steps (none) -> 2",
    ]


def test_evidence_rules_and_the_rationale_of_an_indicator(standard):
    area = standard.areas[0]
    first, second = area.indicators[0], area.indicators[1]
    reason = Text(ru="Без участников нет кластера", en="No members, no cluster")
    before = with_area(
        standard,
        0,
        replace(area, indicators=(first, replace(second, rationale=reason), *area.indicators[2:])),
    )
    indicators = (
        replace(first, evidence_required=False, cap_without_evidence=Decimal(0), rationale=reason),
        replace(second, rationale=Text(ru=reason.ru, en="Members are the cluster")),
        replace(area.indicators[2], rationale=None),
        *area.indicators[3:],
    )
    after = with_area(standard, 0, replace(area, indicators=indicators))
    assert diff_standards(before, after) == [
        f"~ indicator {first.id}: evidence_required True -> False",
        f"~ indicator {first.id}: cap_without_evidence 25 -> 0",
        f"~ indicator {first.id}: rationale added",
        f"~ indicator {second.id}: rationale text changed (en)",
    ]
    assert diff_standards(after, before)[2] == f"~ indicator {first.id}: rationale removed"


def test_a_question_that_may_be_not_applicable(standard):
    area = standard.areas[-1]
    indicator = area.indicators[1]
    question = next(q for q in indicator.questions if q.is_pointed)
    questions = tuple(replace(q, not_applicable=True) if q is question else q for q in indicator.questions)
    indicators = tuple(replace(i, questions=questions) if i is indicator else i for i in area.indicators)
    changed = with_area(standard, len(standard.areas) - 1, replace(area, indicators=indicators))
    assert diff_standards(standard, changed) == [f"~ question {question.id}: not_applicable False -> True"]


def test_an_area_removed_with_its_indicators_and_questions(standard):
    dropped = standard.areas[-1]
    changed = replace(standard, areas=standard.areas[:-1])
    lines = diff_standards(standard, changed)
    assert lines[0] == f"- area {dropped.id}: {dropped.title.en}"
    assert lines[1 : 1 + len(dropped.indicators)] == [
        f"- indicator {i.id}: {i.title.en}" for i in dropped.indicators
    ]
    assert len(lines) == 1 + len(dropped.indicators) + sum(len(i.questions) for i in dropped.indicators)
    assert diff_standards(changed, standard)[0] == f"+ area {dropped.id}: {dropped.title.en}"


def test_the_diff_lists_phases_and_cross_checks_item_by_item():
    start, end = TEXT.index("phases:\n"), TEXT.index("areas:\n")
    plain = TEXT[:start] + TEXT[end:]
    plain = plain.replace(
        plain[plain.index("            phase_bands:") : plain.index("          - id: fte_per_10")], ""
    )
    old = load_standard(plain, source_name="old.yaml")
    new = load_standard(TEXT, source_name="new.yaml")
    lines = diff_standards(old, new)
    assert lines[:6] == [
        "~ standard rel: phases.founded (none) -> elig_founded_on",
        "+ phase emerging: Emerging",
        "+ phase growing: Growing",
        "+ phase mature: Mature",
        "+ cross-check staff_same: Staff given twice differently",
        "+ cross-check shares_at_most_100: Shares over 100 %",
    ]

"""The format of critical indicators, area-minimum exemptions and "not applicable" (issue 14, items 1, 4)."""

from dataclasses import replace
from decimal import Decimal

import pytest

from certify.standards.definition import Critical
from certify.standards.format import LIBRARY, diff_standards, load_standard, load_standard_file
from tests.standards.test_format import MINIMAL, broken, line_of, only_problem

BASIC_END = "    min_total: 40\n"
#: a second level above "basic", with a minimum on every area
ADVANCED = """\
  - id: advanced
    name: {ru: "Продвинутый", en: "Advanced"}
    rank: 2
    min_total: 60
    min_area: 40
"""

#: the integer question "one_count" of MINIMAL, and the same allowing "not applicable"
COUNT = '            type: integer\n            label: {ru: "Число"'
COUNT_OPTIONAL = (
    '            type: integer\n            not_applicable: true\n            label: {ru: "Число"'
)


def with_level(basic_extra: str = "", advanced_extra: str | None = None) -> str:
    text = broken(BASIC_END, BASIC_END + basic_extra)
    if advanced_extra is not None:
        text = text.replace("areas:\n", ADVANCED + advanced_extra + "areas:\n", 1)
    return text


def test_critical_indicators_exemptions_and_not_applicable_load_into_dataclasses():
    text = with_level(
        "    critical:\n      - {indicator: one_a, rubric: 1}\n",
        "    critical:\n      - {indicator: two_a, rubric: 2, answers: 40}\n    min_area_exempt: [two]\n",
    ).replace(COUNT, COUNT_OPTIONAL)
    standard = load_standard(text, source_name="demo.yaml")
    basic, advanced = standard.levels
    assert basic.critical == (Critical("one_a", 1),)
    assert advanced.critical == (Critical("two_a", 2, Decimal(40)),)
    assert (basic.critical[0].answers_minimum, advanced.critical[0].answers_minimum) == (25, 40)
    assert (basic.min_area_exempt, advanced.min_area_exempt) == ((), ("two",))
    count = standard.areas[0].indicators[0].questions[1]
    assert (count.id, count.not_applicable) == ("one_count", True)
    assert standard.areas[0].indicators[0].questions[0].not_applicable is False


def test_a_critical_indicator_that_does_not_exist():
    text = with_level("    critical:\n      - {indicator: one_b, rubric: 1}\n")
    assert only_problem(text) == (
        "levels[0].critical[0].indicator",
        line_of(text, "{indicator: one_b"),
        "critical names 'one_b', which is not an indicator",
    )


def test_a_critical_indicator_named_twice():
    text = with_level(
        "    critical:\n      - {indicator: one_a, rubric: 1}\n      - {indicator: one_a, rubric: 2}\n"
    )
    assert only_problem(text) == (
        "levels[0].critical[1].indicator",
        line_of(text, "{indicator: one_a, rubric: 2}"),
        "critical names indicator 'one_a' twice",
    )


@pytest.mark.parametrize(
    ("entry", "path", "message"),
    [
        ("{indicator: one_a, rubric: 5}", "levels[0].critical[0].rubric", "must be at most 4, not 5"),
        (
            "{indicator: one_a, rubric: 1, answers: 120}",
            "levels[0].critical[0].answers",
            "must be at most 100, not 120",
        ),
        ("{indicator: one_a}", "levels[0].critical[0]", "the required property 'rubric' is missing"),
        (
            "{indicator: one_a, rubric: 1, score: 3}",
            "levels[0].critical[0].score",
            "unknown property 'score'",
        ),
    ],
)
def test_the_shape_of_a_critical_indicator(entry, path, message):
    text = with_level(f"    critical:\n      - {entry}\n")
    assert only_problem(text) == (path, line_of(text, entry), message)


def test_an_exemption_for_an_area_that_does_not_exist():
    text = with_level("    min_area_exempt: [one, three]\n")
    assert only_problem(text) == (
        "levels[0].min_area_exempt[1]",
        line_of(text, "min_area_exempt:"),
        "min_area_exempt names 'three', which is not an area",
    )


def test_an_area_exempt_at_a_higher_level_must_be_exempt_below_it():
    text = with_level("    min_area: 10\n", "    min_area_exempt: [two]\n")
    assert only_problem(text) == (
        "levels[1].min_area_exempt[0]",
        line_of(text, "min_area_exempt: [two]"),
        "level 'advanced' exempts area 'two' from min_area but the lower level 'basic' does not,"
        " which would make 'advanced' the easier level to reach there",
    )
    # a lower level without an area minimum has nothing to exempt
    assert load_standard(with_level("", "    min_area_exempt: [two]\n"), source_name="demo.yaml")


def test_not_applicable_only_on_questions_that_earn_points():
    text = MINIMAL + (
        "        questions:\n"
        "          - id: two_note\n"
        "            type: long_text\n"
        "            not_applicable: true\n"
        '            label: {ru: "Заметка", en: "Note"}\n'
    )
    assert only_problem(text) == (
        "areas[1].indicators[0].questions[0].not_applicable",
        line_of(text, "not_applicable: true"),
        "'not_applicable' does not apply to a long_text question",
    )


def test_an_eligibility_question_cannot_be_not_applicable():
    text = broken("        type: integer\n", "        type: integer\n        not_applicable: true\n")
    assert only_problem(text) == (
        "eligibility[0].questions[0].not_applicable",
        line_of(text, "not_applicable: true"),
        "an eligibility question cannot be declared not applicable: every requirement must be met",
    )


def test_an_area_cannot_be_answered_away_entirely():
    kind = "            type: single_choice\n"
    text = MINIMAL.replace(kind, kind + "            not_applicable: true\n").replace(COUNT, COUNT_OPTIONAL)
    assert only_problem(text) == (
        "areas[0]",
        line_of(text, "- id: one"),
        "every question of area 'one' that earns points may be answered 'not applicable';"
        " at least one must always count, so that the area cannot be left out of the total",
    )


def test_the_diff_lists_critical_indicators_exemptions_and_not_applicable():
    standard = load_standard_file(LIBRARY / "cmq-1.0.yaml")
    basic = replace(standard.levels[0], critical=(Critical("stg_strategy", 1),), min_area_exempt=("intl",))
    area = standard.areas[0]
    first = area.indicators[0]
    question = replace(first.questions[0], not_applicable=True)
    indicator = replace(first, questions=(question, *first.questions[1:]))
    changed = replace(
        standard,
        levels=(basic, *standard.levels[1:]),
        areas=(replace(area, indicators=(indicator, *area.indicators[1:])), *standard.areas[1:]),
    )
    assert diff_standards(standard, changed) == [
        "~ level basic: min_area_exempt [] -> [intl]",
        "+ level basic: critical stg_strategy rubric >= 1",
        f"~ question {question.id}: not_applicable False -> True",
    ]

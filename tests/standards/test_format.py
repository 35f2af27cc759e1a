"""Loading and validating standard files: the default standard and one broken file per mistake."""

from dataclasses import fields, is_dataclass

import pytest

from certify.standards.definition import Standard, Text
from certify.standards.format import (
    LIBRARY,
    MAX_FILE_BYTES,
    StandardInvalid,
    load_standard,
    load_standard_file,
    validate_standard_text,
)

DEFAULT = LIBRARY / "cmq-1.0.yaml"

MINIMAL = """\
code: demo
version: "1.0"
title: {ru: "Демо", en: "Demo"}
description: {ru: "Описание", en: "Description"}
validity_months: 24
eligibility:
  - id: elig_members
    title: {ru: "Участники", en: "Members"}
    rule: "elig_members_count >= 15"
    evidence: {ru: "Реестр", en: "Register"}
    questions:
      - id: elig_members_count
        type: integer
        label: {ru: "Сколько?", en: "How many?"}
levels:
  - id: basic
    name: {ru: "Базовый", en: "Basic"}
    rank: 1
    min_total: 40
areas:
  - id: one
    title: {ru: "Первая", en: "First"}
    weight: 60
    indicators:
      - id: one_a
        title: {ru: "А", en: "A"}
        weight: 100
        guidance: {ru: "Совет", en: "Advice"}
        rubric: [{ru: "0", en: "0"}, {ru: "1", en: "1"}, {ru: "2", en: "2"},
                 {ru: "3", en: "3"}, {ru: "4", en: "4"}]
        expected_evidence: {ru: "Документы", en: "Documents"}
        questions:
          - id: one_kind
            type: single_choice
            label: {ru: "Вид", en: "Kind"}
            options:
              - {value: x, label: {ru: "Икс", en: "X"}, points: 1}
              - {value: y, label: {ru: "Игрек", en: "Y"}, points: 2}
          - id: one_count
            type: integer
            label: {ru: "Число", en: "Count"}
            visible_if: "one_kind == 'x'"
            bands:
              - {maximum: 10, points: 0}
              - {minimum: 10, points: 4}
  - id: two
    title: {ru: "Вторая", en: "Second"}
    weight: 40
    indicators:
      - id: two_a
        title: {ru: "Б", en: "B"}
        weight: 100
        guidance: {ru: "Совет", en: "Advice"}
        rubric: [{ru: "0", en: "0"}, {ru: "1", en: "1"}, {ru: "2", en: "2"},
                 {ru: "3", en: "3"}, {ru: "4", en: "4"}]
        expected_evidence: {ru: "Документы", en: "Documents"}
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the `occurrence`-th line containing `needle`."""
    hits = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def broken(old: str, new: str, count: int = 1) -> str:
    assert MINIMAL.count(old) >= count, old
    return MINIMAL.replace(old, new, count)


def only_problem(text: str) -> tuple[str, int | None, str]:
    problems = validate_standard_text(text, source_name="demo.yaml")
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0].path, problems[0].line, problems[0].message


def texts_in(value):
    """Every `Text` reachable from a dataclass, with the dataclass field path."""
    if isinstance(value, Text):
        yield value
    elif is_dataclass(value):
        for field in fields(value):
            yield from texts_in(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from texts_in(item)


@pytest.fixture(scope="module")
def default_standard() -> Standard:
    return load_standard_file(DEFAULT)


def test_the_default_standard_has_no_problems():
    assert validate_standard_text(DEFAULT.read_bytes(), source_name=DEFAULT.name) == []


def test_the_default_standard_is_big_enough_and_bilingual(default_standard):
    assert (default_standard.code, default_standard.version) == ("cmq", "1.0")
    assert len(default_standard.areas) >= 7
    assert len(default_standard.indicators()) >= 32
    texts = list(texts_in(default_standard))
    assert len(texts) > 500
    assert all(text.ru.strip() and text.en.strip() for text in texts)
    assert all(text.ru != text.en or text.ru in {"%"} for text in texts)


def test_the_default_standard_follows_its_conventions(default_standard):
    assert sum(area.weight for area in default_standard.areas) == 100
    for area in default_standard.areas:
        assert sum(indicator.weight for indicator in area.indicators) == 100
        for indicator in area.indicators:
            assert indicator.id.startswith(area.id + "_")
            assert 1 <= len([q for q in indicator.questions if q.type != "evidence"]) <= 4
            assert all(q.id.startswith(area.id + "_") for q in indicator.questions)
    for requirement in default_standard.eligibility:
        assert all(q.id.startswith("elig_") for q in requirement.questions)
    assert [level.id for level in default_standard.levels] == ["basic", "advanced", "excellence"]
    assert default_standard.validity_months == 24


def test_a_valid_file_loads_into_dataclasses():
    standard = load_standard(MINIMAL, source_name="demo.yaml")
    question = standard.areas[0].indicators[0].questions[1]
    assert question.visible_if.evaluate({"one_kind": "x"}) is True
    assert question.max_points == 4
    assert [q.id for q in standard.all_questions()] == ["elig_members_count", "one_kind", "one_count"]


def test_load_standard_raises_with_every_problem():
    text = broken("weight: 60", "weight: 50").replace('en: "Kind"', 'en: ""')
    with pytest.raises(StandardInvalid) as caught:
        load_standard(text, source_name="demo.yaml")
    (problem,) = caught.value.problems
    line = line_of(text, 'en: ""')
    assert str(problem) == (
        f"demo.yaml:{line}: areas[0].indicators[0].questions[0].label.en: must not be empty"
    )


def test_broken_yaml_reports_line_and_column():
    text = broken("rank: 1", "rank: [1")
    path, line, message = only_problem(text)
    assert (path, line) == ("", line_of(text, "min_total: 40"))
    assert message == (
        "YAML syntax error at column 14: while parsing a flow sequence; expected ',' or ']', but got ':'"
    )


def test_a_duplicate_yaml_key_is_refused():
    text = broken("    min_total: 40\n", "    min_total: 40\n    min_total: 50\n")
    assert only_problem(text) == (
        "levels[0].min_total",
        line_of(text, "min_total: 50"),
        f"the key 'min_total' appears twice in this mapping (first on line {line_of(text, 'min_total: 40')})",
    )


def test_aliases_are_refused():
    text = broken('title: {ru: "Первая", en: "First"}', 'title: &t {ru: "Первая", en: "First"}')
    text = text.replace('title: {ru: "Вторая", en: "Second"}', "title: *t")
    assert only_problem(text) == (
        "areas[1].title",
        line_of(text, "title: *t"),
        "anchors and aliases (&name, *name) are not allowed in this file",
    )


def test_a_schema_violation_is_reported_where_it_happens():
    text = broken("type: integer", "type: number")
    assert only_problem(text) == (
        "eligibility[0].questions[0].type",
        line_of(text, "type: number"),
        "must be one of: single_choice, multiple_choice, yes_no, integer, decimal, percentage, "
        "money, date, short_text, long_text, evidence, ratio, attestation",
    )


def test_a_missing_property_and_an_unknown_one():
    text = broken("    rank: 1\n", "    rang: 1\n")
    problems = validate_standard_text(text, source_name="demo.yaml")
    assert [(p.path, p.line, p.message) for p in problems] == [
        ("levels[0]", line_of(text, "- id: basic"), "the required property 'rank' is missing"),
        ("levels[0].rang", line_of(text, "rang: 1"), "unknown property 'rang'"),
    ]


def test_a_duplicate_id():
    text = broken("- id: two_a", "- id: one_a")
    assert only_problem(text) == (
        "areas[1].indicators[0].id",
        line_of(text, "- id: one_a", 2),
        f"duplicate indicator id 'one_a' (first used on line {line_of(text, '- id: one_a')})",
    )


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("nothing == 'x'", "refers to 'nothing', which is not a question of this standard"),
        ("one_count > 1", "refers to its own question 'one_count' (a cycle)"),
        ("one_kind == 'z'", "compares 'one_kind' with 'z', which is not one of its options"),
        ("one_kind = 'x'", "invalid expression: unexpected character '=' (column 10)"),
    ],
)
def test_bad_visible_if(condition, message):
    text = broken("one_kind == 'x'", condition)
    assert only_problem(text) == (
        "areas[0].indicators[0].questions[1].visible_if",
        line_of(text, "visible_if:"),
        message,
    )


def test_a_forward_reference_in_visible_if():
    text = broken(
        "            type: single_choice\n",
        '            type: single_choice\n            visible_if: "one_count > 1"\n',
    )
    assert only_problem(text) == (
        "areas[0].indicators[0].questions[0].visible_if",
        line_of(text, 'visible_if: "one_count > 1"'),
        "refers to 'one_count', which comes later in the questionnaire; "
        "a question may depend only on earlier ones",
    )


def test_an_eligibility_rule_naming_an_unknown_question():
    text = broken("elig_members_count >= 15", "elig_member_count >= 15")
    assert only_problem(text) == (
        "eligibility[0].rule",
        line_of(text, "rule:"),
        "refers to 'elig_member_count', which is not a question of this standard",
    )


def test_area_weights_that_do_not_add_up():
    text = broken("weight: 40", "weight: 30")
    assert only_problem(text) == ("areas", line_of(text, "areas:"), "the area weights add up to 90, not 100")


def test_indicator_weights_that_do_not_add_up():
    text = broken("weight: 100", "weight: 99.5")
    assert only_problem(text) == (
        "areas[0].indicators",
        line_of(text, "indicators:"),
        "the indicator weights add up to 99.5, not 100",
    )


def test_all_zero_weights():
    text = broken("weight: 60", "weight: 0").replace("weight: 40", "weight: 0")
    assert only_problem(text) == (
        "areas",
        line_of(text, "areas:"),
        "all area weights are zero; at least one must be positive",
    )


def test_a_threshold_above_100():
    text = broken("min_total: 40", "min_total: 120")
    assert only_problem(text) == (
        "levels[0].min_total",
        line_of(text, "min_total: 120"),
        "must be at most 100, not 120",
    )


def test_min_rubric_naming_an_unknown_indicator():
    text = broken("    min_total: 40\n", "    min_total: 40\n    min_rubric: {one_b: 3}\n")
    assert only_problem(text) == (
        "levels[0].min_rubric.one_b",
        line_of(text, "min_rubric:"),
        "min_rubric names 'one_b', which is not an indicator",
    )


def test_a_text_in_russian_only():
    text = broken('title: {ru: "Вторая", en: "Second"}', 'title: {ru: "Вторая"}')
    assert only_problem(text) == (
        "areas[1].title",
        line_of(text, 'title: {ru: "Вторая"}'),
        "the text has no 'en' version; ru and en are both required",
    )


def test_a_choice_question_without_options():
    text = broken('              - {value: y, label: {ru: "Игрек", en: "Y"}, points: 2}\n', "")
    assert only_problem(text) == (
        "areas[0].indicators[0].questions[0]",
        line_of(text, "- id: one_kind"),
        "a single_choice question needs at least two options",
    )


def test_overlapping_bands():
    text = broken("{minimum: 10, points: 4}", "{minimum: 5, points: 4}")
    assert only_problem(text) == (
        "areas[0].indicators[0].questions[1].bands[1]",
        line_of(text, "{minimum: 5, points: 4}"),
        "bands 0 and 1 overlap",
    )


def test_an_oversized_file_is_refused_before_parsing():
    text = MINIMAL + "#" * MAX_FILE_BYTES
    problems = validate_standard_text(text.encode(), source_name="demo.yaml")
    assert [str(p) for p in problems] == [
        f"demo.yaml: the file is {len(text.encode())} bytes, more than the 2097152 bytes allowed, "
        "so it was not read"
    ]


def test_invalid_utf8():
    (problem,) = validate_standard_text(b"code: demo\nversion: \xff\n", source_name="demo.yaml")
    assert (problem.line, problem.message) == (2, "the file is not valid UTF-8 text: invalid start byte")


def test_problems_carry_a_translatable_template():
    text = broken("weight: 40", "weight: 30")
    (problem,) = validate_standard_text(text, source_name="demo.yaml")
    assert problem.template == "the {kind} weights add up to {total}, not 100"
    assert problem.template.format(**problem.params) == problem.message

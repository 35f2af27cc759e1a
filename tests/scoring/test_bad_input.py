"""Bad input raises ScoringInputError naming the question or indicator: never a silent zero."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from certify.scoring import ScoringInputError, score
from certify.standards.definition import QuestionType
from tests.scoring.builders import (
    area,
    choice,
    choices,
    cmq,
    indicator,
    level,
    number,
    plain,
    standard,
    yes_no,
)

D = Decimal
SUBJECT = standard(
    area(
        "a",
        indicator(
            "i",
            choice("kind", {"small": "1", "large": "2"}),
            choices("fields", {"a": "1", "b": "1", "c": "1"}, max_choices=2),
            yes_no("site"),
            number("members", ("0", None, "4"), minimum=D(0)),
            number("share", ("0", None, "4"), type=QuestionType.PERCENTAGE, minimum=D(0), maximum=D(100)),
            plain("since", QuestionType.DATE),
            plain("story", QuestionType.LONG_TEXT),
            plain("files", QuestionType.EVIDENCE),
        ),
    )
)

BAD_ANSWERS = [
    ("kind", 1),
    ("kind", "medium"),
    ("fields", "a"),
    ("fields", ["a"]),
    ("fields", ("a", "z")),
    ("fields", ("a", "b", "c")),
    ("fields", ("a", "a")),
    ("site", "yes"),
    ("site", 1),
    ("members", "12"),
    ("members", True),
    ("members", 12.0),
    ("members", D("12")),
    ("members", -1),
    ("share", 50.5),
    ("share", D("NaN")),
    ("share", D("100.1")),
    ("since", "2024-01-31"),
    ("since", datetime(2024, 1, 31, 12, 0)),
    ("story", 42),
    ("files", "file-1"),
    ("files", (1, 2)),
]


@pytest.mark.parametrize(("question_id", "answer"), BAD_ANSWERS)
def test_an_answer_of_the_wrong_shape_is_refused_and_named(question_id, answer):
    with pytest.raises(ScoringInputError, match=f"'{question_id}'"):
        score(SUBJECT, {question_id: answer})


def test_good_answers_of_every_type_are_accepted():
    answers = {
        "kind": "large",
        "fields": ("a", "c"),
        "site": False,
        "members": 12,
        "share": D("99.5"),
        "since": date(2024, 1, 31),
        "story": "Text",
        "files": ("file-1",),
    }
    assert score(SUBJECT, answers).self_assessment.indicators["i"].score is not None
    assert score(SUBJECT, {"share": 40, "kind": None}).self_assessment.questions["share"] == 4


def test_an_answer_to_an_unknown_question_is_refused():
    with pytest.raises(ScoringInputError, match="'nonexistent'"):
        score(cmq(), {"nonexistent": 1})


def test_an_error_carries_its_code_and_params_for_translation():
    with pytest.raises(ScoringInputError) as raised:
        score(SUBJECT, {"kind": "medium"})
    assert (raised.value.code, raised.value.params) == (
        "unknown_option",
        {"question": "kind", "value": "medium"},
    )
    assert raised.value.template % raised.value.params == str(raised.value)
    assert raised.value.message("ru") == "«medium» — не вариант ответа на вопрос «kind»."


def full_rubric(**overrides):
    return {i.id: 2 for i in cmq().indicators()} | overrides


@pytest.mark.parametrize("value", [5, -1, 2.0, "3", True, None, D(3)])
def test_a_rubric_score_outside_0_to_4_or_not_an_int_is_refused(value):
    with pytest.raises(ScoringInputError, match="'gov_team'"):
        score(cmq(), {}, rubric=full_rubric(gov_team=value))


def test_a_rubric_for_an_unknown_indicator_is_refused():
    with pytest.raises(ScoringInputError, match="'gov_nothing'"):
        score(cmq(), {}, rubric=full_rubric(gov_nothing=3))


def test_a_rubric_must_score_every_indicator_and_the_error_names_the_missing_ones():
    rubric = full_rubric()
    del rubric["str_members"], rubric["grn_impact"]
    with pytest.raises(ScoringInputError, match="str_members, grn_impact"):
        score(cmq(), {}, rubric=rubric)


def test_a_standard_whose_area_weights_are_all_zero_is_refused():
    zero = standard(area("a", indicator("i", yes_no("y")), weight="0"), area("b", weight="0"))
    with pytest.raises(ScoringInputError, match="area weights"):
        score(zero, {})


def test_a_standard_whose_indicator_weights_in_an_area_are_all_zero_is_refused():
    zero = standard(
        area("a", indicator("i", yes_no("y"))), area("b", indicator("j", yes_no("z"), weight="0"))
    )
    with pytest.raises(ScoringInputError, match="area 'b'"):
        score(zero, {})


def test_a_negative_weight_is_refused():
    negative = standard(area("a", indicator("i", yes_no("y")), indicator("j", yes_no("z"), weight="-1")))
    with pytest.raises(ScoringInputError, match="'j'"):
        score(negative, {})


@pytest.mark.parametrize(
    "question",
    [
        choice("bad", {"a": "-1", "b": "2"}),
        yes_no("bad", yes="2", no="-1"),
        number("bad", (None, "5", "-2"), ("5", None, "2")),
        choices("bad", {"a": "1"}, cap=D(-1)),
    ],
)
def test_a_question_with_negative_points_is_refused(question):
    with pytest.raises(ScoringInputError, match="'bad'"):
        score(standard(area("a", indicator("i", question))), {})


@pytest.mark.parametrize("cap", [D(-1), D("100.5")])
def test_an_evidence_cap_outside_0_to_100_is_refused(cap):
    subject = standard(
        area("a", indicator("i", yes_no("y"), evidence_required=True, cap_without_evidence=cap))
    )
    with pytest.raises(ScoringInputError, match="'i'"):
        score(subject, {})


def test_a_minimum_rubric_on_an_unknown_indicator_is_refused():
    subject = standard(
        area("a", indicator("i", yes_no("y"))), levels=[level("top", 1, "50", min_rubric={"x": 3})]
    )
    with pytest.raises(ScoringInputError, match="'x'"):
        score(subject, {})


@pytest.mark.parametrize(
    ("question_id", "answer", "found"),
    [
        ("share", D("1E+999999"), "1E+999999"),
        ("share", D("0.0000001"), "1E-7"),
        ("members", 10**400, "~1e+400"),
        ("members", 10**15, "1000000000000000"),
    ],
)
def test_numbers_without_bounds_are_refused_by_the_engine_before_their_range(question_id, answer, found):
    with pytest.raises(ScoringInputError) as raised:
        score(SUBJECT, {question_id: answer})
    assert (raised.value.code, raised.value.params) == (
        "too_many_digits",
        {"question": question_id, "found": found},
    )
    assert raised.value.message("ru") == (
        f"В ответе на вопрос «{question_id}» больше цифр, чем допускается: {found}."
    )

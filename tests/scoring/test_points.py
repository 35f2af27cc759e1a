"""Points per question type, hidden questions, the evidence cap and the weighted means."""

from __future__ import annotations

from decimal import Decimal

import pytest

from certify.scoring import score
from certify.standards.definition import QuestionType
from tests.scoring.builders import (
    area,
    choice,
    choices,
    equals,
    indicator,
    number,
    plain,
    standard,
    yes_no,
)

D = Decimal


def one_question(question, **indicator_fields):
    return standard(area("a", indicator("i", question, **indicator_fields)))


def points_of(question, answer):
    return score(one_question(question), {question.id: answer}).self_assessment.questions[question.id]


@pytest.mark.parametrize(("answer", "points"), [("low", D(0)), ("mid", D("1.5")), ("top", D(4))])
def test_single_choice_earns_the_points_of_its_option(answer, points):
    assert points_of(choice("q", {"low": "0", "mid": "1.5", "top": "4"}), answer) == points


@pytest.mark.parametrize(
    ("answer", "points"),
    [((), D(0)), (("a",), D(1)), (("a", "b"), D("2.5")), (("a", "b", "c"), D(3)), (("c", "b"), D(3))],
)
def test_multiple_choice_sums_the_chosen_options_up_to_the_cap(answer, points):
    question = choices("q", {"a": "1", "b": "1.5", "c": "2"}, cap=D(3))
    assert points_of(question, answer) == points


@pytest.mark.parametrize(("answer", "points"), [(True, D(3)), (False, D(1))])
def test_yes_no_earns_points_yes_or_points_no(answer, points):
    assert points_of(yes_no("q", yes="3", no="1"), answer) == points


@pytest.mark.parametrize(
    ("answer", "points"),
    [(0, D(0)), (9, D(0)), (10, D(2)), (19, D(2)), (20, D(4)), (10**9, D(4))],
)
def test_a_number_earns_the_points_of_the_band_holding_it(answer, points):
    question = number("q", (None, "10", "0"), ("10", "20", "2"), ("20", None, "4"))
    assert points_of(question, answer) == points


def test_a_number_in_a_gap_between_bands_earns_nothing():
    question = number("q", (None, "10", "1"), ("20", None, "4"), type=QuestionType.DECIMAL)
    assert points_of(question, D("15.5")) == 0


def test_an_unanswered_pointed_question_earns_zero_but_counts_in_the_maximum():
    question = number("q", ("0", None, "4"))
    other = yes_no("y", yes="4")
    result = score(standard(area("a", indicator("i", question, other))), {"y": True}).self_assessment
    assert result.questions == {"q": D(0), "y": D(4)}
    assert result.indicators["i"].score == D("50.0")
    assert (result.indicators["i"].points, result.indicators["i"].max_points) == (D(4), D(8))


def test_hidden_questions_are_neither_scored_nor_counted_in_the_maximum():
    gate = choice("gate", {"no": "0", "yes": "2"})
    hidden = number("size", ("0", None, "4"), visible_if=equals("gate", "yes"))
    subject = standard(area("a", indicator("i", gate, hidden)))
    closed = score(subject, {"gate": "no", "size": 100}).self_assessment
    assert "size" not in closed.questions
    assert closed.indicators["i"].max_points == D(2)
    opened = score(subject, {"gate": "yes", "size": 100}).self_assessment
    assert opened.indicators["i"].score == D("100.0")


def test_text_and_evidence_questions_earn_no_points_by_themselves():
    subject = standard(
        area(
            "a",
            indicator("texts", plain("t", QuestionType.LONG_TEXT), plain("e", QuestionType.EVIDENCE)),
            indicator("scored", yes_no("y")),
        )
    )
    result = score(subject, {"t": "Long answer", "e": ("file-1",), "y": True}).self_assessment
    assert result.indicators["texts"].score is None
    assert result.questions == {"y": D(2)}


def test_an_indicator_without_a_scored_question_is_left_out_of_its_area():
    subject = standard(
        area(
            "a",
            indicator("texts", plain("t", QuestionType.LONG_TEXT), weight="60"),
            indicator("scored", yes_no("y"), weight="40"),
        )
    )
    result = score(subject, {"y": True}).self_assessment
    assert result.areas["a"].score == D("100.0")


def test_an_area_without_a_scored_indicator_is_left_out_of_the_total():
    subject = standard(
        area("texts", indicator("t", plain("t", QuestionType.SHORT_TEXT)), weight="70"),
        area("scored", indicator("s", yes_no("y")), weight="30"),
    )
    result = score(subject, {"y": False}).self_assessment
    assert result.areas["texts"].score is None
    assert result.total == D("0.0")


def test_the_assessed_score_is_the_rubric_over_four():
    subject = one_question(yes_no("y"))
    assessed = score(subject, {"y": False}, rubric={"i": 3}).assessed
    assert assessed.indicators["i"].score == D("75.0")
    assert assessed.total == D("75.0")


EVIDENCE_CASES = [
    pytest.param({"y": True}, D("25.0"), True, id="missing evidence caps"),
    pytest.param({"y": True, "e": ("f1",)}, D("100.0"), False, id="evidence lifts the cap"),
    pytest.param({"y": True, "e": ()}, D("25.0"), True, id="an empty file list is no evidence"),
    pytest.param({"y": False}, D("0.0"), False, id="a score under the cap is not capped"),
]


@pytest.mark.parametrize(("answers", "expected", "capped"), EVIDENCE_CASES)
def test_required_evidence_missing_caps_the_indicator(answers, expected, capped):
    subject = standard(
        area("a", indicator("i", yes_no("y"), plain("e", QuestionType.EVIDENCE), evidence_required=True))
    )
    result = score(subject, answers).self_assessment.indicators["i"]
    assert (result.score, result.capped) == (expected, capped)


def test_the_evidence_cap_applies_to_the_assessed_score_too():
    subject = one_question(yes_no("y"), evidence_required=True, cap_without_evidence=D(40))
    assessed = score(subject, {"y": True}, rubric={"i": 4}).assessed
    assert (assessed.indicators["i"].score, assessed.indicators["i"].capped) == (D("40.0"), True)


def test_evidence_in_a_hidden_question_does_not_count():
    gate = yes_no("gate", yes="1")
    evidence = plain("e", QuestionType.EVIDENCE, visible_if=equals("gate", True))
    subject = standard(area("a", indicator("i", gate, evidence, evidence_required=True)))
    result = score(subject, {"gate": False, "e": ("f1",)}).self_assessment
    assert result.indicators["i"].score == D("0.0")
    opened = score(subject, {"gate": True, "e": ("f1",)}).self_assessment
    assert (opened.indicators["i"].score, opened.indicators["i"].capped) == (D("100.0"), False)


def test_areas_and_the_total_are_weighted_means():
    subject = standard(
        area(
            "a",
            indicator("a1", yes_no("y1"), weight="3"),
            indicator("a2", yes_no("y2"), weight="1"),
            weight="1",
        ),
        area("b", indicator("b1", yes_no("y3")), weight="3"),
    )
    result = score(subject, {"y1": True, "y2": False, "y3": False}).self_assessment
    assert result.areas["a"].score == D("75.0")
    assert result.total == D("18.8")  # (1 × 75 + 3 × 0) / 4 = 18.75, rounded half up


def test_each_score_is_rounded_once_from_exact_values():
    # 1/2 and 2/3 of the points show as 50.0 and 66.7; the area is the mean of the exact values, 58.33… ->
    # 58.3, not the mean of the shown ones, 58.35 -> 58.4.
    subject = standard(
        area(
            "a",
            indicator("i1", choice("q1", {"a": "1", "b": "2"})),
            indicator("i2", choice("q2", {"a": "2", "b": "3"})),
        )
    )
    result = score(subject, {"q1": "a", "q2": "a"}).self_assessment
    assert [result.indicators[i].score for i in ("i1", "i2")] == [D("50.0"), D("66.7")]
    assert result.areas["a"].score == D("58.3")


def test_rounding_is_half_up_not_half_even():
    # 49 of 400 points is 12.25 %: half up shows 12.3 where half even would show 12.2.
    subject = standard(area("a", indicator("i", choice("q", {"a": "49", "b": "400"}))))
    assert score(subject, {"q": "a"}).self_assessment.total == D("12.3")

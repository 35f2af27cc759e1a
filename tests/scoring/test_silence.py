"""Silence scores nothing, and "not applicable" only where the standard allows it (issue 14, item 4)."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.scoring import ScoringInputError, score
from certify.standards.definition import NOT_APPLICABLE, QuestionType
from tests.scoring.builders import (
    When,
    area,
    at_least,
    choice,
    equals,
    indicator,
    level,
    number,
    plain,
    requirement,
    standard,
    yes_no,
)
from tests.scoring.test_properties import answer_for, random_standard

D = Decimal


def gated():
    """Indicator "survey" has one pointed question, shown only once the survey date is given."""
    date = plain("date", QuestionType.DATE, required=False)
    answered = When("answered(date)", lambda answers: answers.get("date") is not None, frozenset({"date"}))
    share = number("share", ("0", None, "4"), visible_if=answered)
    return standard(
        area(
            "a",
            indicator("survey", date, share, weight="20"),
            indicator("other", yes_no("other_q", yes="4"), weight="80"),
        )
    )


def test_an_indicator_whose_questions_are_all_hidden_scores_zero_not_nothing():
    outcome = score(gated(), {"other_q": True}).self_assessment
    survey = outcome.indicators["survey"]
    assert (survey.score, survey.points, survey.max_points, survey.capped) == (D("0.0"), 0, 0, False)
    # it stays in the area's mean: 80, not the 100 that leaving it out would give
    assert outcome.areas["a"].score == D("80.0")


def test_an_unanswered_shown_question_scores_zero_in_the_self_assessment():
    outcome = score(gated(), {"date": datetime.date(2024, 5, 1), "other_q": True}).self_assessment
    assert (outcome.indicators["survey"].score, outcome.questions["share"]) == (D("0.0"), 0)
    assert outcome.areas["a"].score == D("80.0")


def test_an_indicator_the_standard_gives_no_pointed_question_still_has_no_self_assessment_score():
    texts = standard(
        area("a", indicator("t", plain("t_q", QuestionType.LONG_TEXT)), indicator("y", yes_no("y_q")))
    )
    assert score(texts, {"y_q": True}).self_assessment.indicators["t"].score is None


def optional_subject():
    """Indicator "mix": a question that may be answered "not applicable" and one that may not."""
    optional = number("water", ("0", "10", "0"), ("10", None, "4"), not_applicable=True)
    fixed = yes_no("plan", yes="4")
    lonely = choice("lonely", {"none": "0", "some": "4"}, not_applicable=True)
    return standard(
        area("a", indicator("mix", optional, fixed), indicator("solo", lonely), weight="50"),
        area("b", indicator("other", yes_no("other_q", yes="4")), weight="50"),
    )


def test_not_applicable_leaves_the_question_out_of_points_and_maximum():
    outcome = score(optional_subject(), {"water": NOT_APPLICABLE, "plan": True, "lonely": "some"})
    mix = outcome.self_assessment.indicators["mix"]
    assert (mix.score, mix.points, mix.max_points) == (D("100.0"), 4, 4)
    assert "water" not in outcome.self_assessment.questions
    answered_badly = score(optional_subject(), {"water": 3, "plan": True}).self_assessment
    assert answered_badly.indicators["mix"].score == D("50.0")


def test_an_indicator_answered_not_applicable_throughout_is_left_out_of_its_area():
    outcome = score(optional_subject(), {"water": 20, "plan": False, "lonely": NOT_APPLICABLE})
    self_assessment = outcome.self_assessment
    assert self_assessment.indicators["solo"].score is None
    # area "a" is what its applicable questions give: "mix" alone at 50.0
    assert self_assessment.areas["a"].score == D("50.0")


def test_not_applicable_is_refused_where_the_standard_does_not_allow_it():
    with pytest.raises(ScoringInputError) as caught:
        score(optional_subject(), {"plan": NOT_APPLICABLE})
    assert caught.value.code == "not_applicable_refused"
    assert str(caught.value) == (
        "Question 'plan' cannot be answered 'not applicable': the standard does not allow it there."
    )
    assert caught.value.message("ru") == (
        "На вопрос «plan» нельзя ответить «неприменимо»: стандарт здесь этого не допускает."
    )


def test_a_standard_without_not_applicable_refuses_it_everywhere():
    with pytest.raises(ScoringInputError, match="'other_q'"):
        score(gated(), {"other_q": NOT_APPLICABLE})


def test_conditions_read_not_applicable_as_unanswered():
    gate = choice("gate", {"no": "0", "yes": "4"}, not_applicable=True)
    seen = yes_no("gate_seen", visible_if=at_least("gate", 0))
    subject = standard(
        area("a", indicator("i", gate, seen), indicator("j", yes_no("j_q"))),
        levels=(level("basic", 1, "0"),),
        eligibility=(requirement("elig", equals("gate", NOT_APPLICABLE)),),
    )
    outcome = score(subject, {"gate": NOT_APPLICABLE, "gate_seen": True}).self_assessment
    # neither a rule nor a `visible_if` ever sees the marker: "gate" reads as unanswered
    assert outcome.eligibility == {"elig": False}
    assert "gate_seen" not in outcome.questions
    assert (outcome.level, outcome.indicators["i"].score) == (None, D("0.0"))


@st.composite
def declined_scenario(draw):
    """A random standard whose pointed questions may be answered "not applicable", and some that are."""
    subject = draw(random_standard())
    areas = []
    for area_ in subject.areas:
        indicators = []
        for indicator_ in area_.indicators:
            questions = tuple(
                replace(q, not_applicable=True) if q.is_pointed and draw(st.booleans()) else q
                for q in indicator_.questions
            )
            indicators.append(replace(indicator_, questions=questions))
        areas.append(replace(area_, indicators=tuple(indicators)))
    subject = replace(subject, areas=tuple(areas))
    answers = {}
    for question in subject.all_questions():
        if question.not_applicable and draw(st.booleans()):
            answers[question.id] = NOT_APPLICABLE
        else:
            answers[question.id] = draw(st.none() | answer_for(question))
    return subject, answers


def without_declined(subject, answers):
    """The same standard with every question answered "not applicable" taken out of it."""
    declined = {q for q, value in answers.items() if value is NOT_APPLICABLE}
    areas = tuple(
        replace(
            area_,
            indicators=tuple(
                replace(i, questions=tuple(q for q in i.questions if q.id not in declined))
                for i in area_.indicators
            ),
        )
        for area_ in subject.areas
    )
    kept = {q: value for q, value in answers.items() if q not in declined}
    return replace(subject, areas=areas), kept


@settings(max_examples=150, deadline=None)
@given(declined_scenario())
def test_not_applicable_scores_exactly_what_the_applicable_questions_give(case):
    subject, answers = case
    declared = score(subject, answers).self_assessment
    reduced = score(*without_declined(subject, answers)).self_assessment
    assert declared.total == reduced.total
    assert {a: s.score for a, s in declared.areas.items()} == {a: s.score for a, s in reduced.areas.items()}
    assert declared.questions == reduced.questions
    assert declared.level == reduced.level

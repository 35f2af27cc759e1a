"""The per-standard scoring plan is built once and forgotten with its standard; what it precomputes
gives what the rules say."""

from __future__ import annotations

import gc
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from certify.scoring import plan, score
from certify.scoring.answers import pointer
from certify.standards.definition import Band, Question, QuestionType
from tests.scoring.builders import When, area, indicator, standard, text, yes_no


def test_a_standard_is_planned_once():
    subject = standard(area("a", indicator("i", yes_no("y"))))
    assert plan.plan_for(subject) is plan.plan_for(subject)


def test_the_plan_goes_when_its_standard_goes():
    subject = standard(area("a", indicator("i", yes_no("y"))))
    key = id(subject)
    plan.plan_for(subject)
    del subject
    gc.collect()
    assert key not in plan._PLANS


def test_two_standards_of_one_code_and_version_never_share_a_plan():
    first = standard(area("a", indicator("i", yes_no("y"))))
    second = standard(area("a", indicator("i", yes_no("y"), yes_no("z"))))
    assert plan.plan_for(first) is not plan.plan_for(second)
    assert score(first, {"y": True}).self_assessment.total == Decimal("100.0")
    assert score(second, {"y": True}).self_assessment.total == Decimal("50.0")


def test_conditions_built_in_code_are_evaluated_each_on_its_own_even_with_one_text():
    # The plan evaluates a parsed expression once for all the questions it governs; a condition built in
    # code is only known to equal itself, whatever its text.
    shown, hidden = When("same", lambda answers: True), When("same", lambda answers: False)
    questions = yes_no("shown", visible_if=shown), yes_no("hidden", visible_if=hidden)
    subject = standard(area("a", indicator("i", *questions)))
    outcome = score(subject, {"shown": True, "hidden": True}).self_assessment
    assert outcome.questions == {"shown": Decimal(2)}


EDGES = st.none() | st.integers(-5, 5).map(Decimal)


@given(st.lists(st.tuples(EDGES, EDGES, st.integers(0, 3).map(Decimal)), max_size=4), st.integers(-14, 14))
def test_the_planned_bands_give_what_the_first_band_holding_the_value_gives(bands, whole):
    # Overlapping, empty and reversed bands too: the format refuses them, but a standard built in code
    # does not go through it. An int and a Decimal answer take different paths.
    built = tuple(Band(points, low, high) for low, high, points in bands)
    points = pointer(Question("n", QuestionType.DECIMAL, text("n"), bands=built))
    for value in (whole, Decimal(whole) / 2):
        expected = next((band.points for band in built if band.contains(Decimal(value))), Decimal(0))
        assert points(value) == expected

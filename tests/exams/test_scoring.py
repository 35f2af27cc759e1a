"""Scoring an attempt: worked examples by hand, pass marks overall and per area, and refused answers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from certify.exams.forms import Form, FormSlot, draw_form
from certify.exams.messages import ExamInputError
from certify.exams.scoring import score_attempt
from tests.exams.builders import bank, blueprint, item, tiny_bank

# The tiny bank's blueprint "short": 3 items of basics and 2 of practice; pass marks 60 overall, 50 per area.
ON_FORM = {
    "basics_members": "basics",  # single choice, key a
    "basics_manager": "basics",  # single choice, key a
    "basics_services": "basics",  # multiple choice, key {a, b}
    "practice_kpi": "practice",  # single choice, key a
    "practice_project": "practice",  # single choice, key a
}


@pytest.fixture(scope="module")
def tiny():
    return tiny_bank()


@pytest.fixture(scope="module")
def form(tiny):
    slots = tuple(FormSlot(item_id, 1, area, ("c", "a", "b")) for item_id, area in ON_FORM.items())
    return Form("tiny", "1.0", tiny.blueprint("short"), 7, slots, overlap=(), overlap_limit=1)


def test_a_weak_attempt_fails_overall_and_in_basics(tiny, form):
    answers = {
        "basics_members": ("a",),  # right
        "basics_manager": ("b",),  # wrong
        "basics_services": ("a",),  # wrong: half the key earns nothing (all-or-nothing)
        "practice_kpi": ("a",),  # right; practice_project unanswered: wrong
    }
    result = score_attempt(tiny, form, answers)
    # basics 1/3 = 33.33… -> 33.3 < 50; practice 1/2 = 50.0 >= 50; total 2/5 = 40.0 < 60
    assert [(a.correct, a.total, a.percent, a.passed) for a in result.areas.values()] == [
        (1, 3, Decimal("33.3"), False),
        (1, 2, Decimal("50.0"), True),
    ]
    assert (result.correct, result.total, result.percent) == (2, 5, Decimal("40.0"))
    assert (result.meets_pass_mark, result.passed) == (False, False)
    assert result.items == {
        "basics_members": True,
        "basics_manager": False,
        "basics_services": False,
        "practice_kpi": True,
        "practice_project": False,
    }


def test_a_multiple_choice_earns_its_point_with_exactly_its_key_in_any_order(tiny, form):
    answers = {
        "basics_members": ["a"],
        "basics_manager": ["a"],
        "basics_services": ["b", "a"],
        "practice_kpi": ["a"],
    }
    result = score_attempt(tiny, form, answers)
    # basics 3/3 = 100.0; practice 1/2 = 50.0; total 4/5 = 80.0 -> passed
    assert (result.areas["basics"].percent, result.areas["practice"].percent) == (
        Decimal("100.0"),
        Decimal("50.0"),
    )
    assert (result.percent, result.meets_pass_mark, result.passed) == (Decimal("80.0"), True, True)
    too_many = score_attempt(tiny, form, {**answers, "basics_services": ("a", "b", "c")})
    assert too_many.items["basics_services"] is False


def test_reaching_the_overall_pass_mark_is_not_enough_when_an_area_falls_short(tiny, form):
    answers = {"basics_members": ("a",), "basics_manager": ("a",), "basics_services": ("a", "b")}
    result = score_attempt(tiny, form, answers)
    # total 3/5 = 60.0 reaches 60, but practice 0/2 = 0.0 is below its 50
    assert (result.percent, result.meets_pass_mark) == (Decimal("60.0"), True)
    assert result.areas["practice"].passed is False
    assert result.passed is False


def test_an_empty_attempt_scores_zero(tiny, form):
    result = score_attempt(tiny, form, {"basics_members": ()})
    assert (result.correct, result.percent, result.passed) == (0, Decimal("0.0"), False)


def test_percents_are_rounded_half_up_to_one_decimal():
    # 1 of 16 = 6.25 % -> 6.3 (banker's rounding would give 6.2)
    items = [item(f"a_{n}", "a") for n in range(16)]
    built = bank(items)
    form = draw_form(built, blueprint({"a": 16}), seed=3)
    result = score_attempt(built, form, {"a_0": ("a",)})
    assert result.percent == Decimal("6.3")


def test_the_versions_on_the_form_are_scored_even_after_the_bank_moved_on():
    shown = item("a_0", "a", key="a", version=1)
    changed = item("a_0", "a", key="b", version=2)
    form = draw_form(bank([shown]), blueprint({"a": 1}), seed=1)
    assert score_attempt([changed, shown], form, {"a_0": ("a",)}).correct == 1
    with pytest.raises(ExamInputError, match="version 1 of item 'a_0', which is on the form, is not among"):
        score_attempt([changed], form, {"a_0": ("a",)})


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"practice_survey": ("a",)}, "item 'practice_survey' is not on this form"),
        ({"basics_members": ("z",)}, "item 'basics_members' has no option 'z'"),
        ({"basics_services": ("a", "a")}, "option 'a' of item 'basics_services' is chosen twice"),
        ({"basics_members": ("a", "b")}, "item 'basics_members' takes one option, not 2"),
        ({"basics_members": "ab"}, "the answer to item 'basics_members' must be a list of option ids"),
    ],
)
def test_an_answer_that_cannot_be_scored_is_refused_by_name(tiny, form, answers, message):
    with pytest.raises(ExamInputError) as refused:
        score_attempt(tiny, form, answers)
    assert str(refused.value) == message

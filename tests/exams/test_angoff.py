"""A modified-Angoff panel's recommended pass mark, worked out by hand, and estimates that are refused."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from certify.exams.angoff import angoff_pass_mark
from certify.exams.messages import ExamInputError
from tests.exams.builders import blueprint

# Three judges, four items: the share of minimally competent candidates each expects to answer correctly.
#
#            q1    q2    q3    q4    sum   percent of 4 items
#   anna     0.6   0.7   0.5   0.8   2.6   65
#   boris    0.5   0.6   0.4   0.7   2.2   55
#   vera     0.7   0.8   0.6   0.9   3.0   75
#
# Mean sum = (2.6 + 2.2 + 3.0) / 3 = 2.6 -> 2.6 / 4 = 65.0 %.
# Spread (sample SD of 65, 55, 75): sqrt((0² + 10² + 10²) / 2) = 10.0.
# Item means: q1 0.6, q2 0.7, q3 0.5, q4 0.8.
# On a form of 5 items: 3/5 = 60.0 < 65.0 <= 4/5 = 80.0, so 4 correct items pass.
PANEL = {
    "anna": {"q1": 0.6, "q2": 0.7, "q3": 0.5, "q4": 0.8},
    "boris": {"q1": Decimal("0.5"), "q2": Decimal("0.6"), "q3": Decimal("0.4"), "q4": Decimal("0.7")},
    "vera": {"q1": Fraction(7, 10), "q2": 0.8, "q3": 0.6, "q4": 0.9},
}
FIVE_ITEMS = blueprint({"a": 3, "b": 2})


def test_the_panels_pass_mark_is_the_mean_of_the_judges_sums_as_a_percent():
    result = angoff_pass_mark(PANEL, FIVE_ITEMS)
    assert result.pass_mark == Decimal("65.0")
    assert result.judge_marks == {"anna": Decimal("65.0"), "boris": Decimal("55.0"), "vera": Decimal("75.0")}
    assert result.spread == Decimal("10.0")
    assert result.item_means == {
        "q1": Decimal("0.60"),
        "q2": Decimal("0.70"),
        "q3": Decimal("0.50"),
        "q4": Decimal("0.80"),
    }
    assert result.items_to_pass == 4


def test_the_pass_mark_is_rounded_half_up_once_and_a_single_judge_has_no_spread():
    # 2/3 of the items: 66.66… -> 66.7; on 40 items 26/40 = 65.0 < 66.7 <= 27/40 = 67.5
    result = angoff_pass_mark({"anna": {"q1": 1, "q2": 1, "q3": 0}}, blueprint({"a": 40}))
    assert (result.pass_mark, result.spread, result.items_to_pass) == (Decimal("66.7"), None, 27)
    assert result.item_means["q1"] == Decimal("1.00")


@pytest.mark.parametrize(
    ("estimates", "message"),
    [
        (
            {"anna": {"q1": 1.2}},
            "judge 'anna' estimated 1.2 for item 'q1'; an estimate is a share from 0 to 1",
        ),
        (
            {"anna": {"q1": Decimal("-0.1")}},
            "judge 'anna' estimated -0.1 for item 'q1'; an estimate is a share from 0 to 1",
        ),
        ({"anna": {"q1": "0.5"}}, "judge 'anna' gave '0.5' for item 'q1', which is not a number"),
        ({"anna": {"q1": True}}, "judge 'anna' gave 'True' for item 'q1', which is not a number"),
        ({"anna": {"q1": float("nan")}}, "judge 'anna' gave 'nan' for item 'q1', which is not a number"),
        (
            {"anna": {"q1": 0.5, "q2": 0.5}, "boris": {"q1": 0.5, "q3": 0.5}},
            "judge 'boris' did not rate the same items as judge 'anna' (differing: q2, q3);"
            " every judge rates every item",
        ),
        ({}, "the panel needs at least one judge with at least one estimate"),
        ({"anna": {}}, "the panel needs at least one judge with at least one estimate"),
    ],
)
def test_estimates_that_are_not_shares_or_do_not_cover_the_same_items_are_refused(estimates, message):
    with pytest.raises(ExamInputError) as refused:
        angoff_pass_mark(estimates, FIVE_ITEMS)
    assert str(refused.value) == message

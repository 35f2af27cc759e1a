"""Quartiles and percentiles as a spreadsheet computes them, and the small-number rule."""

from __future__ import annotations

import statistics
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.insight.figures import MIN_GROUP, Spread, Timing, quantile


def test_quartiles_interpolate_between_the_closest_ranks():
    # QUARTILE.INC(25;50;50;75;75;75;100): 25, 50, 75, 75, 100
    spread = Spread.of([100, 75, 50, 25, 75, 50, 75])
    assert spread.five == (25, 50, 75, 75, 100)
    # six values: the lower quartile sits a quarter of the way from 50 to 75
    assert Spread.of([25, 50, 75, 75, 75, 100]).lower_quartile == Fraction(225, 4)  # 56.25


def test_the_90th_percentile_of_ten_to_seventy_days_is_64():
    timing = Timing.of([10, 20, 30, 40, 50, 60, 70])
    assert (timing.median, timing.p90) == (40, 64)


@given(st.lists(st.integers(0, 1000), min_size=2, max_size=30))
def test_the_method_is_pythons_inclusive_one(values):
    ordered = sorted(Fraction(v) for v in values)
    expected = statistics.quantiles(ordered, n=4, method="inclusive")
    assert [quantile(ordered, Fraction(k, 4)) for k in (1, 2, 3)] == expected


def test_decimals_are_kept_exact():
    scores = [Decimal(v) for v in ("18.8", "43.8", "50", "75", "75", "75", "100")]
    assert Spread.of(scores).lower_quartile == Fraction("46.9")  # 43.8 + (50 - 43.8) / 2


@pytest.mark.parametrize("count", [0, 1, MIN_GROUP - 1])
def test_fewer_than_five_values_are_withheld(count):
    spread, timing = Spread.of(range(count)), Timing.of(range(count))
    assert not spread.shown and spread.five == () and spread.count == count
    assert not timing.shown and timing.median is None and timing.p90 is None


def test_five_values_are_shown():
    assert Spread.of(range(MIN_GROUP)).shown and Timing.of(range(MIN_GROUP)).shown


def test_the_quantile_of_nothing_is_refused():
    with pytest.raises(ValueError, match="nothing"):
        quantile([], Fraction(1, 2))

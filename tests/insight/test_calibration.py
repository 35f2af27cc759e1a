"""Krippendorff's alpha for ordinal data and each assessor's agreement, on published and hand-made cases."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.insight.calibration import Scoring, calibrate, ordinal_alpha

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (Annenberg School for Communication,
# University of Pennsylvania, 2011), section C: four observers, twelve units, values 1-5, missing data
# ("." below: the observer gave no value). The paper gives alpha = 0.743 (nominal), 0.815 (ordinal),
# 0.849 (interval), 0.797 (ratio).
OBSERVERS = (
    "1 2 3 3 2 1 4 1 2 . . .",
    "1 2 3 3 2 2 4 1 2 5 . 3",
    ". 3 3 3 2 3 4 2 2 5 1 .",
    "1 2 3 3 2 4 4 1 2 5 1 .",
)
#: the same paper, section A: two observers, binary data, no missing values; alpha = 0.095
BINARY = ("0 1 0 0 0 0 0 0 1 0", "1 1 1 0 0 1 0 0 0 0")


def units_of(observers) -> list[list[int]]:
    """The reliability data matrix (one row per observer) as units: the values each unit was given."""
    rows = [line.split() for line in observers]
    return [[int(row[u]) for row in rows if row[u] != "."] for u in range(len(rows[0]))]


def test_krippendorffs_own_worked_example_gives_0_815_for_ordinal_data():
    assert round(float(ordinal_alpha(units_of(OBSERVERS))), 3) == 0.815


def test_krippendorffs_binary_example_gives_0_095():
    # With two values the ordinal difference is the same for every disagreement, so ordinal alpha equals
    # the nominal one the paper computes.
    assert round(float(ordinal_alpha(units_of(BINARY))), 3) == 0.095


def test_perfect_agreement_is_1():
    assert ordinal_alpha([[0, 0], [2, 2, 2], [4, 4], [3, 3]]) == 1


def test_systematic_disagreement_is_below_0():
    assert ordinal_alpha([[0, 4], [4, 0], [1, 3], [3, 1]]) < 0


@pytest.mark.parametrize(
    "units",
    [[], [[3]], [[3], [2], [4]], [[2, 2], [2, 2, 2]]],
    ids=["nothing", "one value", "no unit has two values", "every value alike"],
)
def test_alpha_is_undefined_without_two_pairable_values_that_vary(units):
    assert ordinal_alpha(units) is None


def test_a_unit_rated_once_changes_nothing():
    units = units_of(OBSERVERS)
    assert ordinal_alpha([*units, [4]]) == ordinal_alpha(units)


rubric_units = st.lists(st.lists(st.integers(0, 4), min_size=0, max_size=4), min_size=1, max_size=12)


@given(rubric_units, st.randoms())
def test_alpha_depends_on_neither_the_order_of_units_nor_of_raters(units, random):
    shuffled = [random.sample(unit, len(unit)) for unit in units]
    random.shuffle(shuffled)
    assert ordinal_alpha(shuffled) == ordinal_alpha(units)


@given(rubric_units)
def test_alpha_is_at_most_1_and_reads_the_scale_either_way_up(units):
    alpha = ordinal_alpha(units)
    assert alpha is None or alpha <= 1
    assert ordinal_alpha([[4 - v for v in unit] for unit in units]) == alpha


# Assessors --------------------------------------------------------------------------------------------

LENIENT, STRICT, THIRD = 1, 2, 3


def test_each_assessor_is_compared_with_the_consensus_and_with_the_co_assessors():
    scorings = [
        Scoring(LENIENT, 10, {"a": 4, "b": 3}),
        Scoring(STRICT, 10, {"a": 2, "b": 3}),
        Scoring(LENIENT, 11, {"a": 3, "b": 2}),
        Scoring(STRICT, 11, {"a": 3}),  # "b" left without a score
    ]
    consensus = {10: {"a": 3, "b": 3}, 11: {"a": 3, "b": 2}}
    result = calibrate(scorings, consensus, order=["a", "b"])
    lenient, strict = result.assessors
    assert (lenient.assessor, lenient.assessments, strict.assessments) == (LENIENT, 2, 2)
    # lenient: a +1 and 0, b 0 and 0; strict: a -1 and 0, b 0
    assert lenient.deviation_by_indicator == {"a": Fraction(1, 2), "b": 0}
    assert lenient.deviation == Fraction(1, 4)
    assert strict.deviation == Fraction(-1, 3)
    # side by side: a 4/2 (gap 2), b 3/3, a 3/3 on application 11 (strict gave no b there)
    assert (lenient.comparisons, lenient.exact_agreement, lenient.mean_gap) == (
        3,
        Fraction(2, 3),
        Fraction(2, 3),
    )
    assert (strict.comparisons, strict.exact_agreement) == (3, Fraction(2, 3))
    assert [i.indicator for i in result.indicators] == ["a", "b"]
    assert [i.applications for i in result.indicators] == [2, 1]


def test_an_assessor_without_consensus_or_co_assessor_has_no_deviation_and_no_agreement():
    (alone,) = calibrate([Scoring(THIRD, 12, {"a": 2})], {}).assessors
    assert (alone.deviation, alone.exact_agreement, alone.mean_gap, alone.comparisons) == (
        None,
        None,
        None,
        0,
    )
    assert alone.deviation_by_indicator == {}


def test_an_indicator_scored_apart_is_flagged_and_one_scored_alike_is_not():
    applications = range(6)
    alike = {"alike": [(1, 1), (2, 2), (3, 3), (4, 4), (0, 0), (2, 2)]}
    apart = {"apart": [(0, 4), (4, 1), (1, 3), (3, 0), (2, 4), (0, 2)]}
    scorings = [
        Scoring(
            assessor, application, {name: pairs[application][side] for name, pairs in (alike | apart).items()}
        )
        for application in applications
        for side, assessor in enumerate((LENIENT, STRICT))
    ]
    result = calibrate(scorings, {}, order=["alike", "apart"])
    assert [i.indicator for i in result.flagged] == ["apart"]
    assert result.indicators[0].alpha == 1 and not result.indicators[0].needs_sharpening
    assert result.alpha is not None and result.alpha < 1


def test_indicators_not_in_the_standard_s_order_follow_it_sorted():
    scorings = [Scoring(LENIENT, 1, {"z": 1, "b": 2, "a": 3})]
    assert [i.indicator for i in calibrate(scorings, {}, order=["b"]).indicators] == ["b", "a", "z"]


def test_an_indicator_without_alpha_is_not_flagged():
    (indicator,) = calibrate([Scoring(LENIENT, 1, {"a": 2}), Scoring(STRICT, 1, {"a": 2})], {}).indicators
    assert indicator.alpha is None and not indicator.needs_sharpening


def test_calibration_and_charts_import_neither_flask_nor_sqlalchemy():
    code = (
        "import certify.insight.calibration, certify.insight.charts, certify.insight.deadlines; import sys; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_ROOT)

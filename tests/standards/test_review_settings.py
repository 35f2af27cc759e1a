"""The standard's review settings: when a third assessor is called for (issue 14, item 3)."""

from decimal import Decimal

import pytest

from certify.standards.definition import ReviewRules
from certify.standards.format import LIBRARY, diff_standards, load_standard, load_standard_file
from tests.standards.test_format import MINIMAL, only_problem


def with_review(block: str) -> str:
    return MINIMAL + "review:\n" + block


def test_a_standard_without_settings_keeps_the_30_point_spread_and_no_step_rule():
    assert load_standard(MINIMAL, source_name="demo.yaml").review == ReviewRules(Decimal(30), None)
    # cmq 1.0 is published and sets nothing: its reviews run as before
    assert load_standard_file(LIBRARY / "cmq-1.0.yaml").review == ReviewRules(Decimal(30), None)


def test_the_settings_load_into_the_standard():
    text = with_review("  third_assessor_spread: 25\n  third_assessor_steps: 2\n")
    assert load_standard(text, source_name="demo.yaml").review == ReviewRules(Decimal(25), 2)
    steps_only = load_standard(with_review("  third_assessor_steps: 3\n"), source_name="demo.yaml")
    assert steps_only.review == ReviewRules(Decimal(30), 3)


@pytest.mark.parametrize(
    ("block", "path", "message"),
    [
        ("  third_assessor_steps: 0\n", "review.third_assessor_steps", "must be at least 1, not 0"),
        ("  third_assessor_steps: 5\n", "review.third_assessor_steps", "must be at most 4, not 5"),
        ("  third_assessor_spread: 0\n", "review.third_assessor_spread", "must be greater than 0, not 0"),
        ("  third_assessor_spread: 101\n", "review.third_assessor_spread", "must be at most 100, not 101"),
        ("  third_assessor_gap: 2\n", "review.third_assessor_gap", "unknown property 'third_assessor_gap'"),
    ],
)
def test_settings_out_of_range_are_refused(block, path, message):
    found_path, _, found = only_problem(with_review(block))
    assert (found_path, found) == (path, message)


def test_the_diff_shows_a_changed_setting():
    old = load_standard(MINIMAL, source_name="demo.yaml")
    new = load_standard(with_review("  third_assessor_steps: 2\n"), source_name="demo.yaml")
    (line,) = diff_standards(old, new)
    assert line == "~ standard demo: review.third_assessor_steps (none) -> 2"

"""The scheme's retake rule as plain dates: at most 2 attempts in 12 months, at least 14 days apart."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.attestation.retakes import TOO_MANY, TOO_SOON, add_months, retake
from certify.standards.attestation import AttemptRules

RULES = AttemptRules(max=2, within_months=12, min_days_between=14)
FIRST = date(2026, 3, 2)


def test_the_first_attempt_is_allowed_today():
    assert retake(RULES, [], FIRST).allowed_today


def test_a_retake_waits_14_days_and_says_from_when():
    too_soon = retake(RULES, [FIRST], FIRST + timedelta(days=13))
    assert not too_soon.allowed_today and too_soon.refusal == TOO_SOON
    assert too_soon.earliest == FIRST + timedelta(days=14) == too_soon.params["date"]
    assert retake(RULES, [FIRST], FIRST + timedelta(days=14)).allowed_today


def test_a_third_attempt_in_12_months_is_refused_until_the_first_is_a_year_old():
    second = FIRST + timedelta(days=20)
    third = retake(RULES, [FIRST, second], FIRST + timedelta(days=60))
    assert third.refusal == TOO_MANY and third.earliest == date(2027, 3, 2)
    assert retake(RULES, [FIRST, second], date(2027, 3, 2)).allowed_today


def test_a_retake_after_the_exam_window_is_no_retake():
    last_day = FIRST + timedelta(days=30)
    within = retake(RULES, [FIRST], FIRST + timedelta(days=1), last_day)
    assert not within.exhausted and within.earliest <= last_day
    late = retake(RULES, [FIRST + timedelta(days=20)], FIRST + timedelta(days=21), last_day)
    assert late.exhausted and not late.allowed_today
    assert retake(RULES, [FIRST, FIRST + timedelta(days=14)], FIRST + timedelta(days=28), last_day).exhausted


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (FIRST, 12, date(2027, 3, 2)),
    ],
)
def test_months_are_added_on_the_calendar(day, months, expected):
    assert add_months(day, months) == expected


@given(
    st.lists(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), max_size=5),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2031, 1, 1)),
)
def test_the_earliest_day_keeps_every_rule(taken, today):
    """On the earliest day the gap to the last attempt and the count in 12 months both hold."""
    found = retake(RULES, taken, today)
    assert found.earliest >= today
    if taken:
        assert found.earliest >= max(taken) + timedelta(days=14)
    counted = [d for d in taken if add_months(d, 12) > found.earliest]
    assert len(counted) < RULES.max
    assert found.allowed_today == (found.earliest == today)


def test_the_rule_is_pure():
    code = (
        "import sys, certify.attestation.retakes; "
        "print('flask' in sys.modules or 'sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

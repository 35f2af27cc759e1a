"""When yearly reports are due and what the surveillance owes them (certify.monitoring.rules, pure)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.monitoring.rules import ReportDates, Step, reminder_due, report_dates, steps_due
from certify.standards.monitoring import Surveillance

RULES = Surveillance(reminders_days=(30, 7), alert_after_days=30, suspension_after_days=60)
DUE = date(2027, 3, 1)


def test_a_24_month_certificate_owes_one_report_on_its_first_anniversary():
    assert report_dates(date(2026, 3, 1), date(2028, 3, 1)) == (
        ReportDates(1, date(2026, 3, 1), date(2027, 3, 1)),
    )


def test_a_36_month_certificate_owes_two_and_none_on_the_expiry_date():
    assert [r.due_on for r in report_dates(date(2026, 3, 1), date(2029, 3, 1))] == [
        date(2027, 3, 1),
        date(2028, 3, 1),
    ]


def test_a_certificate_capped_before_its_anniversary_owes_nothing():
    assert report_dates(date(2026, 3, 1), date(2027, 2, 1)) == ()


def test_a_leap_day_issue_falls_due_on_the_28th():
    assert report_dates(date(2028, 2, 29), date(2031, 2, 28))[0].due_on == date(2029, 2, 28)


@given(issued=st.dates(date(2000, 1, 1), date(2090, 1, 1)), months=st.integers(1, 120))
def test_reports_follow_each_other_year_by_year_before_expiry(issued, months):
    expires = issued + timedelta(days=months * 30)
    reports = report_dates(issued, expires)
    assert all(r.due_on < expires for r in reports)
    assert [r.number for r in reports] == list(range(1, len(reports) + 1))
    assert [r.starts_on for r in reports] == [issued, *(r.due_on for r in reports)][: len(reports)]


@pytest.mark.parametrize(
    ("days_before", "already", "expected"),
    [
        (31, None, None),
        (30, None, 30),
        (20, None, 30),
        (20, 30, None),
        (7, 30, 7),
        (0, 30, 7),
        (3, None, 7),
        (3, 7, None),
        (-1, None, None),
    ],
)
def test_each_reminder_is_owed_once_and_the_closest_after_missed_days(days_before, already, expected):
    assert reminder_due(DUE, DUE - timedelta(days=days_before), RULES, already) == expected


def test_the_alert_comes_after_the_alert_days_and_the_proposal_after_the_further_period():
    def owed(day, **marks):
        marks = {"reminded": 7, "alerted": False, "proposed": False} | marks
        return [step for step, _ in steps_due(DUE, day, RULES, **marks)]

    assert owed(DUE + timedelta(days=29)) == []
    assert owed(DUE + timedelta(days=30)) == [Step.ALERT]
    assert owed(DUE + timedelta(days=89), alerted=True) == []
    assert owed(DUE + timedelta(days=90), alerted=True) == [Step.PROPOSE_SUSPENSION]
    assert owed(DUE + timedelta(days=90), alerted=True, proposed=True) == []
    # a run after a long gap catches up on both, in order
    assert owed(DUE + timedelta(days=200)) == [Step.ALERT, Step.PROPOSE_SUSPENSION]


def test_the_rules_are_pure():
    code = (
        "import certify.monitoring.rules, certify.standards.monitoring, certify.standards.monitoring_checks;"
        " import sys; assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])

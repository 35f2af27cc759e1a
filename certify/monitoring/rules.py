"""When each yearly report is due, and what the surveillance owes a report on a given day (pure).

A certificate on a standard with monitoring (docs/monitoring.md) owes a report on each anniversary of its
issue before it expires, covering the year that ends that day. Before the due date the managers are
reminded (30 and 7 days before, by default), each reminder once; once the report is overdue by the alert
days the coordinators are alerted, once; after a further period a suspension is proposed, once, for a
person to decide. No Flask, no SQLAlchemy: the services apply these rules to stored periods.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from certify.standards.monitoring import Surveillance


@dataclass(frozen=True)
class ReportDates:
    """One yearly report: its number (1 for the first anniversary), the year it covers, its due date."""

    number: int
    starts_on: date
    due_on: date


class Step(StrEnum):
    """What the surveillance does about a report that is not submitted."""

    REMIND = "remind"
    ALERT = "alert"
    PROPOSE_SUSPENSION = "propose_suspension"


def anniversary(day: date, years: int) -> date:
    """The same day `years` later; 29 February falls on the 28th in a common year."""
    year = day.year + years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def report_dates(issued_on: date, expires_on: date) -> tuple[ReportDates, ...]:
    """The reports a certificate owes: one per anniversary of issue strictly before its expiry.

    On the expiry date itself the certificate ends; its last year is assessed by the renewal instead,
    and an overdue alert after expiry could lead to nothing. A 24-month certificate owes one report.
    """
    reports, number = [], 1
    while (due_on := anniversary(issued_on, number)) < expires_on:
        reports.append(ReportDates(number, anniversary(issued_on, number - 1), due_on))
        number += 1
    return tuple(reports)


def reminder_due(due_on: date, today: date, rules: Surveillance, already: int | None) -> int | None:
    """The reminder (days before the due date) a report should get today, or None.

    The closest threshold already reached counts, so a run after missed days sends one reminder, not a
    burst of the older ones; each threshold is sent once; none once the report is due.
    """
    days_left = (due_on - today).days
    reached = [days for days in rules.reminders_days if days_left <= days]
    if days_left < 0 or not reached:
        return None
    threshold = min(reached)
    return threshold if already is None or already > threshold else None


def alert_on(due_on: date, rules: Surveillance) -> date:
    """The day the coordinators are alerted to a report still missing."""
    return due_on + timedelta(days=rules.alert_after_days)


def proposal_on(due_on: date, rules: Surveillance) -> date:
    """The day a suspension is proposed for a report still missing: the further period after the alert."""
    return alert_on(due_on, rules) + timedelta(days=rules.suspension_after_days)


def steps_due(
    due_on: date,
    today: date,
    rules: Surveillance,
    *,
    reminded: int | None,
    alerted: bool,
    proposed: bool,
) -> list[tuple[Step, int | None]]:
    """What a report not yet submitted is owed today, in order: a reminder (with its days), an alert, a
    proposal. Each is owed once; a run that missed days catches up on the alert and the proposal."""
    steps: list[tuple[Step, int | None]] = []
    days = reminder_due(due_on, today, rules, reminded)
    if days is not None:
        steps.append((Step.REMIND, days))
    if not alerted and today >= alert_on(due_on, rules):
        steps.append((Step.ALERT, None))
    if not proposed and today >= proposal_on(due_on, rules):
        steps.append((Step.PROPOSE_SUSPENSION, None))
    return steps


def filing_opens_on(due_on: date, rules: Surveillance) -> date:
    """The first day a report may be filed: the first reminder's, so that nobody is reminded of a report
    they cannot yet start (30 days before the due date without reminders)."""
    return due_on - timedelta(days=max(rules.reminders_days, default=30))

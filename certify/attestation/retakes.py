"""The scheme's retake rule for the theory exam, as plain dates. Pure: no Flask, no SQLAlchemy.

A scheme says "at most `max` attempts in any `within_months` months, at least `min_days_between` days
apart" (`AttemptRules`; cma 1.0: 2 in 12 months, 14 days apart, as ISO 9712 and the reference's P10).
Every attempt of the candidate at the scheme's exam counts, whichever application it belonged to, since
the rule is about the person. Every attempt of one admission must also fall within the candidate's exam
window (Decree 1204: the exam within 30 days of admission): a retake whose earliest day is after the
window's last day is no retake at all, and the application ends as not attested.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from certify.standards.attestation import AttemptRules
from certify.textmarks import N_

#: the refusals of a retake asked for too early, with the params `retake` gives
TOO_SOON = N_(
    "A retake is possible from %(date)s: the scheme asks for at least %(days)s days between attempts."
)
TOO_MANY = N_(
    "The scheme allows at most %(max)s attempts in %(months)s months: the next one is possible from %(date)s."
)
#: an admission's attempts fall within its exam window; the next one would not
WINDOW_ENDS = N_(
    "No retake is left: the next attempt would be possible from %(date)s, after your exam window closed "
    "on %(last_day)s."
)


@dataclass(frozen=True)
class Retake:
    """When the candidate may sit the exam next, and why not before."""

    #: the first day a new attempt is allowed by the attempt rules
    earliest: date
    #: the refusal of an attempt before `earliest` (TOO_SOON or TOO_MANY); None when today is allowed
    refusal: str | None
    #: the params of `refusal` (and of WINDOW_ENDS)
    params: dict
    #: `earliest` falls after the last day of the exam window: no attempt is left
    exhausted: bool

    @property
    def allowed_today(self) -> bool:
        return self.refusal is None and not self.exhausted


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 January + 1 month = 28/29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def retake(rules: AttemptRules, taken: Sequence[date], today: date, last_day: date | None = None) -> Retake:
    """The next attempt allowed after the attempts `taken` (their days), asked on `today`.

    An attempt counts against the limit while it is within `within_months` months of the new one, so
    the limit lifts on the day the oldest counted attempt is that many months old.
    """
    days = sorted(taken)
    earliest, refusal = today, None
    if days and days[-1] + timedelta(days=rules.min_days_between) > earliest:
        earliest, refusal = days[-1] + timedelta(days=rules.min_days_between), TOO_SOON
    while True:
        counted = [d for d in days if add_months(d, rules.within_months) > earliest]
        if len(counted) < rules.max:
            break
        # the oldest attempts must leave the window until fewer than `max` remain
        earliest, refusal = add_months(counted[len(counted) - rules.max], rules.within_months), TOO_MANY
    params = {
        "date": earliest,
        "days": rules.min_days_between,
        "max": rules.max,
        "months": rules.within_months,
        "last_day": last_day,
    }
    exhausted = last_day is not None and earliest > last_day
    return Retake(earliest, refusal, params, exhausted)

"""Cross-checks: the same fact entered twice with different values, shares that add up to more than 100.

They are warnings for the manager and the assessors, never scores: a mismatch can have a reason (two
counting dates) that only a person can weigh. For display, so it never raises: an answer the engine
would refuse takes no part. Only shown, answered numbers take part; an `equal` check
with fewer than two of them says nothing, and a `sum_at_most` check needs one (a computed share of
participants above 100 % means one of its two counts is wrong).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from certify.scoring.plan import plan_for
from certify.scoring.rules import acceptable_answers, derived_answers, shown
from certify.standards.definition import CrossCheck, CrossCheckKind, Standard


@dataclass(frozen=True)
class FailedCheck:
    check: CrossCheck
    #: question id -> the value that took part, in the check's order
    values: Mapping[str, Decimal]


def failed_checks(standard: Standard, answers: Mapping[str, Any]) -> tuple[FailedCheck, ...]:
    """The standard's cross-checks that the answers fail, in the standard's order."""
    if not standard.cross_checks:
        return ()
    plan = plan_for(standard)
    answers = acceptable_answers(plan, answers)
    known = {**answers, **derived_answers(standard, answers)}
    failed = []
    for check in standard.cross_checks:
        values = {
            question_id: Decimal(known[question_id])
            for question_id in check.questions
            if _is_number(known.get(question_id)) and shown(plan.questions[question_id].question, known)
        }
        enough = 2 if check.kind == CrossCheckKind.EQUAL else 1
        if len(values) >= enough and not _holds(check, values):
            failed.append(FailedCheck(check, values))
    return tuple(failed)


def _is_number(value: Any) -> bool:
    # "Not applicable" and unanswered take no part; bool is refused for numbers by check_answers.
    return isinstance(value, (int, Decimal))


def _holds(check: CrossCheck, values: Mapping[str, Decimal]) -> bool:
    if check.kind == CrossCheckKind.EQUAL:
        return len(set(values.values())) == 1
    return sum(values.values(), Decimal(0)) <= check.limit

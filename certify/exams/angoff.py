"""A pass mark recommended by a modified-Angoff panel: `angoff_pass_mark`.

Pure: no Flask, no SQLAlchemy. Each judge estimates, per item, the share (0..1) of minimally competent
candidates who would answer it correctly; a judge's estimates summed are the score that judge expects of
such a candidate, the judges' sums averaged are the panel's, and as a percent of the items rated it is
the recommended pass mark (attestation-reference.md section 4). A fixed 70 % ignores how hard the items
are; this asks the people who know the candidates. Arithmetic is exact (fractions) and percents are
rounded once, half up to one decimal, as everywhere in Certify (`certify.scoring.rules.displayed`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from certify.exams import messages
from certify.exams.bank import Blueprint
from certify.exams.messages import ExamInputError
from certify.scoring.rules import displayed

Estimate = int | Decimal | Fraction | float
#: judge id -> item id -> estimate (0..1)
Estimates = Mapping[str, Mapping[str, Estimate]]


@dataclass(frozen=True)
class AngoffRecommendation:
    #: percent of the form's points: the judges' mean expected score over the items rated
    pass_mark: Decimal
    #: the fewest correct items on a form of the blueprint's length that reach `pass_mark`
    items_to_pass: int
    #: judge id -> the pass mark that judge alone would set (percent)
    judge_marks: Mapping[str, Decimal]
    #: the sample standard deviation of `judge_marks` (percent); None for a single judge
    spread: Decimal | None
    #: item id -> the judges' mean estimate (0..1, two decimals)
    item_means: Mapping[str, Decimal]


def angoff_pass_mark(estimates: Estimates, blueprint: Blueprint) -> AngoffRecommendation:
    """The pass mark the panel's `estimates` recommend for forms of `blueprint`.

    Every judge must rate the same items (at least one). Raises ExamInputError, naming the judge and
    item, for an estimate that is not a number or lies outside 0..1, or for judges rating different items.
    """
    exact = _checked(estimates)
    items = next(iter(exact.values())).keys()
    judge_shares = {judge: sum(rated.values()) / len(items) for judge, rated in exact.items()}
    share = sum(judge_shares.values()) / len(judge_shares)
    pass_mark = displayed(100 * share)
    return AngoffRecommendation(
        pass_mark=pass_mark,
        items_to_pass=_items_to_pass(pass_mark, blueprint.item_count),
        judge_marks={judge: displayed(100 * value) for judge, value in judge_shares.items()},
        spread=_spread([100 * value for value in judge_shares.values()]),
        item_means={
            item: _hundredths(sum(rated[item] for rated in exact.values()) / len(exact)) for item in items
        },
    )


def _checked(estimates: Estimates) -> dict[str, dict[str, Fraction]]:
    if not estimates or not any(estimates.values()):
        raise ExamInputError(messages.PANEL_EMPTY)
    exact = {
        judge: {item: _fraction(judge, item, value) for item, value in rated.items()}
        for judge, rated in estimates.items()
    }
    first, first_items = next(iter(exact.items()))
    for judge, rated in exact.items():
        differing = set(rated) ^ set(first_items)
        if differing:
            raise ExamInputError(
                messages.ESTIMATES_ITEMS_DIFFER, judge=judge, first=first, items=", ".join(sorted(differing))
            )
    return exact


def _fraction(judge: str, item: str, value: Estimate) -> Fraction:
    is_number = isinstance(value, int | Decimal | Fraction | float) and not isinstance(value, bool)
    if not is_number or (isinstance(value, float | Decimal) and not math.isfinite(value)):
        raise ExamInputError(messages.ESTIMATE_NOT_A_NUMBER, judge=judge, item=item, value=value)
    # A float goes through its shortest repr, so that 0.7 means 7/10 and not its binary neighbour.
    exact = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    if not 0 <= exact <= 1:
        raise ExamInputError(messages.ESTIMATE_OUT_OF_RANGE, judge=judge, item=item, value=value)
    return exact


def _items_to_pass(pass_mark: Decimal, length: int) -> int:
    """The fewest correct items whose percent, as `certify.exams.scoring` displays it, reaches `pass_mark`."""
    return next(k for k in range(length + 1) if displayed(Fraction(100 * k, length)) >= pass_mark)


def _spread(marks: list[Fraction]) -> Decimal | None:
    if len(marks) < 2:
        return None
    mean = sum(marks) / len(marks)
    variance = sum((mark - mean) ** 2 for mark in marks) / (len(marks) - 1)
    return Decimal(math.sqrt(variance)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _hundredths(value: Fraction) -> Decimal:
    """`value` rounded half up to two decimals, exactly (as `displayed` rounds to one)."""
    hundredths = (value.numerator * 200 + value.denominator) // (value.denominator * 2)
    return Decimal(hundredths).scaleb(-2)

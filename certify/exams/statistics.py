"""Classical item statistics of an exam: `item_statistics` (per item) and `reliability` (per form or period).

Pure: no Flask, no SQLAlchemy. The input is every response of the attempts to analyse (the caller chooses
them: a form, a window, a period), attempt id -> {item id: Response}, including the items an attempt
showed but left unanswered (`Response(correct=False)`). Every item is worth one point, so an attempt's
total is its number of correct responses.

Arithmetic: every input is a whole number (0/1 scores, counts), so sums, variances and covariances are
computed exactly (int and Fraction) and checked for zero exactly; the results are reported as floats,
because a correlation and the SEM need a square root. Variances are population variances (divided by N)
throughout, as KR-20 requires for its p·q terms to be comparable with the variance of the totals.

Flags (attestation-reference.md section 4 and P7): an item is flagged for review when its facility p is
below 0.30 or above 0.90 or its discrimination below 0.20, and suspended from drawing when its
discrimination is negative (stronger candidates get it wrong more often: most likely a wrong key), until
a person decides. The formulas and the reasons are in docs/exams.md ("Item statistics").
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from certify.exams import messages
from certify.exams.messages import ExamInputError

REVIEW_FACILITY_BELOW = Fraction(30, 100)
REVIEW_FACILITY_ABOVE = Fraction(90, 100)
REVIEW_DISCRIMINATION_BELOW = 0.20
SUSPEND_DISCRIMINATION_BELOW = 0.0


@dataclass(frozen=True)
class Response:
    """What one attempt did with one item: whether it earned the point, and the options chosen."""

    correct: bool
    chosen: tuple[str, ...] = ()


#: attempt id -> item id -> response
Responses = Mapping[Hashable, Mapping[str, Response]]


class Flag(StrEnum):
    TOO_HARD = "too_hard"  # p < 0.30
    TOO_EASY = "too_easy"  # p > 0.90
    WEAK_DISCRIMINATION = "weak_discrimination"  # r_pb < 0.20
    NEGATIVE_DISCRIMINATION = "negative_discrimination"  # r_pb < 0: suspend from drawing


@dataclass(frozen=True)
class ItemStatistics:
    item_id: str
    #: the number of attempts that showed the item
    exposure: int
    #: p: the share of those attempts that earned its point
    facility: float
    #: corrected point-biserial r_pb; None when the item's scores or the rest scores do not vary
    discrimination: float | None
    #: option id -> share of the attempts that chose it (an option nobody chose is absent)
    option_shares: Mapping[str, float]
    #: the share of the attempts that left the item unanswered
    omitted: float
    flags: tuple[Flag, ...]

    @property
    def review(self) -> bool:
        return bool(self.flags)

    @property
    def suspend(self) -> bool:
        return Flag.NEGATIVE_DISCRIMINATION in self.flags


@dataclass(frozen=True)
class Reliability:
    """How consistently the attempts measure: KR-20 and the standard error of measurement, in points.

    `kr20` and `sem` are None when they cannot be computed: fewer than two attempts, forms of fewer than
    two items, or totals that do not vary.
    """

    attempts: int
    items_per_attempt: int
    mean: float | None
    sd: float | None
    kr20: float | None
    sem: float | None


def item_statistics(responses: Responses) -> dict[str, ItemStatistics]:
    """Facility, discrimination, exposure, option shares and flags of every item shown, by item id.

    The discrimination is the point-biserial correlation CORRECTED for the item: between the item's score
    (0/1) and the attempt's total WITHOUT that item (the rest score), so that an item does not correlate
    with itself; on short forms the uncorrected value is inflated by the item's own point.
    """
    totals = _totals(responses)
    shown: dict[str, list[tuple[Hashable, Response]]] = {}
    for attempt, items in responses.items():
        for item_id, response in items.items():
            shown.setdefault(item_id, []).append((attempt, response))
    return {item_id: _item(item_id, seen, totals) for item_id, seen in shown.items()}


def reliability(responses: Responses) -> Reliability:
    """KR-20 (Cronbach's alpha for 0/1 items) and the SEM of these attempts, which must be of one length.

    KR-20 = k/(k-1) · (1 - Σpq / σ²) with k the items per attempt, σ² the variance of the totals and Σpq
    the sum of p·(1-p) over an attempt's items, averaged over the attempts: with one form this is the
    classic formula; with forms drawn per attempt it is the same formula over the items each one showed.
    SEM = σ · sqrt(1 - KR-20): the spread, in points, of a candidate's score around their true score.
    """
    lengths = sorted({len(items) for items in responses.values()})
    if len(lengths) > 1:
        raise ExamInputError(messages.LENGTHS_DIFFER, lengths=", ".join(map(str, lengths)))
    count, length = len(responses), (lengths[0] if lengths else 0)
    if count == 0:
        return Reliability(0, 0, None, None, None, None)
    totals = list(_totals(responses).values())
    variance = Fraction(count * sum(t * t for t in totals) - sum(totals) ** 2, count * count)
    mean, sd = sum(totals) / count, math.sqrt(variance)
    if count < 2 or length < 2 or variance == 0:
        return Reliability(count, length, mean, sd, None, None)
    # Σ over attempts of Σ p·q over their items = Σ over items of (times shown) · p·q
    item_variances = sum(
        Fraction(correct * (shown - correct), shown) for shown, correct in _shown_and_correct(responses)
    )
    kr20 = Fraction(length, length - 1) * (1 - item_variances / count / variance)
    # With forms drawn per attempt KR-20 may edge past 1 by sampling; the error is then taken as none.
    sem = math.sqrt(max(variance * (1 - kr20), 0))
    return Reliability(count, length, mean, sd, float(kr20), sem)


def _shown_and_correct(responses: Responses) -> list[tuple[int, int]]:
    """Per item: the attempts that showed it, and those of them that earned its point."""
    counts: dict[str, tuple[int, int]] = {}
    for items in responses.values():
        for item_id, response in items.items():
            shown, correct = counts.get(item_id, (0, 0))
            counts[item_id] = (shown + 1, correct + response.correct)
    return list(counts.values())


def _totals(responses: Responses) -> dict[Hashable, int]:
    return {attempt: sum(r.correct for r in items.values()) for attempt, items in responses.items()}


def _item(
    item_id: str, seen: list[tuple[Hashable, Response]], totals: Mapping[Hashable, int]
) -> ItemStatistics:
    shown = len(seen)
    scores = [int(response.correct) for _, response in seen]
    rest = [totals[attempt] - score for (attempt, _), score in zip(seen, scores, strict=True)]
    facility = Fraction(sum(scores), shown)
    discrimination = _correlation(scores, rest)
    chosen: dict[str, int] = {}
    for _, response in seen:
        for option in response.chosen:
            chosen[option] = chosen.get(option, 0) + 1
    return ItemStatistics(
        item_id=item_id,
        exposure=shown,
        facility=float(facility),
        discrimination=discrimination,
        option_shares={option: times / shown for option, times in sorted(chosen.items())},
        omitted=sum(1 for _, response in seen if not response.chosen) / shown,
        flags=_flags(facility, discrimination),
    )


def _correlation(xs: list[int], ys: list[int]) -> float | None:
    """Pearson's r from integer sums; None when either variable is flat.

    r = (nΣxy - ΣxΣy) / sqrt((nΣx² - (Σx)²)(nΣy² - (Σy)²))
    """
    n = len(xs)
    sx, sy = sum(xs), sum(ys)
    covariance = n * sum(x * y for x, y in zip(xs, ys, strict=True)) - sx * sy
    spread_x = n * sum(x * x for x in xs) - sx * sx
    spread_y = n * sum(y * y for y in ys) - sy * sy
    if spread_x == 0 or spread_y == 0:
        return None
    return covariance / math.sqrt(spread_x * spread_y)


def _flags(facility: Fraction, discrimination: float | None) -> tuple[Flag, ...]:
    flags = []
    if facility < REVIEW_FACILITY_BELOW:
        flags.append(Flag.TOO_HARD)
    if facility > REVIEW_FACILITY_ABOVE:
        flags.append(Flag.TOO_EASY)
    if discrimination is not None and discrimination < REVIEW_DISCRIMINATION_BELOW:
        flags.append(Flag.WEAK_DISCRIMINATION)
    if discrimination is not None and discrimination < SUSPEND_DISCRIMINATION_BELOW:
        flags.append(Flag.NEGATIVE_DISCRIMINATION)
    return tuple(flags)

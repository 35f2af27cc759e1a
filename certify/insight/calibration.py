"""How alike assessors score: Krippendorff's alpha for ordinal data per indicator, and each assessor against
the consensus and against their co-assessors (issue 17, item 3).

Alpha follows the coincidence-matrix method of K. Krippendorff, "Computing Krippendorff's Alpha-Reliability"
(Annenberg School for Communication, University of Pennsylvania, 2011), with the ordinal difference
function: a unit is one indicator of one application, its values the rubric scores (0-4) its assessors
submitted; a missing score is simply absent, and a unit with fewer than two values pairs with nothing.
Exact fractions throughout, as in certify.scoring, so the result is the same in any order of the units.

The `krippendorff` package computes the same, but would bring numpy into a stack that has none for one
formula of some forty lines; tests/insight/test_calibration.py holds this one to Krippendorff's own
worked example.

Pure: the scores come in as plain values (certify.insight.ratings reads them with the blind rules applied).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate

#: below this alpha an indicator's rubric descriptors need sharpening: Krippendorff's limit for tentative
#: conclusions (.667, "Content Analysis", 2004, ch. 12), at the two decimals issue 17 states it with
THRESHOLD = Fraction(67, 100)


def ordinal_alpha(units: Iterable[Sequence[int]]) -> Fraction | None:
    """Krippendorff's alpha for ordinal values; each unit is the values its raters gave (missing left out).

    None where alpha is undefined: fewer than two pairable values, or all of them alike (nothing varies,
    so no disagreement is expected by chance and none can be measured against it).
    """
    coincidences = _coincidences(units)
    totals: Counter[int] = Counter()
    for (value, _), weight in coincidences.items():
        totals[value] += weight
    pairable = sum(totals.values())
    distance = _ordinal_distances(totals)
    expected = sum(totals[c] * totals[k] * distance[c, k] for c in totals for k in totals)
    if pairable < 2 or expected == 0:
        return None
    observed = sum(weight * distance[pair] for pair, weight in coincidences.items())
    return 1 - (pairable - 1) * observed / expected


def _coincidences(units: Iterable[Sequence[int]]) -> dict[tuple[int, int], Fraction]:
    """o_ck: each ordered pair of values from different raters of a unit, weighted 1 / (m_u - 1)."""
    matrix: dict[tuple[int, int], Fraction] = defaultdict(Fraction)
    for unit in units:
        if len(unit) < 2:
            continue
        counts = Counter(unit)
        for c in counts:
            for k in counts:
                pairs = counts[c] * (counts[k] - (c == k))
                if pairs:
                    matrix[c, k] += Fraction(pairs, len(unit) - 1)
    return matrix


def _ordinal_distances(totals: Mapping[int, Fraction]) -> dict[tuple[int, int], Fraction]:
    """The squared ordinal difference: (n_c + ... + n_k - (n_c + n_k) / 2)^2, from the values' totals."""
    values = sorted(totals)
    running = dict(zip(values, accumulate(totals[v] for v in values), strict=True))
    distance = {}
    for c in values:
        for k in values:
            low, high = min(c, k), max(c, k)
            between = running[high] - running[low] + totals[low]
            distance[c, k] = (between - (totals[c] + totals[k]) / 2) ** 2
    return distance


# Assessors against each other and against the consensus -------------------------------------------------


@dataclass(frozen=True)
class Scoring:
    """One assessor's submitted scores on one application: indicator id -> 0..4 (unscored ones left out)."""

    assessor: int
    application: int
    scores: Mapping[str, int]


@dataclass(frozen=True)
class IndicatorAgreement:
    indicator: str
    alpha: Fraction | None
    #: applications on which at least two assessors scored the indicator (the units alpha pairs)
    applications: int

    @property
    def needs_sharpening(self) -> bool:
        """Assessors read the rubric differently: its descriptors need sharpening."""
        return self.alpha is not None and self.alpha < THRESHOLD


@dataclass(frozen=True)
class AssessorCalibration:
    assessor: int
    #: applications the assessor submitted scores on
    assessments: int
    #: mean of (own score - consensus score): above 0 more lenient than the consensus, below 0 stricter;
    #: None where no consensus has been recorded on what they scored
    deviation: Fraction | None
    deviation_by_indicator: Mapping[str, Fraction]
    #: own score beside a co-assessor's on the same indicator of the same application, once per co-assessor
    comparisons: int
    #: the share of those comparisons with the same score, and the mean gap between them in rubric steps
    exact_agreement: Fraction | None
    mean_gap: Fraction | None


@dataclass(frozen=True)
class Calibration:
    #: over every indicator of every application
    alpha: Fraction | None
    indicators: tuple[IndicatorAgreement, ...]
    assessors: tuple[AssessorCalibration, ...]

    @property
    def flagged(self) -> tuple[IndicatorAgreement, ...]:
        return tuple(i for i in self.indicators if i.needs_sharpening)


def calibrate(
    scorings: Iterable[Scoring], consensus: Mapping[int, Mapping[str, int]], order: Sequence[str] = ()
) -> Calibration:
    """The agreement of every indicator and of every assessor, from submitted scores and recorded consensus.

    `consensus` maps an application id to its consensus scores; `order` lists indicators in the standard's
    order (any others follow, sorted). Assessors come in the order of their ids.
    """
    scorings = list(scorings)
    units: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    for scoring in scorings:
        for indicator, score in scoring.scores.items():
            units[scoring.application, indicator][scoring.assessor] = score
    indicators = list(order) + sorted({i for _, i in units} - set(order))
    return Calibration(
        alpha=ordinal_alpha(list(rated.values()) for rated in units.values()),
        indicators=tuple(_indicator(units, indicator) for indicator in indicators),
        assessors=tuple(
            _assessor(assessor, scorings, units, consensus)
            for assessor in sorted({s.assessor for s in scorings})
        ),
    )


def _indicator(units: Mapping[tuple[int, str], Mapping[int, int]], indicator: str) -> IndicatorAgreement:
    rated = [list(scores.values()) for (_, i), scores in units.items() if i == indicator]
    return IndicatorAgreement(
        indicator, ordinal_alpha(rated), applications=sum(1 for values in rated if len(values) > 1)
    )


def _assessor(assessor: int, scorings, units, consensus) -> AssessorCalibration:
    own = [s for s in scorings if s.assessor == assessor]
    deviations: dict[str, list[int]] = defaultdict(list)
    gaps: list[int] = []
    for scoring in own:
        agreed = consensus.get(scoring.application, {})
        for indicator, score in scoring.scores.items():
            if indicator in agreed:
                deviations[indicator].append(score - agreed[indicator])
            rated = units[scoring.application, indicator]
            gaps.extend(abs(score - theirs) for peer, theirs in rated.items() if peer != assessor)
    return AssessorCalibration(
        assessor=assessor,
        assessments=len({s.application for s in own}),
        deviation=_mean(d for values in deviations.values() for d in values),
        deviation_by_indicator={i: _mean(values) for i, values in deviations.items()},
        comparisons=len(gaps),
        exact_agreement=_mean(int(gap == 0) for gap in gaps),
        mean_gap=_mean(gaps),
    )


def _mean(values: Iterable[int]) -> Fraction | None:
    values = list(values)
    return Fraction(sum(values), len(values)) if values else None

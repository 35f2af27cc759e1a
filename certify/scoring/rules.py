"""The scoring rules: from answers (and the assessors' rubric) to indicator, area and total scores.

`score()` is the one entry point the application uses. The rules are explained in docs/scoring.md; in
short: hidden questions are ignored, an indicator's self-assessment score is earned / maximum points of its
shown pointed questions, its assessed score is rubric / 4; missing required evidence caps it; areas and the
total are weighted means over what has a score. Scores are exact fractions until the end, and each is
rounded once (half up, one decimal) for display; levels are judged on those displayed values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from certify.scoring.levels import Judged, decide
from certify.scoring.plan import IndicatorPlan, ScoringPlan, plan_for
from certify.scoring.results import AreaScore, IndicatorScore, Outcome, Result, ScoringInputError
from certify.standards.definition import RUBRIC_SCORES, Question, Standard

_ZERO = Decimal(0)
_RUBRIC_STEP = Fraction(100, max(RUBRIC_SCORES))


class _Tally:
    """What the answers say about one indicator, shared by the self-assessment and the assessed outcome."""

    __slots__ = ("evidence_given", "max_points", "points")

    def __init__(self, points: Decimal, max_points: Decimal, evidence_given: bool):
        self.points, self.max_points, self.evidence_given = points, max_points, evidence_given


def score(standard: Standard, answers: Mapping[str, Any], rubric: Mapping[str, int] | None = None) -> Result:
    """Score `answers` on `standard`, and on the consensus `rubric` (indicator id -> 0..4) when given.

    Raises ScoringInputError, naming the question or indicator, for anything that cannot be scored.
    """
    plan = plan_for(standard)
    check_answers(plan, answers)
    question_points: dict[str, Decimal] = {}
    tallies = {i: _tally(p, answers, question_points) for i, p in plan.indicators.items()}
    eligibility = {r.id: r.rule.evaluate(answers) for r in plan.eligibility}
    own = {i: _earned_share(t) for i, t in tallies.items()}
    self_assessment = _outcome(plan, tallies, own, question_points, eligibility, None)
    if rubric is None:
        return Result(self_assessment, None)
    check_rubric(plan, rubric)
    rated = {i: _RUBRIC_STEP * rubric[i] for i in plan.indicators}
    return Result(self_assessment, _outcome(plan, tallies, rated, question_points, eligibility, rubric))


def check_answers(plan: ScoringPlan, answers: Mapping[str, Any]) -> None:
    """Raise ScoringInputError for an unknown question id or an answer of the wrong shape."""
    questions = plan.questions
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise ScoringInputError("unknown_question", question=question_id)
        if value is not None:
            question.check(value)


def check_rubric(plan: ScoringPlan, rubric: Mapping[str, int]) -> None:
    """Raise ScoringInputError for an unknown indicator, a score outside 0..4, or indicators left unscored."""
    for indicator_id, value in rubric.items():
        if indicator_id not in plan.indicators:
            raise ScoringInputError("unknown_indicator", indicator=indicator_id)
        if isinstance(value, bool) or not isinstance(value, int) or value not in RUBRIC_SCORES:
            raise ScoringInputError("bad_rubric_score", indicator=indicator_id, found=repr(value))
    missing = [indicator_id for indicator_id in plan.indicators if indicator_id not in rubric]
    if missing:
        raise ScoringInputError("missing_rubric", indicators=", ".join(missing))


def _tally(plan: IndicatorPlan, answers: Mapping[str, Any], question_points: dict[str, Decimal]) -> _Tally:
    points = max_points = _ZERO
    for entry in plan.pointed:
        question = entry.question
        if _shown(question, answers):
            value = answers.get(question.id)
            earned = _ZERO if value is None else entry.points(value)
            question_points[question.id] = earned
            points += earned
            max_points += entry.max_points
    evidence_given = any(answers.get(q.id) and _shown(q, answers) for q in plan.evidence)
    return _Tally(points, max_points, evidence_given)


def _shown(question: Question, answers: Mapping[str, Any]) -> bool:
    return question.visible_if is None or question.visible_if.evaluate(answers)


def _earned_share(tally: _Tally) -> Fraction | None:
    # No shown pointed question: the answers say nothing about this indicator, which is not the same as 0.
    if not tally.max_points:
        return None
    # One Fraction built from integer ratios: converting each Decimal to a Fraction costs twice as much.
    points_numerator, points_denominator = tally.points.as_integer_ratio()
    max_numerator, max_denominator = tally.max_points.as_integer_ratio()
    return Fraction(100 * points_numerator * max_denominator, points_denominator * max_numerator)


def _outcome(
    plan: ScoringPlan,
    tallies: Mapping[str, _Tally],
    exact: Mapping[str, Fraction | None],
    question_points: Mapping[str, Decimal],
    eligibility: Mapping[str, bool],
    rubric: Mapping[str, int] | None,
) -> Outcome:
    indicators, capped_exact = {}, {}
    for indicator_id, tally in tallies.items():
        value, capped = _capped(plan.indicators[indicator_id], tally, exact[indicator_id])
        capped_exact[indicator_id] = value
        indicators[indicator_id] = IndicatorScore(displayed(value), tally.points, tally.max_points, capped)
    areas, area_exact = {}, {}
    for area in plan.areas:
        value = weighted_mean((i.weight, capped_exact[i.indicator.id]) for i in area.indicators)
        area_exact[area.area.id] = value
        members = {i.indicator.id: indicators[i.indicator.id] for i in area.indicators}
        areas[area.area.id] = AreaScore(displayed(value), members)
    total = displayed(weighted_mean((a.weight, area_exact[a.area.id]) for a in plan.areas))
    judged = Judged(total, {area_id: area.score for area_id, area in areas.items()}, eligibility, rubric)
    level, reasons = decide(plan, judged)
    return Outcome(total, areas, indicators, dict(question_points), dict(eligibility), level, reasons)


def _capped(plan: IndicatorPlan, tally: _Tally, value: Fraction | None) -> tuple[Fraction | None, bool]:
    if value is None or plan.cap is None or tally.evidence_given or value <= plan.cap:
        return value, False
    return plan.cap, True


def weighted_mean(pairs: Iterable[tuple[Fraction, Fraction | None]]) -> Fraction | None:
    """The mean of the values that are not None, weights renormalised over them; None if none weighs."""
    total = weight_sum = Fraction(0)
    for weight, value in pairs:
        if value is not None:
            total += weight * value
            weight_sum += weight
    return total / weight_sum if weight_sum else None


def displayed(value: Fraction | None) -> Decimal | None:
    """`value` rounded half up to one decimal, computed exactly (the same as Decimal's ROUND_HALF_UP)."""
    if value is None:
        return None
    tenths = (value.numerator * 20 + value.denominator) // (value.denominator * 2)
    return Decimal(tenths).scaleb(-1)

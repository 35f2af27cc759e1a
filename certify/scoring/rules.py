"""The scoring rules: from answers (and the assessors' rubric) to indicator, area and total scores.

`score()` is the one entry point the application uses. The rules are explained in docs/scoring.md; in
short: hidden questions are ignored, and so are questions answered "not applicable" where the standard
allows it; an indicator's self-assessment score is earned / maximum points of its shown pointed questions
(silence earns 0: an unanswered question counts in the maximum, an indicator whose questions are all
hidden scores 0); its assessed score is rubric / 4; missing required evidence caps it; areas and the total
are weighted means over what has a score. Scores are exact fractions until the end, and each is rounded
once (half up, one decimal) for display; levels are judged on those displayed values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any, NamedTuple

from certify.scoring.levels import Judged, decide
from certify.scoring.plan import IndicatorPlan, ScoringPlan, plan_for
from certify.scoring.results import AreaScore, IndicatorScore, Outcome, Result, ScoringInputError
from certify.standards.definition import NOT_APPLICABLE, RUBRIC_SCORES, Phase, Question, Standard

_ZERO = Decimal(0)
_RUBRIC_STEP = Fraction(100, max(RUBRIC_SCORES))
#: an exact score as an unreduced (numerator, denominator > 0): cheaper to add up than a `Fraction`
Ratio = tuple[int, int]
_NOTHING: Ratio = (0, 1)
_TENTHS = tuple(Decimal(tenths).scaleb(-1) for tenths in range(1001))


class _Tally:
    """What the answers say about one indicator, shared by the self-assessment and the assessed outcome.

    `applicable` is False when the indicator has nothing to score: no pointed question in the standard,
    or every one of them answered "not applicable".
    """

    __slots__ = ("applicable", "evidence_given", "max_points", "points")

    def __init__(self, points: Decimal, max_points: Decimal, evidence_given: bool, applicable: bool):
        self.points, self.max_points, self.evidence_given = points, max_points, evidence_given
        self.applicable = applicable


def score(
    standard: Standard,
    answers: Mapping[str, Any],
    rubric: Mapping[str, int] | None = None,
    *,
    on: date | None = None,
) -> Result:
    """Score `answers` on `standard`, and on the consensus `rubric` (indicator id -> 0..4) when given.

    `on` is the day the cluster's maturity phase is judged on (the application's submission day; today
    when omitted). Raises ScoringInputError, naming the question or indicator, for anything that cannot
    be scored.
    """
    plan = plan_for(standard)
    check_answers(plan, answers)
    answers, declined = _split_not_applicable(plan, answers)
    answers = _with_ratios(plan, answers)
    phase = _phase(plan, answers, on)
    question_points: dict[str, Decimal] = {}
    tallies = _tallies(plan, answers, declined, question_points, phase.id if phase is not None else None)
    eligibility = {r.id: r.rule.evaluate(answers) for r in plan.eligibility}
    requires = {lv.id: lv.requires.evaluate(answers) for lv in plan.levels if lv.requires is not None}
    own = {i: _earned_share(t) for i, t in tallies.items()}
    context = _Context(plan, tallies, question_points, eligibility, phase, requires)
    self_assessment = _outcome(context, own, None)
    if rubric is None:
        return Result(self_assessment, None)
    check_rubric(plan, rubric)
    step_numerator, step_denominator = _RUBRIC_STEP.numerator, _RUBRIC_STEP.denominator
    rated = {i: (step_numerator * rubric[i], step_denominator) for i in plan.indicators}
    return Result(self_assessment, _outcome(context, rated, rubric))


def derived_answers(standard: Standard, answers: Mapping[str, Any]) -> dict[str, Decimal]:
    """The value of every ratio question that the answers let the engine compute (for display).

    For display, so it never raises: an answer `score()` would refuse (being typed, say) counts as
    unanswered, and the ratios computed from it are left out.
    """
    plan = plan_for(standard)
    answers, _ = _split_not_applicable(plan, acceptable_answers(plan, answers))
    computed = _with_ratios(plan, answers)
    return {q.id: computed[q.id] for q in plan.ratios if q.id in computed}


def acceptable_answers(plan: ScoringPlan, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers `check_answers` would accept, one by one."""
    acceptable = {}
    for question_id, value in answers.items():
        try:
            check_answers(plan, {question_id: value})
        except ScoringInputError:
            continue
        acceptable[question_id] = value
    return acceptable


def _with_ratios(plan: ScoringPlan, answers: Mapping[str, Any]) -> Mapping[str, Any]:
    """The answers with each computable ratio added: numerator / denominator × per.

    A ratio whose source is unanswered, hidden or "not applicable" (already removed), or whose
    denominator is 0, stays unanswered: it earns nothing, like any silence.
    """
    if not plan.ratios:
        return answers
    answers = dict(answers)
    questions = plan.questions
    for ratio in plan.ratios:
        sources = [questions[ratio.numerator].question, questions[ratio.denominator].question]
        values = [answers.get(q.id) if shown(q, answers) else None for q in sources]
        if values[0] is None or not values[1]:
            continue
        # Sources are bounded by certify.standards.numbers, so 28 significant digits is exact enough.
        with localcontext() as exact:
            exact.prec = 28
            answers[ratio.id] = Decimal(values[0]) * ratio.per / Decimal(values[1])
    return answers


def _phase(plan: ScoringPlan, answers: Mapping[str, Any], on: date | None) -> Phase | None:
    if plan.phases is None:
        return None
    return plan.phases.phase_of(answers.get(plan.phases.founded), on or date.today())


def check_answers(plan: ScoringPlan, answers: Mapping[str, Any]) -> None:
    """Raise ScoringInputError for an unknown question id or an answer of the wrong shape."""
    questions = plan.questions
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise ScoringInputError("unknown_question", question=question_id)
        if value is NOT_APPLICABLE:
            if not question.question.not_applicable:
                raise ScoringInputError("not_applicable_refused", question=question_id)
        elif value is not None:
            question.check(value)


def _split_not_applicable(plan: ScoringPlan, answers: Mapping[str, Any]) -> tuple[Mapping, frozenset]:
    """The answers without "not applicable" (so conditions read it as unanswered), and the ids it answers."""
    if not plan.not_applicable:
        return answers, frozenset()
    declined = frozenset(q for q, value in answers.items() if value is NOT_APPLICABLE)
    if not declined:
        return answers, declined
    return {q: value for q, value in answers.items() if q not in declined}, declined


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


def _tallies(
    plan: ScoringPlan,
    answers: Mapping[str, Any],
    declined: frozenset[str],
    question_points: dict[str, Decimal],
    phase: str | None,
) -> dict[str, _Tally]:
    """Each indicator's tally; fills `question_points` with the points of every shown pointed question."""
    # "Not applicable" takes a question out of the points and the maximum, as hiding it does.
    left_out = _hidden(plan, answers)
    left_out.update(declined)
    answer_to = answers.get
    tallies = {}
    for indicator_id, indicator in plan.indicators.items():
        points = max_points = _ZERO
        for question_id, points_of, most in indicator.pointers[phase]:
            if question_id not in left_out:
                value = answer_to(question_id)
                earned = _ZERO if value is None else points_of(value)
                question_points[question_id] = earned
                points += earned
                max_points += most
        capping = indicator.capping_evidence
        evidence_given = bool(capping) and any(answer_to(q) and q not in left_out for q in capping)
        # As if the declined questions were not in the standard: nothing left to score, nothing to say.
        pointed = indicator.pointed
        applicable = bool(pointed) and (
            not declined or any(entry.question.id not in declined for entry in pointed)
        )
        tallies[indicator_id] = _Tally(points, max_points, evidence_given, applicable)
    return tallies


def _hidden(plan: ScoringPlan, answers: Mapping[str, Any]) -> set[str]:
    """The ids of the questions in `ScoringPlan.visibility` these answers hide (as `shown`, but each
    condition evaluated once)."""
    hidden: set[str] = set()
    for condition, question_ids in plan.visibility:
        if not condition.evaluate(answers):
            hidden.update(question_ids)
    return hidden


def shown(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether `question` is shown for these answers (no condition, or one that holds)."""
    return question.visible_if is None or question.visible_if.evaluate(answers)


def _earned_share(tally: _Tally) -> Ratio | None:
    # Nothing to score (no pointed question, or all declared not applicable): left out of the area.
    if not tally.applicable:
        return None
    # Every pointed question hidden: the answers say nothing, and silence earns nothing (docs/scoring.md).
    if not tally.max_points or not tally.points:
        return _NOTHING
    points_numerator, points_denominator = tally.points.as_integer_ratio()
    max_numerator, max_denominator = tally.max_points.as_integer_ratio()
    return 100 * points_numerator * max_denominator, points_denominator * max_numerator


class _Context(NamedTuple):
    """What both outcomes share: the plan and what the answers say."""

    plan: ScoringPlan
    tallies: Mapping[str, _Tally]
    question_points: Mapping[str, Decimal]
    eligibility: Mapping[str, bool]
    phase: Phase | None
    #: level id -> whether the level's `requires` holds (levels without one are absent)
    requires: Mapping[str, bool]


def _outcome(
    context: _Context, exact: Mapping[str, Ratio | None], rubric: Mapping[str, int] | None
) -> Outcome:
    plan = context.plan
    indicators: dict[str, IndicatorScore] = {}
    areas, area_exact = {}, []
    for area in plan.areas:
        members = {}
        value = _weighted_mean(_indicator_scores(context, area.indicators, exact, members))
        area_exact.append((area.scaled_weight, value))
        areas[area.area.id] = AreaScore(_displayed_ratio(value), members)
        indicators.update(members)
    total = _displayed_ratio(_weighted_mean(area_exact))
    area_scores = {area_id: area.score for area_id, area in areas.items()}
    indicator_scores = {indicator_id: row.score for indicator_id, row in indicators.items()}
    judged = Judged(total, area_scores, indicator_scores, context.eligibility, rubric, context.requires)
    level, reasons = decide(plan, judged)
    points, eligibility = dict(context.question_points), dict(context.eligibility)
    return Outcome(total, areas, indicators, points, eligibility, level, reasons, context.phase)


def _indicator_scores(
    context: _Context,
    plans: tuple[IndicatorPlan, ...],
    exact: Mapping[str, Ratio | None],
    scores: dict[str, IndicatorScore],
) -> list[tuple[int, Ratio | None]]:
    """Fill `scores` with the indicators of one area; their weights and exact scores, for the mean."""
    weighted, tallies = [], context.tallies
    for indicator in plans:
        indicator_id = indicator.indicator.id
        tally, value, capped = tallies[indicator_id], exact[indicator_id], False
        if indicator.cap is not None and value is not None and not tally.evidence_given:
            value, capped = _capped(value, indicator.cap)
        weighted.append((indicator.scaled_weight, value))
        scores[indicator_id] = IndicatorScore(_displayed_ratio(value), tally.points, tally.max_points, capped)
    return weighted


def _capped(value: Ratio, cap: Fraction) -> tuple[Ratio, bool]:
    """`value` held at the evidence cap, and whether that lowered it."""
    numerator, denominator = value
    if numerator * cap.denominator <= cap.numerator * denominator:
        return value, False
    return (cap.numerator, cap.denominator), True


def _weighted_mean(pairs: Iterable[tuple[int, Ratio | None]]) -> Ratio | None:
    """The mean of the values that are not None, weights renormalised over them; None if none weighs.

    On whole weights (`AreaPlan.scaled_weight`) and unreduced integer ratios: a `Fraction` reduces every
    intermediate result (a gcd and a new object), which made the means the costliest step of scoring.
    The result is reduced once, so that a mean of means does not multiply ever longer denominators.
    """
    total_numerator, total_denominator, total_weight = 0, 1, 0
    for weight, value in pairs:
        if value is not None:
            numerator, denominator = value
            total_numerator = total_numerator * denominator + weight * numerator * total_denominator
            total_denominator *= denominator
            total_weight += weight
    if not total_weight:
        return None
    total_denominator *= total_weight
    common = math.gcd(total_numerator, total_denominator)
    return total_numerator // common, total_denominator // common


def displayed(value: Fraction | None) -> Decimal | None:
    """`value` rounded half up to one decimal, computed exactly (the same as Decimal's ROUND_HALF_UP)."""
    return None if value is None else _displayed_ratio((value.numerator, value.denominator))


def _displayed_ratio(value: Ratio | None) -> Decimal | None:
    """`displayed` for a `Ratio`."""
    if value is None:
        return None
    numerator, denominator = value
    tenths = (numerator * 20 + denominator) // (denominator * 2)
    # Scores run from 0 to 100: their thousand and one Decimals are made once.
    if 0 <= tenths < len(_TENTHS):
        return _TENTHS[tenths]
    return Decimal(tenths).scaleb(-1)

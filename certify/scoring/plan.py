"""The scoring plan of a standard: everything that does not depend on the answers, worked out once.

A plan holds, per question, a closure that checks an answer's type and one that turns it into points; per
indicator and area, their weights as exact fractions. `plan_for` caches plans by the standard's identity:
a `Standard` is not hashable (levels hold `min_rubric` dicts), so the cache is keyed by `id()` and a
`weakref.finalize` drops the entry when the standard is collected, before its id can be reused.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from certify.scoring.answers import checker, pointer
from certify.scoring.results import ScoringInputError
from certify.standards.definition import (
    RUBRIC_SCORES,
    Area,
    Critical,
    Indicator,
    Level,
    Phases,
    Question,
    QuestionType,
    Requirement,
    Standard,
)


@dataclass(frozen=True, slots=True)
class QuestionPlan:
    question: Question
    check: Callable[[Any], None]
    #: answer -> points; None for questions that earn no points by themselves
    points: Callable[[Any], Any] | None
    #: `question.max_points`, a property that would otherwise be recomputed for every submission
    max_points: Decimal
    #: phase id -> the pointer of that phase's bands, for the phases the question bands on their own
    phase_points: Mapping[str, Callable[[Any], Any]]

    def points_in(self, phase: str | None) -> Callable[[Any], Any]:
        """The pointer for an answer of a cluster in `phase`."""
        return self.phase_points.get(phase, self.points) if self.phase_points else self.points


@dataclass(frozen=True, slots=True)
class IndicatorPlan:
    indicator: Indicator
    weight: Fraction
    pointed: tuple[QuestionPlan, ...]
    evidence: tuple[Question, ...]
    #: the score's ceiling (0-100) when required evidence is missing; None when evidence is optional
    cap: Fraction | None


@dataclass(frozen=True, slots=True)
class AreaPlan:
    area: Area
    weight: Fraction
    indicators: tuple[IndicatorPlan, ...]


@dataclass(frozen=True, slots=True)
class ScoringPlan:
    standard: weakref.ref
    questions: Mapping[str, QuestionPlan]
    areas: tuple[AreaPlan, ...]
    indicators: Mapping[str, IndicatorPlan]
    eligibility: tuple[Requirement, ...]
    #: highest rank first, the order in which levels are tried
    levels: tuple[Level, ...]
    #: level id -> its critical indicators with those of the levels below, each at its highest minimum
    critical: Mapping[str, tuple[Critical, ...]]
    #: whether any question accepts "not applicable" (if none does, the answers need no filtering)
    not_applicable: bool
    #: the ratio questions in questionnaire order, so that a ratio of ratios finds its sources computed
    ratios: tuple[Question, ...]
    phases: Phases | None


_PLANS: dict[int, ScoringPlan] = {}


def plan_for(standard: Standard) -> ScoringPlan:
    """The cached plan of `standard`, built (and the standard checked) on first use."""
    plan = _PLANS.get(id(standard))
    if plan is None or plan.standard() is not standard:
        plan = build_plan(standard)
        _PLANS[id(standard)] = plan
        weakref.finalize(standard, _PLANS.pop, id(standard), None)
    return plan


def build_plan(standard: Standard) -> ScoringPlan:
    """Check that `standard` can be scored and precompute its plan; raises ScoringInputError."""
    _check_weights(standard)
    _check_points(standard)
    questions = {q.id: _question_plan(q) for q in standard.all_questions()}
    areas = tuple(_area_plan(area, questions) for area in standard.areas)
    indicators = {i.indicator.id: i for area in areas for i in area.indicators}
    levels = tuple(sorted(standard.levels, key=lambda level: level.rank, reverse=True))
    _check_min_rubric(levels, indicators)
    _check_critical(standard, levels, indicators)
    critical = _inherited_critical(levels)
    not_applicable = any(q.not_applicable for q in standard.all_questions())
    ratios = tuple(q for q in standard.all_questions() if q.type == QuestionType.RATIO)
    return ScoringPlan(
        weakref.ref(standard),
        questions,
        areas,
        indicators,
        standard.eligibility,
        levels,
        critical,
        not_applicable,
        ratios,
        standard.phases,
    )


def _question_plan(question: Question) -> QuestionPlan:
    points = pointer(question) if question.is_pointed else None
    phase_points = {phase: pointer(question, phase) for phase in question.phase_bands} if points else {}
    return QuestionPlan(question, checker(question), points, question.max_points, phase_points)


def _area_plan(area: Area, questions: Mapping[str, QuestionPlan]) -> AreaPlan:
    indicators = tuple(_indicator_plan(indicator, questions) for indicator in area.indicators)
    return AreaPlan(area, Fraction(area.weight), indicators)


def _indicator_plan(indicator: Indicator, questions: Mapping[str, QuestionPlan]) -> IndicatorPlan:
    return IndicatorPlan(
        indicator,
        Fraction(indicator.weight),
        tuple(questions[q.id] for q in indicator.questions if q.is_pointed),
        tuple(q for q in indicator.questions if q.type == QuestionType.EVIDENCE),
        Fraction(indicator.cap_without_evidence) if indicator.evidence_required else None,
    )


def _check_weights(standard: Standard) -> None:
    # A weighted mean over weights that are all zero has no value; refusing the standard beats a silent 0.
    for item in (*standard.areas, *standard.indicators()):
        if item.weight < 0:
            raise ScoringInputError("negative_weight", subject=item.id)
    if not any(area.weight for area in standard.areas):
        raise ScoringInputError("area_weights_zero", standard=standard.code)
    for area in standard.areas:
        if not any(indicator.weight for indicator in area.indicators):
            raise ScoringInputError("indicator_weights_zero", area=area.id)


def _check_points(standard: Standard) -> None:
    # The schema forbids these, but a standard built in code skips it; either would push a score out of 0-100.
    for question in standard.all_questions():
        amounts = (question.points_yes, question.points_no, question.cap or 0)
        amounts += tuple(o.points for o in question.options) + tuple(b.points for b in question.bands)
        if any(amount < 0 for amount in amounts):
            raise ScoringInputError("negative_points", question=question.id)
    for indicator in standard.indicators():
        if not 0 <= indicator.cap_without_evidence <= 100:
            raise ScoringInputError("bad_evidence_cap", indicator=indicator.id)
    phases = {phase.id for phase in standard.phases.phases} if standard.phases else set()
    for question in standard.all_questions():
        for phase, bands in question.phase_bands.items():
            # Another top would change the indicator's maximum with the phase, and could pass 100.
            top = max((band.points for band in bands), default=Decimal(0))
            if phase not in phases or top != question.max_points:
                raise ScoringInputError("bad_phase_bands", question=question.id, phase=phase)


def _check_min_rubric(levels: tuple[Level, ...], indicators: Mapping[str, IndicatorPlan]) -> None:
    for level in levels:
        for indicator_id in level.min_rubric:
            if indicator_id not in indicators:
                raise ScoringInputError("unknown_rubric_indicator", level=level.id, indicator=indicator_id)


def _check_critical(
    standard: Standard, levels: tuple[Level, ...], indicators: Mapping[str, IndicatorPlan]
) -> None:
    # The format's checks refuse these in a file; a standard built in code skips them.
    area_ids = {area.id for area in standard.areas}
    for level in levels:
        for critical in level.critical:
            if critical.indicator not in indicators:
                raise ScoringInputError(
                    "unknown_critical_indicator", level=level.id, indicator=critical.indicator
                )
            answers = critical.answers_minimum
            if critical.rubric not in RUBRIC_SCORES or not 0 <= answers <= 100:
                raise ScoringInputError("bad_critical_minimum", level=level.id, indicator=critical.indicator)
        for area_id in level.min_area_exempt:
            if area_id not in area_ids:
                raise ScoringInputError("unknown_exempt_area", level=level.id, area=area_id)


def _inherited_critical(levels: tuple[Level, ...]) -> dict[str, tuple[Critical, ...]]:
    """Per level, its own critical indicators and those of every lower level, at the higher minimum.

    Without this a level that forgot to repeat one of Basic's critical indicators would be reachable by
    an organisation that cannot reach Basic.
    """
    result = {}
    for position, level in enumerate(levels):
        merged: dict[str, Critical] = {}
        for source in (level, *levels[position + 1 :]):  # `levels` runs from the highest rank down
            for critical in source.critical:
                known = merged.get(critical.indicator)
                merged[critical.indicator] = critical if known is None else _stricter(known, critical)
        result[level.id] = tuple(merged.values())
    return result


def _stricter(first: Critical, second: Critical) -> Critical:
    rubric = max(first.rubric, second.rubric)
    answers = max(first.answers_minimum, second.answers_minimum)
    return Critical(first.indicator, rubric, answers)

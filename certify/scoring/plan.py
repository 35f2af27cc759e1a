"""The scoring plan of a standard: everything that does not depend on the answers, worked out once.

A plan holds, per question, a closure that checks an answer's type and one that turns it into points; per
indicator and area, their weights as exact fractions and as whole numbers on a common scale; per maturity
phase, each indicator's pointed questions with the pointer that phase uses; the distinct `visible_if`
conditions of the scored questions, so that each is evaluated once per submission.
`plan_for` caches plans by the standard's identity: a `Standard` is not hashable (levels hold
`min_rubric` dicts), so the cache is keyed by `id()` and a `weakref.finalize` drops the entry when the
standard is collected, before its id can be reused.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from certify.scoring.answers import Pointer, checker, pointer
from certify.scoring.results import ScoringInputError
from certify.standards.conditions import Expression
from certify.standards.definition import (
    RUBRIC_SCORES,
    Area,
    Condition,
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
    #: `weight` times a factor shared by the area's indicators that makes every one of them whole
    scaled_weight: int
    #: phase id (None: no phase) -> (question id, pointer, max points) of each pointed question
    pointers: Mapping[str | None, tuple[tuple[str, Pointer, Decimal], ...]]
    #: the ids of the evidence questions whose files lift the cap; none when there is no cap to lift
    capping_evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AreaPlan:
    area: Area
    weight: Fraction
    indicators: tuple[IndicatorPlan, ...]
    #: `weight` times a factor shared by the standard's areas that makes every one of them whole
    scaled_weight: int


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
    #: each distinct `visible_if` of a question that can change a score (`_visibility`), with the ids of
    #: the questions it governs
    visibility: tuple[tuple[Condition, tuple[str, ...]], ...]
    #: level id -> the levels of its rank or below that have `requires`, lowest rank first
    requires_below: Mapping[str, tuple[Level, ...]]


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
    phase_ids = (None, *(phase.id for phase in standard.phases.phases)) if standard.phases else (None,)
    area_weights = _scaled(area.weight for area in standard.areas)
    areas = tuple(
        _area_plan(area, weight, questions, phase_ids)
        for area, weight in zip(standard.areas, area_weights, strict=True)
    )
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
        _visibility(indicators.values()),
        _requires_below(levels),
    )


def _question_plan(question: Question) -> QuestionPlan:
    points = pointer(question) if question.is_pointed else None
    phase_points = {phase: pointer(question, phase) for phase in question.phase_bands} if points else {}
    return QuestionPlan(question, checker(question), points, question.max_points, phase_points)


def _area_plan(
    area: Area, scaled_weight: int, questions: Mapping[str, QuestionPlan], phase_ids: tuple[str | None, ...]
) -> AreaPlan:
    weights = _scaled(indicator.weight for indicator in area.indicators)
    indicators = tuple(
        _indicator_plan(indicator, weight, questions, phase_ids)
        for indicator, weight in zip(area.indicators, weights, strict=True)
    )
    return AreaPlan(area, Fraction(area.weight), indicators, scaled_weight)


def _indicator_plan(
    indicator: Indicator,
    scaled_weight: int,
    questions: Mapping[str, QuestionPlan],
    phase_ids: tuple[str | None, ...],
) -> IndicatorPlan:
    pointed = tuple(questions[q.id] for q in indicator.questions if q.is_pointed)
    evidence = tuple(q for q in indicator.questions if q.type == QuestionType.EVIDENCE)
    pointers = {
        phase: tuple((entry.question.id, entry.points_in(phase), entry.max_points) for entry in pointed)
        for phase in phase_ids
    }
    required = indicator.evidence_required
    return IndicatorPlan(
        indicator,
        Fraction(indicator.weight),
        pointed,
        evidence,
        Fraction(indicator.cap_without_evidence) if required else None,
        scaled_weight,
        pointers,
        tuple(q.id for q in evidence) if required else (),
    )


def _scaled(weights: Iterable[Decimal]) -> list[int]:
    """The weights times the least factor that makes them all whole: a mean over them is the same."""
    fractions = [Fraction(weight) for weight in weights]
    factor = math.lcm(*(fraction.denominator for fraction in fractions))
    return [int(fraction * factor) for fraction in fractions]


def _visibility(indicators: Iterable[IndicatorPlan]) -> tuple[tuple[Condition, tuple[str, ...]], ...]:
    """The conditions of the questions that can change a score, each with the questions it shows, equal
    ones merged: the pointed questions, and the evidence questions of indicators capped without evidence.
    """
    hidden_by: dict[Hashable, tuple[Condition, list[str]]] = {}
    for indicator in indicators:
        capping = indicator.evidence if indicator.cap is not None else ()
        for question in (*(entry.question for entry in indicator.pointed), *capping):
            condition = question.visible_if
            if condition is not None:
                hidden_by.setdefault(_condition_key(condition), (condition, []))[1].append(question.id)
    return tuple((condition, tuple(ids)) for condition, ids in hidden_by.values())


def _condition_key(condition: Condition) -> Hashable:
    # Parsed expressions of the same text hold on the same answers (and compare equal); another kind of
    # condition, one built in code, is only known to equal itself.
    return ("expression", condition.source) if type(condition) is Expression else ("object", id(condition))


def _requires_below(levels: tuple[Level, ...]) -> dict[str, tuple[Level, ...]]:
    # A level needs the `requires` of every level below it (certify.scoring.levels).
    return {
        level.id: tuple(
            lower
            for lower in sorted((lv for lv in levels if lv.rank <= level.rank), key=lambda lv: lv.rank)
            if lower.requires is not None
        )
        for level in levels
    }


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

"""Which level an outcome reaches, and the reasons why, as structured `Reason`s.

Eligibility is a knock-out: one unmet requirement means no level, whatever the scores, and the reasons
name only the unmet requirements. Otherwise levels are tried from the highest rank down; the first whose
total, every-area (but `min_area_exempt`), critical-indicator and rubric minimums hold is reached. Each
higher level that was not reached adds one reason per rule it failed. All comparisons use the displayed
(rounded) scores, so a reason never contradicts a number on the page.

A level with `requires` (a condition on the answers, such as a senior level's longer experience) is
reached only when it holds, and so is every level above it: like critical indicators, a level needs what
every level below it needs.

A critical indicator is judged on its score in the outcome at hand: rubric × 25 (after the evidence cap)
when assessed, the score from the answers against `answers` in a self-assessment.

A self-assessment has no rubric: a level with `min_rubric` whose other minimums hold is reported as
`rubric_pending` (one reason per indicator) and not granted, and the next level down is tried; so is a
critical indicator that the answers cannot score (it has no pointed question).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from certify.scoring.plan import ScoringPlan
from certify.scoring.results import Reason
from certify.standards.definition import Area, Critical, Level, Requirement


@dataclass(frozen=True)
class Judged:
    """The displayed scores a level is judged on; `rubric` is None for a self-assessment."""

    total: Decimal | None
    #: area id -> displayed score (None: the area has no scored indicator and is left out)
    areas: Mapping[str, Decimal | None]
    #: indicator id -> displayed score (None: nothing in the answers scores it)
    indicators: Mapping[str, Decimal | None]
    eligibility: Mapping[str, bool]
    rubric: Mapping[str, int] | None
    #: level id -> whether the level's `requires` holds on the answers (levels without one are absent)
    requires: Mapping[str, bool] = field(default_factory=dict)


def decide(plan: ScoringPlan, judged: Judged) -> tuple[Level | None, tuple[Reason, ...]]:
    """The level reached (or None) and the reasons, in the order the rules were applied."""
    unmet = [r for r in plan.eligibility if not judged.eligibility[r.id]]
    if unmet:
        return None, tuple(_eligibility_unmet(requirement) for requirement in unmet)
    if judged.total is None:
        return None, (Reason("total_missing", {}),)
    reasons: list[Reason] = []
    for level in plan.levels:
        failures = _failures(plan, level, judged)
        if not failures and judged.rubric is None:
            failures = _rubric_pending(plan, level) + _critical_pending(plan, level, judged)
        if not failures:
            reasons.append(_reason("level_reached", level, score=judged.total))
            return level, tuple(reasons)
        reasons.extend(failures)
    return None, tuple(reasons)


def _failures(plan: ScoringPlan, level: Level, judged: Judged) -> list[Reason]:
    failures = []
    if judged.total < level.min_total:
        params = {"score": judged.total, "required": level.min_total}
        failures.append(_reason("total_below_minimum", level, **params))
    for area_plan in plan.areas:
        area = area_plan.area
        score = judged.areas[area.id]
        if score is not None and score < level.min_area and area.id not in level.min_area_exempt:
            failures.append(_area_below(level, area, score))
    failures.extend(_critical_below(plan, level, judged))
    failures.extend(_requires_unmet(plan, level, judged))
    if judged.rubric is not None:
        failures.extend(_rubric_below(plan, level, judged.rubric))
    return failures


def _requires_unmet(plan: ScoringPlan, level: Level, judged: Judged) -> list[Reason]:
    """One reason per unmet condition of the level or of a level below it, lowest level first."""
    return [
        _reason("requires_unmet", level, condition=source.requires_note or source.requires.source)
        for source in plan.requires_below[level.id]
        if not judged.requires.get(source.id, False)
    ]


def _area_below(level: Level, area: Area, score: Decimal) -> Reason:
    params = {"area": area.title, "area_id": area.id, "score": score, "required": level.min_area}
    return _reason("area_below_minimum", level, **params)


def _rubric_below(plan: ScoringPlan, level: Level, rubric: Mapping[str, int]) -> list[Reason]:
    return [
        _reason(
            "rubric_below_minimum",
            level,
            **_indicator_params(plan, indicator_id),
            rubric=rubric[indicator_id],
            required=minimum,
        )
        for indicator_id, minimum in level.min_rubric.items()
        if rubric[indicator_id] < minimum
    ]


def _critical_required(critical: Critical, judged: Judged) -> Decimal:
    if judged.rubric is None:
        return critical.answers_minimum
    return Decimal(25 * critical.rubric)


def _critical_below(plan: ScoringPlan, level: Level, judged: Judged) -> list[Reason]:
    failures = []
    for critical in plan.critical[level.id]:
        score, required = judged.indicators[critical.indicator], _critical_required(critical, judged)
        if score is not None and score < required:
            params = {**_indicator_params(plan, critical.indicator), "score": score, "required": required}
            failures.append(_reason("critical_below_minimum", level, **params))
    return failures


def _critical_pending(plan: ScoringPlan, level: Level, judged: Judged) -> list[Reason]:
    # Only a self-assessment gets here, and only an indicator the answers cannot score has no score.
    return [
        _reason("rubric_pending", level, **_indicator_params(plan, c.indicator), required=c.rubric)
        for c in plan.critical[level.id]
        if judged.indicators[c.indicator] is None
    ]


def _rubric_pending(plan: ScoringPlan, level: Level) -> list[Reason]:
    return [
        _reason("rubric_pending", level, **_indicator_params(plan, indicator_id), required=minimum)
        for indicator_id, minimum in level.min_rubric.items()
    ]


def _indicator_params(plan: ScoringPlan, indicator_id: str) -> dict:
    return {"indicator": plan.indicators[indicator_id].indicator.title, "indicator_id": indicator_id}


def _eligibility_unmet(requirement: Requirement) -> Reason:
    params = {"requirement": requirement.title, "requirement_id": requirement.id}
    return Reason("eligibility_unmet", params)


def _reason(code: str, level: Level, **params) -> Reason:
    return Reason(code, {"level": level.name, "level_id": level.id, **params})

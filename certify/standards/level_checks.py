"""Checks of the levels: references, a higher level never easier, exemptions, "not applicable" limits."""

from __future__ import annotations

from typing import Any

from certify.standards import messages
from certify.standards.definition import POINTED_TYPES, QuestionType
from certify.standards.located import items_of, questions_of
from certify.standards.problems import Locator


def check_levels(data: dict[str, Any], locator: Locator) -> None:
    indicator_ids = {i["id"] for area in data["areas"] for i in area["indicators"]}
    for path, level in items_of(data, "levels"):
        for indicator_id in level.get("min_rubric", {}):
            if indicator_id not in indicator_ids:
                locator.report(
                    (*path, "min_rubric", indicator_id),
                    messages.LEVEL_UNKNOWN_INDICATOR,
                    id=indicator_id,
                )
        if "requires_note" in level and "requires" not in level:
            locator.report((*path, "requires_note"), messages.REQUIRES_NOTE_ALONE)
    ranked = sorted(items_of(data, "levels"), key=lambda item: item[1]["rank"])
    for (_, lower), (path, higher) in zip(ranked, ranked[1:], strict=False):
        for field in ("min_total", "min_area"):
            lower_value, value = lower.get(field, 0), higher.get(field, 0)
            if value < lower_value:
                locator.report(
                    (*path, field),
                    messages.LEVEL_NOT_STRICTER,
                    id=higher["id"],
                    lower=lower["id"],
                    field=field,
                    value=value,
                    lower_value=lower_value,
                )


def check_not_applicable(data: dict[str, Any], locator: Locator) -> None:
    """Eligibility is never optional, and no area may be answered away entirely (docs/scoring.md)."""
    for path, question in questions_of(data):
        if path[0] == "eligibility" and question.get("not_applicable"):
            locator.report((*path, "not_applicable"), messages.NOT_APPLICABLE_ELIGIBILITY)
    for path, area in items_of(data, "areas"):
        pointed = [
            question
            for indicator in area["indicators"]
            for question in indicator.get("questions", ())
            if QuestionType(question["type"]) in POINTED_TYPES
        ]
        if pointed and all(question.get("not_applicable") for question in pointed):
            locator.report(path, messages.NOT_APPLICABLE_WHOLE_AREA, id=area["id"])


def check_critical(data: dict[str, Any], locator: Locator) -> None:
    indicator_ids = {i["id"] for area in data["areas"] for i in area["indicators"]}
    area_ids = {area["id"] for area in data["areas"]}
    for path, level in items_of(data, "levels"):
        named: set[str] = set()
        for index, critical in enumerate(level.get("critical", ())):
            where, indicator_id = (*path, "critical", index, "indicator"), critical["indicator"]
            if indicator_id not in indicator_ids:
                locator.report(where, messages.CRITICAL_UNKNOWN_INDICATOR, id=indicator_id)
            elif indicator_id in named:
                locator.report(where, messages.CRITICAL_TWICE, id=indicator_id)
            named.add(indicator_id)
        for index, area_id in enumerate(level.get("min_area_exempt", ())):
            if area_id not in area_ids:
                where = (*path, "min_area_exempt", index)
                locator.report(where, messages.EXEMPT_UNKNOWN_AREA, id=area_id)
    _check_exemptions_narrow_upwards(data, locator)


def _check_exemptions_narrow_upwards(data: dict[str, Any], locator: Locator) -> None:
    """An area exempt at a level must be exempt below it too, or the higher level is easier to reach."""
    levels = items_of(data, "levels")
    for path, higher in levels:
        for index, area_id in enumerate(higher.get("min_area_exempt", ())):
            for _, lower in levels:
                binding = lower["rank"] < higher["rank"] and lower.get("min_area", 0) > 0
                if binding and area_id not in lower.get("min_area_exempt", ()):
                    locator.report(
                        (*path, "min_area_exempt", index),
                        messages.EXEMPT_NOT_BELOW,
                        id=higher["id"],
                        area=area_id,
                        lower=lower["id"],
                    )

"""Checks the meaning of an item bank whose shape already matches `schema.json`.

Works on the plain values read from YAML, so that every problem is located by path and line, and reports
to a `Locator`, as the standard's checks do (`certify.standards.checks`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from certify.exams import messages
from certify.standards.located import items_of, report_duplicates
from certify.standards.problems import Locator, PathParts


def check_bank(data: dict[str, Any], locator: Locator) -> None:
    """Report every mistake of meaning in `data` to `locator`."""
    report_duplicates("area", items_of(data, "areas"), "id", locator)
    report_duplicates("blueprint", items_of(data, "blueprints"), "id", locator)
    # One entry per item id: a file holds one version of each item, the one this bank version serves.
    report_duplicates("item", items_of(data, "items"), "id", locator)
    areas = {area["id"] for area in data["areas"]}
    for path, item in items_of(data, "items"):
        _check_item(path, item, areas, locator)
    for path, blueprint in items_of(data, "blueprints"):
        _check_blueprint(path, blueprint, data["items"], areas, locator)


def _check_item(path: PathParts, item: dict[str, Any], areas: set[str], locator: Locator) -> None:
    if item["area"] not in areas:
        locator.report((*path, "area"), messages.AREA_UNKNOWN, id=item["area"])
    options = [((*path, "options", index), option) for index, option in enumerate(item["options"])]
    report_duplicates("option", options, "id", locator)
    correct = sum(1 for option in item["options"] if option.get("correct", False))
    where = (*path, "options")
    if item["type"] == "single_choice" and correct != 1:
        locator.report(where, messages.SINGLE_CHOICE_KEY, count=correct)
    elif item["type"] == "multiple_choice" and correct == 0:
        locator.report(where, messages.MULTIPLE_CHOICE_NO_KEY)
    elif item["type"] == "multiple_choice" and correct == len(options):
        # Choosing everything would then always earn the point.
        locator.report(where, messages.MULTIPLE_CHOICE_ALL_KEYS)
    if len(item["source"]) != 1:
        locator.report((*path, "source"), messages.SOURCE_NOT_ONE)


def _check_blueprint(
    path: PathParts, blueprint: dict[str, Any], items: list[dict[str, Any]], areas: set[str], locator: Locator
) -> None:
    active = Counter(item["area"] for item in items if item["status"] == "active")
    seen: set[str] = set()
    for index, part in enumerate(blueprint["areas"]):
        where = (*path, "areas", index)
        area = part["area"]
        if area not in areas:
            locator.report((*where, "area"), messages.AREA_UNKNOWN, id=area)
        elif area in seen:
            locator.report((*where, "area"), messages.BLUEPRINT_AREA_TWICE, id=area)
        elif active[area] < part["items"]:
            locator.report(
                (*where, "items"),
                messages.TOO_FEW_ACTIVE,
                area=area,
                active=active[area],
                blueprint=blueprint["id"],
                items=part["items"],
            )
        seen.add(area)

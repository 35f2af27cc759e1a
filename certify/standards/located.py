"""What the standard's checks share: every item of the plain YAML values with the path that locates it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from certify.standards import messages
from certify.standards.problems import Locator, PathParts

Located = tuple[PathParts, dict[str, Any]]


def questions_of(data: dict[str, Any]) -> Iterator[Located]:
    """Every question with its path, in questionnaire order (eligibility first)."""
    for r, requirement in enumerate(data["eligibility"]):
        for q, question in enumerate(requirement.get("questions", ())):
            yield ("eligibility", r, "questions", q), question
    for a, area in enumerate(data["areas"]):
        for i, indicator in enumerate(area["indicators"]):
            for q, question in enumerate(indicator.get("questions", ())):
                yield ("areas", a, "indicators", i, "questions", q), question


def items_of(data: dict[str, Any], key: str) -> list[Located]:
    return [((key, index), item) for index, item in enumerate(data[key])]


def report_duplicates(kind: str, items: Iterable[Located], key: str, locator: Locator) -> None:
    first_paths: dict[str, PathParts] = {}
    for path, item in items:
        value = item[key]
        if value in first_paths:
            first = locator.line_of((*first_paths[value], key))
            locator.report((*path, key), messages.DUPLICATE_ID, kind=kind, id=value, first=first)
        else:
            first_paths[value] = path


def check_bands(path: PathParts, bands: list[dict[str, Any]], locator: Locator) -> None:
    infinity = Decimal("Infinity")
    spans = []
    for index, band in enumerate(bands):
        low, high = band.get("minimum", -infinity), band.get("maximum", infinity)
        if low >= high:
            locator.report((*path, index), messages.BAND_EMPTY, minimum=low, maximum=high)
        else:
            spans.append((low, high, index))
    spans.sort()
    for (_, high, first), (low, _, second) in zip(spans, spans[1:], strict=False):
        if low < high:
            pair = sorted((first, second))
            locator.report((*path, pair[1]), messages.BANDS_OVERLAP, first=pair[0], second=pair[1])


def refers_back(
    where: PathParts, reference: str, question: dict[str, Any], order: dict[str, int], locator: Locator
) -> bool:
    """Whether `question` may depend on `reference`: a known question that comes before it (else reported).

    `order` maps question ids to their position in questionnaire order. Only earlier questions, so a
    page can be worked out top to bottom and there is no cycle.
    """
    if reference == question["id"]:
        locator.report(where, messages.REFERENCE_SELF, id=reference)
    elif reference not in order:
        locator.report(where, messages.REFERENCE_UNKNOWN, id=reference)
    elif order[reference] > order[question["id"]]:
        locator.report(where, messages.REFERENCE_FORWARD, id=reference)
    else:
        return True
    return False

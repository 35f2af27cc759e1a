"""Checks of what relates answers to one another: ratios, maturity phases and cross-checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from certify.standards import messages
from certify.standards.definition import BANDED_TYPES, QuestionType
from certify.standards.located import Located, check_bands, items_of, refers_back, report_duplicates
from certify.standards.problems import Locator


def check_ratios(questions: list[Located], locator: Locator) -> None:
    """A ratio divides two number answers that come before it, so each page can show it computed."""
    order: dict[str, int] = {}
    for position, (_, question) in enumerate(questions):
        order.setdefault(question["id"], position)
    types = {question["id"]: QuestionType(question["type"]) for _, question in questions}
    for path, question in questions:
        if question["type"] != QuestionType.RATIO:
            continue
        if "numerator" not in question or "denominator" not in question:
            locator.report(path, messages.RATIO_SOURCE_MISSING)
        for field in ("numerator", "denominator"):
            source = question.get(field)
            where = (*path, field)
            if source is None:
                continue
            if refers_back(where, source, question, order, locator) and types[source] not in BANDED_TYPES:
                locator.report(where, messages.RATIO_SOURCE_NOT_NUMBER, id=source, type=types[source].value)


def check_phases(data: dict[str, Any], questions: list[Located], locator: Locator) -> None:
    phases = data.get("phases")
    phase_ids = {phase["id"] for phase in phases["list"]} if phases else set()
    if phases:
        _check_phase_list(phases, questions, locator)
    for path, question in questions:
        bands_by_phase = question.get("phase_bands")
        if not bands_by_phase:
            continue
        where = (*path, "phase_bands")
        if not phases:
            locator.report(where, messages.PHASE_BANDS_WITHOUT_PHASES)
            continue
        expected = max((Decimal(band["points"]) for band in question.get("bands", ())), default=Decimal(0))
        for phase_id, bands in bands_by_phase.items():
            if phase_id not in phase_ids:
                locator.report((*where, phase_id), messages.PHASE_UNKNOWN, id=phase_id)
                continue
            check_bands((*where, phase_id), bands, locator)
            top = max(Decimal(band["points"]) for band in bands)
            if top != expected:
                locator.report(
                    (*where, phase_id), messages.PHASE_BANDS_TOP, id=phase_id, points=top, expected=expected
                )


def _check_phase_list(phases: dict[str, Any], questions: list[Located], locator: Locator) -> None:
    listed = [(("phases", "list", index), phase) for index, phase in enumerate(phases["list"])]
    report_duplicates("phase", listed, "id", locator)
    founded = next((question for _, question in questions if question["id"] == phases["founded"]), None)
    if founded is None or founded["type"] != QuestionType.DATE:
        locator.report(("phases", "founded"), messages.PHASES_FOUNDED_NOT_DATE, id=phases["founded"])
    elif "visible_if" in founded:
        locator.report(("phases", "founded"), messages.PHASES_FOUNDED_HIDDEN, id=phases["founded"])
    bounds = [phase.get("under_years") for phase in phases["list"]]
    increasing = all(b is not None for b in bounds[:-1]) and bounds[:-1] == sorted(set(bounds[:-1]))
    if not increasing or bounds[-1] is not None:
        locator.report(("phases", "list"), messages.PHASES_ORDER)


def check_cross_checks(data: dict[str, Any], questions: list[Located], locator: Locator) -> None:
    checks = items_of(data, "cross_checks") if "cross_checks" in data else []
    report_duplicates("cross-check", checks, "id", locator)
    types = {question["id"]: QuestionType(question["type"]) for _, question in questions}
    for path, check in checks:
        for index, question_id in enumerate(check["questions"]):
            if types.get(question_id) not in BANDED_TYPES:
                locator.report((*path, "questions", index), messages.CROSS_CHECK_QUESTION, id=question_id)
        if check["kind"] == "equal" and len(check["questions"]) < 2:
            locator.report((*path, "questions"), messages.CROSS_CHECK_EQUAL_ALONE)
        if check["kind"] == "sum_at_most" and "limit" not in check:
            locator.report(path, messages.CROSS_CHECK_LIMIT_MISSING)
        elif check["kind"] != "sum_at_most" and "limit" in check:
            locator.report((*path, "limit"), messages.CROSS_CHECK_LIMIT_UNUSED)

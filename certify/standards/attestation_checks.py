"""Checks of a personal attestation scheme's own sections (docs/attestation.md), on the plain YAML values.

Which sections a file may have depends on its kind: the person-only sections mean nothing for an
organisation, and a person scheme without one of them could not be run (nobody would know the exam, the
deadlines or how to renew). The rest checks that the rules can be followed as written: attempts that fit
their period, reminders in order and within the validity, CPD hours that can be reached. Whether the exam's
item bank exists is for the services to say, at install time: the pure format cannot see the exam library.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from certify.standards import messages
from certify.standards.attestation import PERSON_SECTIONS, StandardKind
from certify.standards.located import questions_of, report_duplicates
from certify.standards.problems import Locator

#: A month's length for comparing days with months; "about", since months differ.
DAYS_PER_MONTH = 30


def check_attestation(data: dict[str, Any], locator: Locator) -> None:
    """Report the person-only sections misplaced or missing, and the mistakes within them."""
    person = data.get("kind") == StandardKind.PERSON
    for name in PERSON_SECTIONS:
        if name in data and not person:
            locator.report((name,), messages.PERSON_SECTION_NOT_PERSON, name=name)
        elif person and name not in data:
            locator.report(("kind",), messages.PERSON_SECTION_MISSING, name=name)
    if not person:
        return
    if "exam" in data:
        _check_attempts(data["exam"]["attempts"], locator)
    if "recertification" in data:
        _check_reminders(data["recertification"]["reminders_days"], data["validity_months"], locator)
        _check_cpd(data["recertification"], locator)
    _check_practical_earns_no_points(data, locator)


def _check_attempts(attempts: dict[str, Any], locator: Locator) -> None:
    """The attempts allowed must fit their period, or the scheme promises a retake nobody can take."""
    count, gap, months = attempts["max"], attempts["min_days_between"], attempts["within_months"]
    if (count - 1) * gap > months * DAYS_PER_MONTH:
        where = ("exam", "attempts", "min_days_between")
        locator.report(where, messages.ATTEMPTS_DO_NOT_FIT, max=count, days=gap, months=months)


def _check_reminders(days: list[int], validity_months: int, locator: Locator) -> None:
    """Largest first, each inside the validity: a reminder is sent once, counting down to expiry."""
    validity_days = validity_months * DAYS_PER_MONTH
    for index, value in enumerate(days):
        where = ("recertification", "reminders_days", index)
        if index and value >= days[index - 1]:
            locator.report(where, messages.REMINDERS_ORDER, value=value, previous=days[index - 1])
        if value >= validity_days:
            params = {"value": value, "months": validity_months, "days": validity_days}
            locator.report(where, messages.REMINDER_BEYOND_VALIDITY, **params)


def _check_cpd(renewal: dict[str, Any], locator: Locator) -> None:
    kinds = [(("recertification", "cpd_kinds", i), kind) for i, kind in enumerate(renewal["cpd_kinds"])]
    report_duplicates("CPD kind", kinds, "id", locator)
    limits = [kind.get("max_hours") for _, kind in kinds]
    # One kind without a maximum can always make up the hours; only all-capped kinds can fall short.
    if all(limit is not None for limit in limits) and sum(limits) < renewal["cpd_hours"]:
        where = ("recertification", "cpd_hours")
        locator.report(where, messages.CPD_UNATTAINABLE, possible=sum(limits), hours=renewal["cpd_hours"])


def _check_practical_earns_no_points(data: dict[str, Any], locator: Locator) -> None:
    """A candidate's answer never scores itself: the practical part is the examiners' rubric alone.

    An organisation's self-assessment is a useful forecast for its manager; a candidate's would be a
    score they gave themselves, so a scheme's area questions are text, dates and evidence (or choices
    worth nothing) that the examiners read.
    """
    for path, question in questions_of(data):
        if path[0] == "areas" and _earns_points(question):
            locator.report(path, messages.PRACTICAL_EARNS_POINTS, id=question["id"])


def _earns_points(question: dict[str, Any]) -> bool:
    points = [option.get("points", 0) for option in question.get("options", ())]
    points += [question.get("points_yes", 0), question.get("points_no", 0)]
    points += [band["points"] for band in question.get("bands", ())]
    return any(Decimal(value) > 0 for value in points)

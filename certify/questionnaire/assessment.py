"""The scoring engine's result in the user's language, for the summary, review and certificates pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext

from certify.scoring import Outcome, Reason, failed_checks, score
from certify.scoring.results import render_param
from certify.standards.definition import Standard
from certify.web.i18n import current_language


@dataclass(frozen=True)
class AssessmentView:
    total: Decimal | None
    #: (area title, score or None) in the standard's order
    areas: list[tuple[str, Decimal | None]]
    level: str | None
    reasons: list[str]
    #: the cluster's maturity phase, named; None when the standard has no phases
    phase: str | None = None


def reason_text(reason: Reason, language: str) -> str:
    """A reason in the user's language: the English template translated, then filled in."""
    return gettext(reason.template) % {key: render_param(v, language) for key, v in reason.params.items()}


def outcome_view(standard: Standard, outcome: Outcome) -> AssessmentView:
    language = current_language()
    return AssessmentView(
        total=outcome.total,
        areas=[(area.title.get(language), outcome.areas[area.id].score) for area in standard.areas],
        level=outcome.level.name.get(language) if outcome.level else None,
        reasons=[reason_text(reason, language) for reason in outcome.reasons],
        phase=outcome.phase.name.get(language) if outcome.phase else None,
    )


def self_assessment(standard: Standard, answers, on: date | None = None) -> AssessmentView:
    """The preliminary score from the answers alone, the phase judged on `on` (today by default)."""
    return outcome_view(standard, score(standard, answers, on=on).self_assessment)


@dataclass(frozen=True)
class CrossCheckWarning:
    """A cross-check of the standard that the answers fail, in the user's language."""

    message: str
    #: the questions whose answers took part, in the check's order
    question_ids: tuple[str, ...]


def cross_check_warnings(standard: Standard, answers: Mapping[str, Any]) -> list[CrossCheckWarning]:
    """The standard's cross-checks the typed `answers` fail (docs/scoring.md, "Cross-checks")."""
    language = current_language()
    return [
        CrossCheckWarning(failed.check.message.get(language), tuple(failed.values))
        for failed in failed_checks(standard, answers)
    ]


def warnings_by_question(warnings: list[CrossCheckWarning]) -> dict[str, list[str]]:
    """Each warning under every question that took part, so that it is read next to each answer."""
    by_question: dict[str, list[str]] = {}
    for warning in warnings:
        for question_id in warning.question_ids:
            by_question.setdefault(question_id, []).append(warning.message)
    return by_question

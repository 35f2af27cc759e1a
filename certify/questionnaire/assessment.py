"""The scoring engine's result in the user's language, for the summary, review and certificates pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext

from certify.scoring import Outcome, Reason, score
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
    )


def self_assessment(standard: Standard, answers) -> AssessmentView:
    """The preliminary score from the answers alone."""
    return outcome_view(standard, score(standard, answers).self_assessment)

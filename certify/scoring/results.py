"""What the scoring engine returns: frozen dataclasses of plain values, and its one exception.

Scores are `Decimal`s rounded half up to one decimal (see docs/scoring.md, "Rounding"); question points are
exact. Everything here is pure and safe to hand to a template, a PDF context or a JSON encoder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from certify.scoring import messages

# Re-exported: certify.questionnaire.assessment fills gettext-translated templates with it.
from certify.scoring.messages import render_param as render_param
from certify.standards.definition import Level, Phase


class ScoringInputError(ValueError):
    """The answers, the rubric or the standard cannot be scored; the message names the culprit.

    Like a `Reason`, it carries a `code` and `params`, so the web layer can show it in either language;
    `str()` is the English message.
    """

    def __init__(self, code: str, **params: Any):
        super().__init__(messages.render(code, params, "en"))
        self.code = code
        self.params = params

    @property
    def template(self) -> str:
        """The English template (the gettext msgid) of this error."""
        return messages.template(self.code, "en")

    def message(self, locale: str = "en") -> str:
        """The error in `locale` ("ru" or "en")."""
        return messages.render(self.code, self.params, locale)


@dataclass(frozen=True)
class Reason:
    """One rule that decided the level, as data: `code` for programs, `message(locale)` for people.

    `params` holds plain values: `Text` for names of the standard (the reader picks the language),
    `Decimal` for scores, ints for rubric scores, and `*_id` strings that no template uses but that let a
    page link the reason to its level, area, indicator or requirement. The sentences are the tables of
    `certify.scoring.messages`.
    """

    code: str
    params: Mapping[str, Any]

    @property
    def template(self) -> str:
        """The English template (the gettext msgid) of this reason."""
        return messages.template(self.code, "en")

    def message(self, locale: str = "en") -> str:
        """The reason in `locale` ("ru" or "en"), e.g. "Area 'Financing' is 38.0, below the 40.0 ..."."""
        return messages.render(self.code, self.params, locale)


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator. `score` is None in a self-assessment only when there is nothing to score: the
    standard gives it no pointed question, or all of them were answered "not applicable". Every pointed
    question hidden scores 0.0: silence earns nothing.

    `points`/`max_points` sum its shown, applicable pointed questions; `capped` is True when the missing
    required evidence lowered the score.
    """

    score: Decimal | None
    points: Decimal
    max_points: Decimal
    capped: bool


@dataclass(frozen=True)
class AreaScore:
    """One area: the weighted mean of its scored indicators (None when none of them is scored)."""

    score: Decimal | None
    indicators: Mapping[str, IndicatorScore]


@dataclass(frozen=True)
class Outcome:
    """One way of scoring the application: from the answers alone, or from the assessors' rubric."""

    total: Decimal | None
    areas: Mapping[str, AreaScore]
    indicators: Mapping[str, IndicatorScore]
    #: points of every shown pointed question (hidden and text/evidence questions are left out)
    questions: Mapping[str, Decimal]
    #: requirement id -> met
    eligibility: Mapping[str, bool]
    level: Level | None
    reasons: tuple[Reason, ...]
    #: the cluster's maturity phase the answers were judged in; None when the standard has no phases
    phase: Phase | None = None


@dataclass(frozen=True)
class Result:
    """`score()`'s answer: the self-assessment always, the assessed outcome when a rubric was given."""

    self_assessment: Outcome
    assessed: Outcome | None

"""The scoring engine: pure Python (neither Flask nor SQLAlchemy), one entry point for the whole app.

    from certify.scoring import score
    result = score(standard, answers)                  # result.self_assessment, result.assessed is None
    result = score(standard, answers, rubric=rubric)   # rubric: indicator id -> consensus score 0..4
    result = score(standard, answers, on=submitted_day) # the day the maturity phase is judged on
    derived_answers(standard, answers), failed_checks(standard, answers)  # ratios; cross-check warnings

The rules, the rounding and worked examples are in docs/scoring.md.
"""

from certify.scoring.cross_checks import FailedCheck, failed_checks
from certify.scoring.results import (
    AreaScore,
    IndicatorScore,
    Outcome,
    Reason,
    Result,
    ScoringInputError,
)
from certify.scoring.rules import derived_answers, score

__all__ = [
    "AreaScore",
    "FailedCheck",
    "IndicatorScore",
    "Outcome",
    "Reason",
    "Result",
    "ScoringInputError",
    "derived_answers",
    "failed_checks",
    "score",
]

"""The scoring engine: pure Python (neither Flask nor SQLAlchemy), one entry point for the whole app.

    from certify.scoring import score
    result = score(standard, answers)                  # result.self_assessment, result.assessed is None
    result = score(standard, answers, rubric=rubric)   # rubric: indicator id -> consensus score 0..4

The rules, the rounding and worked examples are in docs/scoring.md.
"""

from certify.scoring.results import (
    AreaScore,
    IndicatorScore,
    Outcome,
    Reason,
    Result,
    ScoringInputError,
)
from certify.scoring.rules import score

__all__ = [
    "AreaScore",
    "IndicatorScore",
    "Outcome",
    "Reason",
    "Result",
    "ScoringInputError",
    "score",
]

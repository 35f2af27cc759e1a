"""Reading assessors' scores: each one's rubric, the scores side by side, the consensus, the assessed result.

Only reads, so that the workflow bridge (which needs the spread of the totals) and the services that write
scores can both use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import sqlalchemy as sa

from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of, typed_answers_of
from certify.review.models import AreaFeedback, Assignment, ConsensusScore, RubricScore
from certify.scoring import Outcome, score
from certify.transitions import active_assignments

#: scores this many steps apart are flagged for discussion at consensus
DIVERGENCE_STEPS = 2


@dataclass(frozen=True)
class Comparison:
    indicator_id: str
    #: assessor id -> score (None: not scored)
    scores: Mapping[int, int | None]

    @property
    def suggested(self) -> int:
        """Where the discussion starts: the lower middle of the scores given."""
        given = sorted(s for s in self.scores.values() if s is not None)
        return given[(len(given) - 1) // 2] if given else 0

    @property
    def divergent(self) -> bool:
        given = [s for s in self.scores.values() if s is not None]
        return bool(given) and max(given) - min(given) >= DIVERGENCE_STEPS


def scores_of(session, assignment: Assignment) -> dict[str, RubricScore]:
    rows = session.scalars(sa.select(RubricScore).where(RubricScore.assignment_id == assignment.id))
    return {row.indicator_id: row for row in rows}


def feedback_of(session, assignment: Assignment) -> dict[str, AreaFeedback]:
    rows = session.scalars(sa.select(AreaFeedback).where(AreaFeedback.assignment_id == assignment.id))
    return {row.area_id: row for row in rows}


def rubric_of(session, assignment: Assignment) -> dict[str, int]:
    return {k: row.score for k, row in scores_of(session, assignment).items() if row.score is not None}


def assessed_outcome(session, application: Application, rubric: Mapping[str, int]) -> Outcome:
    """The assessed result for a full set of rubric scores, through the one scoring function."""
    result = score(standard_of(application), typed_answers_of(session, application), rubric=rubric)
    return result.assessed


class ScoresCompared(NamedTuple):
    #: the assignments whose scores are submitted
    team: list[Assignment]
    rows: list[Comparison]
    #: highest minus lowest of their totals; None while fewer than two totals exist
    spread: Decimal | None


def compare(session, application: Application) -> ScoresCompared:
    """The submitted scores side by side, and the spread of the assessors' totals."""
    team = [a for a in active_assignments(session, application) if a.scores_submitted_at is not None]
    rubrics = {a.assessor_id: rubric_of(session, a) for a in team}
    rows = [
        Comparison(indicator.id, {assessor: rubric.get(indicator.id) for assessor, rubric in rubrics.items()})
        for indicator in standard_of(application).indicators()
    ]
    totals = [assessed_outcome(session, application, rubric).total for rubric in rubrics.values()]
    spread = max(totals) - min(totals) if len(totals) >= 2 else None
    return ScoresCompared(team, rows, spread)


def consensus_of(session, application: Application) -> dict[str, ConsensusScore]:
    rows = session.scalars(sa.select(ConsensusScore).where(ConsensusScore.application_id == application.id))
    return {row.indicator_id: row for row in rows}

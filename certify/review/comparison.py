"""Reading assessors' scores: each one's rubric, the scores side by side, the consensus, the assessed result.

Every assessed result is computed on the answers as the marks of whoever assessed accept them
(certify.review.findings): each assessor's own for their total, the lead's at consensus.

Only reads, so that the workflow bridge (which needs the spread of the totals) and the services that write
scores can both use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

import sqlalchemy as sa

from certify.questionnaire.models import Application
from certify.questionnaire.services import scoring_day, standard_of
from certify.review import findings
from certify.review.models import AreaFeedback, Assignment, ConsensusScore, RubricScore
from certify.scoring import Outcome, score
from certify.transitions import active_assignments, appeal_panel_size

#: scores this many steps apart are flagged for discussion at consensus (and justified there); whether
#: they also call for a third assessor is the standard's setting `review.third_assessor_steps`
DIVERGENCE_STEPS = 2


@dataclass(frozen=True)
class Comparison:
    indicator_id: str
    #: assessor id -> score (None: not scored)
    scores: Mapping[int, int | None]
    #: assessor id -> what they wrote on the indicator ("" or absent: nothing)
    comments: Mapping[int, str] = field(default_factory=dict)

    @property
    def given(self) -> list[int]:
        return sorted(s for s in self.scores.values() if s is not None)

    @property
    def agreed(self) -> int | None:
        """The score every assessor gave, if they agree; None where they differ (the lead must choose).

        Nothing is pre-chosen where they differ: a suggested value would be recorded by a lead who
        merely clicks through, which is how a consensus of "the lower scores" came about.
        """
        given = set(self.given)
        return given.pop() if len(given) == 1 else None

    @property
    def step_gap(self) -> int:
        """The highest score minus the lowest, in rubric steps (0 where fewer than two were given)."""
        given = self.given
        return given[-1] - given[0] if given else 0

    @property
    def divergent(self) -> bool:
        return bool(self.given) and self.step_gap >= DIVERGENCE_STEPS


def scores_of(session, assignment: Assignment) -> dict[str, RubricScore]:
    rows = session.scalars(sa.select(RubricScore).where(RubricScore.assignment_id == assignment.id))
    return {row.indicator_id: row for row in rows}


def feedback_of(session, assignment: Assignment) -> dict[str, AreaFeedback]:
    rows = session.scalars(sa.select(AreaFeedback).where(AreaFeedback.assignment_id == assignment.id))
    return {row.area_id: row for row in rows}


def rubric_of(session, assignment: Assignment) -> dict[str, int]:
    return _rubric(scores_of(session, assignment))


def _rubric(rows: Mapping[str, RubricScore]) -> dict[str, int]:
    return {k: row.score for k, row in rows.items() if row.score is not None}


def _comment(row: RubricScore | None) -> str:
    return row.comment if row is not None and row.comment else ""


def assessed_outcome(
    session, application: Application, rubric: Mapping[str, int], marks: findings.Marks
) -> Outcome:
    """The assessed result for a full set of rubric scores on the answers as `marks` accept them."""
    answers = findings.accepted_answers_of(session, application, marks)
    return score(standard_of(application), answers, rubric=rubric, on=scoring_day(application)).assessed


def assessor_outcome(session, assignment: Assignment) -> Outcome:
    """One assessor's result: their scores on the answers as their own marks accept them."""
    rubric = rubric_of(session, assignment)
    return assessed_outcome(session, assignment.application, rubric, findings.marks_of(session, assignment))


def consensus_outcome(session, application: Application, *, for_appeal: bool = False) -> Outcome | None:
    """The result of the recorded consensus and its marks (the review's, or the appeal panel's); None
    before that consensus is recorded."""
    recorded = consensus_of(session, application, for_appeal=for_appeal)
    if not recorded:
        return None
    rubric = {i: row.score for i, row in recorded.items()}
    marks = findings.consensus_marks_of(session, application, for_appeal=for_appeal)
    return assessed_outcome(session, application, rubric, marks)


def appeal_outcome(session, application: Application) -> Outcome | None:
    """What the appeal's review found, on which the appeal is decided: the consensus of a panel of
    several, or a single assessor's own submitted scores and marks; None until it is in."""
    if appeal_panel_size(standard_of(application)) > 1:
        return consensus_outcome(session, application, for_appeal=True)
    panel = [a for a in active_assignments(session, application, for_appeal=True) if a.is_lead]
    if not panel or not panel[0].scores_submitted_at:
        return None
    return assessor_outcome(session, panel[0])


class ScoresCompared(NamedTuple):
    #: the assignments whose scores are submitted
    team: list[Assignment]
    rows: list[Comparison]
    #: highest minus lowest of their totals; None while fewer than two totals exist
    spread: Decimal | None

    @property
    def largest_step_gap(self) -> int | None:
        """The widest gap between the assessors' scores on any one indicator; None with fewer than two."""
        if len(self.team) < 2:
            return None
        return max((row.step_gap for row in self.rows), default=0)


def compare(session, application: Application, *, for_appeal: bool = False) -> ScoresCompared:
    """The submitted scores side by side (the review team's, or the appeal panel's), and the spread of
    the assessors' totals."""
    team = [
        a
        for a in active_assignments(session, application, for_appeal=for_appeal)
        if a.scores_submitted_at is not None
    ]
    given = {a.assessor_id: scores_of(session, a) for a in team}
    rubrics = {assessor: _rubric(rows) for assessor, rows in given.items()}
    rows = [
        Comparison(
            indicator.id,
            {assessor: rubric.get(indicator.id) for assessor, rubric in rubrics.items()},
            {assessor: _comment(scored.get(indicator.id)) for assessor, scored in given.items()},
        )
        for indicator in standard_of(application).indicators()
    ]
    totals = [
        assessed_outcome(session, application, rubrics[a.assessor_id], findings.marks_of(session, a)).total
        for a in team
    ]
    spread = max(totals) - min(totals) if len(totals) >= 2 else None
    return ScoresCompared(team, rows, spread)


def consensus_of(session, application: Application, *, for_appeal: bool = False) -> dict[str, ConsensusScore]:
    rows = session.scalars(
        sa.select(ConsensusScore).where(
            ConsensusScore.application_id == application.id, ConsensusScore.for_appeal.is_(for_appeal)
        )
    )
    return {row.indicator_id: row for row in rows}

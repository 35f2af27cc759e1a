"""Assessors' rubric scores: drafts, blind submission, comparison and the lead's consensus."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from certify.questionnaire.models import Application
from certify.questionnaire.services import standard_of, typed_answers_of
from certify.review.models import AreaFeedback, Assignment, AssignmentStatus, ConsensusScore, RubricScore
from certify.review.services import ReviewError, active_assignments, actor_on, facts_about, record, take
from certify.scoring import Outcome, score
from certify.web.timeutil import utcnow
from certify.workflow import Action, State

SCORING_STATES = frozenset({State.IN_REVIEW, State.CLARIFICATION_REQUESTED, State.APPEALED})
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


def save_scores(
    session,
    assignment: Assignment,
    *,
    scores: Mapping[str, tuple[int | None, str]],
    feedback: Mapping[str, tuple[str, str]],
) -> None:
    """Keep the assessor's draft: scores 0–4 (or none yet) with comments, and per-area feedback."""
    _ensure_scoring(assignment)
    standard = standard_of(assignment.application)
    known_indicators = {i.id for i in standard.indicators()}
    known_areas = {a.id for a in standard.areas}
    if set(scores) - known_indicators or set(feedback) - known_areas:
        raise ReviewError(_l("The scores name indicators or areas that this standard does not have."), 400)
    if any(value is not None and value not in range(5) for value, _ in scores.values()):
        raise ReviewError(_l("A rubric score is a whole number from 0 to 4."), 422)
    existing = scores_of(session, assignment)
    for indicator_id, (value, comment) in scores.items():
        row = existing.get(indicator_id) or RubricScore(
            assignment_id=assignment.id, indicator_id=indicator_id
        )
        row.score, row.comment = value, comment.strip()
        session.add(row)
    existing_feedback = feedback_of(session, assignment)
    for area_id, (strengths, improvements) in feedback.items():
        row = existing_feedback.get(area_id) or AreaFeedback(assignment_id=assignment.id, area_id=area_id)
        row.strengths, row.improvements = strengths.strip(), improvements.strip()
        session.add(row)
    session.flush()


def _ensure_scoring(assignment: Assignment) -> None:
    if assignment.status != AssignmentStatus.CONFIRMED:
        raise ReviewError(_l("Confirm your independence before scoring."))
    if assignment.scores_submitted_at is not None:
        raise ReviewError(_l("Your scores are submitted and can no longer change."))
    if assignment.application.state not in SCORING_STATES:
        raise ReviewError(_l("This application is not in review."))


def submit_scores(session, assignment: Assignment, assessor) -> None:
    """Submit every indicator's score; the last assessor to submit moves the application to 'scored'.

    The application row is locked first, so two assessors submitting at once are counted one after
    the other and the last one is never mistaken for an earlier one.
    """
    application = session.scalar(
        sa.select(Application).where(Application.id == assignment.application_id).with_for_update()
    )
    _ensure_scoring(assignment)
    standard = standard_of(application)
    given = scores_of(session, assignment)
    missing = [i.id for i in standard.indicators() if given.get(i.id) is None or given[i.id].score is None]
    if missing:
        raise ReviewError(_l("%(n)d indicators have no score yet.", n=len(missing)), 422)
    actor = actor_on(assessor, application, assignment)
    application.state = take(
        application, Action.SUBMIT_SCORES, actor, facts_about(session, application)
    ).value
    assignment.scores_submitted_at = utcnow()
    session.flush()
    submitted = {i: {"score": row.score, "comment": row.comment} for i, row in given.items()}
    record(
        session,
        assessor,
        "review.scores_submitted",
        application,
        after={"state": application.state, "scores": submitted},
    )


def rubric_of(session, assignment: Assignment) -> dict[str, int]:
    return {k: row.score for k, row in scores_of(session, assignment).items() if row.score is not None}


def assessed_outcome(session, application: Application, rubric: Mapping[str, int]) -> Outcome:
    """The assessed result for a full set of rubric scores, through the one scoring function."""
    result = score(standard_of(application), typed_answers_of(session, application), rubric=rubric)
    return result.assessed


def comparison(
    session, application: Application
) -> tuple[list[Assignment], list[Comparison], Decimal | None]:
    """The submitted scores side by side, and the spread of the assessors' totals."""
    team = [a for a in active_assignments(session, application) if a.scores_submitted_at is not None]
    rubrics = {a.assessor_id: rubric_of(session, a) for a in team}
    rows = [
        Comparison(indicator.id, {assessor: rubric.get(indicator.id) for assessor, rubric in rubrics.items()})
        for indicator in standard_of(application).indicators()
    ]
    totals = [assessed_outcome(session, application, rubric).total for rubric in rubrics.values()]
    spread = max(totals) - min(totals) if len(totals) >= 2 else None
    return team, rows, spread


def record_consensus(
    session, application: Application, lead, scores: Mapping[str, tuple[int, str]]
) -> Outcome:
    """Store the lead's consensus scores, move the application to 'consensus', return the assessed result."""
    standard = standard_of(application)
    missing = [i.id for i in standard.indicators() if i.id not in scores]
    if missing or any(value not in range(5) for value, _ in scores.values()):
        raise ReviewError(_l("Every indicator needs a consensus score from 0 to 4."), 422)
    lead_assignment = next(
        (a for a in active_assignments(session, application) if a.assessor_id == lead.id), None
    )
    _, _, spread = comparison(session, application)
    facts = facts_about(session, application, totals_spread=spread)
    application.state = take(
        application, Action.RECORD_CONSENSUS, actor_on(lead, application, lead_assignment), facts
    ).value
    session.execute(sa.delete(ConsensusScore).where(ConsensusScore.application_id == application.id))
    session.add_all(
        ConsensusScore(
            application_id=application.id,
            indicator_id=i,
            score=v,
            justification=j.strip(),
            recorded_by_id=lead.id,
        )
        for i, (v, j) in scores.items()
    )
    session.flush()
    outcome = assessed_outcome(session, application, {i: v for i, (v, _) in scores.items()})
    record(
        session,
        lead,
        "review.consensus_recorded",
        application,
        before={"spread": spread},
        after={
            "scores": {i: {"score": v, "justification": j} for i, (v, j) in scores.items()},
            "total": outcome.total,
            "level": outcome.level.id if outcome.level else None,
        },
    )
    return outcome


def consensus_of(session, application: Application) -> dict[str, ConsensusScore]:
    rows = session.scalars(sa.select(ConsensusScore).where(ConsensusScore.application_id == application.id))
    return {row.indicator_id: row for row in rows}


def add_third_assessor(session, application: Application, coordinator) -> None:
    """Reopen the review for a third assessor when the assessors' totals are 30 or more points apart."""
    _, _, spread = comparison(session, application)
    facts = facts_about(session, application, totals_spread=spread)
    before = application.state
    application.state = take(
        application, Action.ADD_THIRD_ASSESSOR, actor_on(coordinator, application), facts
    ).value
    session.flush()
    record(
        session,
        coordinator,
        "review.third_assessor_requested",
        application,
        before={"state": before, "spread": spread},
        after={"state": application.state},
    )

"""The scores calibration is computed on, read with the blind rules (docs/security.md, finding 3).

Only what is settled counts: the scores an assessor of a review team has submitted, and the consensus
the lead has recorded. Drafts never count (their assessor may still change them), nor the appeal's
assessor, who re-assesses under appeal against no consensus of their own. Nothing of an application the
viewer still has to score counts either: a coordinator who was also given an assessor's role there stays
blind to the others' scores here, as on the audit trail (`blind.still_scoring`).
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from certify.insight.calibration import Scoring
from certify.questionnaire.models import Application
from certify.review.blind import still_scoring
from certify.review.models import ENDED, Assignment, ConsensusScore, RubricScore
from certify.standards.models import StandardVersion


def scored_versions(session) -> list[StandardVersion]:
    """The versions of the standard that have submitted scores, the newest first."""
    scored = (
        sa.select(Application.standard_version_id)
        .join(Assignment, Assignment.application_id == Application.id)
        .where(Assignment.scores_submitted_at.is_not(None))
    )
    return list(
        session.scalars(
            sa.select(StandardVersion)
            .where(StandardVersion.id.in_(scored))
            .order_by(StandardVersion.imported_at.desc(), StandardVersion.id.desc())
        )
    )


def _counted(session, version_id: int, viewer) -> sa.ColumnElement[bool]:
    """The version's applications, but those `viewer` still has to score."""
    return sa.and_(
        Application.standard_version_id == version_id,
        Application.id.not_in(sorted(still_scoring(session, viewer))),
    )


def submitted_scorings(session, version_id: int, viewer) -> list[Scoring]:
    """Each review assessor's submitted scores on the version's applications, but those `viewer` scores."""
    assignments = list(
        session.scalars(
            sa.select(Assignment)
            .join(Application, Application.id == Assignment.application_id)
            .where(
                _counted(session, version_id, viewer),
                Assignment.for_appeal.is_(False),
                Assignment.status.not_in(ENDED),
                Assignment.scores_submitted_at.is_not(None),
            )
            .order_by(Assignment.id)
        )
    )
    scores: dict[int, dict[str, int]] = defaultdict(dict)
    rows = session.execute(
        sa.select(RubricScore.assignment_id, RubricScore.indicator_id, RubricScore.score).where(
            RubricScore.assignment_id.in_([a.id for a in assignments]), RubricScore.score.is_not(None)
        )
    )
    for assignment_id, indicator_id, score in rows:
        scores[assignment_id][indicator_id] = score
    return [Scoring(a.assessor_id, a.application_id, scores[a.id]) for a in assignments]


def recorded_consensus(session, version_id: int, viewer) -> dict[int, dict[str, int]]:
    """Application id -> the consensus recorded on it, for the version's applications `viewer` may see."""
    rows = session.execute(
        sa.select(ConsensusScore.application_id, ConsensusScore.indicator_id, ConsensusScore.score)
        .join(Application, Application.id == ConsensusScore.application_id)
        .where(
            _counted(session, version_id, viewer),
            ConsensusScore.score.is_not(None),
        )
    )
    consensus: dict[int, dict[str, int]] = defaultdict(dict)
    for application_id, indicator_id, score in rows:
        consensus[application_id][indicator_id] = score
    return dict(consensus)

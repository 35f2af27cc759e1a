"""Blind scoring: which of the other assessors' scores an assessor may see, and when.

The rule (unchanged from when the scores page decided it itself):

- Until their own scores are submitted, an assessor sees nothing of the others: no score, no comment,
  no draft.
- Once submitted, they see the submitted scores (not the comments) of the other active members of the
  review team. A declined assessor's scores never appear, nor anyone's unsubmitted ones.
- The appeal's assessor is blind in the same way: during the appeal review (until they submit) they see
  nothing of the review under appeal; once they have submitted, they see the review team's scores. The
  review team never sees the appeal assessor's scores on their own pages.
- Side by side (consensus and decision) the scores are seen only once every assessor has submitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from certify.accounts.models import User
from certify.questionnaire.models import Application
from certify.review.comparison import scores_of
from certify.review.models import Assignment
from certify.transitions import active_assignments
from certify.workflow import states


@dataclass(frozen=True)
class PeerScore:
    """Another assessor's submitted score on one indicator (None: left without a score)."""

    assessor: User
    score: int | None


@dataclass(frozen=True)
class BlindView:
    """What the holder of an assignment sees of the other assessors' scores."""

    #: the holder's own scores are submitted, so the others' submitted scores are shown
    revealed: bool
    #: indicator id -> the others' submitted scores, in the team's order; empty until revealed
    others: Mapping[str, tuple[PeerScore, ...]] = field(default_factory=dict)


def scores_visible_to(session, assignment: Assignment) -> BlindView:
    """The other assessors' scores that the holder of `assignment` may see now."""
    if not assignment.active or assignment.scores_submitted_at is None:
        return BlindView(revealed=False)
    others: dict[str, list[PeerScore]] = {}
    for peer in active_assignments(session, assignment.application):
        if peer.id == assignment.id or peer.scores_submitted_at is None:
            continue
        for indicator_id, row in scores_of(session, peer).items():
            others.setdefault(indicator_id, []).append(PeerScore(peer.assessor, row.score))
    return BlindView(revealed=True, others={k: tuple(v) for k, v in others.items()})


def scores_compared(application: Application) -> bool:
    """Every assessor has submitted, so the scores may be seen side by side (with consensus and decision)."""
    return application.state in states.SCORES_COMPARED


def leads_comparison(assignment: Assignment) -> bool:
    """The holder leads the review team and every assessor has submitted: the consensus page is theirs."""
    return (
        assignment.active
        and assignment.is_lead
        and not assignment.for_appeal
        and scores_compared(assignment.application)
    )

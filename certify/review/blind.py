"""Blind scoring: which of the other assessors' scores an assessor may see, and when.

The rule (unchanged from when the scores page decided it itself):

- Until their own scores are submitted, an assessor sees nothing of the others: no score, no comment,
  no draft.
- Once submitted, they see the submitted scores and marks (not the comments) of the other active
  members of the review team: the marks (a file relevant or not, a "not applicable" confirmed or not,
  certify.review.findings) are blind exactly as the scores are. A declined assessor's scores never
  appear, nor anyone's unsubmitted ones.
- The appeal's assessor is blind in the same way: during the appeal review (until they submit) they see
  nothing of the review under appeal; once they have submitted, they see the review team's scores. The
  review team never sees the appeal assessor's scores on their own pages.
- Side by side (consensus and decision) the scores are seen only once every assessor has submitted.
- Everywhere else, too: whoever holds an assignment on an application and has not submitted their scores
  yet (a coordinator who was given the assessor's role as well, say) sees the application's audit entries
  (the team page's history, /admin/audit) with the scores and what is computed from them left out, and
  no consensus page (issue 12, finding 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from certify.accounts.models import User
from certify.audit.models import AuditEntry
from certify.questionnaire.models import Application
from certify.review.comparison import scores_of
from certify.review.findings import marks_of
from certify.review.models import Assignment, AssignmentStatus
from certify.transitions import active_assignments
from certify.workflow import states


@dataclass(frozen=True)
class PeerScore:
    """Another assessor's submitted score on one indicator (None: left without a score)."""

    assessor: User
    score: int | None


@dataclass(frozen=True)
class PeerMark:
    """Another assessor's submitted mark on one item (accepted: the file relevant, the N/A confirmed)."""

    assessor: User
    accepted: bool


@dataclass(frozen=True)
class BlindView:
    """What the holder of an assignment sees of the other assessors' scores."""

    #: the holder's own scores are submitted, so the others' submitted scores are shown
    revealed: bool
    #: indicator id -> the others' submitted scores, in the team's order; empty until revealed
    others: Mapping[str, tuple[PeerScore, ...]] = field(default_factory=dict)
    #: file id -> the others' marks on it; question id -> theirs on its "not applicable"; empty until revealed
    files: Mapping[str, tuple[PeerMark, ...]] = field(default_factory=dict)
    not_applicable: Mapping[str, tuple[PeerMark, ...]] = field(default_factory=dict)


def scores_visible_to(session, assignment: Assignment) -> BlindView:
    """The other assessors' scores and marks that the holder of `assignment` may see now."""
    if not assignment.active or assignment.scores_submitted_at is None:
        return BlindView(revealed=False)
    others: dict[str, list[PeerScore]] = {}
    files: dict[str, list[PeerMark]] = {}
    not_applicable: dict[str, list[PeerMark]] = {}
    for peer in active_assignments(session, assignment.application):
        if peer.id == assignment.id or peer.scores_submitted_at is None:
            continue
        for indicator_id, row in scores_of(session, peer).items():
            others.setdefault(indicator_id, []).append(PeerScore(peer.assessor, row.score))
        marks = marks_of(session, peer)
        for seen, given in ((files, marks.files), (not_applicable, marks.not_applicable)):
            for subject, accepted in given.items():
                seen.setdefault(subject, []).append(PeerMark(peer.assessor, accepted))
    return BlindView(
        revealed=True, others=_frozen(others), files=_frozen(files), not_applicable=_frozen(not_applicable)
    )


def _frozen(seen: Mapping[str, list]) -> dict[str, tuple]:
    return {key: tuple(values) for key, values in seen.items()}


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


# The audit trail, as someone still scoring may see it -----------------------------------------------------

#: audit actions whose values carry assessors' scores, or what is computed from them: the keys left out
SCORE_KEYS: Mapping[str, frozenset[str]] = {
    "review.scores_submitted": frozenset({"scores", "marks"}),
    "review.consensus_recorded": frozenset({"scores", "marks", "total", "level", "spread"}),
    "review.appeal_consensus_recorded": frozenset({"scores", "marks", "total", "level", "spread"}),
    "review.third_assessor_requested": frozenset({"spread"}),
    "review.decided": frozenset({"computed_level"}),
}


@dataclass(frozen=True)
class ShownEntry:
    """An audit entry as one user sees it: `hidden` when its scores are left out of `before`/`after`."""

    id: int
    occurred_at: datetime
    actor_label: str
    action: str
    subject_type: str
    subject_id: str
    application_id: int | None
    before: Any
    after: Any
    hidden: bool = False


def _still_scoring_conditions(user_id) -> tuple:
    """The assignments (not declined) of `user_id` (a value or a bound parameter) without their scores in."""
    return (
        Assignment.assessor_id == user_id,
        Assignment.status != AssignmentStatus.DECLINED.value,
        Assignment.scores_submitted_at.is_(None),
    )


def still_scoring(session, user) -> frozenset[int]:
    """The applications on which `user` holds an assignment (not declined) without their scores in."""
    return frozenset(
        session.scalars(sa.select(Assignment.application_id).where(*_still_scoring_conditions(user.id)))
    )


def kept_blind(session, user, application: Application) -> bool:
    """`user` still has to submit scores on `application`, so sees nobody else's there, whatever the roles."""
    return session.scalar(sa.select(kept_blind_on(user.id, application.id)))


def kept_blind_on(user_id, application_id) -> sa.Exists:
    """`kept_blind` as an SQL condition (on columns or bound parameters), for a query reading more at once."""
    return sa.exists().where(Assignment.application_id == application_id, *_still_scoring_conditions(user_id))


def entries_shown_to(session, user, entries: Iterable[AuditEntry]) -> list[ShownEntry]:
    """The entries with the scores left out of those of the applications `user` is still scoring."""
    blind_on = still_scoring(session, user)
    return [_shown(entry, entry.application_id in blind_on) for entry in entries]


def _shown(entry: AuditEntry, blind_here: bool) -> ShownEntry:
    hidden_keys = SCORE_KEYS.get(entry.action, frozenset()) if blind_here else frozenset()

    def without(values):
        if not hidden_keys or not isinstance(values, dict):
            return values
        return {key: value for key, value in values.items() if key not in hidden_keys}

    before, after = without(entry.before), without(entry.after)
    return ShownEntry(
        id=entry.id,
        occurred_at=entry.occurred_at,
        actor_label=entry.actor_label,
        action=entry.action,
        subject_type=entry.subject_type,
        subject_id=entry.subject_id,
        application_id=entry.application_id,
        before=before,
        after=after,
        hidden=(before, after) != (entry.before, entry.after),
    )

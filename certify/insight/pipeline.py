"""The organisations' applications awaiting the certification body: how long each has waited, and which
are past a deadline.

Every count on the dashboard is the length of a list built here, and the page that number links to shows
that same list, so a number and its list cannot disagree (tests/insight/test_dashboard.py checks it).
The lists are built in Python: the applications awaiting the body are the pipeline, not the archive, and
when each reached its state is read from the audit trail (certify.review.queue.entered_state_at).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from certify.accounts.models import User
from certify.audit.models import AuditEntry
from certify.insight.deadlines import Deadline
from certify.questionnaire.models import Application
from certify.review.models import Assignment, AssignmentStatus, ClarificationRequest
from certify.review.queue import AWAITING_THE_BODY, entered_state_at
from certify.timeutil import as_utc
from certify.workflow import State

#: where an assessor may still confirm independence (docs/workflow.md), so a pending assignment waits
CONFIRMING = frozenset({State.SUBMITTED, State.IN_REVIEW, State.APPEALED})
#: the audit entry of the review's start (certify.review.staffing.start_review): the scoring clock starts
REVIEW_STARTED = "review.started"


@dataclass(frozen=True)
class Waiting:
    """An application awaiting the body, and when it reached its current state."""

    application: Application
    since: datetime


@dataclass(frozen=True)
class Overdue:
    """An application past one deadline: when its clock started (the earliest, where several run) and
    the assessors it waits for (none where it waits for a coordinator or the manager)."""

    application: Application
    deadline: Deadline
    since: datetime
    due: datetime
    assessors: tuple[User, ...] = field(default=())


@dataclass(frozen=True)
class _Clock:
    application: Application
    deadline: Deadline
    started: datetime
    assessor: User | None = None


def awaiting(session) -> list[Waiting]:
    """Every organisation's application awaiting the body, the one longest in its state first.

    A candidate's application is not an organisation's: the dashboard counts it by the attestation's own
    stages and deadlines (certify.insight.candidates), never in these figures.
    """
    applications = list(
        session.scalars(
            sa.select(Application).where(
                Application.state.in_(sorted(AWAITING_THE_BODY)), Application.candidate_id.is_(None)
            )
        )
    )
    entered = entered_state_at(session, applications)
    waiting = [Waiting(a, entered[a.id]) for a in applications]
    return sorted(waiting, key=lambda w: (w.since, w.application.id))


def in_state(waiting: Iterable[Waiting], state: State | None) -> list[Waiting]:
    """Those in `state` (None: all of them), in the same order."""
    return [w for w in waiting if state is None or w.application.state == state]


def overdue(
    session, waiting: Sequence[Waiting], allowed: Mapping[Deadline, int], now: datetime
) -> list[Overdue]:
    """One row per application and deadline passed (`allowed`: days per deadline), longest overdue first."""
    late: dict[tuple[int, Deadline], list[_Clock]] = {}
    for clock in _clocks(session, waiting):
        if clock.started + timedelta(days=allowed[clock.deadline]) < now:
            late.setdefault((clock.application.id, clock.deadline), []).append(clock)
    rows = []
    for (_, deadline), clocks in late.items():
        since = min(c.started for c in clocks)
        people = tuple(dict.fromkeys(c.assessor for c in clocks if c.assessor is not None))
        rows.append(
            Overdue(clocks[0].application, deadline, since, since + timedelta(days=allowed[deadline]), people)
        )
    return sorted(rows, key=lambda row: (row.due, row.application.id, list(Deadline).index(row.deadline)))


def past(rows: Iterable[Overdue], deadline: Deadline | None) -> list[Overdue]:
    """Those past `deadline` (None: past any), in the same order."""
    return [row for row in rows if deadline is None or row.deadline == deadline]


def _clocks(session, waiting: Sequence[Waiting]) -> list[_Clock]:
    """Every clock running on the applications: one per waiting assessor, or one for the application."""
    by_id = {w.application.id: w for w in waiting}
    started = _review_starts(session, by_id)
    clocks = []
    for assignment in _assignments(session, by_id):
        application = by_id[assignment.application_id].application
        clocks.extend(_assessor_clock(assignment, application, started.get(application.id)))
    for request in _open_questions(session, by_id):
        application = by_id[request.application_id].application
        clocks.append(_Clock(application, Deadline.CLARIFICATION, as_utc(request.asked_at)))
    clocks.extend(
        _Clock(w.application, Deadline.DECISION, w.since)
        for w in waiting
        if w.application.state == State.CONSENSUS
    )
    return clocks


def _assessor_clock(assignment: Assignment, application: Application, review_started: datetime | None):
    """The assessor's clock: from the assignment to an answer, from the review's start to the scores.

    An assessor who joined a review under way (a third one, a replacement) is timed from their own
    confirmation. While the manager is asked to clarify, the application counts under that deadline only.
    """
    if assignment.status == AssignmentStatus.PENDING.value and application.state in CONFIRMING:
        yield _Clock(application, Deadline.INDEPENDENCE, as_utc(assignment.assigned_at), assignment.assessor)
    elif (
        assignment.status == AssignmentStatus.CONFIRMED.value
        and not assignment.for_appeal
        and assignment.scores_submitted_at is None
        and application.state == State.IN_REVIEW
        and review_started is not None
    ):
        confirmed = as_utc(assignment.answered_at) if assignment.answered_at else review_started
        yield _Clock(application, Deadline.SCORING, max(review_started, confirmed), assignment.assessor)


def _assignments(session, by_id: Mapping[int, Waiting]) -> list[Assignment]:
    return list(
        session.scalars(
            sa.select(Assignment).where(Assignment.application_id.in_(list(by_id))).order_by(Assignment.id)
        )
    )


def _open_questions(session, by_id: Mapping[int, Waiting]) -> list[ClarificationRequest]:
    asking = [i for i, w in by_id.items() if w.application.state == State.CLARIFICATION_REQUESTED]
    return list(
        session.scalars(
            sa.select(ClarificationRequest).where(
                ClarificationRequest.application_id.in_(asking), ClarificationRequest.answered_at.is_(None)
            )
        )
    )


def _review_starts(session, by_id: Mapping[int, Waiting]) -> dict[int, datetime]:
    rows = session.execute(
        sa.select(AuditEntry.application_id, sa.func.min(AuditEntry.occurred_at))
        .where(AuditEntry.application_id.in_(list(by_id)), AuditEntry.action == REVIEW_STARTED)
        .group_by(AuditEntry.application_id)
    )
    return {application_id: as_utc(moment) for application_id, moment in rows}

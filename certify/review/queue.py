"""The coordinator's queue: every application past its draft, by state, with how long it has waited there
and its next step (issue 13, item 8).

The next step comes from the workflow: the action the coordinator may take now (`transitions.allowed`),
linked to the page that takes it; otherwise whom the application waits for. By default the queue shows
the applications that still need the certification body (`AWAITING_THE_BODY`): a decided or withdrawn
application leaves it, and comes back when appealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_date, format_timedelta
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from certify import transitions
from certify.attestation.admission import admission_due
from certify.audit.models import AuditEntry
from certify.keyset import Keyset
from certify.questionnaire.models import Application
from certify.questionnaire.services import practical_open
from certify.textmarks import N_
from certify.timeutil import as_utc, utcnow
from certify.workflow import ACTION_LABELS, Action, State, TransitionRefused
from certify.workflow import guards as g
from certify.workflow.machine import find_transition

#: every state an application reaches once submitted: the choice of the queue's filter
QUEUE_STATES = tuple(state for state in State if state != State.DRAFT)
#: the queue's default: states in which the body (its coordinators or assessors) still has work to do
AWAITING_THE_BODY = frozenset(
    {
        State.SUBMITTED,
        State.PRACTICAL_SUBMITTED,
        State.IN_REVIEW,
        State.CLARIFICATION_REQUESTED,
        State.SCORED,
        State.CONSENSUS,
        State.APPEALED,
    }
)
#: the filter's value for every state
EVERY_STATE = "all"
#: rows on a page of the queue, as on the certificates' list
PAGE_SIZE = 20
#: the queue's order, the longest submitted first, paged along the index on (submitted_at, id)
QUEUE_ORDER = Keyset((Application.submitted_at, Application.id), newest_first=False)

#: the coordinator's steps that move an application on, most urgent first, with the page taking each
STEPS = (
    (Action.DECIDE_APPEAL, "review.team"),
    (Action.DECIDE, "review.consensus"),
    (Action.ADD_THIRD_ASSESSOR, "review.team"),
    (Action.START_REVIEW, "review.team"),
    (Action.ASSIGN_APPEAL_ASSESSOR, "review.team"),
)
#: a person's application: the coordinator checks the prerequisites on its admission page
ADMISSION_STEP = (Action.ADMIT, "attestation.admission")
#: a person's steps before the review's own: admit, close a failed theory; then, once the theory is
#: passed and no review step is due, assign the examiners
PERSON_STEPS = (ADMISSION_STEP, (Action.CLOSE_THEORY_FAILED, "attestation.admission"))
EXAMINERS_STEP = (Action.ASSIGN_ASSESSORS, "review.team")
#: the refusals of `start_review` that the coordinator puts right by changing the team
TEAM_TO_CHANGE = frozenset({g.TEAM_SIZE.refusal, g.LEAD_NAMED.refusal})
#: whom an application waits for when the coordinator has no step to take on it
WAITING_FOR = {
    State.SUBMITTED: N_("Waiting for the assessors to confirm their independence"),
    State.IN_REVIEW: N_("Waiting for the assessors' scores"),
    State.CLARIFICATION_REQUESTED: N_("Waiting for the manager's answer to the assessors' questions"),
    State.SCORED: N_("Waiting for the lead assessor's consensus"),
    State.CONSENSUS: N_("Waiting for the decision of a coordinator who took no part in the review"),
    State.APPEALED: N_("Waiting for the appeal assessor's review"),
    State.CERTIFIED: N_("Decided"),
    State.NOT_CERTIFIED: N_("Decided"),
    State.WITHDRAWN: N_("Withdrawn by the applicant"),
    State.ADMITTED: N_("Waiting for the candidate's theory exam"),
    State.PRACTICAL_SUBMITTED: N_("Waiting for the examiners to confirm their independence"),
}
#: an admitted candidate who passed the theory: the practical part is theirs to submit
WAITING_FOR_PRACTICAL = N_("Waiting for the candidate's practical part")
#: whom a person's application waits for, where it differs from an organisation's
WAITING_FOR_PERSON = {
    State.SUBMITTED: N_("Waiting for a coordinator to check the prerequisites"),
    State.IN_REVIEW: N_("Waiting for the examiners' scores"),
    State.SCORED: N_("Waiting for the lead examiner's consensus"),
    State.CONSENSUS: N_(
        "Waiting for the decision of a commission member who neither examined nor trained the candidate"
    ),
    State.APPEALED: N_("Waiting for the appeal panel's review and consensus"),
}
ADMISSION_DUE = N_("Due by %(date)s")
ADMISSION_OVERDUE = N_("Overdue: due by %(date)s")
#: actions whose audit entries carry no state but move the application into one
STATE_OF_ACTION = {"review.consensus_recorded": State.CONSENSUS}


@dataclass(frozen=True)
class QueueFilter:
    """The queue's choice: one state, every state, or (None, not everything) those awaiting the body."""

    state: State | None = None
    everything: bool = False

    @classmethod
    def from_args(cls, args) -> QueueFilter:
        """From the query string; anything unknown means the default."""
        value = args.get("state", "")
        if value == EVERY_STATE:
            return cls(everything=True)
        if value in {state.value for state in QUEUE_STATES}:
            return cls(state=State(value))
        return cls()

    @property
    def value(self) -> str:
        """What the filter's select posts for this choice."""
        return EVERY_STATE if self.everything else (self.state.value if self.state else "")

    def states(self) -> frozenset[State]:
        if self.everything:
            return frozenset(QUEUE_STATES)
        return frozenset({self.state}) if self.state else AWAITING_THE_BODY


@dataclass(frozen=True)
class NextStep:
    """A row's next step, in the reader's language: a link to the page that takes it, or a note."""

    label: str
    url: str | None = None
    note: str | None = None


def matching(queue_filter: QueueFilter) -> sa.Select:
    """The applications the filter chooses, the longest submitted first, with what each row shows of them.

    Every state past the draft is reached by submitting, so `submitted_at` is always there; said in the
    query too, because a row without it would be on no page found by key (`certify.keyset`).
    """
    return (
        sa.select(Application)
        .where(Application.state.in_(sorted(queue_filter.states())), Application.submitted_at.is_not(None))
        .order_by(*QUEUE_ORDER.ordering(newest_first=False))
        .options(
            selectinload(Application.organisation),
            selectinload(Application.candidate),
            selectinload(Application.standard_version),
        )
    )


def entered_state_at(session, applications) -> dict[int, datetime]:
    """When each application reached its current state, read from its audit trail.

    The entries of a step that changes the state record the state it led to (`after.state`); the time
    of the last change to the current one is kept. An application without such entries counts from its
    submission.
    """
    ids = [a.id for a in applications]
    rows = session.execute(
        sa.select(AuditEntry.application_id, AuditEntry.occurred_at, AuditEntry.action, AuditEntry.after)
        .where(AuditEntry.application_id.in_(ids))
        .order_by(AuditEntry.id)
    )
    tracked: dict[int, tuple[str, datetime]] = {}
    for application_id, occurred_at, action, after in rows:
        state = after.get("state") if isinstance(after, dict) else None
        state = state or STATE_OF_ACTION.get(action)
        if state and tracked.get(application_id, ("", None))[0] != state:
            tracked[application_id] = (state, occurred_at)
    entered = {}
    for application in applications:
        state, since = tracked.get(application.id, ("", None))
        if state != application.state or since is None:
            since = application.submitted_at or application.created_at
        entered[application.id] = as_utc(since)
    return entered


def waited(since: datetime, now: datetime | None = None) -> str:
    """How long since `since`, as the reader says it ("3 days")."""
    return format_timedelta((now or utcnow()) - since, threshold=1.5)


def next_step(session, user, application: Application, loaded: transitions.Loaded | None = None) -> NextStep:
    """The coordinator's next step on `application`, from what the workflow allows them now; `loaded`:
    the workflow's rows, read for the whole page (`transitions.load_for`)."""
    loaded = loaded or transitions.load_for(session, [application])[application.id]
    allowed = transitions.allowed(session, user, application, loaded=loaded)
    if application.is_person:
        return _person_step(session, application, allowed)
    for action, endpoint in STEPS:
        if action in allowed:
            return NextStep(_(ACTION_LABELS[action]), url_for(endpoint, application_id=application.id))
    state = State(application.state)
    if Action.ASSIGN_ASSESSORS in allowed and state == State.SUBMITTED:
        refused = _refusal(session, user, application, Action.START_REVIEW, loaded)
        if refused is not None and refused.message in TEAM_TO_CHANGE:
            team = url_for("review.team", application_id=application.id)
            return NextStep(_(ACTION_LABELS[Action.ASSIGN_ASSESSORS]), team, refused.text(_))
    return NextStep(_(WAITING_FOR[state]))


def _person_step(session, application: Application, allowed) -> NextStep:
    """A person's application: admit or return it by the scheme's deadline, the theory's outcome, the
    examiners, the commission's decision by its due date, or whom it waits for."""
    from certify.attestation.stages import appeal_decision_due, decision_due  # built on the review

    state = State(application.state)
    due = (
        admission_due(application)
        or decision_due(session, application)
        or appeal_decision_due(session, application)
    )
    note = None
    if due is not None:
        late = due < utcnow().date()
        note = _(ADMISSION_OVERDUE if late else ADMISSION_DUE) % {"date": format_date(due)}
    steps = (*PERSON_STEPS, *STEPS, *((EXAMINERS_STEP,) if state == State.PRACTICAL_SUBMITTED else ()))
    for action, endpoint in steps:
        if action in allowed:
            return NextStep(_(ACTION_LABELS[action]), url_for(endpoint, application_id=application.id), note)
    if state == State.ADMITTED and practical_open(session, application):
        return NextStep(_(WAITING_FOR_PRACTICAL), note=note)
    return NextStep(_(WAITING_FOR_PERSON.get(state, WAITING_FOR[state])), note=note)


def _refusal(
    session, user, application: Application, action: Action, loaded: transitions.Loaded
) -> TransitionRefused | None:
    """Why the workflow refuses `action` to `user` now (None: it would not)."""
    actor = transitions.actor_on(session, user, application, loaded=loaded)
    facts = transitions.facts_about(session, application, loaded=loaded)
    try:
        find_transition(State(application.state), action, actor, facts)
    except TransitionRefused as refused:
        return refused
    return None

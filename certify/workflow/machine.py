"""The review workflow as a table of transitions, and the two functions views and services call.

`apply(state, action, actor, facts)` returns the next state or raises `TransitionRefused`;
`allowed_actions(state, actor, facts)` lists the actions worth offering as buttons: those `apply` accepts once
the actor enters valid input (reasons, indicators …). A row says from which state an action leads where, who
may take it and what it requires; anything not in the table is refused. docs/workflow.md shows the same table,
and a test keeps the two equal.

A refusal is checked in a fixed order, so its message names the first thing wrong: the state, then the
actor's role on the application, then each requirement in the row's order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from certify.textmarks import N_
from certify.workflow import guards as g
from certify.workflow.context import ActorContext, Facts
from certify.workflow.states import ACTION_LABELS, ROLE_LABELS, STATE_LABELS, Action, Role, State

WRONG_STATE = N_("“%(action)s” is not possible while the application is “%(state)s”.")
WRONG_ROLE = N_("“%(action)s” on this application is reserved for: %(roles)s.")


class TransitionRefused(Exception):
    """An action the workflow does not allow; `text()` explains why.

    Params named `action` and `state` are `N_`-marked labels, and `roles` a tuple of them.
    """

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(self.text())

    def text(self, translate: Callable[[str], str] = str) -> str:
        """The refusal as a sentence, with `translate` applied to the message and to every label in it."""

        def shown(value: object) -> object:
            if isinstance(value, tuple):
                return ", ".join(translate(label) for label in value)
            return translate(value) if isinstance(value, str) else value

        return translate(self.message) % {key: shown(value) for key, value in self.params.items()}


@dataclass(frozen=True)
class Transition:
    """One row of the table: `action` taken in `source` by one of `roles` leads to `target`."""

    source: State
    action: Action
    target: State
    roles: frozenset[Role]
    requires: tuple[g.Guard, ...] = ()
    #: set when several rows share source and action; exactly one branch holds for any facts
    when: g.Branch | None = None


def _rows(sources, action, target, roles, requires=(), when=None) -> list[Transition]:
    """Rows for each source; `target=None` means the action keeps the application where it is."""
    return [
        Transition(source, action, target or source, frozenset(roles), tuple(requires), when)
        for source in sources
    ]


S, A, R = State, Action, Role
# Separation of duties: whoever was on the application's team (or its appeal) does not decide it.
# A level above the computed one, or resting on fewer assessors than it asks for, is refused before the
# justification is asked for: no justification makes either acceptable.
_DECISION = (
    g.DECIDER_TOOK_NO_PART,
    g.DECIDER_DID_NOT_TRAIN,
    g.REASONS_GIVEN,
    g.NOT_ABOVE_COMPUTED,
    g.ENOUGH_ASSESSORS,
    g.JUSTIFIED,
)
_SCORING = (g.CONFIRMED, g.NOT_YET_SUBMITTED)

_APPLICANTS = [R.MANAGER, R.CANDIDATE]
# An organisation's application goes from `submitted` to its assessors; a person's is first admitted.
_ORGANISATION = g.SUBJECT_IS_ORGANISATION

TRANSITIONS: tuple[Transition, ...] = tuple(
    _rows([S.DRAFT], A.SUBMIT, S.SUBMITTED, _APPLICANTS, [g.QUESTIONNAIRE_COMPLETE])
    # Withdrawing is possible until a coordinator starts the review, or a candidate's exam.
    + _rows([S.DRAFT, S.SUBMITTED], A.WITHDRAW, S.WITHDRAWN, _APPLICANTS, [g.NOT_A_YEARLY_REPORT])
    + _rows([S.ADMITTED, S.PRACTICAL_SUBMITTED], A.WITHDRAW, S.WITHDRAWN, [R.CANDIDATE])
    # A person's prerequisites are checked first (Decree 1204: within the scheme's admission deadline).
    # Returned, the application is a draft again, which the candidate completes and submits anew.
    + _rows([S.SUBMITTED], A.ADMIT, S.ADMITTED, [R.COORDINATOR], [g.SUBJECT_IS_PERSON])
    + _rows(
        [S.SUBMITTED],
        A.RETURN_FOR_COMPLETION,
        S.DRAFT,
        [R.COORDINATOR],
        [g.SUBJECT_IS_PERSON, g.REASON_PER_REQUIREMENT],
    )
    # A person's practical part opens once the theory is passed; the candidate submits it, and its review
    # starts from `practical_submitted` as an organisation's does from `submitted`. Failed with no retake:
    # not attested.
    + _rows([S.ADMITTED], A.CLOSE_THEORY_FAILED, S.NOT_CERTIFIED, [R.COORDINATOR], [g.THEORY_FAILED_FINALLY])
    + _rows(
        [S.ADMITTED],
        A.SUBMIT_PRACTICAL,
        S.PRACTICAL_SUBMITTED,
        [R.CANDIDATE],
        [g.THEORY_PASSED, g.PRACTICAL_COMPLETE],
    )
    + _rows([S.PRACTICAL_SUBMITTED], A.ASSIGN_ASSESSORS, None, [R.COORDINATOR], [g.TEAM_WITHIN_LIMIT])
    + _rows([S.PRACTICAL_SUBMITTED], A.REMOVE_ASSESSOR, None, [R.COORDINATOR], [g.REMOVED_NOT_SUBMITTED])
    + _rows(
        [S.PRACTICAL_SUBMITTED],
        A.START_REVIEW,
        S.IN_REVIEW,
        [R.COORDINATOR],
        [g.TEAM_SIZE, g.LEAD_NAMED, g.ALL_CONFIRMED],
    )
    # Assigning also replaces an assessor who declined, including a third one added during review.
    + _rows([S.SUBMITTED], A.ASSIGN_ASSESSORS, None, [R.COORDINATOR], [_ORGANISATION, g.TEAM_WITHIN_LIMIT])
    + _rows([S.IN_REVIEW], A.ASSIGN_ASSESSORS, None, [R.COORDINATOR], [g.TEAM_WITHIN_LIMIT])
    # Removing ends an assignment before its scores are in. Under review the team keeps the standard's
    # minimum, and removing the last one still scoring leaves every score in: the application is scored.
    + _rows([S.SUBMITTED], A.REMOVE_ASSESSOR, None, [R.COORDINATOR], [_ORGANISATION, g.REMOVED_NOT_SUBMITTED])
    + _rows(
        [S.IN_REVIEW],
        A.REMOVE_ASSESSOR,
        None,
        [R.COORDINATOR],
        [g.REMOVED_NOT_SUBMITTED, g.MINIMUM_KEPT],
        g.OTHERS_STILL_TO_SUBMIT,
    )
    + _rows(
        [S.IN_REVIEW],
        A.REMOVE_ASSESSOR,
        S.SCORED,
        [R.COORDINATOR],
        [g.REMOVED_NOT_SUBMITTED, g.MINIMUM_KEPT],
        g.OTHERS_ALL_SUBMITTED,
    )
    + _rows(
        [S.SUBMITTED, S.PRACTICAL_SUBMITTED, S.IN_REVIEW, S.APPEALED],
        A.CONFIRM_INDEPENDENCE,
        None,
        [R.ASSESSOR],
        [g.NOT_YET_CONFIRMED],
    )
    + _rows(
        [S.SUBMITTED, S.PRACTICAL_SUBMITTED, S.IN_REVIEW, S.APPEALED],
        A.DECLINE_ASSIGNMENT,
        None,
        [R.ASSESSOR],
        [g.NOT_YET_CONFIRMED, g.REASONS_GIVEN],
    )
    + _rows(
        [S.SUBMITTED],
        A.START_REVIEW,
        S.IN_REVIEW,
        [R.COORDINATOR],
        [_ORGANISATION, g.TEAM_SIZE, g.LEAD_NAMED, g.ALL_CONFIRMED],
    )
    # Several assessors may ask while one request is open; the manager answers them together.
    + _rows(
        [S.IN_REVIEW, S.CLARIFICATION_REQUESTED],
        A.REQUEST_CLARIFICATION,
        S.CLARIFICATION_REQUESTED,
        [R.ASSESSOR],
        [*_SCORING, g.INDICATORS_NAMED],
    )
    + _rows(
        [S.IN_REVIEW, S.CLARIFICATION_REQUESTED, S.APPEALED],
        A.SAVE_SCORES,
        None,
        [R.ASSESSOR],
        [*_SCORING, g.NOT_A_YEARLY_REPORT],
    )
    # A candidate answers the examiners' questions on the practical part as a manager answers assessors.
    + _rows([S.CLARIFICATION_REQUESTED], A.ANSWER_CLARIFICATION, S.IN_REVIEW, _APPLICANTS)
    + _rows(
        [S.IN_REVIEW],
        A.SUBMIT_SCORES,
        S.IN_REVIEW,
        [R.ASSESSOR],
        [*_SCORING, g.NOT_A_YEARLY_REPORT],
        g.OTHERS_STILL_SCORING,
    )
    + _rows(
        [S.IN_REVIEW],
        A.SUBMIT_SCORES,
        S.SCORED,
        [R.ASSESSOR],
        [*_SCORING, g.NOT_A_YEARLY_REPORT],
        g.LAST_TO_SCORE,
    )
    # A yearly report's one assessor accepts it, once any clarification asked is answered.
    + _rows([S.IN_REVIEW], A.ACCEPT_REPORT, S.ACCEPTED, [R.ASSESSOR], [g.SUBJECT_IS_REPORT, g.CONFIRMED])
    + _rows(
        [S.SCORED],
        A.ADD_THIRD_ASSESSOR,
        S.IN_REVIEW,
        [R.COORDINATOR],
        [g.SPREAD_CALLS_FOR_THIRD, g.ROOM_FOR_THIRD],
    )
    + _rows(
        [S.SCORED], A.RECORD_CONSENSUS, S.CONSENSUS, [R.LEAD_ASSESSOR], [g.SPREAD_SETTLED, g.STEPS_SETTLED]
    )
    + _rows([S.CONSENSUS], A.DECIDE, S.CERTIFIED, [R.COORDINATOR], _DECISION, g.LEVEL_CHOSEN)
    + _rows([S.CONSENSUS], A.DECIDE, S.NOT_CERTIFIED, [R.COORDINATOR], _DECISION, g.NO_LEVEL_CHOSEN)
    + _rows(
        [S.CERTIFIED, S.NOT_CERTIFIED],
        A.APPEAL,
        S.APPEALED,
        _APPLICANTS,
        [g.NOT_APPEALED_BEFORE, g.DECISION_DATED, g.WITHIN_APPEAL_PERIOD, g.REASONS_GIVEN],
    )
    + _rows(
        [S.APPEALED],
        A.ASSIGN_APPEAL_ASSESSOR,
        None,
        [R.COORDINATOR],
        [g.APPEAL_PANEL_OPEN, g.TOOK_NO_PART],
    )
    + _rows([S.APPEALED], A.SUBMIT_SCORES, None, [R.ASSESSOR], _SCORING)
    + _rows(
        [S.APPEALED],
        A.RECORD_CONSENSUS,
        None,
        [R.LEAD_ASSESSOR],
        [g.APPEAL_PANEL_OF_SEVERAL, g.APPEAL_REVIEW_IN, g.NO_APPEAL_CONSENSUS_YET],
    )
    + _rows(
        [S.APPEALED],
        A.DECIDE_APPEAL,
        S.CERTIFIED,
        [R.COORDINATOR],
        [g.APPEAL_REVIEW_IN, g.APPEAL_CONSENSUS_IN, *_DECISION],
        g.LEVEL_CHOSEN,
    )
    + _rows(
        [S.APPEALED],
        A.DECIDE_APPEAL,
        S.NOT_CERTIFIED,
        [R.COORDINATOR],
        [g.APPEAL_REVIEW_IN, g.APPEAL_CONSENSUS_IN, *_DECISION],
        g.NO_LEVEL_CHOSEN,
    )
)


def _wrong_role(transition: Transition) -> TransitionRefused:
    roles = tuple(ROLE_LABELS[role] for role in sorted(transition.roles))
    return TransitionRefused(WRONG_ROLE, action=ACTION_LABELS[transition.action], roles=roles)


def find_transition(
    state: State, action: Action, actor: ActorContext, facts: Facts, *, check_input: bool = True
) -> Transition:
    """The row that lets `actor` take `action` now, or `TransitionRefused` saying what stands in the way.

    With `check_input=False` the guards on what the actor enters are skipped (see `Guard.on_input`).
    """
    rows = [
        row
        for row in TRANSITIONS
        if row.source == state and row.action == action and (row.when is None or row.when.holds(actor, facts))
    ]
    if not rows:
        raise TransitionRefused(WRONG_STATE, action=ACTION_LABELS[action], state=STATE_LABELS[state])
    (row,) = rows
    if not row.roles & actor.workflow_roles():
        raise _wrong_role(row)
    for guard in row.requires:
        if (check_input or not guard.on_input) and not guard.holds(actor, facts):
            raise TransitionRefused(guard.refusal_for(actor, facts), **guard.params(actor, facts))
    return row


def apply(state: State, action: Action, actor: ActorContext, facts: Facts) -> State:
    """The state after `actor` takes `action` on an application in `state`; raises `TransitionRefused`."""
    return find_transition(State(state), Action(action), actor, facts).target


def allowed_actions(state: State, actor: ActorContext, facts: Facts) -> list[Action]:
    """The actions `actor` may take now, in the order of `Action`, leaving aside what they will enter."""
    allowed = []
    for action in Action:
        try:
            find_transition(State(state), action, actor, facts, check_input=False)
        except TransitionRefused:
            continue
        allowed.append(action)
    return allowed

"""Each transition with the right actor, with the wrong actors, and every action a state does not offer."""

from collections import Counter
from dataclasses import replace
from decimal import Decimal

import pytest

from certify.workflow import (
    ACTION_LABELS,
    STATE_LABELS,
    TRANSITIONS,
    Action,
    ActorContext,
    Facts,
    Role,
    State,
    allowed_actions,
    apply,
)
from certify.workflow import guards as g
from certify.workflow.machine import WRONG_ROLE, WRONG_STATE
from tests.workflow.situations import (
    ALL_ACTORS,
    APPEALABLE,
    ASSESSOR,
    COORDINATOR,
    DECIDED,
    LEAD,
    MANAGER,
    NOT_DECIDED,
    SCORING,
    SCORING_ASSESSOR,
    SPLIT,
    refusal,
)

S, A = State, Action

#: (state, action, actor, facts, next state): one case per row of the table
ALLOWED = [
    (S.DRAFT, A.SUBMIT, MANAGER, Facts(questionnaire_complete=True), S.SUBMITTED),
    (S.DRAFT, A.WITHDRAW, MANAGER, Facts(), S.WITHDRAWN),
    (S.SUBMITTED, A.WITHDRAW, MANAGER, Facts(), S.WITHDRAWN),
    (S.SUBMITTED, A.ASSIGN_ASSESSORS, COORDINATOR, Facts(), S.SUBMITTED),
    (S.IN_REVIEW, A.ASSIGN_ASSESSORS, COORDINATOR, SCORING, S.IN_REVIEW),
    (S.SUBMITTED, A.REMOVE_ASSESSOR, COORDINATOR, SCORING, S.SUBMITTED),
    (S.IN_REVIEW, A.REMOVE_ASSESSOR, COORDINATOR, replace(SCORING, assessors_assigned=3), S.IN_REVIEW),
    (
        S.IN_REVIEW,
        A.REMOVE_ASSESSOR,
        COORDINATOR,
        replace(SCORING, assessors_assigned=3, scores_submitted=2),
        S.SCORED,
    ),
    (S.SUBMITTED, A.CONFIRM_INDEPENDENCE, ASSESSOR, Facts(), S.SUBMITTED),
    (S.IN_REVIEW, A.CONFIRM_INDEPENDENCE, ASSESSOR, Facts(), S.IN_REVIEW),
    (S.APPEALED, A.CONFIRM_INDEPENDENCE, ASSESSOR, Facts(), S.APPEALED),
    (S.SUBMITTED, A.DECLINE_ASSIGNMENT, ASSESSOR, Facts(reasons="I advised them"), S.SUBMITTED),
    (S.IN_REVIEW, A.DECLINE_ASSIGNMENT, ASSESSOR, Facts(reasons="I advised them"), S.IN_REVIEW),
    (S.APPEALED, A.DECLINE_ASSIGNMENT, ASSESSOR, Facts(reasons="I advised them"), S.APPEALED),
    (S.SUBMITTED, A.START_REVIEW, COORDINATOR, SCORING, S.IN_REVIEW),
    (
        S.IN_REVIEW,
        A.REQUEST_CLARIFICATION,
        SCORING_ASSESSOR,
        Facts(clarification_indicators=("I2",)),
        S.CLARIFICATION_REQUESTED,
    ),
    (
        S.CLARIFICATION_REQUESTED,
        A.REQUEST_CLARIFICATION,
        SCORING_ASSESSOR,
        Facts(clarification_indicators=("I2", "I7")),
        S.CLARIFICATION_REQUESTED,
    ),
    (S.CLARIFICATION_REQUESTED, A.ANSWER_CLARIFICATION, MANAGER, Facts(), S.IN_REVIEW),
    (S.IN_REVIEW, A.SAVE_SCORES, SCORING_ASSESSOR, SCORING, S.IN_REVIEW),
    (S.CLARIFICATION_REQUESTED, A.SAVE_SCORES, SCORING_ASSESSOR, SCORING, S.CLARIFICATION_REQUESTED),
    (S.APPEALED, A.SAVE_SCORES, SCORING_ASSESSOR, Facts(), S.APPEALED),
    (S.IN_REVIEW, A.SUBMIT_SCORES, SCORING_ASSESSOR, SCORING, S.IN_REVIEW),
    (S.IN_REVIEW, A.SUBMIT_SCORES, SCORING_ASSESSOR, replace(SCORING, scores_submitted=1), S.SCORED),
    (S.SCORED, A.ADD_THIRD_ASSESSOR, COORDINATOR, SPLIT, S.IN_REVIEW),
    (S.SCORED, A.RECORD_CONSENSUS, LEAD, replace(SPLIT, totals_spread=Decimal("29.9")), S.CONSENSUS),
    (S.CONSENSUS, A.DECIDE, COORDINATOR, DECIDED, S.CERTIFIED),
    (S.CONSENSUS, A.DECIDE, COORDINATOR, NOT_DECIDED, S.NOT_CERTIFIED),
    (S.CERTIFIED, A.APPEAL, MANAGER, APPEALABLE, S.APPEALED),
    (S.NOT_CERTIFIED, A.APPEAL, MANAGER, APPEALABLE, S.APPEALED),
    (S.APPEALED, A.ASSIGN_APPEAL_ASSESSOR, COORDINATOR, Facts(), S.APPEALED),
    (S.APPEALED, A.SUBMIT_SCORES, SCORING_ASSESSOR, Facts(), S.APPEALED),
    (S.APPEALED, A.DECIDE_APPEAL, COORDINATOR, replace(DECIDED, appeal_review_submitted=True), S.CERTIFIED),
    (
        S.APPEALED,
        A.DECIDE_APPEAL,
        COORDINATOR,
        replace(NOT_DECIDED, appeal_review_submitted=True),
        S.NOT_CERTIFIED,
    ),
]


def case_id(case) -> str:
    state, action, _, _, target = case
    return f"{state}-{action}-{target}"


def test_the_cases_cover_every_row_of_the_table():
    covered = Counter((state, action, target) for state, action, _, _, target in ALLOWED)
    assert covered == Counter((row.source, row.action, row.target) for row in TRANSITIONS)


def test_rows_sharing_a_state_and_an_action_are_told_apart_by_a_condition():
    groups = Counter((row.source, row.action) for row in TRANSITIONS)
    shared = [row for row in TRANSITIONS if groups[row.source, row.action] > 1]
    assert shared and all(row.when is not None for row in shared)


@pytest.mark.parametrize("case", ALLOWED, ids=case_id)
def test_the_right_actor_takes_the_transition(case):
    state, action, actor, facts, target = case
    assert apply(state, action, actor, facts) == target
    assert action in allowed_actions(state, actor, facts)


@pytest.mark.parametrize("case", ALLOWED, ids=case_id)
def test_actors_without_the_role_are_refused_with_the_roles_that_may(case):
    state, action, _, facts, target = case
    (row,) = [r for r in TRANSITIONS if (r.source, r.action, r.target) == (state, action, target)]
    for name, actor in ALL_ACTORS.items():
        if actor.workflow_roles() & row.roles:
            continue
        refused = refusal(state, action, actor, facts)
        assert (refused.message, refused.params["action"]) == (WRONG_ROLE, ACTION_LABELS[action]), name


def test_a_wrong_role_refusal_names_who_may_act():
    refused = refusal(S.DRAFT, A.SUBMIT, COORDINATOR, Facts(questionnaire_complete=True))
    assert refused.params == {
        "action": "Submit the application",
        "roles": ("Manager of the applying organisation",),
    }
    assert str(refused) == (
        "“Submit the application” on this application is reserved for: Manager of the applying organisation."
    )


def test_only_the_lead_records_consensus():
    facts = replace(SPLIT, totals_spread=Decimal(5))
    assert refusal(S.SCORED, A.RECORD_CONSENSUS, SCORING_ASSESSOR, facts).message == WRONG_ROLE
    not_an_assessor_account = ActorContext(
        roles=frozenset({Role.COORDINATOR}), is_assigned_assessor=True, is_lead=True
    )
    assert refusal(S.SCORED, A.RECORD_CONSENSUS, not_an_assessor_account, facts).message == WRONG_ROLE


ABSENT = [
    (state, action)
    for state in State
    for action in Action
    if not any((row.source, row.action) == (state, action) for row in TRANSITIONS)
]
EVERYONE = ActorContext(
    roles=frozenset(Role), is_applicant=True, is_assigned_assessor=True, is_lead=True, has_confirmed=True
)


@pytest.mark.parametrize(("state", "action"), ABSENT)
def test_an_action_the_state_does_not_offer_is_refused_whoever_asks(state, action):
    refused = refusal(state, action, EVERYONE, replace(DECIDED, questionnaire_complete=True))
    assert refused.message == WRONG_STATE
    assert refused.params == {"action": ACTION_LABELS[action], "state": STATE_LABELS[state]}


def test_states_and_actions_given_as_stored_strings_are_accepted():
    assert apply("draft", "submit", MANAGER, Facts(questionnaire_complete=True)) == S.SUBMITTED


def test_a_manager_cannot_withdraw_once_the_review_has_started():
    assert refusal(S.IN_REVIEW, A.WITHDRAW, MANAGER, Facts()).message == WRONG_STATE


def test_a_manager_is_offered_submit_before_the_draft_is_complete_but_submitting_it_is_refused():
    assert allowed_actions(S.DRAFT, MANAGER, Facts()) == [A.SUBMIT, A.WITHDRAW]
    assert refusal(S.DRAFT, A.SUBMIT, MANAGER, Facts()).message == g.QUESTIONNAIRE_COMPLETE.refusal

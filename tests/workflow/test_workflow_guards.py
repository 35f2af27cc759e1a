"""Each requirement of a transition, unmet, is refused with its own message and params."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from certify.workflow import Action, Facts, State, allowed_actions, apply
from certify.workflow import guards as g
from certify.workflow.machine import WRONG_STATE
from tests.workflow.situations import (
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
    TODAY,
    refusal,
)

S, A = State, Action

#: (state, action, actor, facts, the guard that refuses, its params)
UNMET = [
    (S.DRAFT, A.SUBMIT, MANAGER, Facts(), g.QUESTIONNAIRE_COMPLETE, {}),
    (
        S.SUBMITTED,
        A.ASSIGN_ASSESSORS,
        COORDINATOR,
        Facts(proposed_team_size=4),
        g.TEAM_WITHIN_LIMIT,
        {"most": 3},
    ),
    (
        S.SUBMITTED,
        A.START_REVIEW,
        COORDINATOR,
        replace(SCORING, assessors_assigned=0),
        g.TEAM_SIZE,
        {"least": 1, "most": 3, "count": 0},
    ),
    (
        S.SUBMITTED,
        A.START_REVIEW,
        COORDINATOR,
        replace(SCORING, assessors_assigned=4),
        g.TEAM_SIZE,
        {"least": 1, "most": 3, "count": 4},
    ),
    (
        S.SUBMITTED,
        A.START_REVIEW,
        COORDINATOR,
        replace(SCORING, assessors_assigned=1, assessors_confirmed=1, team_minimum=2),
        g.TEAM_SIZE,
        {"least": 2, "most": 3, "count": 1},
    ),
    (
        S.SUBMITTED,
        A.REMOVE_ASSESSOR,
        COORDINATOR,
        replace(SCORING, removed_has_submitted=True),
        g.REMOVED_NOT_SUBMITTED,
        {},
    ),
    (
        S.IN_REVIEW,
        A.REMOVE_ASSESSOR,
        COORDINATOR,
        replace(SCORING, team_minimum=2),
        g.MINIMUM_KEPT,
        {"left": 1, "least": 2},
    ),
    (S.SUBMITTED, A.START_REVIEW, COORDINATOR, replace(SCORING, lead_assigned=False), g.LEAD_NAMED, {}),
    (
        S.SUBMITTED,
        A.START_REVIEW,
        COORDINATOR,
        replace(SCORING, assessors_confirmed=1),
        g.ALL_CONFIRMED,
        {"waiting": 1, "count": 2},
    ),
    (S.SUBMITTED, A.CONFIRM_INDEPENDENCE, SCORING_ASSESSOR, Facts(), g.NOT_YET_CONFIRMED, {}),
    (S.SUBMITTED, A.DECLINE_ASSIGNMENT, ASSESSOR, Facts(reasons="  "), g.REASONS_GIVEN, {}),
    (
        S.IN_REVIEW,
        A.DECLINE_ASSIGNMENT,
        SCORING_ASSESSOR,
        Facts(reasons="late conflict"),
        g.NOT_YET_CONFIRMED,
        {},
    ),
    (S.IN_REVIEW, A.REQUEST_CLARIFICATION, SCORING_ASSESSOR, Facts(), g.INDICATORS_NAMED, {}),
    (
        S.IN_REVIEW,
        A.REQUEST_CLARIFICATION,
        ASSESSOR,
        Facts(clarification_indicators=("I2",)),
        g.CONFIRMED,
        {},
    ),
    (S.IN_REVIEW, A.SUBMIT_SCORES, ASSESSOR, SCORING, g.CONFIRMED, {}),
    (
        S.IN_REVIEW,
        A.SUBMIT_SCORES,
        replace(SCORING_ASSESSOR, has_submitted=True),
        SCORING,
        g.NOT_YET_SUBMITTED,
        {},
    ),
    (
        S.SCORED,
        A.ADD_THIRD_ASSESSOR,
        COORDINATOR,
        replace(SPLIT, totals_spread=Decimal("29.99")),
        g.SPREAD_CALLS_FOR_THIRD,
        {"limit": 30},
    ),
    (
        S.SCORED,
        A.ADD_THIRD_ASSESSOR,
        COORDINATOR,
        replace(SPLIT, totals_spread=None),
        g.SPREAD_CALLS_FOR_THIRD,
        {"limit": 30},
    ),
    (
        S.SCORED,
        A.ADD_THIRD_ASSESSOR,
        COORDINATOR,
        replace(SPLIT, assessors_assigned=3),
        g.ROOM_FOR_THIRD,
        {"most": 3},
    ),
    (S.SCORED, A.RECORD_CONSENSUS, LEAD, SPLIT, g.SPREAD_SETTLED, {"spread": 30, "limit": 30}),
    # issue 12, finding 3: a coordinator who was on the team (given the role later) does not decide
    (S.CONSENSUS, A.DECIDE, replace(COORDINATOR, took_part=True), DECIDED, g.DECIDER_TOOK_NO_PART, {}),
    (
        S.APPEALED,
        A.DECIDE_APPEAL,
        replace(COORDINATOR, took_part=True),
        replace(DECIDED, appeal_scores_submitted=1),
        g.DECIDER_TOOK_NO_PART,
        {},
    ),
    (S.CONSENSUS, A.DECIDE, COORDINATOR, replace(DECIDED, reasons=""), g.REASONS_GIVEN, {}),
    (
        S.CONSENSUS,
        A.DECIDE,
        COORDINATOR,
        replace(DECIDED, chosen_level="silver"),
        g.JUSTIFIED,
        {"computed": "gold"},
    ),
    (
        S.CONSENSUS,
        A.DECIDE,
        COORDINATOR,
        replace(DECIDED, chosen_level=None),
        g.JUSTIFIED,
        {"computed": "gold"},
    ),
    # issue 14: with no level computed, any level chosen is above it (before a justification is asked for)
    (
        S.CONSENSUS,
        A.DECIDE,
        COORDINATOR,
        replace(NOT_DECIDED, chosen_level="bronze"),
        g.NOT_ABOVE_COMPUTED,
        {"chosen": "bronze", "computed": g.NO_LEVEL},
    ),
    (
        S.CERTIFIED,
        A.APPEAL,
        MANAGER,
        replace(APPEALABLE, decided_on=TODAY - timedelta(days=31)),
        g.WITHIN_APPEAL_PERIOD,
        {"deadline": TODAY - timedelta(days=1), "days": 30},
    ),
    (S.NOT_CERTIFIED, A.APPEAL, MANAGER, replace(APPEALABLE, appeal_used=True), g.NOT_APPEALED_BEFORE, {}),
    (S.CERTIFIED, A.APPEAL, MANAGER, replace(APPEALABLE, decided_on=None), g.DECISION_DATED, {}),
    (S.CERTIFIED, A.APPEAL, MANAGER, replace(APPEALABLE, reasons=""), g.REASONS_GIVEN, {}),
    (
        S.APPEALED,
        A.ASSIGN_APPEAL_ASSESSOR,
        COORDINATOR,
        Facts(appeal_assessor_took_part=True),
        g.TOOK_NO_PART,
        {},
    ),
    (
        S.APPEALED,
        A.ASSIGN_APPEAL_ASSESSOR,
        COORDINATOR,
        Facts(appeal_assessors_assigned=1),
        g.APPEAL_PANEL_OPEN,
        {"panel": 1},
    ),
    (S.APPEALED, A.DECIDE_APPEAL, COORDINATOR, DECIDED, g.APPEAL_REVIEW_IN, {"missing": 1, "panel": 1}),
    (
        S.APPEALED,
        A.DECIDE_APPEAL,
        COORDINATOR,
        replace(DECIDED, appeal_panel=2, appeal_scores_submitted=2),
        g.APPEAL_CONSENSUS_IN,
        {},
    ),
    (S.APPEALED, A.RECORD_CONSENSUS, LEAD, Facts(appeal_scores_submitted=1), g.APPEAL_PANEL_OF_SEVERAL, {}),
    (
        S.APPEALED,
        A.RECORD_CONSENSUS,
        LEAD,
        Facts(appeal_panel=2, appeal_scores_submitted=2, appeal_consensus_recorded=True),
        g.NO_APPEAL_CONSENSUS_YET,
        {},
    ),
    (
        S.APPEALED,
        A.DECIDE_APPEAL,
        COORDINATOR,
        replace(DECIDED, appeal_scores_submitted=1, chosen_level="silver"),
        g.JUSTIFIED,
        {"computed": "gold"},
    ),
]


@pytest.mark.parametrize(("state", "action", "actor", "facts", "guard", "params"), UNMET)
def test_an_unmet_requirement_is_refused_with_its_own_message(state, action, actor, facts, guard, params):
    refused = refusal(state, action, actor, facts)
    assert (refused.message, refused.params) == (guard.refusal, params)
    # A check of what the actor enters does not hide the button: the form is filled in after it.
    assert (action in allowed_actions(state, actor, facts)) == guard.on_input
    assert str(refused) == guard.refusal % params


def test_a_decision_that_departs_from_the_computed_level_stands_with_a_justification():
    facts = replace(DECIDED, chosen_level="silver", justification="I4 evidence is a draft")
    assert apply(S.CONSENSUS, A.DECIDE, COORDINATOR, facts) == S.CERTIFIED


def test_a_panel_hears_an_appeal_in_full_and_settles_it_in_its_own_consensus():
    panel = Facts(appeal_panel=2)
    full = replace(panel, appeal_assessors_assigned=2)
    assert apply(
        S.APPEALED, A.ASSIGN_APPEAL_ASSESSOR, COORDINATOR, replace(panel, appeal_assessors_assigned=1)
    )
    assert str(refusal(S.APPEALED, A.ASSIGN_APPEAL_ASSESSOR, COORDINATOR, full)) == (
        "The appeal panel already has its 2 members."
    )
    half_scored = replace(DECIDED, appeal_panel=2, appeal_assessors_assigned=2, appeal_scores_submitted=1)
    assert str(refusal(S.APPEALED, A.DECIDE_APPEAL, COORDINATOR, half_scored)) == (
        "1 of the appeal panel's 2 members have not submitted their scores yet."
    )
    assert refusal(
        S.APPEALED, A.RECORD_CONSENSUS, LEAD, half_scored
    ).message == g.APPEAL_REVIEW_IN.refusal_for(LEAD, half_scored)
    scored = replace(half_scored, appeal_scores_submitted=2)
    assert apply(S.APPEALED, A.RECORD_CONSENSUS, LEAD, scored) == S.APPEALED
    settled = replace(scored, appeal_consensus_recorded=True)
    assert apply(S.APPEALED, A.DECIDE_APPEAL, COORDINATOR, settled) == S.CERTIFIED


def test_three_assessors_settle_a_wide_spread():
    facts = replace(SPLIT, assessors_assigned=3, scores_submitted=3, totals_spread=Decimal(45))
    assert apply(S.SCORED, A.RECORD_CONSENSUS, LEAD, facts) == S.CONSENSUS


def test_review_waits_for_every_score():
    facts = replace(SCORING, assessors_assigned=3, scores_submitted=1)
    assert apply(S.IN_REVIEW, A.SUBMIT_SCORES, SCORING_ASSESSOR, facts) == S.IN_REVIEW
    assert refusal(S.IN_REVIEW, A.RECORD_CONSENSUS, LEAD, facts).message == WRONG_STATE


def test_buttons_show_before_their_form_is_filled_in():
    undecided = Facts(today=TODAY, computed_level="gold")
    assert allowed_actions(S.CONSENSUS, COORDINATOR, undecided) == [A.DECIDE]
    assert allowed_actions(S.CERTIFIED, MANAGER, Facts(today=TODAY, decided_on=TODAY)) == [A.APPEAL]
    assert A.REQUEST_CLARIFICATION in allowed_actions(S.IN_REVIEW, SCORING_ASSESSOR, SCORING)

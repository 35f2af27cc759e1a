"""Random actors, facts and action sequences: the machine stays consistent and cannot be cut short."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certify.workflow import (
    TRANSITIONS,
    Action,
    ActorContext,
    Facts,
    Role,
    State,
    TransitionRefused,
    allowed_actions,
    apply,
)
from tests.workflow.situations import LEVELS as LEVEL_RULES
from tests.workflow.situations import TODAY

LEVELS = st.sampled_from([None, "bronze", "silver", "gold"])
TEXTS = st.sampled_from(["", "  ", "documented reasons"])

actors = st.builds(
    ActorContext,
    roles=st.frozensets(st.sampled_from(Role)),
    is_applicant=st.booleans(),
    is_candidate=st.booleans(),
    is_assigned_assessor=st.booleans(),
    is_lead=st.booleans(),
    has_confirmed=st.booleans(),
    has_submitted=st.booleans(),
    took_part=st.booleans(),
)
facts = st.builds(
    Facts,
    today=st.just(TODAY),
    subject_is_person=st.booleans(),
    questionnaire_complete=st.booleans(),
    returned_requirements=st.sampled_from([(), ("elig_training",)]),
    assessors_assigned=st.integers(0, 4),
    proposed_team_size=st.integers(0, 4),
    team_minimum=st.integers(1, 3),
    removed_has_submitted=st.booleans(),
    lead_assigned=st.booleans(),
    assessors_confirmed=st.integers(0, 4),
    scores_submitted=st.integers(0, 4),
    clarification_indicators=st.sampled_from([(), ("I1",), ("I1", "I5")]),
    totals_spread=st.none() | st.decimals(0, 100, places=1),
    spread_limit=st.sampled_from([Decimal(30), Decimal(20)]),
    largest_step_gap=st.none() | st.integers(0, 4),
    step_limit=st.none() | st.integers(1, 4),
    levels=st.just(LEVEL_RULES),
    decision_assessors=st.integers(0, 3),
    computed_level=LEVELS,
    chosen_level=LEVELS,
    reasons=TEXTS,
    justification=TEXTS,
    decided_on=st.none() | st.integers(0, 45).map(lambda days: TODAY - timedelta(days=days)),
    appeal_used=st.booleans(),
    appeal_panel=st.integers(1, 3),
    appeal_assessors_assigned=st.integers(0, 3),
    appeal_scores_submitted=st.integers(0, 3),
    appeal_consensus_recorded=st.booleans(),
    appeal_assessor_took_part=st.booleans(),
)
INPUT_REFUSALS = {guard.refusal for row in TRANSITIONS for guard in row.requires if guard.on_input}
#: what a careful actor enters: a complete questionnaire, a team within the limit, reasons, a justification,
#: named indicators, an independent appeal assessor, an assessor removed before submitting, and a decision
#: that certifies nothing (a level is valid only at or below the computed one, on enough assessors)
VALID_INPUT = {
    "chosen_level": None,
    "questionnaire_complete": True,
    "proposed_team_size": 2,
    "removed_has_submitted": False,
    "reasons": "documented reasons",
    "justification": "documented reasons",
    "clarification_indicators": ("I1",),
    "appeal_assessor_took_part": False,
    "returned_requirements": ("elig_training",),
}
OFFERED = {state: {row.action for row in TRANSITIONS if row.source == state} for state in State}


def accepts(state: State, action: Action, actor: ActorContext, situation: Facts) -> bool:
    try:
        apply(state, action, actor, situation)
    except TransitionRefused:
        return False
    return True


def refused_for_input(state: State, action: Action, actor: ActorContext, situation: Facts) -> bool:
    """Whether `apply` refuses only because of what the actor entered with the action."""
    try:
        apply(state, action, actor, situation)
    except TransitionRefused as refused:
        return refused.message in INPUT_REFUSALS
    return False


@given(st.sampled_from(State), actors, facts)
def test_allowed_actions_are_those_apply_accepts_given_valid_input(state, actor, situation):
    allowed = allowed_actions(state, actor, situation)
    accepted = [action for action in Action if accepts(state, action, actor, situation)]
    assert set(accepted) <= set(allowed) <= OFFERED[state]
    for action in set(allowed) - set(accepted):
        assert refused_for_input(state, action, actor, situation)
    valid = replace(situation, **VALID_INPUT)
    assert allowed_actions(state, actor, valid) == [
        action for action in Action if accepts(state, action, actor, valid)
    ]


@given(st.sampled_from(State), actors, facts)
def test_every_refusal_formats_with_its_own_params(state, actor, situation):
    for action in set(Action) - set(allowed_actions(state, actor, situation)):
        try:
            apply(state, action, actor, situation)
        except TransitionRefused as refused:
            assert str(refused) == refused.text()


@given(st.sampled_from(State), actors, facts)
def test_whoever_took_part_never_decides(state, actor, situation):
    """Issue 12, finding 3: a member of the team (or the appeal) with a coordinator's role decides nothing."""
    part_taker = replace(actor, took_part=True)
    valid = replace(situation, **VALID_INPUT)
    for action in (Action.DECIDE, Action.DECIDE_APPEAL):
        assert action not in allowed_actions(state, part_taker, valid)
        assert not accepts(state, action, part_taker, valid)


@given(st.sampled_from([State.CERTIFIED, State.NOT_CERTIFIED, State.WITHDRAWN]), actors, facts)
def test_final_states_offer_at_most_the_documented_appeal(state, actor, situation):
    allowed = allowed_actions(state, actor, situation)
    assert allowed in ([], [Action.APPEAL])
    assert not (state == State.WITHDRAWN and allowed)


# A walk is up to 80 steps, and its draws alternate with walking the machine: on a busy machine both
# generation and a whole example take long without anything being wrong.
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_sequence_certifies_without_submission_consensus_and_decision(data):
    state, taken = State.DRAFT, []
    for _ in range(data.draw(st.integers(1, 80), label="steps")):
        actor, situation = data.draw(actors), data.draw(facts)
        # Withdrawing ends every walk early and cannot lead to a certificate, so the walk never takes it.
        allowed = [
            action
            for action in allowed_actions(state, actor, situation)
            if action != Action.WITHDRAW and accepts(state, action, actor, situation)
        ]
        if not allowed:
            continue
        action = data.draw(st.sampled_from(allowed))
        state = apply(state, action, actor, situation)
        taken.append(action)
        if state == State.CERTIFIED:
            assert {Action.SUBMIT, Action.START_REVIEW, Action.RECORD_CONSENSUS, Action.DECIDE} <= set(taken)
            assert (
                taken.index(Action.SUBMIT) < taken.index(Action.RECORD_CONSENSUS) < taken.index(Action.DECIDE)
            )

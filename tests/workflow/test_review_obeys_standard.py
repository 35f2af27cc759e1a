"""Issue 14, item 3: a decision never goes above the computed level nor rests on fewer assessors than the
level asks for; a third assessor is called for by the standard's spread and, where set, its step gap."""

from dataclasses import replace
from decimal import Decimal

import pytest

from certify.workflow import Action, LevelRule, State, allowed_actions, apply
from certify.workflow import guards as g
from tests.workflow.situations import COORDINATOR, DECIDED, LEAD, LEVELS, SPLIT, refusal

S, A = State, Action
#: both scores in, totals close; the standard calls for a third assessor at 2 steps on one indicator
CLOSE = replace(SPLIT, totals_spread=Decimal(5), step_limit=2, largest_step_gap=1)
DECISIONS = [
    (S.CONSENSUS, A.DECIDE, DECIDED),
    (S.APPEALED, A.DECIDE_APPEAL, replace(DECIDED, appeal_scores_submitted=1)),
]


@pytest.mark.parametrize(("state", "action", "facts"), DECISIONS)
def test_a_level_above_the_computed_one_is_refused_whatever_the_justification(state, action, facts):
    above = replace(facts, computed_level="silver", chosen_level="gold", justification="site visit")
    refused = refusal(state, action, COORDINATOR, above)
    assert refused.message == g.NOT_ABOVE_COMPUTED.refusal
    assert refused.params == {"chosen": "gold", "computed": "silver"}
    assert action in allowed_actions(state, COORDINATOR, above)  # the button opens the form


@pytest.mark.parametrize(("state", "action", "facts"), DECISIONS)
def test_a_lower_level_stands_with_a_justification_and_only_with_one(state, action, facts):
    lower = replace(facts, chosen_level="silver")
    assert refusal(state, action, COORDINATOR, lower).message == g.JUSTIFIED.refusal
    assert apply(state, action, COORDINATOR, replace(lower, justification="I4 is a draft")) == S.CERTIFIED


def test_no_level_computed_allows_no_level_granted():
    none = replace(DECIDED, computed_level=None, chosen_level="bronze", justification="close to the line")
    refused = refusal(S.CONSENSUS, A.DECIDE, COORDINATOR, none)
    assert refused.params == {"chosen": "bronze", "computed": g.NO_LEVEL}


def test_a_level_the_standard_does_not_have_is_never_granted():
    unknown = replace(DECIDED, computed_level="gold", chosen_level="platinum", justification="x")
    assert refusal(S.CONSENSUS, A.DECIDE, COORDINATOR, unknown).message == g.NOT_ABOVE_COMPUTED.refusal


@pytest.mark.parametrize(("state", "action", "facts"), DECISIONS)
def test_a_level_asking_for_two_assessors_is_not_granted_on_one(state, action, facts):
    one = replace(facts, decision_assessors=1)
    refused = refusal(state, action, COORDINATOR, one)
    assert refused.message == g.ENOUGH_ASSESSORS.refusal
    assert refused.params == {"level": "gold", "least": 2, "count": 1}
    # a lower level asking for one assessor may be chosen, justified; or no level at all
    bronze = replace(one, chosen_level="bronze", justification="one assessor's scores only")
    assert apply(state, action, COORDINATOR, bronze) == S.CERTIFIED
    assert apply(state, action, COORDINATOR, replace(bronze, chosen_level=None)) == S.NOT_CERTIFIED


def test_refusals_name_the_level_in_the_users_language():
    named = {key: replace(rule, name=f"«{key}»") for key, rule in LEVELS.items()}
    facts = replace(DECIDED, levels=named, decision_assessors=1)
    assert "«gold»" in str(refusal(S.CONSENSUS, A.DECIDE, COORDINATOR, facts))
    above = replace(facts, computed_level="bronze", chosen_level="silver", decision_assessors=2)
    assert str(refusal(S.CONSENSUS, A.DECIDE, COORDINATOR, above)).startswith("“«silver»” is above")


def test_the_step_gap_calls_for_a_third_assessor_where_the_standard_sets_it():
    apart = replace(CLOSE, largest_step_gap=2)
    refused = refusal(S.SCORED, A.RECORD_CONSENSUS, LEAD, apart)
    assert (refused.message, refused.params) == (g.STEPS_SETTLED.refusal, {"gap": 2, "steps": 2})
    assert apply(S.SCORED, A.ADD_THIRD_ASSESSOR, COORDINATOR, apart) == S.IN_REVIEW
    # a third assessor settles it, as it settles a wide spread
    three = replace(apart, assessors_assigned=3, scores_submitted=3)
    assert apply(S.SCORED, A.RECORD_CONSENSUS, LEAD, three) == S.CONSENSUS


def test_without_the_setting_a_step_gap_calls_for_no_third_assessor():
    """cmq 1.0: a gap of two steps is flagged at consensus only, as before."""
    apart = replace(CLOSE, largest_step_gap=4, step_limit=None)
    assert apply(S.SCORED, A.RECORD_CONSENSUS, LEAD, apart) == S.CONSENSUS
    refused = refusal(S.SCORED, A.ADD_THIRD_ASSESSOR, COORDINATOR, apart)
    assert (refused.message, refused.params) == (g.SPREAD_CALLS_FOR_THIRD.refusal, {"limit": 30})


def test_the_refusal_of_a_third_assessor_names_both_rules_where_both_apply():
    refused = refusal(S.SCORED, A.ADD_THIRD_ASSESSOR, COORDINATOR, CLOSE)
    assert refused.message == g.SPREAD_CALLS_FOR_THIRD.reworded[1]
    assert str(refused).endswith(
        "differ by 30 points or more, or their scores on one indicator by 2 steps or more."
    )


def test_the_standards_own_spread_replaces_the_default():
    facts = replace(SPLIT, totals_spread=Decimal(25), spread_limit=Decimal(20))
    assert apply(S.SCORED, A.ADD_THIRD_ASSESSOR, COORDINATOR, facts) == S.IN_REVIEW
    refused = refusal(S.SCORED, A.RECORD_CONSENSUS, LEAD, facts)
    assert refused.params == {"spread": 25, "limit": 20}
    wider = replace(facts, spread_limit=Decimal(40), totals_spread=Decimal(35))
    assert apply(S.SCORED, A.RECORD_CONSENSUS, LEAD, wider) == S.CONSENSUS


def test_level_rules_default_to_one_assessor():
    assert LevelRule(rank=1).assessors == 1

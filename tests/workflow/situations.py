"""Actors, situations and a helper shared by the workflow tests."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from certify.workflow import ActorContext, Facts, LevelRule, Role, TransitionRefused, apply

TODAY = date(2025, 3, 14)

MANAGER = ActorContext(roles=frozenset({Role.MANAGER}), is_applicant=True)
OTHER_MANAGER = ActorContext(roles=frozenset({Role.MANAGER}))
UNASSIGNED_ASSESSOR = ActorContext(roles=frozenset({Role.ASSESSOR}))
ASSESSOR = ActorContext(roles=frozenset({Role.ASSESSOR}), is_assigned_assessor=True)
SCORING_ASSESSOR = replace(ASSESSOR, has_confirmed=True)
LEAD = replace(SCORING_ASSESSOR, is_lead=True)
COORDINATOR = ActorContext(roles=frozenset({Role.COORDINATOR}))
ADMIN = ActorContext(roles=frozenset({Role.ADMIN}))
#: the person a person application is for; the account may be a candidate's or a manager's
CANDIDATE = ActorContext(roles=frozenset({Role.CANDIDATE}), is_applicant=True, is_candidate=True)
MANAGER_AS_CANDIDATE = ActorContext(roles=frozenset({Role.MANAGER}), is_applicant=True, is_candidate=True)
OTHER_CANDIDATE = ActorContext(roles=frozenset({Role.CANDIDATE}))
#: a person's application, submitted
PERSON = Facts(today=TODAY, subject_is_person=True)
#: a candidate's practical part submitted, examiners assigned, each independent, a lead named
EXAMINERS_READY = replace(PERSON, assessors_assigned=2, assessors_confirmed=2, lead_assigned=True)

ALL_ACTORS = {
    "manager": MANAGER,
    "other manager": OTHER_MANAGER,
    "unassigned assessor": UNASSIGNED_ASSESSOR,
    "assessor": ASSESSOR,
    "scoring assessor": SCORING_ASSESSOR,
    "lead": LEAD,
    "coordinator": COORDINATOR,
    "admin": ADMIN,
    "candidate": CANDIDATE,
    "other candidate": OTHER_CANDIDATE,
}

#: the standard's levels: bronze on one assessor's scores, silver and gold on two (names left to the ids)
LEVELS = {
    "bronze": LevelRule(rank=1, assessors=1),
    "silver": LevelRule(rank=2, assessors=2),
    "gold": LevelRule(rank=3, assessors=2),
}
DECIDED = Facts(
    today=TODAY,
    computed_level="gold",
    chosen_level="gold",
    reasons="meets every criterion",
    levels=LEVELS,
    decision_assessors=2,
)
NOT_DECIDED = replace(DECIDED, computed_level=None, chosen_level=None)
#: decided 30 days ago: the last day an appeal may be lodged
APPEALABLE = Facts(today=TODAY, decided_on=TODAY - timedelta(days=30), reasons="the score misreads I4")
SCORING = Facts(today=TODAY, assessors_assigned=2, assessors_confirmed=2, lead_assigned=True)
#: both scores in, totals exactly 30 points apart
SPLIT = replace(SCORING, scores_submitted=2, totals_spread=Decimal(30))


def refusal(state, action, actor, facts) -> TransitionRefused:
    """The refusal `apply` raises; fails the test if it accepts."""
    with pytest.raises(TransitionRefused) as raised:
        apply(state, action, actor, facts)
    return raised.value

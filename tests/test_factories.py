"""The factories take applications to each state through the real services, as people would."""

from __future__ import annotations

import pytest

from certify.accounts.models import Role
from certify.audit.services import history, verify_chain
from certify.questionnaire.models import Application
from certify.questionnaire.services import load_answers
from tests import factories
from tests.factories import make_application, make_user

#: (state builder, the state it ends in, the audited step that took it there)
STATES = [
    (factories.submitted, "submitted", "application.submitted"),
    (factories.in_review, "in_review", "review.started"),
    (factories.scored, "scored", "review.scores_submitted"),
    (factories.agreed, "consensus", "review.consensus_recorded"),
    (factories.decided, "not_certified", "review.decided"),
    (factories.certified, "certified", "review.decided"),
    (factories.appealed, "appealed", "review.appealed"),
]


@pytest.mark.parametrize(("build", "state", "step"), STATES, ids=[state for _, state, _ in STATES])
def test_each_state_is_reached_through_the_services_and_audited(db, build, state, step):
    case = build(db)
    db.commit()
    db.expire_all()
    assert db.get(Application, case.application.id).state == state
    assert step in [entry.action for entry in history(db, case.application.id)]
    assert verify_chain(db).ok


def test_a_case_carries_what_its_state_has(db):
    certified = factories.certified(db)
    assert certified.lead.is_lead and not certified.second.is_lead
    assert certified.certificate.decision_id == certified.decision.id
    assert certified.decision.computed_level is not None  # 4 everywhere earns a level: no departure
    assert certified.decision.chosen_level == certified.decision.computed_level
    decided = factories.decided(db)
    assert decided.decision.chosen_level is None and decided.certificate is None
    assert factories.appealed(db).appeal.grounds


def test_what_a_test_names_is_used_and_the_rest_filled_in(db):
    manager, assessor = make_user(db, Role.MANAGER), make_user(db, Role.ASSESSOR)
    draft = make_application(db, manager, answers={"str_members_total": "40"})
    second = make_user(db, Role.ASSESSOR)
    case = factories.in_review(db, application=draft, assessors=[assessor, second])
    assert case.application is draft and case.manager is manager
    assert [a.assessor for a in case.team] == [assessor, second] and case.lead.assessor is assessor
    answers = load_answers(db, draft)
    assert answers["str_members_total"] == "40" and len(answers) > 1

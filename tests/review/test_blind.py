"""Blind scoring: nobody sees another assessor's work before submitting their own."""

from __future__ import annotations

import pytest

from certify.accounts.models import Role
from certify.questionnaire.services import standard_of
from certify.review import appeals, blind, rubric_scores, staffing
from certify.review.models import Assignment, AssignmentStatus, RubricScore
from certify.timeutil import utcnow
from tests import factories
from tests.factories import make_user


@pytest.fixture
def team(db):
    """An application in review with two confirmed assessors; their assignments."""
    case = factories.in_review(db)
    return case.application, case.coordinator, case.lead, case.second


def score(db, assignment: Assignment, value: int, comment: str = "", *, submit: bool = True) -> None:
    standard = standard_of(assignment.application)
    rubric_scores.save_scores(
        db,
        assignment,
        scores={i.id: (value, comment) for i in standard.indicators()},
        feedback={a.id: (comment, comment) for a in standard.areas},
        marks=factories.every_item_accepted(db, assignment.application),
    )
    if submit:
        rubric_scores.submit_scores(db, assignment, assignment.assessor)


def seen(view: blind.BlindView) -> set[tuple[int, int | None]]:
    return {(peer.assessor.id, peer.score) for peers in view.others.values() for peer in peers}


def test_before_submitting_an_assessor_sees_nobody_elses_scores(db, team):
    application, _, first, second = team
    score(db, first, 4, "Реестр участников убедителен")
    score(db, second, 2, submit=False)
    view = blind.scores_visible_to(db, second)
    assert not view.revealed and view.others == {}
    # the first has submitted, but the second's draft is not shown to the first either
    assert seen(blind.scores_visible_to(db, first)) == set()


def test_after_submitting_an_assessor_sees_the_others_submitted_scores_without_comments(db, team):
    application, _, first, second = team
    score(db, first, 4, "Реестр участников убедителен")
    score(db, second, 2)
    view = blind.scores_visible_to(db, second)
    assert view.revealed
    assert seen(view) == {(first.assessor_id, 4)}
    assert set(view.others) == {i.id for i in standard_of(application).indicators()}
    assert all(not hasattr(peer, "comment") for peers in view.others.values() for peer in peers)
    assert seen(blind.scores_visible_to(db, first)) == {(second.assessor_id, 2)}


def test_a_declined_assessors_scores_never_appear(db, team):
    application, coordinator, first, second = team
    third_user = make_user(db, Role.ASSESSOR)
    declined = Assignment(
        application_id=application.id,
        assessor_id=third_user.id,
        status=AssignmentStatus.DECLINED.value,
        decline_reason="Связан с кластером",
        scores_submitted_at=utcnow(),
    )
    db.add(declined)
    db.flush()
    db.add(RubricScore(assignment_id=declined.id, indicator_id="str_members", score=0, comment=""))
    score(db, first, 4)
    score(db, second, 3)
    for assignment in (first, second):
        assert third_user.id not in {who for who, _ in seen(blind.scores_visible_to(db, assignment))}
    assert blind.scores_visible_to(db, declined) == blind.BlindView(revealed=False)


def test_the_appeal_assessor_is_blind_until_submitting_then_sees_the_review_team(db, team):
    application, coordinator, first, second = team
    score(db, first, 3)
    score(db, second, 3)
    factories.agree(db, application)
    factories.decide(db, application, coordinator, certify=False)
    factories.appeal(db, application)
    fresh = make_user(db, Role.ASSESSOR)
    appeal = appeals.assign_appeal_assessor(db, application, coordinator, fresh)
    staffing.confirm_independence(db, appeal, fresh)
    score(db, appeal, 4, submit=False)

    during = blind.scores_visible_to(db, appeal)
    assert not during.revealed and during.others == {}

    rubric_scores.submit_scores(db, appeal, fresh)
    after = blind.scores_visible_to(db, appeal)
    assert seen(after) == {(first.assessor_id, 3), (second.assessor_id, 3)}
    # the review team never sees the appeal assessor's scores
    assert fresh.id not in {who for who, _ in seen(blind.scores_visible_to(db, first))}


def test_scores_are_compared_side_by_side_only_once_all_are_in(db, team):
    application, _, first, second = team
    score(db, first, 3)
    assert not blind.scores_compared(application)
    score(db, second, 3)
    assert application.state == "scored" and blind.scores_compared(application)

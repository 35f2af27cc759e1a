"""Assigning assessors: conflicts refused, independence confirmed or declined, the review started."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.review import staffing
from certify.review.models import Assignment
from certify.transitions import TransitionError, active_assignments
from tests.factories import make_application, make_user


@pytest.fixture
def people(db):
    coordinator = make_user(db, Role.COORDINATOR)
    first, second = make_user(db, Role.ASSESSOR), make_user(db, Role.ASSESSOR)
    db.commit()
    return coordinator, first, second


def test_assign_confirm_and_start_the_review(db, submitted, people):
    coordinator, first, second = people
    staffing.assign_assessors(db, submitted, [first, second], first, coordinator)
    team = active_assignments(db, submitted)
    assert [(a.assessor_id, a.is_lead, a.status) for a in team] == [
        (first.id, True, "pending"),
        (second.id, False, "pending"),
    ]
    with pytest.raises(TransitionError):
        staffing.start_review(db, submitted, coordinator)  # nobody has confirmed yet
    for assignment in team:
        staffing.confirm_independence(db, assignment, assignment.assessor)
    staffing.start_review(db, submitted, coordinator)
    assert submitted.state == "in_review"
    assert staffing.workloads(db) == {first.id: 1, second.id: 1}


def test_an_assessor_tied_to_the_applicant_is_refused(db, submitted, people):
    coordinator, first, second = people
    staffing.declare_conflict(
        db, second, organisation_id=submitted.organisation_id, region="", note="консультант"
    )
    with pytest.raises(staffing.ReviewError) as error:
        staffing.assign_assessors(db, submitted, [first, second], first, coordinator)
    assert error.value.status == 422 and second.email in str(error.value)
    assert db.scalar(sa.select(sa.func.count(Assignment.id))) == 0


def test_an_assessor_of_the_same_region_by_declaration_is_refused(db, submitted, people):
    coordinator, first, _ = people
    staffing.declare_conflict(db, first, organisation_id=None, region=submitted.organisation.region, note="")
    with pytest.raises(staffing.ReviewError):
        staffing.assign_assessors(db, submitted, [first], first, coordinator)


def test_a_manager_cannot_be_assigned(db, submitted, people):
    coordinator, first, _ = people
    manager = make_user(db, Role.MANAGER)
    with pytest.raises(staffing.ReviewError) as error:
        staffing.assign_assessors(db, submitted, [manager], None, coordinator)
    assert error.value.status == 422


def test_declining_needs_a_reason_and_frees_the_place(db, submitted, people):
    coordinator, first, second = people
    (assignment,) = staffing.assign_assessors(db, submitted, [first], first, coordinator)
    with pytest.raises(TransitionError):
        staffing.decline_assignment(db, assignment, first, "  ")
    staffing.decline_assignment(db, assignment, first, "Я консультировал этот кластер в прошлом году")
    assert active_assignments(db, submitted) == []
    staffing.assign_assessors(db, submitted, [second], second, coordinator)
    assert [a.assessor_id for a in active_assignments(db, submitted)] == [second.id]


def test_at_most_three_assessors(db, submitted, people):
    coordinator, first, second = people
    others = [make_user(db, Role.ASSESSOR) for _ in range(2)]
    with pytest.raises(TransitionError):
        staffing.assign_assessors(db, submitted, [first, second, *others], first, coordinator)


def test_a_draft_cannot_get_assessors(db, people):
    coordinator, first, _ = people
    draft = make_application(db, make_user(db, Role.MANAGER))
    with pytest.raises(TransitionError):
        staffing.assign_assessors(db, draft, [first], first, coordinator)

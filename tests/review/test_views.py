"""The review pages: who may open them, and the assessor's confirm and decline."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.review import staffing
from certify.review.models import Assignment
from tests.factories import make_application, make_user


@pytest.fixture
def submitted(db):
    application = make_application(db, make_user(db, Role.MANAGER))
    application.state, application.submitted_at = "submitted", application.created_at
    db.commit()
    return application


def test_only_staff_see_the_queue(login, submitted):
    for role, status in (
        (Role.MANAGER, 403),
        (Role.ASSESSOR, 403),
        (Role.COORDINATOR, 200),
        (Role.ADMIN, 200),
    ):
        client, _ = login(role)
        assert client.get("/review/").status_code == status
    coordinator, _ = login(Role.COORDINATOR)
    assert f"/review/applications/{submitted.id}/team" in coordinator.get("/review/").get_data(as_text=True)


def test_coordinator_assigns_and_sees_conflicts_marked(db, login, submitted):
    coordinator, _ = login(Role.COORDINATOR)
    assessor_client, assessor = login(Role.ASSESSOR)
    tied_client, tied = login(Role.ASSESSOR)
    tied_client.post(
        "/review/conflicts",
        data={"organisation_id": str(submitted.organisation_id), "region": "", "note": ""},
    )
    page = coordinator.get(f"/review/applications/{submitted.id}/team").get_data(as_text=True)
    assert "Не независим" in page
    refused = coordinator.post(
        f"/review/applications/{submitted.id}/team", data={"assessors": [str(tied.id)], "lead": str(tied.id)}
    )
    assert refused.status_code == 422
    accepted = coordinator.post(
        f"/review/applications/{submitted.id}/team",
        data={"assessors": [str(assessor.id)], "lead": str(assessor.id)},
    )
    assert accepted.status_code == 302
    assignment = db.scalar(sa.select(Assignment))
    assert assignment.assessor_id == assessor.id and assignment.is_lead


def test_assessor_confirms_only_their_own_assignment(db, login, submitted):
    coordinator = make_user(db, Role.COORDINATOR)
    mine_client, me = login(Role.ASSESSOR)
    other_client, _ = login(Role.ASSESSOR)
    (assignment,) = staffing.assign_assessors(db, submitted, [me], me, coordinator)
    db.commit()
    assert other_client.post(f"/review/assignments/{assignment.id}/confirm").status_code == 404
    assert mine_client.post(f"/review/assignments/{assignment.id}/confirm").status_code == 302
    db.expire_all()
    assert db.get(Assignment, assignment.id).status == "confirmed"
    again = mine_client.post(f"/review/assignments/{assignment.id}/confirm")
    assert again.status_code == 409


def test_assessor_declines_with_a_reason(db, login, submitted):
    coordinator = make_user(db, Role.COORDINATOR)
    client, me = login(Role.ASSESSOR)
    (assignment,) = staffing.assign_assessors(db, submitted, [me], me, coordinator)
    db.commit()
    assert client.post(f"/review/assignments/{assignment.id}/decline", data={"reason": ""}).status_code == 422
    response = client.post(
        f"/review/assignments/{assignment.id}/decline", data={"reason": "Работал в этом кластере"}
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Assignment, assignment.id).status == "declined"

"""`read:own`: a manager reads their organisation's applications and certificates and nobody else's; a
candidate reads their own person applications, which their organisation's managers do not."""

from __future__ import annotations

import pytest

from certify.accounts.models import Role
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.attestation import steps
from tests.factories import make_application, make_user


@pytest.fixture
def two_organisations(db):
    """A certified organisation (its manager, a draft of its renewal) and another with a draft."""
    case = factories.certified(db)
    holder = case.application.submitted_by
    stranger = make_user(db, Role.MANAGER)
    theirs = make_application(db, stranger)
    db.commit()
    return case, holder, stranger, theirs


def test_a_manager_reads_only_their_organisations_applications(db, client, two_organisations):
    case, holder, stranger, theirs = two_organisations
    secrets = {user: make_token(db, user, "read:own") for user in (holder, stranger)}
    db.commit()
    mine = client.get("/api/v1/me/applications", headers=bearer(secrets[holder]))
    (application,) = mine.get_json()["items"]
    assert application["id"] == case.application.id
    assert (application["kind"], application["state"], application["level"]) == (
        "organisation",
        "certified",
        case.certificate.level_id,
    )
    assert application["standard"] == {"code": "cmq", "version": "1.0"}
    assert application["submitted_at"] and application["decided_at"]
    assert "score" not in str(application) and "assessor" not in str(application)
    other = client.get("/api/v1/me/applications", headers=bearer(secrets[stranger]))
    assert [a["id"] for a in other.get_json()["items"]] == [theirs.id]
    assert (other.get_json()["items"][0]["submitted_at"], other.get_json()["items"][0]["level"]) == (
        None,
        None,
    )


def test_a_manager_reads_their_organisations_certificates(db, client, two_organisations):
    case, holder, stranger, _ = two_organisations
    secrets = {user: make_token(db, user, "read:own") for user in (holder, stranger)}
    db.commit()
    (certificate,) = client.get("/api/v1/me/certificates", headers=bearer(secrets[holder])).get_json()[
        "items"
    ]
    assert certificate["number"] == case.certificate.number
    assert certificate["application_id"] == case.application.id
    nothing = client.get("/api/v1/me/certificates", headers=bearer(secrets[stranger]))
    assert nothing.get_json()["items"] == []


def test_a_candidate_reads_their_own_application_and_their_managers_do_not(db, client):
    steps.install_scheme(db)
    manager = make_user(db, Role.MANAGER)
    colleague = make_user(db, Role.CANDIDATE, organisation=manager.organisation)
    application = steps.applied(db, colleague)
    secrets = {user: make_token(db, user, "read:own") for user in (manager, colleague)}
    db.commit()
    (own,) = client.get("/api/v1/me/applications", headers=bearer(secrets[colleague])).get_json()["items"]
    assert (own["id"], own["kind"], own["standard"]["code"]) == (application.id, "person", "cma")
    managers = client.get("/api/v1/me/applications", headers=bearer(secrets[manager])).get_json()
    assert managers["items"] == []


def test_walking_my_applications_sees_each_once(db, client):
    manager = make_user(db, Role.MANAGER)
    first = make_application(db, manager)
    first.state = "withdrawn"  # one draft at a time: the earlier ones are closed
    db.flush()
    second = make_application(db, manager)
    second.state = "withdrawn"
    db.flush()
    third = make_application(db, manager)
    secret = make_token(db, manager, "read:own")
    db.commit()
    page = client.get("/api/v1/me/applications?limit=2", headers=bearer(secret)).get_json()
    rest = client.get(page["next"].removeprefix("http://localhost"), headers=bearer(secret)).get_json()
    assert [a["id"] for a in page["items"] + rest["items"]] == [first.id, second.id, third.id]
    assert rest["next"] is None

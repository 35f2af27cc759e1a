"""Personal API tokens, from the account page: shown once, stored hashed, listed with their last use,
revocable, expiring, scoped by role, and audited (a use at most once a minute per token)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import sqlalchemy as sa
from freezegun import freeze_time

from certify.accounts import api_tokens
from certify.accounts.models import ApiToken, Role
from certify.audit.models import AuditEntry
from certify.audit.sentences import sentence
from certify.timeutil import utcnow
from tests.api.helpers import bearer, is_problem, make_token
from tests.factories import make_user

SECRET = re.compile(r'value="(cfy_[A-Za-z0-9_-]{43})"')


def create(client, name="Отчёт для министерства", scopes=("read:registry", "read:own"), lifetime="90"):
    return client.post(
        "/account/tokens",
        data={"token-name": name, "token-scopes": list(scopes), "token-lifetime": lifetime},
    )


def audited(db, action: str) -> list[AuditEntry]:
    return list(db.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_a_token_is_shown_once_stored_hashed_and_works(db, login):
    client, manager = login(Role.MANAGER)
    made = create(client)
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    secret = SECRET.search(made.get_data(as_text=True)).group(1)
    token = db.scalars(sa.select(ApiToken)).one()
    assert token.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str([getattr(token, c.key) for c in ApiToken.__table__.columns])
    assert token.prefix == secret[:12] and token.scopes == ["read:registry", "read:own"]
    assert token.expires_at is not None
    page = client.get("/account").get_data(as_text=True)
    assert secret not in page and token.prefix in page and "Отчёт для министерства" in page
    assert "ещё не использовался" in page
    assert client.get("/api/v1/me/applications", headers=bearer(secret)).status_code == 200
    db.expire_all()
    assert token.last_used_at is not None
    assert "ещё не использовался" not in client.get("/account").get_data(as_text=True)


def test_the_form_offers_only_the_scopes_the_user_may_hold(db, login):
    client, _ = login(Role.MANAGER)
    page = client.get("/account").get_data(as_text=True)
    assert 'value="read:own"' in page and 'value="read:statistics"' not in page
    refused = create(client, scopes=("read:statistics",))
    assert refused.status_code == 400 and db.scalars(sa.select(ApiToken)).first() is None
    assert create(client, name="  ").status_code == 400
    assert create(client, lifetime="7").status_code == 400
    staff, _ = login(Role.COORDINATOR)
    assert 'value="read:statistics"' in staff.get("/account").get_data(as_text=True)
    assert create(staff, scopes=("read:statistics",)).status_code == 200


def test_a_revoked_token_is_refused_and_only_its_owner_revokes_it(db, login):
    client, manager = login(Role.MANAGER)
    other, _ = login(Role.MANAGER)
    secret = SECRET.search(create(client).get_data(as_text=True)).group(1)
    token = db.scalars(sa.select(ApiToken)).one()
    stranger = other.post("/account/tokens/revoke", data={"token_id": token.id})
    assert stranger.status_code == 303 and db.get(ApiToken, token.id).revoked_at is None
    assert other.post("/account/tokens/revoke", data={"token_id": "x"}).status_code == 303
    revoked = client.post("/account/tokens/revoke", data={"token_id": token.id}, follow_redirects=True)
    assert "отозван" in revoked.get_data(as_text=True)
    problem = is_problem(client.get("/api/v1/me/applications", headers=bearer(secret)), 401, "invalid-token")
    assert problem["detail"] == "Токен отозван."
    assert is_problem(client.get("/api/v1/certificates", headers=bearer(secret)), 401)


def test_an_expired_token_is_refused(db, client):
    manager = make_user(db, Role.MANAGER)
    secret = make_token(db, manager, "read:own", lifetime_days=30)
    db.commit()
    with freeze_time(utcnow() + timedelta(days=31)):
        problem = is_problem(client.get("/api/v1/me/applications", headers=bearer(secret)), 401)
    assert "истёк" in problem["detail"]


def test_a_token_follows_its_owners_account_and_roles(db, client):
    coordinator = make_user(db, Role.COORDINATOR)
    secret = make_token(db, coordinator, "read:statistics")
    db.commit()
    assert client.get("/api/v1/statistics", headers=bearer(secret)).status_code == 200
    coordinator.role_rows.clear()
    db.commit()
    assert is_problem(client.get("/api/v1/statistics", headers=bearer(secret)), 403, "insufficient-scope")
    coordinator.active = False
    db.commit()
    assert is_problem(client.get("/api/v1/statistics", headers=bearer(secret)), 401, "invalid-token")


def test_making_revoking_and_using_a_token_are_audited_a_use_once_a_minute(db, client):
    manager = make_user(db, Role.MANAGER)
    made = api_tokens.create_token(db, manager, "Скрипт", ["read:own"], None)
    db.commit()
    for _ in range(3):
        assert client.get("/api/v1/me/applications", headers=bearer(made.secret)).status_code == 200
    assert len(audited(db, "account.api_token_used")) == 1
    with freeze_time(utcnow() + timedelta(seconds=61)):
        client.get("/api/v1/me/certificates", headers=bearer(made.secret))
    used = audited(db, "account.api_token_used")
    assert [entry.after["path"] for entry in used] == ["/api/v1/me/applications", "/api/v1/me/certificates"]
    api_tokens.revoke_token(db, manager, made.token.id)
    db.commit()
    (created,) = audited(db, "account.api_token_created")
    (revoked,) = audited(db, "account.api_token_revoked")
    assert {created.actor_id, revoked.actor_id, used[0].actor_id} == {manager.id}
    assert made.secret not in str([created.after, revoked.after, used[0].after])
    said = sentence(created.action, created.subject_id, created.before, created.after).text()
    assert said == f"API token Скрипт ({made.token.prefix}…) created, scopes: read:own"
    assert sentence(used[0].action, "", None, used[0].after).text().endswith("used: /api/v1/me/applications")


def test_a_user_holds_at_most_twenty_tokens_in_force(db, login):
    client, manager = login(Role.MANAGER)
    for n in range(api_tokens.MAX_ACTIVE):
        make_token(db, manager, name=f"t{n}")
    db.commit()
    refused = create(client)
    assert refused.status_code == 400 and "20" in refused.get_data(as_text=True)

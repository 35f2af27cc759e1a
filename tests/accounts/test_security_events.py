"""Issue 12, finding 5: the security events of accounts are in the audit trail, without secrets.

Each event is recorded once with its actor: logins that succeed and fail, logouts, password resets
asked for and done, password changes, confirmed addresses, created users, changed roles.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from certify.accounts import services
from certify.accounts.models import Role
from certify.audit.models import AuditEntry
from certify.audit.services import verify_chain
from tests.accounts.test_registration import FORM
from tests.conftest import link_in, log_in
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "Quartz-Meadow-Lantern-93"
UNKNOWN = "Nobody.Here@Certify-Test.example.org"


def entries(db, action: str) -> list[AuditEntry]:
    db.expire_all()
    return list(db.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


@pytest.fixture
def user(db):
    user = make_user(db, email="irina.orlova@certify-test.example.org")
    db.commit()
    return user


def _login_succeeded(app, client, db, user, mailbox):
    log_in(client, user.email)
    return user


def _login_failed(app, client, db, user, mailbox):
    assert log_in(client, user.email, "Wrong-Password-Here-1").status_code == 400
    return user


def _login_failed_unknown(app, client, db, user, mailbox):
    assert log_in(client, UNKNOWN, "Wrong-Password-Here-1").status_code == 400
    return "anonymous"


def _logged_out(app, client, db, user, mailbox):
    log_in(client, user.email)
    client.post("/logout")
    return user


def _reset_requested(app, client, db, user, mailbox):
    client.post("/password/forgot", data={"email": user.email}).close()
    return user


def _reset_requested_unknown(app, client, db, user, mailbox):
    client.post("/password/forgot", data={"email": UNKNOWN}).close()
    return "anonymous"


def _confirmation_requested(app, client, db, user, mailbox):
    client.post("/confirm/resend", data={"email": UNKNOWN}).close()
    return "anonymous"


def _password_reset(app, client, db, user, mailbox):
    client.post("/password/forgot", data={"email": user.email}).close()
    response = client.post(link_in(mailbox()[-1]), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    return user


def _password_changed(app, client, db, user, mailbox):
    log_in(client, user.email)
    response = client.post(
        "/account", data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    return user


def _email_confirmed(app, client, db, user, mailbox):
    client.post("/register", data=FORM).close()
    assert client.get(link_in(mailbox()[-1])).status_code == 302
    return services.find_user(db, FORM["email"])


def _created_by_registration(app, client, db, user, mailbox):
    client.post("/register", data=FORM).close()
    return services.find_user(db, FORM["email"])


def _created_by_an_admin(app, client, db, user, mailbox):
    admin = make_user(db, Role.ADMIN, email="admin@certify-test.example.org")
    db.commit()
    log_in(client, admin.email)
    response = client.post(
        "/admin/users/new",
        data={
            "email": "Expert@certify-test.example.org",
            "full_name_ru": "Павел Андреевич Кузнецов",
            "locale": "en",
            "roles": ["assessor"],
            "organisation_id": "0",
            "active": "y",
            "password": "Birch-Compass-Window-3",
        },
    )
    assert response.status_code == 302
    return admin


def _created_by_the_cli(app, client, db, user, mailbox):
    result = app.test_cli_runner().invoke(
        args=["certify", "user", "create", "cli.user@certify-test.example.org", "--role", "admin"],
        input="Birch-Compass-Window-3\nBirch-Compass-Window-3\n",
    )
    assert result.exit_code == 0, result.output
    return "cli"


def _roles_changed(app, client, db, user, mailbox):
    admin = make_user(db, Role.ADMIN, email="admin@certify-test.example.org")
    db.commit()
    log_in(client, admin.email)
    response = client.post(
        f"/admin/users/{user.id}",
        data={
            "full_name_ru": user.full_name_ru,
            "locale": "ru",
            "roles": ["manager", "assessor"],
            "organisation_id": str(user.organisation_id),
            "active": "y",
        },
    )
    assert response.status_code == 302
    return admin


EVENTS = {
    "account.login_succeeded": _login_succeeded,
    "account.login_failed": _login_failed,
    "account.login_failed/unknown address": _login_failed_unknown,
    "account.logged_out": _logged_out,
    "account.password_reset_requested": _reset_requested,
    "account.password_reset_requested/unknown address": _reset_requested_unknown,
    "account.confirmation_requested/unknown address": _confirmation_requested,
    "account.password_reset": _password_reset,
    "account.password_changed": _password_changed,
    "account.email_confirmed": _email_confirmed,
    "account.created/registration": _created_by_registration,
    "account.created/admin": _created_by_an_admin,
    "account.created/cli": _created_by_the_cli,
    "account.roles_changed": _roles_changed,
}


@pytest.mark.parametrize("event", EVENTS)
def test_finding_5_security_event_is_recorded(event, app, client, db, user, mailbox):
    action = event.partition("/")[0]
    actor = EVENTS[event](app, client, db, user, mailbox)
    (entry,) = entries(db, action)
    if isinstance(actor, str):
        assert (entry.actor_id, entry.actor_label) == (None, actor)
    else:
        assert (entry.actor_id, entry.actor_label) == (actor.id, actor.email)
    assert entry.subject_type == "user"
    recorded = json.dumps([entry.before, entry.after], ensure_ascii=False)
    typed = (PASSWORD, NEW_PASSWORD, "Birch-Compass-Window-3", "Wrong-Password-Here-1")
    for secret in (*typed, "token", "hash"):
        assert secret not in recorded
    assert verify_chain(db).ok


def test_finding_5_a_failed_login_for_an_unknown_address_keeps_it_normalised_and_short(app, db):
    with app.test_request_context():
        for typed in (f"  {UNKNOWN}  ", "x" * 300 + "@certify-test.example.org"):
            with pytest.raises(services.AccountError) as refused:
                services.authenticate(db, typed, "Wrong-Password-Here-1")
            db.rollback()  # as the view does, before it records the refusal on its own
            services.record_failed_login(db, refused.value)
            db.commit()
    first, second = (entry.after["email"] for entry in entries(db, "account.login_failed"))
    assert first == UNKNOWN.lower()
    assert len(second) == services.RECORDED_EMAIL_LENGTH and second.startswith("xxx")


def test_finding_5_a_change_of_roles_records_them_before_and_after(admin_client, db, user):
    response = admin_client.post(
        f"/admin/users/{user.id}",
        data={
            "full_name_ru": user.full_name_ru,
            "locale": "ru",
            "roles": ["assessor"],
            "organisation_id": str(user.organisation_id),
            "active": "y",
        },
    )
    assert response.status_code == 302
    (entry,) = entries(db, "account.roles_changed")
    assert (entry.subject_id, entry.before, entry.after) == (
        str(user.id),
        {"roles": ["manager"]},
        {"roles": ["assessor"]},
    )
    assert entries(db, "user.updated") == []  # nothing else changed


@pytest.fixture
def throttled_settings(app_settings):
    app_settings.update(
        RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="10 per minute", ACCOUNT_LOGIN_RATE_LIMIT="3 per minute"
    )
    return app_settings


def test_finding_5_refused_requests_add_no_more_than_the_rate_limits_allow(throttled_settings, app, db, user):
    client = app.test_client()
    statuses = [log_in(client, user.email, "Wrong-Password-Here-1").status_code for _ in range(6)]
    assert statuses == [400, 400, 400, 429, 429, 429]
    # a form that does not even validate reaches no service, and records nothing
    assert client.post("/login", data={"email": "not an address", "password": "x"}).status_code == 400
    assert len(entries(db, "account.login_failed")) == 3
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))) == 3

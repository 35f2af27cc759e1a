"""Login, logout and the session rules of OWASP ASVS level 2."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time

from certify.accounts.models import Role
from tests.conftest import log_in
from tests.factories import PASSWORD, make_user


@pytest.fixture
def user(db):
    user = make_user(db)
    db.commit()
    return user


def test_wrong_password_and_unknown_email_get_the_same_message(client, user):
    wrong = log_in(client, user.email, "Wrong-Password-Here-1")
    unknown = log_in(client, "nobody@certify-test.example.org")
    assert wrong.status_code == unknown.status_code == 400
    assert "Неверный адрес или пароль" in wrong.get_data(as_text=True)
    assert "Неверный адрес или пароль" in unknown.get_data(as_text=True)


def test_login_starts_a_new_session(client, user):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    log_in(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "_user_id" in session


def test_login_follows_only_local_next_links(client, user):
    response = client.post(
        "/login?next=https://evil.example.com/",
        data={"email": user.email, "password": "Tundra-Lighthouse-48"},
    )
    assert response.headers["Location"] == "/applications/"  # the manager's own start page
    client.post("/logout")
    response = client.post(
        "/login?next=/account", data={"email": user.email, "password": "Tundra-Lighthouse-48"}
    )
    assert response.headers["Location"] == "/account"


def test_logout_ends_the_sessions_on_every_device(app, user):
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, user.email)
    log_in(phone, user.email)
    laptop.post("/logout")
    assert laptop.get("/account").status_code == 302
    assert phone.get("/account").status_code == 302


def test_a_deactivated_users_open_session_stops_working(app, db, login):
    client, user = login(Role.MANAGER)
    admin, _ = login(Role.ADMIN)
    assert client.get("/account").status_code == 200
    response = admin.post(
        f"/admin/users/{user.id}",
        data={
            "full_name_ru": user.full_name_ru,
            "locale": "ru",
            "roles": ["manager"],
            "organisation_id": "0",
        },
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 302
    refused = log_in(client, user.email)
    assert "деактивирована" in refused.get_data(as_text=True)


def test_idle_timeout(client, user):
    log_in(client, user.email)
    with freeze_time(timedelta(minutes=31)):
        response = client.get("/account")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_activity_keeps_the_session_alive_until_the_absolute_timeout(client, user):
    log_in(client, user.email)
    for minutes in range(20, 12 * 60, 20):
        with freeze_time(timedelta(minutes=minutes)):
            assert client.get("/account").status_code == 200
    with freeze_time(timedelta(hours=12, minutes=5)):
        assert client.get("/account").status_code == 302


def test_session_cookie_flags(app, user):
    app.config["SESSION_COOKIE_SECURE"] = True
    client = app.test_client()
    response = log_in(client, user.email)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers_on_every_response(client):
    for url in ("/", "/login", "/does-not-exist"):
        headers = client.get(url).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


@pytest.fixture
def throttled_settings(app_settings):
    app_settings.update(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    return app_settings


def test_login_is_throttled(throttled_settings, app, user):
    client = app.test_client()
    statuses = [log_in(client, user.email, "Wrong-Password-Here-1").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert "Слишком много попыток" in log_in(client, user.email).get_data(as_text=True)


def _client_at(app, address: str, **headers):
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=address, **headers)
    return client


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(throttled_settings, app, user):
    """Issue 12, finding 7: failed logins from one address do not lock the account for its owner."""
    attacker = _client_at(app, "203.0.113.5")
    statuses = [log_in(attacker, user.email, "Wrong-Password-Here-1").status_code for _ in range(12)]
    assert statuses[-1] == 429
    assert log_in(_client_at(app, "198.51.100.7"), user.email).status_code == 302


@pytest.fixture
def account_throttled_settings(app_settings):
    app_settings.update(
        RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="10 per minute", ACCOUNT_LOGIN_RATE_LIMIT="3 per minute"
    )
    return app_settings


def test_one_address_guessing_one_account_is_slowed_first(account_throttled_settings, app, user):
    """Issue 12, finding 7: the account's own limit from one address is tighter than the address's."""
    client = _client_at(app, "203.0.113.5")
    statuses = [log_in(client, user.email, "Wrong-Password-Here-1").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert log_in(client, "other@certify-test.example.org", "Wrong-Password-Here-1").status_code == 400


@pytest.fixture
def proxied_settings(throttled_settings):
    throttled_settings.update(PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1)
    return throttled_settings


def test_behind_a_proxy_each_client_has_its_own_login_limit(proxied_settings, app, user):
    """Issue 12, finding 7: with PROXY_FIX_X_FOR, the limits key on the client, not on the proxy."""
    first = _client_at(app, "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    emails = [f"nobody{n}@certify-test.example.org" for n in range(4)]
    assert [log_in(first, email, "Wrong-Password-Here-1").status_code for email in emails][-1] == 429
    second = _client_at(app, "10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert log_in(second, user.email).status_code == 302


def test_behind_a_proxy_the_forwarded_scheme_is_trusted(proxied_settings, app):
    @app.get("/scheme")
    def scheme():
        from flask import request

        return request.scheme

    client = _client_at(app, "10.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert client.get("/scheme").get_data(as_text=True) == "https"


@pytest.fixture
def csrf_settings(app_settings):
    app_settings["WTF_CSRF_ENABLED"] = True
    return app_settings


def test_forms_without_a_csrf_token_are_refused(csrf_settings, app, user):
    client = app.test_client()
    response = log_in(client, user.email)
    assert response.status_code == 400
    assert "Форма устарела" in response.get_data(as_text=True)
    assert client.post("/language", data={"language": "en"}).status_code == 400


@pytest.mark.parametrize(
    ("roles", "start"),
    [
        ((Role.MANAGER,), "/applications/"),
        ((Role.ASSESSOR,), "/review/assignments"),
        ((Role.COORDINATOR,), "/insight/"),
        ((Role.ADMIN,), "/insight/"),
        ((Role.ASSESSOR, Role.MANAGER), "/review/assignments"),
        ((Role.CANDIDATE,), "/exams/"),
    ],
)
def test_after_login_each_role_lands_on_its_own_start_page(client, db, roles, start):
    person = make_user(db, *roles)
    db.commit()
    response = client.post("/login", data={"email": person.email, "password": PASSWORD})
    assert response.headers["Location"] == start

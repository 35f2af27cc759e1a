"""Password reset by e-mail, password change, and the password policy."""

from __future__ import annotations

from datetime import timedelta

import argon2
import pytest
from freezegun import freeze_time

from certify.accounts.models import User
from certify.accounts.passwords import hash_password, password_problem, verify_password
from certify.config import settings_from_environment
from tests.conftest import LOW_HASH_COST, link_in, log_in
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "Granite-Harbour-Sparrow-7"


def test_hashes_are_argon2_and_verify():
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, PASSWORD)
    assert not verify_password(hashed, PASSWORD + "x")


#: argon2-cffi's defaults, which a deployment keeps unless it sets CERTIFY_ARGON2_*
PRODUCTION_HASH_COST = {
    "CERTIFY_ARGON2_TIME_COST": argon2.DEFAULT_TIME_COST,
    "CERTIFY_ARGON2_MEMORY_COST": argon2.DEFAULT_MEMORY_COST,
    "CERTIFY_ARGON2_PARALLELISM": argon2.DEFAULT_PARALLELISM,
}


@pytest.fixture
def production_cost(app_settings, monkeypatch):
    """The app gets the hash cost of a deployment that sets nothing (tests otherwise lower it)."""
    for name in LOW_HASH_COST:
        monkeypatch.delenv(name, raising=False)
        del app_settings[name]


def test_a_deployment_hashes_at_argon2s_default_cost(production_cost, app):
    assert PRODUCTION_HASH_COST == {
        "CERTIFY_ARGON2_TIME_COST": 3,
        "CERTIFY_ARGON2_MEMORY_COST": 65536,
        "CERTIFY_ARGON2_PARALLELISM": 4,
    }
    assert {name: app.config[name] for name in PRODUCTION_HASH_COST} == PRODUCTION_HASH_COST
    with app.app_context():
        assert "$m=65536,t=3,p=4$" in hash_password(PASSWORD)


def test_the_hash_cost_is_read_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CERTIFY_ARGON2_TIME_COST", "4")
    monkeypatch.setenv("CERTIFY_ARGON2_MEMORY_COST", "131072")
    monkeypatch.setenv("CERTIFY_ARGON2_PARALLELISM", "2")
    monkeypatch.setenv("SECRET_KEY", "x")
    settings = settings_from_environment(tmp_path)
    assert [settings[name] for name in PRODUCTION_HASH_COST] == [4, 131072, 2]


def test_a_hash_made_at_a_lower_cost_verifies_and_is_rehashed_at_login(app, db, client):
    user = make_user(db)
    db.commit()
    assert "$m=8,t=1,p=1$" in user.password_hash
    app.config.update(PRODUCTION_HASH_COST)  # the deployment raised the cost since
    assert log_in(client, user.email).status_code == 302
    db.expire_all()
    rehashed = db.get(User, user.id).password_hash
    assert "$m=65536,t=3,p=4$" in rehashed
    assert verify_password(rehashed, PASSWORD)


@pytest.mark.parametrize(
    ("password", "refused"),
    [
        ("Tundra-Lighthouse-48", False),
        ("Солнце-Река-Гора-2026", False),
        ("a" * 11, True),
        ("qwertyuiop123", True),
        ("password1234", True),
        ("x" * 129, True),
    ],
)
def test_password_policy(app, password, refused):
    with app.test_request_context():
        assert (password_problem(password) is not None) is refused


def test_a_password_built_from_the_email_is_refused(app):
    with app.test_request_context():
        assert password_problem("olga.vorontsova", personal=("olga.vorontsova@x.org",))


def test_reset_by_mailed_link(client, db, mailbox):
    user = make_user(db)
    db.commit()
    response = client.post("/password/forgot", data={"email": user.email})
    assert response.status_code == 200
    response.close()  # the e-mail goes out once the answer has been sent
    link = link_in(mailbox()[0])
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert log_in(client, user.email, PASSWORD).status_code == 400
    assert log_in(client, user.email, NEW_PASSWORD).status_code == 302


def test_a_reset_link_works_once(client, db, mailbox):
    user = make_user(db)
    db.commit()
    client.post("/password/forgot", data={"email": user.email}).close()
    link = link_in(mailbox()[0])
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = client.post(
        link, data={"password": "Another-Harbour-Lamp-9", "confirm": "Another-Harbour-Lamp-9"}
    )
    assert again.status_code == 400
    assert "недействительна" in again.get_data(as_text=True)
    assert log_in(client, user.email, NEW_PASSWORD).status_code == 302


def test_an_expired_reset_link_is_refused(client, db, mailbox):
    user = make_user(db)
    db.commit()
    with freeze_time(timedelta(hours=-25)):
        client.post("/password/forgot", data={"email": user.email}).close()
    response = client.post(link_in(mailbox()[0]), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 400
    assert "истёк" in response.get_data(as_text=True)


def test_forgot_password_does_not_reveal_whether_an_account_exists(client, mailbox):
    response = client.post("/password/forgot", data={"email": "nobody@certify-test.example.org"})
    assert response.status_code == 200
    assert mailbox() == []


def test_changing_the_password_ends_the_other_sessions(app, db):
    user = make_user(db)
    db.commit()
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, user.email)
    log_in(phone, user.email)
    response = laptop.post(
        "/account",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302


def test_changing_the_password_needs_the_current_one(manager_client):
    response = manager_client.post(
        "/account",
        data={"current_password": "wrong-password-xx", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "Текущий пароль неверен" in response.get_data(as_text=True)

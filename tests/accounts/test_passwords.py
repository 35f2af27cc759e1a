"""Password reset by e-mail, password change, and the password policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time

from certify.accounts.passwords import hash_password, password_problem, verify_password
from tests.conftest import link_in, log_in
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "Granite-Harbour-Sparrow-7"


def test_hashes_are_argon2_and_verify():
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, PASSWORD)
    assert not verify_password(hashed, PASSWORD + "x")


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
    assert client.post("/password/forgot", data={"email": user.email}).status_code == 200
    link = link_in(mailbox()[0])
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert log_in(client, user.email, PASSWORD).status_code == 400
    assert log_in(client, user.email, NEW_PASSWORD).status_code == 302


def test_a_reset_link_works_once(client, db, mailbox):
    user = make_user(db)
    db.commit()
    client.post("/password/forgot", data={"email": user.email})
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
        client.post("/password/forgot", data={"email": user.email})
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

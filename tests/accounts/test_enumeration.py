"""Issue 12, finding 10: the account pages do not tell whether an address has an account.

Registration, the password reset and the new confirmation link answer the same page for a known and an
unknown address, do the same work before answering, and send their e-mails only after the answer has
gone out: a slower answer told that a message was being sent, so that the address had an account.
"""

from __future__ import annotations

import re

import argon2
import pytest
import sqlalchemy as sa

from certify.accounts.models import Organisation, User
from certify.outbox.models import OutboxMessage
from tests.accounts.test_registration import FORM
from tests.conftest import log_in
from tests.factories import make_user


def comparable(response, *emails: str) -> bytes:
    """The page without what differs by design: CSRF tokens, nonces, and the address that was typed."""
    page = response.get_data()
    page = re.sub(rb'(name="csrf_token"[^>]*value=")[^"]*', rb"\1", page)
    page = re.sub(rb'nonce="[^"]*"', b'nonce=""', page)
    for email in emails:
        page = page.replace(email.encode(), b"[email]")
    return page


def queued(db) -> list[OutboxMessage]:
    db.expire_all()
    return list(db.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def hashes(monkeypatch) -> list[str]:
    """Every Argon2 hash or verification the app makes, by kind, in order."""
    made: list[str] = []
    hash_, verify = argon2.PasswordHasher.hash, argon2.PasswordHasher.verify

    def counted_hash(self, *args, **kwargs):
        made.append("hash")
        return hash_(self, *args, **kwargs)

    def counted_verify(self, *args, **kwargs):
        made.append("verify")
        return verify(self, *args, **kwargs)

    monkeypatch.setattr(argon2.PasswordHasher, "hash", counted_hash)
    monkeypatch.setattr(argon2.PasswordHasher, "verify", counted_verify)
    return made


def test_finding_10_register_answers_a_known_address_as_a_new_one(client, db, mailbox, hashes):
    new = client.post("/register", data=FORM)
    new.close()
    work_for_new = list(hashes)
    hashes.clear()
    owner = db.scalar(sa.select(User))
    owner.locale = "en"  # the warning goes out in the owner's language, whatever the page's
    db.commit()
    password_hash = owner.password_hash

    number = "1197800000023"
    again = dict(FORM, email=FORM["email"].upper(), full_name_ru="Злоумышленник", registration_number=number)
    known = client.post("/register", data=again)

    assert (known.status_code, new.status_code) == (200, 200)
    assert comparable(known, FORM["email"].upper()) == comparable(new, FORM["email"])
    assert hashes == work_for_new == ["hash"]  # the password is hashed either way
    # nothing was created or changed, and the owner's warning waits until the answer has gone out
    assert db.scalar(sa.select(sa.func.count(User.id))) == 1
    assert db.scalar(sa.select(sa.func.count(Organisation.id))) == 1
    db.expire_all()
    assert (owner.password_hash, owner.full_name_ru) == (password_hash, FORM["full_name_ru"])
    assert [m.template for m in queued(db)] == ["confirm_email", "registration_attempt"]
    assert len(mailbox()) == 1
    known.close()
    warning = mailbox()[-1]
    assert warning["To"] == owner.email
    assert "tried to register" in warning["Subject"]
    body = warning.get_content()
    assert "http://localhost/login" in body and "http://localhost/password/forgot" in body


def test_finding_10_register_still_refuses_what_has_nothing_to_do_with_the_address(client, db):
    owner = make_user(db, email="owner@certify-test.example.org")
    db.commit()
    number = owner.organisation.registration_number
    weak_password = {"password": "password1234", "confirm": "password1234"}
    for email in (owner.email, "someone.new@certify-test.example.org"):
        weak = client.post("/register", data=dict(FORM, email=email, **weak_password))
        assert weak.status_code == 400 and "слишком распространён" in weak.get_data(as_text=True)
        taken = client.post("/register", data=dict(FORM, email=email, registration_number=number))
        assert taken.status_code == 400 and "уже зарегистрирована" in taken.get_data(as_text=True)
        assert "уже существует" not in weak.get_data(as_text=True) + taken.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count(User.id))) == 1


@pytest.mark.parametrize(
    ("path", "confirmed"), [("/password/forgot", True), ("/confirm/resend", False)], ids=["forgot", "resend"]
)
def test_finding_10_link_requests_answer_alike_and_mail_only_after_the_answer(
    client, db, mailbox, path, confirmed
):
    user = make_user(db, email="known@certify-test.example.org", confirmed=confirmed)
    db.commit()
    unknown_email = "unknown@certify-test.example.org"

    unknown = client.post(path, data={"email": unknown_email})
    known = client.post(path, data={"email": user.email})

    assert (known.status_code, unknown.status_code) == (200, 200)
    assert comparable(known, user.email) == comparable(unknown, unknown_email)
    # the answer is complete, yet nothing has been sent: the message waits in the outbox, untried
    (message,) = queued(db)
    assert (message.recipient, message.status, message.attempts) == (user.email, "queued", 0)
    assert mailbox() == []
    known.close()  # the server has sent the answer: now the mail goes out
    (sent,) = mailbox()
    assert sent["To"] == user.email
    assert queued(db)[0].status == "sent"
    unknown.close()
    assert len(mailbox()) == 1


def test_finding_10_mail_held_for_after_the_answer_is_still_sent_by_cron(client, db, runner, mailbox):
    user = make_user(db)
    db.commit()
    response = client.post("/password/forgot", data={"email": user.email})
    assert response.status_code == 200
    # the worker died before it could send (the response is never closed): `certify mail deliver` does
    result = runner.invoke(args=["certify", "mail", "deliver"])
    assert "mail sent: 1" in result.output
    (message,) = mailbox()
    assert "/password/reset/" in message.get_content()
    response.close()  # and the late callback finds nothing left to send
    assert len(mailbox()) == 1


def test_login_with_an_unknown_address_checks_a_password_hash_too(client, db, hashes):
    user = make_user(db)
    db.commit()
    hashes.clear()
    wrong = log_in(client, user.email, "Wrong-Password-Here-1")
    work_for_known = list(hashes)
    hashes.clear()
    unknown = log_in(client, "nobody@certify-test.example.org", "Wrong-Password-Here-1")
    assert wrong.status_code == unknown.status_code == 400
    assert comparable(wrong, user.email) == comparable(unknown, "nobody@certify-test.example.org")
    assert work_for_known == ["verify"]
    assert hashes in (["verify"], ["hash", "verify"])  # the dummy hash is made once, then reused

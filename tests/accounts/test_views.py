"""The account pages as one transaction each: a refusal changes and sends nothing, a success says so."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from certify.outbox.models import OutboxMessage
from tests.accounts.test_registration import FORM
from tests.conftest import link_in, log_in
from tests.factories import PASSWORD, make_organisation, make_user


def test_a_refused_registration_queues_no_mail(client, db, mailbox):
    first = client.post("/register", data=FORM)
    assert first.status_code == 200
    first.close()
    again = client.post("/register", data=dict(FORM, email="someone.else@cluster-test.example.org"))
    assert again.status_code == 400  # the organisation is registered already
    again.close()
    assert len(mailbox()) == 1
    assert db.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1


def test_a_refusal_beside_its_field_keeps_what_was_typed(client, db):
    make_organisation(db, registration_number="1197800000001")
    db.commit()
    response = client.post("/register", data=FORM)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "уже зарегистрирована" in page
    field = r'id="registration_number"[^>]*is-invalid|is-invalid[^>]*id="registration_number"'
    assert re.search(field, page)
    assert 'value="Water Cluster Agency"' in page


def test_a_reset_password_logs_out_and_says_so(client, db, mailbox):
    user = make_user(db)
    db.commit()
    log_in(client, user.email)
    client.post("/password/forgot", data={"email": user.email}).close()
    new = "Quartz-Meadow-Lantern-93"
    response = client.post(link_in(mailbox()[-1]), data={"password": new, "confirm": new})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert "Пароль изменён" in client.get("/login").get_data(as_text=True)
    assert client.get("/account").status_code == 302  # the session ended with the reset
    assert log_in(client, user.email, new).status_code == 302
    assert log_in(client, user.email, PASSWORD).status_code == 400


def test_a_used_confirmation_link_offers_a_new_one(client, mailbox):
    client.post("/register", data=FORM).close()
    link = link_in(mailbox()[0])
    client.get(link)
    page = client.get(link).get_data(as_text=True)
    assert "недействительна" in page and 'name="email"' in page


def _issued_ago(monkeypatch, hours: float):
    """Sign tokens as if it were `hours` ago (itsdangerous stamps them with the signing time)."""
    import time

    from itsdangerous import TimestampSigner

    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time() - hours * 3600))


def test_reset_links_live_an_hour_and_confirmation_links_a_day(app, db, monkeypatch):
    """Issue 12, finding 11: a password-reset link hands over the account, so it lives 1 h, not 24 h."""
    from certify.accounts import services, tokens

    user = make_user(db, confirmed=False)
    with app.test_request_context():
        _issued_ago(monkeypatch, 1.5)
        reset, confirm = tokens.make_token(user, tokens.RESET), tokens.make_token(user, tokens.CONFIRM)
        monkeypatch.undo()
        with pytest.raises(services.AccountError) as refused:
            services.reset_password(db, reset, "Quartz-Meadow-Lantern-93")
        assert isinstance(refused.value.__cause__, tokens.TokenExpired)
        assert services.confirm_email(db, confirm) == user


def test_the_mails_state_how_long_their_links_last(client, db, mailbox):
    user = make_user(db)
    db.commit()
    client.post("/password/forgot", data={"email": user.email}).close()
    assert "Ссылка действует 60 минут" in mailbox()[-1].get_body().get_content()
    client.post("/register", data=FORM).close()
    assert "Ссылка действует 24 часа" in mailbox()[-1].get_body().get_content()

"""Self-registration of a manager, e-mail confirmation and the first login."""

from __future__ import annotations

import sqlalchemy as sa

from certify.accounts.models import Organisation, Role, User
from tests.conftest import link_in, log_in
from tests.factories import PASSWORD, make_organisation

FORM = {
    "email": "Anna.Petrova@cluster-test.example.org",
    "full_name_ru": "Анна Сергеевна Петрова",
    "full_name_en": "Anna Petrova",
    "password": PASSWORD,
    "confirm": PASSWORD,
    "organisation_name_ru": "АНО «Водный кластер»",
    "organisation_name_en": "Water Cluster Agency",
    "registration_number": "1197800000001",
    "country": "RU",
    "region": "Ленинградская область",
    "cluster_name_ru": "Водный кластер Северо-Запада",
    "cluster_name_en": "North-West Water Cluster",
    "specialisation": "Водоподготовка",
    "priority_fields": ["water", "environment_and_waste"],
}


def test_registration_creates_an_unconfirmed_manager_and_mails_a_link(client, db, mailbox):
    response = client.post("/register", data=FORM)
    assert response.status_code == 200
    response.close()  # the e-mail goes out once the answer has been sent
    user = db.scalar(sa.select(User))
    assert user.email == "anna.petrova@cluster-test.example.org"
    assert user.roles == {Role.MANAGER}
    assert user.email_confirmed_at is None
    assert user.organisation.cluster_name_en == "North-West Water Cluster"
    assert user.organisation.priority_fields == ["water", "environment_and_waste"]
    (message,) = mailbox()
    assert message["To"] == "anna.petrova@cluster-test.example.org"
    assert "Подтвердите" in message["Subject"]


def test_login_is_refused_until_the_email_is_confirmed(client, mailbox):
    client.post("/register", data=FORM).close()
    refused = log_in(client, FORM["email"])
    assert refused.status_code == 400
    assert "подтвердите" in refused.get_data(as_text=True).lower()

    confirmed = client.get(link_in(mailbox()[0]))
    assert confirmed.status_code == 302
    assert log_in(client, FORM["email"]).status_code == 302
    assert client.get("/account").status_code == 200


def test_a_confirmation_link_works_once(client, mailbox):
    client.post("/register", data=FORM).close()
    link = link_in(mailbox()[0])
    assert client.get(link).status_code == 302
    reused = client.get(link)
    assert reused.status_code == 400
    assert "недействительна" in reused.get_data(as_text=True)


def test_a_tampered_confirmation_link_is_refused(client, mailbox):
    client.post("/register", data=FORM).close()
    link = link_in(mailbox()[0])
    assert client.get(link[:-3] + "xyz").status_code == 400


def test_a_known_email_creates_nothing_and_warns_its_owner(client, db, mailbox):
    client.post("/register", data=FORM).close()
    again = dict(FORM, email=FORM["email"].upper(), registration_number="1197800000023")
    response = client.post("/register", data=again)
    assert response.status_code == 200  # the same answer as for a new address (issue 12, finding 10)
    response.close()
    assert db.scalar(sa.select(sa.func.count(User.id))) == 1
    assert db.scalar(sa.select(sa.func.count(Organisation.id))) == 1
    assert "пытался зарегистрироваться" in mailbox()[-1]["Subject"]


def test_an_already_registered_organisation_cannot_be_joined(client, db):
    make_organisation(db, registration_number="1197800000001")
    db.commit()
    response = client.post("/register", data=FORM)
    assert response.status_code == 400
    assert "уже зарегистрирована" in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count(User.id))) == 0


def test_weak_and_short_passwords_are_refused(client, db):
    for password, message in (("short-pass", "не менее 12"), ("password1234", "слишком распространён")):
        data = dict(FORM, password=password, confirm=password)
        response = client.post("/register", data=data)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count(User.id))) == 0


def test_over_long_fields_get_a_message_not_an_error(client, db):
    data = dict(FORM, full_name_ru="Я" * 500, password="p" * 200, confirm="p" * 200)
    response = client.post("/register", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "200" in page and "128" in page
    assert db.scalar(sa.select(sa.func.count(User.id))) == 0


def test_every_problem_of_the_form_is_reported_at_once(client, db):
    typed = dict(FORM, registration_number="1197800000002", password="password1", confirm="password1")
    response = client.post("/register", data=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Последняя цифра этого ОГРН не сходится с остальными" in page
    assert "Пароль должен содержать не менее 12 символов." in page
    assert db.scalar(sa.select(sa.func.count(User.id))) == 0

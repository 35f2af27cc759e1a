"""The public pages a shared cache may keep (issue 19): no cookie for an anonymous visitor, an ETag and 304
to a revalidation, a Cache-Control by how fast each may change, and the language named in the address."""

from __future__ import annotations

import json

import pytest
from flask import template_rendered

from certify.accounts.models import Role
from certify.certificates import publication
from tests import factories

PAGE_SECONDS = int(publication.STATUS_LIST_TTL.total_seconds())
DOCUMENT_SECONDS = 3600
#: each public address (`{number}`: the certificate's) and how long a shared cache may keep it
PUBLIC = {
    "/verify/{number}": PAGE_SECONDS,
    "/registry": PAGE_SECONDS,
    "/certificates/{number}.json": DOCUMENT_SECONDS,
    "/credentials/status/revocation": PAGE_SECONDS,
    "/credentials/status/suspension": PAGE_SECONDS,
    "/credentials/issuer": DOCUMENT_SECONDS,
}
addresses = pytest.mark.parametrize("address", PUBLIC)


@pytest.fixture
def case(db):
    """A certificate issued after a full review, committed (tests.factories.certified)."""
    case = factories.certified(db)
    db.commit()
    return case


@addresses
def test_an_anonymous_visitor_gets_no_cookie_and_an_answer_caches_may_keep(client, case, address):
    response = client.get(address.format(number=case.certificate.number))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.cache_control.public and response.cache_control.max_age == PUBLIC[address]
    assert response.get_etag()[0] and "Cookie" in response.vary


@addresses
def test_a_revalidation_with_the_etag_is_answered_304_without_a_body(client, case, address):
    url = address.format(number=case.certificate.number)
    etag = client.get(url).headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag and again.cache_control.public
    assert "Set-Cookie" not in again.headers


def test_the_json_documents_have_a_strong_etag_and_the_status_lists_a_weak_one(client, case):
    number = case.certificate.number
    assert not client.get(f"/certificates/{number}.json").get_etag()[1]
    assert not client.get("/credentials/issuer").get_etag()[1]
    # signed anew at each request (validFrom), a list stating the same bits is the same list
    assert client.get("/credentials/status/revocation").get_etag()[1]


def test_the_etag_changes_with_what_the_page_states(client, client_for, case):
    number = case.certificate.number
    page, suspended = client.get(f"/verify/{number}"), client.get("/credentials/status/suspension")
    client_for(case.coordinator).post(f"/certificates/{number}/suspend", data={"reason": "Проверка жалобы"})
    again = client.get(f"/verify/{number}", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 200 and "Проверка жалобы" in again.get_data(as_text=True)
    assert again.headers["ETag"] != page.headers["ETag"]
    revalidation = {"If-None-Match": suspended.headers["ETag"]}
    listed = client.get("/credentials/status/suspension", headers=revalidation)
    assert listed.status_code == 200 and listed.headers["ETag"] != suspended.headers["ETag"]


def test_status_lists_may_be_kept_as_long_as_their_ttl(client):
    for purpose in ("revocation", "suspension"):
        response = client.get(f"/credentials/status/{purpose}")
        ttl_milliseconds = json.loads(response.data)["credentialSubject"]["ttl"]
        assert response.cache_control.max_age * 1000 == ttl_milliseconds


@addresses
def test_a_signed_in_user_gets_no_public_caching(login, case, address):
    client, _ = login(Role.MANAGER)
    response = client.get(address.format(number=case.certificate.number))
    assert response.status_code == 200
    assert not response.cache_control.public and response.cache_control.no_store


def test_an_answer_that_writes_the_session_is_kept_by_the_browser_alone(client, case):
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Сообщение")]  # shown, hence removed from the session
    response = client.get(f"/verify/{case.certificate.number}")
    assert "Set-Cookie" in response.headers
    assert response.cache_control.private and not response.cache_control.public


def test_the_page_a_qr_code_opens_is_rendered_once_until_what_it_states_changes(
    app, client, client_for, case
):
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    url, number = f"/verify/{case.certificate.number}", case.certificate.number
    with template_rendered.connected_to(record, app):
        for _ in range(3):
            client.get(url)
        assert rendered.count("certificates/verify.html") == 1
        client_for(case.coordinator).post(f"/certificates/{number}/suspend", data={"reason": "Жалоба"})
        rendered.clear()
        assert "Жалоба" in client.get(url).get_data(as_text=True)
    assert rendered == ["certificates/verify.html"]


def test_a_kept_page_is_nobody_elses_and_a_session_gets_its_own(app, client, case):
    url = f"/verify/{case.certificate.number}"
    first = client.get(url).get_data(as_text=True)  # rendered once, kept for anyone
    flashed = app.test_client()
    with flashed.session_transaction() as session:
        session["_flashes"] = [("info", "Сообщение только для этого посетителя")]
    assert "Сообщение только для этого посетителя" in flashed.get(url).get_data(as_text=True)
    again = app.test_client().get(url).get_data(as_text=True)
    assert again == first and "Сообщение только для этого посетителя" not in again
    english = client.get(f"{url}?lang=en").get_data(as_text=True)
    assert english != first and 'lang="en"' in english


def test_a_number_not_found_is_not_revalidated(client):
    response = client.get("/verify/CMQ-2026-999999")
    assert response.status_code == 404 and response.get_etag() == (None, None)
    assert not response.cache_control.public


def test_the_page_is_russian_by_default_and_english_by_its_address(client, case):
    number = case.certificate.number
    russian = client.get(f"/verify/{number}").get_data(as_text=True)
    english = client.get(f"/verify/{number}?lang=en").get_data(as_text=True)
    assert '<html lang="ru">' in russian and "Проверка сертификата" in russian
    assert '<html lang="en">' in english and "Certificate verification" in english
    # the switch is links to the page in each language, not a form with a CSRF token
    assert f'href="/verify/{number}?lang=en"' in russian and f'href="/verify/{number}?lang=ru"' in english
    assert "csrf_token" not in russian
    assert 'href="/registry?lang=en"' in english
    loose = client.get(f"/verify/{number.lower()}?lang=en")
    assert loose.status_code == 301 and loose.headers["Location"].endswith(f"/verify/{number}?lang=en")


def test_the_registry_keeps_the_language_of_its_address(client, case):
    number = case.certificate.number
    page = client.get("/registry?lang=en&q=").get_data(as_text=True)
    assert '<html lang="en">' in page and f'href="/verify/{number}?lang=en"' in page
    assert '<input type="hidden" name="lang" value="en">' in page
    assert 'href="/registry?lang=ru&amp;q="' in page


def test_the_address_language_wins_over_the_browsers_on_public_pages_only(client, case):
    number = case.certificate.number
    client.set_cookie("lang", "en")
    assert '<html lang="en">' in client.get(f"/verify/{number}").get_data(as_text=True)
    assert '<html lang="ru">' in client.get(f"/verify/{number}?lang=ru").get_data(as_text=True)
    # a page whose switch is the form keeps the choice the form remembered
    assert '<html lang="en">' in client.get("/login?lang=ru").get_data(as_text=True)
    # a language the site does not speak is not a choice
    assert '<html lang="en">' in client.get(f"/verify/{number}?lang=de").get_data(as_text=True)

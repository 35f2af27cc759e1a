"""A manager registers, confirms the e-mail from the mail folder, logs in, switches language, logs out."""

from __future__ import annotations

import pytest

from tests.conftest import link_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_register_confirm_login_switch_language_logout(live_server, page, mailbox):
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Регистрация").first.click()
    fields = {
        "email": "elena.morozova@cluster-test.example.org",
        "full_name_ru": "Елена Викторовна Морозова",
        "full_name_en": "Elena Morozova",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "organisation_name_ru": "АНО «Кластер устойчивого строительства»",
        "organisation_name_en": "Sustainable Construction Cluster Agency",
        "registration_number": "1207800011220",
        "region": "Новгородская область",
        "cluster_name_ru": "Кластер устойчивого строительства",
        "cluster_name_en": "Sustainable Construction Cluster",
    }
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    page.check("input[value=sustainable_construction]")
    page.get_by_role("button", name="Регистрация").click()
    page.get_by_role("heading", name="Проверьте почту").wait_for()

    (message,) = first_mail(page, mailbox)
    page.goto(live_server + link_in(message))
    page.get_by_text("Адрес подтверждён").wait_for()

    page.fill("[name=email]", fields["email"])
    page.fill("[name=password]", PASSWORD)
    page.locator("main").get_by_role("button", name="Войти").click()
    page.get_by_role("link", name="Елена Викторовна Морозова").wait_for()

    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name="Log out").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Elena Morozova").click()
    page.get_by_role("heading", name="Your account").wait_for()

    page.get_by_role("button", name="Log out").click()
    page.get_by_text("You have logged out.").wait_for()
    page.goto(f"{live_server}/account")
    page.get_by_role("heading", name="Log in").wait_for()


def first_mail(page, mailbox, attempts: int = 100) -> list:
    """The mailbox once a message is in it: the confirmation is sent after the answer (an address known
    or not answers alike, finding 10), so it may land a moment after the page has shown."""
    for _ in range(attempts):
        if messages := mailbox():
            return messages
        page.wait_for_timeout(100)
    return mailbox()

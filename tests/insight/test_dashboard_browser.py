"""Issue 17 in Chromium: a coordinator logs in, lands on the dashboard in Russian or English, reads its
charts (under the strict CSP), follows a number to its list, and the page passes axe-core's WCAG 2.2 AA."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, app_settings, live_server  # noqa: F401 (fixtures)
from tests.browser.test_accessibility import AXE, WCAG_AA
from tests.factories import PASSWORD
from tests.insight.conftest import build_pipeline

pytestmark = pytest.mark.browser

HEADINGS = {
    "ru": ("Сводка", "Заявки по статусам", "Открытые апелляции"),
    "en": ("Dashboard", "Applications by state", "Open appeals"),
}


@pytest.fixture
def world(db):
    """Built before the browser starts: Playwright's event loop would stop pyHanko's asyncio.run()."""
    return build_pipeline(db)


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def logged_in(browser, base: str, user, language: str, **options):
    """A page of a new context where `user` has logged in (landing where the app sends them) in `language`."""
    context = browser.new_context(locale="ru-RU", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login")
    page.fill("[name=email]", user.email)
    page.fill("[name=password]", PASSWORD)
    page.press("[name=password]", "Enter")
    page.wait_for_load_state()
    if language != "ru":
        page.locator(f"button[name=language][value={language}]").click()
        page.wait_for_load_state()
    return page


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_coordinator_lands_on_the_dashboard_and_follows_a_number(world, live_server, browser, language):  # noqa: F811
    page = logged_in(browser, live_server, world.coordinator, language)
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security" in message.text else 0
    )
    page.reload()
    assert page.url == f"{live_server}/insight/"
    assert page.locator("html").get_attribute("lang") == language
    title, chart, appeals = HEADINGS[language]
    assert page.get_by_role("heading", level=1).inner_text() == title
    states_chart = page.get_by_role("img", name=chart).first
    assert states_chart.is_visible() and states_chart.bounding_box()["height"] > 100
    assert page.get_by_role("heading", name=appeals).is_visible()

    in_review = page.locator("a.tally[href='/insight/applications?state=in_review']")
    number = int(in_review.inner_text())
    in_review.click()
    page.wait_for_load_state()
    assert page.locator("tr.listed").count() == number == 2
    assert refused == []
    page.context.close()


def test_the_dashboard_has_no_accessibility_violations(world, live_server, browser):  # noqa: F811
    found = {}
    for language in ("ru", "en"):
        # axe is injected as an inline script, which the app's CSP rightly refuses: bypassed for the check
        page = logged_in(browser, live_server, world.coordinator, language, bypass_csp=True)
        for path in ("/insight/", "/insight/overdue", "/insight/calibration"):
            page.goto(f"{live_server}{path}")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
            )
            for violation in result["violations"]:
                targets = [node["target"] for node in violation["nodes"][:3]]
                found.setdefault((language, path), []).append(f"{violation['id']}: {targets}")
        page.context.close()
    assert not found, found

"""Issue 17 in Chromium: a coordinator logs in and lands on the dashboard, in Russian and in English,
sees its charts (drawn under the strict CSP), follows a number to its list, opens the statistics and
their charts, and no page asks anything of another server; the pages pass axe-core's WCAG 2.2 AA."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, app_settings, live_server  # noqa: F401 (fixtures)
from tests.browser.test_accessibility import AXE, WCAG_AA
from tests.factories import PASSWORD
from tests.insight.conftest import build_pipeline
from tests.insight.decided_world import build_world

pytestmark = pytest.mark.browser

#: per language: the dashboard's heading and charts, the statistics' heading and charts
SEEN = {
    "ru": {
        "dashboard": (
            "Сводка",
            ["Заявки по статусам", "Кандидаты по этапам", "Открытые назначения по экспертам"],
        ),
        "statistics": ("Статистика", ["Заявки с решением по уровням", "Баллы экспертизы по областям"]),
    },
    "en": {
        "dashboard": (
            "Dashboard",
            ["Applications by state", "Candidates by stage", "Open assignments per assessor"],
        ),
        "statistics": ("Statistics", ["Decided applications by level", "Assessed scores by area"]),
    },
}


@pytest.fixture
def world(db):
    """The pipeline and decided applications, built before the browser starts: Playwright's event loop
    would stop pyHanko's asyncio.run()."""
    pipeline = build_pipeline(db)
    build_world(db)
    return pipeline


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


def charts_shown(page, heading: str, charts: list[str]) -> None:
    assert page.get_by_role("heading", level=1).inner_text() == heading
    for name in charts:
        chart = page.get_by_role("img", name=name).first
        assert chart.is_visible(), name
        assert chart.bounding_box()["height"] > 50, name


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_coordinator_reads_the_dashboard_and_the_statistics_without_any_outside_request(
    world,
    live_server,  # noqa: F811
    browser,
    language,
):
    page = logged_in(browser, live_server, world.coordinator, language)
    requested, refused = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: "Content Security" in message.text and refused.append(message.text))
    page.reload()
    assert page.url == f"{live_server}/insight/"
    assert page.locator("html").get_attribute("lang") == language
    charts_shown(page, *SEEN[language]["dashboard"])

    in_review = page.locator("a.tally[href='/insight/applications?state=in_review']")
    number = int(in_review.inner_text())
    in_review.click()
    page.wait_for_load_state()
    assert page.locator("tr.listed").count() == number == 2

    page.goto(f"{live_server}/insight/")
    page.locator("#statistics-link").click()
    page.wait_for_load_state()
    charts_shown(page, *SEEN[language]["statistics"])

    outside = [url for url in requested if not url.startswith((live_server, "data:"))]
    assert outside == [] and refused == []
    assert any(url.startswith(f"{live_server}/static/") for url in requested)  # the listener heard them
    page.context.close()


def test_the_dashboard_and_statistics_have_no_accessibility_violations(world, live_server, browser):  # noqa: F811
    found = {}
    for language in ("ru", "en"):
        # axe is injected as an inline script, which the app's CSP rightly refuses: bypassed for the check
        page = logged_in(browser, live_server, world.coordinator, language, bypass_csp=True)
        for path in (
            "/insight/",
            "/insight/overdue",
            "/insight/candidates",
            "/insight/calibration",
            "/insight/statistics",
        ):
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

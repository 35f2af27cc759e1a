"""The main pages of every role, checked with axe-core against WCAG 2.2 A and AA, in Russian and English.

axe-core is installed by `make setup` (tests/browser/axe, pinned by its lock file). It is injected with the
page's Content-Security-Policy bypassed: the check, not the app, needs an inline script.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from certify.accounts.models import Role
from tests import factories
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, log_in

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def world(db):
    """A draft, an application being scored, one awaiting consensus and one certified, and their people.

    Built before the browser starts: Playwright's event loop would stop pyHanko's asyncio.run().
    """
    factories.install_default_standard(db)
    certified = factories.certified(db)
    scoring = factories.in_review(db, coordinator=certified.coordinator)
    awaiting_consensus = factories.scored(db, coordinator=certified.coordinator)
    draft = factories.make_application(db, factories.make_user(db, Role.MANAGER))
    db.commit()
    return {"certified": certified, "scoring": scoring, "consensus": awaiting_consensus, "draft": draft}


def _pages(world) -> list[tuple[object, str]]:
    """(who, path): the pages people spend their time on, for each role; None is the public."""
    certified, scoring, consensus, draft = (world[k] for k in ("certified", "scoring", "consensus", "draft"))
    number = certified.certificate.number
    first_page = f"/applications/{draft.id}/pages/eligibility"
    return [
        (None, "/"),
        (None, "/login"),
        (None, "/register"),
        (None, "/verify"),
        (None, "/registry"),
        (None, f"/verify/{number}"),
        (draft.created_by, "/applications/"),
        (draft.created_by, first_page),
        (draft.created_by, f"/applications/{draft.id}/summary"),
        (certified.manager, f"/applications/{certified.application.id}/summary"),
        (certified.manager, f"/certificates/{number}"),
        (scoring.lead.assessor, "/review/assignments"),
        (scoring.lead.assessor, f"/review/assignments/{scoring.lead.id}/scores"),
        (certified.coordinator, "/review/"),
        (certified.coordinator, f"/review/applications/{scoring.application.id}"),
        (certified.coordinator, f"/review/applications/{consensus.application.id}/consensus"),
        (certified.coordinator, "/admin/audit/"),
    ]


@pytest.mark.parametrize("locale", ["ru-RU", "en-GB"])
def test_the_main_pages_have_no_accessibility_violations(live_server, world, locale):
    assert AXE.exists(), "axe-core is missing: run `make setup`"
    language = "en" if locale.startswith("en") else "ru"
    by_person: dict[object, list[str]] = {}
    for who, path in _pages(world):
        by_person.setdefault(who, []).append(path)
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for who, paths in by_person.items():  # one browser context (one login) per person
            context = browser.new_context(locale=locale, bypass_csp=True)
            page = context.new_page()
            page.set_default_timeout(15_000)
            if who is None:
                page.goto(f"{live_server}{paths[0]}")
            else:
                log_in(page, live_server, who, paths[0])
            if page.locator("html").get_attribute("lang") != language:
                page.locator(f"button[name=language][value={language}]").click()
                page.wait_for_load_state()
            for path in paths:
                page.goto(f"{live_server}{path}")
                assert page.url.split("?")[0].endswith(path), f"{path} led to {page.url}"
                page.add_script_tag(path=str(AXE))
                result = page.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
                )
                for violation in result["violations"]:
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    found.setdefault(path, []).append(f"{violation['id']} ({violation['impact']}): {targets}")
            context.close()
        browser.close()
    assert not found, "\n".join(f"{path}: {problems}" for path, problems in found.items())

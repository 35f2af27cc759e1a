"""A live server and a headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from certify.review import findings
from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium reaches out to Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def app_settings(app_settings):
    """Browser journeys run with CSRF protection on, as in production."""
    app_settings["WTF_CSRF_ENABLED"] = True
    return app_settings


@pytest.fixture
def live_server(app):
    """The app served on a free local port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="ru-RU")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def log_in(page, base: str, user, next_path: str = "/") -> None:
    """Sign `user` in through the login form and land on `next_path` (a helper the journeys import)."""
    page.goto(f"{base}/login?next={next_path}")
    page.fill("[name=email]", user.email)
    page.fill("[name=password]", PASSWORD)
    page.press("[name=password]", "Enter")
    page.wait_for_load_state()


def mark_every_file_relevant(page, db, application) -> None:
    """On the scoring page: every file attached to an indicator marked relevant (its first choice)."""
    for file_id in findings.items_of(db, application).file_ids():
        page.check(f"#file-{file_id}-0")

"""The browser journeys' live server and Chromium (tests/browser/conftest.py), for the exam pages."""

from tests.browser.conftest import app_settings, live_server, page  # noqa: F401 (fixtures)

"""Issue 12, finding 11: HSTS whenever the site runs on HTTPS (secure-only cookies)."""

from __future__ import annotations


def test_hsts_is_sent_when_cookies_are_secure(app_settings, app):
    # the tests run with SESSION_COOKIE_SECURE off (plain http://localhost), production with it on
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers
    app.config["SESSION_COOKIE_SECURE"] = True
    for url in ("/", "/login", "/does-not-exist"):
        assert app.test_client().get(url).headers["Strict-Transport-Security"] == "max-age=31536000"

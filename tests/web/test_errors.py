"""Friendly error pages; no stack trace reaches a user."""

from __future__ import annotations

import pytest


@pytest.fixture
def broken_app(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    return app


def test_an_unexpected_error_shows_a_friendly_page(broken_app):
    response = broken_app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Что-то пошло не так" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_forbidden_page(manager_client):
    response = manager_client.get("/admin/users/")
    assert response.status_code == 403
    assert "Доступ запрещён" in response.get_data(as_text=True)


def test_method_not_allowed_gets_the_generic_page(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "<html" in response.get_data(as_text=True)


def test_logged_error_paths_hide_reset_tokens(app, caplog):
    """Issue 12, finding 11: a 500's log line must not hand a usable reset link to whoever reads logs."""

    def broken(token):
        raise RuntimeError("database away")

    app.view_functions["accounts.reset_password"] = broken
    app.view_functions["accounts.confirm"] = broken
    token = "eyJ1c2VyIjoxfQ.Zx1-secret-part"
    client = app.test_client()
    for url in (f"/password/reset/{token}", f"/confirm/{token}"):
        assert client.get(url).status_code == 500
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "unhandled error on GET /password/reset/[redacted]" in logged
    assert "unhandled error on GET /confirm/[redacted]" in logged
    assert token not in logged

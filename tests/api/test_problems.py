"""Every error under /api/v1 is application/problem+json (RFC 9457), in the client's language; the rest
of the site keeps its HTML error pages."""

from __future__ import annotations

import pytest

from certify.accounts.models import Role
from tests.api.helpers import bearer, is_problem, make_token
from tests.factories import make_user


def test_an_unknown_api_address_is_a_404_problem_and_a_site_address_stays_a_page(client):
    problem = is_problem(client.get("/api/v1/nothing-here"), 404, "not-found")
    assert problem["title"] == "Не найдено"  # Russian unless asked otherwise, as the site
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "Страница не найдена" in page.get_data(as_text=True)


def test_a_method_other_than_get_is_a_405_problem_with_allow(client):
    answer = client.post("/api/v1/certificates")
    problem = is_problem(answer, 405, "method-not-allowed")
    assert "GET" in answer.headers["Allow"] and "GET" in problem["detail"]
    assert client.post("/registry").mimetype == "text/html"  # the site's 405 stays a page


def test_problems_speak_the_language_the_client_accepts(client):
    english = client.get("/api/v1/certificates?limit=0", headers={"Accept-Language": "en-GB,en;q=0.9"})
    body = is_problem(english, 400, "invalid-parameter")
    assert body["title"] == "A parameter is not valid"
    assert body["detail"] == "limit must be a whole number from 1 to 100."
    assert english.headers["Content-Language"] == "en" and "Accept-Language" in english.headers["Vary"]
    russian = is_problem(client.get("/api/v1/certificates?limit=0", headers={"Accept-Language": "ru"}), 400)
    assert russian["detail"] == "limit должен быть целым числом от 1 до 100."


def test_a_missing_or_wrong_token_is_401_and_a_missing_scope_403(db, client):
    manager = make_user(db, Role.MANAGER)
    registry_only = make_token(db, manager, "read:registry")
    own_only = make_token(db, manager, "read:own")
    db.commit()
    missing = client.get("/api/v1/me/applications")
    assert is_problem(missing, 401, "token-required")
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    for header in ("Bearer cfy_not-a-token", "Basic dXNlcjpwYXNz", "Bearer", "Bearer " + "x" * 300):
        wrong = client.get("/api/v1/me/applications", headers={"Authorization": header})
        assert is_problem(wrong, 401, "invalid-token")
        assert 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]
    # a token sent to a public endpoint must be valid too
    assert is_problem(client.get("/api/v1/certificates", headers=bearer("cfy_wrong")), 401)
    scope = client.get("/api/v1/me/applications", headers=bearer(registry_only))
    assert is_problem(scope, 403, "insufficient-scope")["scope"] == "read:own"
    assert 'scope="read:own"' in scope.headers["WWW-Authenticate"]
    public = client.get("/api/v1/certificates", headers=bearer(own_only))
    assert is_problem(public, 403, "insufficient-scope")["scope"] == "read:registry"


@pytest.fixture
def limited(app_settings):
    app_settings.update(
        RATELIMIT_ENABLED=True,
        CERTIFY_API_ANONYMOUS_RATE_LIMIT="3 per minute",
        CERTIFY_API_TOKEN_RATE_LIMIT="5 per minute",
    )


def test_past_the_limit_a_429_problem_says_how_long_to_wait(limited, db, client, app):
    for _ in range(3):
        assert client.get("/api/v1/standards").status_code == 200
    answer = client.get("/api/v1/standards")
    is_problem(answer, 429, "rate-limited")
    assert 1 <= int(answer.headers["Retry-After"]) <= 60
    # a token has a bucket of its own, larger, whatever the address
    secret = make_token(db, make_user(db, Role.MANAGER))
    db.commit()
    statuses = [client.get("/api/v1/standards", headers=bearer(secret)).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    # a wrong token buys nothing: it is counted with its address, and is answered 429 first
    assert client.get("/api/v1/standards", headers=bearer("cfy_invented")).status_code == 429


def test_an_unexpected_error_is_a_500_problem_and_is_logged(app, client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("certify.api.views.public_statistics", broken)
    monkeypatch.setattr("certify.api.views.own.applications_of", broken)
    with app.app_context():
        from certify.extensions import db

        user = make_user(db.session, Role.MANAGER)
        secret = make_token(db.session, user, "read:own")
        db.session.commit()
    answer = client.get("/api/v1/me/applications", headers=bearer(secret))
    problem = is_problem(answer, 500, "server-error")
    assert "database" not in problem["detail"]  # nothing of the failure is told to the client
    assert "unhandled error on GET /api/v1/me/applications" in caplog.text

"""`carry_out`: one service call as the request's transaction, answered the same way by every view."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import session

from certify.accounts.models import User
from certify.errors import DomainError
from certify.extensions import db
from certify.web.actions import carry_out
from tests.factories import make_user


def route(app, operation, **options):
    """A POST /act view that carries out `operation` with `options` (the app has served nothing yet)."""

    def act():
        return carry_out(operation, back_to="/back", **options)

    app.add_url_rule("/act", "act", act, methods=["POST"])


def users(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(User.id)))


def test_the_message_and_the_page_may_name_what_was_made(app, client):
    route(
        app,
        make_user_in_request,
        done=lambda user: f"made {user.email}",
        success_to=lambda user: f"/users/{user.id}",
    )
    response = client.post("/act")
    assert response.status_code == 302 and response.headers["Location"] == "/users/1"
    with client.session_transaction() as cookie:
        assert cookie["_flashes"] == [("success", "made one@certify-test.example.org")]
    assert users(app) == 1


def test_then_follows_the_commit_and_comes_before_the_message(app, client):
    seen = []

    def then(user):
        seen.append(users(app))  # another session sees the committed row
        session.clear()  # as starting a new login session does: the message must survive it

    route(app, make_user_in_request, done="done", then=then)
    client.post("/act")
    assert seen == [1]
    with client.session_transaction() as cookie:
        assert cookie["_flashes"] == [("success", "done")]


def test_answer_replaces_the_redirect(app, client):
    route(app, lambda: 42, done="never shown", answer=lambda result: (f"result {result}", 201))
    response = client.post("/act")
    assert (response.status_code, response.get_data(as_text=True)) == (201, "result 42")
    with client.session_transaction() as cookie:
        assert "_flashes" not in cookie


def test_a_refusal_undoes_everything_and_skips_then(app, client):
    def refused_after_a_change():
        make_user_in_request()
        raise DomainError("no", 422)

    route(app, refused_after_a_change, done="done", then=pytest.fail)
    response = client.post("/act")
    # See Other: a browser shows a 4xx redirect as a bare "Redirecting..." page
    assert response.status_code == 303 and response.headers["Location"] == "/back"
    assert users(app) == 0


def test_no_message_when_done_is_none(app, client):
    route(app, lambda: None, done=None)
    client.post("/act")
    with client.session_transaction() as cookie:
        assert "_flashes" not in cookie


def make_user_in_request() -> User:
    return make_user(db.session, email="one@certify-test.example.org")

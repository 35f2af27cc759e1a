"""Fixtures: an app on a fresh database per test (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from certify import create_app
from certify.accounts.models import Role
from certify.extensions import db as _db
from tests.factories import PASSWORD, make_user

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


class RequestIsolatingClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    Without this, a request made while the test holds an app context (the `db` fixture) would reuse
    that context, sharing `g` (the logged-in user) and the database session between requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


_postgres_ready = False


def settings_for_tests(tmp_path, database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "MAIL_SERVER": "",
        "MAIL_FOLDER": tmp_path / "mail",
        "CERTIFY_STORAGE": tmp_path / "storage",
        # every public lookup written at once, so a test sees its counts
        "CERTIFY_LOOKUP_FLUSH_SECONDS": 0,
        "PUBLIC_URL": "http://localhost",
    }


def _prepare_postgres(app) -> None:
    """Create the schema once per run; later tests start from emptied tables."""
    global _postgres_ready
    with app.app_context():
        if not _postgres_ready:
            _db.drop_all()
            with _db.engine.begin() as connection:
                connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            _db.create_all()
            _postgres_ready = True
        else:
            tables = ", ".join(t.name for t in _db.metadata.sorted_tables)
            with _db.engine.begin() as connection:
                connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app_settings(tmp_path) -> dict:
    """Settings of the test app; a test may change them before asking for `app`."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite'}"
    return settings_for_tests(tmp_path, url)


@pytest.fixture
def app(app_settings):
    app = create_app(app_settings)
    app.test_client_class = RequestIsolatingClient
    if TEST_DATABASE_URL:
        _prepare_postgres(app)
    else:
        with app.app_context():
            _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database session, inside an app context."""
    with app.app_context():
        yield _db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def mailbox(app):
    """The messages written to the mail folder, oldest first, as (subject, body) pairs."""
    import email
    from email.policy import default

    def read():
        folder = app.config["MAIL_FOLDER"]
        files = sorted(folder.glob("*.eml")) if folder.exists() else []
        messages = [email.message_from_bytes(f.read_bytes(), policy=default) for f in files]
        return messages

    return read


def link_in(message) -> str:
    """The path of the first link in a message's body."""
    body = message.get_content()
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def log_in(client, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture
def login(app, db):
    """`login(role)` -> a test client logged in as a new user with that role (and the user)."""

    def make(*roles: Role, **fields):
        user = make_user(db, *roles, **fields)
        db.commit()
        client = app.test_client()
        response = log_in(client, user.email)
        assert response.status_code == 302, response.data
        return client, user

    return make


@pytest.fixture
def manager_client(login):
    return login(Role.MANAGER)[0]


@pytest.fixture
def admin_client(login):
    return login(Role.ADMIN)[0]

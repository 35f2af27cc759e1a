"""Fixtures: an app on a fresh database per test (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import gc
import os
import re
import secrets
import shutil
import sys

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from certify import create_app
from certify.accounts.models import Role
from certify.extensions import db as _db
from tests.factories import PASSWORD, make_user

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")

# CPython 3.11.0-3.11.7 (Debian 12 ships 3.11.2) and 3.12.0-3.12.1 count the AST constructor's recursion
# depth in one counter per interpreter (python/cpython#106905, fixed by #113035). To show a failure, pytest
# parses the test's source file; if the garbage collector runs meanwhile and a finaliser parses Python too
# (3.11's traceback module does, to place its ^^^ markers, and so does pytest's hook for errors raised in
# finalisers, which the failed test's leftovers tend to raise), the counter goes wrong and the report dies
# as ~150 lines of INTERNALERROR "AST constructor recursion depth mismatch" that hide the failure and end
# the run. Options do not help (each tried on a reproduction): --assert=plain (the parse is for the
# traceback, not the assertion), --tb=short and --tb=line (pytest still parses), --tb=native (Python's
# traceback module parses). So before a failure is reported, the garbage is collected, its finalisers
# running outside any parse, and the collector stays paused while the report is written. Remove this
# when the project requires a fixed Python.
_AST_DEPTH_BUG = sys.version_info < (3, 11, 8) or (3, 12) <= sys.version_info < (3, 12, 2)

if _AST_DEPTH_BUG:

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(item, call):
        if call.excinfo is None:  # a pass is reported without parsing anything
            return (yield)
        gc.collect()
        enabled = gc.isenabled()
        gc.disable()
        try:
            return (yield)
        finally:
            if enabled:
                gc.enable()


class RequestIsolatingClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    Without this, a request made while the test holds an app context (the `db` fixture) would reuse
    that context, sharing `g` (the logged-in user) and the database session between requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


#: the statements that empty every table of the PostgreSQL schema, once this process has created it
_empty_postgres: str | None = None

LOW_HASH_COST = {
    "CERTIFY_ARGON2_TIME_COST": 1,
    "CERTIFY_ARGON2_MEMORY_COST": 8,
    "CERTIFY_ARGON2_PARALLELISM": 1,
}


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
        # Argon2's smallest cost: a hash takes microseconds instead of a quarter of a second, and nearly
        # every test logs someone in. tests/accounts/test_passwords.py checks the production default.
        **LOW_HASH_COST,
    }


def _prepare_postgres(app) -> None:
    """Create the schema once per process; later tests start from emptied tables.

    Emptied with DELETE, children first, and the sequences restarted, in one round trip: on tables this
    small that takes milliseconds, where TRUNCATE, which gives every table and index new files, took up
    to most of a second per test on a busy machine.
    """
    global _empty_postgres
    with app.app_context():
        if _empty_postgres is None:
            _db.drop_all()
            with _db.engine.begin() as connection:
                connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            _db.create_all()
            with _db.engine.connect() as connection:
                sequences = connection.scalars(
                    sa.text(
                        "SELECT sequence_name FROM information_schema.sequences"
                        " WHERE sequence_schema = current_schema()"
                    )
                ).all()
            _empty_postgres = "; ".join(
                [f"DELETE FROM {t.name}" for t in reversed(_db.metadata.sorted_tables)]  # noqa: S608 (model names)
                + [f"ALTER SEQUENCE {name} RESTART" for name in sequences]
            )
        else:
            with _db.engine.begin() as connection:
                connection.exec_driver_sql(_empty_postgres)


_DATABASE = sa.text(
    "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = :name"
)


def _worker_database(url: str) -> str:
    """The PostgreSQL database of this pytest-xdist worker (`test` -> `test_gw0`), created when missing.

    Each worker empties the tables before every test, so workers sharing one database would empty each
    other's. A new one gets the encoding and collation of TEST_DATABASE_URL's. Without xdist, that one.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = sa.make_url(url)
    own = base.set(database=f"{base.database}_{worker}")
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")  # CREATE DATABASE refuses a transaction
    try:
        with engine.connect() as connection:
            if not connection.scalar(_DATABASE, {"name": own.database}):
                encoding, collate, ctype = connection.execute(_DATABASE, {"name": base.database}).one()
                connection.execute(
                    sa.text(
                        f'CREATE DATABASE "{own.database}" TEMPLATE template0'
                        f" ENCODING '{encoding}' LC_COLLATE '{collate}' LC_CTYPE '{ctype}'"
                    )
                )
            # A commit need not wait for the disk: a test database need not survive a power cut.
            connection.execute(sa.text(f'ALTER DATABASE "{own.database}" SET synchronous_commit = off'))
    finally:
        engine.dispose()
    return own.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url() -> str:
    """TEST_DATABASE_URL as this worker uses it, or "" for SQLite."""
    return _worker_database(TEST_DATABASE_URL) if TEST_DATABASE_URL else ""


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory):
    """An SQLite file holding the empty schema, made once per worker: each test starts from a copy of it.

    Copying a file takes a millisecond; creating the 20-odd tables, indexes and constraints again for each
    of the ~1,000 tests took a minute of every run.
    """
    folder = tmp_path_factory.mktemp("schema")
    app = create_app(settings_for_tests(folder, f"sqlite:///{folder / 'schema.sqlite'}"))
    with app.app_context():
        _db.create_all()
        _db.engine.dispose()  # the last connection to close folds the write-ahead log into the file
    assert not (folder / "schema.sqlite-wal").exists()
    return folder / "schema.sqlite"


@pytest.fixture
def app_settings(tmp_path, database_url) -> dict:
    """Settings of the test app; a test may change them before asking for `app`."""
    url = database_url or f"sqlite:///{tmp_path / 'test.sqlite'}"
    return settings_for_tests(tmp_path, url)


@pytest.fixture(scope="session")
def s3_endpoint():
    """A real S3 HTTP API (moto's server) on a free local port, for this worker's tests of the S3 storage."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_client(s3_endpoint, monkeypatch):
    """A client of the S3 server, and boto3's credentials in the environment, where the app finds them
    (any will do for moto; an operator's own AWS settings are kept out)."""
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "certify-tests")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "certify-tests")
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    client = boto3.session.Session().client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    yield client
    client.close()


@pytest.fixture
def s3_bucket(s3_client) -> str:
    """A new, empty bucket of the test's own on the S3 server."""
    bucket = f"certify-{secrets.token_hex(8)}"
    s3_client.create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture
def s3_settings(app_settings, s3_endpoint, s3_bucket) -> dict:
    """The test app's settings with the S3 storage, on the test's bucket: ask for it before `app`."""
    app_settings.update(
        CERTIFY_STORAGE_BACKEND="s3",
        CERTIFY_S3_BUCKET=s3_bucket,
        CERTIFY_S3_PREFIX="certify",
        CERTIFY_S3_ENDPOINT_URL=s3_endpoint,
        CERTIFY_S3_REGION="us-east-1",
    )
    return app_settings


@pytest.fixture
def app(app_settings, request):
    if TEST_DATABASE_URL:
        app = create_app(app_settings)
        _prepare_postgres(app)
    else:
        database = sa.make_url(app_settings["SQLALCHEMY_DATABASE_URI"]).database
        shutil.copyfile(request.getfixturevalue("sqlite_schema"), database)
        app = create_app(app_settings)
    app.test_client_class = RequestIsolatingClient
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


# --- The factories' people at a client, and a review at work (tests/review and tests/certificates) ------


@pytest.fixture
def client_for(app):
    """`client_for(user)` -> a new test client logged in as `user`, a committed user of the factories."""

    def make(user):
        client = app.test_client()
        response = log_in(client, user.email)
        assert response.status_code == 302, response.data
        return client

    return make


@pytest.fixture
def in_review(db, client_for):
    """An application submitted and under review by two assessors (tests.factories.in_review), committed.

    (application, (lead's client, lead, lead's assignment), (second's client, second, second's assignment))
    """
    from tests import factories

    case = factories.in_review(db)
    db.commit()
    lead, second = case.lead, case.second
    return (
        case.application,
        (client_for(lead.assessor), lead.assessor, lead),
        (client_for(second.assessor), second.assessor, second),
    )

"""schemathesis against the OpenAPI document, through the app (WSGI, no server), in `make test`.

For each operation, 20 generated requests (derandomised, so every run sends the same), valid and not,
with the tokens of a manager and of a coordinator where the operation takes one, against a world with
certificates, applications of both kinds and standards. Checked: no answer is a server error, every
status is one the document lists, and every body and content type is the one it documents.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from certify import create_app
from certify.accounts.models import Role
from certify.api.openapi import document
from certify.extensions import db
from tests import factories
from tests.api.helpers import bearer, copies_of, make_token
from tests.attestation import steps
from tests.conftest import TEST_DATABASE_URL, _prepare_postgres, settings_for_tests
from tests.factories import make_application, make_user

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]
#: the scope each operation's token must hold; operations not named here are public
TOKENS = {
    "/api/v1/me/applications": "manager",
    "/api/v1/me/certificates": "manager",
    "/api/v1/statistics": "staff",
}

schema = schemathesis.openapi.from_dict(document())


@dataclass
class World:
    app: Flask
    secrets: dict[str, str]


@pytest.fixture(scope="module")
def world(tmp_path_factory, database_url, request):
    """One app for the whole module (building the world per example would take minutes), committed."""
    folder = tmp_path_factory.mktemp("schemathesis")
    app = create_app(settings_for_tests(folder, database_url or f"sqlite:///{folder / 'test.sqlite'}"))
    if TEST_DATABASE_URL:
        _prepare_postgres(app)
    else:
        shutil.copyfile(request.getfixturevalue("sqlite_schema"), folder / "test.sqlite")
    with app.app_context():
        session = db.session
        steps.install_scheme(session)
        case = factories.certified(session)
        copies_of(session, case.certificate, 3)
        manager = case.application.submitted_by
        steps.applied(session, manager)  # the manager's own attestation, beside the organisation's
        make_application(session, make_user(session, Role.MANAGER))
        secrets = {
            "manager": make_token(session, manager, "read:registry", "read:own"),
            "staff": make_token(session, case.coordinator, "read:registry", "read:statistics"),
        }
        session.commit()
    yield World(app, secrets)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_document_says(case, world):
    who = TOKENS.get(case.path)
    headers = bearer(world.secrets[who]) if who else None
    case.call_and_validate(app=world.app, headers=headers, checks=CHECKS)

"""Issue 12: hostile values posted to every form route as every role never answer 500, and a refusal
changes nothing.

The POST routes come from the app's url_map; each URL variable is filled from one world of applications
in every state (`_build`), so a new route whose variables the world cannot fill fails
`test_every_post_route_can_be_filled`. The names posted are those the route's views read (the world is
probed once per route, tests/web/hostile.py records what is asked of the form and which WTForms fields
are validated), with hostile values, files where text is expected, repeated and missing fields, unknown
ones, JSON and broken encodings.

A refusal (a 4xx, or a redirect with an error or a log-in message) must leave every table and the stored
files as they were. A success may change anything, so the world is put back after any change. CSRF is
off in tests (conftest), which is the point: this is what the views do behind it.
"""

from __future__ import annotations

import io
import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import abort, url_for
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from werkzeug.routing.converters import AnyConverter

from certify import create_app
from certify.accounts import tokens
from certify.accounts.models import Role, User
from certify.extensions import db
from certify.monitoring.models import ReportPeriod
from certify.outbox.models import OutboxMessage
from certify.questionnaire.evidence import add_evidence
from certify.questionnaire.models import EvidenceFile
from certify.questionnaire.pages import ELIGIBILITY_PAGE, has_evidence_question, pages_of
from certify.questionnaire.services import standard_of
from certify.review import clarification, staffing
from certify.standards.format import validate_standard_text
from certify.web.security import UPLOAD_FIELD
from tests import factories
from tests.conftest import (
    TEST_DATABASE_URL,
    RequestIsolatingClient,
    _prepare_postgres,
    log_in,
    settings_for_tests,
)
from tests.exams import exam_steps
from tests.factories import make_application, make_user
from tests.web.hostile import (
    ASKED,
    DEMO_PDF,
    Body,
    Recording,
    Spec,
    bodies,
    capture_forms,
    drop_saved_rows,
    fingerprint,
    restore_rows,
    save_rows,
)

ROLES = ("anonymous", "manager", "assessor", "coordinator", "admin", "candidate")
#: examples per route and role: more where the role gets past the door to the form
EXAMPLES_PAST_THE_DOOR, EXAMPLES_AT_THE_DOOR = 12, 3
#: probes per route and role before its form is taken to be out of that role's reach
PROBES = 12
MISSING_ID = 999_999


def _post_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if "POST" in r.methods), key=lambda r: r.endpoint)


POST_ENDPOINTS = [
    r.endpoint for r in _post_rules(create_app(settings_for_tests(Path(tempfile.gettempdir()), "sqlite://")))
]

#: refusals that are recorded on purpose: a failed login goes into the audit trail (issue 12, finding 7)
RECORDED_REFUSALS = {"accounts.login": {"audit_entries", "audit_chain_head"}}


def _partial_save(endpoint: str, response) -> bool:
    """A 422 that saved part of what was posted, on purpose: not a refusal.

    The autosaves keep the valid entries and name the refused ones: the questionnaire's JSON then has the
    page's new `version`, the scores' has `errors` (a refusal of the whole has a `message`). A workbook
    import saves the valid cells and lists the rest: 422 is its report (a refused upload is 400).
    """
    if endpoint == "questionnaire.upload_workbook":
        return response.status_code == 422
    answer = response.get_json(silent=True) if response.is_json else None
    saved = {"questionnaire.autosave": "version", "review.autosave_scores": "errors"}.get(endpoint)
    return isinstance(answer, dict) and saved in answer


@dataclass(repr=False)
class World:
    app: object
    storage: Path
    cookies: dict[str, str | None]
    values: dict[str, list]
    emails: list[str]
    prints: dict = field(default_factory=dict)
    tracebacks: list[str] = field(default_factory=list)
    discovered: dict = field(default_factory=dict)
    #: transactions committed on the world's engine (a request that commits none changes no table)
    commits: int = 0

    def __repr__(self) -> str:
        return f"World({self.app.config['SQLALCHEMY_DATABASE_URI']})"

    def save(self) -> None:
        with self.app.app_context():
            self.engine, self.metadata = db.engine, db.metadata
        sa.event.listen(self.engine, "commit", self._count_commit)
        save_rows(self.engine, self.metadata)
        self.prints = fingerprint(self.engine, self.metadata, self.storage)
        shutil.copytree(self.storage, self.storage.with_name("storage-saved"))

    def _count_commit(self, connection) -> None:
        self.commits += 1

    def reset(self) -> None:
        restore_rows(self.engine, self.metadata)
        shutil.rmtree(self.storage)
        shutil.copytree(self.storage.with_name("storage-saved"), self.storage)

    def client(self, role: str):
        client = self.app.test_client()
        if self.cookies[role]:
            client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], self.cookies[role])
        return client

    def choices(self, endpoint: str) -> dict[str, list]:
        """The values of each URL variable of the route: an `any(...)` rule's own, else the world's."""
        rule = next(r for r in self.app.url_map.iter_rules() if r.endpoint == endpoint)
        converters = rule._converters
        return {
            name: sorted(converters[name].items)
            if isinstance(converters[name], AnyConverter)
            else self.values.get(name, [])
            for name in sorted(rule.arguments)
        }

    def subjects(self, endpoint: str) -> list[dict]:
        """Every combination of the route's URL values."""
        choices = self.choices(endpoint)
        return [dict(zip(choices, combination, strict=True)) for combination in product(*choices.values())]

    def url(self, endpoint: str, subject: dict) -> str:
        with self.app.test_request_context():
            return url_for(endpoint, **subject)


class Traceback(logging.Handler):
    def __init__(self, world: World):
        super().__init__(logging.ERROR)
        self.world = world

    def emit(self, record):
        self.world.tracebacks.append(self.format(record))


def _build(session) -> tuple[dict[str, list], dict[str, object]]:
    """Applications of one manager in every state, the people on them, and the values of URL variables."""
    manager, coordinator = make_user(session, Role.MANAGER), make_user(session, Role.COORDINATOR)
    assessor, admin = make_user(session, Role.ASSESSOR), make_user(session, Role.ADMIN)
    bystander = make_user(session, Role.MANAGER)
    candidate = make_user(session, Role.CANDIDATE)
    people = {
        "manager": manager,
        "assessor": assessor,
        "coordinator": coordinator,
        "admin": admin,
        "candidate": candidate,
    }
    exam = exam_steps.opened(session)
    attempt = exam_steps.started(session, exam, candidate)

    def ours(state):  # the manager's: fresh assessors (an assignment bars its assessor from the organisation)
        team = [make_user(session, Role.ASSESSOR), make_user(session, Role.ASSESSOR)]
        return state(session, manager=manager, coordinator=coordinator, assessors=team)

    def assessed(state):  # the assessor's (and so another organisation's), with a second assessor
        team = [assessor, make_user(session, Role.ASSESSOR)]
        return state(session, coordinator=coordinator, assessors=team)

    certified, decided, appealed = (
        ours(factories.certified),
        ours(factories.decided),
        ours(factories.appealed),
    )
    reviewed, clarifying = ours(factories.appealed), ours(factories.in_review)
    factories.review_appeal(session, reviewed.application, coordinator)
    indicator = standard_of(clarifying.application).indicators()[0].id
    clarification.request_clarification(session, clarifying.lead, clarifying.lead.assessor, [indicator], "?")
    in_review, scored, agreed = (
        assessed(factories.in_review),
        assessed(factories.scored),
        assessed(factories.agreed),
    )
    pending, submitted = factories.submitted(session), factories.submitted(session, manager=manager)
    pending.team = staffing.assign_assessors(
        session, pending.application, [assessor, make_user(session, Role.ASSESSOR)], assessor, coordinator
    )
    draft = make_application(session, manager, answers={"str_members_total": "40"})
    standard = standard_of(draft)
    target = next(t for p in pages_of(standard) for t, _, qs in p.sections if has_evidence_question(qs))
    draft_file = add_evidence(session, draft, target, io.BytesIO(DEMO_PDF), "реестр.pdf", manager)
    certified_file = session.scalars(
        sa.select(EvidenceFile).where(EvidenceFile.application_id == certified.application.id)
    ).first()
    message = OutboxMessage(
        recipient="x@example.org", subject="—", body="—", template="t", locale="ru", status="failed"
    )
    session.add(message)
    period = ReportPeriod(
        certificate_id=certified.certificate.id,
        number=1,
        starts_on=certified.certificate.issued_on,
        due_on=certified.certificate.issued_on,
    )
    session.add(period)
    session.flush()
    cases = [
        certified,
        decided,
        appealed,
        reviewed,
        in_review,
        clarifying,
        scored,
        agreed,
        pending,
        submitted,
    ]
    values = {
        "application_id": [draft.id, *(c.application.id for c in cases), MISSING_ID],
        "page_key": [ELIGIBILITY_PAGE, pages_of(standard)[1].key, "no-such-page"],
        "target": [target, "no_such_target"],
        "file_id": [draft_file.id, certified_file.id, MISSING_ID],
        "assignment_id": [
            *(c.lead.id for c in (pending, in_review, clarifying, scored, agreed, certified)),
            in_review.second.id,
            MISSING_ID,
        ],
        "version_id": [draft.standard_version_id, MISSING_ID],
        "user_id": [bystander.id, admin.id, MISSING_ID],
        "token": [tokens.make_token(bystander, tokens.RESET), "not-a-token"],
        "number": [certified.certificate.number, "CMQ-2000-000000"],
        "message_id": [message.id, MISSING_ID],
        "exam_id": [exam.id, MISSING_ID],
        "attempt_id": [attempt.id, MISSING_ID],
        "entry_id": [MISSING_ID],
        "period_id": [period.id, MISSING_ID],
    }
    return values, people


@pytest.fixture(scope="module")
def world(tmp_path_factory, database_url, request):
    """The world, committed and saved, on an app of this module (a function-scoped `app` would rebuild it)."""
    folder = tmp_path_factory.mktemp("hostile")
    settings = settings_for_tests(folder, database_url or f"sqlite:///{folder / 'test.sqlite'}")
    if TEST_DATABASE_URL:
        app = create_app(settings)
        _prepare_postgres(app)
    else:
        shutil.copyfile(request.getfixturevalue("sqlite_schema"), folder / "test.sqlite")
        app = create_app(settings)
    app.test_client_class = RequestIsolatingClient
    app.request_class = type("RecordingRequest", (app.request_class,), {"parameter_storage_class": Recording})
    with app.app_context():
        values, people = _build(db.session)
        db.session.commit()
        emails = [user.email for user in people.values()]
    cookies = {"anonymous": None}
    for role, user in people.items():
        client = app.test_client()
        assert log_in(client, user.email).status_code == 302
        cookies[role] = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    world = World(app, Path(settings["CERTIFY_STORAGE"]), cookies, values, emails)
    world.storage.mkdir(parents=True, exist_ok=True)
    world.save()
    handler = Traceback(world)
    logging.getLogger("certify.web.errors").addHandler(handler)
    yield world
    logging.getLogger("certify.web.errors").removeHandler(handler)
    sa.event.remove(world.engine, "commit", world._count_commit)
    drop_saved_rows(world.engine, world.metadata)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def attempt(world: World, endpoint: str, role: str, subject: dict, body: Body) -> tuple[int, set[str]]:
    """Post `body` as `role`; check: no 500, and a refusal changed nothing. (status, the names asked)"""
    url = world.url(endpoint, subject)
    client = world.client(role)
    ASKED.clear()
    world.tracebacks.clear()
    commits = world.commits
    response = client.post(url, **body.client_kwargs())
    response.close()
    # the test client spools a body over 500 KB to a temporary file, which nothing else closes
    response.request.environ["wsgi.input"].close()
    asked = set(ASKED)
    # a request that committed nothing changed no table: only then are they read again
    after = fingerprint(world.engine, world.metadata, world.storage, tables=world.commits != commits)
    changed = {name for name, value in after.items() if value != world.prints[name]}
    try:
        assert response.status_code < 500, (role, url, body, response.status_code, world.tracebacks)
        refusal = _refusal(endpoint, client, response)
        unexpected = changed - RECORDED_REFUSALS.get(endpoint, set())
        assert not (refusal and unexpected), (role, url, body, refusal, sorted(unexpected))
    finally:
        if changed:
            world.reset()
    return response.status_code, asked


def _refusal(endpoint: str, client, response) -> str | None:
    """Why the response is a refusal, or None for a success (which may change anything)."""
    status = response.status_code
    if 400 <= status < 500:
        return None if _partial_save(endpoint, response) else f"answered {status}"
    if status in (301, 302, 303, 307, 308):
        with client.session_transaction() as session:
            categories = {category for category, _ in session.get("_flashes", [])}
        if categories & {"danger", "warning"}:  # an error, or "please log in"
            return f"sent back with a {'/'.join(sorted(categories))} message"
    return None


def discover(world: World, endpoint: str) -> tuple[dict[str, Spec], set[str]]:
    """The names the route's views read (with their fields' types and choices), and the roles that got
    as far as reading any: probed with a body that names nothing they read, then with sane values."""
    if endpoint in world.discovered:
        return world.discovered[endpoint]
    specs: dict[str, Spec] = {}
    past_the_door: set[str] = set()

    def learn(asked: set[str], fields: dict[str, Spec]) -> None:
        specs.update({name: fields.get(name, Spec()) for name in asked - {"_probe"} if name not in specs})

    for role in ROLES:
        for subject in world.subjects(endpoint)[:PROBES]:
            with capture_forms() as fields:
                status, asked = attempt(world, endpoint, role, subject, Body("form", {"_probe": "1"}))
            if asked - {"_probe"}:
                first = not past_the_door
                past_the_door.add(role)
                if past_the_door != {role}:  # the first role in learns the names of every subject
                    break
                learn(asked, fields)
                if first:  # and what is read once the form is valid
                    with capture_forms() as fields:
                        _, asked = attempt(world, endpoint, role, subject, Body("form", _sane(specs)))
                    learn(asked, fields)
            elif status in (302, 303, 403):  # the door: a role check or the log-in, whatever the subject
                break
    world.discovered[endpoint] = specs, past_the_door
    return specs, past_the_door


def _sane(specs: dict[str, Spec]) -> dict:
    """A plausible value for each name: its last choice (the first is often "none"), a file, or "1"."""

    def value(spec: Spec):
        if spec.kind == "FileField":
            return (DEMO_PDF, "evidence.pdf")
        return spec.choices[-1] if spec.choices else "1"

    return {name: value(spec) for name, spec in specs.items()}


@pytest.mark.parametrize("body", [False, [1, 2], {"current_password": 5}, {"password": {"a": None}}])
def test_a_json_body_is_refused_not_answered_500(manager_client, body):
    """Flask-WTF hands a JSON body to the form: a number or an object where text is expected was a 500."""
    assert manager_client.post("/account", json=body).status_code == 415


@pytest.mark.parametrize("name", ["current_password", "password"])
def test_a_file_sent_as_a_text_field_is_refused_not_answered_500(manager_client, name):
    """Flask-WTF offers each uploaded file to the field of its name: a text field's validators got a file."""
    upload = {name: (io.BytesIO(b"Tundra-Lighthouse-48"), "password.txt")}
    assert manager_client.post("/account", data=upload, content_type="multipart/form-data").status_code == 400


def test_a_standard_file_with_control_characters_is_reported_not_answered_500(admin_client):
    """PyYAML refuses a control character before it reads anything, with an error the reader missed."""
    upload = {"file": (io.BytesIO(b"code: cmq\nversion: '1.\x03'\n"), "standard.yaml")}
    response = admin_client.post("/admin/standards/import", data=upload, content_type="multipart/form-data")
    assert response.status_code == 422
    assert validate_standard_text(b"code: cmq\nversion: '1.\x03'\n")[0].line == 2


def test_the_check_catches_a_refusal_that_changed_something(world, monkeypatch):
    """The check itself: a view that commits a change and then answers 400 fails it."""

    def commit_then_refuse():
        db.session.execute(sa.update(User).values(full_name_en="Changed"))
        db.session.commit()
        abort(400)

    monkeypatch.setitem(world.app.view_functions, "web.set_language", commit_then_refuse)
    with pytest.raises(AssertionError, match="users"):
        attempt(world, "web.set_language", "manager", {}, Body("form", {"language": "en"}))
    assert fingerprint(world.engine, world.metadata, world.storage) == world.prints  # and it was put back


def test_every_post_route_can_be_filled(world):
    """A new POST route whose URL variables the world cannot fill must get values in `_build`."""
    unfilled = {
        (endpoint, name)
        for endpoint in POST_ENDPOINTS
        for name, values in world.choices(endpoint).items()
        if not values
    }
    assert unfilled == set()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_hostile_forms_never_answer_500_and_change_nothing_on_refusal(world, endpoint, role):
    specs, past_the_door = discover(world, endpoint)
    assert {name for name, spec in specs.items() if spec.kind == "FileField"} <= {UPLOAD_FIELD}, (
        "uploads are taken under one name only (certify/web/security.py)"
    )
    subjects = world.subjects(endpoint)
    examples = EXAMPLES_PAST_THE_DOOR if role in past_the_door else EXAMPLES_AT_THE_DOOR

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(subject=st.sampled_from(subjects), body=bodies(specs, world.emails))
    def post(subject, body):
        note(f"{role} POST {world.url(endpoint, subject)} {body!r}")
        attempt(world, endpoint, role, subject, body)

    post()

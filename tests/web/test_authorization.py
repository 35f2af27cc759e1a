"""Every route, walked with every role (and with the wrong organisation or assignment).

Each endpoint is classified below; a new route that is not classified fails the first test, so its
access rule has to be decided explicitly.
"""

from __future__ import annotations

import io

import pytest

from certify.accounts.models import Role
from certify.monitoring.models import ReportPeriod
from certify.outbox.models import OutboxMessage
from certify.questionnaire.evidence import add_evidence
from tests import factories
from tests.conftest import log_in
from tests.exams import exam_steps
from tests.factories import make_application, make_user
from tests.questionnaire.test_services import MINIMAL_PDF

ACTORS = ("anonymous", "owner", "stranger", "assessor", "outsider", "coordinator", "admin", "candidate")
EVERYONE = set(ACTORS)
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF = {"coordinator", "admin"}
#: the application is decided, so its assessor's access has ended (issue 12, finding 4; the window itself,
#: from confirmed independence to the decision, is walked in tests/review/test_access_window.py)
VIEWERS = {"owner"} | STAFF

#: (endpoint, method) -> the actors allowed
RULES = {
    ("web.index", "GET"): EVERYONE,
    ("web.set_language", "POST"): EVERYONE,
    ("static", "GET"): EVERYONE,
    ("bootstrap.static", "GET"): EVERYONE,
    ("accounts.login", "GET"): EVERYONE,
    ("accounts.register", "GET"): EVERYONE,
    ("accounts.forgot_password", "GET"): EVERYONE,
    ("accounts.resend_confirmation", "GET"): EVERYONE,
    ("accounts.confirm", "GET"): EVERYONE,
    ("accounts.reset_password", "GET"): EVERYONE,
    ("accounts.account", "GET"): SIGNED_IN,
    ("accounts.create_token", "POST"): SIGNED_IN,
    ("accounts.revoke_token", "POST"): SIGNED_IN,
    ("api.certificates", "GET"): EVERYONE,
    ("api.certificate", "GET"): EVERYONE,
    ("api.standards", "GET"): EVERYONE,
    ("api.standard_version", "GET"): EVERYONE,
    ("api.monitoring", "GET"): EVERYONE,
    ("api.openapi", "GET"): EVERYONE,
    ("api.docs", "GET"): EVERYONE,
    # read with a personal token only (tests/api): a session cookie opens none of them
    ("api.my_applications", "GET"): set(),
    ("api.my_certificates", "GET"): set(),
    ("api.statistics", "GET"): set(),
    ("accounts.logout", "POST"): EVERYONE,
    ("questionnaire.index", "GET"): {"owner", "stranger"},
    ("questionnaire.start", "POST"): {"owner", "stranger"},
    ("questionnaire.page", "GET"): VIEWERS,
    ("questionnaire.summary", "GET"): VIEWERS,
    ("questionnaire.receipt", "GET"): VIEWERS,
    ("questionnaire.download_workbook", "GET"): VIEWERS,
    ("questionnaire.download_evidence", "GET"): VIEWERS,
    ("questionnaire.visibility", "POST"): VIEWERS,
    ("questionnaire.save", "POST"): {"owner"},
    ("questionnaire.autosave", "POST"): {"owner"},
    ("questionnaire.upload_evidence", "POST"): {"owner"},
    ("questionnaire.remove_evidence", "POST"): {"owner"},
    ("questionnaire.upload_workbook", "POST"): {"owner"},
    ("questionnaire.submit", "POST"): {"owner"},
    ("questionnaire.submit_practical", "POST"): {"owner"},
    ("questionnaire.answer_clarification", "POST"): {"owner"},
    ("questionnaire.appeal", "POST"): {"owner"},
    ("review.queue", "GET"): STAFF,
    ("review.team", "GET"): STAFF,
    ("review.assign", "POST"): STAFF,
    ("review.start", "POST"): STAFF,
    ("review.assignments", "GET"): {"assessor", "outsider"},
    ("review.conflicts", "GET"): {"assessor", "outsider"},
    ("review.confirm", "POST"): {"assessor"},
    ("review.decline", "POST"): {"assessor"},
    ("review.scores", "GET"): set(),
    ("review.autosave_scores", "POST"): set(),
    ("review.request_clarification", "POST"): set(),
    ("review.consensus", "GET"): STAFF,
    # the application is not under appeal: there is no appeal panel's consensus for anyone to see (the
    # panel's lead and staff open it under appeal: tests/review/test_person_appeal.py)
    ("review.appeal_consensus", "GET"): set(),
    ("review.decision", "POST"): {"coordinator"},
    ("review.third_assessor", "POST"): STAFF,
    ("review.appeal_assessor", "POST"): STAFF,
    ("review.appeal_decision", "POST"): {"coordinator"},
    ("standards.index", "GET"): STAFF,
    ("standards.preview", "GET"): STAFF,
    ("standards.import_version", "POST"): {"admin"},
    ("standards.change_status", "POST"): {"admin"},
    ("audit.index", "GET"): STAFF,
    ("certificates.verify", "GET"): EVERYONE,
    ("certificates.verify_form", "GET"): EVERYONE,
    ("certificates.registry", "GET"): EVERYONE,
    ("certificates.pdf", "GET"): {"owner"} | STAFF,
    ("certificates.report", "GET"): {"owner"} | STAFF,
    ("certificates.credential", "GET"): EVERYONE,
    ("certificates.status_list", "GET"): EVERYONE,
    ("certificates.issuer_profile", "GET"): EVERYONE,
    ("certificates.change_status", "POST"): {"coordinator"},
    ("certificates.index", "GET"): STAFF,
    ("certificates.mine", "GET"): {"owner", "stranger", "candidate"},
    ("certificates.detail", "GET"): {"owner"} | STAFF,
    ("certificates.correct", "POST"): {"coordinator"},
    ("accounts_admin.users", "GET"): {"admin"},
    ("accounts_admin.create_user", "GET"): {"admin"},
    ("accounts_admin.edit_user", "GET"): {"admin"},
    ("outbox.index", "GET"): {"admin"},
    ("outbox.retry_message", "POST"): {"admin"},
    ("insight.candidates", "GET"): STAFF,
    # the world's certificate is an organisation's: a CPD record and a renewal are only a person's
    ("attestation.cpd_record", "GET"): set(),
    ("attestation.record_cpd", "POST"): set(),
    ("attestation.edit_cpd", "GET"): set(),
    ("attestation.update_cpd", "POST"): set(),
    ("attestation.delete_cpd", "POST"): set(),
    ("attestation.renewal_page", "GET"): set(),
    ("attestation.start_renewal", "POST"): set(),
    ("attestation.renewal_check", "GET"): set(),
    ("exams.index", "GET"): {"owner", "stranger", "candidate"},
    ("exams.start", "POST"): {"owner", "stranger", "candidate"},
    ("exams.attempt", "GET"): {"candidate"},
    ("exams.save", "POST"): {"candidate"},
    ("exams.submit", "POST"): {"candidate"},
    ("exams.status", "GET"): {"candidate"},
    ("exams.result", "GET"): {"candidate"},
    ("insight.dashboard", "GET"): STAFF,
    ("insight.applications", "GET"): STAFF,
    ("insight.overdue", "GET"): STAFF,
    ("insight.assignments", "GET"): STAFF,
    ("insight.certificates", "GET"): STAFF,
    ("insight.reports", "GET"): STAFF,
    # the manager's own organisation's yearly reports; starting one, only on the holder's own certificate
    ("monitoring.reports", "GET"): {"owner", "stranger"},
    ("monitoring.start", "POST"): {"owner"},
    # a yearly report's review is its assessor's; the world's assignment is an application's, so nobody
    ("monitoring.review", "GET"): set(),
    ("monitoring.accept", "POST"): set(),
    ("monitoring.clarify", "POST"): set(),
    # the body's monitoring view and its workbook; an organisation's yearly results, for the body and the
    # organisation's own managers (the world's application is the owner's)
    ("monitoring.overview", "GET"): STAFF,
    ("monitoring.workbook", "GET"): set(),  # staff only, and 404 until a yearly report is accepted
    ("monitoring.trends", "GET"): {"owner"} | STAFF,
    ("insight.calibration", "GET"): STAFF,
    ("insight.statistics", "GET"): STAFF,
    ("insight.export_applications", "GET"): STAFF,
    ("insight.export_certificates", "GET"): STAFF,
    ("insight.export_calibration", "GET"): STAFF,
    ("insight.export_audit", "GET"): STAFF,
    ("attestation.index", "GET"): {"owner", "stranger", "candidate"},
    # the world's standard and application are an organisation's: every actor is refused (a person's
    # application is walked in tests/attestation/test_journey.py)
    ("attestation.consent", "GET"): set(),
    ("attestation.apply", "POST"): set(),
    ("attestation.admission", "GET"): set(),
    ("attestation.admit", "POST"): set(),
    ("attestation.return_for_completion", "POST"): set(),
    ("attestation.status", "GET"): set(),
    ("attestation.retake", "POST"): set(),
    ("attestation.close_theory_failed", "POST"): set(),
    ("exams.staff_index", "GET"): STAFF,
    ("exams.staff_exam", "GET"): STAFF,
    ("exams.staff_attempt", "GET"): STAFF,
    ("exams.statistics", "GET"): STAFF,
    ("exams.statistics_export", "GET"): STAFF,
    ("exams.decide_item", "POST"): STAFF,
    ("exams.angoff", "GET"): STAFF,
    ("exams.record_judge", "POST"): STAFF,
    ("exams.adopt_pass_mark", "POST"): STAFF,
}
#: the API's endpoints that answer a personal token only: without one, 401 for everyone
TOKEN_ONLY = {"api.my_applications", "api.my_certificates", "api.statistics"}
#: methods of an endpoint that the walk does not repeat (the same rule as the GET)
COVERED_BY_GET = {
    "certificates.verify_form",
    "accounts.login",
    "accounts.register",
    "accounts.forgot_password",
    "accounts.resend_confirmation",
    "accounts.reset_password",
    "accounts.account",
    "accounts_admin.create_user",
    "accounts_admin.edit_user",
    "review.conflicts",
    "review.scores",
    "review.consensus",
    "review.appeal_consensus",
}


def test_every_route_has_an_access_rule(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if not (method == "POST" and rule.endpoint in COVERED_BY_GET)
    }
    assert routes - set(RULES) == set()
    assert set(RULES) - routes == set()


@pytest.fixture
def world(app, db):
    """An application certified after its review, its evidence, its assignment, and a client per actor.

    Certified, so that one application answers every route: its scores and consensus can be compared,
    its report and certificate exist. The assessor leads its team of two.
    """
    owner = make_user(db, Role.MANAGER)
    application = make_application(db, owner, answers={"str_members_total": "40"})
    evidence = add_evidence(db, application, "str_members", io.BytesIO(MINIMAL_PDF), "реестр.pdf", owner)
    assessor = make_user(db, Role.ASSESSOR)
    case = factories.certified(
        db, application=application, assessors=[assessor, make_user(db, Role.ASSESSOR)]
    )
    coordinator, (assignment, _), certificate = case.coordinator, case.team, case.certificate
    message = OutboxMessage(
        recipient="x@example.org", subject="—", body="—", template="t", locale="ru", status="failed"
    )
    db.add(message)
    period = ReportPeriod(
        certificate_id=certificate.id, number=1, starts_on=certificate.issued_on, due_on=certificate.issued_on
    )
    db.add(period)
    users = {
        "owner": owner,
        "stranger": make_user(db, Role.MANAGER),
        "assessor": assessor,
        "outsider": make_user(db, Role.ASSESSOR),
        "coordinator": coordinator,
        "admin": make_user(db, Role.ADMIN),
        "candidate": make_user(db, Role.CANDIDATE),
    }
    exam = exam_steps.opened(db)
    attempt = exam_steps.started(db, exam, users["candidate"])
    db.commit()
    clients = {"anonymous": app.test_client()}
    for name, user in users.items():
        clients[name] = app.test_client()
        assert log_in(clients[name], user.email).status_code == 302
    values = {
        "application_id": application.id,
        "page_key": "str",
        "target": "str_members",
        "file_id": evidence.id,
        "assignment_id": assignment.id,
        "version_id": application.standard_version_id,
        "user_id": owner.id,
        "token": "not-a-token",
        "code": "cmq",
        "version": "1.0",
        "operation": "retire",
        "filename": "css/certify.css",
        "number": certificate.number,
        "action": "suspend",
        "purpose": "revocation",
        "message_id": message.id,
        "exam_id": exam.id,
        "attempt_id": attempt.id,
        "entry_id": 1,
        "period_id": period.id,
        "organisation_id": owner.organisation_id,
    }
    return clients, values


def _url(app, endpoint: str, values: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    if endpoint == "bootstrap.static":
        values = {**values, "filename": "css/bootstrap.min.css"}
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{name: values[name] for name in rule.arguments})


@pytest.mark.parametrize(("endpoint", "method"), sorted(RULES))
def test_each_actor_gets_the_right_answer(app, world, endpoint, method):
    clients, values = world
    url = _url(app, endpoint, values)
    for actor in ACTORS:
        response = clients[actor].open(url, method=method, data={})
        response.close()
        status = response.status_code
        assert status < 500, (actor, url, status)
        if endpoint in TOKEN_ONLY:
            assert status == 401, (actor, url, status)
            continue
        if actor in RULES[(endpoint, method)]:
            assert status not in (401, 403, 404) or endpoint in (
                "accounts.confirm",
                "accounts.reset_password",
            ), (
                actor,
                url,
                status,
            )
            if method == "GET" and endpoint not in ("accounts.confirm", "accounts.reset_password"):
                assert status < 400, (actor, url, status)
        elif actor == "anonymous":
            assert status in (302, 404), (actor, url, status)
            if status == 302:
                assert "/login" in response.headers["Location"], (actor, url)
        else:
            assert status in (403, 404), (actor, url, status)

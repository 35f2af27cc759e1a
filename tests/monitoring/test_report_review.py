"""A yearly report's review on a real database: one assessor, who accepts it or asks the manager to
clarify pages; accepting compares the figures with the year before and the certified level, stores each
flag with the KPI and the threshold, and e-mails the coordinators once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.audit.models import AuditEntry
from certify.monitoring import filing
from certify.monitoring.models import ReportFlag, ReportPeriod
from certify.monitoring.report import core_question_id
from certify.monitoring.review import accept_report
from certify.monitoring.schedule import schedule_certificate
from certify.outbox.models import OutboxMessage
from certify.questionnaire import services as questionnaire
from certify.questionnaire.models import Answer
from certify.review import staffing
from certify.review.clarification import answer_clarification
from certify.transitions import TransitionError
from certify.workflow import State
from tests import factories
from tests.monitoring.test_filing import core_figures, html


def filed(db, case, period, **changed):
    """The period's report started, every figure answered (core figures as `core_figures`), submitted."""
    report = filing.start_report(db, period, case.manager, date.today())
    answers = core_figures(**changed)
    for question in questionnaire.standard_of(report).all_questions():
        if question.type != "evidence":
            answers.setdefault(question.id, "100")
    db.execute(sa.delete(Answer).where(Answer.application_id == report.id))  # the baselines carried over
    db.add_all(
        Answer(application_id=report.id, question_id=qid, value=value) for qid, value in answers.items()
    )
    db.flush()
    questionnaire.submit_application(db, report, case.manager)
    return report


@pytest.fixture
def reviewed(db):
    """A certified organisation on cmq 1.2 whose first report is accepted, the second submitted and
    under review by one assessor (committed)."""
    factories.install_default_standard(db, "1.2")
    case = factories.certified(db)
    (first,) = schedule_certificate(db, case.certificate)
    first.starts_on, first.due_on = date.today() - timedelta(days=400), date.today() - timedelta(days=35)
    second = ReportPeriod(
        certificate_id=case.certificate.id,
        number=2,
        starts_on=first.due_on,
        due_on=date.today() + timedelta(days=5),
    )
    db.add(second)
    db.flush()
    assessor = factories.make_user(db, Role.ASSESSOR)
    earlier = filed(db, case, first)
    (assignment,) = factories.start_review(db, earlier, case.coordinator, [assessor])
    accept_report(db, assignment, assessor)
    case.report = filed(db, case, second, participants="12", investment_attracted="50000000")
    # another assessor: whoever reviewed the organisation in the last 3 years does not review it again
    case.assessor = factories.make_user(db, Role.ASSESSOR)
    (case.assignment,) = factories.start_review(db, case.report, case.coordinator, [case.assessor])
    db.commit()
    return case


def test_a_report_has_one_assessor(db):
    factories.install_default_standard(db, "1.2")
    case = factories.certified(db)
    (period,) = schedule_certificate(db, case.certificate)
    period.due_on = date.today()
    report = filed(db, case, period)
    two = [factories.make_user(db, Role.ASSESSOR) for _ in range(2)]
    with pytest.raises(TransitionError) as refused:
        staffing.assign_assessors(db, report, two, two[0], case.coordinator)
    assert "не более 1" in str(refused.value)


def test_the_assessor_sees_the_figures_beside_the_year_before_and_the_flags_accepting_would_raise(
    db, reviewed, client_for
):
    client = client_for(reviewed.assessor)
    response = client.get(f"/review/assignments/{reviewed.assignment.id}/scores")
    assert response.status_code == 303  # a report is reviewed, not scored
    page = html(client.get(response.headers["Location"]))
    assert "Участники кластера" in page and "−70,0 %" in page or "-70.0 %" in page
    assert "Принять отчёт" in page
    assert "12 против 40 годом ранее" in page  # the worsening flag, before accepting


def test_accepting_stores_each_flag_with_its_threshold_and_tells_the_coordinators_once(
    db, reviewed, client_for
):
    client = client_for(reviewed.assessor)
    response = client.post(f"/monitoring/assignments/{reviewed.assignment.id}/accept", follow_redirects=True)
    assert response.status_code == 200
    db.expire_all()
    report = db.get(type(reviewed.report), reviewed.report.id)
    assert report.state == State.ACCEPTED
    raised = {
        (row.kind, row.kpi): row
        for row in db.scalars(sa.select(ReportFlag).where(ReportFlag.application_id == report.id))
    }
    worsened = raised["worsened", "participants"]
    assert (worsened.value, worsened.threshold, worsened.allowed_percent) == (
        Decimal(12),
        Decimal(40),
        Decimal(20),
    )
    below = raised["below_level", "participants"]
    assert below.threshold == Decimal(15)
    assert ("worsened", "investment_attracted") in raised
    (mail,) = db.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.template == "monitoring_report_flagged")
    )
    assert mail.recipient == reviewed.coordinator.email
    assert "Участники кластера: 12 против 40 годом ранее" in mail.body
    entry = db.scalar(
        sa.select(AuditEntry)
        .where(AuditEntry.action == "monitoring.report_accepted")
        .order_by(AuditEntry.id.desc())
    )
    assert "worsened: participants" in entry.after["flags"]
    # the assignment is done: the report is no longer its assessor's to accept
    again = client.post(f"/monitoring/assignments/{reviewed.assignment.id}/accept")
    assert again.status_code == 404
    assert db.scalar(
        sa.select(sa.func.count()).select_from(ReportFlag).where(ReportFlag.application_id == report.id)
    ) == len(raised)


def test_a_clarification_opens_only_the_pages_named_and_the_answer_returns_the_report_to_its_assessor(
    db, reviewed, client_for
):
    client = client_for(reviewed.assessor)
    url = f"/monitoring/assignments/{reviewed.assignment.id}"
    refused = client.post(f"{url}/clarification", data={"indicators": ["report_core"], "question": ""})
    assert refused.status_code == 422
    response = client.post(
        f"{url}/clarification",
        data={"indicators": ["report_core"], "question": "Почему участников стало 12?"},
    )
    assert response.status_code == 302
    db.expire_all()
    report = db.get(type(reviewed.report), reviewed.report.id)
    assert report.state == State.CLARIFICATION_REQUESTED
    manager = client_for(reviewed.manager)
    save = manager.post(
        f"/applications/{report.id}/pages/report_core",
        data={"version": "0", **core_figures(participants="38")},
    )
    assert save.status_code in (302, 303), (save.status_code, html(save)[html(save).find("alert") :][:1500])
    answer_clarification(db, report, reviewed.manager, "Опечатка: участников 38.")
    db.commit()
    assert questionnaire.load_answers(db, report)[core_question_id("participants")] == "38"
    page = html(client.get(url))
    assert "Принять отчёт" in page and "12 против 40" not in page

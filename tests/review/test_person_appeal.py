"""A candidate's appeal: lodged by the candidate once within 30 days, heard by a panel of examiners who did
not examine the case and settle it in their own consensus, decided with its own written conclusion
(issue 16; SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import format_date

from certify.accounts.models import Role, UserRole
from certify.attestation import stages
from certify.audit.models import AuditEntry
from certify.insight import candidates as people
from certify.questionnaire.services import standard_of
from certify.review import appeals, comparison, decisions, queue, rubric_scores, staffing
from certify.review.errors import ReviewError
from certify.review.models import Appeal, Decision
from certify.standards.format import LIBRARY, load_standard_file
from certify.storage import REPORTS
from certify.timeutil import as_utc
from certify.transitions import TransitionError, appeal_period
from certify.workflow import State
from tests import factories
from tests.attestation import steps
from tests.attestation.theory_steps import admitted, practical_submitted, sit
from tests.factories import make_organisation, make_user
from tests.review.consensus_steps import check_and_record, consensus_data
from tests.stored import stored_path


@pytest.fixture
def decided(db):
    """A candidate of an organisation, not attested on their examiners' consensus: (application, the
    examiners, the coordinator who decided)."""
    steps.install_scheme(db)
    application = admitted(db, user=steps.candidate(db, organisation=make_organisation(db)))
    sit(db, application, passed=True)
    practical_submitted(db, application)
    team = [make_user(db, Role.ASSESSOR) for _ in range(2)]
    coordinator = make_user(db, Role.COORDINATOR)
    factories.start_review(db, application, coordinator, team)
    factories.agree(db, application, 1)
    decisions.decide(
        db,
        application,
        coordinator,
        chosen_level=None,
        reasons="Практическая часть ниже порога",
        justification="",
        conclusion=conclusion_of(application, "ниже порога"),
    )
    db.commit()
    return application, team, coordinator


def conclusion_of(application, result: str) -> dict:
    areas = {area.id: f"{area.id}: {result}" for area in standard_of(application).areas}
    return {"areas": areas, "recommendations": f"Рекомендации: {result}"}


def lodge(client, application, grounds: str = "Экзаменаторы не учли кейс"):
    return client.post(f"/applications/{application.id}/appeal", data={"grounds": grounds})


def test_the_candidate_lodges_the_appeal_once_and_nobody_else_may(db, decided, client_for):
    application, _, _ = decided
    manager = make_user(db, Role.MANAGER, organisation=application.organisation)
    db.commit()
    assert lodge(client_for(manager), application).status_code == 404
    status = client_for(application.candidate).get(f"/attestation/applications/{application.id}")
    assert f"/applications/{application.id}/summary" in status.get_data(as_text=True)  # "Appeal the decision"

    assert lodge(client_for(application.candidate), application).status_code in (302, 303)
    db.expire_all()
    assert application.state == State.APPEALED
    appeal = db.scalar(sa.select(Appeal).where(Appeal.application_id == application.id))
    assert appeal.lodged_by_id == application.candidate_id and appeal.grounds == "Экзаменаторы не учли кейс"
    with pytest.raises(TransitionError):
        appeals.lodge_appeal(db, application, application.candidate, "Ещё раз")


def test_an_appeal_after_30_days_is_refused_with_the_deadline(db, decided, client_for):
    application, _, _ = decided
    decision = db.scalar(sa.select(Decision).where(Decision.application_id == application.id))
    decision.decided_at = decision.decided_at - timedelta(days=31)
    db.commit()
    refused = lodge(client_for(application.candidate), application)
    assert refused.status_code in (409, 422)
    db.expire_all()
    assert application.state == State.NOT_CERTIFIED


def test_no_examiner_of_the_case_sits_on_the_appeal_nor_decides_it(db, decided):
    application, team, coordinator = decided
    appeals.lodge_appeal(db, application, application.candidate, "Экзаменаторы не учли кейс")
    for examiner in team:
        with pytest.raises(TransitionError):
            appeals.assign_appeal_assessor(db, application, coordinator, examiner)
    assignment = factories.review_appeal(db, application, coordinator, value=4)
    assert assignment.assessor_id not in {e.id for e in team}
    team[0].role_rows.append(UserRole(role=Role.COORDINATOR.value))  # an examiner later joins the staff
    db.flush()
    with pytest.raises(TransitionError):
        appeals.decide_appeal(
            db, application, team[0], chosen_level="attested", reasons="Кейс решён", justification=""
        )


def test_the_appeal_decision_needs_and_stores_its_own_conclusion(db, decided, client_for):
    application, _, coordinator = decided
    first_name = application.report_name
    appeals.lodge_appeal(db, application, application.candidate, "Экзаменаторы не учли кейс")
    factories.review_appeal(db, application, coordinator, value=1)
    with pytest.raises(ReviewError):
        appeals.decide_appeal(
            db, application, coordinator, chosen_level=None, reasons="Решение оставлено", justification=""
        )
    decision = appeals.decide_appeal(
        db,
        application,
        coordinator,
        chosen_level=None,
        reasons="Решение оставлено",
        justification="",
        conclusion=conclusion_of(application, "подтверждено на апелляции"),
    )
    db.commit()
    assert decision.on_appeal and decision.conclusion == conclusion_of(
        application, "подтверждено на апелляции"
    )
    assert application.report_decision_id == decision.id and application.report_name != first_name
    assert stored_path(REPORTS, first_name).exists()  # the first decision's conclusion, as it was
    page = client_for(application.candidate).get(f"/attestation/applications/{application.id}")
    assert "Рекомендации: подтверждено на апелляции" in page.get_data(as_text=True)


def test_the_appeal_period_is_the_scheme_s():
    cma = load_standard_file(LIBRARY / "cma-1.0.yaml")
    assert appeal_period(cma) == cma.attestation.procedure.appeal_days == 30
    procedure = replace(cma.attestation.procedure, appeal_days=21)
    assert appeal_period(replace(cma, attestation=replace(cma.attestation, procedure=procedure))) == 21
    assert appeal_period(load_standard_file(LIBRARY / "cmq-1.3.yaml")) == 30


def test_the_appeal_is_decided_within_the_scheme_s_days_and_the_queue_says_by_when(db, decided, app):
    application, _, coordinator = decided
    appeals.lodge_appeal(db, application, application.candidate, "Экзаменаторы не учли кейс")
    lodged = db.scalar(sa.select(Appeal.lodged_at).where(Appeal.application_id == application.id))
    due = as_utc(lodged).date() + timedelta(days=30)
    assert stages.appeal_decision_due(db, application) == due
    with app.test_request_context():
        step = queue.next_step(db, coordinator, application)
    assert format_date(due) in step.note
    row = next(row for row in people.candidates(db) if row.application.id == application.id)
    assert (row.stage, row.deadline, row.due) == (people.Stage.APPEALED, people.PersonDeadline.APPEAL, due)
    assert not row.overdue(due) and row.overdue(due + timedelta(days=1))


def test_a_panel_of_two_hears_the_appeal_and_it_is_decided_on_their_own_consensus(db, decided, client_for):
    application, _, coordinator = decided
    reviewed = {i: row.score for i, row in comparison.consensus_of(db, application).items()}
    appeals.lodge_appeal(db, application, application.candidate, "Экзаменаторы не учли кейс")
    lead, member, third = (make_user(db, Role.ASSESSOR) for _ in range(3))
    db.commit()
    staff = client_for(coordinator)
    assign = f"/review/applications/{application.id}/appeal-assessor"
    for examiner in (lead, member):
        assert staff.post(assign, data={"assessor": examiner.id}).status_code == 302
    refused = staff.post(assign, data={"assessor": third.id})
    assert refused.status_code == 409 and "уже 2 члена" in refused.get_data(as_text=True)
    team_page = staff.get(f"/review/applications/{application.id}/team").get_data(as_text=True)
    assert "Апелляционная комиссия из 2 экзаменаторов" in team_page

    panel = appeals.appeal_panel(db, application)
    assert [a.assessor_id for a in panel] == [lead.id, member.id] and panel[0].is_lead
    indicators = [i.id for i in standard_of(application).indicators()]
    marks = factories.every_item_accepted(db, application)
    for assignment, value in zip(panel, (4, 3), strict=True):
        staffing.confirm_independence(db, assignment, assignment.assessor)
        scores = {i: (value, "") for i in indicators}
        rubric_scores.save_scores(db, assignment, scores=scores, feedback={}, marks=marks)
        rubric_scores.submit_scores(db, assignment, assignment.assessor)
    db.commit()
    with pytest.raises(ReviewError, match="не завершила"):  # both scored, no consensus yet
        appeals.decide_appeal(db, application, coordinator, chosen_level=None, reasons="x", justification="")
    db.rollback()

    page = f"/review/applications/{application.id}/appeal/consensus"
    assert client_for(member).get(page).status_code in (403, 404)  # the panel's lead records it
    lead_client = client_for(lead)
    assert "Консенсус апелляционной комиссии" in lead_client.get(page).get_data(as_text=True)
    recorded = check_and_record(
        lead_client, application, consensus_data(application, {}), page="appeal/consensus"
    )
    assert recorded.status_code == 302, recorded.get_data(as_text=True)
    db.expire_all()
    assert application.state == State.APPEALED
    assert {row.score for row in comparison.consensus_of(db, application, for_appeal=True).values()} == {3}
    assert {i: row.score for i, row in comparison.consensus_of(db, application).items()} == reviewed
    assert db.scalar(
        sa.select(AuditEntry.id).where(
            AuditEntry.application_id == application.id,
            AuditEntry.action == "review.appeal_consensus_recorded",
        )
    )

    found = comparison.appeal_outcome(db, application)
    assert found.level is not None
    decision = appeals.decide_appeal(
        db, application, coordinator, chosen_level=found.level.id, reasons="Кейс решён", justification=""
    )
    db.commit()
    assert (decision.on_appeal, decision.computed_level, application.state) == (
        True,
        found.level.id,
        State.CERTIFIED,
    )

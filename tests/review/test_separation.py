"""Separation of duties (issue 12, finding 3): staff do not assess, an assessor on staff stays blind, and
nobody decides an application they assessed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role, UserRole
from certify.questionnaire.services import standard_of
from certify.review import appeals, rubric_scores, staffing
from certify.review.models import Assignment
from certify.transitions import TransitionError
from tests import factories
from tests.factories import make_user

COMMENT = "Реестр участников убедителен"
HIDDEN = "Оценки скрыты, пока вы не отправите свои."
#: a score in an audit entry's values, as the page shows them
SCORE_SHOWN = "&#34;score&#34;:"


def grant(user, role: Role) -> None:
    """An administrator gives `user` another role later (the admin form allows any combination)."""
    user.role_rows.append(UserRole(role=role.value))


def submit_with_comment(db, assignment: Assignment, value: int = 3) -> None:
    indicators = standard_of(assignment.application).indicators()
    rubric_scores.save_scores(
        db,
        assignment,
        scores={i.id: (value, COMMENT) for i in indicators},
        feedback={},
        marks=factories.every_item_accepted(db, assignment.application),
    )
    rubric_scores.submit_scores(db, assignment, assignment.assessor)


def test_finding_3_coordinators_and_admins_cannot_be_assigned_to_assess(db, client_for, submitted):
    coordinator = make_user(db, Role.COORDINATOR, Role.ASSESSOR, email="coordinator@certify-test.example.org")
    admin = make_user(db, Role.ADMIN, Role.ASSESSOR, email="admin@certify-test.example.org")
    db.commit()
    client = client_for(coordinator)
    url = f"/review/applications/{submitted.id}/team"
    for person in (coordinator, admin):  # assigning oneself, and another member of staff
        response = client.post(url, data={"assessors": [str(person.id)], "lead": str(person.id)})
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert f"{person.email} — координатор или администратор" in page
        assert 'id="team-form"' in page
    assert db.scalar(sa.select(sa.func.count(Assignment.id))) == 0


def test_finding_3_staff_cannot_take_an_appeal_either(db):
    case = factories.appealed(db)
    staff = make_user(db, Role.COORDINATOR, Role.ASSESSOR, locale="en")
    with pytest.raises(staffing.ReviewError) as refused:
        appeals.assign_appeal_assessor(db, case.application, case.coordinator, staff)
    assert refused.value.status == 422 and staff.email in str(refused.value)


def test_finding_3_a_team_member_on_staff_sees_no_other_scores_until_submitting(db, client_for):
    case = factories.in_review(db)
    submit_with_comment(db, case.second)
    grant(case.lead.assessor, Role.COORDINATOR)  # granted after the assignment
    db.commit()
    client = client_for(case.lead.assessor)
    application_id = case.application.id

    for url in (
        f"/review/applications/{application_id}/team",
        "/admin/audit/",
        f"/admin/audit/?application={application_id}",
        "/admin/audit/?action=review.scores",
    ):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert COMMENT not in page and SCORE_SHOWN not in page, url
        assert "review.scores_submitted" in page and HIDDEN in page, url
    # the coordinator who is on no team sees the whole trail
    assert COMMENT in client_for(case.coordinator).get("/admin/audit/").get_data(as_text=True)

    submit_with_comment(db, db.get(Assignment, case.lead.id))
    db.commit()
    page = client.get("/admin/audit/").get_data(as_text=True)
    assert COMMENT in page and HIDDEN not in page


def test_finding_3_the_appeal_assessor_on_staff_sees_nothing_of_the_review_under_appeal(db, client_for):
    case = factories.appealed(db)
    fresh = make_user(db, Role.ASSESSOR)
    assignment = appeals.assign_appeal_assessor(db, case.application, case.coordinator, fresh)
    staffing.confirm_independence(db, assignment, fresh)
    grant(fresh, Role.COORDINATOR)
    db.commit()
    page = client_for(fresh).get(f"/review/applications/{case.application.id}/team").get_data(as_text=True)
    assert "review.scores_submitted" in page and "review.consensus_recorded" in page
    assert SCORE_SHOWN not in page and HIDDEN in page
    coordinator = client_for(case.coordinator)
    assert SCORE_SHOWN in coordinator.get(f"/review/applications/{case.application.id}/team").get_data(
        as_text=True
    )
    # nor the assessment report, which carries the consensus scores
    report = f"/applications/{case.application.id}/report.pdf"
    assert client_for(fresh).get(report).status_code == 404
    with coordinator.get(report) as downloaded:
        assert downloaded.status_code == 200


def test_finding_3_an_assessor_cannot_decide_the_application_they_assessed(db, client_for):
    case = factories.agreed(db)
    grant(case.lead.assessor, Role.COORDINATOR)
    db.commit()
    client = client_for(case.lead.assessor)
    url = f"/review/applications/{case.application.id}"
    assert 'id="decision-form"' not in client.get(f"{url}/consensus").get_data(as_text=True)
    level = factories.issuance_level(db, case.application)
    response = client.post(
        f"{url}/decision", data={"level": level, "reasons": "Решение комиссии", "justification": "Выезд"}
    )
    assert response.status_code == 409
    assert "Вы оценивали эту заявку" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(type(case.application), case.application.id).state == "consensus"
    # another coordinator decides it
    assert 'id="decision-form"' in client_for(case.coordinator).get(f"{url}/consensus").get_data(as_text=True)


def test_finding_3_nobody_on_the_team_or_the_appeal_decides_the_appeal(db, client_for):
    case = factories.appealed(db)
    appeal_assignment = factories.review_appeal(db, case.application, case.coordinator)
    for person in (case.lead.assessor, appeal_assignment.assessor):
        grant(person, Role.COORDINATOR)
    db.commit()
    url = f"/review/applications/{case.application.id}/appeal-decision"
    for person in (case.lead.assessor, appeal_assignment.assessor):
        response = client_for(person).post(url, data={"level": "", "reasons": "Оставить решение в силе"})
        assert response.status_code == 409, person.email
        assert "Вы оценивали эту заявку" in response.get_data(as_text=True)
    with pytest.raises(TransitionError):
        appeals.decide_appeal(
            db, case.application, case.lead.assessor, chosen_level=None, reasons="—", justification=""
        )

"""Changing a team (issue 13, item 3): the ticked assessors are the team, removals are audited and told,
an assessor whose scores are in stays, the lead stays on the team, the standard's minimum starts a review."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from certify.accounts.models import Role
from certify.audit.services import history
from certify.outbox.models import OutboxMessage
from certify.questionnaire.services import standard_of
from certify.review import rubric_scores, staffing
from certify.review.cli import overdue_assignments
from certify.review.models import Assignment
from certify.transitions import active_assignments
from tests import factories
from tests.factories import make_user


def team_url(application) -> str:
    return f"/review/applications/{application.id}/team"


def post_team(client, application, people, lead):
    return client.post(
        team_url(application),
        data={"assessors": [str(p.id) for p in people], "lead": str(lead.id if lead else 0)},
    )


def team_of(db, application) -> list[int]:
    db.expire_all()
    return [a.assessor_id for a in active_assignments(db, application)]


@pytest.fixture
def three_asked(db):
    """A submitted application with three assessors asked (the first leads), committed."""
    case = factories.submitted(db)
    case.coordinator = make_user(db, Role.COORDINATOR)
    people = [make_user(db, Role.ASSESSOR) for _ in range(3)]
    staffing.assign_assessors(db, case.application, people, people[0], case.coordinator)
    db.commit()
    return case, people


def submit_scores(db, assignment, value: int = 3) -> None:
    """The assessor scores every indicator and submits."""
    scores = {i.id: (value, "") for i in standard_of(assignment.application).indicators()}
    marks = factories.every_item_accepted(db, assignment.application)
    rubric_scores.save_scores(db, assignment, scores=scores, feedback={}, marks=marks)
    rubric_scores.submit_scores(db, assignment, assignment.assessor)


def test_unticking_an_assessor_takes_them_off_the_team_and_tells_them(db, client_for, three_asked, mailbox):
    case, (lead, second, third) = three_asked
    response = post_team(client_for(case.coordinator), case.application, [lead, second], lead)
    assert response.status_code == 302
    assert team_of(db, case.application) == [lead.id, second.id]
    # the assignment is ended, not deleted: its row and history stay
    removed = db.scalar(sa.select(Assignment).where(Assignment.assessor_id == third.id))
    assert removed.status == "removed" and not removed.is_lead
    entry = next(e for e in history(db, case.application.id) if e.action == "review.assessor_removed")
    assert entry.before["assessor"] == third.email and entry.after["status"] == "removed"
    mail = db.scalar(sa.select(OutboxMessage).where(OutboxMessage.template == "review_removed"))
    assert mail.recipient == third.email
    assert [m["Subject"] for m in mailbox() if m["To"] == third.email][-1] == (
        f"Вы исключены из состава экспертов по заявке № {case.application.id}"
    )
    page = client_for(third).get("/review/assignments").get_data(as_text=True)
    assert "исключён из состава" in page


def test_the_team_form_starts_from_the_team_as_it_is(db, client_for, three_asked):
    case, (lead, second, third) = three_asked
    outsider = make_user(db, Role.ASSESSOR)
    db.commit()
    page = client_for(case.coordinator).get(team_url(case.application)).get_data(as_text=True)
    ticked = set(re.findall(r'<input checked [^>]*name="assessors" [^>]*value="(\d+)"', page))
    assert ticked == {str(lead.id), str(second.id), str(third.id)}
    assert f'value="{outsider.id}"' in page
    assert f'<option selected value="{lead.id}">' in page


def test_an_assessor_whose_scores_are_in_cannot_be_unticked(db, client_for):
    case = factories.in_review(db)
    new = make_user(db, Role.ASSESSOR)
    submit_scores(db, case.second)
    db.commit()
    lead, second = case.lead.assessor, case.second.assessor
    response = post_team(client_for(case.coordinator), case.application, [lead, new], lead)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert f"{second.email} нельзя исключить из состава" in page and "оценки — часть экспертизы" in page
    assert team_of(db, case.application) == [lead.id, second.id]  # nor is the new one added
    assert "Оценки отправлены: остаётся в составе." in page


def test_a_review_under_way_replaces_an_assessor_but_never_drops_below_the_standards_minimum(db, client_for):
    case = factories.in_review(db)
    lead, second = case.lead.assessor, case.second.assessor
    replacement = make_user(db, Role.ASSESSOR)
    db.commit()
    coordinator = client_for(case.coordinator)
    refused = post_team(coordinator, case.application, [lead], lead)
    assert refused.status_code == 409
    assert "стандарт требует не меньше 2: сначала назначьте замену" in refused.get_data(as_text=True)
    assert team_of(db, case.application) == [lead.id, second.id]
    assert post_team(coordinator, case.application, [lead, replacement], lead).status_code == 302
    assert team_of(db, case.application) == [lead.id, replacement.id]
    assert db.get(type(case.application), case.application.id).state == "in_review"


def test_removing_the_last_assessor_still_scoring_leaves_the_application_scored(db, client_for, mailbox):
    case = factories.in_review(db)
    lead, second = case.lead.assessor, case.second.assessor
    third = make_user(db, Role.ASSESSOR)
    staffing.assign_assessors(db, case.application, [third], None, case.coordinator)
    submit_scores(db, case.lead)
    submit_scores(db, case.second)
    db.commit()
    assert db.get(type(case.application), case.application.id).state == "in_review"
    assert post_team(client_for(case.coordinator), case.application, [lead, second], lead).status_code == 302
    db.expire_all()
    assert db.get(type(case.application), case.application.id).state == "scored"
    assert any("оцен" in m["Subject"] for m in mailbox() if m["To"] == lead.email)


def test_the_lead_stays_on_the_team(db, client_for, three_asked):
    case, (lead, second, third) = three_asked
    coordinator = client_for(case.coordinator)
    unticked = post_team(coordinator, case.application, [second, third], None)
    assert unticked.status_code == 422
    assert f"{lead.email} — ведущий эксперт" in unticked.get_data(as_text=True)
    elsewhere = post_team(coordinator, case.application, [second, third], lead)
    assert elsewhere.status_code == 422
    assert "Ведущий эксперт должен быть среди отмеченных" in elsewhere.get_data(as_text=True)
    assert team_of(db, case.application) == [lead.id, second.id, third.id]
    assert post_team(coordinator, case.application, [second, third], second).status_code == 302
    db.expire_all()
    assert [(a.assessor_id, a.is_lead) for a in active_assignments(db, case.application)] == [
        (second.id, True),
        (third.id, False),
    ]


def test_the_review_does_not_start_with_fewer_assessors_than_the_standard_asks_for(db, client_for):
    case = factories.submitted(db)
    coordinator, alone = make_user(db, Role.COORDINATOR), make_user(db, Role.ASSESSOR)
    (assignment,) = staffing.assign_assessors(db, case.application, [alone], alone, coordinator)
    staffing.confirm_independence(db, assignment, alone)
    db.commit()
    client = client_for(coordinator)
    response = client.post(f"/review/applications/{case.application.id}/start", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Стандарт требует от 2 до 3 экспертов; назначено: 1." in page
    assert db.get(type(case.application), case.application.id).state == "submitted"
    assert "Стандарт требует от 2 до 3 экспертов." in client.get(team_url(case.application)).get_data(
        as_text=True
    )


def test_an_assessor_ticked_again_is_asked_anew(db, client_for, three_asked):
    case, (lead, second, third) = three_asked
    coordinator = client_for(case.coordinator)
    post_team(coordinator, case.application, [lead, second], lead)
    assert post_team(coordinator, case.application, [lead, second, third], lead).status_code == 302
    assert team_of(db, case.application) == [lead.id, second.id, third.id]
    rows = db.scalars(sa.select(Assignment).where(Assignment.assessor_id == third.id)).all()
    assert [r.status for r in rows] == ["pending"]  # the same row, reopened


def test_a_removed_assessor_no_longer_reads_the_application_nor_is_reminded(db, client_for):
    case = factories.in_review(db)
    lead, second = case.lead.assessor, case.second.assessor
    replacement = make_user(db, Role.ASSESSOR)
    db.commit()
    scores_url = f"/review/assignments/{case.second.id}/scores"
    assert client_for(second).get(scores_url).status_code == 200
    assert (
        post_team(client_for(case.coordinator), case.application, [lead, replacement], lead).status_code
        == 302
    )
    assert client_for(second).get(scores_url).status_code == 404
    overdue = overdue_assignments(db, timedelta(days=-1))
    assert second.id not in {assignment.assessor_id for assignment, _ in overdue}

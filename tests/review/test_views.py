"""The review pages: who may open them, what they offer (the workflow's actions), and refusals in place."""

from __future__ import annotations

import inspect
import re

import sqlalchemy as sa

from certify.accounts.models import Role
from certify.questionnaire.services import standard_of
from certify.review import appeals, comparison, decisions, rubric_scores, staffing, views
from certify.review.models import Assignment
from certify.transitions import active_assignments
from certify.workflow import guards
from tests import factories
from tests.factories import make_user


def test_only_staff_see_the_queue(login, submitted):
    for role, status in (
        (Role.MANAGER, 403),
        (Role.ASSESSOR, 403),
        (Role.COORDINATOR, 200),
        (Role.ADMIN, 200),
    ):
        client, _ = login(role)
        assert client.get("/review/").status_code == status
    coordinator, _ = login(Role.COORDINATOR)
    assert f"/review/applications/{submitted.id}/team" in coordinator.get("/review/").get_data(as_text=True)


def test_coordinator_assigns_and_sees_conflicts_marked(db, login, submitted):
    coordinator, _ = login(Role.COORDINATOR)
    assessor_client, assessor = login(Role.ASSESSOR)
    tied_client, tied = login(Role.ASSESSOR)
    tied_client.post(
        "/review/conflicts",
        data={"organisation_id": str(submitted.organisation_id), "region": "", "note": ""},
    )
    page = coordinator.get(f"/review/applications/{submitted.id}/team").get_data(as_text=True)
    assert "Не независим" in page
    refused = coordinator.post(
        f"/review/applications/{submitted.id}/team", data={"assessors": [str(tied.id)], "lead": str(tied.id)}
    )
    assert refused.status_code == 422
    accepted = coordinator.post(
        f"/review/applications/{submitted.id}/team",
        data={"assessors": [str(assessor.id)], "lead": str(assessor.id)},
    )
    assert accepted.status_code == 302
    assignment = db.scalar(sa.select(Assignment))
    assert assignment.assessor_id == assessor.id and assignment.is_lead


def test_assessor_confirms_only_their_own_assignment(db, login, submitted):
    coordinator = make_user(db, Role.COORDINATOR)
    mine_client, me = login(Role.ASSESSOR)
    other_client, _ = login(Role.ASSESSOR)
    (assignment,) = staffing.assign_assessors(db, submitted, [me], me, coordinator)
    db.commit()
    assert other_client.post(f"/review/assignments/{assignment.id}/confirm").status_code == 404
    assert mine_client.post(f"/review/assignments/{assignment.id}/confirm").status_code == 302
    db.expire_all()
    assert db.get(Assignment, assignment.id).status == "confirmed"
    again = mine_client.post(f"/review/assignments/{assignment.id}/confirm")
    assert again.status_code == 303


def test_assessor_declines_with_a_reason(db, login, submitted):
    coordinator = make_user(db, Role.COORDINATOR)
    client, me = login(Role.ASSESSOR)
    (assignment,) = staffing.assign_assessors(db, submitted, [me], me, coordinator)
    db.commit()
    assert client.post(f"/review/assignments/{assignment.id}/decline", data={"reason": ""}).status_code == 422
    response = client.post(
        f"/review/assignments/{assignment.id}/decline", data={"reason": "Работал в этом кластере"}
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Assignment, assignment.id).status == "declined"


# --- the pages offer what the workflow allows, and show a refusal in place -------------------------------


def scored_apart(db, case) -> None:
    """The lead scores 4 everywhere and the second 0: the totals are far apart."""
    for assignment, value in ((case.lead, 4), (case.second, 0)):
        scores = {i.id: (value, "") for i in standard_of(case.application).indicators()}
        marks = factories.every_item_accepted(db, case.application)
        rubric_scores.save_scores(db, assignment, scores=scores, feedback={}, marks=marks)
        rubric_scores.submit_scores(db, assignment, assignment.assessor)


def test_the_team_page_offers_only_the_steps_the_workflow_allows(db, client_for):
    case = factories.submitted(db)
    coordinator, admin = make_user(db, Role.COORDINATOR), make_user(db, Role.ADMIN)
    people = [make_user(db, Role.ASSESSOR), make_user(db, Role.ASSESSOR)]
    staffing.assign_assessors(db, case.application, people, people[0], coordinator)
    db.commit()
    url = f"/review/applications/{case.application.id}/team"
    page = client_for(coordinator).get(url).get_data(as_text=True)
    assert 'id="team-form"' in page and "Начать оценку" not in page  # nobody has confirmed yet
    assert 'id="team-form"' not in client_for(admin).get(url).get_data(as_text=True)  # admins take no step
    for assignment in active_assignments(db, case.application):
        staffing.confirm_independence(db, assignment, assignment.assessor)
    db.commit()
    assert "Начать оценку" in client_for(coordinator).get(url).get_data(as_text=True)


def test_a_refused_team_comes_back_with_the_choice_kept(db, login, submitted):
    coordinator, _ = login(Role.COORDINATOR)
    tied_client, tied = login(Role.ASSESSOR)
    tied_client.post("/review/conflicts", data={"organisation_id": str(submitted.organisation_id)})
    response = coordinator.post(
        f"/review/applications/{submitted.id}/team", data={"assessors": [str(tied.id)], "lead": str(tied.id)}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"{tied.email} не может оценивать эту заявку" in page
    assert re.search(rf'<input checked[^>]*value="{tied.id}"', page)
    assert db.scalar(sa.select(sa.func.count(Assignment.id))) == 0


def test_the_decision_form_checks_reasons_and_keeps_what_was_typed(db, client_for):
    case = factories.agreed(db)
    db.commit()
    coordinator = client_for(case.coordinator)
    url = f"/review/applications/{case.application.id}/decision"
    computed = decisions.computed_result(db, case.application).level
    other = "" if computed else "basic"

    empty = coordinator.post(url, data={"level": other, "reasons": "  ", "justification": "Выезд"})
    assert empty.status_code == 422
    assert "Укажите обоснование." in empty.get_data(as_text=True)

    departing = coordinator.post(url, data={"level": other, "reasons": "Решение комиссии"})
    page = departing.get_data(as_text=True)
    assert departing.status_code == 409
    assert "Решение отличается от расчётного результата" in page
    assert 'id="decision-form"' in page and "Решение комиссии</textarea>" in page
    db.expire_all()
    assert db.get(type(case.application), case.application.id).state == "consensus"


def test_messages_come_in_the_users_language(db, client_for):
    case = factories.agreed(db)
    english = make_user(db, Role.COORDINATOR, locale="en")
    db.commit()
    response = client_for(english).post(
        f"/review/applications/{case.application.id}/decision", data={"level": "", "reasons": ""}
    )
    assert response.status_code == 422
    assert "Give your reasons." in response.get_data(as_text=True)


def test_one_decision_form_serves_the_decision_and_the_appeal(db, client_for):
    agreed = factories.agreed(db)
    case = factories.appealed(db)
    fresh = make_user(db, Role.ASSESSOR)
    db.commit()
    consensus = client_for(agreed.coordinator).get(f"/review/applications/{agreed.application.id}/consensus")
    assert f'action="/review/applications/{agreed.application.id}/decision"' in consensus.get_data(
        as_text=True
    )

    coordinator = client_for(case.coordinator)
    team_url = f"/review/applications/{case.application.id}/team"
    assert 'id="decision-form"' not in coordinator.get(team_url).get_data(as_text=True)
    nobody = coordinator.post(f"/review/applications/{case.application.id}/appeal-assessor", data={})
    assert nobody.status_code == 422 and "Выберите эксперта для апелляции." in nobody.get_data(as_text=True)

    assignment = appeals.assign_appeal_assessor(db, case.application, case.coordinator, fresh)
    staffing.confirm_independence(db, assignment, fresh)
    factories.score(db, case.application)  # the review team has submitted: this scores the appeal
    scores = {i.id: (3, "") for i in standard_of(case.application).indicators()}
    marks = factories.every_item_accepted(db, case.application)
    rubric_scores.save_scores(db, assignment, scores=scores, feedback={}, marks=marks)
    rubric_scores.submit_scores(db, assignment, fresh)
    db.commit()
    page = coordinator.get(team_url).get_data(as_text=True)
    assert f'action="/review/applications/{case.application.id}/appeal-decision"' in page
    assert 'id="decision-form"' in page and "Принять решение по апелляции" in page
    refused = coordinator.post(f"/review/applications/{case.application.id}/appeal-decision", data={})
    assert refused.status_code == 422 and "Укажите обоснование." in refused.get_data(as_text=True)


def test_the_scores_form_checks_shape_and_keeps_what_was_typed(db, in_review):
    application, (client, _, assignment), _ = in_review
    url = f"/review/assignments/{assignment.id}/scores"
    wrong = client.post(url, data={"score-str_members": "7", "comment-str_members": "Реестр неполон"})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 422
    assert "Оценка по шкале — целое число от 0 до 4." in page and "Реестр неполон</textarea>" in page
    long = client.post(url, data={**factories.all_scores(application, 2), "comment-str_members": "я" * 5001})
    assert long.status_code == 422 and "Не более 5000 символов." in long.get_data(as_text=True)
    assert comparison.scores_of(db, assignment) == {}


def test_the_scoring_buttons_follow_the_workflow(db, in_review):
    application, (client, _, assignment), _ = in_review
    url = f"/review/assignments/{assignment.id}/scores"
    page = client.get(url).get_data(as_text=True)
    assert 'value="draft"' in page and 'value="final"' in page
    asked = client.post(
        f"/review/assignments/{assignment.id}/clarification",
        data={"indicators": ["str_members"], "question": "Приложите реестр."},
    )
    assert asked.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert 'value="draft"' in page and 'value="final"' not in page  # submitting waits for the answer
    assert (
        client.post(url, data={**factories.all_scores(application, 3), "submit": "draft"}).status_code == 302
    )
    db.expire_all()
    assert set(comparison.rubric_of(db, db.get(Assignment, assignment.id)).values()) == {3}


def test_a_clarification_request_without_indicators_keeps_the_question(in_review):
    _, (client, _, assignment), _ = in_review
    response = client.post(
        f"/review/assignments/{assignment.id}/clarification", data={"question": "Где финансовый план?"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Укажите показатели, по которым требуется уточнение." in page
    assert "Где финансовый план?</textarea>" in page and "<details open>" in page


def test_a_refused_consensus_names_the_limit(db, client_for):
    case = factories.in_review(db)
    scored_apart(db, case)
    db.commit()
    lead = client_for(case.lead.assessor)
    url = f"/review/applications/{case.application.id}/consensus"
    page = lead.get(url).get_data(as_text=True)
    assert f"при {guards.SPREAD_LIMIT} и более баллах нужен третий эксперт" in page
    assert "Зафиксировать консенсус" not in page  # the coordinator must add a third assessor first
    data = {**factories.all_scores(case.application, 2), "justification-str_members": "Обсудили реестр"}
    refused = lead.post(url, data=data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "координатор должен" in page.lower() or "третьего эксперта" in page
    assert 'id="consensus-form"' not in page  # nothing to keep: the lead has no consensus to record yet
    team = client_for(case.coordinator).get(f"/review/applications/{case.application.id}/team")
    assert f"({guards.SPREAD_LIMIT} и более)" in team.get_data(as_text=True)


def test_declining_without_a_reason_is_refused_in_place(db, login, submitted):
    coordinator = make_user(db, Role.COORDINATOR)
    client, me = login(Role.ASSESSOR)
    (assignment,) = staffing.assign_assessors(db, submitted, [me], me, coordinator)
    db.commit()
    response = client.post(f"/review/assignments/{assignment.id}/decline", data={"reason": "  "})
    assert response.status_code == 422
    assert "Укажите, пожалуйста, причину отказа." in response.get_data(as_text=True)


def test_review_views_read_the_posted_data_only_through_forms():
    assert "request.form" not in inspect.getsource(views)

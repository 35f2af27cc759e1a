"""Blind dual scoring, submission, comparison and the lead's consensus."""

from __future__ import annotations

import sqlalchemy as sa
from babel.numbers import format_decimal

from certify.accounts.models import Role
from certify.questionnaire.services import standard_of
from certify.review import comparison, decisions
from certify.review.models import Assignment, Decision
from certify.transitions import active_assignments
from tests import factories
from tests.factories import all_scores
from tests.review.consensus_steps import check_and_record


def test_blind_scoring_then_consensus(db, in_review):
    application, (lead_client, lead, lead_assignment), (second_client, second, second_assignment) = in_review
    url = f"/review/assignments/{lead_assignment.id}/scores"
    draft = {
        **all_scores(application, 4),
        "comment-str_members": "Сильный реестр участников",
        "submit": "draft",
    }
    assert lead_client.post(url, data=draft).status_code == 302

    second_page = second_client.get(f"/review/assignments/{second_assignment.id}/scores").get_data(
        as_text=True
    )
    assert "Сильный реестр участников" not in second_page  # blind: drafts and scores of others are hidden

    incomplete = {"score-str_members": "2", "submit": "final"}
    assert (
        second_client.post(f"/review/assignments/{second_assignment.id}/scores", data=incomplete).status_code
        == 422
    )

    assert lead_client.post(url, data={**all_scores(application, 4), "submit": "final"}).status_code == 302
    second_scores = {**all_scores(application, 0), "submit": "final"}
    assert (
        second_client.post(
            f"/review/assignments/{second_assignment.id}/scores", data=second_scores
        ).status_code
        == 302
    )
    db.expire_all()
    assert db.get(type(application), application.id).state == "scored"

    after = second_client.get(f"/review/assignments/{second_assignment.id}/scores").get_data(as_text=True)
    assert "Other assessors" in after or "Другие эксперты" in after

    _, rows, spread = comparison.compare(db, db.get(type(application), application.id))
    assert all(row.divergent for row in rows)  # 4 against 0
    assert spread >= 30

    # the spread of 30 or more calls for a third assessor before consensus
    refused = lead_client.post(
        f"/review/applications/{application.id}/consensus", data=all_scores(application, 3)
    )
    assert refused.status_code == 409
    assert second_client.post(f"/review/applications/{application.id}/consensus", data={}).status_code in (
        403,
        404,
    )


def test_consensus_when_the_assessors_agree(db, in_review):
    application, (lead_client, lead, lead_assignment), (second_client, _, second_assignment) = in_review
    for client, assignment in ((lead_client, lead_assignment), (second_client, second_assignment)):
        response = client.post(
            f"/review/assignments/{assignment.id}/scores",
            data={**all_scores(application, 3), "submit": "final"},
        )
        assert response.status_code == 302
    response = check_and_record(
        lead_client, application, {**all_scores(application, 3), "justification-str_members": "Согласовано"}
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.get(type(application), application.id).state == "consensus"
    page = lead_client.get(f"/review/applications/{application.id}/consensus").get_data(as_text=True)
    rubric = {i.id: 3 for i in standard_of(application).indicators()}
    application = db.get(type(application), application.id)
    expected = comparison.assessed_outcome(
        db, application, rubric, factories.every_item_accepted(db, application)
    ).total
    assert format_decimal(expected, locale="ru") in page


def test_scores_cannot_change_after_submission(db, in_review):
    application, (lead_client, _, lead_assignment), _ = in_review
    url = f"/review/assignments/{lead_assignment.id}/scores"
    lead_client.post(url, data={**all_scores(application, 4), "submit": "final"})
    response = lead_client.post(url, data={**all_scores(application, 0), "submit": "draft"})
    assert response.status_code == 409
    db.expire_all()
    assert set(comparison.rubric_of(db, db.get(Assignment, lead_assignment.id)).values()) == {4}


def test_an_assessor_cannot_open_another_assessors_scores(in_review, login):
    application, (_, _, lead_assignment), _ = in_review
    stranger, _ = login(Role.ASSESSOR)
    assert stranger.get(f"/review/assignments/{lead_assignment.id}/scores").status_code == 404
    assert stranger.get(f"/applications/{application.id}/summary").status_code == 404


def agreed(db, in_review):
    """The team of `in_review` scores 1 everywhere, which earns no level, and the lead agrees; committed."""
    application = factories.agree(db, in_review[0], value=1)
    db.commit()
    return application


def test_decision_at_the_computed_level(db, in_review, login):
    application = agreed(db, in_review)
    assert application.state == "consensus"
    coordinator, _ = login(Role.COORDINATOR)
    computed = decisions.computed_result(db, application).level
    response = coordinator.post(
        f"/review/applications/{application.id}/decision",
        data={"level": computed.id if computed else "", "reasons": "Все условия стандарта выполнены."},
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.get(type(application), application.id).state == ("certified" if computed else "not_certified")
    again = coordinator.post(
        f"/review/applications/{application.id}/decision", data={"level": "", "reasons": "Повторно"}
    )
    assert again.status_code == 409
    assert db.scalar(sa.select(sa.func.count(Decision.id))) == 1


def test_a_departure_from_the_computed_level_needs_a_justification(db, in_review, login):
    # issue 14: a departure goes downwards only (a level above the computed one is refused whatever the
    # justification), so the consensus earns a level and the departure is not certifying
    application = factories.agree(db, in_review[0], value=4)
    db.commit()
    coordinator, _ = login(Role.COORDINATOR)
    assert decisions.computed_result(db, application).level is not None
    other = ""
    refused = coordinator.post(
        f"/review/applications/{application.id}/decision",
        data={"level": other, "reasons": "Решение комиссии"},
    )
    assert refused.status_code == 409
    assert db.get(type(application), application.id).state == "consensus"
    accepted = coordinator.post(
        f"/review/applications/{application.id}/decision",
        data={
            "level": other,
            "reasons": "Решение комиссии",
            "justification": "Выездная проверка выявила нарушения",
        },
    )
    assert accepted.status_code == 302


def test_no_decision_without_consensus(db, in_review, login):
    application, *_ = in_review
    coordinator, _ = login(Role.COORDINATOR)
    response = coordinator.post(f"/review/applications/{application.id}/decision", data={"reasons": "x"})
    assert response.status_code == 409


def test_every_review_step_is_in_the_verified_audit_trail(db, in_review, login):
    from certify.audit.services import history, verify_chain

    application = agreed(db, in_review)
    coordinator, _ = login(Role.COORDINATOR)
    coordinator.post(
        f"/review/applications/{application.id}/decision", data={"level": "", "reasons": "Проверено"}
    )
    actions = [entry.action for entry in history(db, application.id)]
    for step in (
        "application.started",
        "review.assigned",
        "review.independence_confirmed",
        "review.started",
        "review.scores_submitted",
        "review.consensus_recorded",
    ):
        assert step in actions
    assert verify_chain(db).ok
    page = coordinator.get(f"/review/applications/{application.id}/team").get_data(as_text=True)
    assert "review.consensus_recorded" in page


def test_a_wide_spread_brings_in_a_third_assessor_whose_scores_join(db, in_review, login):
    application, (lead_client, lead, lead_assignment), (second_client, _, second_assignment) = in_review
    lead_client.post(
        f"/review/assignments/{lead_assignment.id}/scores",
        data={**all_scores(application, 4), "submit": "final"},
    )
    second_client.post(
        f"/review/assignments/{second_assignment.id}/scores",
        data={**all_scores(application, 0), "submit": "final"},
    )
    coordinator, _ = login(Role.COORDINATOR)
    page = coordinator.get(f"/review/applications/{application.id}/team").get_data(as_text=True)
    assert "третий эксперт" in page
    assert coordinator.post(f"/review/applications/{application.id}/third-assessor").status_code == 302
    third_client, third = login(Role.ASSESSOR)
    team = [lead, second_assignment.assessor, third]  # the ticked assessors are the team
    response = coordinator.post(
        f"/review/applications/{application.id}/team",
        data={"assessors": [str(p.id) for p in team], "lead": str(lead.id)},
    )
    assert response.status_code == 302
    (assignment,) = [a for a in active_assignments(db, application) if a.assessor_id == third.id]
    third_client.post(f"/review/assignments/{assignment.id}/confirm")
    third_client.post(
        f"/review/assignments/{assignment.id}/scores", data={**all_scores(application, 2), "submit": "final"}
    )
    db.expire_all()
    assert db.get(type(application), application.id).state == "scored"
    team, rows, _ = comparison.compare(db, db.get(type(application), application.id))
    assert len(team) == 3 and len(rows[0].scores) == 3
    # 4, 0 and 2: every indicator differs by 2 or more, and so needs its justification
    justified = {f"justification-{i.id}": "Обсудили втроём" for i in standard_of(application).indicators()}
    recorded = check_and_record(lead_client, application, {**all_scores(application, 2), **justified})
    assert recorded.status_code == 302

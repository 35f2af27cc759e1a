"""Appeals: once, within 30 days, examined by an assessor who took no part, ending in a new decision."""

from __future__ import annotations

from datetime import timedelta

import pytest

from certify.accounts.models import Role
from certify.audit.services import history, verify_chain
from certify.review import appeals
from certify.review.decisions import decision_of
from tests import factories
from tests.factories import all_scores


@pytest.fixture
def decided(db, in_review, login):
    """`in_review` agreed at 1 everywhere (no level earned) and decided not to certify ("Отказ"), committed.

    (application, a client of a manager of the applicant, a client of the deciding coordinator, in_review)
    """
    application = in_review[0]
    coordinator, coordinator_user = login(Role.COORDINATOR)
    factories.agree(db, application, value=1)
    factories.decide(db, application, coordinator_user, certify=False, reasons="Отказ")
    db.commit()
    manager_client, _ = login(Role.MANAGER, organisation=application.organisation)
    return application, manager_client, coordinator, in_review


def test_the_whole_appeal(db, decided, login):
    application, manager_client, coordinator, (_, (_, lead, _), _) = decided
    summary = manager_client.get(f"/applications/{application.id}/summary").get_data(as_text=True)
    assert 'id="decision"' in summary and "Отказ" in summary and 'name="grounds"' in summary
    assert (
        manager_client.post(f"/applications/{application.id}/appeal", data={"grounds": ""}).status_code == 409
    )
    lodged = manager_client.post(
        f"/applications/{application.id}/appeal", data={"grounds": "Эксперты не учли реестр"}
    )
    assert lodged.status_code == 302
    again = manager_client.post(f"/applications/{application.id}/appeal", data={"grounds": "Ещё раз"})
    assert again.status_code == 409

    took_part = coordinator.post(
        f"/review/applications/{application.id}/appeal-assessor", data={"assessor": lead.id}
    )
    assert took_part.status_code == 409
    fresh_client, fresh = login(Role.ASSESSOR)
    assert (
        coordinator.post(
            f"/review/applications/{application.id}/appeal-assessor", data={"assessor": fresh.id}
        ).status_code
        == 302
    )
    assignment = appeals.appeal_assignment(db, application)
    early = coordinator.post(f"/review/applications/{application.id}/appeal-decision", data={"reasons": "x"})
    assert early.status_code == 409

    fresh_client.post(f"/review/assignments/{assignment.id}/confirm")
    scored = fresh_client.post(
        f"/review/assignments/{assignment.id}/scores", data={**all_scores(application, 4), "submit": "final"}
    )
    assert scored.status_code == 302
    db.expire_all()
    outcome = appeals.assessed_outcome(
        db,
        application,
        {i: 4 for i in all_scores(application, 4) and []}
        or {key.removeprefix("score-"): 4 for key in all_scores(application, 4)},
    )
    level = outcome.level.id if outcome.level else ""
    response = coordinator.post(
        f"/review/applications/{application.id}/appeal-decision",
        data={"level": level, "reasons": "Апелляция удовлетворена"},
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.get(type(application), application.id).state == ("certified" if level else "not_certified")
    actions = [e.action for e in history(db, application.id)]
    assert "review.appealed" in actions and "review.appeal_decided" in actions
    assert verify_chain(db).ok


def test_no_appeal_after_30_days(db, decided):
    application, manager_client, *_ = decided
    decision = decision_of(db, application)
    decision.decided_at = decision.decided_at - timedelta(days=31)
    db.commit()
    response = manager_client.post(f"/applications/{application.id}/appeal", data={"grounds": "Поздно"})
    assert response.status_code == 409
    db.expire_all()
    assert db.get(type(application), application.id).state == "not_certified"

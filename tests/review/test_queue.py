"""The coordinator's queue (issue 13, item 8): every application past its draft, filtered by state, with how
long it has waited in its state and its next step as a link."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from freezegun import freeze_time

from certify.accounts.models import Role
from certify.review import queue, staffing
from certify.transitions import active_assignments
from tests import factories
from tests.factories import make_application, make_user


def rows(page: str) -> dict[int, str]:
    """The queue's rows by application number."""
    body = page.split('id="queue"', 1)[1].split("</table>", 1)[0]
    found = re.findall(r"<tr>\s*<td><a href=\"[^\"]+/applications/(\d+)/team\">.*?</tr>", body, flags=re.S)
    return {
        int(n): re.search(rf"/applications/{n}/team\">.*?</tr>", body, flags=re.S).group(0) for n in found
    }


def queue_of(client, **args) -> dict[int, str]:
    response = client.get("/review/", query_string=args)
    assert response.status_code == 200
    return rows(response.get_data(as_text=True))


def test_an_application_with_its_consensus_stays_in_the_queue_with_the_way_to_decide(db, client_for):
    case = factories.agreed(db)
    db.commit()
    row = queue_of(client_for(case.coordinator))[case.application.id]
    assert "Консенсус зафиксирован" in row
    assert f'href="/review/applications/{case.application.id}/consensus">Принять решение</a>' in row


def test_decided_applications_leave_the_default_queue_and_the_state_filter_finds_them(db, client_for):
    decided = factories.decided(db)
    waiting = factories.submitted(db, manager=make_user(db, Role.MANAGER))
    draft = make_application(db, make_user(db, Role.MANAGER))
    db.commit()
    client = client_for(decided.coordinator)
    assert set(queue_of(client)) == {waiting.application.id}
    assert set(queue_of(client, state=decided.application.state)) == {decided.application.id}
    assert set(queue_of(client, state="all")) == {decided.application.id, waiting.application.id}
    assert draft.id not in queue_of(client, state="draft")  # a draft is nobody's business yet
    page = client.get("/review/", query_string={"state": "all"}).get_data(as_text=True)
    assert '<option value="all" selected>Все статусы</option>' in page
    assert "Ждут действий органа по сертификации" in page and ">На оценке</option>" in page


def test_each_row_names_the_next_step_the_workflow_allows(db, client_for):
    coordinator = make_user(db, Role.COORDINATOR)
    case = factories.submitted(db)
    people = [make_user(db, Role.ASSESSOR), make_user(db, Role.ASSESSOR)]
    db.commit()
    client = client_for(coordinator)
    application_id = case.application.id
    team = f'href="/review/applications/{application_id}/team"'

    row = queue_of(client)[application_id]
    assert f"{team}>Назначить экспертов</a>" in row and "назначено: 0" in row
    staffing.assign_assessors(db, case.application, people, people[0], coordinator)
    db.commit()
    assert "Ждёт подтверждения независимости экспертами" in queue_of(client)[application_id]
    for assignment in active_assignments(db, case.application):
        staffing.confirm_independence(db, assignment, assignment.assessor)
    db.commit()
    assert f"{team}>Начать оценку</a>" in queue_of(client)[application_id]
    staffing.start_review(db, case.application, coordinator)
    db.commit()
    assert "Ждёт оценок экспертов" in queue_of(client)[application_id]


def test_an_appeal_comes_back_to_the_queue_with_its_next_step(db, client_for):
    case = factories.appealed(db)
    db.commit()
    row = queue_of(client_for(case.coordinator))[case.application.id]
    assert (
        f'href="/review/applications/{case.application.id}/team">Назначить эксперта по апелляции</a>' in row
    )


def test_each_row_says_how_long_it_has_waited_in_its_state(db, client_for):
    with freeze_time(datetime(2026, 3, 2, 10, 0)):
        case = factories.submitted(db)
        coordinator = make_user(db, Role.COORDINATOR)
        db.commit()
    with freeze_time(datetime(2026, 3, 2, 10, 0) + timedelta(days=3)):
        row = queue_of(client_for(coordinator))[case.application.id]
    assert "3 дня" in row


def test_the_queue_is_paginated(db, client_for, monkeypatch):
    monkeypatch.setattr(queue, "PAGE_SIZE", 1)
    first = factories.submitted(db)
    second = factories.submitted(db, manager=make_user(db, Role.MANAGER))
    coordinator = make_user(db, Role.COORDINATOR)
    db.commit()
    client = client_for(coordinator)
    assert set(queue_of(client)) == {first.application.id}
    assert set(queue_of(client, page=2)) == {second.application.id}
    assert 'class="pagination' in client.get("/review/").get_data(as_text=True)

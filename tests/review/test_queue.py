"""The coordinator's queue (issue 13, item 8): every application past its draft, filtered by state, with how
long it has waited in its state and its next step as a link."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import sqlalchemy as sa
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


def _link(page: str, label: str) -> str | None:
    """The address of the pager's link labelled `label`, None when it is disabled."""
    found = re.search(rf'<a class="page-link" href="([^"]*)"[^>]*>[^<]*{label}', page)
    return None if found is None or found.group(1) == "#" else html.unescape(found.group(1))


def test_the_queue_pages_by_key_from_the_longest_waiting_and_keeps_its_filter(db, client_for, monkeypatch):
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    with freeze_time(datetime(2026, 3, 2, 10, 0)) as clock:
        cases = []
        for _ in range(5):
            cases.append(factories.submitted(db, manager=make_user(db, Role.MANAGER)))
            clock.tick(timedelta(hours=1))
    coordinator = make_user(db, Role.COORDINATOR)
    db.commit()
    ids = [case.application.id for case in cases]  # in the order they were submitted
    client = client_for(coordinator)

    def get(url: str) -> tuple[list[int], str]:
        page = client.get(url).get_data(as_text=True)
        return list(rows(page)), page

    shown, first = get("/review/?state=submitted")
    assert shown == ids[0:2] and _link(first, "Новее") and _link(first, "Старше") is None
    shown, second = get(_link(first, "Новее"))
    assert shown == ids[2:4] and "state=submitted" in _link(second, "Новее")
    shown, last = get(_link(second, "Новее"))
    assert shown == ids[4:5] and _link(last, "Новее") is None
    shown, _ = get(_link(last, "Старше"))
    assert shown == ids[2:4]
    assert list(queue_of(client, page=2)) == ids[0:2]  # an old link by page number: the first page


#: applications in the queue's common situations, each a workflow question of its own: a team to choose
#: (the refusal to start says so), a review under way, an appeal to staff
SITUATIONS = (factories.submitted, factories.in_review, factories.appealed)


def test_a_page_costs_the_same_queries_however_many_rows_it_shows(db, app, client_for):
    coordinator = make_user(db, Role.COORDINATOR)
    db.commit()
    client = client_for(coordinator)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    def rows_and_queries() -> tuple[int, int]:
        statements.clear()
        sa.event.listen(db.get_bind(), "before_cursor_execute", count)
        try:
            shown = queue_of(client)
        finally:
            sa.event.remove(db.get_bind(), "before_cursor_execute", count)
        return len(shown), len(statements)

    def add_one_of_each():
        for situation in SITUATIONS:
            situation(db, manager=make_user(db, Role.MANAGER))
        db.commit()

    add_one_of_each()
    shown_three, with_three = rows_and_queries()
    for _ in range(4):
        add_one_of_each()
    shown_fifteen, with_fifteen = rows_and_queries()
    assert (shown_three, shown_fifteen) == (3, 15)
    assert with_fifteen == with_three

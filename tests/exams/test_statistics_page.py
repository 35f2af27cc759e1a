"""Item statistics from the closed attempts: a wrongly keyed item is flagged and suspended from drawing
until a coordinator keeps it suspended or reinstates it; the page, its period and its XLSX export."""

from __future__ import annotations

from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from certify.accounts.models import Role
from certify.audit.models import AuditEntry
from certify.exams import attempts, draws, item_review, registrations
from certify.exams.models import ExamItemDecision, ExamItemVersion
from certify.exams.records import form_from_data
from certify.exams.statistics import Flag
from tests.exams.builders import tiny_bank
from tests.exams.exam_steps import candidate, opened

#: its key says "a", but the strong candidates answer "b": the key is wrong
MISKEYED = "basics_members"


def _sit(session, exam, who, *, strong: bool):
    """A strong candidate answers every item by its key except the miskeyed one; a weak one the reverse."""
    attempt = registrations.start_attempt(session, exam, who)
    items = {item.id: item for item in tiny_bank().items}
    answers = {}
    for slot in form_from_data(attempt.form).slots:
        item = items[slot.item_id]
        wrong = next(option for option in item.option_ids if option not in item.key)
        right = sorted(item.key)
        keyed = strong != (slot.item_id == MISKEYED)
        answers[slot.item_id] = right if keyed else [wrong]
    return attempts.submit_attempt(session, attempt, answers)


@pytest.fixture
def sat(db):
    """An exam sat until the miskeyed item has been shown to enough candidates for its statistics to act."""
    exam = opened(db)
    people = [candidate(db) for _ in range(6)]
    n = 0
    while _shown(db, exam) < item_review.SUSPEND_AFTER_EXPOSURE:
        _sit(db, exam, people[n % len(people)], strong=n % 2 == 0)
        n += 1
    db.commit()
    return exam


def _shown(session, exam) -> int:
    """The attempts that have shown the miskeyed item so far."""
    return sum(MISKEYED in items for items in item_review.exam_responses(session, exam).values())


def _status(session) -> str:
    return session.scalar(sa.select(ExamItemVersion.status).where(ExamItemVersion.item_id == MISKEYED))


def test_a_miskeyed_item_is_flagged_and_not_drawn_on_the_next_form(db, sat):
    row = next(row for row in item_review.exam_statistics(db, sat).items if row.item_id == MISKEYED)
    assert row.statistics.discrimination < 0
    assert Flag.NEGATIVE_DISCRIMINATION in row.statistics.flags and row.awaiting_decision
    assert _status(db) == "suspended"
    others = [r for r in item_review.exam_statistics(db, sat).items if r.item_id != MISKEYED]
    assert all(r.statistics.discrimination > 0 and r.status == "active" for r in others)
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "exam_item.suspended"))
    assert entry.subject_id == f"{MISKEYED} v1" and entry.actor_id is None

    for _ in range(10):
        form = draws.draw_for(db, sat, previous=None)
        assert MISKEYED not in {slot.item_id for slot in form.slots}


def test_the_staff_page_shows_the_flag_and_the_reinstated_item_is_drawn_again(login, db, sat):
    client, coordinator = login(Role.COORDINATOR)
    page = client.get(f"/admin/exams/{sat.id}/statistics").get_data(as_text=True)
    assert "KR-20" in page and MISKEYED in page and 'name="decision"' in page

    refused = client.post(
        f"/admin/exams/{sat.id}/statistics/decision", data={"item": MISKEYED, "decision": "reinstate"}
    )
    assert refused.status_code == 422 and _status(db) == "suspended"

    response = client.post(
        f"/admin/exams/{sat.id}/statistics/decision",
        data={"item": MISKEYED, "decision": "reinstate", "reason": "Key checked: a is right."},
    )
    assert response.status_code == 302
    db.expire_all()
    assert _status(db) == "active"
    decision = db.scalar(sa.select(ExamItemDecision).order_by(ExamItemDecision.id.desc()))
    assert (decision.decision, decision.reason, decision.decided_by_id) == (
        "reinstated",
        "Key checked: a is right.",
        coordinator.id,
    )
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "exam_item.reinstated"))
    assert entry.after["reason"] == "Key checked: a is right."
    # Exposure balancing brings it back once the others have been shown as often; a person has decided,
    # so the closes on the way, which the wrong key keeps negative, do not suspend it again.
    sittings = [_sit(db, sat, candidate(db), strong=True) for _ in range(12)]
    assert any(MISKEYED in {slot.item_id for slot in form_from_data(a.form).slots} for a in sittings)
    assert _status(db) == "active"

    again = client.post(
        f"/admin/exams/{sat.id}/statistics/decision",
        data={"item": MISKEYED, "decision": "keep", "reason": "changed my mind"},
    )
    assert again.status_code == 409 and "решать нечего" in again.get_data(as_text=True)


def test_keeping_an_item_suspended_is_recorded_with_its_reason(login, db, sat):
    client, _ = login(Role.ADMIN)
    response = client.post(
        f"/admin/exams/{sat.id}/statistics/decision",
        data={"item": MISKEYED, "decision": "keep", "reason": "Two keys defensible; rewrite it."},
    )
    assert response.status_code == 302
    db.expire_all()
    assert _status(db) == "suspended"
    row = next(row for row in item_review.exam_statistics(db, sat).items if row.item_id == MISKEYED)
    assert row.decision == "kept_suspended" and not row.awaiting_decision
    assert db.scalar(sa.select(sa.func.count()).where(AuditEntry.action == "exam_item.kept_suspended")) == 1


def test_the_statistics_are_exported_and_a_bad_period_is_explained(login, db, sat):
    client, _ = login(Role.COORDINATOR)
    response = client.get(f"/admin/exams/{sat.id}/statistics.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.data))
    rows = {row[0]: row for row in workbook["items"].iter_rows(min_row=2, values_only=True)}
    assert rows[MISKEYED][5] < 0 and "negative_discrimination" in rows[MISKEYED][-3]
    assert workbook["reliability"]["A2"].value == "all"

    bad = client.get(f"/admin/exams/{sat.id}/statistics?since=yesterday")
    assert bad.status_code == 400 and 'value="yesterday"' in bad.get_data(as_text=True)
    future = client.get(f"/admin/exams/{sat.id}/statistics?since=2999-01-01")
    assert future.status_code == 200 and MISKEYED not in future.get_data(as_text=True)

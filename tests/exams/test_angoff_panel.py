"""A modified-Angoff panel on an exam: judges' sheets typed in, the recommended mark adopted with its
method and date, refused once candidates have started."""

from __future__ import annotations

from decimal import Decimal

import pytest

from certify.accounts.models import Role
from certify.exams.angoff_panel import panel_items
from certify.exams.models import Exam
from certify.timeutil import utcnow
from tests.exams.exam_steps import opened, started


@pytest.fixture
def exam(db):
    exam = opened(db)
    db.commit()
    return exam


def _sheet(db, exam, judge: str, percent: str) -> dict[str, str]:
    return {"judge": judge} | {f"estimate-{item.id}": percent for item in panel_items(db, exam)}


def test_the_recommended_pass_mark_is_stored_with_its_method_and_date(login, db, exam):
    client, _ = login(Role.COORDINATOR)
    assert len(panel_items(db, exam)) == 8  # the active items of the blueprint's areas
    for judge, percent in (("Иванова", "60"), ("Petrov", "70"), ("Петров", "80")):
        response = client.post(f"/admin/exams/{exam.id}/angoff/judges", data=_sheet(db, exam, judge, percent))
        assert response.status_code == 302
    page = client.get(f"/admin/exams/{exam.id}/angoff").get_data(as_text=True)
    assert "70" in page and "Иванова" in page

    assert client.post(f"/admin/exams/{exam.id}/angoff/adopt").status_code == 302
    db.expire_all()
    stored = db.get(Exam, exam.id)
    assert (stored.pass_mark, stored.pass_mark_method, stored.pass_mark_set_on) == (
        Decimal("70.0"),
        "angoff",
        utcnow().date(),
    )


def test_a_judge_typed_again_replaces_the_first_round(login, db, exam):
    client, _ = login(Role.COORDINATOR)
    client.post(f"/admin/exams/{exam.id}/angoff/judges", data=_sheet(db, exam, "Judge A", "40"))
    client.post(f"/admin/exams/{exam.id}/angoff/judges", data=_sheet(db, exam, "Judge A", "65"))
    client.post(f"/admin/exams/{exam.id}/angoff/adopt")
    db.expire_all()
    assert db.get(Exam, exam.id).pass_mark == Decimal("65.0")


def test_a_bad_estimate_is_explained_and_the_sheet_keeps_what_was_typed(login, db, exam):
    client, _ = login(Role.COORDINATOR)
    sheet = _sheet(db, exam, "Judge A", "55")
    first = panel_items(db, exam)[0].id
    sheet[f"estimate-{first}"] = "120"
    response = client.post(f"/admin/exams/{exam.id}/angoff/judges", data=sheet)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="120"' in page and 'value="Judge A"' in page
    refused = client.post(f"/admin/exams/{exam.id}/angoff/adopt")
    assert refused.status_code == 303  # nothing recorded, nothing to adopt
    db.expire_all()
    assert db.get(Exam, exam.id).pass_mark_method == "fixed"


def test_the_pass_mark_cannot_change_once_candidates_have_started(login, db, exam):
    client, _ = login(Role.COORDINATOR)
    client.post(f"/admin/exams/{exam.id}/angoff/judges", data=_sheet(db, exam, "Judge A", "50"))
    started(db, exam)
    db.commit()
    response = client.post(f"/admin/exams/{exam.id}/angoff/adopt")
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Exam, exam.id).pass_mark == Decimal("60.0")

"""The exam pages as candidates and staff use them, and the server closing attempts on anyone's request."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from markupsafe import escape

from certify.accounts.models import Role
from certify.exams import attempts, registrations
from certify.exams.models import AttemptEnd, ExamAttempt
from certify.exams.records import form_from_data
from certify.timeutil import utcnow
from tests.exams.builders import tiny_bank
from tests.exams.exam_steps import deadline_of, keyed_answers, opened, started


@pytest.fixture
def exam(db):
    exam = opened(db)
    db.commit()
    return exam


@pytest.fixture
def candidate_client(login):
    return login(Role.CANDIDATE)


def _start(client, exam) -> tuple[ExamAttempt, str]:
    response = client.post(f"/exams/{exam.id}/start")
    assert response.status_code == 302
    attempt_id = int(re.search(r"/exams/attempts/(\d+)$", response.location).group(1))
    return attempt_id, response.location


def _json_save(client, attempt_id: int, item_id: str, chosen: list[str]):
    return client.post(
        f"/exams/attempts/{attempt_id}/answers",
        data={"item": item_id, f"answer-{item_id}": chosen},
        headers={"Accept": "application/json"},
    )


def test_only_persons_take_exams_and_only_staff_see_them_all(login, client, exam):
    assert client.get("/exams/").status_code == 302
    for role, candidate_page, staff_page in (
        (Role.CANDIDATE, 200, 403),
        (Role.MANAGER, 200, 403),  # a manager may apply for their own attestation
        (Role.ASSESSOR, 403, 403),
        (Role.COORDINATOR, 403, 200),
        (Role.ADMIN, 403, 200),
    ):
        user_client = login(role)[0]
        assert user_client.get("/exams/").status_code == candidate_page
        assert user_client.get("/admin/exams/").status_code == staff_page


def test_a_candidate_starts_answers_each_item_and_submits(candidate_client, db, exam):
    client, _ = candidate_client
    assert f'action="/exams/{exam.id}/start"' in client.get("/exams/").get_data(as_text=True)
    attempt_id, page_url = _start(client, exam)
    page = client.get(page_url).get_data(as_text=True)
    attempt = db.get(ExamAttempt, attempt_id)
    items = {item.id: item for item in tiny_bank().items}
    for slot in form_from_data(attempt.form).slots:
        assert str(escape(items[slot.item_id].stem.ru)) in page
        kind = "checkbox" if items[slot.item_id].type == "multiple_choice" else "radio"
        assert re.search(rf'type="{kind}"\s+name="answer-{slot.item_id}"', page)
    assert "js/exam.js" in page and 'data-seconds-left="' in page

    for item_id, chosen in keyed_answers(attempt, right=5).items():
        response = _json_save(client, attempt_id, item_id, chosen)
        assert response.status_code == 200 and response.json["saved"]
        assert response.json["items"][item_id] and 0 < response.json["seconds_left"] <= 600

    response = client.post(f"/exams/attempts/{attempt_id}/submit")
    assert response.status_code == 302 and response.location.endswith(f"/exams/attempts/{attempt_id}/result")
    result = client.get(response.location).get_data(as_text=True)
    assert "5 of 5" in result or "5 из 5" in result


def test_a_manager_sits_only_the_exam_they_were_registered_for(login, db, exam):
    manager_client, manager = login(Role.MANAGER)
    assert exam.title_ru not in manager_client.get("/exams/").get_data(as_text=True)
    refused = manager_client.post(f"/exams/{exam.id}/start", follow_redirects=True)
    assert "Вы не зарегистрированы на этот экзамен" in refused.get_data(as_text=True)
    assert db.query(ExamAttempt).filter_by(candidate_id=manager.id).count() == 0

    registrations.register_candidate(db, exam, manager)  # as the admission of their application does
    db.commit()
    assert exam.title_ru in manager_client.get("/exams/").get_data(as_text=True)
    attempt_id, _ = _start(manager_client, exam)
    item_id, chosen = next(iter(keyed_answers(db.get(ExamAttempt, attempt_id), right=1).items()))
    assert _json_save(manager_client, attempt_id, item_id, chosen).get_json()["saved"] is True


def test_a_second_tab_lands_on_the_same_attempt(candidate_client, exam):
    client, _ = candidate_client
    first, _ = _start(client, exam)
    second, _ = _start(client, exam)
    assert first == second
    assert f"/exams/attempts/{first}" in client.get("/exams/").get_data(as_text=True)


def test_another_candidates_attempt_is_not_found(login, candidate_client, exam):
    client, _ = candidate_client
    attempt_id, page_url = _start(client, exam)
    other = login(Role.CANDIDATE)[0]
    assert other.get(page_url).status_code == 404
    assert _json_save(other, attempt_id, "basics_members", ["a"]).status_code == 404


def test_the_page_works_without_its_script(candidate_client, db, exam):
    client, _ = candidate_client
    attempt_id, page_url = _start(client, exam)
    answers = keyed_answers(db.get(ExamAttempt, attempt_id), right=3)
    form = {"item": list(answers)} | {f"answer-{item}": chosen for item, chosen in answers.items()}

    saved = client.post(f"/exams/attempts/{attempt_id}/answers", data=form)
    assert saved.status_code == 303 and saved.location.endswith(page_url)
    assert client.get(page_url).get_data(as_text=True).count("checked") == sum(map(len, answers.values()))

    client.post(f"/exams/attempts/{attempt_id}/submit", data=form)
    db.expire_all()
    assert db.get(ExamAttempt, attempt_id).result["correct"] == 3


def test_an_answer_for_an_item_not_on_the_form_is_refused_as_json(candidate_client, db, exam):
    client, _ = candidate_client
    attempt_id, _ = _start(client, exam)
    shown = form_from_data(db.get(ExamAttempt, attempt_id).form).item_ids
    stranger = next(item.id for item in tiny_bank().items if item.id not in shown)
    response = _json_save(client, attempt_id, stranger, ["a"])
    assert response.status_code == 422
    assert not response.json["saved"] and stranger in response.json["message"]


def test_a_late_answer_is_refused_with_the_closing_time(candidate_client, db, exam):
    _, candidate = candidate_client
    client = candidate_client[0]
    attempt = started(db, exam, candidate, at=utcnow() - timedelta(minutes=11))
    db.commit()
    item_id, chosen = next(iter(keyed_answers(attempt, right=1).items()))

    response = _json_save(client, attempt.id, item_id, chosen)

    assert response.status_code == 409
    assert response.json["closed_at"] == deadline_of(attempt).isoformat()
    assert response.json["result_url"].endswith(f"/exams/attempts/{attempt.id}/result")


def test_an_overdue_attempt_is_closed_by_another_users_request(login, db, exam):
    _, who = login(Role.CANDIDATE)
    attempt = started(db, exam, who, at=utcnow() - timedelta(minutes=11))
    answers = keyed_answers(attempt, right=2)
    for item_id in list(answers)[:2]:
        attempts.save_answer(db, attempt, item_id, answers[item_id], now=utcnow() - timedelta(minutes=10))
    db.commit()

    staff = login(Role.COORDINATOR)[0]
    assert staff.get("/admin/exams/").status_code == 200

    db.expire_all()
    closed = db.get(ExamAttempt, attempt.id)
    assert closed.closed_how == AttemptEnd.TIMED_OUT
    assert closed.result["correct"] == 2


def test_the_rationales_of_missed_items_show_only_once_the_window_has_closed(candidate_client, db):
    client, who = candidate_client
    exam = opened(db, closes_at=utcnow() + timedelta(minutes=30))
    attempt = started(db, exam, who)
    attempts.submit_attempt(db, attempt, keyed_answers(attempt, right=4))
    db.commit()
    missed = next(item for item in tiny_bank().items if item.id == form_from_data(attempt.form).item_ids[4])
    result_url = f"/exams/attempts/{attempt.id}/result"

    assert str(escape(missed.stem.ru)) not in client.get(result_url).get_data(as_text=True)

    registrations.close_exam(db, exam)
    db.commit()
    page = client.get(result_url).get_data(as_text=True)
    assert str(escape(missed.stem.ru)) in page and str(escape(missed.rationale.ru)) in page


def test_staff_see_an_attempt_in_full(login, db, exam):
    _, who = login(Role.CANDIDATE)
    attempt = started(db, exam, who)
    attempts.submit_attempt(db, attempt, keyed_answers(attempt, right=3))
    db.commit()
    staff = login(Role.ADMIN)[0]

    listing = staff.get(f"/admin/exams/{exam.id}").get_data(as_text=True)
    assert f"/admin/exams/attempts/{attempt.id}" in listing
    page = staff.get(f"/admin/exams/attempts/{attempt.id}").get_data(as_text=True)
    items = {item.id: item for item in tiny_bank().items}
    for item_id in form_from_data(attempt.form).item_ids:
        assert str(escape(items[item_id].rationale.ru)) in page
    assert str(attempt.form["seed"]) in page


def test_the_pages_speak_english_to_an_english_candidate(login, db, exam):
    client, _ = login(Role.CANDIDATE, locale="en")
    attempt_id, page_url = _start(client, exam)
    page = client.get(page_url).get_data(as_text=True)
    first = form_from_data(db.get(ExamAttempt, attempt_id).form).item_ids[0]
    stem = next(item.stem for item in tiny_bank().items if item.id == first)
    assert str(escape(stem.en)) in page and "Time left" in page


def test_an_attempt_on_the_default_bank_shows_its_forty_items_on_one_page(candidate_client, db):
    from certify.exams import services
    from certify.exams.bank import LIBRARY

    path = LIBRARY / "cm-1.0.yaml"
    bank = services.import_bank(db, path.read_bytes(), source_name=path.name).row
    exam = services.open_exam(db, bank, "cm_theory")
    db.commit()
    client, _ = candidate_client
    _, page_url = _start(client, exam)
    page = client.get(page_url).get_data(as_text=True)
    assert page.count('class="exam-item') == 40
    assert 0 < int(re.search(r'data-seconds-left="(\d+)"', page).group(1)) <= 60 * 60


def test_the_staff_list_counts_each_exams_attempts_running_and_passed(db, exam):
    from certify.exams import listings

    for right in (5, 1):
        attempt = started(db, exam)
        attempts.submit_attempt(db, attempt, keyed_answers(attempt, right=right))
    started(db, exam)
    other = opened(db, exam.bank_version)
    summaries = {summary.exam.id: summary for summary in listings.exam_summaries(db, utcnow())}
    assert (summaries[exam.id].attempts, summaries[exam.id].running, summaries[exam.id].passed) == (3, 1, 1)
    assert (summaries[other.id].attempts, summaries[other.id].window_open) == (0, True)

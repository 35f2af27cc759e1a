"""Registration ahead of a sitting: the form is drawn then, the start only starts the clock; a registered
form the body has since held an item of is drawn again; the window's end voids what was never started."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from certify.accounts.models import Role
from certify.exams import attempts, registrations
from certify.exams.attempts import AttemptRefused
from certify.exams.models import ExamAnswer, ExamAttempt, ExamItemVersion
from certify.timeutil import as_utc, utcnow
from tests.exams.exam_steps import candidate, opened


def _rows(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(ExamAnswer))


def _english(refusal: AttemptRefused) -> str:
    with force_locale("en"):
        return str(refusal.message)


def _items(attempt: ExamAttempt) -> set[str]:
    return {slot["item"] for slot in attempt.form["slots"]}


def test_a_registered_candidate_s_start_only_starts_the_clock_on_the_form_drawn_at_registration(db):
    exam, who = opened(db), candidate(db)
    registered = registrations.register_candidate(db, exam, who, now=utcnow() - timedelta(days=2))
    db.commit()
    form, rows = registered.form, _rows(db)
    assert registered.is_registered and registered.started_at is None and rows == 5

    now = utcnow()
    started = registrations.start_attempt(db, exam, who, now=now)
    db.commit()

    assert started.id == registered.id and started.form == form and _rows(db) == rows
    assert as_utc(started.started_at) == now
    assert as_utc(started.deadline) == now + timedelta(minutes=exam.time_limit_minutes)


def test_registering_again_keeps_the_form_and_a_second_start_resumes(db):
    exam, who = opened(db), candidate(db)
    first = registrations.register_candidate(db, exam, who)
    again = registrations.register_candidate(db, exam, who)
    assert again.id == first.id and again.form == first.form
    started = registrations.start_attempt(db, exam, who)
    assert registrations.start_attempt(db, exam, who).id == started.id == first.id
    assert db.scalar(sa.select(sa.func.count(ExamAttempt.id))) == 1


def test_a_candidate_may_register_before_the_window_opens_but_not_start(db):
    exam = opened(db, opens_at=utcnow() + timedelta(days=1), closes_at=utcnow() + timedelta(days=2))
    who = candidate(db)
    assert registrations.register_candidate(db, exam, who).is_registered
    with pytest.raises(AttemptRefused) as refusal:
        registrations.start_attempt(db, exam, who)
    assert "not open for attempts now" in _english(refusal.value)


def test_an_item_held_back_since_the_registration_is_not_on_the_form_that_starts(db):
    exam, who = opened(db), candidate(db)
    registered = registrations.register_candidate(db, exam, who)
    held = sorted(_items(registered))[0]
    version = db.scalar(sa.select(ExamItemVersion).where(ExamItemVersion.item_id == held))
    version.status = "suspended"
    db.commit()

    started = registrations.start_attempt(db, exam, who)
    db.commit()

    assert held not in _items(started) and len(started.form["slots"]) == 5
    shown = set(db.scalars(sa.select(ExamAnswer.item_id).where(ExamAnswer.attempt_id == started.id)))
    assert shown == _items(started)


def test_answers_and_submission_are_refused_before_the_start(db):
    exam, who = opened(db), candidate(db)
    registered = registrations.register_candidate(db, exam, who)
    item = next(iter(_items(registered)))
    with pytest.raises(AttemptRefused) as refusal:
        attempts.save_answer(db, registered, item, ["a"])
    assert "has not started yet" in _english(refusal.value)
    with pytest.raises(AttemptRefused) as refusal:
        attempts.submit_attempt(db, registered)
    assert "has not started yet" in _english(refusal.value)


def test_closing_the_window_voids_the_registrations_never_started_and_keeps_the_attempts(db):
    exam = opened(db)
    waiting = registrations.register_candidate(db, exam, candidate(db))
    running = registrations.start_attempt(db, exam, candidate(db))
    db.commit()
    waiting_id = waiting.id

    registrations.close_exam(db, exam)
    db.commit()

    assert db.get(ExamAttempt, waiting_id) is None
    assert not db.scalar(sa.select(sa.func.count()).where(ExamAnswer.attempt_id == waiting_id))
    assert db.get(ExamAttempt, running.id).closed_at is not None


def test_registrations_lapse_with_their_window_and_only_then(db):
    lapsed_exam = opened(db, opens_at=utcnow() - timedelta(days=3), closes_at=utcnow() - timedelta(days=1))
    open_exam = opened(db, bank_row=lapsed_exam.bank_version)
    lapsed = ExamAttempt(
        exam_id=lapsed_exam.id,
        candidate_id=candidate(db).id,
        form={"slots": []},
        registered_at=utcnow() - timedelta(days=2),
    )
    db.add(lapsed)
    kept = registrations.register_candidate(db, open_exam, candidate(db))
    db.commit()

    assert registrations.void_lapsed_registrations(db) == 1
    db.commit()
    assert db.get(ExamAttempt, kept.id) is not None
    assert db.scalar(sa.select(sa.func.count(ExamAttempt.id))) == 1


def test_the_register_command_registers_candidates_and_names_those_it_cannot(runner, db):
    exam = opened(db)
    people = [candidate(db), candidate(db)]
    db.commit()
    emails = [person.email for person in people]

    result = runner.invoke(args=["certify", "exam", "register", str(exam.id), *emails])
    assert result.exit_code == 0 and "2 candidates registered" in result.output
    db.expire_all()
    assert all(row.is_registered for row in db.scalars(sa.select(ExamAttempt)))

    result = runner.invoke(args=["certify", "exam", "register", str(exam.id), "nobody@example.org"])
    assert result.exit_code == 1 and "nobody@example.org" in result.output


def test_the_candidate_sees_the_registration_and_starts_it_from_the_exams_page(login, db):
    client, who = login(Role.CANDIDATE, locale="en")
    exam = opened(db)
    registered = registrations.register_candidate(db, exam, who)
    db.commit()

    page = client.get("/exams/").get_data(as_text=True)
    assert "You are registered for this exam" in page and "Start the attempt" in page
    early = client.get(f"/exams/attempts/{registered.id}")
    assert early.status_code == 302 and early.headers["Location"].endswith("/exams/")

    started = client.post(f"/exams/{exam.id}/start")
    assert started.headers["Location"].endswith(f"/exams/attempts/{registered.id}")
    db.expire_all()
    assert db.get(ExamAttempt, registered.id).is_running

"""Timed attempts on the real database: the deadline is the server's, and no saved answer is lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from certify.exams import attempts, registrations, services
from certify.exams.attempts import AttemptRefused
from certify.exams.models import AttemptEnd, ExamAnswer, ExamAttempt, ExamItemVersion
from certify.exams.records import form_from_data
from certify.timeutil import as_utc, utcnow
from tests.exams.builders import tiny_bank
from tests.exams.exam_steps import candidate, deadline_of, keyed_answers, opened, started


def test_an_answer_saved_one_second_before_the_deadline_counts(db):
    attempt = started(db)
    answers = keyed_answers(attempt, right=5)
    last = deadline_of(attempt) - timedelta(seconds=1)
    attempts.save_answers(db, attempt, answers, now=last)
    db.commit()

    closed = attempts.close_overdue(db, deadline_of(attempt))

    assert closed == [attempt]
    assert attempt.closed_how == AttemptEnd.TIMED_OUT
    assert attempt.result["correct"] == 5 and attempt.result["passed"]


def test_an_answer_one_second_after_the_deadline_is_refused_with_the_closing_time(db):
    attempt = started(db)
    item_id, chosen = next(iter(keyed_answers(attempt, right=1).items()))

    with pytest.raises(AttemptRefused) as refusal:
        attempts.save_answer(db, attempt, item_id, chosen, now=deadline_of(attempt) + timedelta(seconds=1))

    assert refusal.value.closed_at == deadline_of(attempt)
    assert attempts.moment(deadline_of(attempt)) in str(refusal.value.message)
    assert db.get(ExamAnswer, (attempt.id, item_id)).saved_at is None


def test_an_answer_at_the_deadline_itself_is_refused(db):
    attempt = started(db)
    item_id, chosen = next(iter(keyed_answers(attempt, right=1).items()))
    with pytest.raises(AttemptRefused):
        attempts.save_answer(db, attempt, item_id, chosen, now=deadline_of(attempt))


def test_an_attempt_left_open_is_closed_and_scored_with_what_was_saved(db):
    attempt = started(db)
    answers = keyed_answers(attempt, right=2)
    for item_id in list(answers)[:2]:
        attempts.save_answer(db, attempt, item_id, answers[item_id])
    db.commit()

    assert attempts.close_overdue(db, deadline_of(attempt) - timedelta(seconds=1)) == []
    assert attempts.close_overdue(db, deadline_of(attempt) + timedelta(minutes=5)) == [attempt]
    db.commit()

    assert as_utc(attempt.closed_at) == deadline_of(attempt)
    assert attempt.result["correct"] == 2 and attempt.result["total"] == 5
    assert not attempt.result["passed"]


def test_a_second_start_resumes_the_open_attempt(db):
    exam, who = opened(db), candidate(db)
    first = registrations.start_attempt(db, exam, who)
    second = registrations.start_attempt(db, exam, who)
    assert second.id == first.id
    assert db.scalar(sa.select(sa.func.count(ExamAttempt.id))) == 1


def test_the_database_itself_holds_one_open_attempt_per_candidate_and_exam(db):
    attempt = started(db)
    twin = ExamAttempt(
        exam_id=attempt.exam_id,
        candidate_id=attempt.candidate_id,
        form=attempt.form,
        registered_at=attempt.registered_at,
        started_at=attempt.started_at,
        deadline=attempt.deadline,
    )
    db.add(twin)
    with pytest.raises(IntegrityError):
        db.flush()


def test_a_start_after_the_deadline_closes_the_old_attempt_and_draws_a_new_form(db):
    exam, who = opened(db), candidate(db)
    first = registrations.start_attempt(db, exam, who, now=utcnow() - timedelta(hours=1))
    second = registrations.start_attempt(db, exam, who)
    assert second.id != first.id
    assert first.closed_how == AttemptEnd.TIMED_OUT and second.is_open


def test_a_double_submit_is_refused_and_changes_nothing(db):
    attempt = started(db)
    attempts.submit_attempt(db, attempt, keyed_answers(attempt, right=4))
    db.commit()
    closed_at, result = attempt.closed_at, dict(attempt.result)

    with pytest.raises(AttemptRefused) as refusal:
        attempts.submit_attempt(db, attempt, keyed_answers(attempt, right=5))

    assert attempts.moment(as_utc(closed_at)) in str(refusal.value.message)
    db.rollback()
    assert attempt.closed_at == closed_at and attempt.result == result
    assert attempt.result["correct"] == 4


def test_an_answer_on_a_submitted_attempt_is_refused(db):
    attempt = started(db)
    attempts.submit_attempt(db, attempt)
    item_id, chosen = next(iter(keyed_answers(attempt, right=1).items()))
    with pytest.raises(AttemptRefused) as refusal:
        attempts.save_answer(db, attempt, item_id, chosen)
    assert refusal.value.closed_at == as_utc(attempt.closed_at)


def test_an_answer_for_an_item_not_on_the_form_is_refused(db):
    attempt = started(db)
    shown = set(form_from_data(attempt.form).item_ids)
    stranger = next(item.id for item in tiny_bank().items if item.id not in shown)
    with pytest.raises(AttemptRefused) as refusal:
        attempts.save_answer(db, attempt, stranger, ["a"])
    assert refusal.value.status == 422
    assert db.get(ExamAnswer, (attempt.id, stranger)) is None


@pytest.mark.parametrize("chosen", [["z"], ["a", "a"], "a"])
def test_an_answer_the_item_cannot_take_is_refused(db, chosen):
    attempt = started(db)
    item_id = form_from_data(attempt.form).item_ids[0]
    with pytest.raises(AttemptRefused) as refusal:
        attempts.save_answer(db, attempt, item_id, chosen)
    assert refusal.value.status == 422


def test_saving_the_same_answer_again_changes_nothing(db):
    attempt = started(db)
    item_id, chosen = next(iter(keyed_answers(attempt, right=1).items()))
    first = attempts.save_answer(db, attempt, item_id, chosen, now=utcnow() - timedelta(seconds=30))
    saved_at = first.saved_at
    again = attempts.save_answer(db, attempt, item_id, list(reversed(chosen)))
    assert again.saved_at == saved_at and again.chosen == sorted(chosen)


def test_clearing_an_answer_leaves_the_item_unanswered(db):
    attempt = started(db)
    item_id, chosen = next(iter(keyed_answers(attempt, right=1).items()))
    attempts.save_answer(db, attempt, item_id, chosen)
    attempts.save_answer(db, attempt, item_id, [])
    attempts.submit_attempt(db, attempt)
    assert attempt.result["correct"] == 0


def test_a_submission_after_the_deadline_closes_with_the_answers_saved_before(db):
    attempt = started(db)
    answers = keyed_answers(attempt, right=5)
    first = next(iter(answers))
    attempts.save_answer(db, attempt, first, answers[first])

    attempts.submit_attempt(db, attempt, answers, now=deadline_of(attempt) + timedelta(seconds=1))

    assert attempt.closed_how == AttemptEnd.TIMED_OUT
    assert attempt.result["correct"] == 1


def test_the_deadline_never_runs_past_the_end_of_the_window(db):
    exam = opened(db, closes_at=utcnow() + timedelta(minutes=3))
    attempt = started(db, exam)
    assert deadline_of(attempt) == as_utc(exam.closes_at)


def test_no_attempt_starts_outside_the_window(db):
    exam = opened(db, opens_at=utcnow() + timedelta(hours=1), closes_at=utcnow() + timedelta(hours=2))
    with pytest.raises(AttemptRefused):
        started(db, exam)


def test_closing_an_exam_closes_its_running_attempts_now(db):
    attempt = started(db)
    now = utcnow()
    closed = registrations.close_exam(db, attempt.exam, now=now)
    assert closed == [attempt]
    assert as_utc(attempt.closed_at) == now and attempt.closed_how == AttemptEnd.TIMED_OUT


def test_a_retake_repeats_as_few_items_as_the_bank_allows(db):
    exam, who = opened(db), candidate(db)
    first = registrations.start_attempt(db, exam, who)
    attempts.submit_attempt(db, first)
    retake = registrations.start_attempt(db, exam, who)
    before, after = set(form_from_data(first.form).item_ids), set(form_from_data(retake.form).item_ids)
    # basics: 5 active items, 3 drawn -> at least 1 repeat; practice: 3 active, 2 drawn -> at least 1
    assert len(before & after) == 2


def test_items_held_back_by_the_body_are_not_drawn(db):
    exam = opened(db)
    db.execute(
        sa.update(ExamItemVersion).where(ExamItemVersion.item_id == "practice_kpi").values(status="suspended")
    )
    for _ in range(4):
        assert "practice_kpi" not in form_from_data(started(db, exam).form).item_ids


def test_exposure_is_balanced_between_candidates(db):
    exam = opened(db)
    shown: dict[str, int] = {}
    for _ in range(3):  # practice: 3 active items, 2 per form -> each shown exactly twice
        for item_id in form_from_data(started(db, exam).form).item_ids:
            shown[item_id] = shown.get(item_id, 0) + 1
    assert [shown[i] for i in ("practice_kpi", "practice_project", "practice_survey")] == [2, 2, 2]


def test_the_form_can_be_drawn_again_from_its_seed(db):
    from certify.exams.forms import draw_form

    attempt = started(db)
    form = form_from_data(attempt.form)
    bank = services.bank_of(attempt.exam.bank_version)
    again = draw_form(bank, form.blueprint, seed=form.seed)
    assert again.slots == form.slots

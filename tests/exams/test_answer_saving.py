"""What a save hands back and leaves in the session: the answer is written without loading it (Core, for
the CPU of every save), so an answer the session already holds must not be left out of date."""

from __future__ import annotations

from datetime import timedelta

from certify.exams import attempts
from certify.exams.models import ExamAnswer
from certify.timeutil import as_utc, utcnow
from tests.exams.exam_steps import keyed_answers, started


def test_a_save_returns_the_answer_as_stored(db):
    attempt = started(db)
    item_id, chosen = next(iter(keyed_answers(attempt, right=1).items()))

    saved = attempts.save_answer(db, attempt, item_id, list(reversed(chosen)))
    db.commit()

    stored = db.get(ExamAnswer, (attempt.id, item_id))
    assert (saved.item_id, saved.chosen, saved.saved_at) == (item_id, sorted(chosen), stored.saved_at)
    assert stored.chosen == sorted(chosen)


def test_an_answer_the_session_holds_is_up_to_date_after_a_save(db):
    attempt = started(db)
    item_id, chosen = next(iter(keyed_answers(attempt, right=1).items()))
    held = db.get(ExamAnswer, (attempt.id, item_id))
    assert (held.chosen, held.saved_at) == ([], None)

    at = utcnow() - timedelta(seconds=5)
    attempts.save_answer(db, attempt, item_id, chosen, now=at)

    assert held.chosen == sorted(chosen) and as_utc(held.saved_at) == at
    again = attempts.save_answer(db, attempt, item_id, chosen)  # the same answer: nothing written
    assert again.chosen == sorted(chosen) and as_utc(again.saved_at) == at

"""Starting, saving and closing race each other in the database, and no answer is lost between them.

Each race is interleaved deterministically, as in tests/questionnaire/test_concurrency.py: a hook inside
one service runs the other in a second, independent session (its own connection) at the moment the race
would strike. Where the first holds a lock the second would wait for, the second gives up after a short
lock wait (the test has one thread), as a request would be retried.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from certify.accounts.models import User
from certify.exams import attempts, registrations
from certify.exams.attempts import AttemptRefused
from certify.exams.models import Exam, ExamAnswer, ExamAttempt
from tests.concurrency import once_inside, second_session
from tests.exams.exam_steps import candidate, deadline_of, keyed_answers, opened, started


def test_two_tabs_starting_at_once_get_one_attempt(db, monkeypatch):
    exam, who = opened(db), candidate(db)
    db.commit()
    theirs: list[int] = []

    def start_meanwhile():
        with second_session() as other:
            started = registrations.start_attempt(other, other.get(Exam, exam.id), other.get(User, who.id))
            theirs.append(started.id)
            other.commit()

    # after the check for an open attempt, before the insert
    once_inside(monkeypatch, registrations, "draw_for", start_meanwhile)
    ours = registrations.start_attempt(db, exam, who)
    db.commit()

    assert [ours.id] == theirs
    assert db.scalar(sa.select(sa.func.count(ExamAttempt.id))) == 1


def test_an_answer_saved_while_the_deadline_passes_is_scored_or_refused_never_lost(db, monkeypatch):
    attempt = started(db)
    db.commit()
    item_id, chosen = next(iter(keyed_answers(attempt, right=1).items()))
    closed_meanwhile: list[int] = []

    def close_meanwhile():
        with second_session(lock_wait_ms=300) as other:
            closed_meanwhile.extend(a.id for a in attempts.close_overdue(other, deadline_of(attempt)))
            other.commit()

    # the save has checked the attempt is open, one second before the deadline, and is about to write
    once_inside(monkeypatch, attempts, "_item_shown", close_meanwhile)
    try:
        attempts.save_answer(db, attempt, item_id, chosen, now=deadline_of(attempt) - timedelta(seconds=1))
        db.commit()
        saved = True
    except AttemptRefused:
        db.rollback()
        saved = False
    attempts.close_overdue(db, deadline_of(attempt))
    db.commit()

    db.expire_all()
    closed = db.get(ExamAttempt, attempt.id)
    stored = db.get(ExamAnswer, (attempt.id, item_id)).chosen
    assert closed.closed_at is not None
    assert (stored == sorted(chosen)) == saved
    assert closed.result["items"][item_id] == saved, "an answer was saved but not scored"
    # PostgreSQL: the closing request skipped the attempt the save held and closed it after; SQLite: it
    # closed the attempt first and the save's own write refused
    assert saved == (db.get_bind().dialect.name == "postgresql") == (closed_meanwhile == [])


def test_an_answer_sent_while_the_attempt_is_being_closed_is_refused(db, monkeypatch):
    attempt = started(db)
    db.commit()
    item_id, chosen = next(iter(keyed_answers(attempt, right=1).items()))
    outcome: list[str] = []

    def save_meanwhile():
        with second_session(lock_wait_ms=300) as other:
            try:
                # sent one second before the deadline, arriving while the server closes the attempt
                late = deadline_of(attempt) - timedelta(seconds=1)
                attempts.save_answer(other, other.get(ExamAttempt, attempt.id), item_id, chosen, now=late)
                other.commit()
                outcome.append("saved")
            except sa.exc.OperationalError:  # waited for the closing transaction, and gave up
                other.rollback()
                outcome.append("waited")

    # the close has begun (the attempt is marked closed, not yet committed) and reads the answers
    once_inside(monkeypatch, attempts, "stored_items", save_meanwhile)
    attempts.close_overdue(db, deadline_of(attempt))
    db.commit()

    assert outcome == ["waited"]
    with second_session() as other, pytest.raises(AttemptRefused):  # pressed again: refused, it closed
        attempts.save_answer(other, other.get(ExamAttempt, attempt.id), item_id, chosen)
    db.expire_all()
    assert db.get(ExamAnswer, (attempt.id, item_id)).saved_at is None
    assert db.get(ExamAttempt, attempt.id).result["items"][item_id] is False

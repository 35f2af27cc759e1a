"""The demo holds an exam sat by simulated candidates, whose statistics catch the one mis-keyed item."""

from __future__ import annotations

import re

import sqlalchemy as sa

from certify.accounts.models import Role, User
from certify.demo.data import DEFAULT_PASSWORD, USERS
from certify.demo.exams import MISKEYED_ITEM, SIMULATED, load_demo_exams
from certify.exams.item_review import exam_responses
from certify.exams.models import Exam, ExamAnswer, ExamAttempt, ExamItemVersion
from certify.exams.statistics import item_statistics

DEMO_CANDIDATE = next(email for email, _, _, roles, _, _ in USERS if Role.CANDIDATE in roles)


def _loaded_twice(db) -> Exam:
    load_demo_exams(db, DEFAULT_PASSWORD)
    db.commit()
    counts = _counts(db)
    load_demo_exams(db, DEFAULT_PASSWORD)
    db.commit()
    assert _counts(db) == counts == (1, SIMULATED, SIMULATED), "the second load adds nothing"
    return db.scalars(sa.select(Exam)).one()


def _counts(db) -> tuple[int, int, int]:
    return (
        db.scalar(sa.select(sa.func.count(Exam.id))),
        db.scalar(sa.select(sa.func.count(ExamAttempt.id))),
        db.scalar(sa.select(sa.func.count(User.id)).where(User.email.like("candidate-sim-%"))),
    )


def test_the_demo_exam_has_scored_attempts_and_its_statistics_catch_the_wrong_key(db, login):
    exam = _loaded_twice(db)
    closed = db.scalars(sa.select(ExamAttempt).where(ExamAttempt.closed_at.is_not(None))).all()
    assert len(closed) == SIMULATED >= 40
    assert {attempt.closed_how for attempt in closed} == {"submitted", "timed_out"}
    assert len({attempt.result["correct"] for attempt in closed}) > 15, "abilities vary"

    assert item_statistics(exam_responses(db, exam))[MISKEYED_ITEM].discrimination < 0
    # suspended from drawing by the statistics; the default bank's own version is untouched
    statuses = db.execute(
        sa.select(ExamItemVersion.version, ExamItemVersion.status).where(
            ExamItemVersion.item_id == MISKEYED_ITEM
        )
    )
    assert dict(statuses.all()) == {1: "active", 2: "suspended"}

    client, _ = login(Role.CANDIDATE, email=DEMO_CANDIDATE)
    assert exam.title_ru in client.get("/exams/").get_data(as_text=True)  # open to take
    started = client.post(f"/exams/{exam.id}/start")
    attempt_id = int(re.search(r"/exams/attempts/(\d+)$", started.location).group(1))
    drawn = db.scalars(sa.select(ExamAnswer.item_id).where(ExamAnswer.attempt_id == attempt_id)).all()
    assert len(drawn) == 40 and MISKEYED_ITEM not in drawn

"""What a new attempt's form is drawn from: the items of the candidate's previous attempt (read from its
stored form), the exam's exposure so far, and the items the body holds back; `draw_for` passes them to the
pure `certify.exams.forms.draw_form`."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from certify.exams.forms import Form, draw_form
from certify.exams.models import Exam, ExamAnswer, ExamAttempt
from certify.exams.services import bank_of, blueprint_of, held_back

#: seeds stay below 2**53, so that JavaScript and every JSON reader keep them exact
SEED_BITS = 52


def draw_for(session, exam: Exam, *, previous: ExamAttempt | None, seed: int | None = None) -> Form:
    """A new form from a fresh random seed unless `seed` is given (stored with the attempt, so that the
    draw can be repeated and checked), avoiding the items of the candidate's `previous` attempt on the
    exam where it can; raises ExamInputError when an area has too few items left to draw."""
    bank = bank_of(exam.bank_version)
    return draw_form(
        bank,
        blueprint_of(exam),
        seed=secrets.randbits(SEED_BITS) if seed is None else seed,
        previous_items=[slot["item"] for slot in previous.form["slots"]] if previous else (),
        exposure=exposure(session, exam),
        suspended=held_back(session, bank),
    )


def exposure(session, exam: Exam) -> dict[str, int]:
    """Item id -> the attempts of this exam (its window) that showed it: one answer row per item shown."""
    rows = session.execute(
        sa.select(ExamAnswer.item_id, sa.func.count())
        .join(ExamAttempt, ExamAttempt.id == ExamAnswer.attempt_id)
        .where(ExamAttempt.exam_id == exam.id)
        .group_by(ExamAnswer.item_id)
    )
    return {item_id: shown for item_id, shown in rows}
